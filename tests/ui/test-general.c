/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-general-page.h"
#include "quorum-org-switcher.h"
#include "quorum-request-status.h"
#include "quorum-ui-test.h"

/*
 * The General tab against the demo data (ada@demo.quorum.test owns Acme
 * Robotics, is an admin of Globex and a member of Initech): save, a
 * conflicting edit by someone else (412), slug rules and warning, the ID's
 * copy button, and the danger zone.
 */

#define DEMO_EMAIL    "ada@demo.quorum.test"
#define DEMO_PASSWORD "quorum-demo"

static QuorumApplication *app;
static QuorumTestServer *server;
static QuorumClient *ada;  /* the same person elsewhere, to check the server and to edit concurrently */

static GtkWidget *
page_of (QuorumWindow *window)
{
  GtkWidget *page = ui_find (GTK_WIDGET (window), QUORUM_TYPE_GENERAL_PAGE, NULL, NULL);

  g_assert_nonnull (page);
  return page;
}

static QuorumOrganization *
server_organization (const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuorumOrganization *organization;

  quorum_client_get_organization_async (ada, id, NULL, ui_store_result, &result);
  organization = quorum_client_get_organization_finish (ada, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  return organization;
}

/* Opens @name through the switcher, as picking it in the popover does. */
static QuorumWindow *
open_organization (const char *name)
{
  QuorumWindow *window = ui_present (app);

  ui_wait_state (window, "main");
  ui_activate_listed (window, name);
  ui_wait_organization (window, name);
  return window;
}

/* Save's own spinner, not the one of the Reload request's status bar. */
static gboolean
not_in_request_status (GtkWidget     *widget,
                       gconstpointer  data)
{
  return gtk_widget_get_ancestor (widget, QUORUM_TYPE_REQUEST_STATUS) == NULL;
}

static GtkWidget *
save_spinner (GtkWidget *page)
{
  return ui_find (page, GTK_TYPE_SPINNER, not_in_request_status, NULL);
}

static gboolean
saved (gpointer data)
{
  GtkWidget *page = data;

  return !gtk_widget_get_sensitive (ui_button (page, "Save")) &&
         !gtk_widget_get_visible (save_spinner (page));
}

static gboolean
conflict_shown (gpointer data)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (ui_find (data, GTK_TYPE_REVEALER, NULL, NULL)));
}

static gboolean
conflict_hidden (gpointer data)
{
  return !conflict_shown (data);
}

static gboolean
saved_or_refused (gpointer data)
{
  GtkWidget *page = data;

  return !gtk_widget_get_visible (save_spinner (page));
}

static void
test_save (void)
{
  QuorumWindow *window = open_organization ("Globex");
  GtkWidget *page = page_of (window);
  const char *id = quorum_organization_get_id (quorum_window_get_organization (window));
  g_autoptr(QuorumOrganization) after = NULL;

  g_assert_false (gtk_widget_get_sensitive (ui_button (page, "Save")));
  ui_type (page, "Name", "Globex Corporation");
  g_assert_true (gtk_widget_get_sensitive (ui_button (page, "Save")));
  ui_click (ui_button (page, "Save"));
  ui_wait_until (saved, page);

  after = server_organization (id);
  g_assert_cmpstr (quorum_organization_get_name (after), ==, "Globex Corporation");
  /* The switcher follows. */
  ui_wait_organization (window, "Globex Corporation");
}

