/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "quorum-a11y.h"
#include "quorum-core.h"
#include "quorum-invitation-window.h"
#include "quorum-link-opener.h"
#include "quorum-password-hint.h"
#include "quorum-logo.h"
#include "quorum-utils-private.h"

/*
 * Links come from anywhere on the desktop, so nothing is sent before the
 * link parsed and, for a server the user has no account on, before the user
 * said to go on. The preview, set-up and decline go through a fresh client
 * that never holds a token; only Accept uses a stored token, the one of the
 * account whose server is the link's own.
 */


typedef void (*RetryFunc) (QuorumInvitationWindow *self);

struct _QuorumInvitationWindow
{
  AdwWindow                parent_instance;

  QuorumSession           *session;
  QuorumLink        *link;        /* NULL when the link is not valid */
  GError                  *link_error;
  char                    *display_host; /* the server as shown: host[:port], with http:// when not https */
  QuorumClient            *public_client;
  QuorumInvitationPreview *preview;
  QuorumAccount           *account;     /* the invited account, once known here */
  GCancellable            *cancellable;
  RetryFunc                retry;
  char                    *organization_id;
  char                    *organization_name;
  char                    *setup_token; /* the set-up's own session, ended once signed in */
  gboolean                 busy;

  AdwWindowTitle          *window_title;
  GtkStack                *stack;
  GtkSpinner              *spinner;
  AdwStatusPage           *loading_page;
  AdwStatusPage           *unknown_server_page;
  AdwAvatar               *avatar;
  GtkLabel                *heading_label;
  GtkLabel                *summary_label;
  AdwActionRow            *organization_row;
  AdwActionRow            *inviter_row;
  AdwActionRow            *email_row;
  AdwActionRow            *role_row;
  AdwActionRow            *expiry_row;
  AdwActionRow            *server_row;
  GtkLabel                *mismatch_label;
  GtkLabel                *preview_error_label;
  GtkWidget               *accept_button;
  GtkWidget               *setup_button;
  GtkButton               *sign_in_button;
  GtkWidget               *decline_button;
  AdwPreferencesGroup     *setup_group;
  AdwEntryRow             *name_entry;
  AdwPasswordEntryRow     *password_entry;
  AdwPasswordEntryRow     *confirm_entry;
  GtkLevelBar             *strength_bar;
  GtkLabel                *strength_label;
  GtkLabel                *setup_error_label;
  GtkWidget               *create_button;
  AdwPreferencesGroup     *sign_in_group;
  AdwActionRow            *sign_in_email_row;
  AdwPasswordEntryRow     *sign_in_password_entry;
  GtkLabel                *sign_in_error_label;
};

G_DEFINE_FINAL_TYPE (QuorumInvitationWindow, quorum_invitation_window, ADW_TYPE_WINDOW)

/* Status pages: each outcome its own page, with a way forward. */
typedef struct
{
  const char *name;
  const char *icon;
  const char *title;
  const char *description;    /* may hold one %s: the server's host */
  const char *primary_label;  /* NULL: only Close */
  const char *primary_action;
} StatusInfo;

static const StatusInfo status_pages[] = {
  { "invalid", "dialog-error-symbolic", N_("This Link Is Not Valid"), NULL, NULL, NULL },
  { "done", "emblem-ok-symbolic", N_("Welcome"), NULL,
    N_("_Open Organization"), "invitation.open" },
  { "declined", "mail-unread-symbolic", N_("Invitation Declined"),
    N_("Nothing was joined. The organization can invite you again later."), NULL, NULL },
  { "already-member", "emblem-ok-symbolic", N_("Already a Member"),
    N_("This account is already a member of the organization."),
    N_("_Open Quorum"), "invitation.open" },
  { "expired", "alarm-symbolic", N_("Invitation Expired"),
    N_("Invitations last seven days. Ask the person who invited you to send a new one."), NULL, NULL },
  { "revoked", "action-unavailable-symbolic", N_("Invitation Withdrawn"),
    N_("The organization withdrew this invitation. Ask the person who invited you whether you should still join."),
    NULL, NULL },
  { "used", "mail-read-symbolic", N_("Invitation Already Used"),
    N_("This invitation was already accepted or declined. If you accepted it, the organization is in your account; "
       "otherwise ask the person who invited you for a new invitation."),
    N_("_Open Quorum"), "invitation.open" },
  { "not-found", "edit-find-symbolic", N_("Invitation Not Found"),
    N_("%s does not know this invitation. If it was sent again, use the link in the newest e-mail, "
       "or ask the person who invited you."), NULL, NULL },
  { "unreachable", "network-offline-symbolic", N_("Cannot Reach the Server"),
    N_("Quorum could not connect to %s. Check your network connection and try again."),
    N_("_Retry"), "invitation.retry" },
  { "failed", "dialog-error-symbolic", N_("Something Went Wrong"), NULL,
    N_("_Retry"), "invitation.retry" },
};

