/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include <adwaita.h>

#include "quorum-api.h"
#include "quorum-api-private.h"
#include "quorum-invite-dialog.h"
#include "quorum-member-roster.h"
#include "quorum-member-row-private.h"
#include "quorum-members-page.h"
#include "quorum-request-status.h"
#include "quorum-test-server.h"
#include "quorum-ui-test.h"
#include "quorum-utils-private.h"

/*
 * The Members page against a real quorum-server seeded with the demo data:
 * ada@demo.quorum.test owns Acme Robotics (40 active members, 10 suspended,
 * 5 pending invitations), is an admin of Globex and a member of Initech.
 */

#define DEMO_EMAIL    "ada@demo.quorum.test"
#define DEMO_PASSWORD "quorum-demo"

static QuorumTestServer *server;
static QuorumClient *client;
static char *token;
static GPtrArray *organizations;

typedef struct
{
  GtkWindow         *window;
  AdwToastOverlay   *overlay;
  QuorumMembersPage *page;
} Fixture;

/* Helpers */


static QuorumOrganization *
organization_named (const char *name)
{
  for (guint i = 0; i < organizations->len; i++)
    if (g_strcmp0 (quorum_organization_get_name (g_ptr_array_index (organizations, i)), name) == 0)
      return g_ptr_array_index (organizations, i);
  g_assert_not_reached ();
  return NULL;
}

static void
collect_rows (GtkWidget *root,
              GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (QUORUM_IS_MEMBER_ROW (child))
        {
          if (gtk_widget_get_mapped (child) && quorum_member_row_get_item (QUORUM_MEMBER_ROW (child)) != NULL)
            g_ptr_array_add (rows, child);
        }
      else
        collect_rows (child, rows);
    }
}

/* The mapped rows, top to bottom. */
static GPtrArray *
visible_rows (Fixture *fixture)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (fixture->page), rows);
  return rows;
}

static gboolean
is_members_view (GtkWidget     *widget,
                 gconstpointer  data)
{
  GtkSelectionModel *model = gtk_list_view_get_model (GTK_LIST_VIEW (widget));

  /* Not the list inside a drop-down's popover. */
  return GTK_IS_MULTI_SELECTION (model);
}

static GListModel *
page_model (Fixture *fixture)
{
  GtkListView *view = GTK_LIST_VIEW (ui_find (GTK_WIDGET (fixture->page), GTK_TYPE_LIST_VIEW,
                                                  is_members_view, NULL));

  return G_LIST_MODEL (gtk_list_view_get_model (view));
}

static gboolean
is_page_stack (GtkWidget     *widget,
               gconstpointer  data)
{
  return gtk_stack_get_child_by_name (GTK_STACK (widget), "loading") != NULL;
}

static const char *
visible_stack_page (Fixture *fixture)
{
  GtkStack *stack = GTK_STACK (ui_find (GTK_WIDGET (fixture->page), GTK_TYPE_STACK, is_page_stack, NULL));

  return gtk_stack_get_visible_child_name (stack);
}

static GtkWidget *
invite_button (Fixture *fixture)
{
  GtkWidget *entry = ui_find (GTK_WIDGET (fixture->page), GTK_TYPE_SEARCH_ENTRY, NULL, NULL);

  /* Beside the search entry. */
  return gtk_widget_get_next_sibling (entry);
}

static gboolean
is_mapped (GtkWidget     *widget,
           gconstpointer  data)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  data)
{
  return gtk_widget_has_css_class (widget, data);
}

static gboolean
has_member_row (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GPtrArray) rows = visible_rows (fixture);

  for (guint i = 0; i < rows->len; i++)
    if (QUORUM_IS_MEMBER (quorum_member_row_get_item (g_ptr_array_index (rows, i))))
      return TRUE;
  return FALSE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (fixture->window, 700, 900);
  fixture->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  fixture->page = QUORUM_MEMBERS_PAGE (quorum_members_page_new ());
  adw_toast_overlay_set_child (fixture->overlay, GTK_WIDGET (fixture->page));
  adw_window_set_content (ADW_WINDOW (fixture->window), GTK_WIDGET (fixture->overlay));
  gtk_window_present (fixture->window);
  g_object_set (fixture->page, "client", client, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  quorum_test_drain_pending ();
}

static gboolean
model_count_is (gpointer data)
{
  gpointer *args = data;
  Fixture *fixture = args[0];

  return g_strcmp0 (visible_stack_page (fixture), "loading") != 0 &&
         g_list_model_get_n_items (page_model (fixture)) == GPOINTER_TO_UINT (args[1]);
}

static GPtrArray *server_members (const char *organization_name, const char *query);
static guint server_pending_invitations (const char *organization_name);

/* Everyone of the organization listed (pending invitations too, for those
 * who may see them) and rows on screen; returns how many items. */
static guint
show_organization (Fixture    *fixture,
                   const char *name)
{
  g_autoptr(GPtrArray) members = server_members (name, NULL);
  gpointer args[2] = { fixture, NULL };
  guint n = members->len;

  if (quorum_organization_get_role (organization_named (name)) != QUORUM_ROLE_MEMBER)
    n += server_pending_invitations (name);
  args[1] = GUINT_TO_POINTER (n);

  g_object_set (fixture->page, "organization", organization_named (name), NULL);
  ui_wait_until (model_count_is, args);
  ui_wait_until (has_member_row, fixture);
  return n;
}

/* Asks the server directly (not through the page). */
static GPtrArray *
server_members (const char *organization_name,
                const char *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *members;

  quorum_client_list_members_async (client, quorum_organization_get_id (organization_named (organization_name)),
                                    query, QUORUM_ROLE_NONE, NULL, NULL, 200, NULL, ui_store_result, &result);
  ui_wait_result (&result);
  members = quorum_client_list_members_finish (client, result, NULL, NULL, &error);
  g_assert_no_error (error);
  return members;
}

static guint
server_pending_invitations (const char *organization_name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) invitations = NULL;

  quorum_client_list_invitations_async (client, quorum_organization_get_id (organization_named (organization_name)),
                                        "pending", NULL, ui_store_result, &result);
  ui_wait_result (&result);
  invitations = quorum_client_list_invitations_finish (client, result, &error);
  g_assert_no_error (error);
  return invitations->len;
}

/* Tests */

static gboolean
first_row_is_invitation (gpointer data)
{
  g_autoptr(GPtrArray) rows = visible_rows (data);
  graphene_point_t point;

  if (rows->len == 0 || !QUORUM_IS_INVITATION (quorum_member_row_get_item (g_ptr_array_index (rows, 0))))
    return FALSE;
  /* ... and that row is inside the visible part of the list. */
  return gtk_widget_compute_point (g_ptr_array_index (rows, 0),
                                   GTK_WIDGET (ui_find (GTK_WIDGET (((Fixture *) data)->page),
                                                            GTK_TYPE_SCROLLED_WINDOW, NULL, NULL)),
                                   &GRAPHENE_POINT_INIT (0, 0), &point) &&
         point.y >= 0;
}

