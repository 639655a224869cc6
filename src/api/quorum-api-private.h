/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "quorum-api-error.h"
#include "quorum-json-guard.h"
#include "quorum-api-types.h"

G_BEGIN_DECLS

/* Limits on what the server may send. Anything past them is treated as a
 * broken response, never truncated or half-used. */
#define QUORUM_JSON_MAX_ITEMS       1000
#define QUORUM_MAX_ID_BYTES         64
#define QUORUM_MAX_NAME_BYTES       1024
#define QUORUM_MAX_SLUG_BYTES       64
#define QUORUM_MAX_TOKEN_BYTES      512
#define QUORUM_MAX_TIME_BYTES       64
#define QUORUM_MAX_CURSOR_BYTES     1024
#define QUORUM_MAX_DETAIL_BYTES     4096
/* Money in cents and counts of credits: far past any real bill, well inside
 * gint64 and exact in a double, so formatting never overflows. */
#define QUORUM_MAX_CENTS            G_GINT64_CONSTANT (1000000000000000)

typedef enum
{
  QUORUM_JSON_REQUIRED = 0,
  QUORUM_JSON_NULLABLE = 1 << 0,  /* present, may be null */
  QUORUM_JSON_OPTIONAL = 1 << 1,  /* may be missing or null */
} QuorumJsonFlags;

typedef enum
{
  QUORUM_JSON_TEXT,     /* any non-empty UTF-8 without control characters */
  QUORUM_JSON_ID,       /* ASCII letters, digits, '_' and '-' */
  QUORUM_JSON_ANY,      /* any UTF-8, may be empty */
} QuorumJsonKind;

GError     *_quorum_api_error_new          (QuorumApiError    code,
                                            guint             http_status,
                                            const char       *code_string,
                                            guint             retry_after,
                                            const char       *message);
void        _quorum_api_error_set_detail   (GError           *error,
                                            const char       *detail);
void        _quorum_api_error_take_fields  (GError           *error,
                                            GStrv             fields,
                                            GStrv             messages);

JsonNode   *_quorum_json_parse             (const char       *data,
                                            gsize             length,
                                            GError          **error);
JsonObject *_quorum_json_get_root_object   (JsonNode         *node,
                                            const char       *what,
                                            GError          **error);
gboolean    _quorum_json_get_string        (JsonObject       *object,
                                            const char       *member,
                                            QuorumJsonFlags   flags,
                                            QuorumJsonKind    kind,
                                            gsize             max_bytes,
                                            char            **out,
                                            GError          **error);
gboolean    _quorum_json_get_enum          (JsonObject       *object,
                                            const char       *member,
                                            const char * const *allowed,
                                            const char      **out_interned,
                                            GError          **error);
gboolean    _quorum_json_get_role          (JsonObject       *object,
                                            const char       *member,
                                            const char      **out_name,
                                            GError          **error);
gboolean    _quorum_json_get_int           (JsonObject       *object,
                                            const char       *member,
                                            QuorumJsonFlags   flags,
                                            gint64            min,
                                            gint64            max,
                                            gint64           *out,
                                            GError          **error);
gboolean    _quorum_json_get_bool          (JsonObject       *object,
                                            const char       *member,
                                            gboolean         *out,
                                            GError          **error);
gboolean    _quorum_json_get_datetime      (JsonObject       *object,
                                            const char       *member,
                                            QuorumJsonFlags   flags,
                                            GDateTime       **out,
                                            GError          **error);
gboolean    _quorum_json_get_object        (JsonObject       *object,
                                            const char       *member,
                                            QuorumJsonFlags   flags,
                                            JsonObject      **out,
                                            GError          **error);
gboolean    _quorum_json_get_nullable_int  (JsonObject       *object,
                                            const char       *member,
                                            QuorumJsonFlags   flags,
                                            gint64            min,
                                            gint64            max,
                                            gboolean         *out_present,
                                            gint64           *out,
                                            GError          **error);
gboolean    _quorum_json_get_currency      (JsonObject       *object,
                                            const char       *member,
                                            char            **out,
                                            GError          **error);
JsonArray  *_quorum_json_get_items         (JsonObject       *object,
                                            GError          **error);
gboolean    _quorum_json_get_words         (JsonObject       *object,
                                            const char       *member,
                                            guint             max_items,
                                            gsize             max_bytes,
                                            GStrv            *out,
                                            GError          **error);
gboolean    _quorum_json_get_web_url       (JsonObject       *object,
                                            const char       *member,
                                            gsize             max_bytes,
                                            char            **out,
                                            GError          **error);


/* Used by the library and by its tests and fuzzers, never by the app. */
QuorumMember            *quorum_member_new_from_json             (JsonNode  *node,
                                                                  GError   **error);
QuorumMember            *quorum_member_new_placeholder           (void);
void                     quorum_member_fill                      (QuorumMember *self,
                                                                  QuorumMember *member);
QuorumOrganization      *quorum_organization_new_from_json       (JsonNode  *node,
                                                                  GError   **error);
QuorumInvitation        *quorum_invitation_new_from_json         (JsonNode  *node,
                                                                  GError   **error);
QuorumInvitationPreview *quorum_invitation_preview_new_from_json (JsonNode  *node,
                                                                  GError   **error);
QuorumPlan              *quorum_plan_new_from_json               (JsonNode  *node,
                                                                  GError   **error);
QuorumBilling           *quorum_billing_new_from_json            (JsonNode  *node,
                                                                  GError   **error);
QuorumInvoice           *quorum_invoice_new_from_json            (JsonNode  *node,
                                                                  GError   **error);
QuorumLedgerEntry       *quorum_ledger_entry_new_from_json       (JsonNode  *node,
                                                                  GError   **error);
QuorumUsageItem         *quorum_usage_item_new_from_json         (JsonNode  *node,
                                                                  GError   **error);
QuorumUser              *quorum_user_new_from_json               (JsonNode  *node,
                                                                  GError   **error);
QuorumApiKey            *quorum_api_key_new_from_json            (JsonNode  *node,
                                                                  GError   **error);
QuorumWebhook           *quorum_webhook_new_from_json            (JsonNode  *node,
                                                                  GError   **error);
QuorumDelivery          *quorum_delivery_new_from_json           (JsonNode  *node,
                                                                  GError   **error);
QuorumAuditEvent        *quorum_audit_event_new_from_json        (JsonNode  *node,
                                                                  GError   **error);
guint                    quorum_member_list_get_n_loaded         (QuorumMemberList *self);
guint                    _quorum_member_list_get_n_pages         (QuorumMemberList *self);

char                    *quorum_api_text_for_display             (const char     *text);
QuorumApiError           quorum_api_error_from_code              (const char     *code,
                                                                  guint           http_status);
const char              *quorum_api_error_to_code                (QuorumApiError  error);

/* The one reader of a body from the network (API answers, logos): never more
 * than @max_bytes in memory. */
void        quorum_read_bounded_async      (GInputStream        *stream,
                                            gsize                max_bytes,
                                            int                  io_priority,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GBytes     *quorum_read_bounded_finish     (GAsyncResult        *result,
                                            GError             **error);

void        _quorum_organization_set_etag  (QuorumOrganization *self,
                                            const char         *etag);
void        _quorum_billing_set_etag       (QuorumBilling      *self,
                                            const char         *etag);
void        _quorum_webhook_set_etag       (QuorumWebhook      *self,
                                            const char         *etag);

G_END_DECLS
