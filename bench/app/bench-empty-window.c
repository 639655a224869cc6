/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

/*
 * The baseline of bench-startup (docs/performance.md, "Start-up"): an
 * AdwApplication that presents an empty AdwApplicationWindow of the app's
 * default size (960 × 720) and says when its first frame was painted, as
 * the app does under QUORUM_TRACE_STARTUP (quorum_trace_startup () in
 * src/quorum-utils.c): "quorum-startup: first-frame MICROSECONDS" on
 * stderr, g_get_monotonic_time (), and its steps as the app names them
 * (main, gtk-initialized, window-created, window-presented). It links
 * nothing of Quorum's, so that it costs what GTK and libadwaita cost. Not a
 * test.
 */

static void
trace (const char *step)
{
  g_printerr ("quorum-startup: %s %" G_GINT64_FORMAT "\n", step, g_get_monotonic_time ());
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, user_data);
  trace ("first-frame");
}

static void
startup_cb (GApplication *app)
{
  trace ("gtk-initialized");
}

static void
activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));

  trace ("window-created");
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
  gtk_window_set_title (GTK_WINDOW (window), "Empty");
  gtk_widget_realize (window);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
  trace ("window-presented");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  trace ("main");
  app = adw_application_new ("org.quorumdesk.BenchEmptyWindow", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "startup", G_CALLBACK (startup_cb), NULL);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
