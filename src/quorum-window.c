/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "quorum-account-link-window.h"
#include "quorum-billing-page.h"
#include "quorum-developers-page.h"
#include "quorum-core.h"
#include "quorum-create-organization-dialog.h"
#include "quorum-general-page.h"
#include "quorum-invitation-window.h"
#include "quorum-members-page.h"
#include "quorum-org-link-window.h"
#include "quorum-org-switcher.h"
#include "quorum-request-status.h"
#include "quorum-session.h"
#include "quorum-sign-in-page.h"
#include "quorum-utils-private.h"
#include "quorum-window.h"

/*
 * Start: the first account of the list (the one used last) gets its token
 * from the keyring without asking, then GET /organizations opens the last
 * organization of that account. No account: the sign-in view.
 *
 * Before the window's first frame only its header and the start view
 * ("Loading organizations…") are built and the token is read; the requests
 * (organizations, invitations, /me, then the pages'), the accounts menu and
 * the pages themselves come after it (docs/performance.md, "Start-up").
 *
 * Both requests have a QuorumRequestState: the list's shows in the start
 * view, then as a banner over the pages it keeps; the open's covers the
 * pages (its Cancel goes back to the organization shown before).
 */

/* Where a quorum://org/… link leads, once its organization is open. */
typedef struct
{
  char *organization_id;
  char *tab;     /* "general", "members"…, or NULL */
  char *query;   /* members search, or NULL */
  char *filter;  /* QUORUM_LINK_FILTER_INACTIVE_90D, or NULL */
} PendingPage;

static void
pending_page_free (PendingPage *page)
{
  g_free (page->organization_id);
  g_free (page->tab);
  g_free (page->query);
  g_free (page->filter);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PendingPage, pending_page_free)

struct _QuorumWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  QuorumSession        *session;
  QuorumAccount        *account;
  QuorumClient         *client;
  QuorumUser           *user;  /* the account's GET /me, for the verification banner */
  GListStore           *organizations;
  QuorumOrganization   *organization;       /* chosen; the pages wait while it loads */
  QuorumOrganization   *open_organization;  /* loaded, what the pages show */
  GCancellable         *account_cancellable;
  QuorumRequestState   *list_state;    /* GET /organizations, retried by itself */
  QuorumRequestState   *open_state;    /* GET /organizations/{id} of the one chosen */
  QuorumOrganization   *previous;      /* shown before the one opening; back on Cancel */
  gboolean              resetting;     /* the requests are dropped, not cancelled by the user */
  GPtrArray            *error_toasts;  /* withdrawn once an organization loads */
  gboolean              discard_confirmed;
  gboolean              started;
  guint                 compact_source;
  guint                 resend_source;  /* Resend waits, after a send or a 429 */
  gboolean              resending;
  GtkWindow            *discard_dialog;  /* weak */
  PendingPage          *pending_page;    /* a link's page, shown once its organization opens */
  GdkFrameClock        *frame_clock;     /* until the first frame was painted */
  gulong                first_frame_handler;
  gboolean              painted;         /* the first frame was */
  QuorumClient         *restored_client; /* its token came before the first frame */

  AdwToastOverlay      *toast_overlay;
  QuorumOrgSwitcher    *org_switcher;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkRevealer          *offline_revealer;
  QuorumRequestStatus  *list_banner;
  QuorumRequestStatus  *list_status;
  QuorumRequestStatus  *list_error_status;
  QuorumRequestStatus  *open_status;
  GtkRevealer          *verify_revealer;
  GtkLabel             *verify_label;
  GtkSpinner           *resend_spinner;
  GtkWidget            *loading_overlay;
  GtkSpinner           *start_spinner;
  GtkLabel             *loading_label;
  GtkStack             *main_stack;
  AdwBin               *sign_in_bin;
  QuorumSignInPage     *sign_in_page;  /* built when first shown, as the pages */
  AdwStatusPage        *keyring_page;
  AdwStatusPage        *error_page;
  AdwViewStack         *view_stack;
  AdwViewStackPage     *general_stack_page;
  AdwViewStackPage     *members_stack_page;
  AdwViewStackPage     *billing_stack_page;
  AdwViewStackPage     *developers_stack_page;
  AdwBin               *general_bin;
  AdwBin               *members_bin;
  AdwBin               *billing_bin;
  AdwBin               *developers_bin;
  QuorumGeneralPage    *general_page;  /* built when first shown, in the bins */
  QuorumMembersPage    *members_page;
  QuorumBillingPage    *billing_page;
  QuorumDevelopersPage *developers_page;
  GMenu                *accounts_section;
};

G_DEFINE_FINAL_TYPE (QuorumWindow, quorum_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_OPEN_ORGANIZATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The pages bind their client and organization to these (quorum-window.ui). */
static void
set_open_organization (QuorumWindow       *self,
                       QuorumOrganization *organization)
{
  if (g_set_object (&self->open_organization, organization))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN_ORGANIZATION]);
}

static void open_account       (QuorumWindow       *self,
                                QuorumAccount      *account);
static void load_organizations (QuorumWindow       *self);
static void switch_to          (QuorumWindow       *self,
                                QuorumOrganization *organization,
                                gboolean            automatic);

static void
retry_now (QuorumWindow *self,
           gpointer      data)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.retry", NULL);
}

static void
toast_dismissed_cb (AdwToast     *toast,
                    QuorumWindow *self)
{
  g_ptr_array_remove (self->error_toasts, toast);
}

static void
show_toast (QuorumWindow *self,
            const char   *title,
            gboolean      retry)
{
  quorum_toast_show (GTK_WIDGET (self->toast_overlay), title,
                     retry ? quorum_weak_call_new (self, (QuorumWeakFunc) retry_now, NULL, NULL) : NULL);
}

/* A failure of a request: kept, so that it goes once a later request
 * succeeded and it no longer holds. */
static void
show_error_toast (QuorumWindow   *self,
                  const char     *title,
                  QuorumWeakCall *retry)
{
  AdwToast *toast = quorum_toast_show (GTK_WIDGET (self->toast_overlay), title, retry);

  if (toast == NULL)
    return;
  g_ptr_array_add (self->error_toasts, g_object_ref (toast));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
}

static void
withdraw_error_toasts (QuorumWindow *self)
{
  g_autoptr(GPtrArray) toasts = g_steal_pointer (&self->error_toasts);

  self->error_toasts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < toasts->len; i++)
    {
      g_signal_handlers_disconnect_by_func (toasts->pdata[i], toast_dismissed_cb, self);
      quorum_toast_withdraw (toasts->pdata[i]);
    }
}

static void
set_action_enabled (QuorumWindow *self,
                    const char   *name,
                    gboolean      enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void update_list_status (QuorumWindow *self);
static void ensure_pages       (QuorumWindow *self);

/* Another account, sign-out, the start view: nothing to go back to. */
static void
reset_requests (QuorumWindow *self)
{
  self->resetting = TRUE;
  quorum_request_state_reset (self->list_state);
  quorum_request_state_reset (self->open_state);
  self->resetting = FALSE;
}

static void
set_state (QuorumWindow *self,
           const char   *state)
{
  gboolean main = g_strcmp0 (state, "main") == 0;

  if (main)
    ensure_pages (self);
  gtk_stack_set_visible_child_name (self->main_stack, state);
  gtk_spinner_set_spinning (self->start_spinner, g_strcmp0 (state, "loading") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->org_switcher),
                          main || g_strcmp0 (state, "no-organizations") == 0);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, main);
  /* Narrow, the switcher button needs the room more than the app's name. */
  adw_view_switcher_title_set_title (self->switcher_title, main ? "" : _("Quorum"));
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_bar), main);
  set_action_enabled (self, "show-organizations", main);
  set_action_enabled (self, "search-members", main);
  set_action_enabled (self, "organization-settings", main);
  set_action_enabled (self, "copy-link", main);
  set_action_enabled (self, "sign-out", self->account != NULL);
  set_action_enabled (self, "create-organization", self->client != NULL);
  if (!main)
    {
      self->resetting = TRUE;
      quorum_request_state_reset (self->open_state);
      self->resetting = FALSE;
    }
  update_list_status (self);
}

