/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-api.h"
#include "quorum-utils-private.h"

struct _QuorumWeakCall
{
  gpointer        object;  /* weak */
  QuorumWeakFunc  func;
  gpointer        data;
  GDestroyNotify  destroy;
};

/**
 * quorum_weak_call_new:
 * @object: the object @func is for; held weakly
 * @func: called with @object and @data, only while @object lives
 * @data: (transfer full): handed to @func, freed with @destroy
 *
 * A callback that outlives what it was for without keeping it alive: a
 * toast's Retry or a dialog's answer arriving after its page or window went.
 */
QuorumWeakCall *
quorum_weak_call_new (gpointer       object,
                      QuorumWeakFunc func,
                      gpointer       data,
                      GDestroyNotify destroy)
{
  QuorumWeakCall *call;

  g_return_val_if_fail (G_IS_OBJECT (object), NULL);

  call = g_new0 (QuorumWeakCall, 1);
  g_set_weak_pointer (&call->object, object);
  call->func = func;
  call->data = data;
  call->destroy = destroy;
  return call;
}

void
quorum_weak_call_run (QuorumWeakCall *call)
{
  if (call->object != NULL && call->func != NULL)
    call->func (call->object, call->data);
}

void
quorum_weak_call_free (QuorumWeakCall *call)
{
  if (call == NULL)
    return;
  g_clear_weak_pointer (&call->object);
  if (call->destroy != NULL)
    call->destroy (call->data);
  g_free (call);
}

void
quorum_weak_call_closure_free (gpointer  call,
                               GClosure *closure)
{
  quorum_weak_call_free (call);
}

/**
 * quorum_toast_new:
 * @text: plain text, such as an organization's name or a server's message
 *
 * A toast showing @text as it is. Toast titles are Pango markup in
 * libadwaita 1.2 (AdwToast:use-markup only came in 1.4), so a name with
 * "&" or "<" would show wrong or not at all without escaping.
 *
 * Returns: (transfer full): a new toast
 */
AdwToast *
quorum_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  return adw_toast_new (escaped);
}

/**
 * quorum_toast_show:
 * @widget: an #AdwToastOverlay, or a widget inside one
 * @retry: (transfer full) (nullable): what the toast's Retry does
 *
 * Shows @text in the overlay; with @retry, a Retry button and a longer
 * timeout. Without an overlay nothing is shown and @retry is freed.
 *
 * Returns: (transfer none) (nullable): the toast shown
 */
AdwToast *
quorum_toast_show (GtkWidget      *widget,
                   const char     *text,
                   QuorumWeakCall *retry)
{
  GtkWidget *overlay = ADW_IS_TOAST_OVERLAY (widget)
                       ? widget : gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    {
      quorum_weak_call_free (retry);
      return NULL;
    }

  toast = quorum_toast_new (text);
  if (retry != NULL)
    {
      adw_toast_set_button_label (toast, _("_Retry"));
      adw_toast_set_timeout (toast, 10);
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (quorum_weak_call_run), retry,
                             quorum_weak_call_closure_free, G_CONNECT_SWAPPED);
    }
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return toast;
}

/* The server could not be reached at all: the offline banner's business. */
gboolean
quorum_error_is_offline (const GError *error)
{
  return g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_NETWORK) ||
         g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_TIMEOUT);
}

/* The server answered, but with a failure of its own (5xx) or with
 * something that is not the contract. */
gboolean
quorum_error_is_server_problem (const GError *error)
{
  return g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_SERVER) ||
         g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_RESPONSE);
}

/**
 * quorum_error_compose:
 * @context: (nullable): what failed, such as "Could not send the invitation"
 * @error: why
 *
 * Returns: (transfer full): the one sentence shown for @error
 */
char *
quorum_error_compose (const char   *context,
                      const GError *error)
{
  if (context == NULL)
    return g_strdup (error->message);
  return g_strdup_printf ("%s: %s", context, error->message);
}

void
quorum_widget_set_error (GtkWidget *widget,
                         gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
}
