/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-a11y.h"
#include "quorum-core.h"
#include "quorum-request-state.h"
#include "quorum-request-status.h"
#include "quorum-sign-in-page.h"
#include "quorum-utils-private.h"

/*
 * Sign in, or create an account, on any Quorum server, or ask for a password
 * reset link ("Forgot Password?"). What was typed stays in the form whatever
 * the error; the password leaves it only on success.
 *
 * Signing in (or up) and the wait for what follows ("Loading
 * organizations…") are one request under a QuorumRequestState: after 3 s
 * "Still waiting for <host>…" with Cancel, at 10 s "<host> is not
 * answering". Cancel gives the form back as typed and keeps no session:
 * an account already stored while its organizations were loading is
 * signed out again. The user asked for it, so nothing is retried by itself.
 */

struct _QuorumSignInPage
{
  AdwBin          parent_instance;

  QuorumSession  *session;
  GCancellable   *cancellable; /* busy; for sign-in, the request state's */
  QuorumRequestState *request_state;  /* sign-in or sign-up, and what follows */
  QuorumAccount  *pending;     /* signed in, its organizations still loading */
  gboolean        sign_up;
  gboolean        forgot;      /* asking for a password reset link */
  gboolean        can_switch;  /* "Create an Account" offered (no account given) */
  char           *message;     /* what prepare() said, shown again after a reset request */

  GtkLabel       *title_label;
  GtkLabel       *message_label;
  AdwEntryRow    *server_row;
  AdwEntryRow    *name_row;
  AdwEntryRow    *email_row;
  AdwEntryRow    *password_row;
  GtkWidget      *insecure_box;
  GtkCheckButton *insecure_check;
  GtkLabel       *name_error_label;
  GtkLabel       *hint_label;
  GtkLabel       *error_label;
  GtkLabel       *progress_label;
  GtkRevealer    *request_revealer;
  QuorumRequestStatus *request_status;
  GtkButton      *submit_button;
  GtkLabel       *submit_label;
  GtkSpinner     *spinner;
  GtkButton      *mode_button;
  GtkButton      *cancel_button;
  GtkButton      *forgot_button;
};

G_DEFINE_FINAL_TYPE (QuorumSignInPage, quorum_sign_in_page, ADW_TYPE_BIN)

enum {
  SIGNED_IN,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void submit_cb (QuorumSignInPage *self);

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
busy (QuorumSignInPage *self)
{
  return self->cancellable != NULL;
}

/* Plain http to another computer: allowed only with the explicit choice. */
static gboolean
server_insecure (QuorumSignInPage *self)
{
  g_autofree char *server = g_strstrip (g_strdup (row_text (self->server_row)));
  g_autofree char *url = quorum_server_url_normalize (server, NULL);

  return url != NULL && quorum_client_url_is_insecure (url);
}

static gboolean
form_valid (QuorumSignInPage *self)
{
  g_autofree char *server = g_strstrip (g_strdup (row_text (self->server_row)));
  g_autofree char *email = g_strstrip (g_strdup (row_text (self->email_row)));

  if (*server == '\0' || !quorum_email_is_valid (email))
    return FALSE;
  if (server_insecure (self) && !gtk_check_button_get_active (self->insecure_check))
    return FALSE;
  if (self->forgot)
    return TRUE;
  if (self->sign_up)
    return quorum_name_is_valid (row_text (self->name_row)) &&
           quorum_password_is_valid (row_text (self->password_row));
  return *row_text (self->password_row) != '\0';
}

/* What is wrong with the name typed for a new account, once something is
 * typed: the characters refused may be invisible, so say it. */
static void
update_name_problem (QuorumSignInPage *self)
{
  const char *name = row_text (self->name_row);
  const char *problem = NULL;
  GtkAccessible *row = GTK_ACCESSIBLE (self->name_row);  /* what screen readers meet */

  if (self->sign_up && *name != '\0')
    problem = quorum_name_problem (quorum_name_check (name));

  quorum_widget_set_error (GTK_WIDGET (self->name_row), problem != NULL);
  gtk_label_set_label (self->name_error_label, problem != NULL ? _(problem) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->name_error_label), problem != NULL);
  if (problem != NULL)
    gtk_accessible_update_relation (row, GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->name_error_label, NULL, -1);
  else
    gtk_accessible_reset_relation (row, GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
}

/* @text: (nullable): what the page is doing, or %NULL when it waits for
 * nothing */
static void
set_progress (QuorumSignInPage *self,
              const char       *text)
{
  gtk_label_set_label (self->progress_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), text != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text != NULL ? text : "", -1);
}