/* The list's state: in the start view until there is a list, then as a
 * banner over the pages, which stay. A plain spinner needs no banner. */
static void
update_list_status (QuorumWindow *self)
{
  QuorumRequestPhase phase = quorum_request_state_get_phase (self->list_state);
  gboolean main = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0 ||
                  g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "no-organizations") == 0;

  gtk_revealer_set_reveal_child (self->offline_revealer,
                                 main && phase != QUORUM_REQUEST_PHASE_IDLE &&
                                 phase != QUORUM_REQUEST_PHASE_WAITING);
  gtk_widget_set_visible (GTK_WIDGET (self->start_spinner), phase == QUORUM_REQUEST_PHASE_IDLE);
  /* The start view's words, until the list's state has its own ("Still
   * waiting for …") or the list is there. */
  gtk_widget_set_visible (GTK_WIDGET (self->loading_label), phase <= QUORUM_REQUEST_PHASE_WAITING);
}

/* E-mail verification: a banner while the account's address is not
 * verified (the server then hides what was sent to the address), with
 * Resend. GET /me tells, each time the window loads the organizations. */

static void
update_verify_banner (QuorumWindow *self,
                      const char   *status)
{
  gboolean show = self->user != NULL && !quorum_user_get_email_verified (self->user);

  if (show)
    {
      g_autofree char *text = NULL;

      if (status == NULL)
        text = g_strdup_printf (_("Verify your e-mail address to see invitations sent to %s"),
                                quorum_user_get_email (self->user));
      gtk_label_set_text (self->verify_label, status != NULL ? status : text);
    }
  else
    gtk_label_set_text (self->verify_label, "");  /* nothing stale for screen readers */
  gtk_revealer_set_reveal_child (self->verify_revealer, show);
}

static void
set_resend_busy (QuorumWindow *self,
                 gboolean      busy)
{
  self->resending = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->resend_spinner), busy);
  gtk_spinner_set_spinning (self->resend_spinner, busy);
  set_action_enabled (self, "resend-verification", !busy && self->resend_source == 0);
}

static void
reset_verification (QuorumWindow *self)
{
  g_clear_object (&self->user);
  g_clear_handle_id (&self->resend_source, g_source_remove);
  set_resend_busy (self, FALSE);
  update_verify_banner (self, NULL);
}

static void
me_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(QuorumWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;

  user = quorum_client_get_me_finish (QUORUM_CLIENT (object), result, &error);
  if (user == NULL)
    {
      /* Offline and ended sessions are said elsewhere; the banner waits. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not fetch the account: %s", error->message);
      return;
    }
  if (QUORUM_CLIENT (object) != self->client)
    return;

  g_set_object (&self->user, user);
  if (self->developers_page != NULL)
    quorum_developers_page_set_me (self->developers_page, quorum_user_get_id (user));
  update_verify_banner (self, NULL);
}

static void
fetch_me (QuorumWindow *self)
{
  if (self->client != NULL)
    quorum_client_get_me_async (self->client, self->account_cancellable, me_cb, g_object_ref (self));
}

static gboolean
resend_wait_done_cb (gpointer user_data)
{
  QuorumWindow *self = user_data;

  self->resend_source = 0;
  set_resend_busy (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
resent_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(QuorumWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  guint wait = 0;

  if (quorum_client_resend_verification_finish (QUORUM_CLIENT (object), result, &error))
    {
      status = g_strdup (_("Sent — check your inbox"));
      wait = 30;  /* one message at a time */
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED) ||
           QUORUM_CLIENT (object) != self->client)
    {
      /* Another account, or a new sign-in: nothing to say here. */
      if (QUORUM_CLIENT (object) == self->client)
        set_resend_busy (self, FALSE);
      return;
    }
  else if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_ALREADY_VERIFIED))
    {
      /* Verified meanwhile, maybe in a browser: the banner goes. */
      set_resend_busy (self, FALSE);
      fetch_me (self);
      quorum_org_switcher_reload_invitations (self->org_switcher);
      return;
    }
  else if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_RATE_LIMITED))
    {
      guint minutes;

      wait = MAX (quorum_api_error_get_retry_after (error), 1);
      minutes = (wait + 59) / 60;
      status = g_strdup_printf (ngettext ("Several messages were sent already. Try again in %u minute.",
                                          "Several messages were sent already. Try again in %u minutes.",
                                          minutes), minutes);
    }
  else if (quorum_error_is_offline (error))
    status = g_strdup (_("Could not reach the server. Check the connection, then try again."));
  else
    status = quorum_error_compose (_("Could not send the message"), error);

  if (wait > 0)
    self->resend_source = g_timeout_add_seconds (wait, resend_wait_done_cb, self);
  set_resend_busy (self, FALSE);
  update_verify_banner (self, status);
}

static void
resend_verification_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  QuorumWindow *self = user_data;

  if (self->client == NULL || self->resending || self->resend_source != 0)
    return;

  set_resend_busy (self, TRUE);
  update_verify_banner (self, _("Sending a new verification message…"));
  quorum_client_resend_verification_async (self->client, self->account_cancellable, resent_cb,
                                           g_object_ref (self));
}

/* Accounts */

static void
rebuild_accounts_menu (QuorumWindow *self)
{
  GListModel *accounts = quorum_session_get_accounts (self->session);
  guint n = g_list_model_get_n_items (accounts);
  gboolean one_server = TRUE;

  /* The server is named only when the accounts are on several. */
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(QuorumAccount) first = g_list_model_get_item (accounts, 0);
      g_autoptr(QuorumAccount) other = g_list_model_get_item (accounts, i);

      if (g_strcmp0 (quorum_account_get_server (first), quorum_account_get_server (other)) != 0)
        one_server = FALSE;
    }

  g_menu_remove_all (self->accounts_section);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuorumAccount) account = g_list_model_get_item (accounts, i);
      g_autofree char *key = quorum_session_account_key (account);
      const char *name = quorum_account_get_name (account);
      g_autoptr(GUri) uri = g_uri_parse (quorum_account_get_server (account), G_URI_FLAGS_NONE, NULL);
      g_autofree char *label = NULL;
      g_autoptr(GMenuItem) item = NULL;

      if (name == NULL || *name == '\0')
        name = quorum_account_get_email (account);
      if (one_server)
        /* Translators: an account in the main menu: name, e-mail address */
        label = g_strdup_printf (_("%s (%s)"), name, quorum_account_get_email (account));
      else
        /* Translators: an account in the main menu: name, e-mail address, server host */
        label = g_strdup_printf (_("%s (%s on %s)"), name, quorum_account_get_email (account),
                                 uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri)
                                                                            : quorum_account_get_server (account));
      if (quorum_account_get_insecure (account))
        {
          /* Stays with the account for as long as it is used without encryption. */
          g_autofree char *plain = g_steal_pointer (&label);

          /* Translators: an account whose server the user chose to use over plain http */
          label = g_strdup_printf (_("⚠ %s — not encrypted"), plain);
        }
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "win.switch-account", g_variant_new_string (key));
      g_menu_append_item (self->accounts_section, item);
    }
}

