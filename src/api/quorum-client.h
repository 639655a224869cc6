/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "quorum-api-types.h"
#include "quorum-api-key.h"
#include "quorum-audit-event.h"
#include "quorum-billing.h"
#include "quorum-delivery.h"
#include "quorum-invitation.h"
#include "quorum-invitation-preview.h"
#include "quorum-invoice.h"
#include "quorum-ledger-entry.h"
#include "quorum-member.h"
#include "quorum-organization.h"
#include "quorum-plan.h"
#include "quorum-role.h"
#include "quorum-usage-item.h"
#include "quorum-user.h"
#include "quorum-webhook.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_CLIENT (quorum_client_get_type ())
G_DECLARE_FINAL_TYPE (QuorumClient, quorum_client, QUORUM, CLIENT, GObject)

/* Largest response body the client reads; anything longer is an error. */
#define QUORUM_CLIENT_MAX_RESPONSE_BYTES (4 * 1024 * 1024)
#define QUORUM_CLIENT_TIMEOUT_SECONDS    30
/* Requests to one server that can be in flight together (as browsers). */
#define QUORUM_CLIENT_MAX_CONNS_PER_HOST 6
/* Largest document (an invoice PDF) the client streams to a file. */
#define QUORUM_CLIENT_MAX_DOCUMENT_BYTES (16 * 1024 * 1024)
/* The largest members export the client writes (about 2.5 million members
 * at 400 bytes a row, the most a row can take). */
#define QUORUM_CLIENT_MAX_EXPORT_BYTES (G_GUINT64_CONSTANT (1) << 30)

/* What the server accepts for one top-up: 0.01 … 1,000,000.00 (openapi
 * TopUpCreate). */
#define QUORUM_TOP_UP_MIN_CENTS 1
#define QUORUM_TOP_UP_MAX_CENTS 100000000

/* The longest an old key keeps working after a rotation (openapi
 * ApiKeyRotate): 7 days. */
#define QUORUM_API_KEY_MAX_GRACE_SECONDS (7 * 24 * 3600)

/* What quorum_client_update_webhook_async() does with "enabled". */
typedef enum
{
  QUORUM_WEBHOOK_KEEP,
  QUORUM_WEBHOOK_ENABLE,
  QUORUM_WEBHOOK_DISABLE,
} QuorumWebhookEnabled;

typedef enum
{
  QUORUM_USAGE_BY_DAY,
  QUORUM_USAGE_BY_MEMBER,
} QuorumUsageGrouping;

SoupSession  *quorum_client_get_default_session (void);

QuorumClient *quorum_client_new                 (const char   *base_url);
const char   *quorum_client_get_base_url        (QuorumClient *self);
void          quorum_client_set_token           (QuorumClient *self,
                                                 const char   *token);
gboolean      quorum_client_get_signed_in       (QuorumClient *self);
void          quorum_client_set_allow_insecure  (QuorumClient *self,
                                                 gboolean      allow_insecure);
gboolean      quorum_client_get_allow_insecure  (QuorumClient *self);
gboolean      quorum_client_url_is_insecure     (const char   *url);
void          quorum_client_set_retry_policy    (QuorumClient *self,
                                                 guint         max_attempts,
                                                 guint         base_delay_ms,
                                                 guint         max_delay_ms);

