/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "quorum-a11y.h"
#include "quorum-account-link-window.h"
#include "quorum-core.h"
#include "quorum-link-opener.h"
#include "quorum-password-hint.h"
#include "quorum-utils-private.h"

struct _QuorumAccountLinkWindow
{
  AdwWindow             parent_instance;

  QuorumSession        *session;
  QuorumLink           *link;          /* NULL when the link is not valid */
  GError               *link_error;
  char                 *display_host;  /* host[:port], with http:// when not https */
  QuorumClient         *public_client;
  GCancellable         *cancellable;
  const char           *page;          /* the page shown, for tests: loading, status names… */
  gboolean              busy;

  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  AdwStatusPage        *loading_page;
  GtkSpinner           *spinner;
  AdwStatusPage        *unknown_server_page;
  AdwPreferencesGroup  *password_group;
  AdwPasswordEntryRow  *password_entry;
  AdwPasswordEntryRow  *confirm_entry;
  GtkLevelBar          *strength_bar;
  GtkLabel             *strength_label;
  GtkLabel             *password_error_label;
  GtkSpinner           *password_spinner;
  GtkLabel             *password_note_label;
  AdwStatusPage        *status_page;
  GtkButton            *status_primary;
  GtkWidget            *status_close;
};

G_DEFINE_FINAL_TYPE (QuorumAccountLinkWindow, quorum_account_link_window, ADW_TYPE_WINDOW)

static const char *
link_host (QuorumAccountLinkWindow *self)
{
  return self->display_host != NULL ? self->display_host : "";
}

static gboolean
is_reset (QuorumAccountLinkWindow *self)
{
  return self->link != NULL && quorum_link_get_kind (self->link) == QUORUM_LINK_RESET;
}

static void
set_page (QuorumAccountLinkWindow *self,
          const char              *stack_page,
          const char              *name)
{
  gtk_spinner_set_spinning (self->spinner, g_strcmp0 (stack_page, "loading") == 0);
  gtk_stack_set_visible_child_name (self->stack, stack_page);
  self->page = name;
}

/*
 * One status page serves every outcome; @name tells tests which one.
 * @description is plain text; @primary_label and @primary_action (both or
 * neither) add a button before Close.
 */
static void
show_status (QuorumAccountLinkWindow *self,
             const char              *name,
             const char              *icon,
             const char              *title,
             const char              *description,
             const char              *primary_label,
             const char              *primary_action)
{
  g_autofree char *escaped = g_markup_escape_text (description != NULL ? description : "", -1);

  adw_status_page_set_icon_name (self->status_page, icon);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, escaped);
  gtk_widget_set_visible (GTK_WIDGET (self->status_primary), primary_label != NULL);
  if (primary_label != NULL)
    {
      gtk_button_set_label (self->status_primary, primary_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->status_primary), primary_action);
      quorum_label_buttons_for_screen_readers (GTK_WIDGET (self->status_primary));
    }
  self->busy = FALSE;
  set_page (self, "status", name);
  /* The keyboard lands on the way forward, not in a form now hidden. */
  gtk_widget_grab_focus (primary_label != NULL ? GTK_WIDGET (self->status_primary) : self->status_close);
}

static void
set_busy (QuorumAccountLinkWindow *self,
          gboolean                 busy)
{
  g_autofree char *wait = busy ? g_strdup_printf (_("Setting the new password on %s…"), link_host (self)) : NULL;

  self->busy = busy;
  /* The wait in words; the note on what the reset does otherwise. */
  gtk_label_set_text (self->password_note_label,
                      busy ? wait : _("Every other session of this account ends: other computers will ask for "
                                      "the new password."));
  gtk_widget_set_visible (GTK_WIDGET (self->password_spinner), busy);
  gtk_spinner_set_spinning (self->password_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_entry), !busy);
}

static gboolean
password_is_ready (QuorumAccountLinkWindow *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_entry));

  return quorum_password_is_valid (password) && strcmp (password, confirm) == 0;
}