static void
update_account_action_state (QuorumWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "switch-account");
  g_autofree char *key = self->account != NULL ? quorum_session_account_key (self->account) : g_strdup ("");

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (key));
}

static void signed_in_cb         (QuorumWindow  *self,
                                  QuorumAccount *account);
static void sign_in_cancelled_cb (QuorumWindow  *self);

/* Built the first time it is shown: a start with an account never needs it. */
static QuorumSignInPage *
ensure_sign_in_page (QuorumWindow *self)
{
  if (self->sign_in_page == NULL)
    {
      self->sign_in_page = QUORUM_SIGN_IN_PAGE (g_object_new (QUORUM_TYPE_SIGN_IN_PAGE, NULL));
      quorum_sign_in_page_set_session (self->sign_in_page, self->session);
      g_signal_connect_object (self->sign_in_page, "signed-in", G_CALLBACK (signed_in_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->sign_in_page, "cancelled", G_CALLBACK (sign_in_cancelled_cb), self,
                               G_CONNECT_SWAPPED);
      adw_bin_set_child (self->sign_in_bin, GTK_WIDGET (self->sign_in_page));
    }
  return self->sign_in_page;
}

static void
show_sign_in (QuorumWindow *self,
              const char   *server,
              const char   *email,
              const char   *message,
              gboolean      can_cancel)
{
  quorum_sign_in_page_prepare (ensure_sign_in_page (self),
                               server != NULL ? server : quorum_session_get_default_server (self->session),
                               email, message, can_cancel);
  set_state (self, "sign-in");
}

static void
set_client (QuorumWindow *self,
            QuorumClient *client);

static void
unauthenticated_cb (QuorumWindow *self,
                    QuorumClient *client)
{
  g_autofree char *message = NULL;

  if (client != self->client || self->account == NULL)
    return;

  g_cancellable_cancel (self->account_cancellable);
  reset_requests (self);
  message = g_strdup_printf (_("Your session for %s has ended. Sign in again to continue."),
                             quorum_account_get_email (self->account));
  set_client (self, NULL);
  show_sign_in (self, quorum_account_get_server (self->account),
                quorum_account_get_email (self->account), message,
                g_list_model_get_n_items (quorum_session_get_accounts (self->session)) > 1);
}

static void
set_client (QuorumWindow *self,
            QuorumClient *client)
{
  if (self->client == client)
    return;

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, unauthenticated_cb, self);
  g_set_object (&self->client, client);
  if (client != NULL)
    g_signal_connect_swapped (client, "unauthenticated", G_CALLBACK (unauthenticated_cb), self);
  reset_verification (self);
  reset_requests (self);
  /* The words name the account's server. */
  quorum_request_state_set_host_from_url (self->list_state, client != NULL ? quorum_client_get_base_url (client) : NULL);
  quorum_request_state_set_host_from_url (self->open_state, client != NULL ? quorum_client_get_base_url (client) : NULL);

  set_open_organization (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
keyring_failed (QuorumWindow *self,
                const GError *error)
{
  const char *description;

  if (g_error_matches (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_LOCKED))
    description = _("The keyring that holds your session is locked. Unlock it, then retry. "
                    "Your accounts are kept.");
  else if (g_error_matches (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_UNAVAILABLE))
    description = _("No keyring service is running, so your session cannot be read. "
                    "Start one (such as GNOME Keyring), then retry. Your accounts are kept.");
  else
    description = _("The keyring refused to give Quorum your session. Retry, or check the "
                    "keyring's settings. Your accounts are kept.");

  adw_status_page_set_description (self->keyring_page, description);
  set_state (self, "keyring");
}

static void
restore_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(QuorumWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumClient) client = NULL;

  client = quorum_session_restore_finish (QUORUM_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  quorum_trace_startup ("token-restored");

  if (client == NULL)
    {
      if (g_error_matches (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_NOT_FOUND))
        {
          /* The keyring answered, but holds no session: ask for the password,
           * keep the account. */
          g_autofree char *message =
            g_strdup_printf (_("Sign in again as %s: the keyring holds no session for this account."),
                             quorum_account_get_email (self->account));

          show_sign_in (self, quorum_account_get_server (self->account),
                        quorum_account_get_email (self->account), message,
                        g_list_model_get_n_items (quorum_session_get_accounts (self->session)) > 1);
        }
      else
        keyring_failed (self, error);
      return;
    }

  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && !self->painted)
    {
      /* The start: the token is read, the rest waits for the first frame
       * (first_frame_cb); the start view says what is coming meanwhile. */
      g_set_object (&self->restored_client, client);
      return;
    }
  set_client (self, client);
  load_organizations (self);
}

static void
open_account (QuorumWindow  *self,
              QuorumAccount *account)
{
  g_autoptr(QuorumAccount) ref = g_object_ref (account);

  g_clear_object (&self->restored_client);
  g_cancellable_cancel (self->account_cancellable);
  g_clear_object (&self->account_cancellable);
  self->account_cancellable = g_cancellable_new ();
  reset_requests (self);

  if (self->client == NULL || quorum_session_get_client (self->session, account) != self->client)
    {
      g_list_store_remove_all (self->organizations);
      g_clear_object (&self->organization);
      g_clear_object (&self->previous);
      quorum_org_switcher_set_current (self->org_switcher, NULL);
      set_client (self, NULL);
    }

  g_set_object (&self->account, ref);
  quorum_session_make_current (self->session, ref);
  update_account_action_state (self);
  gtk_label_set_text (self->loading_label, _("Loading organizations…"));
  set_state (self, "loading");
  quorum_trace_startup ("token-restore");
  quorum_session_restore_async (self->session, ref, self->account_cancellable, restore_cb,
                                g_object_ref (self));
}

static void
signed_in_cb (QuorumWindow  *self,
              QuorumAccount *account)
{
  open_account (self, account);
}

static void
sign_in_cancelled_cb (QuorumWindow *self)
{
  if (self->account != NULL)
    open_account (self, self->account);
}

/* Organizations */

static void
update_gating (QuorumWindow *self)
{
  QuorumRole role = self->organization != NULL ? quorum_organization_get_role (self->organization)
                                               : QUORUM_ROLE_NONE;
  GtkWidget *visible = adw_view_stack_get_visible_child (self->view_stack);


  adw_view_stack_page_set_visible (self->general_stack_page,
                                   quorum_role_can (role, QUORUM_PERMISSION_VIEW_ORGANIZATION));
  adw_view_stack_page_set_visible (self->members_stack_page,
                                   quorum_role_can (role, QUORUM_PERMISSION_VIEW_ORGANIZATION));
  adw_view_stack_page_set_visible (self->billing_stack_page,
                                   quorum_role_can (role, QUORUM_PERMISSION_MANAGE_BILLING));
  adw_view_stack_page_set_visible (self->developers_stack_page,
                                   quorum_role_can (role, QUORUM_PERMISSION_MANAGE_DEVELOPERS));

  if (visible == NULL || !adw_view_stack_page_get_visible (adw_view_stack_get_page (self->view_stack, visible)))
    adw_view_stack_set_visible_child_name (self->view_stack, "general");
}

static QuorumOrganization *
find_organization (QuorumWindow *self,
                   const char   *id,
                   guint        *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->organizations));

  for (guint i = 0; id != NULL && i < n; i++)
    {
      g_autoptr(QuorumOrganization) organization = g_list_model_get_item (G_LIST_MODEL (self->organizations), i);

      if (g_strcmp0 (quorum_organization_get_id (organization), id) == 0)
        {
          if (position != NULL)
            *position = i;
          return organization;  /* the list keeps a reference */
        }
    }
  return NULL;
}

