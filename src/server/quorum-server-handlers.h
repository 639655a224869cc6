/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-server-request.h"

G_BEGIN_DECLS

/* Every route's handler, by file; quorum-server-routes.c says which path,
 * method and access each one answers. Path parameters come from
 * qs_request_param (). */

void qs_handle_signup                 (QsRequest *req);
void qs_handle_signin                 (QsRequest *req);
void qs_handle_signout                (QsRequest *req);
void qs_handle_me_get                 (QsRequest *req);
void qs_handle_me_patch               (QsRequest *req);
void qs_handle_me_password            (QsRequest *req);
void qs_handle_me_invitations         (QsRequest *req);
void qs_handle_me_verification_email  (QsRequest *req);
void qs_handle_email_verification     (QsRequest *req);
void qs_handle_password_reset_request (QsRequest *req);
void qs_handle_password_reset_confirm (QsRequest *req);
void qs_handle_verify_page            (QsRequest *req);
void qs_handle_reset_page             (QsRequest *req);
void qs_handle_orgs_list              (QsRequest *req);
void qs_handle_orgs_create            (QsRequest *req);
void qs_handle_org_get                (QsRequest *req);
void qs_handle_org_patch              (QsRequest *req);
void qs_handle_org_delete             (QsRequest *req);
void qs_handle_org_logo_put           (QsRequest *req);
void qs_handle_org_logo_get           (QsRequest *req);
void qs_handle_org_transfer           (QsRequest *req);
void qs_handle_org_leave              (QsRequest *req);
void qs_handle_members_list           (QsRequest *req);
void qs_handle_members_export         (QsRequest *req);
void qs_handle_member_get             (QsRequest *req);
void qs_handle_member_patch           (QsRequest *req);
void qs_handle_member_delete          (QsRequest *req);
void qs_handle_invitations_list       (QsRequest *req);
void qs_handle_invitations_create     (QsRequest *req);
void qs_handle_invitation_resend      (QsRequest *req);
void qs_handle_invitation_revoke      (QsRequest *req);
void qs_handle_public_invitation      (QsRequest *req);
void qs_handle_invitation_accept      (QsRequest *req);
void qs_handle_invitation_setup       (QsRequest *req);
void qs_handle_invitation_decline     (QsRequest *req);
void qs_handle_my_invitation_accept   (QsRequest *req);
void qs_handle_my_invitation_decline  (QsRequest *req);
void qs_handle_invite_page            (QsRequest *req);
void qs_handle_plans_list             (QsRequest *req);
void qs_handle_billing_get            (QsRequest *req);
void qs_handle_billing_patch          (QsRequest *req);
void qs_handle_billing_plan_put       (QsRequest *req);
void qs_handle_top_up_create          (QsRequest *req);
void qs_handle_usage_get              (QsRequest *req);
void qs_handle_invoices_list          (QsRequest *req);
void qs_handle_ledger_list            (QsRequest *req);
void qs_handle_invoice_pdf            (QsRequest *req);
void qs_handle_api_keys_list          (QsRequest *req);
void qs_handle_api_keys_create        (QsRequest *req);
void qs_handle_api_key_revoke         (QsRequest *req);
void qs_handle_api_key_rotate         (QsRequest *req);
void qs_handle_audit_events_list      (QsRequest *req);
void qs_handle_webhooks_list          (QsRequest *req);
void qs_handle_webhooks_create        (QsRequest *req);
void qs_handle_webhook_get            (QsRequest *req);
void qs_handle_webhook_patch          (QsRequest *req);
void qs_handle_webhook_delete         (QsRequest *req);
void qs_handle_webhook_deliveries     (QsRequest *req);
void qs_handle_webhook_resend         (QsRequest *req);
void qs_handle_webhook_test           (QsRequest *req);
void qs_handle_webhook_roll_secret    (QsRequest *req);

G_END_DECLS