static void
test_rows_appear (Fixture       *fixture,
                  gconstpointer  data)
{
  GListModel *model;
  guint n;
  g_autoptr(GObject) last = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  n = show_organization (fixture, "Acme Robotics");
  model = page_model (fixture);
  g_assert_cmpstr (visible_stack_page (fixture), ==, "list");

  /* Invitations first, then members; suspended members at the bottom. */
  g_assert_cmpuint (n, ==, 5 + 1 + 40 + 10);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (i < 5)
        g_assert_true (QUORUM_IS_INVITATION (item));
      else
        g_assert_true (QUORUM_IS_MEMBER (item));
    }
  last = g_list_model_get_item (model, n - 1);
  g_assert_cmpstr (quorum_member_get_status (QUORUM_MEMBER (last)), ==, "suspended");

  /* The invitations are on screen at the top, even though they may arrive
   * after the first members. */
  ui_wait_until (first_row_is_invitation, fixture);

  /* The rows on screen show the server's names and e-mails. */
  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, >, 6);
  for (guint i = 0; i < rows->len; i++)
    {
      QuorumMemberRow *row = g_ptr_array_index (rows, i);
      GObject *item = quorum_member_row_get_item (row);
      const char *email = QUORUM_IS_MEMBER (item) ? quorum_member_get_email (QUORUM_MEMBER (item))
                                                  : quorum_invitation_get_email (QUORUM_INVITATION (item));
      /* The row draws its texts (no label widgets): it is on screen and
       * the e-mail is one of the texts it draws. */
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (row)));
      g_assert_true (_quorum_member_row_shows (row, email));

      /* Invitations are pending rows, shown at reduced opacity. */
      g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (row), "pending-row"), ==, QUORUM_IS_INVITATION (item));
    }
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  GtkEditable *entry;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(QuorumMember) sample = NULL;
  g_autofree char *query = NULL;
  gpointer args[2];
  GListModel *model;
  guint matching_invitations = 0;
  guint n_all;

  n_all = show_organization (fixture, "Acme Robotics");
  model = page_model (fixture);
  sample = g_list_model_get_item (model, 7);
  g_assert_true (QUORUM_IS_MEMBER (sample));

  /* The start of a first name, as a user would type it: the server decides. */
  query = g_utf8_strdown (quorum_member_get_name (sample), 4);
  expected = server_members ("Acme Robotics", query);
  g_assert_cmpuint (expected->len, >=, 1);
  g_assert_cmpuint (expected->len, <, 50);

  entry = GTK_EDITABLE (ui_find (GTK_WIDGET (fixture->page), GTK_TYPE_SEARCH_ENTRY, NULL, NULL));
  gtk_editable_set_text (entry, query);
  /* Debounced: nothing changes at once. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_all);

  /* Pending invitations whose address matches stay listed first. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(QuorumInvitation) invitation = g_list_model_get_item (model, i);

      if (strstr (quorum_invitation_get_email (invitation), query) != NULL)
        matching_invitations++;
    }

  args[0] = fixture;
  args[1] = GUINT_TO_POINTER (matching_invitations + expected->len);
  ui_wait_until (model_count_is, args);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(QuorumMember) member = g_list_model_get_item (model, matching_invitations + i);

      g_assert_true (QUORUM_IS_MEMBER (member));
      g_assert_cmpstr (quorum_member_get_id (member), ==, quorum_member_get_id (g_ptr_array_index (expected, i)));
    }

  /* Nobody matches: a status page says so. */
  gtk_editable_set_text (entry, "no-such-person-anywhere");
  args[1] = GUINT_TO_POINTER (0);
  ui_wait_until (model_count_is, args);
  g_assert_cmpstr (visible_stack_page (fixture), ==, "empty");
  {
    AdwStatusPage *status = ADW_STATUS_PAGE (ui_find (GTK_WIDGET (fixture->page), ADW_TYPE_STATUS_PAGE, NULL, NULL));

    g_assert_cmpstr (adw_status_page_get_title (status), ==, "No Results Found");
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status)));
  }

  /* Clearing the search brings everyone back; invitations match by e-mail. */
  gtk_editable_set_text (entry, "newcomers");
  args[1] = GUINT_TO_POINTER (5);
  ui_wait_until (model_count_is, args);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_true (QUORUM_IS_INVITATION (item));
    }

  gtk_editable_set_text (entry, "");
  args[1] = GUINT_TO_POINTER (n_all);
  ui_wait_until (model_count_is, args);
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  GtkDropDown *role;
  GtkDropDown *status;
  gpointer args[2] = { fixture, NULL };
  GListModel *model;

  show_organization (fixture, "Acme Robotics");
  model = page_model (fixture);
  role = GTK_DROP_DOWN (ui_find (GTK_WIDGET (fixture->page), GTK_TYPE_DROP_DOWN, NULL, NULL));
  status = GTK_DROP_DOWN (gtk_widget_get_next_sibling (GTK_WIDGET (role)));

  /* Suspended only: the ten suspended members, no invitations. */
  gtk_drop_down_set_selected (status, 2);
  args[1] = GUINT_TO_POINTER (10);
  ui_wait_until (model_count_is, args);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(QuorumMember) member = g_list_model_get_item (model, i);

      g_assert_cmpstr (quorum_member_get_status (member), ==, "suspended");
    }

  /* Owner: Ada alone. */
  gtk_drop_down_set_selected (status, 0);
  gtk_drop_down_set_selected (role, 1);
  args[1] = GUINT_TO_POINTER (1);
  ui_wait_until (model_count_is, args);
  {
    g_autoptr(QuorumMember) owner = g_list_model_get_item (model, 0);

    g_assert_cmpstr (quorum_member_get_email (owner), ==, DEMO_EMAIL);
  }
}

/* How many members with @role, and pending invitations for it, the server has. */
static guint
server_count_with_role (const char *organization_name,
                        QuorumRole  role)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) invitations_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) invitations = NULL;
  const char *id = quorum_organization_get_id (organization_named (organization_name));
  guint n;

  quorum_client_list_members_async (client, id, NULL, role, NULL, NULL, 200, NULL, ui_store_result, &result);
  ui_wait_result (&result);
  members = quorum_client_list_members_finish (client, result, NULL, NULL, &error);
  g_assert_no_error (error);
  n = members->len;

  quorum_client_list_invitations_async (client, id, "pending", NULL, ui_store_result, &invitations_result);
  ui_wait_result (&invitations_result);
  invitations = quorum_client_list_invitations_finish (client, invitations_result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < invitations->len; i++)
    if (quorum_invitation_get_role (g_ptr_array_index (invitations, i)) == role)
      n++;
  return n;
}

/* The role filter is its model's words, whatever their order: choosing
 * "admin" lists admins and admin invitations, and says "Admin". */
static void
test_role_filter_from_model (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *keys[] = { "admin", "member" };
  const char *labels[] = { "Admin", "Member" };
  const QuorumRole roles[] = { QUORUM_ROLE_ADMIN, QUORUM_ROLE_MEMBER };
  gpointer args[2] = { fixture, NULL };
  GtkDropDown *dropdown;
  GListModel *choices;
  GListModel *model;

  show_organization (fixture, "Acme Robotics");
  model = page_model (fixture);
  dropdown = GTK_DROP_DOWN (ui_find (GTK_WIDGET (fixture->page), GTK_TYPE_DROP_DOWN, NULL, NULL));
  choices = gtk_drop_down_get_model (dropdown);

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      guint position = GTK_INVALID_LIST_POSITION;
      guint expected = server_count_with_role ("Acme Robotics", roles[k]);

      for (guint i = 0; i < g_list_model_get_n_items (choices); i++)
        {
          g_autoptr(GtkStringObject) choice = g_list_model_get_item (choices, i);

          if (g_strcmp0 (gtk_string_object_get_string (choice), keys[k]) == 0)
            {
              g_auto(GValue) label = G_VALUE_INIT;

              position = i;
              g_assert_true (gtk_expression_evaluate (gtk_drop_down_get_expression (dropdown), choice, &label));
              g_assert_cmpstr (g_value_get_string (&label), ==, labels[k]);
            }
        }
      g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);

      gtk_drop_down_set_selected (dropdown, position);
      g_assert_cmpuint (expected, >, 0);
      args[1] = GUINT_TO_POINTER (expected);
      ui_wait_until (model_count_is, args);
      g_assert_cmpint (quorum_members_page_get_state (fixture->page), ==, QUORUM_MEMBERS_PAGE_STATE_LIST);
      for (guint i = 0; i < expected; i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (model, i);

          if (QUORUM_IS_INVITATION (item))
            g_assert_cmpint (quorum_invitation_get_role (QUORUM_INVITATION (item)), ==, roles[k]);
          else
            g_assert_cmpint (quorum_member_get_role (QUORUM_MEMBER (item)), ==, roles[k]);
        }
    }
}

static gboolean
row_has_menu (QuorumMemberRow *row)
{
  return quorum_member_row_has_menu (row);
}

static void
test_owner_sees_management (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  gboolean saw_owner = FALSE;

  show_organization (fixture, "Acme Robotics");
  g_assert_true (gtk_widget_get_visible (invite_button (fixture)));
  g_assert_true (gtk_widget_get_mapped (invite_button (fixture)));

  rows = visible_rows (fixture);
  for (guint i = 0; i < rows->len; i++)
    {
      QuorumMemberRow *row = g_ptr_array_index (rows, i);
      GObject *item = quorum_member_row_get_item (row);

      if (QUORUM_IS_MEMBER (item) && quorum_member_get_role (QUORUM_MEMBER (item)) == QUORUM_ROLE_OWNER)
        {
          /* Never a menu on the owner (here: oneself). */
          saw_owner = TRUE;
          g_assert_false (row_has_menu (row));
        }
      else
        g_assert_true (row_has_menu (row));
    }
  g_assert_true (saw_owner);

  /* The menu button of the last row on screen opens that row's menu. */
  {
    QuorumMemberRow *row = g_ptr_array_index (rows, rows->len - 1);
    GtkMenuButton *button = GTK_MENU_BUTTON (ui_find (GTK_WIDGET (row), GTK_TYPE_MENU_BUTTON, NULL, NULL));
    GtkPopover *popover;

    gtk_menu_button_popup (button);
    popover = gtk_menu_button_get_popover (button);
    g_assert_nonnull (popover);
    g_assert_true (gtk_menu_button_get_menu_model (button) == quorum_member_row_get_menu (row));
    ui_wait_until (ui_widget_mapped, popover);
    gtk_menu_button_popdown (button);
  }
}

static void
test_admin_sees_management (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  gboolean saw_self = FALSE;
  gboolean saw_owner = FALSE;

  show_organization (fixture, "Globex");
  g_assert_true (gtk_widget_get_visible (invite_button (fixture)));

  rows = visible_rows (fixture);
  for (guint i = 0; i < rows->len; i++)
    {
      QuorumMemberRow *row = g_ptr_array_index (rows, i);
      QuorumMember *member = QUORUM_MEMBER (quorum_member_row_get_item (row));

      if (g_str_equal (quorum_member_get_email (member), DEMO_EMAIL))
        {
          saw_self = TRUE;
          g_assert_false (row_has_menu (row));
        }
      else if (quorum_member_get_role (member) == QUORUM_ROLE_OWNER)
        {
          saw_owner = TRUE;
          g_assert_false (row_has_menu (row));
        }
      else
        {
          GMenuModel *menu = quorum_member_row_get_menu (row);
          g_autofree char *first = NULL;

          g_assert_nonnull (menu);
          g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_ACTION, "s", &first));
          g_assert_cmpstr (first, ==, "member.change-role");
        }
    }
  g_assert_true (saw_self);
  g_assert_true (saw_owner);
}

