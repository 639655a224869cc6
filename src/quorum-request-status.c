/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-request-status.h"

/*
 * Shows a QuorumRequestState: a spinner while waiting, its words, Cancel
 * while a slow request can be stopped, Retry once it failed or does not
 * answer, and technical detail behind a Details expander. Compact, it is a
 * bar above a page that keeps its last good content; otherwise it is
 * centred in place of the content. Empty while the state is idle.
 */

struct _QuorumRequestStatus
{
  GtkWidget           parent_instance;

  QuorumRequestState *state;
  gboolean            compact;

  GtkSpinner         *spinner;
  GtkWidget          *text_box;
  GtkLabel           *message_label;
  GtkLabel           *explanation_label;
  GtkExpander        *details_expander;
  GtkLabel           *detail_label;
  GtkWidget          *buttons_box;
  GtkWidget          *cancel_button;
  GtkWidget          *retry_button;
};

G_DEFINE_FINAL_TYPE (QuorumRequestStatus, quorum_request_status, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATE,
  PROP_COMPACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
update (QuorumRequestStatus *self)
{
  QuorumRequestPhase phase = QUORUM_REQUEST_PHASE_IDLE;
  gboolean running = FALSE;
  const char *detail = NULL;
  gboolean can_cancel;
  gboolean can_retry;

  if (self->state != NULL)
    {
      phase = quorum_request_state_get_phase (self->state);
      running = quorum_request_state_get_running (self->state);
      detail = quorum_request_state_get_detail (self->state);
      set_label (self->message_label, quorum_request_state_get_message (self->state));
      set_label (self->explanation_label, quorum_request_state_get_explanation (self->state));
    }
  else
    {
      set_label (self->message_label, NULL);
      set_label (self->explanation_label, NULL);
    }

  can_cancel = running && (phase == QUORUM_REQUEST_PHASE_STILL_WAITING ||
                           phase == QUORUM_REQUEST_PHASE_NOT_ANSWERING);
  can_retry = phase == QUORUM_REQUEST_PHASE_NOT_ANSWERING ||
              phase == QUORUM_REQUEST_PHASE_OFFLINE ||
              phase == QUORUM_REQUEST_PHASE_SERVER_ERROR ||
              phase == QUORUM_REQUEST_PHASE_FAILED;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_label_set_text (self->detail_label, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->details_expander), detail != NULL);
  if (detail == NULL)
    gtk_expander_set_expanded (self->details_expander, FALSE);
  gtk_widget_set_visible (self->cancel_button, can_cancel);
  gtk_widget_set_visible (self->retry_button, can_retry);
  gtk_widget_set_visible (self->buttons_box, can_cancel || can_retry);
  gtk_widget_set_visible (self->text_box,
                          gtk_widget_get_visible (GTK_WIDGET (self->message_label)) ||
                          gtk_widget_get_visible (GTK_WIDGET (self->explanation_label)) ||
                          detail != NULL);

  /* Retry is the way out once the request ended; while it runs, Cancel. */
  if (can_retry && !running)
    gtk_widget_add_css_class (self->retry_button, "suggested-action");
  else
    gtk_widget_remove_css_class (self->retry_button, "suggested-action");

}

static void
update_layout (QuorumRequestStatus *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkOrientation orientation = self->compact ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL;
  float xalign = self->compact ? 0.0 : 0.5;
  GtkJustification justify = self->compact ? GTK_JUSTIFY_LEFT : GTK_JUSTIFY_CENTER;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), orientation);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), self->compact ? 12 : 18);

  gtk_label_set_xalign (self->message_label, xalign);
  gtk_label_set_xalign (self->explanation_label, xalign);
  gtk_label_set_justify (self->message_label, justify);
  gtk_label_set_justify (self->explanation_label, justify);
  gtk_widget_set_hexpand (self->text_box, self->compact);
  gtk_widget_set_size_request (GTK_WIDGET (self->spinner), self->compact ? 16 : 32,
                               self->compact ? 16 : 32);
  gtk_widget_set_halign (self->text_box, self->compact ? GTK_ALIGN_FILL : GTK_ALIGN_CENTER);

  if (self->compact)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "request-bar");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "title-2");
      gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_FILL);
      gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_START);
      gtk_widget_remove_css_class (GTK_WIDGET (self->explanation_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "request-bar");
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "title-2");
      gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
      gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (GTK_WIDGET (self->explanation_label), "dim-label");
    }
}