static void
update_actions (QuorumAccountLinkWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "link.set-password",
                                 !self->busy && password_is_ready (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "link.continue", !self->busy);
}

/* Errors */

static gboolean
is_cancelled (QuorumAccountLinkWindow *self,
              const GError            *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_cancellable_is_cancelled (self->cancellable);
}

/* The outcomes that end the flow. Returns FALSE for an error the password
 * form shows itself. */
static gboolean
show_final_error (QuorumAccountLinkWindow *self,
                  const GError            *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_TOKEN_EXPIRED))
    {
      show_status (self, "expired", "alarm-symbolic", _("Link Expired"),
                   is_reset (self)
                   ? _("Password reset links last one hour. On the sign-in page, choose “Forgot Password?” "
                       "to get a new one.")
                   : _("Verification links last one day. Sign in to Quorum and choose Resend on the banner "
                       "to get a new one."),
                   NULL, NULL);
      return TRUE;
    }
  if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_TOKEN_NOT_FOUND) ||
      g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_NOT_FOUND))
    {
      show_status (self, "used", "mail-read-symbolic", _("Link No Longer Valid"),
                   quorum_api_error_get_message (QUORUM_API_ERROR_TOKEN_NOT_FOUND), NULL, NULL);
      return TRUE;
    }
  if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_ALREADY_VERIFIED))
    {
      show_status (self, "verified", "emblem-ok-symbolic", _("E-mail Address Verified"),
                   quorum_api_error_get_message (QUORUM_API_ERROR_ALREADY_VERIFIED),
                   _("_Open Quorum"), "link.open");
      return TRUE;
    }
  if (quorum_error_is_offline (error))
    {
      text = g_strdup_printf (_("Quorum could not connect to %s. Check your network connection and try again."),
                              link_host (self));
      show_status (self, "unreachable", "network-offline-symbolic", _("Cannot Reach the Server"), text,
                   _("_Retry"), "link.retry");
      return TRUE;
    }
  return FALSE;
}

/* Verify */

static void verify (QuorumAccountLinkWindow *self);

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(QuorumAccountLinkWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autofree char *text = NULL;
  GtkWindow *parent;

  user = quorum_client_verify_email_finish (QUORUM_CLIENT (object), result, &error);
  if (is_cancelled (self, error))
    return;
  if (user == NULL)
    {
      if (!show_final_error (self, error))
        {
          g_autofree char *reason = quorum_error_compose (NULL, error);

          show_status (self, "failed", "dialog-error-symbolic", _("Something Went Wrong"), reason,
                       _("_Retry"), "link.retry");
        }
      return;
    }

  /* The main window shows it, and what was waiting for the address. */
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.email-verified", "(ss)",
                                quorum_link_get_server (self->link), quorum_user_get_email (user));

  text = g_strdup_printf (_("%s is verified on %s. Invitations sent to it now appear in Quorum."),
                          quorum_user_get_email (user), link_host (self));
  show_status (self, "verified", "emblem-ok-symbolic", _("E-mail Address Verified"), text,
               _("_Open Quorum"), "link.open");
}

static QuorumClient *
public_client (QuorumAccountLinkWindow *self)
{
  /* A client of its own, without any token. */
  if (self->public_client == NULL)
    self->public_client = quorum_client_new (quorum_link_get_server (self->link));
  return self->public_client;
}

static void
verify (QuorumAccountLinkWindow *self)
{
  g_autofree char *description = g_strdup_printf (_("Asking %s…"), link_host (self));

  self->busy = TRUE;
  adw_status_page_set_title (self->loading_page, _("Verifying Your E-mail Address…"));
  adw_status_page_set_description (self->loading_page, description);
  set_page (self, "loading", "loading");
  quorum_client_verify_email_async (public_client (self), quorum_link_get_token (self->link),
                                    self->cancellable, verified_cb, g_object_ref (self));
}

/* Reset */