static const char *
link_host (QuorumInvitationWindow *self)
{
  return self->display_host != NULL ? self->display_host : "";
}

static const char *
link_server (QuorumInvitationWindow *self)
{
  return quorum_link_get_server (self->link);
}

static const char *
link_token (QuorumInvitationWindow *self)
{
  return quorum_link_get_token (self->link);
}

static gboolean
emails_equal (const char *a,
              const char *b)
{
  g_autofree char *na = quorum_email_normalize (a);
  g_autofree char *nb = quorum_email_normalize (b);

  return na != NULL && nb != NULL && strcmp (na, nb) == 0;
}

static gboolean
setup_is_ready (QuorumInvitationWindow *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_entry));

  return quorum_name_is_valid (name) && quorum_password_is_valid (password) &&
         strcmp (password, confirm) == 0;
}

static void
set_busy (QuorumInvitationWindow *self,
          gboolean                busy)
{
  static const char *actions[] = {
    "invitation.accept", "invitation.decline", "invitation.set-up", "invitation.sign-in",
    "invitation.continue", "invitation.show-setup", "invitation.show-sign-in", "invitation.back",
  };

  self->busy = busy;
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], !busy);
  if (!busy)
    {
      /* The forms' own conditions. */
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "invitation.accept", self->account != NULL);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "invitation.set-up", setup_is_ready (self));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "invitation.sign-in",
                                     *gtk_editable_get_text (GTK_EDITABLE (self->sign_in_password_entry)) != '\0');
    }
}

static void
set_page (QuorumInvitationWindow *self,
          const char             *name)
{
  gtk_spinner_set_spinning (self->spinner, g_strcmp0 (name, "loading") == 0);
  gtk_stack_set_visible_child_name (self->stack, name);
}

static void
show_status (QuorumInvitationWindow *self,
             const char             *name,
             const char             *title,
             const char             *description)
{
  AdwStatusPage *page = ADW_STATUS_PAGE (gtk_stack_get_child_by_name (self->stack, name));

  g_assert (page != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (status_pages); i++)
    {
      const StatusInfo *info = &status_pages[i];

      if (strcmp (info->name, name) != 0)
        continue;

      adw_status_page_set_title (page, title != NULL ? title : _(info->title));
      if (description != NULL)
        {
          g_autofree char *escaped = g_markup_escape_text (description, -1);

          adw_status_page_set_description (page, escaped);
        }
      else if (info->description != NULL)
        {
          g_autofree char *host = g_markup_escape_text (link_host (self), -1);
          g_autofree char *escaped = g_markup_escape_text (_(info->description), -1);
          g_autoptr(GString) text = g_string_new (escaped);

          /* The host is the only substitution. */
          g_string_replace (text, "%s", host, 1);
          adw_status_page_set_description (page, text->str);
        }
      break;
    }

  set_busy (self, FALSE);
  set_page (self, name);
}

static GtkWidget *
status_page_new (const StatusInfo *info)
{
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *close = gtk_button_new_with_mnemonic (_("_Close"));

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), info->icon);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _(info->title));
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);

  if (info->primary_label != NULL)
    {
      GtkWidget *primary = gtk_button_new_with_mnemonic (_(info->primary_label));

      gtk_actionable_set_action_name (GTK_ACTIONABLE (primary), info->primary_action);
      gtk_widget_add_css_class (primary, "pill");
      gtk_widget_add_css_class (primary, "suggested-action");
      gtk_box_append (GTK_BOX (box), primary);
    }
  gtk_actionable_set_action_name (GTK_ACTIONABLE (close), "window.close");
  gtk_widget_add_css_class (close, "pill");
  gtk_box_append (GTK_BOX (box), close);
  adw_status_page_set_child (ADW_STATUS_PAGE (page), box);

  return page;
}

/* Errors */

static gboolean
is_cancelled (QuorumInvitationWindow *self,
              const GError           *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_cancellable_is_cancelled (self->cancellable);
}

/* Shows the page for an error that ends the flow, or returns FALSE when the
 * error is one the current form should show itself. */