static void
test_conflict_keeps_what_was_typed (void)
{
  QuorumWindow *window = open_organization ("Acme Robotics");
  GtkWidget *page = page_of (window);
  QuorumOrganization *shown = quorum_window_get_organization (window);
  g_autofree char *id = g_strdup (quorum_organization_get_id (shown));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) theirs = NULL;
  g_autoptr(QuorumOrganization) after = NULL;
  g_autofree char *logo_url = g_strdup_printf ("%s/acme.png", quorum_test_server_get_url (server));

  /* Someone else changes the logo meanwhile. */
  quorum_client_update_organization_async (ada, id, quorum_organization_get_etag (shown), NULL, NULL,
                                           logo_url, NULL, ui_store_result, &result);
  theirs = quorum_client_update_organization_finish (ada, ui_wait_result (&result), &error);
  g_assert_no_error (error);

  ui_type (page, "Name", "Acme Robotics International");
  ui_click (ui_button (page, "Save"));
  ui_wait_until (conflict_shown, page);

  /* Not saved, not lost. */
  g_assert_cmpstr (ui_text (page, "Name"), ==, "Acme Robotics International");
  {
    g_autoptr(QuorumOrganization) now = server_organization (id);

    g_assert_cmpstr (quorum_organization_get_name (now), ==, "Acme Robotics");
  }

  /* Reload: their logo comes in, the typed name stays, and saving now works. */
  ui_click (ui_button (page, "Reload"));
  ui_wait_until (conflict_hidden, page);
  g_assert_cmpstr (ui_text (page, "Name"), ==, "Acme Robotics International");
  g_assert_cmpstr (ui_text (page, "Logo URL"), ==, logo_url);
  ui_click (ui_button (page, "Save"));
  ui_wait_until (saved, page);
  g_assert_false (conflict_shown (page));

  after = server_organization (id);
  g_assert_cmpstr (quorum_organization_get_name (after), ==, "Acme Robotics International");
  g_assert_cmpstr (quorum_organization_get_logo_url (after), ==, logo_url);
}

static gboolean
is_error_row (GtkWidget     *widget,
              gconstpointer  data)
{
  return gtk_widget_has_css_class (widget, "error") && gtk_widget_get_visible (widget);
}

static gboolean
is_visible_warning (GtkWidget     *widget,
                    gconstpointer  data)
{
  return gtk_widget_has_css_class (widget, "warning") && gtk_widget_get_visible (widget);
}

static void
test_slug_rules_and_warning (void)
{
  QuorumWindow *window = open_organization ("Acme Robotics International");
  GtkWidget *page = page_of (window);
  GtkWidget *address = ui_row (page, "Public Address");
  g_autofree char *expected = g_strdup_printf ("%s/acme-robotics", quorum_test_server_get_url (server));

  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (address)), ==, expected);
  g_assert_null (ui_find (page, ADW_TYPE_PREFERENCES_ROW, ui_match_title,
                          "Changing the slug changes public URLs"));

  ui_type (page, "Slug", "Acme Robotics");
  g_assert_false (gtk_widget_get_sensitive (ui_button (page, "Save")));
  g_assert_true (gtk_widget_has_css_class (ui_row (page, "Slug"), "error"));
  /* …and says why, under the field. */
  {
    GtkWidget *hint = ui_find (page, ADW_TYPE_ACTION_ROW, is_error_row, NULL);

    g_assert_nonnull (hint);
    g_assert_true (gtk_widget_get_visible (hint));
    g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (hint)), "The slug"));
  }

  ui_type (page, "Slug", "acme");
  g_assert_true (gtk_widget_get_sensitive (ui_button (page, "Save")));
  g_assert_true (is_visible_warning (ui_row (page, "Changing the slug changes public URLs"), NULL));
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (address)), "/acme"));

  /* Back to the saved slug: no warning, nothing to save. */
  ui_type (page, "Slug", "acme-robotics");
  g_assert_false (gtk_widget_get_sensitive (ui_button (page, "Save")));
  g_assert_null (ui_find (page, ADW_TYPE_ACTION_ROW, is_visible_warning, NULL));
  g_assert_null (ui_find (page, ADW_TYPE_ACTION_ROW, is_error_row, NULL));
}

static void
text_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
text_ready (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_copy_id (void)
{
  QuorumWindow *window = open_organization ("Initech");
  GtkWidget *page = page_of (window);
  const char *id = quorum_organization_get_id (quorum_window_get_organization (window));
  g_autofree char *text = NULL;

  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (ui_row (page, "Organization ID"))), ==, id);
  ui_click (ui_find (ui_row (page, "Organization ID"), GTK_TYPE_BUTTON, NULL, NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (page), NULL, text_read_cb, &text);
  ui_wait_until (text_ready, &text);
  g_assert_cmpstr (text, ==, id);
}

