/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store: users, sessions, e-mail tokens, account take-over.
 * Included by quorum-store.h; include that instead.
 *
 * Tokens are known to the store only as their SHA-256 hashes
 * (QS_STORE_TOKEN_HASH_LEN bytes); times are Unix seconds. */

#include <glib.h>

#include "quorum-store-core.h"

G_BEGIN_DECLS

typedef struct
{
  char     *id;
  char     *name;
  char     *email;
  char     *password_hash;   /* NULL: the account has no password */
  gboolean  email_verified;
  gint64    created_at;
} QsStoreUser;

void         qs_store_user_free        (QsStoreUser  *user);
QsStoreUser *qs_store_user_copy        (const QsStoreUser *user);

/* Users. Look-ups: NULL without error when there is none. */
QsStoreUser *qs_store_user_by_id       (QsStore      *store,
                                        const char   *user_id,
                                        GError      **error);
QsStoreUser *qs_store_user_by_email    (QsStore      *store,
                                        const char   *email,
                                        GError      **error);
/* The new user's id; QS_STORE_ERROR_CONFLICT when the e-mail is taken. */
char        *qs_store_user_create      (QsStore      *store,
                                        const char   *name,
                                        const char   *email,
                                        const char   *password_hash,
                                        gboolean      email_verified,
                                        gint64        created_at,
                                        GError      **error);
/* Renames the user everywhere the name is kept (members' order and search). */
gboolean     qs_store_user_set_name    (QsStore      *store,
                                        const char   *user_id,
                                        const char   *name,
                                        GError      **error);
/* Sets new_hash only while old_hash is the user's hash: FALSE without
 * error when the password changed meanwhile. */
gboolean     qs_store_user_replace_password_hash (QsStore    *store,
                                                  const char *user_id,
                                                  const char *old_hash,
                                                  const char *new_hash,
                                                  GError    **error);
/* The address is proven: verified, and unused verification tokens end. */
gboolean     qs_store_user_mark_verified (QsStore    *store,
                                          const char *user_id,
                                          GError    **error);
/* Whoever proved the inbox gets the account: new password hash (and name
 * when not NULL), address verified, every session and unused e-mail token
 * of the account ended. */
gboolean     qs_store_user_take_over   (QsStore      *store,
                                        const char   *user_id,
                                        const char   *name,
                                        const char   *password_hash,
                                        GError      **error);

/* Sessions */
gboolean     qs_store_session_create   (QsStore      *store,
                                        const guint8 *token_hash,
                                        const char   *user_id,
                                        gint64        expires_at,
                                        GError      **error);
/* The user of an unexpired session, without its password_hash. */
QsStoreUser *qs_store_session_user     (QsStore      *store,
                                        const guint8 *token_hash,
                                        GError      **error);
gboolean     qs_store_session_end      (QsStore      *store,
                                        const guint8 *token_hash,
                                        GError      **error);
/* Ends every session of the user but except_hash's (NULL: all). */
gboolean     qs_store_sessions_end_for_user (QsStore      *store,
                                             const char   *user_id,
                                             const guint8 *except_hash,
                                             GError      **error);

/* E-mail tokens; kind is "verify" or "reset". Issuing one ends the user's
 * earlier unused tokens of that kind. */
gboolean     qs_store_email_token_issue (QsStore      *store,
                                         const char   *kind,
                                         const guint8 *token_hash,
                                         const char   *user_id,
                                         gint64        expires_at,
                                         GError      **error);
/* The user id of an unused token of kind (expired or not: see
 * expires_at); NULL without error when there is none. */
char        *qs_store_email_token_user (QsStore      *store,
                                        const char   *kind,
                                        const guint8 *token_hash,
                                        gint64       *expires_at,
                                        GError      **error);
/* Single use: TRUE when this call used the token up, FALSE without error
 * when it was used already. */
gboolean     qs_store_email_token_use  (QsStore      *store,
                                        const guint8 *token_hash,
                                        GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreUser, qs_store_user_free)

G_END_DECLS
