/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define QS_TOKEN_HASH_LEN 32

char    *qs_new_id              (const char *prefix);
char    *qs_new_token           (const char *prefix);
char    *qs_new_session_token   (void);
char    *qs_new_invitation_token (void);
void     qs_hash_token          (const char *token,
                                 guint8      out[QS_TOKEN_HASH_LEN]);
char    *qs_format_time         (gint64      unix_seconds);
/* The same into a buffer: "YYYY-MM-DDTHH:MM:SSZ" and a NUL. */
#define QS_TIME_LEN 20
void     qs_format_time_to      (gint64      unix_seconds,
                                 char        out[QS_TIME_LEN + 1]);
gint64   qs_now                 (void);
char    *qs_base64url_encode    (const guint8 *data,
                                 gsize         len);
guint8  *qs_base64url_decode    (const char *text,
                                 gsize      *out_len);
char    *qs_uri_escape          (const char *text);

G_END_DECLS
