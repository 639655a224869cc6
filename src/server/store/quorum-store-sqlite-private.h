/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The schema's version: the number of migrations (quorum-store-sqlite.c,
 * PRAGMA user_version), and the version PostgreSQL's migrations reach
 * (quorum-store-pg-schema.c, schema_version). tests/server/servertest.py reads it
 * here. */

#define QS_DB_SCHEMA_VERSION 9
