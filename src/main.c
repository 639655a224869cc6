/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "quorum-application.h"
#include "quorum-utils-private.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(QuorumApplication) app = NULL;

  quorum_trace_startup ("main");
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = quorum_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
