/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What any JSON document must pass before json-glib sees it, on both sides of
 * the wire: the server's request bodies and the client's responses.
 * json-glib's parser recurses once per nesting level (a million '[' exhaust
 * the stack) and hands strings out NUL-terminated (a "\u0000" escape silently
 * cuts a string short), so both are refused here by a linear scan.
 */

#define QUORUM_JSON_MAX_DEPTH 64

#define QUORUM_JSON_GUARD_ERROR (quorum_json_guard_error_quark ())

typedef enum
{
  QUORUM_JSON_GUARD_ERROR_EMPTY,
  QUORUM_JSON_GUARD_ERROR_INVALID_UTF8,  /* also a raw NUL byte */
  QUORUM_JSON_GUARD_ERROR_TOO_DEEP,
  QUORUM_JSON_GUARD_ERROR_NUL_ESCAPE,    /* "\u0000" inside a string */
} QuorumJsonGuardError;

GQuark   quorum_json_guard_error_quark (void);

gboolean quorum_json_check             (const char  *data,
                                        gsize        len,
                                        guint        max_depth,
                                        GError     **error);

G_END_DECLS