static gboolean
show_final_error (QuorumInvitationWindow *self,
                  const GError           *error)
{
  if (error->domain == QUORUM_API_ERROR)
    {
      switch (error->code)
        {
        case QUORUM_API_ERROR_INVITATION_EXPIRED:
          show_status (self, "expired", NULL, NULL);
          return TRUE;
        case QUORUM_API_ERROR_INVITATION_REVOKED:
          show_status (self, "revoked", NULL, NULL);
          return TRUE;
        case QUORUM_API_ERROR_INVITATION_USED:
          show_status (self, "used", NULL, NULL);
          return TRUE;
        case QUORUM_API_ERROR_INVITATION_NOT_FOUND:
        case QUORUM_API_ERROR_NOT_FOUND:
          show_status (self, "not-found", NULL, NULL);
          return TRUE;
        case QUORUM_API_ERROR_ALREADY_MEMBER:
          show_status (self, "already-member", NULL, NULL);
          return TRUE;
        default:
          break;
        }
    }
  return FALSE;
}

static void
show_error_page (QuorumInvitationWindow *self,
                 const GError           *error,
                 RetryFunc               retry)
{
  self->retry = retry;
  if (show_final_error (self, error))
    return;
  if (quorum_error_is_offline (error))
    show_status (self, "unreachable", NULL, NULL);
  else
    {
      g_autofree char *reason = quorum_error_compose (NULL, error);

      show_status (self, "failed", NULL, reason);
    }
}

static void
show_form_error (QuorumInvitationWindow *self,
                 GtkLabel               *label,
                 const GError           *error)
{
  g_autofree char *text = NULL;

  if (quorum_error_is_offline (error))
    text = g_strdup_printf (_("Could not connect to %s. Check your network connection and try again."),
                            link_host (self));
  else if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_RATE_LIMITED))
    text = g_strdup (_("Too many attempts. Wait a minute and try again."));
  else
    text = quorum_error_compose (NULL, error);

  gtk_label_set_text (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
  set_busy (self, FALSE);
}

/* Accounts */

/* Returns: (transfer full) (nullable): the account on the link's server with
 * this e-mail (@same TRUE) or with another one (@same FALSE) */
static QuorumAccount *
find_account (QuorumInvitationWindow *self,
              const char             *email,
              gboolean                same)
{
  GListModel *accounts = quorum_session_get_accounts (self->session);
  guint n = g_list_model_get_n_items (accounts);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuorumAccount) account = g_list_model_get_item (accounts, i);

      if (quorum_server_url_equal (quorum_account_get_server (account), link_server (self)) &&
          emails_equal (quorum_account_get_email (account), email) == same)
        return g_steal_pointer (&account);
    }
  return NULL;
}

/* Preview */

static void fetch_preview (QuorumInvitationWindow *self);

static void
update_preview_actions (QuorumInvitationWindow *self)
{
  const char *email = quorum_invitation_preview_get_email (self->preview);
  gboolean exists = quorum_invitation_preview_get_account_exists (self->preview);
  g_autoptr(QuorumAccount) match = find_account (self, email, TRUE);
  g_autoptr(QuorumAccount) other = find_account (self, email, FALSE);
  g_autofree char *sign_in_label = g_strdup_printf (_("_Sign In as %s"), email);

  g_set_object (&self->account, match);

  gtk_widget_set_visible (self->accept_button, exists && match != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), exists && match == NULL);
  gtk_widget_set_visible (self->setup_button, !exists);
  gtk_button_set_label (self->sign_in_button, sign_in_label);
  gtk_button_set_use_underline (self->sign_in_button, TRUE);
  quorum_label_buttons_for_screen_readers (GTK_WIDGET (self->sign_in_button));
  gtk_widget_set_visible (GTK_WIDGET (self->preview_error_label), FALSE);

  if (match == NULL && other != NULL)
    {
      g_autofree char *text = NULL;

      if (exists)
        text = g_strdup_printf (_("This invitation was sent to %s. You are signed in on %s as %s: "
                                  "sign in as %s to accept it."),
                                email, link_host (self), quorum_account_get_email (other), email);
      else
        text = g_strdup_printf (_("This invitation was sent to %s, which has no account on %s yet. "
                                  "You are signed in there as %s; to join as %s, create its account."),
                                email, link_host (self), quorum_account_get_email (other), email);
      gtk_label_set_text (self->mismatch_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->mismatch_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->mismatch_label), FALSE);

  set_busy (self, FALSE);
}