static void
organizations_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(QuorumWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) organizations = NULL;
  g_autofree char *last = NULL;
  QuorumOrganization *open = NULL;

  organizations = quorum_client_list_organizations_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      quorum_request_state_fail (self->list_state, NULL, error);
      return;
    }
  if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED))
    return;

  if (organizations == NULL)
    {
      quorum_request_state_fail (self->list_state, _("Could not load your organizations"), error);
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") != 0 &&
          g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "no-organizations") != 0)
        set_state (self, "error");
      /* Otherwise the banner says it, over the pages, which stay. */
      update_list_status (self);
      return;
    }

  quorum_trace_startup ("organizations-listed");
  self->resetting = TRUE;
  quorum_request_state_succeed (self->list_state);
  self->resetting = FALSE;
  g_list_store_splice (self->organizations, 0, g_list_model_get_n_items (G_LIST_MODEL (self->organizations)),
                       organizations->pdata, organizations->len);

  if (organizations->len == 0)
    {
      g_clear_object (&self->organization);
      g_clear_object (&self->previous);
      quorum_org_switcher_set_current (self->org_switcher, NULL);
      set_open_organization (self, NULL);
      set_state (self, "no-organizations");
      return;
    }

  if (self->pending_page != NULL)
    open = find_organization (self, self->pending_page->organization_id, NULL);
  if (open == NULL && self->organization != NULL)
    open = find_organization (self, quorum_organization_get_id (self->organization), NULL);
  if (open == NULL)
    {
      last = quorum_session_dup_last_organization (self->session, self->account);
      open = find_organization (self, last, NULL);
    }
  if (open == NULL)
    open = g_ptr_array_index (organizations, 0);

  set_state (self, "main");
  switch_to (self, open, TRUE);
}

/* Asked again whenever the organizations may have changed; a load nobody
 * asked for, so it comes back by itself after a failure. */
static void
load_organizations (QuorumWindow *self)
{
  GCancellable *cancellable;

  if (self->client == NULL)
    return;

  set_action_enabled (self, "create-organization", TRUE);
  quorum_trace_startup ("organizations-requested");
  cancellable = quorum_request_state_begin (self->list_state, TRUE);
  update_list_status (self);
  quorum_client_list_organizations_async (self->client, cancellable, organizations_cb, g_object_ref (self));
  quorum_org_switcher_reload_invitations (self->org_switcher);
  fetch_me (self);
}

static void
list_retry_cb (QuorumWindow *self)
{
  load_organizations (self);
}

/* Cancel before there was any list: nothing to go back to but saying so,
 * with Retry. */
static void
list_phase_cb (QuorumWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->resetting || self->client == NULL ||
      quorum_request_state_get_phase (self->list_state) != QUORUM_REQUEST_PHASE_IDLE ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "loading") != 0)
    return;

  error = g_error_new_literal (QUORUM_API_ERROR, QUORUM_API_ERROR_FAILED, _("Loading was cancelled"));
  quorum_request_state_fail (self->list_state, _("Could not load your organizations"), error);
  set_state (self, "error");
}

static char *
open_context (QuorumOrganization *organization)
{
  /* Translators: %s is an organization's name */
  return g_strdup_printf (_("Could not open %s"), quorum_organization_get_name (organization));
}

/* A link's page: its tab (when the role shows it) and the members search. */
static void
apply_pending_page (QuorumWindow *self)
{
  g_autoptr(PendingPage) page = NULL;
  GtkWidget *child;

  if (self->pending_page == NULL || self->open_organization == NULL || self->members_page == NULL ||
      g_strcmp0 (self->pending_page->organization_id, quorum_organization_get_id (self->open_organization)) != 0)
    return;

  page = g_steal_pointer (&self->pending_page);
  child = page->tab != NULL ? adw_view_stack_get_child_by_name (self->view_stack, page->tab) : NULL;
  if (child != NULL && adw_view_stack_page_get_visible (adw_view_stack_get_page (self->view_stack, child)))
    adw_view_stack_set_visible_child (self->view_stack, child);
  else if (page->tab != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, "general");
  if (g_strcmp0 (page->tab, "members") == 0)
    quorum_members_page_search (self->members_page, page->query,
                                g_strcmp0 (page->filter, QUORUM_LINK_FILTER_INACTIVE_90D) == 0);
}

static void
organization_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(QuorumWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) organization = NULL;
  guint position;

  organization = quorum_client_get_organization_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* a newer request, or Cancel, which went back already */
  if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED))
    return;

  if (organization == NULL)
    {
      if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_NOT_FOUND) ||
          g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_ORGANIZATION_NOT_FOUND) ||
          g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_FORBIDDEN))
        {
          /* Gone, or no longer ours: start again from the list. */
          g_clear_object (&self->organization);
          g_clear_object (&self->previous);
          self->resetting = TRUE;
          quorum_request_state_reset (self->open_state);
          self->resetting = FALSE;
          show_error_toast (self, _("That organization is no longer available"), NULL);
          load_organizations (self);
        }
      else if (self->open_organization != NULL && self->organization != NULL &&
               g_strcmp0 (quorum_organization_get_id (self->open_organization),
                          quorum_organization_get_id (self->organization)) == 0)
        {
          /* Fetching the one shown again: the page and what was typed stay. */
          g_autofree char *context = open_context (self->organization);
          g_autofree char *title = quorum_error_compose (context, error);

          quorum_request_state_reset (self->open_state);
          show_error_toast (self, title, quorum_weak_call_new (self, (QuorumWeakFunc) retry_now, NULL, NULL));
        }
      else
        {
          /* The pages went with the old one: the one chosen says it failed,
           * with Retry, in their place. */
          g_autofree char *context = open_context (self->organization);

          quorum_request_state_fail (self->open_state, context, error);
        }
      return;
    }

  if (find_organization (self, quorum_organization_get_id (organization), &position) != NULL)
    g_list_store_splice (self->organizations, position, 1, (gpointer *) &organization, 1);

  quorum_trace_startup ("organization-opened");
  g_set_object (&self->organization, organization);
  g_clear_object (&self->previous);
  quorum_org_switcher_set_current (self->org_switcher, organization);
  quorum_session_set_last_organization (self->session, self->account, quorum_organization_get_id (organization));
  set_open_organization (self, organization);
  update_gating (self);
  quorum_request_state_succeed (self->open_state);
  apply_pending_page (self);
  /* What failed before this answer no longer holds. */
  withdraw_error_toasts (self);
  /* The pages have asked for what sign-in prefetched for them; from now on
   * every answer comes fresh from the server. */
  quorum_client_prefetch_drop (self->client);
}

static void
open_retry_cb (QuorumWindow *self)
{
  if (self->organization != NULL && self->client != NULL)
    switch_to (self, self->organization, quorum_request_state_get_automatic (self->open_state));
}

/* The overlay covers the pages while the chosen organization loads or
 * failed to; Cancel (idle again, nothing loaded) goes back to the one shown
 * before. */