static void
test_member_sees_list_only (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  GListModel *model;

  show_organization (fixture, "Initech");
  g_assert_false (gtk_widget_get_visible (invite_button (fixture)));

  model = page_model (fixture);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_true (QUORUM_IS_MEMBER (item));
    }

  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, >, 3);
  for (guint i = 0; i < rows->len; i++)
    g_assert_false (row_has_menu (g_ptr_array_index (rows, i)));

  /* No Export…, and choosing rows offers no Suspend… or Remove…. */
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_next_sibling (invite_button (fixture))));
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), 0, FALSE);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "members.suspend-selected", NULL) &&
                  ui_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG) != NULL);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "members.export", NULL) &&
                  ui_toplevel_of_type (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (model));
}

static gboolean
dialog_has_error (gpointer data)
{
  return quorum_invite_dialog_get_error (data) != NULL;
}

static void
send_invite (QuorumInviteDialog *dialog,
             const char         *email,
             const char         *expected_error)
{
  GtkEditable *email_row = GTK_EDITABLE (ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, NULL, NULL));
  GtkWidget *error_label;

  gtk_editable_set_text (email_row, email);
  quorum_invite_dialog_send (dialog);
  ui_wait_until (dialog_has_error, dialog);

  g_assert_nonnull (strstr (quorum_invite_dialog_get_error (dialog), expected_error));
  /* Shown inline, the dialog still open with what was typed. */
  error_label = ui_find (GTK_WIDGET (dialog), GTK_TYPE_LABEL, has_css_class, "error");
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_mapped (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==, quorum_invite_dialog_get_error (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpstr (gtk_editable_get_text (email_row), ==, email);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (email_row), "error"));
}

static void
test_invite (Fixture       *fixture,
             gconstpointer  data)
{
  QuorumInviteDialog *dialog;
  g_autoptr(QuorumMember) member = NULL;
  g_autoptr(QuorumInvitation) invited = NULL;
  g_autofree char *fresh = quorum_test_unique_email ("invitee");
  GListModel *model;
  guint n_before;

  show_organization (fixture, "Acme Robotics");
  model = page_model (fixture);
  member = g_list_model_get_item (model, 8);
  invited = g_list_model_get_item (model, 0);
  g_assert_true (QUORUM_IS_MEMBER (member));
  g_assert_true (QUORUM_IS_INVITATION (invited));

  g_signal_emit_by_name (invite_button (fixture), "clicked");
  ui_wait_until (ui_toplevel_shown, GSIZE_TO_POINTER (QUORUM_TYPE_INVITE_DIALOG));
  dialog = QUORUM_INVITE_DIALOG (ui_toplevel_of_type (QUORUM_TYPE_INVITE_DIALOG));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == fixture->window);

  /* Checked here before anything is sent. */
  {
    GtkEditable *email_row = GTK_EDITABLE (ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, NULL, NULL));

    gtk_editable_set_text (email_row, "not an address");
    quorum_invite_dialog_send (dialog);
    g_assert_nonnull (strstr (quorum_invite_dialog_get_error (dialog), "valid e-mail"));
  }

  send_invite (dialog, quorum_member_get_email (member), "already a member");
  send_invite (dialog, quorum_invitation_get_email (invited), "already been invited");

  /* A new address: the dialog closes and the invitation is listed first. */
  n_before = g_list_model_get_n_items (model);
  quorum_invite_dialog_set_role (dialog, QUORUM_ROLE_ADMIN);
  {
    GtkEditable *email_row = GTK_EDITABLE (ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, NULL, NULL));

    gtk_editable_set_text (email_row, fresh);
  }
  quorum_invite_dialog_send (dialog);
  ui_wait_until (ui_toplevel_gone, GSIZE_TO_POINTER (QUORUM_TYPE_INVITE_DIALOG));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before + 1);
  {
    g_autoptr(GObject) first = g_list_model_get_item (model, 0);

    g_assert_true (QUORUM_IS_INVITATION (first));
    g_assert_cmpstr (quorum_invitation_get_email (QUORUM_INVITATION (first)), ==, fresh);
    g_assert_cmpint (quorum_invitation_get_role (QUORUM_INVITATION (first)), ==, QUORUM_ROLE_ADMIN);
  }

  /* Revoking it from its row removes it. */
  {
    g_autoptr(GPtrArray) rows = visible_rows (fixture);
    QuorumMemberRow *row = g_ptr_array_index (rows, 0);
    gpointer args[2] = { fixture, GUINT_TO_POINTER (n_before) };

    g_assert_true (QUORUM_IS_INVITATION (quorum_member_row_get_item (row)));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "invitation.revoke", NULL));
    ui_wait_until (model_count_is, args);
  }
}

typedef struct
{
  GListModel *model;
  const char *id;
  QuorumRole  role;
  const char *status;
} ItemState;

static gboolean
member_in_state (gpointer data)
{
  ItemState *state = data;

  for (guint i = 0; i < g_list_model_get_n_items (state->model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (state->model, i);

      if (QUORUM_IS_MEMBER (item) && g_str_equal (quorum_member_get_id (QUORUM_MEMBER (item)), state->id))
        return quorum_member_get_role (QUORUM_MEMBER (item)) == state->role &&
               g_str_equal (quorum_member_get_status (QUORUM_MEMBER (item)), state->status);
    }
  return FALSE;
}

static gboolean
member_gone (gpointer data)
{
  ItemState *state = data;

  for (guint i = 0; i < g_list_model_get_n_items (state->model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (state->model, i);

      if (QUORUM_IS_MEMBER (item) && g_str_equal (quorum_member_get_id (QUORUM_MEMBER (item)), state->id))
        return FALSE;
    }
  return TRUE;
}

static QuorumMemberRow *
row_for_member (Fixture    *fixture,
                const char *id)
{
  g_autoptr(GPtrArray) rows = visible_rows (fixture);

  for (guint i = 0; i < rows->len; i++)
    {
      GObject *item = quorum_member_row_get_item (g_ptr_array_index (rows, i));

      if (QUORUM_IS_MEMBER (item) && g_strcmp0 (quorum_member_get_id (QUORUM_MEMBER (item)), id) == 0)
        return g_ptr_array_index (rows, i);
    }
  return NULL;
}

static gboolean
row_shows (QuorumMemberRow *row,
           const char      *text)
{
  return _quorum_member_row_shows (row, text);
}

static gboolean
is_retry_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Retry") == 0 &&
         gtk_widget_get_mapped (widget);
}

static gboolean
toast_offers_retry (gpointer data)
{
  Fixture *fixture = data;

  return ui_find (GTK_WIDGET (fixture->overlay), GTK_TYPE_BUTTON, is_retry_button, NULL) != NULL;
}

/* A row action that failed runs again, as it was, from the toast's Retry. */
static void
test_row_action_retry (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *id = NULL;
  QuorumMemberRow *row = NULL;
  ItemState state = { .role = QUORUM_ROLE_MEMBER };

  show_organization (fixture, "Acme Robotics");
  state.model = page_model (fixture);
  rows = visible_rows (fixture);
  for (guint i = 0; i < rows->len && row == NULL; i++)
    {
      GObject *item = quorum_member_row_get_item (g_ptr_array_index (rows, i));

      if (QUORUM_IS_MEMBER (item) && quorum_member_get_role (QUORUM_MEMBER (item)) == QUORUM_ROLE_MEMBER &&
          g_strcmp0 (quorum_member_get_status (QUORUM_MEMBER (item)), "active") == 0)
        {
          row = g_ptr_array_index (rows, i);
          id = g_strdup (quorum_member_get_id (QUORUM_MEMBER (item)));
        }
    }
  g_assert_nonnull (row);
  state.id = id;

  /* The session ends under it: the suspension fails and offers Retry. */
  quorum_client_set_token (client, "not-a-real-token");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "member.suspend", NULL));
  ui_wait_until (toast_offers_retry, fixture);

  quorum_client_set_token (client, token);
  g_signal_emit_by_name (ui_find (GTK_WIDGET (fixture->overlay), GTK_TYPE_BUTTON, is_retry_button, NULL),
                         "clicked");
  state.status = "suspended";
  ui_wait_until (member_in_state, &state);

  /* As it was, for the tests that follow. */
  row = row_for_member (fixture, state.id);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "member.reactivate", NULL));
  state.status = "active";
  ui_wait_until (member_in_state, &state);
}