static void
show_preview (QuorumInvitationWindow *self)
{
  QuorumInvitationPreview *preview = self->preview;
  const char *org_name = quorum_invitation_preview_get_organization_name (preview);
  const char *inviter = quorum_invitation_preview_get_inviter_name (preview);
  const char *role = quorum_role_get_label (quorum_invitation_preview_get_role (preview));
  GDateTime *expires_at = quorum_invitation_preview_get_expires_at (preview);
  g_autofree char *heading = g_strdup_printf (_("Join %s"), org_name);
  g_autofree char *summary = g_strdup_printf (_("%s invited you to join %s as %s."),
                                              inviter != NULL ? inviter : _("Someone"), org_name, role);
  g_autofree char *title = g_strdup_printf (_("Invitation to %s"), org_name);
  g_autofree char *expiry = NULL;

  if (expires_at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (expires_at);

      /* Translators: a date and time, see g_date_time_format() */
      expiry = g_date_time_format (local, _("%-d %B %Y, %H:%M"));
    }

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, link_host (self));
  adw_avatar_set_text (self->avatar, org_name);
  adw_avatar_set_custom_image (self->avatar, NULL);
  gtk_label_set_text (self->heading_label, heading);
  gtk_label_set_text (self->summary_label, summary);
  adw_action_row_set_subtitle (self->organization_row, org_name);
  adw_action_row_set_subtitle (self->inviter_row, inviter != NULL ? inviter : "");
  adw_action_row_set_subtitle (self->email_row, quorum_invitation_preview_get_email (preview));
  adw_action_row_set_subtitle (self->role_row, role);
  adw_action_row_set_subtitle (self->expiry_row, expiry != NULL ? expiry : "");
  adw_action_row_set_subtitle (self->server_row, link_host (self));
  adw_action_row_set_subtitle (self->sign_in_email_row, quorum_invitation_preview_get_email (preview));

  {
    g_autofree char *setup_title = g_strdup_printf (_("Your account for %s on %s"),
                                                    quorum_invitation_preview_get_email (preview),
                                                    link_host (self));

    adw_preferences_group_set_description (self->setup_group, setup_title);
    adw_preferences_group_set_description (self->sign_in_group, setup_title);
  }

  update_preview_actions (self);
  set_page (self, "preview");
  /* From the link's server only, under the same limits as every logo. */
  quorum_avatar_set_logo (self->avatar, quorum_invitation_preview_get_organization_logo_url (preview),
                          link_server (self));
}

static void
preview_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(QuorumInvitationWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumInvitationPreview) preview = NULL;

  preview = quorum_client_get_invitation_preview_finish (QUORUM_CLIENT (object), result, &error);
  if (preview == NULL)
    {
      if (!is_cancelled (self, error))
        show_error_page (self, error, fetch_preview);
      return;
    }
  if (is_cancelled (self, NULL))
    return;

  g_set_object (&self->preview, preview);
  show_preview (self);
}

static void
fetch_preview (QuorumInvitationWindow *self)
{
  set_busy (self, TRUE);
  set_page (self, "loading");

  /* A client of its own, without any token. */
  if (self->public_client == NULL)
    {
      self->public_client = quorum_client_new (link_server (self));
      quorum_client_set_retry_policy (self->public_client, 2, 250, 1000);
      /* The token is a credential too: plain http only to a server the user
       * already chose to use so. */
      quorum_client_set_allow_insecure (self->public_client,
                                        quorum_session_server_is_allowed_insecure (self->session,
                                                                                   link_server (self)));
    }
  quorum_client_get_invitation_preview_async (self->public_client, link_token (self), self->cancellable,
                                              preview_cb, g_object_ref (self));
}

static void
start (QuorumInvitationWindow *self)
{
  if (self->link == NULL)
    {
      const char *reason;

      switch (self->link_error != NULL && self->link_error->domain == QUORUM_LINK_ERROR
              ? self->link_error->code : QUORUM_LINK_ERROR_MALFORMED)
        {
        case QUORUM_LINK_ERROR_WRONG_SCHEME:
        case QUORUM_LINK_ERROR_WRONG_KIND:
          reason = _("It is not a Quorum invitation link.");
          break;
        case QUORUM_LINK_ERROR_INVALID_TOKEN:
          reason = _("The invitation code in it is damaged or incomplete. Open the link from the e-mail again.");
          break;
        case QUORUM_LINK_ERROR_MISSING_SERVER:
          reason = _("It does not say which server the invitation comes from.");
          break;
        case QUORUM_LINK_ERROR_INVALID_SERVER:
          reason = _("The server address in it is not valid. Nothing was sent to it.");
          break;
        case QUORUM_LINK_ERROR_MALFORMED:
        default:
          reason = _("The link is damaged or incomplete. Open it from the e-mail again.");
          break;
        }
      show_status (self, "invalid", NULL, reason);
      return;
    }

  if (!quorum_session_has_server (self->session, link_server (self)))
    {
      g_autofree char *host = g_markup_escape_text (link_host (self), -1);
      g_autofree char *text = g_strdup_printf (_("This invitation comes from <b>%s</b>, a server you have no "
                                                 "account on. Nothing has been sent there yet: continue only "
                                                 "if you expected an invitation from it."), host);

      adw_window_title_set_subtitle (self->window_title, link_host (self));
      adw_status_page_set_description (self->unknown_server_page, text);
      set_busy (self, FALSE);
      set_page (self, "unknown-server");
      return;
    }

  fetch_preview (self);
}

