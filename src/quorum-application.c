/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-application.h"
#include "quorum-window.h"

struct _QuorumApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (QuorumApplication, quorum_application, ADW_TYPE_APPLICATION)

static QuorumWindow *
get_or_create_window (QuorumApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (quorum_window_new (self));

  return QUORUM_WINDOW (window);
}

static void
quorum_application_activate (GApplication *app)
{
  QuorumWindow *window = get_or_create_window (QUORUM_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
}

static void
quorum_application_open (GApplication  *app,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  QuorumWindow *window = get_or_create_window (QUORUM_APPLICATION (app));

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);

      quorum_window_open_uri (window, uri);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
quorum_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (quorum_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
show_about_cb (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  QuorumApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Quorum Developers", NULL };
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  adw_about_window_set_application_name (about, _("Quorum"));
  adw_about_window_set_application_icon (about, APPLICATION_ID);
  adw_about_window_set_developer_name (about, _("The Quorum Developers"));
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_website (about, "https://quorumdesk.org");
  adw_about_window_set_issue_url (about, "https://quorumdesk.org/issues");
  adw_about_window_set_comments (about,
                                 _("Run your organizations from the desktop: members, "
                                   "invitations, billing and developer keys."));
  adw_about_window_set_developers (about, developers);
  /* Translators: replace with your names, one per line */
  adw_about_window_set_translator_credits (about, _("translator-credits"));
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_copyright (about, "© 2026 The Quorum Developers");
  gtk_window_set_transient_for (GTK_WINDOW (about), window);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_cb (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = show_about_cb },
  { .name = "quit", .activate = quit_cb },
};

static void
quorum_application_class_init (QuorumApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = quorum_application_activate;
  app_class->open = quorum_application_open;
  app_class->startup = quorum_application_startup;
}

static void
quorum_application_init (QuorumApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

QuorumApplication *
quorum_application_new (void)
{
  return g_object_new (QUORUM_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       NULL);
}