static void
test_change_role_suspend_remove (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(QuorumMember) member = NULL;
  g_autofree char *id = NULL;
  g_autofree char *email = NULL;
  ItemState state;
  QuorumMemberRow *row;
  AdwMessageDialog *confirm;
  guint n_before;

  show_organization (fixture, "Acme Robotics");
  state.model = page_model (fixture);

  /* The first plain member on screen. */
  for (guint i = 5; member == NULL; i++)
    {
      g_autoptr(QuorumMember) candidate = g_list_model_get_item (state.model, i);

      if (quorum_member_get_role (candidate) == QUORUM_ROLE_MEMBER)
        member = g_steal_pointer (&candidate);
    }
  id = g_strdup (quorum_member_get_id (member));
  email = g_strdup (quorum_member_get_email (member));
  state.id = id;

  row = row_for_member (fixture, id);
  g_assert_nonnull (row);
  g_assert_true (row_shows (row, "Member"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "member.change-role", "s", "admin"));
  state.role = QUORUM_ROLE_ADMIN;
  state.status = "active";
  ui_wait_until (member_in_state, &state);
  row = row_for_member (fixture, id);
  g_assert_true (row_shows (row, "Admin"));
  {
    g_autoptr(GPtrArray) on_server = server_members ("Acme Robotics", email);

    g_assert_cmpuint (on_server->len, ==, 1);
    g_assert_cmpint (quorum_member_get_role (g_ptr_array_index (on_server, 0)), ==, QUORUM_ROLE_ADMIN);
  }

  /* Suspend: a red indicator, and the menu now offers Reactivate. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "member.suspend", NULL));
  state.status = "suspended";
  ui_wait_until (member_in_state, &state);
  row = row_for_member (fixture, id);
  g_assert_true (row_shows (row, "Suspended"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (row)));
  g_assert_true (_quorum_member_row_shows_suspended_indicator (row));
  {
    GMenuModel *menu = quorum_member_row_get_menu (row);
    g_autofree char *second = NULL;

    g_assert_true (g_menu_model_get_item_attribute (menu, 1, G_MENU_ATTRIBUTE_ACTION, "s", &second));
    g_assert_cmpstr (second, ==, "member.reactivate");
  }

  /* Remove, after confirming. */
  n_before = g_list_model_get_n_items (state.model);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "member.remove", NULL));
  ui_wait_until (ui_toplevel_shown, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG));
  confirm = ADW_MESSAGE_DIALOG (ui_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (confirm, "remove"), ==, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (confirm, "remove");
  ui_wait_until (member_gone, &state);
  g_assert_cmpuint (g_list_model_get_n_items (state.model), ==, n_before - 1);
  {
    g_autoptr(GPtrArray) on_server = server_members ("Acme Robotics", email);

    g_assert_cmpuint (on_server->len, ==, 0);
  }
}

/* A placeholder (a member the list dropped and is fetching again) reads
 * "Loading", shows no role and offers nothing; filled while bound, the row
 * shows its member; unbound, the row leaves it alone. */
static void
test_placeholder_row (void)
{
  g_autoptr(QuorumMember) placeholder = quorum_member_new_placeholder ();
  GtkWidget *row = g_object_ref_sink (quorum_member_row_new ());
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), row);
  quorum_member_row_bind (QUORUM_MEMBER_ROW (row), G_OBJECT (placeholder), QUORUM_ROLE_OWNER, "usr_x");
  gtk_window_present (GTK_WINDOW (window));
  ui_wait_until (ui_widget_mapped, row);

  g_assert_true (row_shows (QUORUM_MEMBER_ROW (row), "Loading…"));
  g_assert_false (row_shows (QUORUM_MEMBER_ROW (row), "Owner"));
  g_assert_false (row_shows (QUORUM_MEMBER_ROW (row), "Member"));
  g_assert_false (quorum_member_row_has_menu (QUORUM_MEMBER_ROW (row)));
  g_assert_null (quorum_member_row_get_menu (QUORUM_MEMBER_ROW (row)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, "Loading");
  g_assert_true (gtk_widget_has_css_class (row, "placeholder-row"));

  /* Bound to a real member again, it is a normal row. */
  {
    g_autoptr(GPtrArray) members = server_members ("Acme Robotics", NULL);
    QuorumMember *member = NULL;

    for (guint i = 0; i < members->len && member == NULL; i++)
      if (quorum_member_get_role (g_ptr_array_index (members, i)) == QUORUM_ROLE_MEMBER)
        member = g_ptr_array_index (members, i);
    quorum_member_row_bind (QUORUM_MEMBER_ROW (row), G_OBJECT (member), QUORUM_ROLE_OWNER, "usr_x");
    g_assert_false (row_shows (QUORUM_MEMBER_ROW (row), "Loading…"));
    g_assert_true (quorum_member_row_has_menu (QUORUM_MEMBER_ROW (row)));
    g_assert_false (gtk_widget_has_css_class (row, "placeholder-row"));

    /* Bound to a placeholder that is then filled (its page arrived): the
     * row shows the member without being bound again. */
    {
      g_autoptr(QuorumMember) filled = quorum_member_new_placeholder ();
      g_autofree char *menu_label = g_strdup_printf ("Actions for %s", quorum_member_get_name (member));

      quorum_member_row_bind (QUORUM_MEMBER_ROW (row), G_OBJECT (filled), QUORUM_ROLE_OWNER, "usr_x");
      g_assert_true (row_shows (QUORUM_MEMBER_ROW (row), "Loading…"));
      quorum_member_fill (filled, member);
      g_assert_true (quorum_member_row_get_item (QUORUM_MEMBER_ROW (row)) == G_OBJECT (filled));
      g_assert_true (row_shows (QUORUM_MEMBER_ROW (row), quorum_member_get_name (member)));
      g_assert_true (row_shows (QUORUM_MEMBER_ROW (row), quorum_member_get_email (member)));
      g_assert_true (row_shows (QUORUM_MEMBER_ROW (row), "Member"));
      g_assert_false (row_shows (QUORUM_MEMBER_ROW (row), "Loading…"));
      g_assert_true (quorum_member_row_has_menu (QUORUM_MEMBER_ROW (row)));
      g_assert_false (gtk_widget_has_css_class (row, "placeholder-row"));
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (ui_find (row, GTK_TYPE_MENU_BUTTON, NULL, NULL)),
                                           GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label);
    }

    /* Unbound, it no longer follows the placeholder it showed. */
    {
      g_autoptr(QuorumMember) later = quorum_member_new_placeholder ();

      quorum_member_row_bind (QUORUM_MEMBER_ROW (row), G_OBJECT (later), QUORUM_ROLE_OWNER, "usr_x");
      quorum_member_row_unbind (QUORUM_MEMBER_ROW (row));
      quorum_member_fill (later, member);
      g_assert_null (quorum_member_row_get_item (QUORUM_MEMBER_ROW (row)));
      g_assert_true (row_shows (QUORUM_MEMBER_ROW (row), "Loading…"));
    }
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (row);
}

/* Where the row draws a text; fails the test when it does not. */
static graphene_rect_t
text_area (QuorumMemberRow *row,
           const char      *text,
           gboolean        *ellipsized)
{
  graphene_rect_t area;
  gboolean shortened = FALSE;

  g_assert_true (_quorum_member_row_get_text_area (row, text, &area, &shortened));
  if (ellipsized != NULL)
    *ellipsized = shortened;
  return area;
}

typedef struct
{
  QuorumMemberRow *row;
  const char      *name;
  const char      *activity;
  gboolean         rtl;
} LaidOut;

/* The row has been laid out for its direction: the name on the start side
 * of the last-active words. */
static gboolean
laid_out_for_direction (gpointer data)
{
  LaidOut *l = data;
  graphene_rect_t name, activity;
  gboolean unused;

  if (!_quorum_member_row_get_text_area (l->row, l->name, &name, &unused) ||
      !_quorum_member_row_get_text_area (l->row, l->activity, &activity, &unused) ||
      activity.size.width <= 0)
    return FALSE;
  return l->rtl ? name.origin.x > activity.origin.x : name.origin.x < activity.origin.x;
}

/* start < end in the row's direction, not overlapping, inside the row. */
static void
assert_before (const graphene_rect_t *start,
               const graphene_rect_t *end,
               gboolean               rtl,
               int                    row_width)
{
  g_assert_cmpfloat (start->size.width, >, 0);
  g_assert_cmpfloat (end->size.width, >, 0);
  if (rtl)
    g_assert_cmpfloat (end->origin.x + end->size.width, <=, start->origin.x);
  else
    g_assert_cmpfloat (start->origin.x + start->size.width, <=, end->origin.x);
  g_assert_cmpfloat (MIN (start->origin.x, end->origin.x), >=, 0);
  g_assert_cmpfloat (MAX (start->origin.x + start->size.width, end->origin.x + end->size.width), <=, row_width);
}

/* A row in the narrowest window (360 px), left to right and right to left:
 * name, last active, role badge and menu button in that order from the
 * start, none over another, all inside the row, the e-mail shortened with
 * an ellipsis rather than cut. A screen reader hears name, e-mail, role and
 * last active from the row (a group), and the button is named for the
 * member. */