static void
open_phase_cb (QuorumWindow *self)
{
  QuorumRequestPhase phase = quorum_request_state_get_phase (self->open_state);
  gboolean failed = phase >= QUORUM_REQUEST_PHASE_OFFLINE ||
                    (phase == QUORUM_REQUEST_PHASE_NOT_ANSWERING &&
                     !quorum_request_state_get_running (self->open_state));

  gtk_widget_set_visible (self->loading_overlay, phase != QUORUM_REQUEST_PHASE_IDLE);
  /* Another organization on its way: the pages, empty meanwhile ("No
   * Organization"), are not shown under it. A refresh keeps them. */
  gtk_widget_set_visible (GTK_WIDGET (self->view_stack),
                          phase == QUORUM_REQUEST_PHASE_IDLE || self->open_organization != NULL);
  if (failed)
    gtk_widget_add_css_class (self->loading_overlay, "failed");
  else
    gtk_widget_remove_css_class (self->loading_overlay, "failed");

  if (phase != QUORUM_REQUEST_PHASE_IDLE || self->resetting || self->organization == NULL ||
      (self->open_organization != NULL &&
       g_strcmp0 (quorum_organization_get_id (self->open_organization),
                  quorum_organization_get_id (self->organization)) == 0))
    return;

  if (self->previous != NULL)
    {
      g_autoptr(QuorumOrganization) previous = g_steal_pointer (&self->previous);

      g_set_object (&self->organization, previous);
      quorum_org_switcher_set_current (self->org_switcher, previous);
      set_open_organization (self, previous);
      update_gating (self);
    }
  else if (self->open_organization == NULL)
    {
      /* Nothing shown before (the start): the chosen one stays, with Retry. */
      g_autoptr(GError) error = g_error_new_literal (QUORUM_API_ERROR, QUORUM_API_ERROR_FAILED,
                                                     _("Opening it was cancelled"));
      g_autofree char *context = open_context (self->organization);

      quorum_request_state_fail (self->open_state, context, error);
    }
}

/* Unsaved edits */

typedef void (*QuorumWindowThen) (QuorumWindow *self,
                                  gpointer      data);

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     QuorumWeakCall   *then)
{
  if (g_strcmp0 (response, "discard") == 0)
    quorum_weak_call_run (then);
}

static gboolean
has_unsaved_changes (QuorumWindow *self)
{
  return self->general_page != NULL && quorum_general_page_has_unsaved_changes (self->general_page);
}

/*
 * Runs @then at once, or, when the General tab holds edits that were not
 * saved, only after the user agreed to lose them. Going back keeps them.
 */
static void
unless_unsaved (QuorumWindow     *self,
                QuorumWindowThen  then,
                gpointer          data,
                GDestroyNotify    destroy)
{
  QuorumOrganization *organization = self->general_page != NULL
                                     ? quorum_general_page_get_organization (self->general_page) : NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (organization == NULL || !has_unsaved_changes (self))
    {
      then (self, data);
      if (destroy != NULL)
        destroy (data);
      return;
    }

  /* One question at a time: a second request (Ctrl+Q twice, say) shows the
   * dialog already asking. */
  if (self->discard_dialog != NULL)
    {
      if (destroy != NULL)
        destroy (data);
      gtk_window_present (self->discard_dialog);
      return;
    }

  body = g_strdup_printf (_("The changes to the name, slug or logo of %s have not been saved."),
                          quorum_organization_get_name (organization));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Discard Unsaved Changes?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "discard", _("_Discard"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_signal_connect_data (dialog, "response", G_CALLBACK (discard_response_cb),
                         quorum_weak_call_new (self, (QuorumWeakFunc) then, data, destroy),
                         quorum_weak_call_closure_free, 0);
  g_set_weak_pointer (&self->discard_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/*
 * Every page gets the new organization once it was fetched afresh; until
 * then its request's state covers them, and whatever was still in flight
 * for the old one is cancelled. The tabs follow the chosen one's role (the
 * list knows it) from the start: a plain member never sees Billing.
 */
static void
switch_to (QuorumWindow       *self,
           QuorumOrganization *organization,
           gboolean            automatic)
{
  g_autoptr(QuorumOrganization) ref = g_object_ref (organization);
  GCancellable *cancellable;

  if (self->pending_page != NULL &&
      g_strcmp0 (self->pending_page->organization_id, quorum_organization_get_id (ref)) != 0)
    g_clear_pointer (&self->pending_page, pending_page_free);
  quorum_org_switcher_set_current (self->org_switcher, ref);
  if (self->organization == NULL ||
      g_strcmp0 (quorum_organization_get_id (self->organization), quorum_organization_get_id (ref)) != 0)
    {
      /* What Cancel goes back to: the last one loaded. */
      if (self->open_organization != NULL)
        g_set_object (&self->previous, self->open_organization);
      /* Pages stop working for the old organization at once. */
      set_open_organization (self, NULL);
      g_set_object (&self->organization, ref);
    }
  update_gating (self);

  cancellable = quorum_request_state_begin (self->open_state, automatic);
  quorum_client_get_organization_async (self->client, quorum_organization_get_id (ref),
                                        cancellable, organization_cb, g_object_ref (self));
}

static void
switch_then (QuorumWindow *self,
             gpointer      organization)
{
  switch_to (self, organization, FALSE);
}

static void
organization_activated_cb (QuorumWindow       *self,
                           QuorumOrganization *organization)
{
  if (self->organization != NULL &&
      g_strcmp0 (quorum_organization_get_id (self->organization), quorum_organization_get_id (organization)) == 0)
    {
      /* The one shown: fetch it afresh, which keeps what was typed. */
      switch_to (self, organization, FALSE);
      return;
    }

  unless_unsaved (self, switch_then, g_object_ref (organization), g_object_unref);
}

static void
organization_changed_cb (QuorumWindow       *self,
                         QuorumOrganization *organization)
{
  guint position;

  if (organization == NULL)
    {
      /* Left, deleted or handed over: the list, or our role, changed. A
       * transfer reopens the same organization with the new role. */
      load_organizations (self);
      return;
    }

  if (find_organization (self, quorum_organization_get_id (organization), &position) != NULL)
    g_list_store_splice (self->organizations, position, 1, (gpointer *) &organization, 1);
  g_set_object (&self->organization, organization);
  quorum_org_switcher_set_current (self->org_switcher, organization);
}

/* The pages, built the first time the window shows them (set_state "main")
 * into their tabs' bins, bound to the window's client and open organization.
 * (The tabs themselves are in the template: libadwaita 1.2's switcher title
 * given an empty stack keeps them in the bottom bar however wide the window.) */
static gpointer
add_page (QuorumWindow *self,
          AdwBin       *bin,
          GType         type)
{
  GtkWidget *page = g_object_new (type, NULL);

  g_object_bind_property (self, "client", page, "client", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "open-organization", page, "organization", G_BINDING_SYNC_CREATE);
  adw_bin_set_child (bin, page);
  return page;
}

static void
ensure_pages (QuorumWindow *self)
{
  if (self->general_page != NULL)
    return;

  self->general_page = add_page (self, self->general_bin, QUORUM_TYPE_GENERAL_PAGE);
  g_signal_connect_object (self->general_page, "organization-changed", G_CALLBACK (organization_changed_cb),
                           self, G_CONNECT_SWAPPED);
  self->members_page = add_page (self, self->members_bin, QUORUM_TYPE_MEMBERS_PAGE);
  self->billing_page = add_page (self, self->billing_bin, QUORUM_TYPE_BILLING_PAGE);
  self->developers_page = add_page (self, self->developers_bin, QUORUM_TYPE_DEVELOPERS_PAGE);
  if (self->user != NULL)
    quorum_developers_page_set_me (self->developers_page, quorum_user_get_id (self->user));
  /* No update_gating () here: with no organization chosen yet it would hide
   * every tab, and libadwaita 1.2's switcher title, once it counted fewer
   * than two, keeps the tabs out of the header for good. switch_to () gates. */
}

static void
organization_created_cb (QuorumWindow       *self,
                         QuorumOrganization *organization)
{
  g_list_store_append (self->organizations, organization);
  set_state (self, "main");
  switch_to (self, organization, FALSE);
}

/* Joined from the switcher: listed at once, and opened (after asking, when
 * General holds unsaved edits). */
static void
invitation_accepted_cb (QuorumWindow       *self,
                        QuorumOrganization *organization)
{
  if (find_organization (self, quorum_organization_get_id (organization), NULL) == NULL)
    g_list_store_append (self->organizations, organization);
  if (self->organization != NULL)
    {
      organization_activated_cb (self, organization);
      return;
    }
  set_state (self, "main");
  switch_to (self, organization, FALSE);
}

/* Actions */

static void
show_organizations_action (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  QuorumWindow *self = user_data;

  quorum_org_switcher_popup (self->org_switcher);
}

static void
search_members_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  QuorumWindow *self = user_data;

  ensure_pages (self);
  adw_view_stack_set_visible_child_name (self->view_stack, "members");
  quorum_members_page_focus_search (self->members_page);
}

static void
organization_settings_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  QuorumWindow *self = user_data;

  ensure_pages (self);
  adw_view_stack_set_visible_child_name (self->view_stack, "general");
}

static void
create_organization_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  QuorumWindow *self = user_data;
  GtkWindow *dialog;

  if (self->client == NULL)
    return;

  dialog = GTK_WINDOW (quorum_create_organization_dialog_new (self->client));
  gtk_window_set_transient_for (dialog, GTK_WINDOW (self));
  g_signal_connect_object (dialog, "created", G_CALLBACK (organization_created_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (dialog);
}

static void
add_account_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  QuorumWindow *self = user_data;

  show_sign_in (self, NULL, NULL, _("Sign in with another account. You stay signed in with the others."),
                self->account != NULL);
}

static void
signed_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(QuorumWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GListModel *accounts = quorum_session_get_accounts (self->session);

  if (!quorum_session_sign_out_finish (QUORUM_SESSION (object), result, &error))
    {
      g_autofree char *title = quorum_error_compose (_("Could not sign out"), error);

      show_error_toast (self, title, NULL);
      if (self->client == NULL)
        open_account (self, self->account);
      return;
    }

  set_client (self, NULL);
  g_list_store_remove_all (self->organizations);
  g_clear_object (&self->organization);
  g_clear_object (&self->previous);
  g_clear_object (&self->account);
  quorum_org_switcher_set_current (self->org_switcher, NULL);

  if (g_list_model_get_n_items (accounts) > 0)
    {
      g_autoptr(QuorumAccount) next = g_list_model_get_item (accounts, 0);

      open_account (self, next);
    }
  else
    {
      update_account_action_state (self);
      show_sign_in (self, NULL, NULL, NULL, FALSE);
    }
}

static void
sign_out_then (QuorumWindow *self,
               gpointer      data)
{
  if (self->account == NULL)
    return;

  g_clear_object (&self->restored_client);
  g_cancellable_cancel (self->account_cancellable);
  reset_requests (self);
  gtk_label_set_text (self->loading_label, _("Signing out…"));
  set_state (self, "loading");
  /* Requests still on their way meet the ended session with 401: that is
   * this sign-out, not a session that ended by itself. */
  set_client (self, NULL);
  quorum_session_sign_out_async (self->session, self->account, NULL, signed_out_cb, g_object_ref (self));
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  QuorumWindow *self = user_data;

  if (self->account != NULL)
    unless_unsaved (self, sign_out_then, NULL, NULL);
}

static void
switch_account_then (QuorumWindow *self,
                     gpointer      key)
{
  QuorumAccount *account = quorum_session_find_account (self->session, key);

  /* Looked up again: the account may have gone while the dialog was up. */
  if (account != NULL)
    open_account (self, account);
}

static void
switch_account_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  QuorumWindow *self = user_data;
  const char *key = g_variant_get_string (parameter, NULL);

  if (quorum_session_find_account (self->session, key) != NULL)
    unless_unsaved (self, switch_account_then, g_strdup (key), g_free);
}