static void
show_password_form (QuorumAccountLinkWindow *self)
{
  g_autofree char *description = g_strdup_printf (_("For your account on %s. At least %d characters."),
                                                  link_host (self), QUORUM_PASSWORD_MIN_CHARS);

  adw_preferences_group_set_description (self->password_group, description);
  gtk_widget_set_visible (GTK_WIDGET (self->password_error_label), FALSE);
  set_busy (self, FALSE);
  set_page (self, "password", "password");
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
}

static void
show_password_error (QuorumAccountLinkWindow *self,
                     const char              *message)
{
  gtk_label_set_text (self->password_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->password_error_label), TRUE);
  set_busy (self, FALSE);
  update_actions (self);
}

static void
reset_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(QuorumAccountLinkWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumAccount) account = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;
  GtkWindow *parent;

  account = quorum_session_sign_in_finish (QUORUM_SESSION (object), result, &error);
  if (is_cancelled (self, error))
    return;
  if (account == NULL)
    {
      if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION))
        show_password_error (self, _("The server refused this password. Choose a longer one, or mix letters, "
                                     "digits and symbols."));
      else if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_RATE_LIMITED))
        show_password_error (self, _("Too many attempts. Wait a minute and try again."));
      else if (error->domain == QUORUM_ACCOUNT_STORE_ERROR)
        {
          /* The password is changed; only this computer's session is lost. */
          g_autofree char *reason = quorum_error_compose (_("Your password is changed, but the keyring could "
                                                            "not store your session"), error);

          /* Translators: %s is “<what failed>: <why>” */
          text = g_strdup_printf (_("%s. Sign in with the new password."), reason);
          show_status (self, "keyring", "dialog-password-symbolic", _("Password Changed"), text, NULL, NULL);
        }
      else if (!show_final_error (self, error))
        {
          g_autofree char *reason = quorum_error_compose (_("Could not change the password"), error);

          show_password_error (self, reason);
        }
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_entry), "");

  /* The main window opens the account with its new session (the old one
   * ended with every other). */
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  key = quorum_session_account_key (account);
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.switch-account", "s", key);

  text = g_strdup_printf (_("You are signed in as %s on %s. Every other session of this account has ended."),
                          quorum_account_get_email (account), link_host (self));
  show_status (self, "password-changed", "emblem-ok-symbolic", _("Password Changed"), text,
               _("_Open Quorum"), "link.open");
}

static void
set_password_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  QuorumAccountLinkWindow *self = QUORUM_ACCOUNT_LINK_WINDOW (widget);

  if (self->busy || self->link == NULL || !password_is_ready (self))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->password_error_label), FALSE);
  set_busy (self, TRUE);
  update_actions (self);
  quorum_session_reset_password_async (self->session, quorum_link_get_server (self->link),
                                       quorum_link_get_token (self->link),
                                       gtk_editable_get_text (GTK_EDITABLE (self->password_entry)),
                                       self->cancellable, reset_cb, g_object_ref (self));
}

static void
password_changed_cb (QuorumAccountLinkWindow *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_entry));
  gboolean mismatch = *confirm != '\0' && strcmp (password, confirm) != 0;

  quorum_password_hint_update (self->strength_bar, self->strength_label, password);
  quorum_widget_set_error (GTK_WIDGET (self->confirm_entry), mismatch);
  if (mismatch)
    gtk_label_set_text (self->password_error_label, _("The passwords do not match."));
  gtk_widget_set_visible (GTK_WIDGET (self->password_error_label), mismatch);
  update_actions (self);
}

static void
password_activated_cb (QuorumAccountLinkWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "link.set-password", NULL);
}

/* Start */

static void
proceed (QuorumAccountLinkWindow *self)
{
  if (is_reset (self))
    show_password_form (self);
  else
    verify (self);
}

