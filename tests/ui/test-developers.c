/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-api-key-row.h"
#include "quorum-api-private.h"
#include "quorum-audit-row.h"
#include "quorum-create-key-dialog.h"
#include "quorum-deliveries-dialog.h"
#include "quorum-developers-page.h"
#include "quorum-secret-dialog.h"
#include "quorum-test-receiver.h"
#include "quorum-ui-test.h"
#include "quorum-utils-private.h"
#include "quorum-webhook-dialog.h"
#include "quorum-webhook-row.h"

/*
 * The Developers tab against the real server: Grace signs up here and owns
 * Hopper Labs (and is a plain member of Turing Works); the app signs in as
 * her. She creates a key and the test uses its secret against the API,
 * rotates and revokes keys and sees them refused, adds a webhook pointed at
 * a receiver of the test's own (the server runs with
 * --allow-insecure-webhooks) and sees its deliveries, and reads the audit
 * log. What the server holds is checked through a client of her own.
 */

#define PASSWORD "correct horse battery"

static QuorumApplication *app;
static QuorumTestServer *server;
static QuorumClient *grace;          /* the same person elsewhere */
static QuorumOrganization *organization;

static GtkWidget *
page_of (QuorumWindow *window)
{
  GtkWidget *page = ui_find (GTK_WIDGET (window), QUORUM_TYPE_DEVELOPERS_PAGE, NULL, NULL);

  g_assert_nonnull (page);
  return page;
}

static gboolean
page_loaded (gpointer data)
{
  GtkStack *stack = GTK_STACK (ui_find (data, GTK_TYPE_STACK, NULL, NULL));

  return quorum_developers_page_get_loaded (data) &&
         g_strcmp0 (gtk_stack_get_visible_child_name (stack), "content") == 0;
}

/* The window on Hopper Labs, its Developers tab chosen and loaded. */
static GtkWidget *
open_developers (void)
{
  QuorumWindow *window = ui_open_organization (app, quorum_organization_get_name (organization));
  AdwViewStack *stack = ADW_VIEW_STACK (ui_find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL, NULL));
  GtkWidget *page = page_of (window);

  /* An owner sees the tab. */
  g_assert_true (adw_view_stack_page_get_visible (ui_stack_page (stack, page)));
  adw_view_stack_set_visible_child_name (stack, "developers");
  ui_wait_until (page_loaded, page);
  return page;
}

/* A client that uses @secret as its token, as a script would. */
static QuorumOrganization *
get_org_with_key (const char *secret,
                  GError    **error)
{
  g_autoptr(QuorumClient) script = quorum_client_new (quorum_test_server_get_url (server));
  g_autoptr(GAsyncResult) result = NULL;

  quorum_client_set_token (script, secret);
  quorum_client_get_organization_async (script, quorum_organization_get_id (organization), NULL,
                                        ui_store_result, &result);
  return quorum_client_get_organization_finish (script, ui_wait_result (&result), error);
}

static QuorumApiKey *
listed_key (GtkWidget  *page,
            const char *name)
{
  GListModel *keys = quorum_developers_page_get_api_keys (QUORUM_DEVELOPERS_PAGE (page));

  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr(QuorumApiKey) key = g_list_model_get_item (keys, i);

      if (g_str_equal (quorum_api_key_get_name (key), name))
        return key;  /* the page keeps it */
    }
  return NULL;
}

typedef struct
{
  GtkWidget  *page;
  const char *name;
} Named;

static gboolean
key_listed (gpointer data)
{
  Named *n = data;

  return listed_key (n->page, n->name) != NULL;
}

static gboolean
key_gone (gpointer data)
{
  return !key_listed (data);
}

static QuorumSecretDialog *
wait_secret_dialog (void)
{
  ui_wait_until (ui_toplevel_shown, GSIZE_TO_POINTER (QUORUM_TYPE_SECRET_DIALOG));
  return QUORUM_SECRET_DIALOG (ui_toplevel_of_type (QUORUM_TYPE_SECRET_DIALOG));
}

static void
close_window (gpointer window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  quorum_test_drain_pending ();
}

/* Create Key… as a user fills it in; the secret dialog it ends in (the
 * secret is read from it before it goes). */
static char *
create_key_through_dialog (GtkWidget   *page,
                           const char  *name,
                           QuorumScope  scope)
{
  GtkWidget *dialog;
  QuorumSecretDialog *secret_dialog;
  g_autofree char *secret = NULL;
  Named n = { page, name };

  ui_click (ui_button (page, "_Create Key…"));
  ui_wait_until (ui_toplevel_shown, GSIZE_TO_POINTER (QUORUM_TYPE_CREATE_KEY_DIALOG));
  dialog = GTK_WIDGET (ui_toplevel_of_type (QUORUM_TYPE_CREATE_KEY_DIALOG));

  /* Nothing to create until a name and a scope are there. */
  g_assert_false (gtk_widget_get_sensitive (ui_button (dialog, "C_reate")));
  ui_type (dialog, "Name", name);
  g_assert_false (gtk_widget_get_sensitive (ui_button (dialog, "C_reate")));
  gtk_widget_activate (ui_row (dialog, quorum_scope_get_label (scope)));
  g_assert_cmpuint (quorum_create_key_dialog_get_scopes (QUORUM_CREATE_KEY_DIALOG (dialog)), ==, scope);
  ui_click (ui_button (dialog, "C_reate"));

  secret_dialog = wait_secret_dialog ();
  ui_wait_until (ui_toplevel_gone, GSIZE_TO_POINTER (QUORUM_TYPE_CREATE_KEY_DIALOG));
  secret = g_strdup (quorum_secret_dialog_get_secret (secret_dialog));
  g_assert_true (g_str_has_prefix (secret, "qrm_k_"));
  /* Shown as it is, in the dialog. */
  g_assert_nonnull (ui_find (GTK_WIDGET (secret_dialog), GTK_TYPE_LABEL, ui_match_label, secret));
  close_window (secret_dialog);

  ui_wait_until (key_listed, &n);
  /* Never kept with the list. */
  g_assert_null (quorum_api_key_get_secret (listed_key (page, name)));
  return g_steal_pointer (&secret);
}

