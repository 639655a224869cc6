/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-window.h"

struct _QuorumWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
};

G_DEFINE_FINAL_TYPE (QuorumWindow, quorum_window, ADW_TYPE_APPLICATION_WINDOW)

static void
quorum_window_save_size (QuorumWindow *self)
{
  int width;
  int height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
}

static gboolean
quorum_window_close_request (GtkWindow *window)
{
  QuorumWindow *self = QUORUM_WINDOW (window);

  if (!gtk_window_is_maximized (window))
    quorum_window_save_size (self);

  return GTK_WINDOW_CLASS (quorum_window_parent_class)->close_request (window);
}

static void
quorum_window_dispose (GObject *object)
{
  QuorumWindow *self = QUORUM_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_WINDOW);

  G_OBJECT_CLASS (quorum_window_parent_class)->dispose (object);
}

static void
quorum_window_finalize (GObject *object)
{
  QuorumWindow *self = QUORUM_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (quorum_window_parent_class)->finalize (object);
}

static void
quorum_window_class_init (QuorumWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = quorum_window_dispose;
  object_class->finalize = quorum_window_finalize;
  window_class->close_request = quorum_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-window.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, toast_overlay);
}

static void
quorum_window_init (QuorumWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = g_settings_new (APPLICATION_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

QuorumWindow *
quorum_window_new (QuorumApplication *application)
{
  g_return_val_if_fail (QUORUM_IS_APPLICATION (application), NULL);

  return g_object_new (QUORUM_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

void
quorum_window_open_uri (QuorumWindow *self,
                        const char   *uri)
{
  AdwToast *toast;

  g_return_if_fail (QUORUM_IS_WINDOW (self));
  g_return_if_fail (uri != NULL);

  /* Invitation links are handled by the invitation page (issue 6); until it
   * lands, say so instead of dropping the link silently. */
  toast = adw_toast_new (_("Invitation links cannot be opened yet"));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
