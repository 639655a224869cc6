/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-api.h"
#include "quorum-request-state.h"
#include "quorum-utils-private.h"

/*
 * One request of a page or dialog, as the user sees it: a spinner, then
 * after QUORUM_REQUEST_STILL_WAITING_MS "Still waiting for <host>…" with
 * Cancel, after QUORUM_REQUEST_NOT_ANSWERING_MS "<host> is not answering"
 * with Retry too (the request keeps running until the client's own
 * timeout), and once it failed, what went wrong in one of four kinds.
 *
 * The owner calls begin() before each request and passes the cancellable
 * it returns, then succeed() or fail() from the callback; it restarts its
 * request on ::retry. A load the user did not ask for (automatic) is
 * retried by itself: with back-off after the server could not be reached,
 * did not answer or answered wrong, and at once when the network comes back.
 */

struct _QuorumRequestState
{
  GObject             parent_instance;

  char               *host;
  QuorumRequestPhase  phase;
  char               *message;
  char               *explanation;
  char               *detail;
  gboolean            automatic;
  GCancellable       *cancellable;  /* the request in flight, NULL when none */
  guint               phase_source; /* the next waiting phase */
  guint               retry_source; /* the automatic retry */
  guint               retry_seconds;
  gboolean            retrying;     /* the next begin() is this state's own retry */
};