/* Joined */

/* The main window opens an account (and in it the last-used organization)
 * through its win.switch-account action; making the account current in the
 * session alone does not reload the window. */
static void
switch_main_window (QuorumInvitationWindow *self,
                    QuorumAccount          *account)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autofree char *key = quorum_session_account_key (account);

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.switch-account", "s", key);
}

static void
joined (QuorumInvitationWindow *self,
        QuorumAccount          *account,
        const char             *organization_id,
        const char             *organization_name)
{
  g_autofree char *title = g_strdup_printf (_("Welcome to %s"), organization_name);
  g_autofree char *text = g_strdup_printf (_("You joined %s as %s."), organization_name,
                                           quorum_role_get_label (quorum_invitation_preview_get_role (self->preview)));
  char *id = g_strdup (organization_id);  /* may be self->organization_id itself */

  g_set_object (&self->account, account);
  g_free (self->organization_id);
  self->organization_id = id;

  /* The main window follows the current account and opens its last-used
   * organization: set that first. */
  quorum_session_set_last_organization (self->session, account, id);
  quorum_session_make_current (self->session, account);
  switch_main_window (self, account);

  show_status (self, "done", title, text);
}

/* Accept */

static void
accept_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(QuorumInvitationWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) organization = NULL;

  organization = quorum_client_accept_invitation_finish (QUORUM_CLIENT (object), result, NULL, &error);
  if (organization == NULL)
    {
      if (is_cancelled (self, error))
        return;
      if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED))
        {
          g_autofree char *text = g_strdup_printf (_("Your session on %s has ended. Sign in again."),
                                                   link_host (self));

          gtk_label_set_text (self->sign_in_error_label, text);
          gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error_label), TRUE);
          set_busy (self, FALSE);
          set_page (self, "sign-in");
          return;
        }
      if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_EMAIL_MISMATCH))
        {
          g_clear_object (&self->account);
          gtk_widget_set_visible (self->accept_button, FALSE);
          gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), TRUE);
          show_form_error (self, self->preview_error_label, error);
          return;
        }
      if (!show_final_error (self, error))
        show_form_error (self, self->preview_error_label, error);
      return;
    }
  if (is_cancelled (self, NULL))
    return;

  joined (self, self->account, quorum_organization_get_id (organization),
          quorum_organization_get_name (organization));
}

static void
accept_with (QuorumInvitationWindow *self,
             QuorumClient           *client)
{
  /* Only the invited account's own client, whose server is the link's. */
  g_assert (quorum_server_url_equal (quorum_client_get_base_url (client), link_server (self)));

  quorum_client_accept_invitation_async (client, link_token (self), self->cancellable,
                                         accept_cb, g_object_ref (self));
}

static void
restore_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(QuorumInvitationWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumClient) client = NULL;

  client = quorum_session_restore_finish (QUORUM_SESSION (object), result, &error);
  if (client == NULL)
    {
      if (is_cancelled (self, error))
        return;
      /* No usable token for this account here: ask for the password. */
      show_form_error (self, self->sign_in_error_label, error);
      set_page (self, "sign-in");
      return;
    }
  if (is_cancelled (self, NULL))
    return;

  accept_with (self, client);
}

static void
accept_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  QuorumInvitationWindow *self = QUORUM_INVITATION_WINDOW (widget);
  QuorumClient *client;

  if (self->account == NULL || self->busy)
    return;

  set_busy (self, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_error_label), FALSE);
  client = quorum_session_get_client (self->session, self->account);
  if (client != NULL && quorum_client_get_signed_in (client))
    accept_with (self, client);
  else
    quorum_session_restore_async (self->session, self->account, self->cancellable,
                                  restore_cb, g_object_ref (self));
}