static void
retry_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  QuorumWindow *self = user_data;

  if (self->account == NULL)
    return;
  if (self->client == NULL)
    open_account (self, self->account);
  else
    load_organizations (self);
}

/* From a verification link's window: ("(ss)": server, e-mail) */
static void
email_verified_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  const char *server;
  const char *email;

  g_variant_get (parameter, "(&s&s)", &server, &email);
  quorum_window_email_verified (user_data, server, email);
}

static void
open_page_then (QuorumWindow *self,
                gpointer      data)
{
  GVariant *parameter = data;  /* unless_unsaved() frees it */
  const char *key, *organization_id, *tab, *query, *filter;
  g_autofree char *current_key = NULL;
  QuorumAccount *account;
  QuorumOrganization *organization;
  PendingPage *page;

  g_variant_get (parameter, "(&s&s&s&s&s)", &key, &organization_id, &tab, &query, &filter);
  /* Looked up again: the account may have gone while the dialog was up. */
  account = quorum_session_find_account (self->session, key);
  if (account == NULL)
    return;

  page = g_new0 (PendingPage, 1);
  page->organization_id = g_strdup (organization_id);
  page->tab = *tab != '\0' ? g_strdup (tab) : NULL;
  page->query = *query != '\0' ? g_strdup (query) : NULL;
  page->filter = *filter != '\0' ? g_strdup (filter) : NULL;
  g_clear_pointer (&self->pending_page, pending_page_free);
  self->pending_page = page;

  current_key = self->account != NULL ? quorum_session_account_key (self->account) : NULL;
  if (g_strcmp0 (current_key, key) != 0)
    {
      /* Its organizations load, and the link's one opens first. */
      open_account (self, account);
      return;
    }

  organization = find_organization (self, organization_id, NULL);
  if (organization == NULL)
    {
      /* Joined since the list was loaded (the link's window just saw it). */
      load_organizations (self);
      return;
    }
  set_state (self, "main");
  if (self->open_organization != NULL &&
      g_strcmp0 (quorum_organization_get_id (self->open_organization), organization_id) == 0 &&
      !quorum_request_state_get_running (self->open_state))
    apply_pending_page (self);
  else
    switch_to (self, organization, FALSE);
}

/* From a quorum://org/… link's window: ("(sssss)": account key,
 * organization id, tab, members search, filter; "" for none). */
static void
open_page_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  QuorumWindow *self = user_data;

  gtk_window_present (GTK_WINDOW (self));
  unless_unsaved (self, open_page_then, g_variant_ref (parameter), (GDestroyNotify) g_variant_unref);
}

static void
copy_link_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  QuorumWindow *self = user_data;
  g_autofree char *link = quorum_window_dup_page_link (self);

  if (link == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), link);
  show_toast (self, _("Link copied"), FALSE);
}

static const GActionEntry win_actions[] = {
  { .name = "show-organizations", .activate = show_organizations_action },
  { .name = "search-members", .activate = search_members_action },
  { .name = "organization-settings", .activate = organization_settings_action },
  { .name = "create-organization", .activate = create_organization_action },
  { .name = "add-account", .activate = add_account_action },
  { .name = "sign-out", .activate = sign_out_action },
  { .name = "switch-account", .activate = switch_account_action, .parameter_type = "s", .state = "''" },
  { .name = "retry", .activate = retry_action },
  { .name = "resend-verification", .activate = resend_verification_action },
  { .name = "email-verified", .activate = email_verified_action, .parameter_type = "(ss)" },
  { .name = "open-page", .activate = open_page_action, .parameter_type = "(sssss)" },
  { .name = "copy-link", .activate = copy_link_action },
};