/* Create a key in the dialog, and the secret it shows works for the API. */
static void
test_create_key_and_use_it (void)
{
  GtkWidget *page = open_developers ();
  g_autofree char *secret = create_key_through_dialog (page, "Deploy Bot", QUORUM_SCOPE_ORG_READ);
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) seen = get_org_with_key (secret, &error);
  QuorumApiKey *key = listed_key (page, "Deploy Bot");
  GtkWidget *row = ui_row (page, "Deploy Bot");

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_organization_get_id (seen), ==, quorum_organization_get_id (organization));
  /* Its row: the prefix (the secret's start), its scope, when. */
  g_assert_true (g_str_has_prefix (secret, quorum_api_key_get_prefix (key)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), quorum_api_key_get_prefix (key)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            quorum_scope_get_label (QUORUM_SCOPE_ORG_READ)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "never expires"));
  g_assert_false (quorum_api_key_row_get_due (QUORUM_API_KEY_ROW (row)));
}

typedef struct
{
  GdkClipboard *clipboard;
  char         *text;
  gboolean      done;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_read_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static char *
clipboard_text (GdkClipboard *clipboard)
{
  ClipboardRead read = { clipboard, NULL, FALSE };

  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &read);
  ui_wait_until (clipboard_read_done, &read);
  return read.text;
}

/* Copy puts the secret on the clipboard, which is cleared again when the
 * minute is up; what was copied after it stays. */
static void
test_secret_copy_and_clear (void)
{
  QuorumWindow *window = ui_open_organization (app, quorum_organization_get_name (organization));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  QuorumSecretDialog *dialog;
  g_autofree char *copied = NULL;
  g_autofree char *after = NULL;
  g_autofree char *kept = NULL;

  dialog = quorum_secret_dialog_new (GTK_WINDOW (window), "Copy", "Once", "qrm_k_test_secret_value");
  gtk_window_present (GTK_WINDOW (dialog));
  ui_click (ui_button (GTK_WIDGET (dialog), "_Copy"));
  copied = clipboard_text (clipboard);
  g_assert_cmpstr (copied, ==, "qrm_k_test_secret_value");
  quorum_clipboard_expire_secrets ();
  after = clipboard_text (clipboard);
  g_assert_cmpstr (after, !=, "qrm_k_test_secret_value");

  /* Copied over by the user meanwhile: left alone. */
  quorum_secret_dialog_copy (dialog);
  gdk_clipboard_set_text (clipboard, "something else");
  quorum_clipboard_expire_secrets ();
  kept = clipboard_text (clipboard);
  g_assert_cmpstr (kept, ==, "something else");
  close_window (dialog);
}

/* Rotate with "Stop it now": a new secret is shown; the old one is refused
 * and the new one works. */
static void
test_rotate_key (void)
{
  GtkWidget *page = open_developers ();
  g_autofree char *old_secret = create_key_through_dialog (page, "Rotating Bot", QUORUM_SCOPE_ORG_READ);
  QuorumApiKey *key = listed_key (page, "Rotating Bot");
  g_autofree char *heading = g_strdup_printf ("Rotate “%s”?", "Rotating Bot");
  QuorumSecretDialog *secret_dialog;
  g_autofree char *new_secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) seen = NULL;
  AdwMessageDialog *dialog;

  gtk_widget_activate_action (ui_row (page, "Rotating Bot"), "developers.rotate-key", "(ss)",
                              quorum_api_key_get_id (key), "Rotating Bot");
  dialog = ui_wait_message_dialog (heading);
  /* The grace period: "Stop it now" is the first choice. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ui_find (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN, NULL, NULL)), 0);
  ui_answer_message_dialog (heading, "rotate");

  secret_dialog = wait_secret_dialog ();
  new_secret = g_strdup (quorum_secret_dialog_get_secret (secret_dialog));
  close_window (secret_dialog);
  g_assert_cmpstr (new_secret, !=, old_secret);

  seen = get_org_with_key (old_secret, &error);
  g_assert_null (seen);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED);
  g_clear_error (&error);
  seen = get_org_with_key (new_secret, &error);
  g_assert_no_error (error);
}

/* Revoke asks first, then the key goes from the list and is refused. */
static void
test_revoke_key (void)
{
  GtkWidget *page = open_developers ();
  g_autofree char *secret = create_key_through_dialog (page, "Doomed Bot", QUORUM_SCOPE_ORG_READ);
  g_autofree char *id = g_strdup (quorum_api_key_get_id (listed_key (page, "Doomed Bot")));
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) seen = NULL;
  Named n = { page, "Doomed Bot" };

  /* Cancel keeps it. */
  gtk_widget_activate_action (ui_row (page, "Doomed Bot"), "developers.revoke-key", "(ss)", id, "Doomed Bot");
  ui_answer_message_dialog ("Revoke “Doomed Bot”?", "cancel");
  quorum_test_spin (200);
  g_assert_nonnull (listed_key (page, "Doomed Bot"));
  seen = get_org_with_key (secret, &error);
  g_assert_no_error (error);
  g_clear_object (&seen);

  gtk_widget_activate_action (ui_row (page, "Doomed Bot"), "developers.revoke-key", "(ss)", id, "Doomed Bot");
  ui_answer_message_dialog ("Revoke “Doomed Bot”?", "revoke");
  ui_wait_until (key_gone, &n);
  seen = get_org_with_key (secret, &error);
  g_assert_null (seen);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED);
}