static void
update (QuorumSignInPage *self)
{
  const char *password = row_text (self->password_row);

  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), !busy (self) && form_valid (self));
  gtk_widget_set_visible (self->insecure_box, server_insecure (self));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy (self));
  gtk_spinner_set_spinning (self->spinner, busy (self));
  if (!busy (self))
    set_progress (self, NULL);
  update_name_problem (self);

  if (self->sign_up && *password != '\0' && !quorum_password_is_valid (password))
    {
      g_autofree char *hint = g_strdup_printf (ngettext ("The password needs at least %d character.",
                                                         "The password needs at least %d characters.",
                                                         QUORUM_PASSWORD_MIN_CHARS),
                                               QUORUM_PASSWORD_MIN_CHARS);
      gtk_label_set_label (self->hint_label, hint);
      gtk_widget_set_visible (GTK_WIDGET (self->hint_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->hint_label), FALSE);
}

static void
set_error (QuorumSignInPage *self,
           const char       *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static const char *
forgot_message (void)
{
  return _("Quorum asks the server to send a link for choosing a new password to this e-mail address.");
}

/* An account stored while its organizations loaded, given up: no session
 * stays on this computer (best effort on the server). */
static void
drop_pending (QuorumSignInPage *self)
{
  g_autoptr(QuorumAccount) account = g_steal_pointer (&self->pending);

  if (account != NULL && self->session != NULL)
    quorum_session_sign_out_async (self->session, account, NULL, NULL, NULL);
}

/* Ends whatever the page waits for; the form stays as typed. */
static void
stop (QuorumSignInPage *self)
{
  g_autoptr(GCancellable) cancellable = g_steal_pointer (&self->cancellable);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  quorum_request_state_reset (self->request_state);
  drop_pending (self);
}

static void
set_mode (QuorumSignInPage *self,
          gboolean          sign_up,
          gboolean          forgot)
{
  const char *title = _("Sign In to Quorum");
  const char *submit = _("_Sign In");
  const char *submit_name = _("Sign In");

  stop (self);

  self->sign_up = sign_up && !forgot;
  self->forgot = forgot;
  if (self->sign_up)
    {
      title = _("Create a Quorum Account");
      submit = _("_Create Account");
      submit_name = _("Create Account");
    }
  else if (forgot)
    {
      title = _("Reset Your Password");
      submit = _("_Send Reset Link");
      submit_name = _("Send Reset Link");
    }
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->submit_label, submit);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->submit_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, submit_name, -1);
  gtk_label_set_label (self->message_label, forgot ? forgot_message () : self->message);
  if (forgot)
    gtk_button_set_label (self->mode_button, _("Back to Sign In"));
  else
    gtk_button_set_label (self->mode_button, self->sign_up ? _("I Already Have an Account") : _("Create an Account"));
  gtk_widget_set_visible (GTK_WIDGET (self->mode_button), forgot || self->can_switch);
  gtk_widget_set_visible (GTK_WIDGET (self->forgot_button), !self->sign_up && !forgot);
  gtk_widget_set_visible (GTK_WIDGET (self->name_row), self->sign_up);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), !forgot);
  set_error (self, NULL);
  update (self);
}

static void
form_changed_cb (QuorumSignInPage *self)
{
  update (self);
}

static void
toggle_mode_cb (QuorumSignInPage *self)
{
  if (self->forgot)
    {
      set_mode (self, FALSE, FALSE);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  set_mode (self, !self->sign_up, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->sign_up ? self->name_row : self->email_row));
}