/* Decline */

static void
decline_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(QuorumInvitationWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!quorum_client_decline_invitation_finish (QUORUM_CLIENT (object), result, &error))
    {
      if (is_cancelled (self, error))
        return;
      if (!show_final_error (self, error))
        show_form_error (self, self->preview_error_label, error);
      return;
    }
  if (is_cancelled (self, NULL))
    return;

  show_status (self, "declined", NULL, NULL);
}

static void
decline_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  QuorumInvitationWindow *self = QUORUM_INVITATION_WINDOW (widget);

  if (self->preview == NULL || self->busy)
    return;

  /* Declining needs no account: the token is the proof. */
  set_busy (self, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_error_label), FALSE);
  quorum_client_decline_invitation_async (self->public_client, link_token (self), self->cancellable,
                                          decline_cb, g_object_ref (self));
}

/* Set-up (newcomer) */

static void
setup_changed_cb (QuorumInvitationWindow *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_entry));
  gboolean mismatch = *confirm != '\0' && strcmp (password, confirm) != 0;
  /* Once typed; the characters refused may be invisible, so say what is wrong. */
  const char *name_problem = *name != '\0' ? quorum_name_problem (quorum_name_check (name)) : NULL;
  GtkAccessible *name_row = GTK_ACCESSIBLE (self->name_entry);  /* what screen readers meet */

  quorum_password_hint_update (self->strength_bar, self->strength_label, password);

  quorum_widget_set_error (GTK_WIDGET (self->name_entry), name_problem != NULL);
  quorum_widget_set_error (GTK_WIDGET (self->confirm_entry), mismatch);
  if (name_problem != NULL)
    gtk_label_set_text (self->setup_error_label, _(name_problem));
  else if (mismatch)
    gtk_label_set_text (self->setup_error_label, _("The passwords do not match."));
  gtk_widget_set_visible (GTK_WIDGET (self->setup_error_label), name_problem != NULL || mismatch);
  if (name_problem != NULL)
    gtk_accessible_update_relation (name_row, GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->setup_error_label, NULL, -1);
  else
    gtk_accessible_reset_relation (name_row, GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invitation.set-up", !self->busy && setup_is_ready (self));
}

static void sign_in_after_setup (QuorumInvitationWindow *self);

static void
after_setup_signed_in_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(QuorumInvitationWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumAccount) account = NULL;

  account = quorum_session_sign_in_finish (QUORUM_SESSION (object), result, &error);
  if (account == NULL)
    {
      g_autofree char *context = NULL;
      g_autofree char *text = NULL;

      if (is_cancelled (self, error))
        return;
      /* The account exists and joined; only keeping the sign-in failed. */
      context = g_strdup_printf (_("Your account was created and you joined %s, but Quorum could not keep you "
                                   "signed in"), self->organization_name);
      text = quorum_error_compose (context, error);
      self->retry = sign_in_after_setup;
      show_status (self, "failed", NULL, text);
      return;
    }
  if (is_cancelled (self, NULL))
    return;

  /* The set-up answered with a session of its own; the session manager made
   * another one (kept in the keyring), so end the first on the server. */
  if (self->setup_token != NULL)
    {
      g_autoptr(QuorumClient) client = quorum_client_new (link_server (self));

      quorum_client_set_allow_insecure (client, quorum_session_server_is_allowed_insecure (self->session,
                                                                                          link_server (self)));
      quorum_client_set_token (client, self->setup_token);
      quorum_client_sign_out_async (client, NULL, NULL, NULL);
      memset (self->setup_token, 0, strlen (self->setup_token));
      g_clear_pointer (&self->setup_token, g_free);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_entry), "");
  joined (self, account, self->organization_id, self->organization_name);
}

static void
sign_in_after_setup (QuorumInvitationWindow *self)
{
  set_busy (self, TRUE);
  set_page (self, "loading");
  quorum_session_sign_in_async (self->session, link_server (self),
                                quorum_invitation_preview_get_email (self->preview),
                                gtk_editable_get_text (GTK_EDITABLE (self->password_entry)),
                                self->cancellable, after_setup_signed_in_cb, g_object_ref (self));
}