static void
start (QuorumAccountLinkWindow *self)
{
  if (self->link == NULL)
    {
      const char *reason;

      switch (self->link_error != NULL && self->link_error->domain == QUORUM_LINK_ERROR
              ? self->link_error->code : QUORUM_LINK_ERROR_MALFORMED)
        {
        case QUORUM_LINK_ERROR_INVALID_TOKEN:
          reason = _("The code in it is damaged or incomplete. Open the link from the e-mail again.");
          break;
        case QUORUM_LINK_ERROR_MISSING_SERVER:
          reason = _("It does not say which server it comes from.");
          break;
        case QUORUM_LINK_ERROR_INVALID_SERVER:
          reason = _("The server address in it is not valid. Nothing was sent to it.");
          break;
        case QUORUM_LINK_ERROR_WRONG_SCHEME:
        case QUORUM_LINK_ERROR_WRONG_KIND:
        case QUORUM_LINK_ERROR_MALFORMED:
        default:
          reason = _("The link is damaged or incomplete. Open it from the e-mail again.");
          break;
        }
      show_status (self, "invalid", "dialog-error-symbolic", _("This Link Is Not Valid"), reason, NULL, NULL);
      return;
    }

  adw_window_title_set_subtitle (self->window_title, link_host (self));

  /* The same guard as for invitation links: a link alone never makes the
   * app talk to a server the user did not choose. */
  if (!quorum_session_has_server (self->session, quorum_link_get_server (self->link)))
    {
      g_autofree char *host = g_markup_escape_text (link_host (self), -1);
      g_autofree char *text = NULL;

      if (is_reset (self))
        text = g_strdup_printf (_("This password reset link comes from <b>%s</b>, a server you have no "
                                  "account on in Quorum. Nothing has been sent there yet: continue only "
                                  "if you asked it for a new password."), host);
      else
        text = g_strdup_printf (_("This verification link comes from <b>%s</b>, a server you have no "
                                  "account on in Quorum. Nothing has been sent there yet: continue only "
                                  "if you created an account there."), host);
      adw_status_page_set_description (self->unknown_server_page, text);
      set_page (self, "unknown-server", "unknown-server");
      return;
    }

  proceed (self);
}

/* Actions */

/* Continue (past the unknown-server warning) and Retry: the link's step,
 * again. */
static void
proceed_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  QuorumAccountLinkWindow *self = QUORUM_ACCOUNT_LINK_WINDOW (widget);

  if (self->link != NULL && !self->busy)
    proceed (self);
}

/* Cancel stops what is in flight, then closes. */
static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  QuorumAccountLinkWindow *self = QUORUM_ACCOUNT_LINK_WINDOW (widget);

  g_cancellable_cancel (self->cancellable);
  gtk_window_close (GTK_WINDOW (self));
}

static void
open_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (widget));

  if (parent != NULL)
    gtk_window_present (parent);
  gtk_window_close (GTK_WINDOW (widget));
}

/* GObject */

static void
quorum_account_link_window_dispose (GObject *object)
{
  QuorumAccountLinkWindow *self = QUORUM_ACCOUNT_LINK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_ACCOUNT_LINK_WINDOW);
  g_clear_object (&self->public_client);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (quorum_account_link_window_parent_class)->dispose (object);
}