static void
forgot_cb (QuorumSignInPage *self)
{
  set_mode (self, FALSE, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
}

static void
cancel_cb (QuorumSignInPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_signal_emit (self, signals[CANCELLED], 0);
}

/* @context: (nullable): what failed; %NULL where the form says it */
static char *
describe_error (const char       *context,
                const GError     *error,
                const char       *server)
{
  if (error->domain == QUORUM_API_ERROR)
    {
      switch ((QuorumApiError) error->code)
        {
        case QUORUM_API_ERROR_INVALID_CREDENTIALS:
        case QUORUM_API_ERROR_UNAUTHENTICATED:
          return g_strdup (_("The e-mail address or the password is wrong."));
        case QUORUM_API_ERROR_EMAIL_TAKEN:
        case QUORUM_API_ERROR_ACCOUNT_EXISTS:
          return g_strdup (_("An account with this e-mail address already exists. Sign in instead."));
        case QUORUM_API_ERROR_NETWORK:
        case QUORUM_API_ERROR_TIMEOUT:
          return g_strdup_printf (_("Could not reach the server at %s. Check the address and your connection."),
                                  server);
        case QUORUM_API_ERROR_TLS:
          return g_strdup_printf (_("The secure connection to %s failed: its certificate is not trusted."),
                                  server);
        case QUORUM_API_ERROR_RATE_LIMITED:
          return g_strdup (_("Too many attempts. Wait a minute and try again."));
        case QUORUM_API_ERROR_EMAIL_UNVERIFIED:
        case QUORUM_API_ERROR_TOKEN_NOT_FOUND:
        case QUORUM_API_ERROR_TOKEN_EXPIRED:
          return quorum_error_compose (NULL, error);  /* already the client's own words */
        case QUORUM_API_ERROR_INVALID_RESPONSE:
          return g_strdup_printf (_("%s does not answer like a Quorum server."), server);
        case QUORUM_API_ERROR_REDIRECT:
          return g_strdup_printf (_("%s sends Quorum to another address. Enter the server’s own https address."),
                                  server);
        case QUORUM_API_ERROR_INSECURE:
          return g_strdup_printf (_("%s is not encrypted. Use its https address, or choose to use it anyway."),
                                  server);
        default:
          break;
        }
    }
  else if (error->domain == QUORUM_ACCOUNT_STORE_ERROR)
    return quorum_error_compose (_("The keyring could not store your session, so you were not signed in"),
                                 error);

  return quorum_error_compose (context, error);
}

static void
organizations_loaded (QuorumSignInPage *self)
{
  g_autoptr(QuorumAccount) account = g_steal_pointer (&self->pending);

  g_clear_object (&self->cancellable);  /* first: not a cancel to request_phase_cb */
  quorum_request_state_succeed (self->request_state);
  /* Signed in: the password leaves the form only now. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  update (self);
  g_signal_emit (self, signals[SIGNED_IN], 0, account);
}

static void
prefetched_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(QuorumSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Cancelled: the page went, or Cancel was pressed (the page said so). */
  if (quorum_client_wait_prefetched_finish (QUORUM_CLIENT (object), result, &error) &&
      self->pending != NULL)
    organizations_loaded (self);
}

/* A failure the request state names (not answering, offline, the server's
 * own problem) is said in its bar, with Retry; any other in the form's
 * own words. */
static void
sign_in_failed (QuorumSignInPage *self,
                const GError     *error)
{
  QuorumRequestPhase phase;

  quorum_request_state_fail (self->request_state,
                             self->sign_up ? _("Could not create your account") : _("Could not sign in"),
                             error);
  phase = quorum_request_state_get_phase (self->request_state);
  g_clear_object (&self->cancellable);
  update (self);
  /* A server that is not Quorum at all: the address is wrong, say so. */
  if (phase == QUORUM_REQUEST_PHASE_FAILED ||
      g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_RESPONSE))
    {
      g_autofree char *message = describe_error (NULL, error, row_text (self->server_row));

      quorum_request_state_reset (self->request_state);
      set_error (self, message);
    }
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(QuorumSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumAccount) account = NULL;
  QuorumClient *client;

  account = quorum_session_sign_in_finish (QUORUM_SESSION (object), result, &error);
  /* Cancelled: request_phase_cb (or stop()) gave the form back. A keyring
   * save the cancel reached fails, and the session then ends on the server
   * (quorum-session.c), so nothing stays stored. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (account == NULL)
    {
      sign_in_failed (self, error);
      return;
    }

  /* Stored, but the page no longer waits for it: sign it out again. */
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      if (self->session != NULL)
        quorum_session_sign_out_async (self->session, account, NULL, NULL, NULL);
      return;
    }

  /* Signed in; what the window shows first is already on its way, all at
   * once (quorum_client_prefetch_organization_to_open()): wait for it here,
   * saying so, rather than on a blank page. Still the same request: the
   * bar says when it takes long, and Cancel signs the account out again. */
  g_set_object (&self->pending, account);
  set_progress (self, _("Loading organizations…"));
  client = quorum_session_get_client (self->session, account);
  if (client == NULL)
    {
      organizations_loaded (self);
      return;
    }
  quorum_client_wait_prefetched_async (client, self->cancellable, prefetched_cb, g_object_ref (self));
}