/* A key older than 90 days says it is due for rotation; a newer one not. */
static void
test_due_for_rotation (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-12-06T00:00:00Z", NULL);
  g_autoptr(JsonNode) old_node = json_from_string (
    "{\"id\": \"key_1\", \"name\": \"Old\", \"prefix\": \"qrm_k_abcdef\", \"scopes\": [\"org:read\"], "
    "\"created_at\": \"2026-09-01T00:00:00Z\", \"expires_at\": null, \"last_used_at\": null, "
    "\"created_by\": {\"id\": \"usr_1\", \"name\": \"Ada\"}}", NULL);
  g_autoptr(JsonNode) new_node = json_from_string (
    "{\"id\": \"key_2\", \"name\": \"New\", \"prefix\": \"qrm_k_abcdef\", \"scopes\": [\"org:read\"], "
    "\"created_at\": \"2026-09-08T00:00:00Z\", \"expires_at\": null, \"last_used_at\": null, "
    "\"created_by\": {\"id\": \"usr_1\", \"name\": \"Ada\"}}", NULL);
  g_autoptr(QuorumApiKey) old_key = quorum_api_key_new_from_json (old_node, NULL);
  g_autoptr(QuorumApiKey) new_key = quorum_api_key_new_from_json (new_node, NULL);
  GtkWidget *old_row = g_object_ref_sink (quorum_api_key_row_new (old_key, now));
  GtkWidget *new_row = g_object_ref_sink (quorum_api_key_row_new (new_key, now));

  /* 96 and 89 days before "now". */
  g_assert_true (quorum_api_key_row_get_due (QUORUM_API_KEY_ROW (old_row)));
  g_assert_nonnull (ui_find (old_row, GTK_TYPE_LABEL, ui_match_label, "Due for rotation"));
  g_assert_false (quorum_api_key_row_get_due (QUORUM_API_KEY_ROW (new_row)));
  g_assert_null (ui_find (new_row, GTK_TYPE_LABEL, ui_match_label, "Due for rotation"));
  g_object_unref (old_row);
  g_object_unref (new_row);
}

/* A key whose creator lost access says "Inactive" and why, in words; an
 * active one neither. */
static void
test_inactive_key (void)
{
  static const struct { const char *reason; const char *words; } cases[] = {
    { "creator_suspended", "Inactive: Its creator is suspended" },
    { "creator_not_admin", "Inactive: Its creator is no longer an admin" },
    { "creator_removed", "Inactive: Its creator is no longer a member" },
    { "creator_elsewhere", "Inactive: It does not work now" },
  };
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-12-06T00:00:00Z", NULL);

  for (guint i = 0; i <= G_N_ELEMENTS (cases); i++)
    {
      gboolean active = i == G_N_ELEMENTS (cases);
      g_autofree char *json = g_strdup_printf (
        "{\"id\": \"key_1\", \"name\": \"CI\", \"prefix\": \"qrm_k_abcdef\", \"scopes\": [\"org:read\"], "
        "\"created_at\": \"2026-12-01T00:00:00Z\", \"expires_at\": null, \"last_used_at\": null, "
        "\"created_by\": {\"id\": \"usr_1\", \"name\": \"Ada\"}, \"active\": %s, \"inactive_reason\": %s%s%s}",
        active ? "true" : "false", active ? "" : "\"", active ? "null" : cases[i].reason, active ? "" : "\"");
      g_autoptr(JsonNode) node = json_from_string (json, NULL);
      g_autoptr(QuorumApiKey) key = quorum_api_key_new_from_json (node, NULL);
      GtkWidget *row = g_object_ref_sink (quorum_api_key_row_new (key, now));
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

      g_assert_nonnull (key);
      if (active)
        {
          g_assert_null (ui_find (row, GTK_TYPE_LABEL, ui_match_label, "Inactive"));
          g_assert_null (strstr (subtitle, "Inactive"));
        }
      else
        {
          g_assert_nonnull (ui_find (row, GTK_TYPE_LABEL, ui_match_label, "Inactive"));
          g_assert_true (g_str_has_suffix (subtitle, cases[i].words));
        }
      g_object_unref (row);
    }
}

