/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-application.h"
#include "quorum-core.h"
#include "quorum-session.h"
#include "quorum-utils-private.h"
#include "quorum-window.h"

struct _QuorumApplication
{
  AdwApplication  parent_instance;

  QuorumSession  *session;
};

G_DEFINE_FINAL_TYPE (QuorumApplication, quorum_application, ADW_TYPE_APPLICATION)

static QuorumWindow *
get_or_create_window (QuorumApplication *self)
{
  /* Not the active window: that may be an About or Shortcuts window. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (QUORUM_IS_WINDOW (l->data))
        return QUORUM_WINDOW (l->data);
    }

  return quorum_window_new (GTK_APPLICATION (self), quorum_application_get_session (self));
}

static void
quorum_application_activate (GApplication *app)
{
  QuorumWindow *window;

  quorum_trace_startup ("activate");
  window = get_or_create_window (QUORUM_APPLICATION (app));
  quorum_trace_startup ("window-created");
  gtk_window_present (GTK_WINDOW (window));
  quorum_trace_startup ("window-presented");
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

/*
 * `quorum --server URL`: the server the sign-in view suggests, instead of
 * DEFAULT_SERVER_URL (what ./run starts). Tests and screenshots point the
 * app at their own server with it.
 */
static int
quorum_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  QuorumApplication *self = QUORUM_APPLICATION (app);
  const char *server = NULL;

  if (g_variant_dict_lookup (options, "server", "&s", &server))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = quorum_server_url_normalize (server, &error);

      if (url == NULL)
        {
          g_printerr (_("Not a server address: %s\n"), server);
          return 1;
        }
      quorum_application_set_default_server (self, url);
    }

  return -1;
}

static void
quorum_application_startup (GApplication *app)
{
  quorum_trace_startup ("startup");
  G_APPLICATION_CLASS (quorum_application_parent_class)->startup (app);
  quorum_trace_startup ("gtk-initialized");

  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
quorum_application_shutdown (GApplication *app)
{
  G_APPLICATION_CLASS (quorum_application_parent_class)->shutdown (app);

  g_clear_object (&QUORUM_APPLICATION (app)->session);
}

static void
quorum_application_finalize (GObject *object)
{
  QuorumApplication *self = QUORUM_APPLICATION (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (quorum_application_parent_class)->finalize (object);
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
  GtkApplication *app = GTK_APPLICATION (user_data);
  gboolean may_quit = TRUE;

  /* A window with unsaved edits asks first, and quits if the user agrees. */
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    {
      if (QUORUM_IS_WINDOW (l->data) && !quorum_window_request_quit (QUORUM_WINDOW (l->data)))
        may_quit = FALSE;
    }

  if (may_quit)
    g_application_quit (G_APPLICATION (app));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = show_about_cb },
  { .name = "quit", .activate = quit_cb },
};

static void
quorum_application_class_init (QuorumApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = quorum_application_finalize;
  app_class->handle_local_options = quorum_application_handle_local_options;
  app_class->shutdown = quorum_application_shutdown;
  app_class->activate = quorum_application_activate;
  app_class->open = quorum_application_open;
  app_class->startup = quorum_application_startup;
}

static void
quorum_application_init (QuorumApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *switcher_accels[] = { "<Control><Shift>o", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const GOptionEntry options[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The server the sign-in view suggests"), N_("URL") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-organizations", switcher_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search-members", search_accels);
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

/**
 * quorum_application_get_session:
 *
 * Returns: (transfer none): the accounts of the app
 */
QuorumSession *
quorum_application_get_session (QuorumApplication *self)
{
  g_return_val_if_fail (QUORUM_IS_APPLICATION (self), NULL);

  if (self->session == NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

      self->session = quorum_session_new (settings);
      quorum_trace_startup ("session-created");
    }
  return self->session;
}

const char *
quorum_application_get_default_server (QuorumApplication *self)
{
  g_return_val_if_fail (QUORUM_IS_APPLICATION (self), NULL);

  return quorum_session_get_default_server (quorum_application_get_session (self));
}

void
quorum_application_set_default_server (QuorumApplication *self,
                                       const char        *url)
{
  g_return_if_fail (QUORUM_IS_APPLICATION (self));
  g_return_if_fail (url != NULL);

  quorum_session_set_default_server (quorum_application_get_session (self), url);
}
