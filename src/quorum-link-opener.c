/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-core.h"
#include "quorum-link-opener.h"

/*
 * What the windows opened by quorum:// links share: one window per link
 * (the same link clicked twice presents the window already open), shown in
 * front of the main window without becoming the application's window.
 */

#define TOKEN_KEY "quorum-link-token"

/* Returns: (transfer none) (nullable): the window of @type already open for @token */
static GtkWindow *
find (GType       type,
      const char *token)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; token != NULL && i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (window), TOKEN_KEY), token) == 0)
        return window;  /* GTK keeps its toplevels alive */
    }
  return NULL;
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

static gboolean
present_again_cb (gpointer data)
{
  g_autoptr(GtkWindow) shown = g_weak_ref_get (data);
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  /* Closed meanwhile (a destroyed window leaves the toplevels): not shown
   * again. The idle holds the window only weakly: a strong reference kept
   * it past its parent's finalization, and its own dispose then unset a
   * transient parent that was gone (a crash at exit). */
  for (guint i = 0; shown != NULL && i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (window == shown)
        {
          gtk_window_present (window);
          break;
        }
    }
  return G_SOURCE_REMOVE;
}

/**
 * quorum_link_opener_open:
 * @parent: the main window
 * @type: the window type for the link's kind
 * @new_window: makes the window for @session and @uri
 *
 * Opens the window of @type for @uri, or presents the one already open for
 * the same link.
 */
void
quorum_link_opener_open (GtkWindow           *parent,
                         GType                type,
                         QuorumLinkWindowNew  new_window,
                         gpointer             session,
                         const char          *uri)
{
  g_autoptr(QuorumLink) link = quorum_link_parse (uri, NULL);
  GtkWindow *window = NULL;

  if (link != NULL)
    window = find (type, quorum_link_get_token (link));
  if (window == NULL)
    {
      window = new_window (session, uri);
      if (link != NULL)
        g_object_set_data_full (G_OBJECT (window), TOKEN_KEY, g_strdup (quorum_link_get_token (link)), g_free);
      /* Not an application window: the application hands links and
       * activations to its active window, which must stay the main one. */
      gtk_window_set_transient_for (window, parent);
      gtk_window_set_destroy_with_parent (window, TRUE);
    }
  gtk_window_present (window);
  /* The application presents the main window after handing over the link;
   * present this one once more afterwards so it ends up in front. */
  {
    GWeakRef *ref = g_new0 (GWeakRef, 1);

    g_weak_ref_init (ref, window);
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, present_again_cb, ref, (GDestroyNotify) weak_ref_free);
  }
}