G_DEFINE_FINAL_TYPE (QuorumRequestState, quorum_request_state, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (QuorumRequestPhase, quorum_request_phase,
  G_DEFINE_ENUM_VALUE (QUORUM_REQUEST_PHASE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (QUORUM_REQUEST_PHASE_WAITING, "waiting"),
  G_DEFINE_ENUM_VALUE (QUORUM_REQUEST_PHASE_STILL_WAITING, "still-waiting"),
  G_DEFINE_ENUM_VALUE (QUORUM_REQUEST_PHASE_NOT_ANSWERING, "not-answering"),
  G_DEFINE_ENUM_VALUE (QUORUM_REQUEST_PHASE_OFFLINE, "offline"),
  G_DEFINE_ENUM_VALUE (QUORUM_REQUEST_PHASE_SERVER_ERROR, "server-error"),
  G_DEFINE_ENUM_VALUE (QUORUM_REQUEST_PHASE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_PHASE,
  PROP_RUNNING,
  PROP_HOST,
  PROP_MESSAGE,
  PROP_EXPLANATION,
  PROP_DETAIL,
  PROP_AUTOMATIC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
display_host (QuorumRequestState *self)
{
  /* Translators: instead of a server's host name when it is not known */
  return self->host != NULL && *self->host != '\0' ? self->host : _("the server");
}

static void
set_string (QuorumRequestState  *self,
            char               **field,
            const char          *value,
            int                  prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* The words of a waiting phase; a failure sets its own. */
static void
set_phase (QuorumRequestState *self,
           QuorumRequestPhase  phase,
           const char         *message,
           const char         *explanation,
           const char         *detail)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->message, message, PROP_MESSAGE);
  set_string (self, &self->explanation, explanation, PROP_EXPLANATION);
  set_string (self, &self->detail, detail, PROP_DETAIL);
  if (self->phase != phase)
    {
      self->phase = phase;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_running (QuorumRequestState *self,
             GCancellable       *cancellable)
{
  gboolean was_running = self->cancellable != NULL;

  g_set_object (&self->cancellable, cancellable);
  if (was_running != (cancellable != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static char *
not_answering_words (QuorumRequestState *self)
{
  /* Translators: %s is a server's host name, such as quorum.example.org */
  return g_strdup_printf (_("%s is not answering"), display_host (self));
}

static gboolean
not_answering_cb (gpointer data)
{
  QuorumRequestState *self = data;
  g_autofree char *message = not_answering_words (self);

  self->phase_source = 0;
  set_phase (self, QUORUM_REQUEST_PHASE_NOT_ANSWERING, message, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
still_waiting_cb (gpointer data)
{
  QuorumRequestState *self = data;
  g_autofree char *message = NULL;

  /* Translators: %s is a server's host name, such as quorum.example.org */
  message = g_strdup_printf (_("Still waiting for %s…"), display_host (self));
  set_phase (self, QUORUM_REQUEST_PHASE_STILL_WAITING, message, NULL, NULL);
  self->phase_source = g_timeout_add (QUORUM_REQUEST_NOT_ANSWERING_MS - QUORUM_REQUEST_STILL_WAITING_MS,
                                      not_answering_cb, self);
  return G_SOURCE_REMOVE;
}

static gboolean
retry_timeout_cb (gpointer data)
{
  QuorumRequestState *self = data;

  self->retry_source = 0;
  self->retrying = TRUE;
  g_signal_emit (self, signals[RETRY], 0);
  self->retrying = FALSE;
  return G_SOURCE_REMOVE;
}

static void
stop_timers (QuorumRequestState *self)
{
  g_clear_handle_id (&self->phase_source, g_source_remove);
  g_clear_handle_id (&self->retry_source, g_source_remove);
}

static gboolean
phase_retries_by_itself (QuorumRequestPhase phase)
{
  return phase == QUORUM_REQUEST_PHASE_OFFLINE ||
         phase == QUORUM_REQUEST_PHASE_NOT_ANSWERING ||
         phase == QUORUM_REQUEST_PHASE_SERVER_ERROR;
}

static void
network_changed_cb (QuorumRequestState *self,
                    gboolean            available)
{
  /* The network came back: an automatic load that failed tries again now
   * rather than at the end of its back-off. */
  if (available && self->automatic && self->cancellable == NULL && self->retry_source != 0)
    {
      g_clear_handle_id (&self->retry_source, g_source_remove);
      self->retrying = TRUE;
      g_signal_emit (self, signals[RETRY], 0);
      self->retrying = FALSE;
    }
}

static void
quorum_request_state_dispose (GObject *object)
{
  QuorumRequestState *self = QUORUM_REQUEST_STATE (object);

  stop_timers (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (quorum_request_state_parent_class)->dispose (object);
}

static void
quorum_request_state_finalize (GObject *object)
{
  QuorumRequestState *self = QUORUM_REQUEST_STATE (object);

  g_free (self->host);
  g_free (self->message);
  g_free (self->explanation);
  g_free (self->detail);

  G_OBJECT_CLASS (quorum_request_state_parent_class)->finalize (object);
}

static void
quorum_request_state_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  QuorumRequestState *self = QUORUM_REQUEST_STATE (object);

  switch (prop_id)
    {
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_EXPLANATION:
      g_value_set_string (value, self->explanation);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_AUTOMATIC:
      g_value_set_boolean (value, self->automatic);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_request_state_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  QuorumRequestState *self = QUORUM_REQUEST_STATE (object);

  switch (prop_id)
    {
    case PROP_HOST:
      quorum_request_state_set_host (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_request_state_class_init (QuorumRequestStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = quorum_request_state_dispose;
  object_class->finalize = quorum_request_state_finalize;
  object_class->get_property = quorum_request_state_get_property;
  object_class->set_property = quorum_request_state_set_property;

  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL, QUORUM_TYPE_REQUEST_PHASE, QUORUM_REQUEST_PHASE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A request is in flight (and can be cancelled). */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The server's host name, as the words name it. */
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The words shown: NULL while idle and during the first seconds. */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A second, smaller line: what failed, or why ("Could not connect to …"). */
  properties[PROP_EXPLANATION] =
    g_param_spec_string ("explanation", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Technical detail, behind a Details expander. */
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The request is one the user did not ask for: retried by itself. */
  properties[PROP_AUTOMATIC] =
    g_param_spec_boolean ("automatic", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QuorumRequestState::retry:
   *
   * The owner starts its request again (and calls begin()): after Retry,
   * or when an automatic load's back-off ended or the network came back.
   */
  signals[RETRY] = g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
quorum_request_state_init (QuorumRequestState *self)
{
  g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                           G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * quorum_request_state_new:
 * @host: (nullable): the server's host name, as the words name it
 */
QuorumRequestState *
quorum_request_state_new (const char *host)
{
  return g_object_new (QUORUM_TYPE_REQUEST_STATE, "host", host, NULL);
}

/**
 * quorum_request_state_begin:
 * @automatic: the user did not ask for this request (a page loading by
 *   itself): it is retried by itself when it fails for want of the server
 *
 * Cancels the request in flight, if any, and starts waiting for a new one.
 *
 * Returns: (transfer none): the cancellable to pass to the request
 */
GCancellable *
quorum_request_state_begin (QuorumRequestState *self,
                            gboolean            automatic)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_return_val_if_fail (QUORUM_IS_REQUEST_STATE (self), NULL);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  stop_timers (self);
  /* Observers see the new request whole, whichever property they watch. */
  g_object_freeze_notify (G_OBJECT (self));
  set_running (self, cancellable);
  if (self->automatic != automatic)
    {
      self->automatic = automatic;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOMATIC]);
    }
  /* Retrying by itself: what failed stays said (with the spinner) rather
   * than blinking away, until the retry answers or waits long. */
  if (!(self->retrying && automatic && phase_retries_by_itself (self->phase)))
    set_phase (self, QUORUM_REQUEST_PHASE_WAITING, NULL, NULL, NULL);
  g_object_thaw_notify (G_OBJECT (self));
  self->phase_source = g_timeout_add (QUORUM_REQUEST_STILL_WAITING_MS, still_waiting_cb, self);
  return self->cancellable;
}

/**
 * quorum_request_state_succeed:
 *
 * The request answered: back to idle, and the back-off starts afresh.
 */
void
quorum_request_state_succeed (QuorumRequestState *self)
{
  g_return_if_fail (QUORUM_IS_REQUEST_STATE (self));

  stop_timers (self);
  self->retry_seconds = 0;
  g_object_freeze_notify (G_OBJECT (self));
  set_running (self, NULL);
  set_phase (self, QUORUM_REQUEST_PHASE_IDLE, NULL, NULL, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * quorum_request_state_fail:
 * @context: (nullable): what failed, such as "Could not load the members"
 * @error: why
 *
 * The request failed: a cancelled one goes back to idle (unless another
 * request started since), any other error shows as one of the failure
 * phases, with its words.
 */
void
quorum_request_state_fail (QuorumRequestState *self,
                           const char         *context,
                           const GError       *error)
{
  QuorumRequestPhase phase;
  g_autofree char *message = NULL;
  g_autofree char *explanation = NULL;
  const char *detail = NULL;

  g_return_if_fail (QUORUM_IS_REQUEST_STATE (self));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Cancelled because a newer request began (that one goes on), or by
       * cancel() (which said so already): nothing to do. Only a
       * cancellable the owner cancelled itself ends the request here. */
      if (self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable))
        quorum_request_state_cancel (self);
      return;
    }

  stop_timers (self);
  g_object_freeze_notify (G_OBJECT (self));
  set_running (self, NULL);

  if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_TIMEOUT))
    {
      /* The server was reached once but does not answer: never "Offline". */
      phase = QUORUM_REQUEST_PHASE_NOT_ANSWERING;
      message = not_answering_words (self);
      explanation = g_strdup (context);
    }
  else if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_NETWORK))
    {
      phase = QUORUM_REQUEST_PHASE_OFFLINE;
      /* Translators: a request's state: the server could not be reached */
      message = g_strdup (_("Offline"));
      if (context != NULL)
        /* Translators: what failed ("Could not open Initech"), then a server's host name */
        explanation = g_strdup_printf (_("%s: could not connect to %s"), context, display_host (self));
      else
        /* Translators: %s is a server's host name, such as quorum.example.org */
        explanation = g_strdup_printf (_("Could not connect to %s"), display_host (self));
    }
  else if (quorum_error_is_server_problem (error))
    {
      phase = QUORUM_REQUEST_PHASE_SERVER_ERROR;
      message = g_strdup (_("The server had a problem"));
      explanation = g_strdup (context);
      detail = quorum_api_error_get_detail (error);
      if (detail == NULL)
        detail = error->message;
    }
  else
    {
      phase = QUORUM_REQUEST_PHASE_FAILED;
      message = quorum_error_compose (context, error);
    }

  set_phase (self, phase, message, explanation, detail);
  g_object_thaw_notify (G_OBJECT (self));

  if (self->automatic && phase_retries_by_itself (phase))
    {
      /* Back off: 2, 4, 8… seconds, at most a minute. */
      self->retry_seconds = CLAMP (self->retry_seconds * 2, QUORUM_REQUEST_RETRY_FIRST_S,
                                   QUORUM_REQUEST_RETRY_MAX_S);
      self->retry_source = g_timeout_add_seconds (self->retry_seconds, retry_timeout_cb, self);
    }
}

/**
 * quorum_request_state_cancel:
 *
 * Cancels the request in flight and any automatic retry; the page goes
 * back to its last good state.
 */
void
quorum_request_state_cancel (QuorumRequestState *self)
{
  g_autoptr(GCancellable) cancellable = NULL;

  g_return_if_fail (QUORUM_IS_REQUEST_STATE (self));

  stop_timers (self);
  cancellable = self->cancellable != NULL ? g_object_ref (self->cancellable) : NULL;
  g_object_freeze_notify (G_OBJECT (self));
  set_running (self, NULL);
  set_phase (self, QUORUM_REQUEST_PHASE_IDLE, NULL, NULL, NULL);
  g_object_thaw_notify (G_OBJECT (self));
  /* Last: the request's callback may run from here (and see IDLE). */
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
}

/**
 * quorum_request_state_retry:
 *
 * What Retry does: the owner starts its request again (::retry), which
 * cancels the one still in flight.
 */
void
quorum_request_state_retry (QuorumRequestState *self)
{
  g_return_if_fail (QUORUM_IS_REQUEST_STATE (self));

  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_seconds = 0;
  g_signal_emit (self, signals[RETRY], 0);
}

/**
 * quorum_request_state_reset:
 *
 * Forgets everything, like cancel(), and the back-off too: for a page
 * that now shows something else (another organization, no one signed in).
 */
void
quorum_request_state_reset (QuorumRequestState *self)
{
  g_return_if_fail (QUORUM_IS_REQUEST_STATE (self));

  self->retry_seconds = 0;
  quorum_request_state_cancel (self);
}

QuorumRequestPhase
quorum_request_state_get_phase (QuorumRequestState *self)
{
  g_return_val_if_fail (QUORUM_IS_REQUEST_STATE (self), QUORUM_REQUEST_PHASE_IDLE);

  return self->phase;
}

/* A request is in flight. */
gboolean
quorum_request_state_get_running (QuorumRequestState *self)
{
  g_return_val_if_fail (QUORUM_IS_REQUEST_STATE (self), FALSE);

  return self->cancellable != NULL;
}

gboolean
quorum_request_state_get_automatic (QuorumRequestState *self)
{
  g_return_val_if_fail (QUORUM_IS_REQUEST_STATE (self), FALSE);

  return self->automatic;
}

const char *
quorum_request_state_get_host (QuorumRequestState *self)
{
  g_return_val_if_fail (QUORUM_IS_REQUEST_STATE (self), NULL);

  return self->host;
}

void
quorum_request_state_set_host (QuorumRequestState *self,
                               const char         *host)
{
  g_return_if_fail (QUORUM_IS_REQUEST_STATE (self));

  set_string (self, &self->host, host, PROP_HOST);
}

/**
 * quorum_request_state_set_host_from_url:
 * @url: (nullable): a server's address, such as a client's base URL
 *
 * Names the server by the host of @url.
 */
void
quorum_request_state_set_host_from_url (QuorumRequestState *self,
                                        const char         *url)
{
  g_autoptr(GUri) uri = NULL;

  g_return_if_fail (QUORUM_IS_REQUEST_STATE (self));

  if (url != NULL)
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  quorum_request_state_set_host (self, uri != NULL ? g_uri_get_host (uri) : NULL);
}

const char *
quorum_request_state_get_message (QuorumRequestState *self)
{
  g_return_val_if_fail (QUORUM_IS_REQUEST_STATE (self), NULL);

  return self->message;
}

const char *
quorum_request_state_get_explanation (QuorumRequestState *self)
{
  g_return_val_if_fail (QUORUM_IS_REQUEST_STATE (self), NULL);

  return self->explanation;
}

const char *
quorum_request_state_get_detail (QuorumRequestState *self)
{
  g_return_val_if_fail (QUORUM_IS_REQUEST_STATE (self), NULL);

  return self->detail;
}

/* The wait before the next automatic retry; 0 when none is planned. */
guint
quorum_request_state_get_retry_seconds (QuorumRequestState *self)
{
  g_return_val_if_fail (QUORUM_IS_REQUEST_STATE (self), 0);

  return self->retry_source != 0 ? self->retry_seconds : 0;
}
