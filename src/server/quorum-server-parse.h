/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Request-body parsers and validators. They take raw bytes, never touch the
 * database or the network, and are what the fuzz target exercises.
 */

typedef enum
{
  QS_PARSE_OK = 0,
  QS_PARSE_MALFORMED,  /* 400 malformed_json: not UTF-8, not JSON */
  QS_PARSE_INVALID,    /* 422 validation_failed: see errors */
  QS_PARSE_TOO_DEEP,   /* 400 malformed_json: nested deeper than QUORUM_JSON_MAX_DEPTH */
} QsParseResult;

typedef struct
{
  char *field;
  char *code;
  char *message;
} QsFieldError;

typedef struct
{
  char *name;
  char *email;
  char *password;
  char *organization_name;  /* NULL when absent */
} QsSignup;

typedef struct
{
  char *email;
  char *password;
} QsSignin;

typedef struct
{
  char *name;
} QsProfilePatch;

typedef struct
{
  char *current_password;
  char *new_password;
} QsPasswordChange;

typedef struct
{
  char     *name;          /* NULL when absent (patch) */
  char     *slug;          /* NULL when absent */
  gboolean  has_logo_url;
  char     *logo_url;      /* NULL with has_logo_url: clear it */
} QsOrgFields;

typedef struct
{
  char *confirm_slug;
} QsOrgDelete;

typedef struct
{
  char *member_id;
} QsTransfer;

typedef struct
{
  char *role;    /* NULL when absent */
  char *status;  /* NULL when absent */
} QsMemberPatch;

typedef struct
{
  char *email;
  char *role;
} QsInvitationCreate;

typedef struct
{
  char *name;
  char *password;
} QsInvitationSetup;

/* POST /v1/email-verifications */
typedef struct
{
  char *token;
} QsEmailToken;

/* POST /v1/password-resets */
typedef struct
{
  char *email;
} QsResetRequest;

/* POST /v1/password-resets/confirm; the /reset/<token> form fills only the
 * password (its token is in the path). */
typedef struct
{
  char *token;
  char *password;
} QsResetConfirm;

/* Billing: amounts in cents. */
#define QS_MONEY_MAX_CENTS   G_GINT64_CONSTANT (100000000)  /* 1,000,000.00 */
#define QS_TOP_UP_MIN_CENTS  G_GINT64_CONSTANT (1)
#define QS_TOP_UP_MAX_CENTS  QS_MONEY_MAX_CENTS

/* PATCH …/billing */
typedef struct
{
  gboolean has_alert_field;         /* low_balance_alert_cents was sent */
  gboolean alert_off;               /* … as null */
  gint64   low_balance_alert_cents;
} QsBillingPatch;

/* PUT …/billing/plan */
typedef struct
{
  char *plan_id;
} QsPlanChange;

/* POST …/billing/top-ups */
typedef struct
{
  gint64 amount_cents;
} QsTopUp;

/* POST …/api-keys. scopes: QuorumScope flags (at least one). */
typedef struct
{
  char     *name;
  guint     scopes;
  gboolean  has_expires_at;   /* a time was given (not null, not left out) */
  gint64    expires_at;       /* Unix seconds; the caller checks it is future */
} QsApiKeyCreate;

/* POST …/api-keys/{id}/rotate */
#define QS_API_KEY_MAX_GRACE_SECONDS G_GINT64_CONSTANT (604800)  /* 7 days */
typedef struct
{
  gint64 old_expires_in_seconds;
} QsApiKeyRotate;
/* POST and PATCH …/webhooks: absent members stay NULL / FALSE. */
#define QS_WEBHOOK_DESCRIPTION_MAX 200

typedef struct
{
  char     *url;
  char    **events;          /* NULL when absent; never empty when set */
  gboolean  has_enabled;
  gboolean  enabled;
  char     *description;     /* NULL when absent */
} QsWebhookFields;