static gboolean
organization_gone (gpointer data)
{
  QuorumWindow *window = data;
  QuorumOrganization *organization = quorum_window_get_organization (window);
  const char *gone = g_object_get_data (G_OBJECT (window), "gone");

  return organization != NULL && !quorum_window_is_loading (window) &&
         g_strcmp0 (quorum_organization_get_name (organization), gone) != 0;
}

static gboolean
dialog_with_heading_shown (gpointer data)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), data) == 0)
        {
          return TRUE;
        }
    }
  return FALSE;
}

/* The mapped message dialog with this heading, once it shows. */
static AdwMessageDialog *
wait_dialog (const char *heading)
{
  g_autoptr(GListModel) toplevels = NULL;

  ui_wait_until (dialog_with_heading_shown, (gpointer) heading);
  toplevels = g_object_ref (gtk_window_get_toplevels ());
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), heading) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_leave (void)
{
  QuorumWindow *window = open_organization ("Initech");
  GtkWidget *page = page_of (window);
  AdwMessageDialog *dialog;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) organizations = NULL;

  ui_click (ui_button (page, "Leave…"));
  dialog = wait_dialog ("Leave Initech?");
  adw_message_dialog_response (dialog, "leave");

  g_object_set_data (G_OBJECT (window), "gone", (gpointer) "Initech");
  ui_wait_until (organization_gone, window);

  quorum_client_list_organizations_async (ada, NULL, ui_store_result, &result);
  organizations = quorum_client_list_organizations_finish (ada, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < organizations->len; i++)
    g_assert_cmpstr (quorum_organization_get_name (organizations->pdata[i]), !=, "Initech");
}

static void
test_delete_needs_the_slug (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) doomed = NULL;
  QuorumWindow *window;
  GtkWidget *page;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  quorum_client_create_organization_async (ada, "Doomed Ventures", "doomed-ventures", NULL, NULL,
                                           ui_store_result, &result);
  doomed = quorum_client_create_organization_finish (ada, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  window = ui_present (app);
  g_action_group_activate_action (G_ACTION_GROUP (window), "retry", NULL);
  window = open_organization ("Doomed Ventures");
  page = page_of (window);

  ui_click (ui_button (page, "Delete…"));
  dialog = wait_dialog ("Delete Doomed Ventures?");
  entry = adw_message_dialog_get_extra_child (dialog);

  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Doomed Ventures");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "doomed-ventures");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "delete"));
  adw_message_dialog_response (dialog, "delete");

  g_object_set_data (G_OBJECT (window), "gone", (gpointer) "Doomed Ventures");
  ui_wait_until (organization_gone, window);

  quorum_client_get_organization_async (ada, quorum_organization_get_id (doomed), NULL, ui_store_result, &result);
  g_assert_null (quorum_client_get_organization_finish (ada, ui_wait_result (&result), &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == QUORUM_API_ERROR);
}

#include "quorum-transfer-dialog.h"

static gboolean
transfer_dialog_has_members (gpointer data)
{
  GtkWidget *list = ui_find (data, GTK_TYPE_LIST_BOX, NULL, NULL);

  return list != NULL && gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0) != NULL;
}

typedef struct
{
  QuorumWindow *window;
  QuorumRole    role;
} RoleIs;

static gboolean
role_is (gpointer data)
{
  RoleIs *r = data;
  QuorumOrganization *organization = quorum_window_get_organization (r->window);

  return organization != NULL && !quorum_window_is_loading (r->window) &&
         quorum_organization_get_role (organization) == r->role;
}

