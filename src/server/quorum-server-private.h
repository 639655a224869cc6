/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "quorum-core.h"
#include "quorum-server.h"
#include "quorum-store.h"
#include "quorum-server-parse.h"
#include "quorum-server-util.h"

G_BEGIN_DECLS

#define QS_BODY_LIMIT         (1024 * 1024)
#define QS_LOGO_LIMIT         (2 * 1024 * 1024)
#define QS_HEADERS_LIMIT      (16 * 1024)
#define QS_SESSION_SECONDS    (30 * 24 * 3600)
#define QS_INVITATION_SECONDS (7 * 24 * 3600)
#define QS_IDEMPOTENCY_SECONDS (24 * 3600)
/* Argon2id jobs waiting for a worker; past this, 503 server_busy. */
#define QS_PASSWORD_QUEUE_MAX  256
#define QS_PASSWORD_WORKERS_MAX 4
#define QS_VERIFY_SECONDS     (24 * 3600)
#define QS_RESET_SECONDS      3600
/* An unverified account this old goes to whoever proves its inbox through
 * an invitation set-up. */
#define QS_TAKEOVER_SECONDS   (7 * 24 * 3600)

struct _QsServer
{
  QsConfig    config;
  SoupServer *soup;
  QsStore    *store;
  char       *url;
  char       *public_url;
  char       *outbox_dir;
  GHashTable *auth_attempts;   /* client address → QsRateWindow */
  GHashTable *signin_pairs;    /* "client\naccount" → QsBackoff */
  GHashTable *signin_clients;  /* client address → QsBackoff */
  GHashTable *signin_trusted;  /* "client\naccount" → last success (gint64 *) */
  GHashTable *org_sends;       /* org id → QsSendWindow */
  GHashTable *user_sends;      /* user id → QsSendWindow */
  GThreadPool *password_pool;
  guint       password_queued;
  char       *dummy_hash;
  guint       purge_source;
  GHashTable *mail_limits;     /* "verify:<user id>", "reset:<e-mail>" → hourly window */
  guint       in_flight;
  gboolean    shutting_down;
  GSourceFunc shutdown_done;
  gpointer    shutdown_data;
  guint       drain_source;
  gint64      drain_deadline;
  guint64     opslimit;
  gsize       memlimit;
};

typedef struct
{
  QsServer          *server;
  QsStore           *store;
  SoupServerMessage *msg;       /* a reference */
  const char        *method;
  char             **segs;      /* path segments after the leading '/' */
  guint              n_segs;
  GHashTable        *query;     /* a reference, or NULL */
  const char        *body;
  gsize              body_len;
  GBytes            *body_bytes;
  GStrv              raw_segs;
  GPtrArray         *seg_array;
  /* Password jobs in flight: while > 0 the message is paused and the
   * request lives on (see quorum-server-password.c). */
  guint              async_ops;
  /* Set by qs_require_user () */
  char              *user_id;
  char              *user_name;
  char              *user_email;
  guint8             token_hash[QS_TOKEN_HASH_LEN];
} QsRequest;

/* Responses */
void      qs_respond_json        (QsRequest   *req,
                                  guint        status,
                                  JsonNode    *node);
void      qs_respond_object      (QsRequest   *req,
                                  guint        status,
                                  JsonObject  *object);
void      qs_respond_empty       (QsRequest   *req,
                                  guint        status);
void      qs_respond_error       (QsRequest   *req,
                                  guint        status,
                                  const char  *code,
                                  const char  *detail);
void      qs_respond_validation  (QsRequest   *req,
                                  GPtrArray   *errors);
void      qs_respond_internal    (QsRequest   *req);
/* A small self-contained HTML page (no scripts); form: the page posts a
 * form, so its CSP allows form-action 'self' and forbids framing. */
void      qs_respond_html        (QsRequest   *req,
                                  guint        status,
                                  const char  *title,
                                  const char  *content,
                                  gboolean     form);
void      qs_respond_session     (QsRequest   *req,
                                  guint        status,
                                  const char  *user_id,
                                  char        *token,
                                  gint64       expires_at);