/* Cancel in the bar (or anything else that ended the request): the form
 * comes back as typed. */
static void
request_phase_cb (QuorumSignInPage *self)
{
  QuorumRequestPhase phase = quorum_request_state_get_phase (self->request_state);

  gtk_revealer_set_reveal_child (self->request_revealer,
                                 phase != QUORUM_REQUEST_PHASE_IDLE && phase != QUORUM_REQUEST_PHASE_WAITING);
  /* Back to idle with the page still busy: cancelled (the state cancels
   * the request's cancellable right after saying so). */
  if (phase == QUORUM_REQUEST_PHASE_IDLE && self->cancellable != NULL &&
      !quorum_request_state_get_running (self->request_state))
    {
      g_autoptr(GCancellable) cancellable = g_steal_pointer (&self->cancellable);

      g_cancellable_cancel (cancellable);
      drop_pending (self);
      update (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->submit_button));
    }
}

static void
retry_cb (QuorumSignInPage *self)
{
  submit_cb (self);
}

static void
reset_requested_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(QuorumSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  g_autofree char *message = NULL;

  if (!quorum_client_request_password_reset_finish (QUORUM_CLIENT (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  update (self);

  if (error != NULL)
    {
      message = describe_error (_("Could not send the reset link"), error, row_text (self->server_row));
      gtk_label_set_label (self->message_label, forgot_message ());
      set_error (self, message);
      return;
    }

  /* The server answers the same whether the account exists or not; so
   * does this page. */
  email = g_strstrip (g_strdup (row_text (self->email_row)));
  message = g_strdup_printf (_("If an account exists for %s, we sent a link to reset its password. "
                               "Open it on this computer to choose a new one."), email);
  gtk_label_set_label (self->message_label, message);
}

static void
request_reset (QuorumSignInPage *self,
               const char       *server,
               const char       *email)
{
  g_autofree char *url = quorum_server_url_normalize (server, NULL);
  g_autofree char *wait = NULL;
  g_autoptr(QuorumClient) client = NULL;

  if (url == NULL)
    {
      set_error (self, _("The server address is not valid"));
      return;
    }

  self->cancellable = g_cancellable_new ();
  update (self);
  wait = g_strdup_printf (_("Asking %s for a reset link…"), url);
  gtk_label_set_label (self->message_label, wait);
  /* Only the address goes out: no session, no password. */
  client = quorum_client_new (url);
  quorum_client_request_password_reset_async (client, email, self->cancellable, reset_requested_cb,
                                              g_object_ref (self));
}

static void
submit_cb (QuorumSignInPage *self)
{
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;

  if (busy (self) || !form_valid (self) || self->session == NULL)
    return;

  server = g_strstrip (g_strdup (row_text (self->server_row)));
  email = g_strstrip (g_strdup (row_text (self->email_row)));
  set_error (self, NULL);
  if (self->forgot)
    {
      request_reset (self, server, email);
      return;
    }
  {
    g_autofree char *url = quorum_server_url_normalize (server, NULL);

    quorum_request_state_set_host_from_url (self->request_state, url);
  }
  self->cancellable = g_object_ref (quorum_request_state_begin (self->request_state, FALSE));
  update (self);
  set_progress (self, self->sign_up ? _("Creating your account…") : _("Signing in…"));

  if (server_insecure (self) && gtk_check_button_get_active (self->insecure_check))
    quorum_session_allow_insecure_server (self->session, server);

  if (self->sign_up)
    quorum_session_sign_up_async (self->session, server, row_text (self->name_row), email,
                                  row_text (self->password_row), self->cancellable,
                                  signed_in_cb, g_object_ref (self));
  else
    quorum_session_sign_in_async (self->session, server, email, row_text (self->password_row),
                                  self->cancellable, signed_in_cb, g_object_ref (self));
}

static void
entry_activated_cb (QuorumSignInPage *self)
{
  submit_cb (self);
}

static void
label_entry (AdwEntryRow *row)
{
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (row));

  /* The row's title is drawn as a placeholder; say it to screen readers too. */
  if (delegate != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (delegate),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                    -1);
}

static void
quorum_sign_in_page_dispose (GObject *object)
{
  QuorumSignInPage *self = QUORUM_SIGN_IN_PAGE (object);

  if (self->request_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->request_state, self);
      stop (self);
    }
  g_clear_object (&self->request_state);
  g_clear_object (&self->session);
  g_clear_pointer (&self->message, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (quorum_sign_in_page_parent_class)->dispose (object);
}

static void
quorum_sign_in_page_class_init (QuorumSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_sign_in_page_dispose;

  /**
   * QuorumSignInPage::signed-in:
   * @account: the account, now in the session's list with its token in the keyring
   */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, QUORUM_TYPE_ACCOUNT);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, insecure_box);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, insecure_check);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, name_error_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, request_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, request_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, submit_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, mode_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumSignInPage, forgot_button);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, submit_cb);
  gtk_widget_class_bind_template_callback (widget_class, toggle_mode_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_cb);
  gtk_widget_class_bind_template_callback (widget_class, forgot_cb);
}