static void
test_row_layout (void)
{
  g_autoptr(GPtrArray) members = server_members ("Acme Robotics", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *activity = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *button_name = NULL;
  QuorumMember *member = NULL;
  GtkWidget *row = g_object_ref_sink (quorum_member_row_new ());
  GtkWidget *window = gtk_window_new ();
  GtkWidget *button;
  const char *name;
  const char *email;

  for (guint i = 0; i < members->len && member == NULL; i++)
    if (quorum_member_get_role (g_ptr_array_index (members, i)) == QUORUM_ROLE_MEMBER &&
        quorum_member_get_last_active_at (g_ptr_array_index (members, i)) != NULL)
      member = g_ptr_array_index (members, i);
  g_assert_nonnull (member);
  name = quorum_member_get_name (member);
  email = quorum_member_get_email (member);
  activity = quorum_format_last_active (quorum_member_get_last_active_at (member), now);

  gtk_window_set_default_size (GTK_WINDOW (window), 360, -1);
  gtk_window_set_child (GTK_WINDOW (window), row);
  quorum_member_row_bind (QUORUM_MEMBER_ROW (row), G_OBJECT (member), QUORUM_ROLE_OWNER, "usr_x");
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_ROLE_GROUP));
  accessible = g_strdup_printf ("%s, %s, Member, %s", name, email, activity);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible);
  button = ui_find (row, GTK_TYPE_MENU_BUTTON, NULL, NULL);
  g_assert_nonnull (button);
  button_name = g_strdup_printf ("Actions for %s", name);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, button_name);

  for (int rtl = 0; rtl <= 1; rtl++)
    {
      LaidOut l = { QUORUM_MEMBER_ROW (row), name, activity, rtl };
      graphene_rect_t button_area;
      graphene_rect_t title, mail, active, badge;
      gboolean mail_ellipsized;
      int width;

      gtk_widget_set_direction (row, rtl ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
      ui_wait_until (laid_out_for_direction, &l);
      width = gtk_widget_get_width (row);
      g_assert_cmpint (width, ==, 360);

      title = text_area (QUORUM_MEMBER_ROW (row), name, NULL);
      mail = text_area (QUORUM_MEMBER_ROW (row), email, &mail_ellipsized);
      active = text_area (QUORUM_MEMBER_ROW (row), activity, NULL);
      badge = text_area (QUORUM_MEMBER_ROW (row), "Member", NULL);
      g_assert_true (gtk_widget_compute_bounds (button, row, &button_area));

      g_assert_true (mail_ellipsized);
      g_assert_cmpfloat (mail.origin.x, ==, rtl ? title.origin.x + title.size.width - mail.size.width
                                                : title.origin.x);
      assert_before (&title, &active, rtl, width);
      assert_before (&mail, &active, rtl, width);
      assert_before (&active, &badge, rtl, width);
      assert_before (&badge, &button_area, rtl, width);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (row);
}

typedef struct
{
  Fixture  *fixture;
  guint     refetched;  /* items_changed (pos, n, n) of the member list */
  guint     resets;
  guint     binds;      /* rows the view bound, once counting */
} Scroll;

static void
list_changed_cb (GListModel *model,
                 guint       position,
                 guint       removed,
                 guint       added,
                 Scroll     *scroll)
{
  if (removed > 0 && removed == added)
    scroll->refetched++;
  else if (removed > 0)
    scroll->resets++;
}

static gboolean
list_complete (gpointer data)
{
  QuorumMemberList *list = data;

  return quorum_member_list_get_complete (list) && !quorum_member_list_get_loading (list);
}

/* Every row on screen shows a member or invitation, none still loading. */
static gboolean
rows_all_loaded (gpointer data)
{
  Scroll *scroll = data;
  g_autoptr(GPtrArray) rows = visible_rows (scroll->fixture);

  if (rows->len == 0)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      GObject *item = quorum_member_row_get_item (g_ptr_array_index (rows, i));

      if (QUORUM_IS_MEMBER (item) && quorum_member_is_placeholder (QUORUM_MEMBER (item)))
        return FALSE;
    }
  return first_row_is_invitation (scroll->fixture);
}

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *paints)
{
  (*paints)++;
}

static gboolean
painted_twice (gpointer data)
{
  return *(guint *) data >= 2;
}

/* Lets the view lay out and draw what it has: rows made for a page that
 * just came back are placed (and mapped or not) only then. */
static void
wait_laid_out (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint paints = 0;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &paints);

  gtk_widget_queue_resize (widget);
  ui_wait_until (painted_twice, &paints);
  g_signal_handler_disconnect (clock, handler);
}

static void
bind_counted_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 Scroll                   *scroll)
{
  scroll->binds++;
}

/* With a small memory bound: rows bound again after their pages were
 * dropped (here all at once, as when the caller becomes known) first show
 * "Loading…" with no menu, then the same members in the same places as the
 * server lists them, fetched again page by page; nothing reloads. A row
 * waiting for its page shows its member when the page arrives without
 * being bound again: the placeholder it holds is filled in place, the list
 * emits no items_changed for it. */
static void
test_dropped_pages_come_back (Fixture       *fixture,
                              gconstpointer  data)
{
  GListModel *model;
  QuorumMemberRoster *roster;
  QuorumMemberList *list;
  g_autoptr(GPtrArray) expected = server_members ("Acme Robotics", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  Scroll scroll = { fixture, 0, 0, 0 };
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (g_object_unref);  /* row, item, … */
  GtkListItemFactory *factory;
  gulong bind_id;
  guint n;
  guint n_invitations;
  guint n_loading = 0;

  n = show_organization (fixture, "Acme Robotics");
  model = page_model (fixture);
  roster = QUORUM_MEMBER_ROSTER (gtk_multi_selection_get_model (GTK_MULTI_SELECTION (model)));
  list = quorum_member_roster_get_members (roster);
  n_invitations = n - expected->len;

  /* Pages of 5, at most 10 members held; the view reads all 50 rows. */
  quorum_member_list_set_page_size (list, 5);
  quorum_member_list_set_max_loaded (list, 10);
  quorum_member_list_reload (list);
  ui_wait_until (list_complete, list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  g_assert_cmpuint (quorum_member_list_get_n_loaded (list), <=, 10);
  g_signal_connect (list, "items-changed", G_CALLBACK (list_changed_cb), &scroll);

  quorum_member_roster_refresh (roster);
  rows = visible_rows (fixture);
  for (guint i = 0; i < rows->len; i++)
    {
      QuorumMemberRow *row = g_ptr_array_index (rows, i);
      GObject *item = quorum_member_row_get_item (row);

      if (QUORUM_IS_MEMBER (item) && quorum_member_is_placeholder (QUORUM_MEMBER (item)))
        {
          n_loading++;
          g_assert_true (row_shows (row, "Loading…"));
          g_assert_false (quorum_member_row_has_menu (row));
          gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, "Loading");
          g_ptr_array_add (waiting, g_object_ref (row));
          g_ptr_array_add (waiting, g_object_ref (item));
        }
    }
  g_assert_cmpuint (n_loading, >, 5);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* From now on, every row the view binds is counted. */
  factory = gtk_list_view_get_factory (GTK_LIST_VIEW (ui_find (GTK_WIDGET (fixture->page), GTK_TYPE_LIST_VIEW,
                                                                is_members_view, NULL)));
  bind_id = g_signal_connect (factory, "bind", G_CALLBACK (bind_counted_cb), &scroll);

  ui_wait_until (rows_all_loaded, &scroll);
  wait_laid_out (GTK_WIDGET (fixture->page));
  ui_wait_until (rows_all_loaded, &scroll);
  g_signal_handler_disconnect (factory, bind_id);
  g_assert_cmpuint (scroll.resets, ==, 0);
  g_assert_cmpuint (scroll.refetched, ==, 0);
  g_assert_cmpuint (scroll.binds, ==, 0);

  /* Each row that waited holds the same object, now its member, and shows
   * it: name, menu, accessible label. */
  for (guint i = 0; i < waiting->len; i += 2)
    {
      QuorumMemberRow *row = g_ptr_array_index (waiting, i);
      QuorumMember *member = g_ptr_array_index (waiting, i + 1);
      const char *name = quorum_member_get_name (member);
      gboolean suspended = g_strcmp0 (quorum_member_get_status (member), "suspended") == 0;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *activity = quorum_format_last_active (quorum_member_get_last_active_at (member), now);
      g_autofree char *label = g_strdup_printf ("%s, %s, %s%s%s%s",
                                                name, quorum_member_get_email (member),
                                                quorum_role_get_label (quorum_member_get_role (member)),
                                                suspended ? ", Suspended" : "",
                                                activity != NULL ? ", " : "",
                                                activity != NULL ? activity : "");

      g_assert_true (quorum_member_row_get_item (row) == G_OBJECT (member));
      g_assert_false (quorum_member_is_placeholder (member));
      g_assert_true (row_shows (row, name));
      g_assert_false (row_shows (row, "Loading…"));
      g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "placeholder-row"));
      g_assert_true (quorum_member_row_has_menu (row) == (quorum_member_get_role (member) != QUORUM_ROLE_OWNER));
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
    }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  g_assert_cmpuint (quorum_member_list_get_n_loaded (list), <=, 10);

  /* Row after row, the members in the server's order from the first one:
   * none shifted, none twice. */
  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, >, n_invitations + 5);
  for (guint i = 0, next = 0; i < rows->len; i++)
    {
      GObject *item = quorum_member_row_get_item (g_ptr_array_index (rows, i));
      guint k;

      if (QUORUM_IS_INVITATION (item))
        {
          g_assert_cmpuint (next, ==, 0);
          continue;
        }
      /* Where the server lists the member this row shows. */
      for (k = 0; k < expected->len; k++)
        if (g_strcmp0 (quorum_member_get_id (g_ptr_array_index (expected, k)),
                       quorum_member_get_id (QUORUM_MEMBER (item))) == 0)
          break;
      g_assert_cmpuint (k, ==, next);
      next++;
    }
  g_signal_handlers_disconnect_by_data (list, &scroll);
}

static gboolean
stack_shows_error (gpointer data)
{
  return g_strcmp0 (visible_stack_page (data), "error") == 0;
}

