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
QsParseResult qs_parse_reset_confirm     (const char *data, gsize len, QsResetConfirm *out, GPtrArray *errors);
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

/* Members list cursor: (status rank, sort name, id). */
char         *qs_cursor_encode           (gint64      rank,
                                          const char *sort_name,
                                          const char *id);
gboolean      qs_cursor_decode           (const char  *cursor,
                                          gint64      *rank,
                                          char       **sort_name,
                                          char       **id);

/* Invitations list cursor: (created_at, id), newest first. */
char         *qs_invitation_cursor_encode (gint64      created_at,
                                           const char *id);
gboolean      qs_invitation_cursor_decode (const char  *cursor,
                                           gint64      *created_at,
                                           char       **id);

/* Logo sniffing: "image/png", "image/jpeg", "image/svg+xml" or NULL; width
 * and height are 0 for SVG. */
const char   *qs_sniff_logo              (const guint8 *data,
                                          gsize         len,
                                          guint        *width,
                                          guint        *height);

G_END_DECLS

G_BEGIN_DECLS
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
G_END_DECLS
