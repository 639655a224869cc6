/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "quorum-application.h"
#include "quorum-ui-test.h"
#include "quorum-utils-private.h"
#include "quorum-window.h"

static QuorumApplication *app;

/* The window's own waits take up to 10 s. */
#define wait_for(condition, data) quorum_test_wait_until (condition, data, 10)

static QuorumWindow *
present_main_window (void)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  /* The main window, not whichever was focused last (Shortcuts, say). */
  window = NULL;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    {
      if (QUORUM_IS_WINDOW (l->data))
        window = l->data;
    }
  g_assert_true (QUORUM_IS_WINDOW (window));
  wait_for (ui_widget_mapped, window);

  return QUORUM_WINDOW (window);
}

static void
test_window_opens (void)
{
  QuorumWindow *window = present_main_window ();

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Quorum");
  /* No account yet: the sign-in view, and nothing that needs one. */
  g_assert_cmpstr (quorum_window_get_state (window), ==, "sign-in");
  g_assert_null (quorum_window_get_account (window));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "sign-out"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-organizations"));

  /* A second activation presents the same window rather than a new one. */
  g_application_activate (G_APPLICATION (app));
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == GTK_WINDOW (window));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
}

static void
test_window_size_remembered (void)
{
  QuorumWindow *window = present_main_window ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
  gtk_window_close (GTK_WINDOW (window));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 500);

  window = present_main_window ();
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    g_assert_cmpint (width, ==, 700);
    g_assert_cmpint (height, ==, 500);
  }
}

static void
test_about_window (void)
{
  QuorumWindow *window = present_main_window ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  wait_for (ui_toplevel_shown, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_WINDOW));

  {
    AdwAboutWindow *about = ADW_ABOUT_WINDOW (ui_toplevel_of_type (ADW_TYPE_ABOUT_WINDOW));

    g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Quorum");
    g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
    g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
    gtk_window_destroy (GTK_WINDOW (about));
  }
}

/* Another application window in front (here the shortcuts window, which
 * belongs to the application) must not swallow an activation or a link. */
static void
test_activate_with_other_window_in_front (void)
{
  QuorumWindow *window = present_main_window ();
  GtkWindow *shortcuts;
  guint n_main = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  wait_for (ui_toplevel_shown, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW));
  shortcuts = ui_toplevel_of_type (GTK_TYPE_SHORTCUTS_WINDOW);
  gtk_window_set_application (shortcuts, GTK_APPLICATION (app));
  gtk_window_present (shortcuts);
  wait_for (ui_widget_mapped, shortcuts);
  /* What the fix is about: the application's active window is not ours. */
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == shortcuts);

  g_application_activate (G_APPLICATION (app));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    n_main += QUORUM_IS_WINDOW (l->data);
  g_assert_cmpuint (n_main, ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  gtk_window_close (shortcuts);
}

static void
test_shortcuts_window (void)
{
  QuorumWindow *window = present_main_window ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  wait_for (ui_toplevel_shown, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW));
  /* Closed, not destroyed: the main window keeps its help overlay. */
  gtk_window_close (ui_toplevel_of_type (GTK_TYPE_SHORTCUTS_WINDOW));
}

static void
test_primary_menu (void)
{
  g_auto(GStrv) quit = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");

  g_auto(GStrv) switcher = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-organizations");
  g_auto(GStrv) search = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.search-members");

  g_assert_cmpstr (quit[0], ==, "<Control>q");
  {
    guint key;
    GdkModifierType mods;

    g_assert_true (gtk_accelerator_parse (switcher[0], &key, &mods));
    g_assert_cmpuint (key, ==, GDK_KEY_o);
    g_assert_cmpuint (mods, ==, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  }
  g_assert_cmpstr (search[0], ==, "<Control>f");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
}

static gboolean
is_label_with_text (GtkWidget *widget,
                    const char *text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (is_label_with_text (child, text))
        return child;
      if ((found = find_label (child, text)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
label_shown (gpointer data)
{
  GtkWidget *label = find_label (GTK_WIDGET (data), "Could not save “Hooli & Sons <Europe>”");

  return label != NULL && gtk_widget_get_mapped (label);
}

/* Names and server messages in toasts show as typed: toast titles are
 * markup in libadwaita 1.2, where "&" or "<" hid the whole toast text. */
static void
test_toast_shows_text_as_is (void)
{
  QuorumWindow *window = present_main_window ();
  GtkWidget *overlay = gtk_widget_get_first_child (GTK_WIDGET (window));

  while (overlay != NULL && !ADW_IS_TOAST_OVERLAY (overlay))
    overlay = gtk_widget_get_first_child (overlay);
  g_assert_nonnull (overlay);

  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay),
                               quorum_toast_new ("Could not save “Hooli & Sons <Europe>”"));
  wait_for (label_shown, window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  quorum_test_settings_init ();  /* before anything reads settings */
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = quorum_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/window/opens", test_window_opens);
  g_test_add_func ("/ui/window/size-remembered", test_window_size_remembered);
  g_test_add_func ("/ui/window/about", test_about_window);
  g_test_add_func ("/ui/window/shortcuts", test_shortcuts_window);
  g_test_add_func ("/ui/window/activate-with-other-window-in-front", test_activate_with_other_window_in_front);
  g_test_add_func ("/ui/window/primary-menu", test_primary_menu);
  g_test_add_func ("/ui/window/toast-shows-text-as-is", test_toast_shows_text_as_is);

  ret = g_test_run ();

  g_clear_object (&app);
  return ret;
}
