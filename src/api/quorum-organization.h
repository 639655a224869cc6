/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"
#include "quorum-role.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_ORGANIZATION (quorum_organization_get_type ())
G_DECLARE_FINAL_TYPE (QuorumOrganization, quorum_organization, QUORUM, ORGANIZATION, GObject)

const char *        quorum_organization_get_id           (QuorumOrganization *self);
const char *        quorum_organization_get_name         (QuorumOrganization *self);
const char *        quorum_organization_get_slug         (QuorumOrganization *self);
const char *        quorum_organization_get_logo_url     (QuorumOrganization *self);
GDateTime *         quorum_organization_get_created_at   (QuorumOrganization *self);
int                 quorum_organization_get_member_count (QuorumOrganization *self);
const char *        quorum_organization_get_role_name    (QuorumOrganization *self);
const char *        quorum_organization_get_etag         (QuorumOrganization *self);
QuorumRole          quorum_organization_get_role         (QuorumOrganization *self);

G_END_DECLS