static void
test_transfer_ownership (void)
{
  QuorumWindow *window = open_organization ("Acme Robotics International");
  GtkWidget *page = page_of (window);
  GtkWindow *dialog;
  GtkWidget *list;
  GtkListBoxRow *row;
  const char *id = quorum_organization_get_id (quorum_window_get_organization (window));
  g_autoptr(QuorumOrganization) after = NULL;
  RoleIs admin = { window, QUORUM_ROLE_ADMIN };

  ui_click (ui_button (page, "Transfer…"));
  ui_wait_until (ui_toplevel_shown, GSIZE_TO_POINTER (QUORUM_TYPE_TRANSFER_DIALOG));
  dialog = ui_toplevel_of_type (QUORUM_TYPE_TRANSFER_DIALOG);
  ui_wait_until (transfer_dialog_has_members, dialog);

  /* Nothing to confirm until someone is picked; the owner is not offered. */
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "transfer"));
  list = ui_find (GTK_WIDGET (dialog), GTK_TYPE_LIST_BOX, NULL, NULL);
  g_assert_null (ui_find (list, ADW_TYPE_ACTION_ROW, ui_match_title, "Ada Lovelace"));
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
  gtk_list_box_select_row (GTK_LIST_BOX (list), row);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "transfer"));
  g_assert_nonnull (quorum_transfer_dialog_get_member (QUORUM_TRANSFER_DIALOG (dialog)));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "transfer");

  /* The same organization reopens with Ada as an admin: no more owner actions. */
  ui_wait_until (role_is, &admin);
  g_assert_cmpstr (quorum_organization_get_id (quorum_window_get_organization (window)), ==, id);
  g_assert_false (gtk_widget_get_visible (ui_row (page, "Transfer Ownership")));
  g_assert_false (gtk_widget_get_visible (ui_row (page, "Delete Organization")));
  g_assert_true (gtk_widget_get_visible (ui_row (page, "Leave Organization")));
  after = server_organization (id);
  g_assert_cmpint (quorum_organization_get_role (after), ==, QUORUM_ROLE_ADMIN);
}

static gboolean
avatars_show_logo (gpointer data)
{
  QuorumWindow *window = data;
  GtkWidget *switcher = ui_find (GTK_WIDGET (window), QUORUM_TYPE_ORG_SWITCHER, NULL, NULL);
  GtkWidget *button_avatar = ui_find (switcher, ADW_TYPE_AVATAR, NULL, NULL);
  GtkWidget *page_avatar = ui_find (page_of (window), ADW_TYPE_AVATAR, NULL, NULL);

  return adw_avatar_get_custom_image (ADW_AVATAR (button_avatar)) != NULL &&
         adw_avatar_get_custom_image (ADW_AVATAR (page_avatar)) != NULL;
}

static void
test_uploaded_logo_is_shown (void)
{
  QuorumWindow *window = open_organization ("Globex Corporation");
  const char *id = quorum_organization_get_id (quorum_window_get_organization (window));
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) uploaded = NULL;
  guchar *data = g_malloc (128 * 128 * 4);

  for (guint i = 0; i < 128 * 128; i++)
    {
      data[4 * i] = 0x35;
      data[4 * i + 1] = 0x84;
      data[4 * i + 2] = 0xe4;
      data[4 * i + 3] = 0xff;
    }
  pixels = g_bytes_new_take (data, 128 * 128 * 4);
  texture = gdk_memory_texture_new (128, 128, GDK_MEMORY_R8G8B8A8, pixels, 128 * 4);
  png = gdk_texture_save_to_png_bytes (texture);

  g_assert_null (adw_avatar_get_custom_image (ADW_AVATAR (ui_find (page_of (window), ADW_TYPE_AVATAR, NULL, NULL))));
  quorum_client_upload_logo_async (ada, id, png, "image/png", NULL, ui_store_result, &result);
  uploaded = quorum_client_upload_logo_finish (ada, ui_wait_result (&result), &error);
  g_assert_no_error (error);

  /* Once the app sees the new logo URL, the avatars show the image. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "retry", NULL);
  ui_wait_until (avatars_show_logo, window);
  g_assert_cmpstr (ui_text (page_of (window), "Logo URL"), ==, quorum_organization_get_logo_url (uploaded));
}

static gboolean
window_offline (gpointer data)
{
  return quorum_window_is_offline (data);
}

static gboolean
switcher_compact (gpointer data)
{
  return quorum_org_switcher_get_compact (data);
}

static gboolean
switcher_wide (gpointer data)
{
  return !quorum_org_switcher_get_compact (data);
}

/* Usable at 360 px: the whole window, header bar and all, with the
 * longest organization name of the demo data, on each tab. */