/* Window */

static void
quorum_window_save_size (QuorumWindow *self)
{
  int width;
  int height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
}

static void
close_then (QuorumWindow *self,
            gpointer      data)
{
  self->discard_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
quit_then (QuorumWindow *self,
           gpointer      data)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (app != NULL)
    g_application_quit (app);
}

/**
 * quorum_window_request_quit:
 *
 * Asks the window whether the application may quit now. With edits that
 * were not saved it asks the user first, quits the application itself if
 * the user agrees, and returns %FALSE.
 *
 * Returns: %TRUE if nothing would be lost by quitting now
 */
gboolean
quorum_window_request_quit (QuorumWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_WINDOW (self), TRUE);

  if (!has_unsaved_changes (self))
    return TRUE;

  gtk_window_present (GTK_WINDOW (self));
  unless_unsaved (self, quit_then, NULL, NULL);
  return FALSE;
}

static gboolean
quorum_window_close_request (GtkWindow *window)
{
  QuorumWindow *self = QUORUM_WINDOW (window);

  if (!self->discard_confirmed && has_unsaved_changes (self))
    {
      unless_unsaved (self, close_then, NULL, NULL);
      return GDK_EVENT_STOP;
    }

  if (!gtk_window_is_maximized (window))
    quorum_window_save_size (self);

  return GTK_WINDOW_CLASS (quorum_window_parent_class)->close_request (window);
}

/* Starts once the window belongs to the application. */
static void
application_set_cb (QuorumWindow *self)
{
  if (self->started || self->session == NULL || gtk_window_get_application (GTK_WINDOW (self)) == NULL)
    return;

  self->started = TRUE;
  /* The accounts menu: once the first frame was painted (first_frame_cb). */
  g_signal_connect_object (quorum_session_get_accounts (self->session), "items-changed",
                           G_CALLBACK (rebuild_accounts_menu), self, G_CONNECT_SWAPPED);

  if (g_list_model_get_n_items (quorum_session_get_accounts (self->session)) > 0)
    {
      g_autoptr(QuorumAccount) account = g_list_model_get_item (quorum_session_get_accounts (self->session), 0);

      open_account (self, account);
    }
  else
    show_sign_in (self, NULL, NULL, NULL, FALSE);
}

/* What the start left for after the first frame: the accounts menu, and
 * the account's client with its requests. */
static void
after_first_frame (QuorumWindow *self)
{
  g_autoptr(QuorumClient) client = g_steal_pointer (&self->restored_client);

  g_clear_signal_handler (&self->first_frame_handler, self->frame_clock);
  g_clear_object (&self->frame_clock);
  if (self->painted)
    return;
  self->painted = TRUE;
  rebuild_accounts_menu (self);
  if (client != NULL)
    {
      set_client (self, client);
      load_organizations (self);
    }
}

static void
first_frame_cb (QuorumWindow *self)
{
  quorum_trace_startup ("first-frame");
  after_first_frame (self);
}

static void
quorum_window_realize (GtkWidget *widget)
{
  QuorumWindow *self = QUORUM_WINDOW (widget);

  GTK_WIDGET_CLASS (quorum_window_parent_class)->realize (widget);

  if (!self->painted && g_set_object (&self->frame_clock, gtk_widget_get_frame_clock (widget)))
    self->first_frame_handler = g_signal_connect_swapped (self->frame_clock, "after-paint",
                                                          G_CALLBACK (first_frame_cb), self);
}

static void
quorum_window_unrealize (GtkWidget *widget)
{
  QuorumWindow *self = QUORUM_WINDOW (widget);

  /* While the clock lives: it goes with the surface. Shown again, the
   * window waits for its new clock's first frame (realize). */
  g_clear_signal_handler (&self->first_frame_handler, self->frame_clock);
  g_clear_object (&self->frame_clock);

  GTK_WIDGET_CLASS (quorum_window_parent_class)->unrealize (widget);
}

/* Once the tabs move to the bottom bar, the organization's name may shrink
 * too. Not while the header bar is being allocated (title-visible changes
 * then): a new size request then would come too late for this frame. */
static void
update_compact (QuorumWindow *self)
{
  quorum_org_switcher_set_compact (self->org_switcher,
                                   adw_view_switcher_title_get_title_visible (self->switcher_title));
}

static gboolean
update_compact_idle (gpointer data)
{
  QuorumWindow *self = data;

  self->compact_source = 0;
  update_compact (self);
  return G_SOURCE_REMOVE;
}

static void
title_visible_cb (QuorumWindow *self)
{
  if (self->compact_source == 0)
    self->compact_source = g_idle_add (update_compact_idle, self);
}

static void
quorum_window_dispose (GObject *object)
{
  QuorumWindow *self = QUORUM_WINDOW (object);

  if (self->account_cancellable != NULL)
    g_cancellable_cancel (self->account_cancellable);
  if (self->list_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->list_state, self);
      quorum_request_state_reset (self->list_state);
    }
  if (self->open_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->open_state, self);
      quorum_request_state_reset (self->open_state);
    }
  g_clear_handle_id (&self->compact_source, g_source_remove);
  g_clear_handle_id (&self->resend_source, g_source_remove);
  g_clear_signal_handler (&self->first_frame_handler, self->frame_clock);
  g_clear_object (&self->frame_clock);
  g_clear_object (&self->restored_client);
  g_clear_weak_pointer (&self->discard_dialog);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, unauthenticated_cb, self);
  g_clear_object (&self->client);
  g_clear_object (&self->user);

  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_WINDOW);
  /* They went with the template's widgets. */
  self->sign_in_page = NULL;
  self->general_page = NULL;
  self->members_page = NULL;
  self->billing_page = NULL;
  self->developers_page = NULL;

  G_OBJECT_CLASS (quorum_window_parent_class)->dispose (object);
}

static void
quorum_window_finalize (GObject *object)
{
  QuorumWindow *self = QUORUM_WINDOW (object);

  g_clear_object (&self->account_cancellable);
  g_clear_object (&self->list_state);
  g_clear_object (&self->open_state);
  g_clear_object (&self->previous);
  g_clear_pointer (&self->error_toasts, g_ptr_array_unref);
  g_clear_pointer (&self->pending_page, pending_page_free);
  g_clear_object (&self->organizations);
  g_clear_object (&self->organization);
  g_clear_object (&self->open_organization);
  g_clear_object (&self->account);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (quorum_window_parent_class)->finalize (object);
}

static void
quorum_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  QuorumWindow *self = QUORUM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_OPEN_ORGANIZATION:
      g_value_set_object (value, self->open_organization);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_window_class_init (QuorumWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = quorum_window_dispose;
  object_class->finalize = quorum_window_finalize;
  object_class->get_property = quorum_window_get_property;
  window_class->close_request = quorum_window_close_request;
  widget_class->realize = quorum_window_realize;
  widget_class->unrealize = quorum_window_unrealize;

  /* The current account's client (NULL signed out). */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, QUORUM_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The organization the pages show: NULL while another one loads. */
  properties[PROP_OPEN_ORGANIZATION] =
    g_param_spec_object ("open-organization", NULL, NULL, QUORUM_TYPE_ORGANIZATION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (QUORUM_TYPE_ORG_SWITCHER);
  g_type_ensure (QUORUM_TYPE_REQUEST_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-window.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, org_switcher);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, list_banner);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, list_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, list_error_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, open_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, verify_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, verify_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, resend_spinner);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, loading_overlay);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, start_spinner);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, sign_in_bin);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, keyring_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, general_stack_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, members_stack_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, billing_stack_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, developers_stack_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, general_bin);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, members_bin);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, billing_bin);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, developers_bin);
  gtk_widget_class_bind_template_child (widget_class, QuorumWindow, accounts_section);
  gtk_widget_class_bind_template_callback (widget_class, organization_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, invitation_accepted_cb);
}