static QuorumAuditEvent *
audit_event (const char *actor_kind,
             const char *action,
             const char *data)
{
  g_autofree char *json = g_strdup_printf (
    "{\"id\": \"evt_1\", \"actor\": {\"id\": \"usr_1\", \"name\": \"Ada Lovelace\", \"kind\": \"%s\"}, "
    "\"action\": \"%s\", \"target\": {\"type\": \"member\", \"id\": \"mem_1\", \"name\": \"Bob\"}, "
    "\"created_at\": \"2026-11-22T10:43:14Z\"%s}", actor_kind, action, data);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  return quorum_audit_event_new_from_json (node, NULL);
}

/* Audit events as sentences; unknown actions as they are. */
static void
test_audit_sentences (void)
{
  struct { const char *kind, *action, *data, *sentence; } cases[] = {
    { "user", "member.updated", ", \"data\": {\"role\": \"admin\"}", "Ada Lovelace changed Bob’s role to Admin" },
    { "user", "member.updated", "", "Ada Lovelace changed Bob’s membership" },
    { "user", "member.added", "", "Ada Lovelace added Bob" },
    { "api_key", "member.removed", "", "The API key “Ada Lovelace” removed Bob" },
    { "user", "api_key.created", "", "Ada Lovelace created the API key “Bob”" },
    { "user", "widget.frobbed", "", "Ada Lovelace: widget.frobbed (Bob)" },
    /* What an update changed, when the server says it. */
    { "user", "member.updated", ", \"changes\": {\"role\": {\"from\": \"member\", \"to\": \"admin\"}}",
      "Ada Lovelace changed Bob’s role from Member to Admin" },
    { "user", "member.updated", ", \"changes\": {\"status\": {\"from\": \"active\", \"to\": \"suspended\"}}",
      "Ada Lovelace suspended Bob" },
    { "user", "member.updated", ", \"changes\": {\"status\": {\"from\": \"suspended\", \"to\": \"active\"}}",
      "Ada Lovelace reactivated Bob" },
    { "user", "member.updated", ", \"changes\": {\"role\": {\"from\": \"admin\", \"to\": \"member\"},"
      " \"status\": {\"from\": \"active\", \"to\": \"suspended\"}}",
      "Ada Lovelace changed Bob’s role from Admin to Member and suspended them" },
    { "user", "organization.updated", ", \"changes\": {\"name\": {\"from\": \"Old\", \"to\": \"Hopper Labs\"}}",
      "Ada Lovelace renamed the organization to “Hopper Labs”" },
    { "user", "organization.updated", ", \"changes\": {\"slug\": {\"from\": \"old\", \"to\": \"hopper\"}}",
      "Ada Lovelace changed the organization’s address to “hopper”" },
    { "user", "organization.updated", "", "Ada Lovelace changed the organization’s name or address" },
    { "user", "billing.plan_changed", ", \"changes\": {\"plan\": {\"from\": \"pln_free\", \"to\": \"pln_team\"}}",
      "Ada Lovelace changed the plan from Free to Team" },
    { "user", "webhook.updated", ", \"changes\": {\"enabled\": {\"from\": true, \"to\": false}}",
      "Ada Lovelace turned off the webhook Bob" },
    { "user", "webhook.updated", ", \"changes\": {\"events\": {\"from\": [], \"to\": [\"member.added\"]}}",
      "Ada Lovelace changed the events of the webhook Bob to member.added" },
    /* A change this version does not know reads the general way. */
    { "user", "member.updated", ", \"changes\": {\"mood\": {\"from\": \"calm\", \"to\": \"glad\"}}",
      "Ada Lovelace changed Bob’s membership" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(QuorumAuditEvent) event = audit_event (cases[i].kind, cases[i].action, cases[i].data);
      g_autofree char *sentence = quorum_audit_row_describe (event);

      g_assert_cmpstr (sentence, ==, cases[i].sentence);
    }

  /* A rotation says until when the old secret works (the time as the
   * user's clock shows it). */
  {
    g_autoptr(QuorumAuditEvent) event = audit_event ("user", "api_key.rotated",
      ", \"changes\": {\"expires_at\": {\"from\": null, \"to\": \"2026-11-22T11:43:14Z\"}}");
    g_autofree char *sentence = quorum_audit_row_describe (event);
    g_autoptr(GDateTime) until = g_date_time_new_from_iso8601 ("2026-11-22T11:43:14Z", NULL);
    g_autofree char *exact = quorum_format_exact_time (until);
    g_autofree char *expected = g_strconcat ("Ada Lovelace rotated the API key “Bob”; the old secret works until ",
                                             exact, NULL);

    g_assert_cmpstr (sentence, ==, expected);
  }

  /* A name that would turn the sentence around is shown without its
   * bidirectional override. */
  {
    g_autoptr(JsonNode) node = json_from_string (
      "{\"id\": \"evt_2\", \"actor\": {\"id\": \"usr_2\", \"name\": \"Mallory\u202e\", \"kind\": \"user\"}, "
      "\"action\": \"member.removed\", \"target\": {\"type\": \"member\", \"id\": \"mem_2\", "
      "\"name\": \"Bob\u2066\"}, \"created_at\": \"2026-11-22T10:43:14Z\"}", NULL);
    g_autoptr(QuorumAuditEvent) event = quorum_audit_event_new_from_json (node, NULL);
    g_autofree char *sentence = quorum_audit_row_describe (event);

    g_assert_cmpstr (sentence, ==, "Mallory removed Bob");
  }
}

static gboolean
audit_row_holding (GtkWidget     *widget,
                   gconstpointer  text)
{
  return strstr (quorum_audit_row_get_text (QUORUM_AUDIT_ROW (widget)), text) != NULL;
}

static gboolean
audit_shows (gpointer data)
{
  Named *n = data;

  return ui_find (n->page, QUORUM_TYPE_AUDIT_ROW, audit_row_holding, n->name) != NULL;
}

static gboolean
audit_hides (gpointer data)
{
  return !audit_shows (data);
}

/* The audit log reads as sentences with Grace's name, newest first; the
 * filter keeps one action. */
static void
test_audit_log (void)
{
  GtkWidget *page = open_developers ();
  G_GNUC_UNUSED g_autofree char *secret = create_key_through_dialog (page, "Audited Bot", QUORUM_SCOPE_ORG_READ);
  Named created = { page, "Grace Hopper created the API key “Audited Bot”" };
  Named other = { page, "Grace Hopper created the API key “Deploy Bot”" };
  GtkWidget *row;
  const char *tooltip;

  ui_wait_until (audit_shows, &created);
  row = ui_find (page, QUORUM_TYPE_AUDIT_ROW, audit_row_holding, created.name);
  /* Relative time beside it, the exact one on hover. */
  g_assert_nonnull (ui_find (row, GTK_TYPE_LABEL, ui_match_label, "just now"));
  tooltip = gtk_widget_get_tooltip_text (ui_find (row, GTK_TYPE_LABEL, ui_match_label, "just now"));
  g_assert_nonnull (tooltip);
  g_assert_cmpstr (tooltip, !=, "just now");

  quorum_developers_page_set_audit_action (QUORUM_DEVELOPERS_PAGE (page), "api_key.revoked");
  ui_wait_until (audit_hides, &created);
  quorum_developers_page_set_audit_action (QUORUM_DEVELOPERS_PAGE (page), "api_key.created");
  ui_wait_until (audit_shows, &created);
  if (listed_key (page, "Deploy Bot") != NULL)
    ui_wait_until (audit_shows, &other);
  quorum_developers_page_set_audit_action (QUORUM_DEVELOPERS_PAGE (page), NULL);
}

/* The organization renamed by a script holding @secret. */
static void
rename_with_key (const char *secret,
                 const char *name)
{
  g_autoptr(QuorumClient) script = quorum_client_new (quorum_test_server_get_url (server));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuorumOrganization) renamed = NULL;
  g_autoptr(GError) error = NULL;

  quorum_client_set_token (script, secret);
  quorum_client_update_organization_async (script, quorum_organization_get_id (organization), NULL, name, NULL,
                                           NULL, NULL, ui_store_result, &result);
  renamed = quorum_client_update_organization_finish (script, ui_wait_result (&result), &error);
  g_assert_no_error (error);
}