/* The event types a webhook can subscribe to (EventType in the spec). */
extern const char * const qs_webhook_event_types[];

void          qs_field_error_free        (QsFieldError *error);
GPtrArray    *qs_field_errors_new        (void);
void          qs_field_errors_add        (GPtrArray  *errors,
                                          const char *field,
                                          const char *code,
                                          const char *message);

QsParseResult qs_parse_signup            (const char *data, gsize len, QsSignup *out, GPtrArray *errors);
QsParseResult qs_parse_signin            (const char *data, gsize len, QsSignin *out, GPtrArray *errors);
QsParseResult qs_parse_profile_patch     (const char *data, gsize len, QsProfilePatch *out, GPtrArray *errors);
QsParseResult qs_parse_password_change   (const char *data, gsize len, QsPasswordChange *out, GPtrArray *errors);
QsParseResult qs_parse_org_create        (const char *data, gsize len, QsOrgFields *out, GPtrArray *errors);
QsParseResult qs_parse_org_patch         (const char *data, gsize len, QsOrgFields *out, GPtrArray *errors);
QsParseResult qs_parse_org_delete        (const char *data, gsize len, QsOrgDelete *out, GPtrArray *errors);
QsParseResult qs_parse_transfer          (const char *data, gsize len, QsTransfer *out, GPtrArray *errors);
QsParseResult qs_parse_member_patch      (const char *data, gsize len, QsMemberPatch *out, GPtrArray *errors);
QsParseResult qs_parse_invitation_create (const char *data, gsize len, QsInvitationCreate *out, GPtrArray *errors);
QsParseResult qs_parse_invitation_setup  (const char *data, gsize len, QsInvitationSetup *out, GPtrArray *errors);
QsParseResult qs_parse_email_token       (const char *data, gsize len, QsEmailToken *out, GPtrArray *errors);
QsParseResult qs_parse_reset_request     (const char *data, gsize len, QsResetRequest *out, GPtrArray *errors);
QsParseResult qs_parse_billing_patch     (const char *data, gsize len, QsBillingPatch *out, GPtrArray *errors);
QsParseResult qs_parse_plan_change       (const char *data, gsize len, QsPlanChange *out, GPtrArray *errors);
QsParseResult qs_parse_top_up            (const char *data, gsize len, QsTopUp *out, GPtrArray *errors);
QsParseResult qs_parse_api_key_create     (const char *data, gsize len, QsApiKeyCreate *out, GPtrArray *errors);
QsParseResult qs_parse_api_key_rotate     (const char *data, gsize len, QsApiKeyRotate *out, GPtrArray *errors);
/* An RFC 3339 time with a zone ("…Z" or an offset) as Unix seconds. */
gboolean      qs_parse_timestamp         (const char *text,
                                          gint64     *out);
QsParseResult qs_parse_reset_confirm     (const char *data, gsize len, QsResetConfirm *out, GPtrArray *errors);
QsParseResult qs_parse_webhook_create    (const char *data, gsize len, QsWebhookFields *out, GPtrArray *errors);
QsParseResult qs_parse_webhook_patch     (const char *data, gsize len, QsWebhookFields *out, GPtrArray *errors);
/* The /reset/<token> page's form (application/x-www-form-urlencoded):
 * password and password_confirm, which must match. */
QsParseResult qs_parse_reset_form        (const char *data, gsize len, QsResetConfirm *out, GPtrArray *errors);

/* TRUE when token is prefix (qrm_v_, qrm_r_) and 43 characters of unpadded
 * URL-safe base64: only such strings are ever looked up. */
gboolean      qs_email_token_is_well_formed (const char *token,
                                             const char *prefix);