/* Handles MALFORMED/INVALID; TRUE when the caller may go on. */
gboolean  qs_check_parse         (QsRequest     *req,
                                  QsParseResult  result,
                                  GPtrArray     *errors);
char     *qs_json_to_string      (JsonNode    *node);

/* Auth and permissions */
gboolean  qs_require_user        (QsRequest   *req);
gboolean  qs_optional_user       (QsRequest   *req,
                                  gboolean    *signed_in);
/* The caller's membership of org_id with the permission; NULL when answered. */
QsStoreMember *qs_require_membership (QsRequest        *req,
                                      const char       *org_id,
                                      QuorumPermission  permission);
QsStoreTxn *qs_begin_membership  (QsRequest        *req,
                                  const char       *org_id,
                                  QuorumPermission  permission,
                                  QsStoreMember   **me);
gboolean  qs_require_verified_email (QsRequest *req);
gboolean  qs_rate_limit_auth     (QsRequest   *req);
void      qs_respond_rate_limited (QsRequest  *req,
                                   gint64      retry_after);
const char *qs_client_address    (QsRequest   *req);

/* Sign-in failures (quorum-server-limits.c). Every attempt counts as a
 * failure of (client, account) and of the client until it succeeds. */
gboolean  qs_signin_attempt      (QsRequest   *req,
                                  const char  *account,
                                  gboolean     client_wide);
void      qs_signin_succeeded    (QsRequest   *req,
                                  const char  *account,
                                  gboolean     client_wide);
void      qs_signin_trust        (QsRequest   *req,
                                  const char  *account);
/* Invitation e-mails per organization and per inviting user per hour. */
gboolean  qs_invitation_send_allowed (QsRequest  *req,
                                      const char *org_id);
void      qs_invitation_sent     (QsRequest   *req,
                                  const char  *org_id);
void      qs_limits_init         (QsServer    *server);
void      qs_limits_clear        (QsServer    *server);

/* Passwords (quorum-server-password.c). The _async forms run Argon2id in
 * a bounded worker pool: the message is paused, the callback runs on the
 * main loop with the request, then the answer it set is sent. */
typedef struct
{
  gboolean  verified;  /* verify: the password matched */
  char     *hash;      /* hash: the new hash (NULL on failure);
                        * verify: the new password's hash, or an upgraded
                        * hash of the password when the stored one is weaker */
} QsPasswordResult;

typedef void (*QsPasswordCallback) (QsRequest              *req,
                                    const QsPasswordResult *result,
                                    gpointer                user_data);

char     *qs_password_hash       (QsServer    *server,
                                  const char  *password);
void      qs_password_hash_async (QsRequest          *req,
                                  const char         *password,
                                  QsPasswordCallback  callback,
                                  gpointer            user_data,
                                  GDestroyNotify      destroy);
/* hash NULL verifies against a dummy hash (same time, never matches).
 * new_password non-NULL: hashed when the password matched. */
void      qs_password_verify_async (QsRequest          *req,
                                    const char         *hash,
                                    const char         *password,
                                    const char         *new_password,
                                    QsPasswordCallback  callback,
                                    gpointer            user_data,
                                    GDestroyNotify      destroy);
gboolean  qs_password_init       (QsServer    *server,
                                  GError     **error);
void      qs_password_clear      (QsServer    *server);
void      qs_request_free        (QsRequest   *req);

/* Purge of expired rows (quorum-server-purge.c). */
gboolean  qs_purge_expired       (QsServer    *server);
void      qs_purge_start         (QsServer    *server);

/* Shared model helpers */
char      *qs_create_session     (QsRequest   *req,
                                  const char  *user_id,
                                  gint64      *expires_at);
JsonObject *qs_user_json         (QsRequest   *req,
                                  const char  *user_id);
JsonObject *qs_organization_to_json (const QsStoreOrganization *org,
                                     QuorumRole                 role);
/* NULL when there is no such organization. */
JsonObject *qs_organization_json (QsRequest   *req,
                                  const char  *org_id,
                                  const char  *role);
JsonObject *qs_member_to_json    (const QsStoreMember *member);
char       *qs_org_etag          (const QsStoreOrganization *org);
char       *qs_user_etag         (QsRequest   *req,
                                  const char  *user_id);