static gboolean
match_actor_filter (GtkWidget     *widget,
                    gconstpointer  data)
{
  GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));

  return model != NULL && GTK_IS_STRING_LIST (model) &&
         g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), "Anyone") == 0;
}

/* The actor filter offers "Me". */
static gboolean
me_offered (gpointer page)
{
  GtkWidget *filter = ui_find (page, GTK_TYPE_DROP_DOWN, match_actor_filter, NULL);
  GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (filter));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), "Me") == 0)
      return TRUE;
  return FALSE;
}

/* The page's log has its first page (the newest changes) for its filters. */
static gboolean
log_settled (gpointer page)
{
  QuorumAuditLog *log = quorum_developers_page_get_audit_log (page);

  return log != NULL && !quorum_audit_log_get_loading (log) &&
         (quorum_audit_log_get_complete (log) || g_list_model_get_n_items (G_LIST_MODEL (log)) > 0);
}

/* The audit log filtered by who ("Anyone", "Me", the people and keys seen
 * in it) and by time: each choice asks the server again and the list
 * changes with it. */
static void
test_audit_filters (void)
{
  GtkWidget *page = open_developers ();
  g_autofree char *secret = create_key_through_dialog (page, "Filter Bot", QUORUM_SCOPE_ORG_WRITE);
  const char *key_id = quorum_api_key_get_id (listed_key (page, "Filter Bot"));
  const char *org_name = quorum_organization_get_name (organization);
  g_autofree char *renamed_text = g_strdup_printf ("The API key “Filter Bot” renamed the organization to “%s”",
                                                   org_name);
  Named created = { page, "Grace Hopper created the API key “Filter Bot”" };
  Named renamed = { page, renamed_text };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuorumUser) me = NULL;
  g_autoptr(GError) error = NULL;
  QuorumAuditLog *log;

  quorum_client_get_me_async (grace, NULL, ui_store_result, &result);
  me = quorum_client_get_me_finish (grace, ui_wait_result (&result), &error);
  g_assert_no_error (error);

  /* The key renames the organization and back: two changes by the key. */
  rename_with_key (secret, "Hopper Labs for a moment");
  rename_with_key (secret, org_name);

  /* A new time range is a new log: the key's changes of today show. */
  quorum_developers_page_set_audit_days (QUORUM_DEVELOPERS_PAGE (page), 1);
  ui_wait_until (log_settled, page);
  ui_wait_until (audit_shows, &renamed);
  ui_wait_until (audit_shows, &created);
  log = quorum_developers_page_get_audit_log (QUORUM_DEVELOPERS_PAGE (page));
  g_assert_nonnull (quorum_audit_log_get_since (log));
  g_assert_null (quorum_audit_log_get_actor_id (log));

  /* The key, seen in the log, is offered: only its changes. */
  g_assert_true (quorum_developers_page_set_audit_actor (QUORUM_DEVELOPERS_PAGE (page), key_id));
  ui_wait_until (log_settled, page);
  ui_wait_until (audit_shows, &renamed);
  ui_wait_until (audit_hides, &created);
  g_assert_cmpstr (quorum_audit_log_get_actor_id (quorum_developers_page_get_audit_log (QUORUM_DEVELOPERS_PAGE (page))),
                   ==, key_id);

  /* "Me": only Grace's. */
  ui_wait_until (me_offered, page);
  g_assert_true (quorum_developers_page_set_audit_actor (QUORUM_DEVELOPERS_PAGE (page), quorum_user_get_id (me)));
  ui_wait_until (log_settled, page);
  ui_wait_until (audit_shows, &created);
  ui_wait_until (audit_hides, &renamed);

  /* Someone never seen is not offered, and nothing changes. */
  g_assert_false (quorum_developers_page_set_audit_actor (QUORUM_DEVELOPERS_PAGE (page), "usr_nobody"));
  g_assert_cmpstr (quorum_audit_log_get_actor_id (quorum_developers_page_get_audit_log (QUORUM_DEVELOPERS_PAGE (page))),
                   ==, quorum_user_get_id (me));

  /* Anyone, all time: both again. */
  quorum_developers_page_set_audit_actor (QUORUM_DEVELOPERS_PAGE (page), NULL);
  quorum_developers_page_set_audit_days (QUORUM_DEVELOPERS_PAGE (page), 0);
  ui_wait_until (log_settled, page);
  ui_wait_until (audit_shows, &renamed);
  ui_wait_until (audit_shows, &created);
  log = quorum_developers_page_get_audit_log (QUORUM_DEVELOPERS_PAGE (page));
  g_assert_null (quorum_audit_log_get_since (log));
  g_assert_null (quorum_audit_log_get_actor_id (log));
}