static void
quorum_sign_in_page_init (QuorumSignInPage *self)
{
  self->request_state = quorum_request_state_new (NULL);
  g_type_ensure (QUORUM_TYPE_REQUEST_STATUS);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->request_state, "retry", G_CALLBACK (retry_cb), self);
  g_signal_connect_swapped (self->request_state, "notify::phase", G_CALLBACK (request_phase_cb), self);
  quorum_request_status_set_state (self->request_status, self->request_state);

  label_entry (self->server_row);
  label_entry (self->name_row);
  label_entry (self->email_row);
  label_entry (self->password_row);
  quorum_label_buttons_for_screen_readers (GTK_WIDGET (self->forgot_button));
  self->message = g_strdup (_("Run your organizations from the desktop."));
  self->can_switch = TRUE;
  set_mode (self, FALSE, FALSE);
}

void
quorum_sign_in_page_set_session (QuorumSignInPage *self,
                                 QuorumSession    *session)
{
  g_return_if_fail (QUORUM_IS_SIGN_IN_PAGE (self));

  g_set_object (&self->session, session);
}

/**
 * quorum_sign_in_page_prepare:
 * @server: the server to suggest
 * @email: (nullable): the e-mail address to suggest
 * @message: (nullable): why the user must sign in, such as an ended session
 * @can_cancel: whether another account stays signed in, so there is a way back
 *
 * Resets the form for a new sign-in. The password is cleared.
 */
void
quorum_sign_in_page_prepare (QuorumSignInPage *self,
                             const char       *server,
                             const char       *email,
                             const char       *message,
                             gboolean          can_cancel)
{
  g_return_if_fail (QUORUM_IS_SIGN_IN_PAGE (self));

  stop (self);

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server != NULL ? server : "");
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email != NULL ? email : "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_check_button_set_active (self->insecure_check, FALSE);
  g_free (self->message);
  self->message = g_strdup (message != NULL ? message : _("Run your organizations from the desktop."));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), can_cancel);
  self->can_switch = email == NULL;
  set_mode (self, FALSE, FALSE);
}