char       *qs_member_etag       (const QsStoreMember *member);
/* TRUE when there is no If-Match or it matches etag; else answers 412. */
gboolean    qs_check_if_match    (QsRequest   *req,
                                  const char  *etag);
void        qs_set_etag          (QsRequest   *req,
                                  const char  *etag);
const char *qs_query             (QsRequest   *req,
                                  const char  *name);

/* E-mail ownership (quorum-server-email.c) */
/* The caller holds a transaction. */
gboolean    qs_send_email_token    (QsServer    *server,
                                    const char  *kind,
                                    const char  *user_id,
                                    const char  *email);
/* An account an invitation set-up may take over: unverified and older
 * than QS_TAKEOVER_SECONDS. */
gboolean    qs_user_claimable      (const QsStoreUser *user);

/* Handlers */
void qs_handle_signup             (QsRequest *req);
void qs_handle_signin             (QsRequest *req);
void qs_handle_signout            (QsRequest *req);
void qs_handle_me_get             (QsRequest *req);
void qs_handle_me_patch           (QsRequest *req);
void qs_handle_me_password        (QsRequest *req);
void qs_handle_me_invitations     (QsRequest *req);
void qs_handle_me_verification_email  (QsRequest *req);
void qs_handle_email_verification     (QsRequest *req);
void qs_handle_password_reset_request (QsRequest *req);
void qs_handle_password_reset_confirm (QsRequest *req);
void qs_handle_verify_page        (QsRequest *req, const char *token);
void qs_handle_reset_page         (QsRequest *req, const char *token);

void qs_handle_orgs_list          (QsRequest *req);
void qs_handle_orgs_create        (QsRequest *req);
void qs_handle_org_get            (QsRequest *req, const char *org_id);
void qs_handle_org_patch          (QsRequest *req, const char *org_id);
void qs_handle_org_delete         (QsRequest *req, const char *org_id);
void qs_handle_org_logo_put       (QsRequest *req, const char *org_id);
void qs_handle_org_logo_get       (QsRequest *req, const char *org_id);
void qs_handle_org_transfer       (QsRequest *req, const char *org_id);
void qs_handle_org_leave          (QsRequest *req, const char *org_id);
void qs_handle_members_list       (QsRequest *req, const char *org_id);
void qs_handle_member_get         (QsRequest *req, const char *org_id, const char *member_id);
void qs_handle_member_patch       (QsRequest *req, const char *org_id, const char *member_id);
void qs_handle_member_delete      (QsRequest *req, const char *org_id, const char *member_id);

void qs_handle_invitations_list   (QsRequest *req, const char *org_id);
void qs_handle_invitations_create (QsRequest *req, const char *org_id);
void qs_handle_invitation_resend  (QsRequest *req, const char *org_id, const char *inv_id);
void qs_handle_invitation_revoke  (QsRequest *req, const char *org_id, const char *inv_id);
void qs_handle_public_invitation  (QsRequest *req, const char *token);
void qs_handle_invitation_accept  (QsRequest *req, const char *token);
void qs_handle_invitation_setup   (QsRequest *req, const char *token);
void qs_handle_invitation_decline (QsRequest *req, const char *token);
void qs_handle_my_invitation_accept  (QsRequest *req, const char *inv_id);
void qs_handle_my_invitation_decline (QsRequest *req, const char *inv_id);
void qs_handle_invite_page        (QsRequest *req, const char *token);

/* Mail */
gboolean qs_mail_send_invitation  (QsServer    *server,
                                   const char  *to,
                                   const char  *org_name,
                                   const char  *org_slug,
                                   const char  *inviter_name,
                                   const char  *inviter_email,
                                   const char  *role,
                                   const char  *token,
                                   gint64       expires_at,
                                   const char  *inv_id);
gboolean qs_mail_send_email_token (QsServer    *server,
                                   const char  *kind,
                                   const char  *to,
                                   const char  *user_id,
                                   const char  *token,
                                   gint64       expires_at);

/* Demo */
gboolean qs_demo_seed             (QsServer    *server,
                                   GError     **error);

G_END_DECLS