static void
test_window_fits_in_360_px (void)
{
  QuorumWindow *window = open_organization ("Acme Robotics International");
  AdwViewStack *stack = ADW_VIEW_STACK (ui_find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL, NULL));
  GtkWidget *switcher = ui_find (GTK_WIDGET (window), QUORUM_TYPE_ORG_SWITCHER, NULL, NULL);
  const char *tabs[] = { "general", "members", "billing", "developers" };
  int width, height;

  /* Wide, the name keeps room for 13 characters. */
  g_assert_false (quorum_org_switcher_get_compact (QUORUM_ORG_SWITCHER (switcher)));

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, height);
  ui_wait_until (switcher_compact, switcher);

  for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
    {
      int minimum;

      adw_view_stack_set_visible_child_name (stack, tabs[i]);
      /* The content: header bar and tab. The frame around it is the
       * window manager's or GTK's decoration, outside the 360 px. */
      gtk_widget_measure (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)),
                          GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_test_message ("%s: %d px", tabs[i], minimum);
      g_assert_cmpint (minimum, <=, 360);
    }
  adw_view_stack_set_visible_child_name (stack, "general");

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  ui_wait_until (switcher_wide, switcher);
}

static gboolean
window_settled (gpointer data)
{
  return !quorum_window_is_loading (data);
}

#define DISCARD_HEADING "Discard Unsaved Changes?"

static gboolean
discard_dialog_gone (gpointer data)
{
  return !dialog_with_heading_shown ((gpointer) DISCARD_HEADING);
}

static guint
n_discard_dialogs (void)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      n += ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
           g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), DISCARD_HEADING) == 0;
    }
  return n;
}

/* Answers the way a user does, with the dialog's button. */
static void
answer (const char *button)
{
  AdwMessageDialog *dialog = wait_dialog (DISCARD_HEADING);

  ui_click (ui_button (GTK_WIDGET (dialog), button));
  ui_wait_until (discard_dialog_gone, NULL);
}

/* A refresh must not slip the other side's change under the user's edit:
 * the conflict shows at once and Save does not overwrite theirs. */
static void
test_refresh_with_their_change_is_a_conflict (void)
{
  QuorumWindow *window = open_organization ("Globex Corporation");
  GtkWidget *page = page_of (window);
  QuorumOrganization *shown = quorum_window_get_organization (window);
  g_autofree char *id = g_strdup (quorum_organization_get_id (shown));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) theirs = NULL;

  ui_type (page, "Name", "Globex, mine");
  quorum_client_update_organization_async (ada, id, quorum_organization_get_etag (shown), "Globex, theirs",
                                           NULL, NULL, NULL, ui_store_result, &result);
  theirs = quorum_client_update_organization_finish (ada, ui_wait_result (&result), &error);
  g_assert_no_error (error);

  g_signal_emit_by_name (ui_find (GTK_WIDGET (window), QUORUM_TYPE_ORG_SWITCHER, NULL, NULL),
                         "organization-activated", shown);
  ui_wait_until (conflict_shown, page);
  ui_wait_until (window_settled, window);
  g_assert_cmpstr (ui_text (page, "Name"), ==, "Globex, mine");

  /* Saving now meets the conflict; theirs stays on the server. */
  ui_click (ui_button (page, "Save"));
  ui_wait_until (saved_or_refused, page);
  {
    g_autoptr(QuorumOrganization) now = server_organization (id);

    g_assert_cmpstr (quorum_organization_get_name (now), ==, "Globex, theirs");
  }
  g_assert_true (conflict_shown (page));

  /* Reload takes their version in; saving then is a choice made knowingly. */
  ui_click (ui_button (page, "Reload"));
  ui_wait_until (conflict_hidden, page);
  ui_type (page, "Name", "Globex Corporation");
  ui_click (ui_button (page, "Save"));
  ui_wait_until (saved, page);
  {
    g_autoptr(QuorumOrganization) now = server_organization (id);

    g_assert_cmpstr (quorum_organization_get_name (now), ==, "Globex Corporation");
  }
  ui_wait_organization (window, "Globex Corporation");
}