static void
test_switch_organization (Fixture       *fixture,
                          gconstpointer  data)
{
  GListModel *model;
  gpointer args[2] = { fixture, GUINT_TO_POINTER (1 + 1 + 24) };

  /* Switching while Acme is still loading: only Globex's answer is shown,
   * and Acme's list goes at once (which cancels its fetch). */
  g_object_set (fixture->page, "organization", organization_named ("Acme Robotics"), NULL);
  {
    GListModel *roster = gtk_multi_selection_get_model (GTK_MULTI_SELECTION (page_model (fixture)));
    QuorumMemberList *acme = quorum_member_roster_get_members (QUORUM_MEMBER_ROSTER (roster));

    g_assert_true (quorum_member_list_get_loading (acme));
    g_object_add_weak_pointer (G_OBJECT (acme), (gpointer *) &acme);
    g_object_set (fixture->page, "organization", organization_named ("Globex"), NULL);
    g_assert_null (acme);
  }
  ui_wait_until (model_count_is, args);
  model = page_model (fixture);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_true (QUORUM_IS_MEMBER (item));
      g_assert_true (g_str_has_suffix (quorum_member_get_email (QUORUM_MEMBER (item)), "globex.test") ||
                     g_str_has_suffix (quorum_member_get_email (QUORUM_MEMBER (item)), "demo.quorum.test"));
    }

  /* No organization: nothing listed. */
  g_object_set (fixture->page, "organization", NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (page_model (fixture)), ==, 0);
  g_assert_cmpstr (visible_stack_page (fixture), ==, "empty");
}

static void
test_unreachable_server (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(QuorumClient) offline = quorum_client_new ("http://127.0.0.1:9");

  quorum_client_set_token (offline, "not-a-real-token");
  quorum_client_set_retry_policy (offline, 1, 10, 10);
  g_object_set (fixture->page, "client", offline, "organization", organization_named ("Acme Robotics"), NULL);
  ui_wait_until (stack_shows_error, fixture);
  {
    GtkWidget *status;

    ui_wait_until (ui_widget_mapped, ui_find (GTK_WIDGET (fixture->page), GTK_TYPE_STACK, is_page_stack, NULL));
    status = ui_find (GTK_WIDGET (fixture->page), ADW_TYPE_STATUS_PAGE, is_mapped, NULL);
    g_assert_nonnull (status);
    g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "Could Not Load Members");
    /* Why, in the request state's words, with Retry: never the client's
     * own sentence twice. */
    g_assert_nonnull (ui_find (status, GTK_TYPE_LABEL, ui_match_label, "Offline"));
    g_assert_nonnull (ui_find (status, GTK_TYPE_LABEL, ui_match_label,
                               "Could not load members: could not connect to 127.0.0.1"));
    g_assert_true (ui_shown (ui_button (status, "_Retry")));
  }
}

/* The Invite dialog with the server gone: "Offline" and what could not be
 * done, once each (issue 19 saw "Could not reach the server: Could not
 * reach the server"), with Retry; what was typed stays. */
static void
test_invite_offline (void)
{
  g_autoptr(QuorumClient) offline = quorum_client_new ("http://127.0.0.1:9");
  QuorumInviteDialog *dialog;
  GtkEditable *email_row;

  quorum_client_set_token (offline, "not-a-real-token");
  quorum_client_set_retry_policy (offline, 1, 10, 10);
  dialog = quorum_invite_dialog_new (offline, organization_named ("Acme Robotics"));
  gtk_window_present (GTK_WINDOW (dialog));
  email_row = GTK_EDITABLE (ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, NULL, NULL));
  gtk_editable_set_text (email_row, "grace@example.com");
  quorum_invite_dialog_send (dialog);
  ui_wait_until (dialog_has_error, dialog);

  g_assert_cmpstr (quorum_invite_dialog_get_error (dialog), ==,
                   "Offline\nCould not send the invitation: could not connect to 127.0.0.1");
  g_assert_nonnull (ui_find (GTK_WIDGET (dialog), GTK_TYPE_LABEL, ui_match_label, "Offline"));
  g_assert_true (ui_shown (ui_button (GTK_WIDGET (dialog), "_Retry")));
  g_assert_cmpstr (gtk_editable_get_text (email_row), ==, "grace@example.com");
  gtk_window_destroy (GTK_WINDOW (dialog));
  quorum_test_drain_pending ();
}

static gboolean
label_says_members_failed (gpointer data)
{
  return strstr (gtk_label_get_text (data), "Could not load members") != NULL;
}

static gboolean
revealer_shown (gpointer data)
{
  return gtk_revealer_get_child_revealed (data);
}

static gboolean
page_lists_members (gpointer data)
{
  Fixture fixture = { .page = data };

  return has_member_row (&fixture);
}

/* Without an AdwToastOverlay around it, the page says what failed itself,
 * and its Retry asks again. */
static void
test_inline_error_without_overlay (void)
{
  g_autoptr(QuorumClient) stale = quorum_client_new (quorum_test_server_get_url (server));
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  GtkWidget *page = quorum_members_page_new ();
  GtkRevealer *revealer;
  GtkWidget *label;
  GtkWidget *retry;

  adw_window_set_content (ADW_WINDOW (window), page);
  gtk_window_set_default_size (window, 600, 600);
  gtk_window_present (window);
  quorum_client_set_token (stale, "not-a-real-token");
  g_object_set (page, "client", stale, "organization", organization_named ("Acme Robotics"), NULL);

  revealer = GTK_REVEALER (ui_find (page, GTK_TYPE_REVEALER, NULL, NULL));
  label = ui_find (GTK_WIDGET (revealer), GTK_TYPE_LABEL, has_css_class, "error");
  ui_wait_until (revealer_shown, revealer);
  ui_wait_until (label_says_members_failed, label);
  retry = gtk_widget_get_next_sibling (label);
  g_assert_true (GTK_IS_BUTTON (retry));
  g_assert_true (gtk_widget_get_mapped (retry));

  /* Signed in again meanwhile: Retry lists the members. */
  quorum_client_set_token (stale, token);
  g_signal_emit_by_name (retry, "clicked");
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  ui_wait_until (page_lists_members, page);
  g_assert_false (gtk_revealer_get_reveal_child (revealer));

  gtk_window_destroy (window);
  quorum_test_drain_pending ();
}

/* Usable on a phone: everything fits in 360 px, long names ellipsized. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  int minimum;
  g_autoptr(GPtrArray) rows = NULL;

  show_organization (fixture, "Acme Robotics");
  gtk_widget_measure (GTK_WIDGET (fixture->page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);

  rows = visible_rows (fixture);
  for (guint i = 0; i < rows->len; i++)
    {
      gtk_widget_measure (g_ptr_array_index (rows, i), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      /* The list's own margins and the card's border take the rest. */
      g_assert_cmpint (minimum, <=, 360 - 2 * 12 - 2);
    }
}

static void
test_focus_search (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *entry = ui_find (GTK_WIDGET (fixture->page), GTK_TYPE_SEARCH_ENTRY, NULL, NULL);

  show_organization (fixture, "Acme Robotics");
  quorum_members_page_focus_search (fixture->page);
  quorum_test_drain_pending ();
  g_assert_true (gtk_widget_has_focus (entry) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)), entry));
}

static gboolean
match_tooltip (GtkWidget     *widget,
                  gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

/* Last active: each member row says when, the exact time on hover. */

/* Rows are mapped as soon as they are made; their areas come with the
 * frame's layout. */
static gboolean
activity_laid_out (gpointer data)
{
  g_autoptr(GPtrArray) rows = visible_rows (data);

  for (guint i = 0; i < rows->len; i++)
    {
      graphene_rect_t area;

      if (_quorum_member_row_get_activity (rows->pdata[i], &area) != NULL && area.size.width <= 0)
        return FALSE;
    }
  return rows->len > 0;
}

static void
test_last_active (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint members = 0;

  show_organization (fixture, "Acme Robotics");
  ui_wait_until (activity_laid_out, fixture);
  rows = visible_rows (fixture);
  for (guint i = 0; i < rows->len; i++)
    {
      QuorumMemberRow *row = rows->pdata[i];
      GObject *item = quorum_member_row_get_item (row);
      graphene_rect_t area;
      const char *activity = _quorum_member_row_get_activity (row, &area);
      const char *tooltip;
      GDateTime *last_active;
      g_autofree char *expected = NULL;

      if (!QUORUM_IS_MEMBER (item))
        {
          /* An invitation has no activity to show. */
          g_assert_null (activity);
          continue;
        }
      members++;
      last_active = quorum_member_get_last_active_at (QUORUM_MEMBER (item));
      expected = quorum_format_last_active (last_active, now);
      /* Drawn in the row on screen, in an area of its own. */
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (row)));
      g_assert_cmpfloat (area.size.width, >, 0);
      g_assert_cmpstr (activity, ==, expected);
      /* The tooltip over those words. */
      tooltip = _quorum_member_row_tooltip_at (row, area.origin.x + area.size.width / 2,
                                               area.origin.y + area.size.height / 2);
      if (last_active == NULL)
        {
          g_assert_cmpstr (activity, ==, "Never signed in");
          g_assert_null (tooltip);
        }
      else
        {
          g_autofree char *exact = quorum_format_date_time (last_active);

          g_assert_true (g_str_has_prefix (activity, "Active "));
          g_assert_cmpstr (tooltip, ==, exact);
        }
    }
  g_assert_cmpuint (members, >, 0);
}