static QuorumWebhook *
listed_webhook (GtkWidget  *page,
                const char *url)
{
  GListModel *webhooks = quorum_developers_page_get_webhooks (QUORUM_DEVELOPERS_PAGE (page));

  for (guint i = 0; i < g_list_model_get_n_items (webhooks); i++)
    {
      g_autoptr(QuorumWebhook) webhook = g_list_model_get_item (webhooks, i);

      if (g_str_equal (quorum_webhook_get_url (webhook), url))
        return webhook;  /* the page keeps it */
    }
  return NULL;
}

static gboolean
webhook_listed (gpointer data)
{
  Named *n = data;

  return listed_webhook (n->page, n->name) != NULL;
}

static gboolean
webhook_gone (gpointer data)
{
  return !webhook_listed (data);
}

static gboolean
webhook_disabled (gpointer data)
{
  Named *n = data;
  QuorumWebhook *webhook = listed_webhook (n->page, n->name);

  return webhook != NULL && !quorum_webhook_get_enabled (webhook);
}

static gboolean
receiver_got_one (gpointer data)
{
  return quorum_test_receiver_get_count (data) >= 1;
}

/* The newest delivery shown, once it is no longer pending (asking again
 * until then, as Reload does). */
static gboolean
delivery_settled (gpointer data)
{
  QuorumDeliveriesDialog *dialog = data;
  GListModel *deliveries = quorum_deliveries_dialog_get_deliveries (dialog);
  g_autoptr(QuorumDelivery) newest = NULL;

  if (g_list_model_get_n_items (deliveries) > 0)
    newest = g_list_model_get_item (deliveries, 0);
  if (newest != NULL && quorum_delivery_get_status (newest) != QUORUM_DELIVERY_PENDING)
    return TRUE;
  quorum_deliveries_dialog_reload (dialog);
  quorum_test_spin (100);
  return FALSE;
}

/* Add a webhook pointed at the test's receiver: its signing secret is shown
 * once and signs what arrives; Send Test arrives and is logged as
 * delivered; the switch turns it off on the server; Delete asks first. */