void qs_signup_clear            (QsSignup *s);
void qs_signin_clear            (QsSignin *s);
void qs_profile_patch_clear     (QsProfilePatch *s);
void qs_password_change_clear   (QsPasswordChange *s);
void qs_org_fields_clear        (QsOrgFields *s);
void qs_org_delete_clear        (QsOrgDelete *s);
void qs_transfer_clear          (QsTransfer *s);
void qs_member_patch_clear      (QsMemberPatch *s);
void qs_invitation_create_clear (QsInvitationCreate *s);
void qs_invitation_setup_clear  (QsInvitationSetup *s);
void qs_email_token_clear       (QsEmailToken *s);
void qs_reset_request_clear     (QsResetRequest *s);
void qs_reset_confirm_clear     (QsResetConfirm *s);
void qs_plan_change_clear       (QsPlanChange *s);
void qs_api_key_create_clear    (QsApiKeyCreate *s);
void qs_webhook_fields_clear    (QsWebhookFields *s);

/* Members list cursor: (status rank, sort name, id). */
char         *qs_cursor_encode           (gint64      rank,
                                          const char *sort_name,
                                          const char *id);
gboolean      qs_cursor_decode           (const char  *cursor,
                                          gint64      *rank,
                                          char       **sort_name,
                                          char       **id);

/* Members list cursor in the order of sort=last_active: (last active, 0
 * for never; sort name, id). Neither decoder takes the other's cursor. */
char         *qs_active_cursor_encode    (gint64      last_active,
                                          const char *sort_name,
                                          const char *id);
gboolean      qs_active_cursor_decode    (const char  *cursor,
                                          gint64      *last_active,
                                          char       **sort_name,
                                          char       **id);

/* Invitations list cursor: (created_at, id), newest first. */
char         *qs_invitation_cursor_encode (gint64      created_at,
                                           const char *id);
gboolean      qs_invitation_cursor_decode (const char  *cursor,
                                           gint64      *created_at,
                                           char       **id);

/* A cursor of (number, key), for lists in other orders (usage, invoices);
 * decode checks that key starts with prefix. */
char         *qs_key_cursor_encode        (gint64      value,
                                           const char *key);
gboolean      qs_key_cursor_decode        (const char  *cursor,
                                           const char  *prefix,
                                           gint64      *value,
                                           char       **key);

/* Logo uploads: PNG or JPEG, 120 to 1800 pixels a side (3.24 Mpx at most). */
#define QS_LOGO_MIN_SIDE 120
#define QS_LOGO_MAX_SIDE 1800

/* "image/png" or "image/jpeg" with the dimensions the header declares, read
 * without decoding anything; NULL for anything else. */
const char   *qs_sniff_logo              (const guint8 *data,
                                          gsize         len,
                                          guint        *width,
                                          guint        *height);

/* Whether the image's container is whole: a PNG's image data inflates to
 * exactly what its header declares, a JPEG runs to its end marker. */
gboolean      qs_logo_is_complete        (const guint8 *data,
                                          gsize         len,
                                          const char   *type);

/* Decodes the image (its size checked again by the decoder before any pixel
 * is allocated) and encodes it again in the same format. NULL with
 * *error_code "unsupported_format" or "invalid_dimensions" when refused. */
GBytes       *qs_logo_reencode           (const guint8  *data,
                                          gsize          len,
                                          const char    *type,
                                          guint          width,
                                          guint          height,
                                          const char   **error_code);

G_END_DECLS

G_BEGIN_DECLS
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsApiKeyCreate, qs_api_key_create_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsSignup, qs_signup_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsSignin, qs_signin_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsProfilePatch, qs_profile_patch_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsPasswordChange, qs_password_change_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsOrgFields, qs_org_fields_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsOrgDelete, qs_org_delete_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsTransfer, qs_transfer_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsMemberPatch, qs_member_patch_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsInvitationCreate, qs_invitation_create_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsInvitationSetup, qs_invitation_setup_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsEmailToken, qs_email_token_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsResetRequest, qs_reset_request_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsResetConfirm, qs_reset_confirm_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsPlanChange, qs_plan_change_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsWebhookFields, qs_webhook_fields_clear)
G_END_DECLS