static void
test_format_last_active (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 6, 12, 0, 0);
  static const struct { int days_ago; const char *text; } cases[] = {
    { 0, "Active today" }, { 1, "Active yesterday" }, { 3, "Active 3 days ago" },
    { 59, "Active 59 days ago" }, { 90, "Active 3 months ago" }, { 800, "Active 2 years ago" },
    { -2, "Active today" },  /* a clock ahead of ours */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) then = g_date_time_add_days (now, -cases[i].days_ago);
      g_autofree char *text = quorum_format_last_active (then, now);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  {
    g_autofree char *never = quorum_format_last_active (NULL, now);

    g_assert_cmpstr (never, ==, "Never signed in");
  }
}

static gboolean
is_inactive_toggle (GtkWidget     *widget,
                    gconstpointer  data)
{
  return ui_find (widget, GTK_TYPE_LABEL, ui_match_label, "Inactive for 90 days") != NULL;
}

static GtkToggleButton *
inactive_toggle (Fixture *fixture)
{
  GtkWidget *toggle = ui_find (GTK_WIDGET (fixture->page), GTK_TYPE_TOGGLE_BUTTON, is_inactive_toggle, NULL);

  g_assert_nonnull (toggle);
  return GTK_TOGGLE_BUTTON (toggle);
}

static QuorumMemberList *
shown_list (Fixture *fixture)
{
  GListModel *roster = gtk_multi_selection_get_model (GTK_MULTI_SELECTION (page_model (fixture)));

  return roster != NULL ? quorum_member_roster_get_members (QUORUM_MEMBER_ROSTER (roster)) : NULL;
}

static gboolean
inactive_list_shown (gpointer data)
{
  Fixture *fixture = data;
  QuorumMemberList *list = shown_list (fixture);

  return list != NULL && quorum_member_list_get_inactive_days (list) == 90 &&
         !quorum_member_list_get_loading (list) && quorum_member_list_get_complete (list) &&
         g_strcmp0 (visible_stack_page (fixture), "loading") != 0;
}

static gboolean
full_list_shown (gpointer data)
{
  Fixture *fixture = data;
  QuorumMemberList *list = shown_list (fixture);

  return list != NULL && quorum_member_list_get_inactive_days (list) == 0 &&
         !quorum_member_list_get_loading (list) && g_strcmp0 (visible_stack_page (fixture), "list") == 0;
}

/* "Inactive for 90 days": the server's inactive_days=90, only members not
 * active for 90 days (or never), no invitations; off again, everyone. */
static void
test_inactive_filter (Fixture       *fixture,
                      gconstpointer  data)
{
  guint everyone = show_organization (fixture, "Acme Robotics");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) cutoff = g_date_time_add_days (now, -90);
  GListModel *model;
  guint n;

  gtk_toggle_button_set_active (inactive_toggle (fixture), TRUE);
  ui_wait_until (inactive_list_shown, fixture);
  model = page_model (fixture);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >, 0);  /* the demo has some */
  g_assert_cmpuint (n, <, everyone);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      GDateTime *last_active;

      g_assert_true (QUORUM_IS_MEMBER (item));
      last_active = quorum_member_get_last_active_at (QUORUM_MEMBER (item));
      g_assert_true (last_active == NULL || g_date_time_compare (last_active, cutoff) <= 0);
    }

  gtk_toggle_button_set_active (inactive_toggle (fixture), FALSE);
  ui_wait_until (full_list_shown, fixture);
  {
    gpointer args[2] = { fixture, GUINT_TO_POINTER (everyone) };

    ui_wait_until (model_count_is, args);
  }
}

/* A response button clicked: the response, and the dialog closes. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static AdwMessageDialog *
message_dialog (void)
{
  ui_wait_until (ui_toplevel_shown, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG));
  return ADW_MESSAGE_DIALOG (ui_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
}

static gboolean
no_message_dialog (gpointer data)
{
  return ui_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG) == NULL;
}

static guint
position_where (GListModel *model,
                gboolean  (*match) (QuorumMember *member),
                guint       after)
{
  for (guint i = after; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (QUORUM_IS_MEMBER (item) && match (QUORUM_MEMBER (item)))
        return i;
    }
  g_assert_not_reached ();
  return 0;
}

static gboolean
is_owner (QuorumMember *member)
{
  return quorum_member_get_role (member) == QUORUM_ROLE_OWNER;
}

static gboolean
is_active_member (QuorumMember *member)
{
  return quorum_member_get_role (member) == QUORUM_ROLE_MEMBER &&
         g_strcmp0 (quorum_member_get_status (member), "active") == 0;
}

static gboolean
summary_shown (gpointer data)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (ui_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));

  return dialog != NULL && g_str_has_prefix (adw_message_dialog_get_heading (dialog), "Suspended ");
}

static gboolean
three_selected_shown (gpointer data)
{
  Fixture *fixture = data;

  return ui_shown_label (GTK_WIDGET (fixture->page), "3 selected") != NULL;
}

/* Three chosen, the owner in the middle: one confirmation naming three,
 * the other two suspended, and the summary names the owner and why. */
static void
test_bulk_suspend (Fixture       *fixture,
                   gconstpointer  data)
{
  GListModel *model;
  GtkSelectionModel *selection;
  g_autoptr(QuorumMember) first = NULL;
  g_autoptr(QuorumMember) owner = NULL;
  g_autoptr(QuorumMember) last = NULL;
  g_autofree char *first_email = NULL;
  g_autofree char *last_email = NULL;
  AdwMessageDialog *dialog;
  const char *body;
  guint a, b, c;

  show_organization (fixture, "Acme Robotics");
  model = page_model (fixture);
  selection = GTK_SELECTION_MODEL (model);

  a = position_where (model, is_active_member, 0);
  b = position_where (model, is_owner, 0);
  c = position_where (model, is_active_member, MAX (a, b) + 1);
  first = g_list_model_get_item (model, a);
  owner = g_list_model_get_item (model, b);
  last = g_list_model_get_item (model, c);
  first_email = g_strdup (quorum_member_get_email (first));
  last_email = g_strdup (quorum_member_get_email (last));

  /* Nothing chosen: nothing to do. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "members.suspend-selected", NULL) &&
                  ui_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG) != NULL);
  gtk_selection_model_select_item (selection, a, FALSE);
  gtk_selection_model_select_item (selection, b, FALSE);
  gtk_selection_model_select_item (selection, c, FALSE);
  ui_wait_until (three_selected_shown, fixture);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "members.suspend-selected", NULL));
  dialog = message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Suspend 3 Members?");
  respond (dialog, "go");

  ui_wait_until (summary_shown, NULL);
  dialog = ADW_MESSAGE_DIALOG (ui_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Suspended 2 of 3 Members");
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("summary: %s", body);
  /* The owner, by name, with the server's reason. */
  g_assert_true (g_str_has_prefix (body, quorum_member_get_name (owner)));
  g_assert_cmpuint (strlen (body), >, strlen (quorum_member_get_name (owner)) + 4);
  g_assert_null (strchr (body, '\n'));  /* one failure, nothing else */
  respond (dialog, "close");
  ui_wait_until (no_message_dialog, NULL);

  /* The server has them suspended, the owner not; the selection is gone. */
  {
    g_autoptr(GPtrArray) on_server = server_members ("Acme Robotics", first_email);

    g_assert_cmpstr (quorum_member_get_status (on_server->pdata[0]), ==, "suspended");
  }
  {
    g_autoptr(GPtrArray) on_server = server_members ("Acme Robotics", last_email);

    g_assert_cmpstr (quorum_member_get_status (on_server->pdata[0]), ==, "suspended");
  }
  {
    g_autoptr(GPtrArray) on_server = server_members ("Acme Robotics", quorum_member_get_email (owner));

    g_assert_cmpstr (quorum_member_get_status (on_server->pdata[0]), ==, "active");
  }
  {
    g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);

    g_assert_true (gtk_bitset_is_empty (selected));
  }
}

/* Cancel while it runs: stops after the member on its way and says how far. Ctrl+A
 * (the list's select-all) chooses the filtered list. */