static void
test_webhook_delivery (void)
{
  GtkWidget *page = open_developers ();
  g_autoptr(QuorumTestReceiver) receiver = quorum_test_receiver_new ();
  const char *url = quorum_test_receiver_get_url (receiver);
  Named n = { page, url };
  GtkWidget *dialog;
  QuorumSecretDialog *secret_dialog;
  QuorumDeliveriesDialog *deliveries;
  g_autofree char *secret = NULL;
  g_autofree char *id = NULL;
  g_autoptr(QuorumDelivery) newest = NULL;
  GtkWidget *row;

  ui_click (ui_button (page, "_Add Webhook…"));
  ui_wait_until (ui_toplevel_shown, GSIZE_TO_POINTER (QUORUM_TYPE_WEBHOOK_DIALOG));
  dialog = GTK_WIDGET (ui_toplevel_of_type (QUORUM_TYPE_WEBHOOK_DIALOG));
  /* Checked as typed. */
  ui_type (dialog, "URL", "http://hooks.example.com/quorum");
  g_assert_cmpstr (quorum_webhook_dialog_get_error (QUORUM_WEBHOOK_DIALOG (dialog)), ==,
                   "The address must start with https://.");
  g_assert_false (gtk_widget_get_sensitive (ui_button (dialog, "_Save")));
  ui_type (dialog, "URL", url);
  g_assert_null (quorum_webhook_dialog_get_error (QUORUM_WEBHOOK_DIALOG (dialog)));
  ui_click (ui_button (dialog, "_Save"));

  secret_dialog = wait_secret_dialog ();
  secret = g_strdup (quorum_secret_dialog_get_secret (secret_dialog));
  g_assert_true (g_str_has_prefix (secret, "whsec_"));
  close_window (secret_dialog);
  ui_wait_until (webhook_listed, &n);
  id = g_strdup (quorum_webhook_get_id (listed_webhook (page, url)));
  row = ui_row (page, url);

  gtk_widget_activate_action (row, "developers.test-webhook", "s", id);
  ui_wait_until (receiver_got_one, receiver);
  g_assert_cmpstr (quorum_test_receiver_get_last_type (receiver), ==, "ping");
  g_assert_true (quorum_test_receiver_last_signed_with (receiver, secret));

  gtk_widget_activate_action (row, "developers.show-deliveries", "s", id);
  ui_wait_until (ui_toplevel_shown, GSIZE_TO_POINTER (QUORUM_TYPE_DELIVERIES_DIALOG));
  deliveries = QUORUM_DELIVERIES_DIALOG (ui_toplevel_of_type (QUORUM_TYPE_DELIVERIES_DIALOG));
  ui_wait_until (delivery_settled, deliveries);
  newest = g_list_model_get_item (quorum_deliveries_dialog_get_deliveries (deliveries), 0);
  g_assert_cmpint (quorum_delivery_get_status (newest), ==, QUORUM_DELIVERY_SUCCEEDED);
  g_assert_nonnull (ui_row (GTK_WIDGET (deliveries), "Test ping — delivered"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (ui_row (GTK_WIDGET (deliveries),
                                                                                 "Test ping — delivered"))),
                            "HTTP 200"));
  close_window (deliveries);

  /* The switch: off on the server, and in the list from its answer. */
  gtk_switch_set_active (quorum_webhook_row_get_switch (QUORUM_WEBHOOK_ROW (row)), FALSE);
  ui_wait_until (webhook_disabled, &n);

  gtk_widget_activate_action (ui_row (page, url), "developers.delete-webhook", "(ss)", id, url);
  ui_answer_message_dialog ("Delete the Webhook?", "delete");
  ui_wait_until (webhook_gone, &n);
}

/* Usable on a phone: the whole tab, loaded, fits in 360 px. */
static void
test_narrow (void)
{
  GtkWidget *page = open_developers ();
  int minimum;

  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("developers page: %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
}

typedef struct
{
  guint webhooks_status;
  guint keys_requests;
} FakeDevelopers;

/* A fake server: keys and the audit log empty, webhooks as it is told. */
static void
fake_developers_cb (SoupServer        *soup,
                    SoupServerMessage *message,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  FakeDevelopers *fake = user_data;
  static const char empty[] = "{\"items\": [], \"next_cursor\": null, \"total\": 0}";

  if (g_str_has_suffix (path, "/webhooks") && fake->webhooks_status != 200)
    {
      soup_server_message_set_status (message, fake->webhooks_status, NULL);
      return;
    }
  if (g_str_has_suffix (path, "/api-keys"))
    fake->keys_requests++;
  soup_server_message_set_status (message, 200, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, empty, strlen (empty));
}

/* A failing load: in place of the tab, "The server had a problem" with
 * Retry; the tab comes back by itself once the server is well (the first
 * load is automatic). */
static void
test_load_states (void)
{
  g_autoptr(SoupServer) soup = soup_server_new (NULL, NULL);
  FakeDevelopers fake = { 500, 0 };
  g_autofree char *url = NULL;
  g_autoptr(QuorumClient) client = NULL;
  g_autoptr(QuorumOrganization) org = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *page = g_object_new (QUORUM_TYPE_DEVELOPERS_PAGE, NULL);
  GtkWidget *error_page;

  soup_server_add_handler (soup, NULL, fake_developers_cb, &fake, NULL);
  url = quorum_test_soup_listen (soup, 0);
  client = quorum_client_new (url);
  quorum_client_set_token (client, "qrm_s_test");
  quorum_client_set_retry_policy (client, 1, 10, 10);
  node = json_from_string ("{\"id\": \"org_1\", \"name\": \"Fake\", \"slug\": \"fake\", \"logo_url\": null, "
                           "\"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": 3, \"role\": \"admin\"}", &error);
  g_assert_no_error (error);
  org = quorum_organization_new_from_json (node, &error);
  g_assert_no_error (error);

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), page);
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_present (GTK_WINDOW (window));
  quorum_developers_page_set_client (QUORUM_DEVELOPERS_PAGE (page), client);
  quorum_developers_page_set_organization (QUORUM_DEVELOPERS_PAGE (page), org);

  ui_wait_view (page, "error");
  error_page = ui_find (page, ADW_TYPE_STATUS_PAGE, NULL, NULL);
  g_assert_nonnull (ui_find (error_page, GTK_TYPE_LABEL, ui_match_label, "The server had a problem"));
  g_assert_true (ui_shown (ui_button (error_page, "_Retry")));
  g_assert_false (quorum_developers_page_get_loaded (QUORUM_DEVELOPERS_PAGE (page)));

  fake.webhooks_status = 200;
  ui_wait_view (page, "content");
  g_assert_true (quorum_developers_page_get_loaded (QUORUM_DEVELOPERS_PAGE (page)));
  /* Keys asked for again with the webhooks: one load, both lists. */
  g_assert_cmpuint (fake.keys_requests, >=, 2);
  g_assert_nonnull (ui_find (page, GTK_TYPE_LABEL, ui_match_label, "No API keys yet."));

  gtk_window_destroy (GTK_WINDOW (window));
  quorum_test_drain_pending ();
  soup_server_disconnect (soup);
}