static void
cancel_clicked_cb (QuorumRequestStatus *self)
{
  if (self->state != NULL)
    quorum_request_state_cancel (self->state);
}

static void
retry_clicked_cb (QuorumRequestStatus *self)
{
  if (self->state != NULL)
    quorum_request_state_retry (self->state);
}

static void
quorum_request_status_dispose (GObject *object)
{
  QuorumRequestStatus *self = QUORUM_REQUEST_STATUS (object);

  if (self->state != NULL)
    g_signal_handlers_disconnect_by_func (self->state, update, self);
  g_clear_object (&self->state);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_REQUEST_STATUS);

  G_OBJECT_CLASS (quorum_request_status_parent_class)->dispose (object);
}

static void
quorum_request_status_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  QuorumRequestStatus *self = QUORUM_REQUEST_STATUS (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_object (value, self->state);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_request_status_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  QuorumRequestStatus *self = QUORUM_REQUEST_STATUS (object);

  switch (prop_id)
    {
    case PROP_STATE:
      quorum_request_status_set_state (self, g_value_get_object (value));
      break;
    case PROP_COMPACT:
      quorum_request_status_set_compact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_request_status_class_init (QuorumRequestStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_request_status_dispose;
  object_class->get_property = quorum_request_status_get_property;
  object_class->set_property = quorum_request_status_set_property;

  properties[PROP_STATE] =
    g_param_spec_object ("state", NULL, NULL, QUORUM_TYPE_REQUEST_STATE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A bar above content the page keeps, rather than a centred status. */
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "requeststatus");
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-request-status.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumRequestStatus, spinner);
  gtk_widget_class_bind_template_child (widget_class, QuorumRequestStatus, text_box);
  gtk_widget_class_bind_template_child (widget_class, QuorumRequestStatus, message_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumRequestStatus, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumRequestStatus, details_expander);
  gtk_widget_class_bind_template_child (widget_class, QuorumRequestStatus, detail_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumRequestStatus, buttons_box);
  gtk_widget_class_bind_template_child (widget_class, QuorumRequestStatus, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumRequestStatus, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
}

static void
quorum_request_status_init (QuorumRequestStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_layout (self);
  update (self);
}

/**
 * quorum_request_status_new:
 * @state: (nullable): what to show
 */
GtkWidget *
quorum_request_status_new (QuorumRequestState *state)
{
  return g_object_new (QUORUM_TYPE_REQUEST_STATUS, "state", state, NULL);
}

/**
 * quorum_request_status_get_state:
 *
 * Returns: (transfer none) (nullable): the state shown
 */
QuorumRequestState *
quorum_request_status_get_state (QuorumRequestStatus *self)
{
  g_return_val_if_fail (QUORUM_IS_REQUEST_STATUS (self), NULL);

  return self->state;
}

void
quorum_request_status_set_state (QuorumRequestStatus *self,
                                 QuorumRequestState  *state)
{
  g_return_if_fail (QUORUM_IS_REQUEST_STATUS (self));
  g_return_if_fail (state == NULL || QUORUM_IS_REQUEST_STATE (state));

  if (self->state == state)
    return;

  if (self->state != NULL)
    g_signal_handlers_disconnect_by_func (self->state, update, self);
  g_set_object (&self->state, state);
  if (state != NULL)
    {
      g_signal_connect_swapped (state, "notify::phase", G_CALLBACK (update), self);
      g_signal_connect_swapped (state, "notify::running", G_CALLBACK (update), self);
      g_signal_connect_swapped (state, "notify::message", G_CALLBACK (update), self);
      g_signal_connect_swapped (state, "notify::explanation", G_CALLBACK (update), self);
      g_signal_connect_swapped (state, "notify::detail", G_CALLBACK (update), self);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

gboolean
quorum_request_status_get_compact (QuorumRequestStatus *self)
{
  g_return_val_if_fail (QUORUM_IS_REQUEST_STATUS (self), FALSE);

  return self->compact;
}

void
quorum_request_status_set_compact (QuorumRequestStatus *self,
                                   gboolean             compact)
{
  g_return_if_fail (QUORUM_IS_REQUEST_STATUS (self));

  compact = !!compact;
  if (self->compact == compact)
    return;

  self->compact = compact;
  update_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}