static void
quorum_account_link_window_finalize (GObject *object)
{
  QuorumAccountLinkWindow *self = QUORUM_ACCOUNT_LINK_WINDOW (object);

  g_clear_pointer (&self->link, quorum_link_free);
  g_clear_error (&self->link_error);
  g_clear_pointer (&self->display_host, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (quorum_account_link_window_parent_class)->finalize (object);
}

static void
quorum_account_link_window_class_init (QuorumAccountLinkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_account_link_window_dispose;
  object_class->finalize = quorum_account_link_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/quorum-account-link-window.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumAccountLinkWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, QuorumAccountLinkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumAccountLinkWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumAccountLinkWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, QuorumAccountLinkWindow, unknown_server_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumAccountLinkWindow, password_group);
  gtk_widget_class_bind_template_child (widget_class, QuorumAccountLinkWindow, password_entry);
  gtk_widget_class_bind_template_child (widget_class, QuorumAccountLinkWindow, confirm_entry);
  gtk_widget_class_bind_template_child (widget_class, QuorumAccountLinkWindow, strength_bar);
  gtk_widget_class_bind_template_child (widget_class, QuorumAccountLinkWindow, strength_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumAccountLinkWindow, password_error_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumAccountLinkWindow, password_spinner);
  gtk_widget_class_bind_template_child (widget_class, QuorumAccountLinkWindow, password_note_label);
  gtk_widget_class_bind_template_callback (widget_class, password_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_activated_cb);

  gtk_widget_class_install_action (widget_class, "link.continue", NULL, proceed_activated);
  gtk_widget_class_install_action (widget_class, "link.retry", NULL, proceed_activated);
  gtk_widget_class_install_action (widget_class, "link.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "link.set-password", NULL, set_password_activated);
  gtk_widget_class_install_action (widget_class, "link.open", NULL, open_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "link.cancel", NULL);
}

static void
quorum_account_link_window_init (QuorumAccountLinkWindow *self)
{
  GtkWidget *box;

  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->cancellable = g_cancellable_new ();

  /* The outcome page: a primary button when there is a way forward, and Close. */
  self->status_page = ADW_STATUS_PAGE (adw_status_page_new ());
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  self->status_primary = GTK_BUTTON (gtk_button_new ());
  gtk_button_set_use_underline (self->status_primary, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_primary), "pill");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_primary), "suggested-action");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status_primary));
  self->status_close = gtk_button_new_with_mnemonic (_("_Close"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->status_close), "window.close");
  gtk_widget_add_css_class (self->status_close, "pill");
  gtk_box_append (GTK_BOX (box), self->status_close);
  adw_status_page_set_child (self->status_page, box);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->status_page), "status");

  quorum_password_hint_update (self->strength_bar, self->strength_label, "");
  set_busy (self, FALSE);
  quorum_label_buttons_for_screen_readers (GTK_WIDGET (self));
  update_actions (self);
}

/**
 * quorum_account_link_window_new:
 * @uri: a quorum://verify/… or quorum://reset/… link, as received
 */
QuorumAccountLinkWindow *
quorum_account_link_window_new (QuorumSession *session,
                                const char    *uri)
{
  QuorumAccountLinkWindow *self;

  g_return_val_if_fail (QUORUM_IS_SESSION (session), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  self = g_object_new (QUORUM_TYPE_ACCOUNT_LINK_WINDOW, NULL);
  self->session = g_object_ref (session);
  self->link = quorum_link_parse (uri, &self->link_error);
  if (self->link != NULL && quorum_link_get_kind (self->link) == QUORUM_LINK_INVITE)
    {
      /* Invitations have their own window. */
      g_clear_pointer (&self->link, quorum_link_free);
      g_set_error_literal (&self->link_error, QUORUM_LINK_ERROR, QUORUM_LINK_ERROR_WRONG_KIND,
                           "The link is not a verification or reset link");
    }
  if (self->link != NULL)
    {
      self->display_host = g_strdup (quorum_link_get_display_server (self->link));
      gtk_window_set_title (GTK_WINDOW (self), is_reset (self) ? _("Choose a New Password")
                                                               : _("Verify E-mail Address"));
      adw_window_title_set_title (self->window_title, gtk_window_get_title (GTK_WINDOW (self)));
    }
  start (self);

  return self;
}

static GtkWindow *
new_window (gpointer    session,
            const char *uri)
{
  return GTK_WINDOW (quorum_account_link_window_new (session, uri));
}

/**
 * quorum_account_link_window_open:
 * @parent: the main window
 *
 * Opens the window for @uri, or presents the one already open for the same
 * link.
 */
void
quorum_account_link_window_open (GtkWindow     *parent,
                                 QuorumSession *session,
                                 const char    *uri)
{
  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (QUORUM_IS_SESSION (session));
  g_return_if_fail (uri != NULL);

  quorum_link_opener_open (parent, QUORUM_TYPE_ACCOUNT_LINK_WINDOW, new_window, session, uri);
}

/* For tests: the page shown ("loading", "unknown-server", "password",
 * "invalid", "verified", "password-changed", "expired", "used",
 * "unreachable", "failed", "keyring"). */
const char *
quorum_account_link_window_get_page (QuorumAccountLinkWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_ACCOUNT_LINK_WINDOW (self), NULL);

  return self->page;
}
