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
 *
 * With BENCH_EMPTY_WINDOW_HEADER set, the window holds what the app's start
 * view shows, built by hand: a header bar (title, a menu button, the window
 * controls) over a spinner and a line of text. The difference to the app is
 * then the app's own code; the difference to the empty window is what GTK
 * costs for a header bar, icons and text.
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

static GtkWidget *
start_view_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *menu = gtk_menu_button_new ();
  GtkWidget *center = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *spinner = gtk_spinner_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("Quorum", NULL));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "open-menu-symbolic");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), menu);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (center, TRUE);
  gtk_widget_set_valign (center, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_box_append (GTK_BOX (center), spinner);
  gtk_box_append (GTK_BOX (center), gtk_label_new ("Loading organizations…"));
  gtk_box_append (GTK_BOX (box), center);
  return box;
}

static void
activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));

  if (g_getenv ("BENCH_EMPTY_WINDOW_HEADER") != NULL)
    adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), start_view_new ());
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