static void
setup_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(QuorumInvitationWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(QuorumOrganization) organization = NULL;
  char *token = NULL;

  user = quorum_client_setup_invitation_finish (QUORUM_CLIENT (object), result, &token, &organization, &error);
  if (user == NULL)
    {
      if (is_cancelled (self, error))
        return;
      if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_ACCOUNT_EXISTS))
        {
          g_autofree char *text = g_strdup_printf (_("An account for %s already exists. Sign in to accept."),
                                                   quorum_invitation_preview_get_email (self->preview));

          gtk_label_set_text (self->sign_in_error_label, text);
          gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error_label), TRUE);
          set_busy (self, FALSE);
          set_page (self, "sign-in");
          return;
        }
      if (!show_final_error (self, error))
        show_form_error (self, self->setup_error_label, error);
      return;
    }

  self->setup_token = token;
  g_free (self->organization_id);
  self->organization_id = g_strdup (quorum_organization_get_id (organization));
  g_free (self->organization_name);
  self->organization_name = g_strdup (quorum_organization_get_name (organization));
  if (is_cancelled (self, NULL))
    return;

  sign_in_after_setup (self);
}

static void
setup_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  QuorumInvitationWindow *self = QUORUM_INVITATION_WINDOW (widget);
  g_autofree char *name = NULL;

  if (self->busy || !setup_is_ready (self))
    return;

  name = quorum_name_normalize (gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  set_busy (self, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->setup_error_label), FALSE);
  quorum_client_setup_invitation_async (self->public_client, link_token (self), name,
                                        gtk_editable_get_text (GTK_EDITABLE (self->password_entry)),
                                        self->cancellable, setup_cb, g_object_ref (self));
}

static void
setup_activated_cb (QuorumInvitationWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "invitation.set-up", NULL);
}

/* Sign in (existing account) */

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(QuorumInvitationWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumAccount) account = NULL;

  account = quorum_session_sign_in_finish (QUORUM_SESSION (object), result, &error);
  if (account == NULL)
    {
      if (is_cancelled (self, error))
        return;
      if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_CREDENTIALS))
        {
          gtk_label_set_text (self->sign_in_error_label, _("The password is not right. Try again."));
          gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error_label), TRUE);
          set_busy (self, FALSE);
          gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_password_entry));
          return;
        }
      show_form_error (self, self->sign_in_error_label, error);
      return;
    }
  if (is_cancelled (self, NULL))
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->sign_in_password_entry), "");
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error_label), FALSE);
  update_preview_actions (self);
  set_page (self, "preview");
}

static void
sign_in_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  QuorumInvitationWindow *self = QUORUM_INVITATION_WINDOW (widget);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->sign_in_password_entry));

  if (self->busy || self->preview == NULL || *password == '\0')
    return;

  set_busy (self, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error_label), FALSE);
  /* The server is the link's, the e-mail the invitation's: nothing to pick. */
  quorum_session_sign_in_async (self->session, link_server (self),
                                quorum_invitation_preview_get_email (self->preview), password,
                                self->cancellable, sign_in_cb, g_object_ref (self));
}

static void
sign_in_changed_cb (QuorumInvitationWindow *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->sign_in_password_entry));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invitation.sign-in", !self->busy && *password != '\0');
}

static void
sign_in_activated_cb (QuorumInvitationWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "invitation.sign-in", NULL);
}

/* Navigation */

static void
continue_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  QuorumInvitationWindow *self = QUORUM_INVITATION_WINDOW (widget);

  if (self->link != NULL && !self->busy)
    fetch_preview (self);
}

static void
show_setup_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  QuorumInvitationWindow *self = QUORUM_INVITATION_WINDOW (widget);

  if (self->preview == NULL)
    return;
  set_page (self, "setup");
  setup_changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
show_sign_in_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  QuorumInvitationWindow *self = QUORUM_INVITATION_WINDOW (widget);

  if (self->preview == NULL)
    return;
  set_page (self, "sign-in");
  sign_in_changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_password_entry));
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  QuorumInvitationWindow *self = QUORUM_INVITATION_WINDOW (widget);

  if (self->preview != NULL)
    set_page (self, "preview");
}

static void
retry_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  QuorumInvitationWindow *self = QUORUM_INVITATION_WINDOW (widget);

  if (self->retry != NULL && !self->busy)
    self->retry (self);
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
quorum_invitation_window_dispose (GObject *object)
{
  QuorumInvitationWindow *self = QUORUM_INVITATION_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_INVITATION_WINDOW);
  g_clear_object (&self->public_client);
  g_clear_object (&self->preview);
  g_clear_object (&self->account);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (quorum_invitation_window_parent_class)->dispose (object);
}