static void
test_bulk_remove_cancelled (Fixture       *fixture,
                            gconstpointer  data)
{
  GListModel *model;
  AdwMessageDialog *dialog;
  guint n;
  guint removed = 0;
  guint total = 0;
  char cancelled[128];
  g_auto(GStrv) body_lines = NULL;
  g_autofree char *heading = NULL;

  n = show_organization (fixture, "Globex");
  model = page_model (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  g_assert_cmpuint (n, >, 3);

  g_assert_true (gtk_widget_activate_action (ui_find (GTK_WIDGET (fixture->page), GTK_TYPE_LIST_VIEW,
                                                      is_members_view, NULL), "list.select-all", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "members.remove-selected", NULL));
  dialog = message_dialog ();
  heading = g_strdup_printf ("Remove %u Members?", n);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  respond (dialog, "go");
  /* Cancel at once: the first request is on its way; the rest is not sent. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "members.cancel-bulk", NULL));

  ui_wait_until (ui_toplevel_shown, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG));
  dialog = ADW_MESSAGE_DIALOG (ui_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  g_test_message ("%s — %s", adw_message_dialog_get_heading (dialog), adw_message_dialog_get_body (dialog));
  g_assert_cmpint (sscanf (adw_message_dialog_get_heading (dialog), "Removed %u of %u Members", &removed, &total), ==, 2);
  g_assert_cmpuint (total, ==, n);
  /* The one on its way when Cancel was pressed is done (or refused, and
   * said why: the list starts with the owner or oneself); no other. */
  g_assert_cmpuint (removed, <=, 1);
  body_lines = g_strsplit (adw_message_dialog_get_body (dialog), "\n", -1);
  g_assert_cmpuint (g_strv_length (body_lines), ==, removed == 1 ? 1 : 2);
  g_snprintf (cancelled, sizeof cancelled, "Cancelled: %u members were not changed.", n - 1);
  g_assert_cmpstr (body_lines[g_strv_length (body_lines) - 1], ==, cancelled);
  respond (dialog, "close");
  ui_wait_until (no_message_dialog, NULL);
  {
    /* What the summary says is what the server has. */
    g_autoptr(GPtrArray) left = server_members ("Globex", NULL);

    g_assert_cmpuint (left->len, ==, n - removed);
  }
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
} Shown;

static gboolean
text_shown (gpointer data)
{
  Shown *shown = data;

  return ui_shown_label (GTK_WIDGET (shown->fixture->window), shown->text) != NULL;
}

/* Export… of the list as filtered: the CSV holds exactly the members shown. */
/* The request status of the export's bar: the one beside its progress. */
static gboolean
match_export_status (GtkWidget     *widget,
                     gconstpointer  data)
{
  GtkWidget *revealer = gtk_widget_get_ancestor (widget, GTK_TYPE_REVEALER);

  return revealer != NULL && ui_find (revealer, GTK_TYPE_PROGRESS_BAR, NULL, NULL) != NULL;
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("quorum-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "acme-inactive.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "members.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) unwritable = g_file_new_for_path (missing);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *notice = NULL;
  GListModel *model;
  GtkWidget *status;
  guint n;
  Shown shown = { fixture, NULL };

  show_organization (fixture, "Acme Robotics");
  gtk_toggle_button_set_active (inactive_toggle (fixture), TRUE);
  ui_wait_until (inactive_list_shown, fixture);
  model = page_model (fixture);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >, 0);
  g_assert_true (gtk_widget_get_visible (ui_find (GTK_WIDGET (fixture->page), GTK_TYPE_BUTTON,
                                                  match_tooltip, "Export…")));

  quorum_members_page_export (fixture->page, file);
  /* On its way: the progress says so, with no status bar holding a spinner
   * only under it. */
  status = ui_find (GTK_WIDGET (fixture->page), QUORUM_TYPE_REQUEST_STATUS, match_export_status, NULL);
  g_assert_nonnull (status);
  g_assert_cmpint (quorum_request_state_get_phase (quorum_request_status_get_state (QUORUM_REQUEST_STATUS (status))),
                   ==, QUORUM_REQUEST_PHASE_WAITING);
  g_assert_false (gtk_widget_get_visible (status));
  notice = g_strdup_printf ("Exported %u members to acme-inactive.csv", n);
  shown.text = notice;
  ui_wait_until (text_shown, &shown);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "name,email,role,status,joined_at,last_active_at");
  g_assert_cmpuint (g_strv_length (lines), ==, n + 2);  /* header, rows, "" after the last CRLF */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuorumMember) member = g_list_model_get_item (model, i);

      g_assert_nonnull (strstr (contents, quorum_member_get_email (member)));
    }

  /* A place that cannot be written: said with the context, nothing left. */
  quorum_members_page_export (fixture->page, unwritable);
  shown.text = "Could not export the members";
  ui_wait_until (text_shown, &shown);
  g_assert_false (g_file_query_exists (unwritable, NULL));

  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
list_grew_or_complete (gpointer data)
{
  gpointer *args = data;
  Fixture *fixture = args[0];

  return quorum_member_list_get_complete (shown_list (fixture)) ||
         g_list_model_get_n_items (page_model (fixture)) > GPOINTER_TO_UINT (args[1]);
}

/* More than QUORUM_MEMBERS_BULK_MAX (500) chosen: said, and nothing is
 * asked or sent. A server of its own, with 520 + 10 members in Acme. */
static void
test_bulk_cap (void)
{
  const char *args[] = { "--demo", "--demo-members=520", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(GPtrArray) orgs = NULL;
  g_autofree char *big_token = NULL;
  g_autoptr(QuorumClient) big_client = NULL;
  QuorumTestServer *big = quorum_test_server_start (args, &error);
  QuorumOrganization *acme = NULL;
  Fixture fixture;
  Shown shown = { &fixture, "Select at most 500 members at a time" };

  g_assert_no_error (error);
  big_client = quorum_client_new (quorum_test_server_get_url (big));
  quorum_client_sign_in_async (big_client, DEMO_EMAIL, DEMO_PASSWORD, NULL, ui_store_result, &result);
  user = quorum_client_sign_in_finish (big_client, ui_wait_result (&result), &big_token, &error);
  g_assert_no_error (error);
  quorum_client_set_token (big_client, big_token);
  g_clear_object (&result);
  quorum_client_list_organizations_async (big_client, NULL, ui_store_result, &result);
  orgs = quorum_client_list_organizations_finish (big_client, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < orgs->len; i++)
    if (g_strcmp0 (quorum_organization_get_name (orgs->pdata[i]), "Acme Robotics") == 0)
      acme = orgs->pdata[i];
  g_assert_nonnull (acme);

  fixture_set_up (&fixture, NULL);
  g_object_set (fixture.page, "client", big_client, "organization", acme, NULL);
  ui_wait_until (has_member_row, &fixture);
  /* The list grows as it is read, as scrolling does: all of it. */
  while (!quorum_member_list_get_complete (shown_list (&fixture)))
    {
      GListModel *model = page_model (&fixture);
      guint n = g_list_model_get_n_items (model);
      G_GNUC_UNUSED g_autoptr(GObject) last = g_list_model_get_item (model, n - 1);
      gpointer grown[2] = { &fixture, GUINT_TO_POINTER (n) };

      ui_wait_until (list_grew_or_complete, grown);
    }
  g_assert_true (gtk_widget_activate_action (ui_find (GTK_WIDGET (fixture.page), GTK_TYPE_LIST_VIEW,
                                                      is_members_view, NULL), "list.select-all", NULL));
  {
    g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (page_model (&fixture)));

    g_assert_cmpuint (gtk_bitset_get_size (selected), >, 500);
  }
  gtk_widget_activate_action (GTK_WIDGET (fixture.page), "members.suspend-selected", NULL);
  ui_wait_until (text_shown, &shown);
  g_assert_null (ui_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));

  fixture_tear_down (&fixture, NULL);
  quorum_test_server_stop (big);
}

int
main (int   argc,
      char *argv[])
{
  const char *server_args[] = { "--demo", "--demo-members=40", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuorumUser) user = NULL;
  int ret;

  quorum_test_settings_init ();  /* before anything reads settings */
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ui_ignore_focus_out_warnings ();

  server = quorum_test_server_start (server_args, &error);
  g_assert_no_error (error);

  client = quorum_client_new (quorum_test_server_get_url (server));
  quorum_client_sign_in_async (client, DEMO_EMAIL, DEMO_PASSWORD, NULL, ui_store_result, &result);
  ui_wait_result (&result);
  user = quorum_client_sign_in_finish (client, result, &token, &error);
  g_assert_no_error (error);
  quorum_client_set_token (client, token);
  g_clear_object (&result);

  quorum_client_list_organizations_async (client, NULL, ui_store_result, &result);
  ui_wait_result (&result);
  organizations = quorum_client_list_organizations_finish (client, result, &error);
  g_assert_no_error (error);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ui/members/rows-appear", test_rows_appear);
  ADD ("/ui/members/search", test_search);
  ADD ("/ui/members/filters", test_filters);
  ADD ("/ui/members/owner-sees-management", test_owner_sees_management);
  ADD ("/ui/members/admin-sees-management", test_admin_sees_management);
  ADD ("/ui/members/role-filter-from-model", test_role_filter_from_model);
  ADD ("/ui/members/row-action-retry", test_row_action_retry);
  ADD ("/ui/members/member-sees-list-only", test_member_sees_list_only);
  ADD ("/ui/members/invite", test_invite);
  ADD ("/ui/members/change-role-suspend-remove", test_change_role_suspend_remove);
  ADD ("/ui/members/switch-organization", test_switch_organization);
  ADD ("/ui/members/unreachable-server", test_unreachable_server);
  ADD ("/ui/members/focus-search", test_focus_search);
  ADD ("/ui/members/narrow", test_narrow);
  ADD ("/ui/members/dropped-pages-come-back", test_dropped_pages_come_back);
  ADD ("/ui/members/last-active", test_last_active);
  ADD ("/ui/members/inactive-filter", test_inactive_filter);
  ADD ("/ui/members/export", test_export);
  /* These change members: last. */
  ADD ("/ui/members/bulk-suspend", test_bulk_suspend);
  ADD ("/ui/members/bulk-remove-cancelled", test_bulk_remove_cancelled);
#undef ADD
  g_test_add_func ("/ui/members/format-last-active", test_format_last_active);
  g_test_add_func ("/ui/members/row-layout", test_row_layout);
  g_test_add_func ("/ui/members/bulk-cap", test_bulk_cap);
  g_test_add_func ("/ui/members/placeholder-row", test_placeholder_row);
  g_test_add_func ("/ui/members/inline-error-without-overlay", test_inline_error_without_overlay);
  g_test_add_func ("/ui/members/invite-offline", test_invite_offline);

  ret = g_test_run ();

  g_clear_pointer (&organizations, g_ptr_array_unref);
  g_clear_object (&client);
  g_clear_pointer (&token, g_free);
  quorum_test_server_stop (server);
  return ret;
}