/* Answers asked for before they are needed (see quorum-client.c) */
void          quorum_client_prefetch_begin      (QuorumClient *self);
void          quorum_client_prefetch_end        (QuorumClient *self);
void          quorum_client_wait_prefetched_async  (QuorumClient        *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean      quorum_client_wait_prefetched_finish (QuorumClient        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void          quorum_client_prefetch_organization_to_open (QuorumClient *self,
                                                           const char   *preferred_id);
void          quorum_client_prefetch_drop       (QuorumClient *self);

/* The server itself: GET /health, no sign-in needed */
void                quorum_client_check_server_async         (QuorumClient         *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
char               *quorum_client_check_server_finish        (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* Identity */
void                quorum_client_sign_up_async              (QuorumClient         *self,
                                                              const char           *name,
                                                              const char           *email,
                                                              const char           *password,
                                                              const char           *organization_name,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumUser         *quorum_client_sign_up_finish             (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              char                **out_token,
                                                              QuorumOrganization  **out_organization,
                                                              GError              **error);
void                quorum_client_sign_in_async              (QuorumClient         *self,
                                                              const char           *email,
                                                              const char           *password,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumUser         *quorum_client_sign_in_finish             (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              char                **out_token,
                                                              GError              **error);
void                quorum_client_sign_out_async             (QuorumClient         *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            quorum_client_sign_out_finish            (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_get_me_async               (QuorumClient         *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumUser         *quorum_client_get_me_finish              (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_update_me_async            (QuorumClient         *self,
                                                              const char           *name,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumUser         *quorum_client_update_me_finish           (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_change_password_async      (QuorumClient         *self,
                                                              const char           *current_password,
                                                              const char           *new_password,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            quorum_client_change_password_finish     (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_list_my_invitations_async  (QuorumClient         *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray          *quorum_client_list_my_invitations_finish (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_accept_my_invitation_async  (QuorumClient         *self,
                                                               const char           *invitation_id,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
QuorumOrganization *quorum_client_accept_my_invitation_finish (QuorumClient         *self,
                                                               GAsyncResult         *result,
                                                               QuorumMember        **out_member,
                                                               GError              **error);
void                quorum_client_decline_my_invitation_async  (QuorumClient         *self,
                                                                const char           *invitation_id,
                                                                GCancellable         *cancellable,
                                                                GAsyncReadyCallback   callback,
                                                                gpointer              user_data);
gboolean            quorum_client_decline_my_invitation_finish (QuorumClient         *self,
                                                                GAsyncResult         *result,
                                                                GError              **error);

/* E-mail ownership and password reset */
void                quorum_client_resend_verification_async  (QuorumClient         *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            quorum_client_resend_verification_finish (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_verify_email_async         (QuorumClient         *self,
                                                              const char           *verification_token,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumUser         *quorum_client_verify_email_finish        (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_request_password_reset_async  (QuorumClient         *self,
                                                                 const char           *email,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean            quorum_client_request_password_reset_finish (QuorumClient         *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                quorum_client_confirm_password_reset_async  (QuorumClient         *self,
                                                                 const char           *reset_token,
                                                                 const char           *password,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
QuorumUser         *quorum_client_confirm_password_reset_finish (QuorumClient         *self,
                                                                 GAsyncResult         *result,
                                                                 char                **out_token,
                                                                 GError              **error);

/* Organizations */
void                quorum_client_list_organizations_async   (QuorumClient         *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray          *quorum_client_list_organizations_finish  (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_create_organization_async  (QuorumClient         *self,
                                                              const char           *name,
                                                              const char           *slug,
                                                              const char           *logo_url,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumOrganization *quorum_client_create_organization_finish (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_get_organization_async     (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumOrganization *quorum_client_get_organization_finish    (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_update_organization_async  (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *etag,
                                                              const char           *name,
                                                              const char           *slug,
                                                              const char           *logo_url,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumOrganization *quorum_client_update_organization_finish (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_upload_logo_async          (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              GBytes               *image,
                                                              const char           *content_type,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumOrganization *quorum_client_upload_logo_finish         (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_delete_organization_async  (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *confirm_slug,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            quorum_client_delete_organization_finish (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_transfer_ownership_async   (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *member_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            quorum_client_transfer_ownership_finish  (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_leave_organization_async   (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            quorum_client_leave_organization_finish  (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* Members */

/* What a members list or its export asks for; all zero: everyone, by name. */
typedef struct
{
  const char *query;          /* NULL or "": any; else in the name or e-mail, any case */
  QuorumRole  role;           /* QUORUM_ROLE_NONE: any */
  const char *status;         /* NULL: any; "active" or "suspended" */
  guint       inactive_days;  /* 0: any; 1–3650: not active for that many days, or never */
  const char *sort;           /* NULL or "name": by status and name; "last_active":
                               * never active first, then the longest inactive */
} QuorumMemberFilter;

#define QUORUM_MEMBER_FILTER_MAX_INACTIVE_DAYS 3650
/* The API's cap on `offset` (docs/api/openapi.yaml). */
#define QUORUM_MEMBER_LIST_MAX_OFFSET 10000000

void                quorum_client_list_members_at_async       (QuorumClient             *self,
                                                              const char               *organization_id,
                                                              const QuorumMemberFilter *filter,
                                                              guint                     offset,
                                                              guint                     limit,
                                                              GCancellable             *cancellable,
                                                              GAsyncReadyCallback       callback,
                                                              gpointer                  user_data);

void                quorum_client_list_members_filtered_async (QuorumClient        *self,
                                                              const char           *organization_id,
                                                              const QuorumMemberFilter *filter,
                                                              const char           *cursor,
                                                              guint                 limit,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
/* Progress of a members export: the bytes written to the stream so far,
 * and the members (CSV rows) they hold. */
typedef void (*QuorumExportProgressFunc) (guint64  bytes,
                                          guint    rows,
                                          gpointer user_data);

void                quorum_client_export_members_async       (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const QuorumMemberFilter *filter,
                                                              GOutputStream        *out,
                                                              QuorumExportProgressFunc progress,
                                                              gpointer              progress_data,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gssize              quorum_client_export_members_finish      (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              guint                *out_rows,
                                                              GError              **error);
void                quorum_client_save_members_csv_async     (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const QuorumMemberFilter *filter,
                                                              GFile                *file,
                                                              QuorumExportProgressFunc progress,
                                                              gpointer              progress_data,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gssize              quorum_client_save_members_csv_finish    (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              guint                *out_rows,
                                                              GError              **error);
void                quorum_client_list_members_async         (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *query,
                                                              QuorumRole            role,
                                                              const char           *status,
                                                              const char           *cursor,
                                                              guint                 limit,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray          *quorum_client_list_members_finish        (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              char                **out_next_cursor,
                                                              guint                *out_total,
                                                              GError              **error);
void                quorum_client_get_member_async           (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *member_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumMember       *quorum_client_get_member_finish          (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_update_member_async        (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *member_id,
                                                              QuorumRole            role,
                                                              const char           *status,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumMember       *quorum_client_update_member_finish       (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_remove_member_async        (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *member_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            quorum_client_remove_member_finish       (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* Invitations */
void                quorum_client_list_invitations_async     (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *status,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray          *quorum_client_list_invitations_finish    (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_create_invitation_async    (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *email,
                                                              QuorumRole            role,
                                                              const char           *idempotency_key,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumInvitation   *quorum_client_create_invitation_finish   (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_resend_invitation_async    (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *invitation_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumInvitation   *quorum_client_resend_invitation_finish   (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_revoke_invitation_async    (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *invitation_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            quorum_client_revoke_invitation_finish   (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_get_invitation_preview_async  (QuorumClient         *self,
                                                                 const char           *invitation_token,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
QuorumInvitationPreview *quorum_client_get_invitation_preview_finish (QuorumClient  *self,
                                                                      GAsyncResult  *result,
                                                                      GError       **error);
void                quorum_client_accept_invitation_async    (QuorumClient         *self,
                                                              const char           *invitation_token,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumOrganization *quorum_client_accept_invitation_finish   (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              QuorumMember        **out_member,
                                                              GError              **error);
void                quorum_client_setup_invitation_async     (QuorumClient         *self,
                                                              const char           *invitation_token,
                                                              const char           *name,
                                                              const char           *password,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumUser         *quorum_client_setup_invitation_finish    (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              char                **out_token,
                                                              QuorumOrganization  **out_organization,
                                                              GError              **error);
void                quorum_client_decline_invitation_async   (QuorumClient         *self,
                                                              const char           *invitation_token,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            quorum_client_decline_invitation_finish  (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* Billing */
void                quorum_client_list_plans_async           (QuorumClient         *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray          *quorum_client_list_plans_finish          (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_get_billing_async          (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumBilling      *quorum_client_get_billing_finish         (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_update_billing_async       (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *etag,
                                                              gint64                low_balance_alert_cents,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumBilling      *quorum_client_update_billing_finish      (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_change_plan_async          (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *plan_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumBilling      *quorum_client_change_plan_finish         (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
char               *quorum_client_new_idempotency_key        (void);
void                quorum_client_top_up_async               (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              gint64                amount_cents,
                                                              const char           *idempotency_key,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            quorum_client_top_up_finish              (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              gint64               *out_balance_cents,
                                                              GError              **error);
void                quorum_client_list_invoices_async        (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *cursor,
                                                              guint                 limit,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray          *quorum_client_list_invoices_finish       (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              char                **out_next_cursor,
                                                              guint                *out_total,
                                                              GError              **error);
void                quorum_client_list_ledger_async          (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *cursor,
                                                              guint                 limit,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray          *quorum_client_list_ledger_finish         (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              char                **out_next_cursor,
                                                              GError              **error);
void                quorum_client_download_invoice_pdf_async (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *invoice_id,
                                                              GOutputStream        *sink,
                                                              gsize                 max_bytes,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gssize              quorum_client_download_invoice_pdf_finish (QuorumClient        *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
void                quorum_client_save_invoice_pdf_async     (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *invoice_id,
                                                              GFile                *file,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gssize              quorum_client_save_invoice_pdf_finish    (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_get_usage_async            (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              GDateTime            *from,
                                                              GDateTime            *to,
                                                              QuorumUsageGrouping   group_by,
                                                              const char           *cursor,
                                                              guint                 limit,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray          *quorum_client_get_usage_finish           (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              char                **out_next_cursor,
                                                              guint                *out_total,
                                                              GError              **error);

/* Developers: API keys, webhooks, deliveries, the audit log */
void                quorum_client_list_api_keys_async        (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *cursor,
                                                              guint                 limit,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray          *quorum_client_list_api_keys_finish       (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              char                **out_next_cursor,
                                                              guint                *out_total,
                                                              GError              **error);
void                quorum_client_create_api_key_async       (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *name,
                                                              QuorumScope           scopes,
                                                              GDateTime            *expires_at,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumApiKey       *quorum_client_create_api_key_finish      (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_rotate_api_key_async       (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *api_key_id,
                                                              guint                 grace_seconds,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumApiKey       *quorum_client_rotate_api_key_finish      (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_revoke_api_key_async       (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *api_key_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            quorum_client_revoke_api_key_finish      (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_list_webhooks_async        (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *cursor,
                                                              guint                 limit,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray          *quorum_client_list_webhooks_finish       (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              char                **out_next_cursor,
                                                              guint                *out_total,
                                                              GError              **error);
void                quorum_client_create_webhook_async       (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *url,
                                                              const char * const   *events,
                                                              const char           *description,
                                                              gboolean              enabled,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumWebhook      *quorum_client_create_webhook_finish      (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_get_webhook_async          (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *webhook_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumWebhook      *quorum_client_get_webhook_finish         (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_update_webhook_async       (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *webhook_id,
                                                              const char           *etag,
                                                              const char           *url,
                                                              const char * const   *events,
                                                              const char           *description,
                                                              QuorumWebhookEnabled  enabled,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumWebhook      *quorum_client_update_webhook_finish      (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_delete_webhook_async       (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *webhook_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean            quorum_client_delete_webhook_finish      (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_test_webhook_async         (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *webhook_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumDelivery     *quorum_client_test_webhook_finish        (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_roll_webhook_secret_async  (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *webhook_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumWebhook      *quorum_client_roll_webhook_secret_finish (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_list_deliveries_async      (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *webhook_id,
                                                              const char           *cursor,
                                                              guint                 limit,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray          *quorum_client_list_deliveries_finish     (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              char                **out_next_cursor,
                                                              guint                *out_total,
                                                              GError              **error);
void                quorum_client_resend_delivery_async      (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *webhook_id,
                                                              const char           *delivery_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
QuorumDelivery     *quorum_client_resend_delivery_finish     (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void                quorum_client_list_audit_events_async    (QuorumClient         *self,
                                                              const char           *organization_id,
                                                              const char           *action,
                                                              const char           *actor_id,
                                                              GDateTime            *since,
                                                              GDateTime            *until,
                                                              const char           *cursor,
                                                              guint                 limit,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray          *quorum_client_list_audit_events_finish   (QuorumClient         *self,
                                                              GAsyncResult         *result,
                                                              char                **out_next_cursor,
                                                              guint                *out_total,
                                                              GError              **error);

G_END_DECLS