/* Where Grace is a plain member the tab is not there, and the page asked
 * the server nothing. */
static void
test_member_sees_no_developers (void)
{
  QuorumWindow *window = ui_open_organization (app, "Turing Works");
  AdwViewStack *stack = ADW_VIEW_STACK (ui_find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL, NULL));
  GtkWidget *page = page_of (window);

  g_assert_false (adw_view_stack_page_get_visible (ui_stack_page (stack, page)));
  quorum_test_spin (300);
  g_assert_false (quorum_developers_page_get_loaded (QUORUM_DEVELOPERS_PAGE (page)));
  g_assert_null (quorum_developers_page_get_audit_log (QUORUM_DEVELOPERS_PAGE (page)));
  g_assert_cmpuint (g_list_model_get_n_items (quorum_developers_page_get_api_keys (QUORUM_DEVELOPERS_PAGE (page))),
                    ==, 0);
}

/* The address is checked as it is typed. */
static void
test_webhook_url_checked (void)
{
  struct { const char *url; gboolean ok; } cases[] = {
    { "https://hooks.example.com/quorum", TRUE },
    { "http://127.0.0.1:8080/hook", TRUE },
    { "http://[::1]:8080/hook", TRUE },
    { "http://hooks.example.com/quorum", FALSE },
    { "ftp://hooks.example.com/", FALSE },
    { "https://", FALSE },
    { "hooks.example.com", FALSE },
    { "https://user:pw@hooks.example.com/", FALSE },
    { "https://hooks.example.com/a b", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (cases[i].ok)
      g_assert_null (quorum_webhook_dialog_url_problem (cases[i].url));
    else
      g_assert_nonnull (quorum_webhook_dialog_url_problem (cases[i].url));
}

int
main (int   argc,
      char *argv[])
{
  const char *args[] = { "--allow-insecure-webhooks", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumAccount) account = NULL;
  g_autofree char *email = NULL;
  int ret;

  quorum_test_settings_init ();  /* before anything reads settings */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ui_ignore_focus_out_warnings ();

  server = quorum_test_server_start (args, &error);
  g_assert_no_error (error);

  email = ui_sign_up_owner_and_member (server, PASSWORD, &grace, &organization);

  app = ui_application_new ();
  account = ui_sign_in (app, quorum_test_server_get_url (server), email, PASSWORD);

  g_test_add_func ("/ui/developers/due-for-rotation", test_due_for_rotation);
  g_test_add_func ("/ui/developers/inactive-key", test_inactive_key);
  g_test_add_func ("/ui/developers/audit-sentences", test_audit_sentences);
  g_test_add_func ("/ui/developers/webhook-url-checked", test_webhook_url_checked);
  g_test_add_func ("/ui/developers/load-states", test_load_states);
  g_test_add_func ("/ui/developers/member-sees-no-developers", test_member_sees_no_developers);
  g_test_add_func ("/ui/developers/create-key-and-use-it", test_create_key_and_use_it);
  g_test_add_func ("/ui/developers/narrow", test_narrow);
  g_test_add_func ("/ui/developers/secret-copy-and-clear", test_secret_copy_and_clear);
  g_test_add_func ("/ui/developers/rotate-key", test_rotate_key);
  g_test_add_func ("/ui/developers/revoke-key", test_revoke_key);
  g_test_add_func ("/ui/developers/webhook-delivery", test_webhook_delivery);
  g_test_add_func ("/ui/developers/audit-log", test_audit_log);
  g_test_add_func ("/ui/developers/audit-filters", test_audit_filters);

  ret = g_test_run ();

  {
    QuorumWindow *window = ui_present (app);

    adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (ui_find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK,
                                                                    NULL, NULL)), "general");
    quorum_test_drain_pending ();
  }
  ui_close_windows (app);
  g_clear_object (&app);
  g_clear_object (&grace);
  g_clear_object (&organization);
  quorum_test_server_stop (server);
  return ret;
}