static void
quorum_invitation_window_finalize (GObject *object)
{
  QuorumInvitationWindow *self = QUORUM_INVITATION_WINDOW (object);

  if (self->setup_token != NULL)
    memset (self->setup_token, 0, strlen (self->setup_token));
  g_clear_pointer (&self->setup_token, g_free);
  g_clear_pointer (&self->link, quorum_link_free);
  g_clear_error (&self->link_error);
  g_clear_pointer (&self->display_host, g_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->organization_id, g_free);
  g_clear_pointer (&self->organization_name, g_free);

  G_OBJECT_CLASS (quorum_invitation_window_parent_class)->finalize (object);
}

static void
quorum_invitation_window_class_init (QuorumInvitationWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_invitation_window_dispose;
  object_class->finalize = quorum_invitation_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/quorum-invitation-window.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, unknown_server_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, avatar);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, organization_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, inviter_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, role_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, mismatch_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, preview_error_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, accept_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, setup_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, decline_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, setup_group);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, password_entry);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, confirm_entry);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, strength_bar);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, strength_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, setup_error_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, create_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, sign_in_group);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, sign_in_email_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, sign_in_password_entry);
  gtk_widget_class_bind_template_child (widget_class, QuorumInvitationWindow, sign_in_error_label);
  gtk_widget_class_bind_template_callback (widget_class, setup_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_activated_cb);

  gtk_widget_class_install_action (widget_class, "invitation.continue", NULL, continue_activated);
  gtk_widget_class_install_action (widget_class, "invitation.accept", NULL, accept_activated);
  gtk_widget_class_install_action (widget_class, "invitation.decline", NULL, decline_activated);
  gtk_widget_class_install_action (widget_class, "invitation.show-setup", NULL, show_setup_activated);
  gtk_widget_class_install_action (widget_class, "invitation.show-sign-in", NULL, show_sign_in_activated);
  gtk_widget_class_install_action (widget_class, "invitation.set-up", NULL, setup_activated);
  gtk_widget_class_install_action (widget_class, "invitation.sign-in", NULL, sign_in_activated);
  gtk_widget_class_install_action (widget_class, "invitation.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "invitation.retry", NULL, retry_activated);
  gtk_widget_class_install_action (widget_class, "invitation.open", NULL, open_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
quorum_invitation_window_init (QuorumInvitationWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (status_pages); i++)
    gtk_stack_add_named (self->stack, status_page_new (&status_pages[i]), status_pages[i].name);
  quorum_label_buttons_for_screen_readers (GTK_WIDGET (self));
}

QuorumInvitationWindow *
quorum_invitation_window_new (QuorumSession *session,
                              const char    *uri)
{
  QuorumInvitationWindow *self;

  g_return_val_if_fail (QUORUM_IS_SESSION (session), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  self = g_object_new (QUORUM_TYPE_INVITATION_WINDOW, NULL);
  self->session = g_object_ref (session);
  self->link = quorum_link_parse (uri, &self->link_error);
  if (self->link != NULL && quorum_link_get_kind (self->link) != QUORUM_LINK_INVITE)
    {
      /* Verification and reset links have their own window. */
      g_clear_pointer (&self->link, quorum_link_free);
      g_set_error_literal (&self->link_error, QUORUM_LINK_ERROR, QUORUM_LINK_ERROR_WRONG_KIND,
                           "The link is not an invitation");
    }
  if (self->link != NULL)
    {
      self->display_host = g_strdup (quorum_link_get_display_server (self->link));
    }
  /* The session lists its accounts as soon as it exists (they come from
   * GSettings); tokens are restored from the keyring when Accept needs one. */
  start (self);

  return self;
}

static GtkWindow *
new_window (gpointer    session,
            const char *uri)
{
  return GTK_WINDOW (quorum_invitation_window_new (session, uri));
}

/**
 * quorum_invitation_window_open:
 * @parent: the main window
 *
 * Opens the invitation window for @uri, or presents the one already open for
 * the same invitation.
 */
void
quorum_invitation_window_open (GtkWindow     *parent,
                               QuorumSession *session,
                               const char    *uri)
{
  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (QUORUM_IS_SESSION (session));
  g_return_if_fail (uri != NULL);

  quorum_link_opener_open (parent, QUORUM_TYPE_INVITATION_WINDOW, new_window, session, uri);
}

const char *
quorum_invitation_window_get_page (QuorumInvitationWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

QuorumAccount *
quorum_invitation_window_get_account (QuorumInvitationWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION_WINDOW (self), NULL);

  return self->account;
}

const char *
quorum_invitation_window_get_organization_id (QuorumInvitationWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION_WINDOW (self), NULL);

  return self->organization_id;
}