static void
quorum_window_init (QuorumWindow *self)
{
  quorum_trace_startup ("window-init");
  gtk_widget_init_template (GTK_WIDGET (self));
  quorum_trace_startup ("window-template");

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  g_signal_connect (self, "notify::application", G_CALLBACK (application_set_cb), NULL);
  self->organizations = g_list_store_new (QUORUM_TYPE_ORGANIZATION);
  quorum_org_switcher_set_organizations (self->org_switcher, G_LIST_MODEL (self->organizations));
  g_object_bind_property (self->switcher_title, "title-visible", self->switcher_bar, "reveal",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->switcher_title, "notify::title-visible", G_CALLBACK (title_visible_cb),
                           self, G_CONNECT_SWAPPED);
  update_compact (self);

  self->error_toasts = g_ptr_array_new_with_free_func (g_object_unref);
  self->list_state = quorum_request_state_new (NULL);
  self->open_state = quorum_request_state_new (NULL);
  g_signal_connect_swapped (self->list_state, "retry", G_CALLBACK (list_retry_cb), self);
  g_signal_connect_swapped (self->list_state, "notify::phase", G_CALLBACK (update_list_status), self);
  g_signal_connect_swapped (self->list_state, "notify::phase", G_CALLBACK (list_phase_cb), self);
  g_signal_connect_swapped (self->open_state, "retry", G_CALLBACK (open_retry_cb), self);
  g_signal_connect_swapped (self->open_state, "notify::phase", G_CALLBACK (open_phase_cb), self);
  g_signal_connect_swapped (self->open_state, "notify::running", G_CALLBACK (open_phase_cb), self);
  quorum_request_status_set_state (self->list_banner, self->list_state);
  quorum_request_status_set_state (self->list_status, self->list_state);
  quorum_request_status_set_state (self->list_error_status, self->list_state);
  quorum_request_status_set_state (self->open_status, self->open_state);

  self->settings = g_settings_new (APPLICATION_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

QuorumWindow *
quorum_window_new (GtkApplication *application,
                   QuorumSession  *session)
{
  QuorumWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (QUORUM_IS_SESSION (session), NULL);

  self = g_object_new (QUORUM_TYPE_WINDOW, NULL);
  self->session = g_object_ref (session);
  /* Starts it (application_set_cb). */
  gtk_window_set_application (GTK_WINDOW (self), application);
  return self;
}

/* For tests and screenshots: the state of the window. */
const char *
quorum_window_get_state (QuorumWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

/**
 * quorum_window_get_organization:
 *
 * Returns: (transfer none) (nullable): the organization the pages show
 */
QuorumOrganization *
quorum_window_get_organization (QuorumWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_WINDOW (self), NULL);

  return self->organization;
}

/**
 * quorum_window_get_account:
 *
 * Returns: (transfer none) (nullable): the account in use
 */
QuorumAccount *
quorum_window_get_account (QuorumWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_WINDOW (self), NULL);

  return self->account;
}

/* An organization, or the list, is on its way. */
gboolean
quorum_window_is_loading (QuorumWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_WINDOW (self), FALSE);

  return quorum_request_state_get_running (self->open_state) ||
         g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "loading") == 0;
}

gboolean
quorum_window_is_offline (QuorumWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_WINDOW (self), FALSE);

  return quorum_request_state_get_phase (self->list_state) == QUORUM_REQUEST_PHASE_OFFLINE ||
         quorum_request_state_get_phase (self->open_state) == QUORUM_REQUEST_PHASE_OFFLINE;
}

/**
 * quorum_window_get_list_state:
 *
 * Returns: (transfer none): the state of the organization list's request
 */
QuorumRequestState *
quorum_window_get_list_state (QuorumWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_WINDOW (self), NULL);

  return self->list_state;
}

/**
 * quorum_window_get_open_state:
 *
 * Returns: (transfer none): the state of opening the chosen organization
 */
QuorumRequestState *
quorum_window_get_open_state (QuorumWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_WINDOW (self), NULL);

  return self->open_state;
}

void
quorum_window_open_uri (QuorumWindow *self,
                        const char   *uri)
{
  g_return_if_fail (QUORUM_IS_WINDOW (self));
  g_return_if_fail (uri != NULL);

  /* By the link's kind, damaged or not, so a broken verification link is
   * not called a broken invitation. */
  if (g_ascii_strncasecmp (uri, "quorum://verify", strlen ("quorum://verify")) == 0 ||
      g_ascii_strncasecmp (uri, "quorum://reset", strlen ("quorum://reset")) == 0)
    quorum_account_link_window_open (GTK_WINDOW (self), self->session, uri);
  else if (g_ascii_strncasecmp (uri, "quorum://org", strlen ("quorum://org")) == 0)
    quorum_org_link_window_open (GTK_WINDOW (self), self->session, uri);
  else
    quorum_invitation_window_open (GTK_WINDOW (self), self->session, uri);
}

/**
 * quorum_window_email_verified:
 * @server: the server of the verification link
 * @email: the address it verified
 *
 * Called once a verification link was used: when it was the current
 * account's address, the banner goes and what was sent to the address
 * (pending invitations) is fetched.
 */
void
quorum_window_email_verified (QuorumWindow *self,
                              const char   *server,
                              const char   *email)
{
  g_autofree char *verified = NULL;
  g_autofree char *current = NULL;

  g_return_if_fail (QUORUM_IS_WINDOW (self));
  g_return_if_fail (server != NULL && email != NULL);

  show_toast (self, _("E-mail address verified"), FALSE);
  if (self->account == NULL || self->client == NULL ||
      !quorum_server_url_equal (quorum_account_get_server (self->account), server))
    return;

  verified = quorum_email_normalize (email);
  current = quorum_email_normalize (quorum_account_get_email (self->account));
  if (verified == NULL || g_strcmp0 (verified, current) != 0)
    return;

  fetch_me (self);
  quorum_org_switcher_reload_invitations (self->org_switcher);
}

/* For tests: whether the verification banner is up, and what it says. */
const char *
quorum_window_get_verify_banner (QuorumWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->verify_revealer))
    return NULL;
  return gtk_label_get_text (self->verify_label);
}

/**
 * quorum_window_dup_page_link:
 *
 * The quorum://org/… link of what the window shows: the organization, the
 * tab, and on Members the search and filter of the list shown ("Copy Link
 * to This Page").
 *
 * Returns: (transfer full) (nullable): the link, %NULL with no organization
 */
char *
quorum_window_dup_page_link (QuorumWindow *self)
{
  const char *tab_name;
  QuorumLinkTab tab;
  g_autofree char *query = NULL;
  gboolean inactive = FALSE;

  g_return_val_if_fail (QUORUM_IS_WINDOW (self), NULL);

  if (self->account == NULL || self->open_organization == NULL)
    return NULL;

  tab_name = adw_view_stack_get_visible_child_name (self->view_stack);
  tab = quorum_link_tab_from_string (tab_name);
  if (tab == QUORUM_LINK_TAB_MEMBERS)
    query = quorum_members_page_dup_search (self->members_page, &inactive);
  return quorum_link_build_org (quorum_account_get_server (self->account),
                                quorum_organization_get_slug (self->open_organization),
                                tab, query, inactive ? QUORUM_LINK_FILTER_INACTIVE_90D : NULL);
}
