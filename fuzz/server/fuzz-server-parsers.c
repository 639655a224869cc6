/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <glib.h>

#include "quorum-server-forwarded.h"
#include "quorum-server-parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The billing bodies hold no memory of their own. */
static void
billing_patch_clear (QsBillingPatch *patch)
{
}

static void
top_up_clear (QsTopUp *top_up)
{
}

static void
api_key_rotate_clear (QsApiKeyRotate *rotate)
{
}

/* Every request-body parser of quorum-server (behind the JSON depth guard;
 * the /reset/<token> form too), plus the e-mail token check, the cursor
 * decoder and the logo sniffer and completeness checks, on
 * the same bytes. None may crash, leak or read out of
 * bounds, whatever the input. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autofree char *cursor = NULL;
  g_autofree char *sort_name = NULL;
  g_autofree char *id = NULL;
  gint64 rank = 0;
  guint width, height;

#define RUN(Type, parse, clear)                                  \
  {                                                              \
    g_autoptr(GPtrArray) errors = qs_field_errors_new ();        \
    Type value = { 0 };                                          \
    QsParseResult result = parse (text, size, &value, errors);   \
    g_assert (result != QS_PARSE_INVALID || errors->len > 0);    \
    g_assert (result != QS_PARSE_OK || errors->len == 0);        \
    clear (&value);                                              \
  }

  RUN (QsSignup, qs_parse_signup, qs_signup_clear)
  RUN (QsSignin, qs_parse_signin, qs_signin_clear)
  RUN (QsProfilePatch, qs_parse_profile_patch, qs_profile_patch_clear)
  RUN (QsPasswordChange, qs_parse_password_change, qs_password_change_clear)
  RUN (QsOrgFields, qs_parse_org_create, qs_org_fields_clear)
  RUN (QsOrgFields, qs_parse_org_patch, qs_org_fields_clear)
  RUN (QsOrgDelete, qs_parse_org_delete, qs_org_delete_clear)
  RUN (QsTransfer, qs_parse_transfer, qs_transfer_clear)
  RUN (QsMemberPatch, qs_parse_member_patch, qs_member_patch_clear)
  RUN (QsInvitationCreate, qs_parse_invitation_create, qs_invitation_create_clear)
  RUN (QsInvitationSetup, qs_parse_invitation_setup, qs_invitation_setup_clear)
  RUN (QsEmailToken, qs_parse_email_token, qs_email_token_clear)
  RUN (QsResetRequest, qs_parse_reset_request, qs_reset_request_clear)
  RUN (QsResetConfirm, qs_parse_reset_confirm, qs_reset_confirm_clear)
  RUN (QsResetConfirm, qs_parse_reset_form, qs_reset_confirm_clear)
  RUN (QsBillingPatch, qs_parse_billing_patch, billing_patch_clear)
  RUN (QsPlanChange, qs_parse_plan_change, qs_plan_change_clear)
  RUN (QsTopUp, qs_parse_top_up, top_up_clear)
  RUN (QsApiKeyCreate, qs_parse_api_key_create, qs_api_key_create_clear)
  RUN (QsApiKeyRotate, qs_parse_api_key_rotate, api_key_rotate_clear)
  RUN (QsWebhookFields, qs_parse_webhook_create, qs_webhook_fields_clear)
  RUN (QsWebhookFields, qs_parse_webhook_patch, qs_webhook_fields_clear)

#undef RUN

  /* The checks made before a logo is decoded. */
  {
    const char *type = qs_sniff_logo (data, size, &width, &height);

    qs_logo_is_complete (data, size, type);
    qs_logo_is_complete (data, size, "image/png");
    qs_logo_is_complete (data, size, "image/jpeg");
  }

  cursor = g_strndup (text, size);
  /* The token of a /verify/<token> or /reset/<token> path, or of a body. */
  if (qs_email_token_is_well_formed (cursor, "qrm_v_"))
    g_assert (strlen (cursor) == 49 && !qs_email_token_is_well_formed (cursor, "qrm_r_"));
  qs_email_token_is_well_formed (cursor, "qrm_r_");
  if (qs_cursor_decode (cursor, &rank, &sort_name, &id))
    {
      g_autofree char *again = qs_cursor_encode (rank, sort_name, id);
      g_assert (again != NULL);
    }
  g_clear_pointer (&id, g_free);
  g_clear_pointer (&sort_name, g_free);
  /* The members list by last activity: never taken for the other order. */
  if (qs_active_cursor_decode (cursor, &rank, &sort_name, &id))
    {
      g_autofree char *again = qs_active_cursor_encode (rank, sort_name, id);
      gint64 other_rank;
      char *other_name = NULL, *other_id = NULL;

      g_assert (again != NULL && rank >= 0 && g_str_has_prefix (id, "mem_"));
      g_assert (!qs_cursor_decode (cursor, &other_rank, &other_name, &other_id));
    }
  g_clear_pointer (&id, g_free);
  if (qs_invitation_cursor_decode (cursor, &rank, &id))
    {
      g_autofree char *again = qs_invitation_cursor_encode (rank, id);
      g_assert (again != NULL);
    }
  g_clear_pointer (&id, g_free);
  /* Usage and invoice cursors. */
  if (qs_key_cursor_decode (cursor, "mem_", &rank, &id))
    {
      g_autofree char *again = qs_key_cursor_encode (rank, id);
      g_assert (again != NULL && g_str_has_prefix (id, "mem_"));
    }

  /* X-Forwarded-For from a trusted proxy, and the same bytes as the
   * option's value: an address comes out, in canonical form. */
  {
    g_autoptr(GPtrArray) proxies = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GPtrArray) any = g_ptr_array_new_with_free_func (g_object_unref);
    g_autofree char *client = NULL;
    g_autoptr(GInetAddress) parsed = NULL;

    g_assert (qs_trusted_proxies_add (proxies, "127.0.0.1,10.0.0.0/8,::1", NULL));
    client = qs_forwarded_client (proxies, "127.0.0.1", cursor);
    parsed = g_inet_address_new_from_string (client);
    g_assert (parsed != NULL);
    qs_trusted_proxies_add (any, cursor, NULL);
    g_assert (any->len <= QS_TRUSTED_PROXIES_MAX);
  }

  return 0;
}