static void
test_switching_asks_before_discarding (void)
{
  QuorumWindow *window = open_organization ("Globex Corporation");
  GtkWidget *page = page_of (window);
  GtkWidget *switcher = ui_find (GTK_WIDGET (window), QUORUM_TYPE_ORG_SWITCHER, NULL, NULL);
  QuorumOrganization *other = ui_listed (QUORUM_ORG_SWITCHER (switcher), "Acme Robotics International");
  g_assert_nonnull (other);
  ui_type (page, "Name", "Globex, not saved yet");

  /* Going back keeps the organization and what was typed. */
  g_signal_emit_by_name (switcher, "organization-activated", other);
  answer ("_Cancel");
  g_assert_cmpstr (quorum_organization_get_name (quorum_window_get_organization (window)), ==,
                   "Globex Corporation");
  g_assert_cmpstr (ui_text (page, "Name"), ==, "Globex, not saved yet");

  /* Closing the window asks too, once however often it is asked. */
  gtk_window_close (GTK_WINDOW (window));
  wait_dialog (DISCARD_HEADING);
  gtk_window_close (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_cmpuint (n_discard_dialogs (), ==, 1);
  answer ("_Cancel");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  /* Discarding switches. */
  g_signal_emit_by_name (switcher, "organization-activated", other);
  answer ("_Discard");
  ui_wait_organization (window, "Acme Robotics International");
  g_assert_cmpstr (ui_text (page, "Name"), ==, "Acme Robotics International");
}

static void
test_refresh_keeps_what_was_typed (void)
{
  QuorumWindow *window = open_organization ("Globex Corporation");
  GtkWidget *page = page_of (window);

  ui_type (page, "Name", "Globex, typed before a refresh");

  /* Picking the organization shown fetches it again; nothing typed goes. */
  g_signal_emit_by_name (ui_find (GTK_WIDGET (window), QUORUM_TYPE_ORG_SWITCHER, NULL, NULL),
                         "organization-activated", quorum_window_get_organization (window));
  g_assert_true (quorum_window_is_loading (window));
  ui_wait_until (window_settled, window);
  g_assert_true (discard_dialog_gone (NULL));
  g_assert_cmpstr (ui_text (page, "Name"), ==, "Globex, typed before a refresh");
  g_assert_true (gtk_widget_get_sensitive (ui_button (page, "Save")));

  /* Put back, for the tests after this one. */
  ui_type (page, "Name", "Globex Corporation");
  g_assert_false (quorum_general_page_has_unsaved_changes (QUORUM_GENERAL_PAGE (page)));
}

#define STILL_WAITING "Still waiting for 127.0.0.1…"

static GBytes *
logo_png (void)
{
  guchar *data = g_malloc (128 * 128 * 4);
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (guint i = 0; i < 128 * 128; i++)
    {
      data[4 * i] = 0xe0;
      data[4 * i + 1] = 0x1b;
      data[4 * i + 2] = 0x24;
      data[4 * i + 3] = 0xff;
    }
  pixels = g_bytes_new_take (data, 128 * 128 * 4);
  texture = gdk_memory_texture_new (128, 128, GDK_MEMORY_R8G8B8A8, pixels, 128 * 4);
  return gdk_texture_save_to_png_bytes (texture);
}

/* An icon button: found by its id. */
static GtkWidget *
upload_button (GtkWidget *page)
{
  GObject *button = gtk_widget_get_template_child (page, QUORUM_TYPE_GENERAL_PAGE, "upload_button");

  g_assert_true (GTK_IS_BUTTON (button));
  return GTK_WIDGET (button);
}

/* The upload's request state, as the bar under the logo shows it. */
static QuorumRequestState *
logo_state (GtkWidget *page)
{
  GObject *status = gtk_widget_get_template_child (page, QUORUM_TYPE_GENERAL_PAGE, "logo_status");

  return quorum_request_status_get_state (QUORUM_REQUEST_STATUS (status));
}

static gboolean
logo_upload_ended (gpointer page)
{
  /* The button is insensitive from the call until the upload ends. */
  return gtk_widget_get_sensitive (upload_button (page)) && !quorum_request_state_get_running (logo_state (page));
}

/*
 * A logo upload while the server hangs: after 3 s the bar under the logo
 * says "Still waiting for 127.0.0.1…" with Cancel; Cancel keeps the logo
 * URL as it was and makes the upload button ready again; once the server
 * answers, the upload goes through.
 */
static void
test_logo_upload_while_hung (void)
{
  QuorumWindow *window = open_organization ("Globex Corporation");
  GtkWidget *page = page_of (window);
  g_autoptr(GBytes) png = logo_png ();
  g_autoptr(GFileIOStream) stream = NULL;
  g_autoptr(GFile) file = g_file_new_tmp ("quorum-logo-XXXXXX.png", &stream, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = g_strdup (ui_text (page, "Logo URL"));

  g_assert_nonnull (file);
  g_file_replace_contents (file, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL, FALSE,
                           G_FILE_CREATE_NONE, NULL, NULL, &error);
  g_assert_no_error (error);

  quorum_test_server_hang (server);
  quorum_general_page_upload_logo (QUORUM_GENERAL_PAGE (page), file);
  g_assert_false (gtk_widget_get_sensitive (upload_button (page)));
  quorum_test_wait_for (ui_shown_label (page, STILL_WAITING) != NULL, 10);
  g_assert_nonnull (ui_shown_button (page, "_Cancel"));

  /* Cancel: the logo as it was, the button ready again. */
  ui_click (ui_shown_button (page, "_Cancel"));
  g_assert_null (ui_shown_label (page, STILL_WAITING));
  g_assert_cmpstr (ui_text (page, "Logo URL"), ==, before);
  g_assert_true (gtk_widget_get_sensitive (upload_button (page)));

  /* Answering again: the upload goes through. */
  quorum_test_server_resume (server);
  quorum_general_page_upload_logo (QUORUM_GENERAL_PAGE (page), file);
  g_assert_false (gtk_widget_get_sensitive (upload_button (page)));
  ui_wait_until (logo_upload_ended, page);
  g_assert_cmpint (quorum_request_state_get_phase (logo_state (page)), ==, QUORUM_REQUEST_PHASE_IDLE);
  g_assert_null (ui_shown_label (page, "Could not upload"));
  g_assert_true (gtk_widget_get_sensitive (upload_button (page)));
  g_file_delete (file, NULL, NULL);
}

/*
 * Save while the server hangs: after 3 s the bar above Save says "Still
 * waiting for 127.0.0.1…" with Cancel; Cancel keeps the typed name and
 * makes Save ready again, and saves nothing; once the server answers,
 * Save saves.
 */
static void
test_save_while_hung (void)
{
  QuorumWindow *window = open_organization ("Globex Corporation");
  GtkWidget *page = page_of (window);
  g_autofree char *id = g_strdup (quorum_organization_get_id (quorum_window_get_organization (window)));
  g_autoptr(QuorumOrganization) after = NULL;

  ui_type (page, "Name", "Globex While Hung");
  quorum_test_server_hang (server);
  ui_click (ui_button (page, "Save"));
  g_assert_null (ui_shown_label (page, STILL_WAITING));
  g_assert_true (gtk_widget_get_visible (save_spinner (page)));

  quorum_test_wait_for (ui_shown_label (page, STILL_WAITING) != NULL, 10);
  g_assert_nonnull (ui_shown_button (page, "_Cancel"));
  g_assert_false (gtk_widget_get_sensitive (ui_button (page, "Save")));

  /* Cancel: what was typed stays, Save is ready again. */
  ui_click (ui_shown_button (page, "_Cancel"));
  g_assert_null (ui_shown_label (page, STILL_WAITING));
  g_assert_cmpstr (ui_text (page, "Name"), ==, "Globex While Hung");
  g_assert_false (gtk_widget_get_visible (save_spinner (page)));
  g_assert_true (gtk_widget_get_sensitive (ui_button (page, "Save")));
  g_assert_true (quorum_general_page_has_unsaved_changes (QUORUM_GENERAL_PAGE (page)));

  /* Answering again: Save saves. */
  quorum_test_server_resume (server);
  ui_click (ui_button (page, "Save"));
  ui_wait_until (saved, page);
  g_assert_false (conflict_shown (page));
  g_assert_null (ui_shown_label (page, "Could not save"));
  after = server_organization (id);
  g_assert_cmpstr (quorum_organization_get_name (after), ==, "Globex While Hung");
  ui_wait_organization (window, "Globex While Hung");

  /* As the next test expects it. */
  ui_type (page, "Name", "Globex Corporation");
  ui_click (ui_button (page, "Save"));
  ui_wait_until (saved, page);
  ui_wait_organization (window, "Globex Corporation");
}

static gboolean
is_offline_banner (GtkWidget     *widget,
                   gconstpointer  data)
{
  GtkWidget *child = gtk_revealer_get_child (GTK_REVEALER (widget));

  return child != NULL && gtk_widget_has_css_class (child, "offline-banner");
}

static void
test_offline_banner_keeps_the_page (void)
{
  QuorumWindow *window = open_organization ("Globex Corporation");
  GtkWidget *page = page_of (window);
  GtkWidget *banner = ui_find (GTK_WIDGET (window), GTK_TYPE_REVEALER, is_offline_banner, NULL);

  ui_type (page, "Name", "Typed while offline");
  quorum_test_server_stop (server);
  server = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (window), "retry", NULL);
  ui_wait_until (window_offline, window);

  /* A banner says so; the page and what was typed stay. */
  g_assert_nonnull (banner);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  g_assert_cmpstr (quorum_window_get_state (window), ==, "main");
  g_assert_cmpstr (ui_text (page, "Name"), ==, "Typed while offline");

  /* Save fails: said in the bar above Save, in composed words ("<what
   * failed>: could not connect to <host>"), with Retry; what was typed
   * stays. */
  {
    const char *words = "Could not save: could not connect to 127.0.0.1";

    ui_click (ui_button (page, "Save"));
    quorum_test_wait_for (ui_shown_label (page, words) != NULL, QUORUM_TEST_WAIT_SECONDS);
    g_assert_nonnull (ui_shown_button (page, "_Retry"));
    g_assert_cmpstr (ui_text (page, "Name"), ==, "Typed while offline");
    g_assert_true (gtk_widget_get_sensitive (ui_button (page, "Save")));
  }
}

int
main (int   argc,
      char *argv[])
{
  const char *args[] = { "--demo", "--demo-members=20", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumAccount) account = NULL;
  int ret;

  quorum_test_settings_init ();  /* before anything reads settings */
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  server = quorum_test_server_start (args, &error);
  g_assert_no_error (error);
  app = ui_application_new ();
  account = ui_sign_in (app, quorum_test_server_get_url (server), DEMO_EMAIL, DEMO_PASSWORD);
  ada = ui_other_client (quorum_test_server_get_url (server), DEMO_EMAIL, DEMO_PASSWORD);

  g_test_add_func ("/ui/general/save", test_save);
  g_test_add_func ("/ui/general/conflict-keeps-what-was-typed", test_conflict_keeps_what_was_typed);
  g_test_add_func ("/ui/general/slug-rules-and-warning", test_slug_rules_and_warning);
  g_test_add_func ("/ui/general/copy-id", test_copy_id);
  g_test_add_func ("/ui/general/leave", test_leave);
  g_test_add_func ("/ui/general/delete-needs-the-slug", test_delete_needs_the_slug);
  g_test_add_func ("/ui/general/transfer-ownership", test_transfer_ownership);
  g_test_add_func ("/ui/general/uploaded-logo-is-shown", test_uploaded_logo_is_shown);
  g_test_add_func ("/ui/general/window-fits-in-360-px", test_window_fits_in_360_px);
  g_test_add_func ("/ui/general/refresh-keeps-what-was-typed", test_refresh_keeps_what_was_typed);
  g_test_add_func ("/ui/general/refresh-with-their-change-is-a-conflict",
                   test_refresh_with_their_change_is_a_conflict);
  g_test_add_func ("/ui/general/switching-asks-before-discarding", test_switching_asks_before_discarding);
  g_test_add_func ("/ui/general/logo-upload-while-hung", test_logo_upload_while_hung);
  g_test_add_func ("/ui/general/save-while-hung", test_save_while_hung);
  /* Last: it stops the server. */
  g_test_add_func ("/ui/general/offline-banner-keeps-the-page", test_offline_banner_keeps_the_page);

  ret = g_test_run ();

  ui_close_windows (app);
  g_clear_object (&app);
  g_clear_object (&ada);
  if (server != NULL)
    quorum_test_server_stop (server);
  return ret;
}
