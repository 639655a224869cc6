/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-core.h"
#include "quorum-org-link-window.h"
#include "quorum-request-status.h"
#include "quorum-utils-private.h"

/*
 * quorum://org/<slug>[/<tab>]?server=<url>: a page of an organization.
 *
 * The link is parsed by src/core; a damaged one sends nothing anywhere.
 * Only the accounts whose server is the link's are asked (each through its
 * own client, with its own token, to its own server): a link can never make
 * Quorum send a token to a server the user did not sign in to. With no
 * account there, nothing is sent at all.
 *
 * Each such account's organizations are listed; the one whose slug is the
 * link's opens in the main window (win.open-page) on the link's tab, and
 * this window goes without ever having been shown. It shows itself only
 * when there is something to say: a dead end, a choice between accounts,
 * or a wait that lasts (the request's own "Still waiting…", Cancel, Retry).
 */

struct _QuorumOrgLinkWindow
{
  AdwWindow            parent_instance;

  QuorumSession       *session;
  QuorumLink          *link;       /* NULL: the link was not valid */
  QuorumRequestState  *state;
  GPtrArray           *accounts;   /* QuorumAccount on the link's server */
  GPtrArray           *found;      /* QuorumAccount, QuorumOrganization pairs, flat */
  GError              *failure;    /* the first failure of this round */
  guint                generation;
  guint                waiting;    /* accounts not answered yet */
  guint                signed_in;  /* accounts with a session */
  gboolean             beginning;
  const char          *page;

  GtkStack            *stack;
  QuorumRequestStatus *checking_status;
  AdwStatusPage       *status_page;
  AdwStatusPage       *choose_page;
  GtkListBox          *accounts_list;
};

G_DEFINE_FINAL_TYPE (QuorumOrgLinkWindow, quorum_org_link_window, ADW_TYPE_WINDOW)

typedef struct
{
  QuorumOrgLinkWindow *self;
  QuorumAccount       *account;
  guint                generation;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_object_unref (lookup->self);
  g_object_unref (lookup->account);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static void
set_page (QuorumOrgLinkWindow *self,
          const char          *page,
          const char          *stack_child)
{
  self->page = page;
  gtk_stack_set_visible_child_name (self->stack, stack_child);
  /* Anything but a short wait is worth the user's eyes. */
  if (g_strcmp0 (page, "checking") != 0)
    gtk_window_present (GTK_WINDOW (self));
}

static void
show_status (QuorumOrgLinkWindow *self,
             const char          *page,
             const char          *icon,
             const char          *title,
             const char          *description)
{
  adw_status_page_set_icon_name (self->status_page, icon);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  set_page (self, page, "status");
}

/* The main window opens the page; this window has done its part. */
static void
open_with (QuorumOrgLinkWindow *self,
           QuorumAccount       *account,
           QuorumOrganization  *organization)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autofree char *key = quorum_session_account_key (account);
  /* A link to the organization alone opens where it starts: General. */
  const char *tab = quorum_link_tab_to_string (quorum_link_get_tab (self->link));
  const char *query = quorum_link_get_query (self->link);
  const char *filter = quorum_link_get_filter (self->link);

  self->page = "opened";
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.open-page", "(sssss)", key,
                                quorum_organization_get_id (organization),
                                tab != NULL ? tab : "general", query != NULL ? query : "",
                                filter != NULL ? filter : "");
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
account_activated_cb (QuorumOrgLinkWindow *self,
                      GtkListBoxRow       *row)
{
  guint i = (guint) gtk_list_box_row_get_index (row);

  if (2 * i + 1 < self->found->len)
    open_with (self, self->found->pdata[2 * i], self->found->pdata[2 * i + 1]);
}

static char *
account_label (QuorumAccount *account)
{
  const char *name = quorum_account_get_name (account);

  return g_strdup (name != NULL && *name != '\0' ? name : quorum_account_get_email (account));
}

static void
show_choice (QuorumOrgLinkWindow *self)
{
  GtkWidget *child;
  g_autofree char *description = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_list))) != NULL)
    gtk_list_box_remove (self->accounts_list, child);

  for (guint i = 0; i + 1 < self->found->len; i += 2)
    {
      QuorumAccount *account = self->found->pdata[i];
      g_autofree char *title = account_label (account);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), quorum_account_get_email (account));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_append (self->accounts_list, row);
    }

  /* Translators: the first %s is an organization's slug, the second a server's host */
  description = g_strdup_printf (_("Several of your accounts on %2$s are members of %1$s. "
                                   "Choose the one to open it with."),
                                 quorum_link_get_slug (self->link), quorum_link_get_display_server (self->link));
  adw_status_page_set_description (self->choose_page, description);
  set_page (self, "choose", "choose");
}

static void show_outcome (QuorumOrgLinkWindow *self);

static void
lookup_done (QuorumOrgLinkWindow *self)
{
  g_autoptr(GError) failure = NULL;

  g_assert (self->waiting > 0);
  if (--self->waiting > 0)
    return;

  failure = g_steal_pointer (&self->failure);
  if (failure != NULL)
    {
      /* The words of the request state, with Retry. */
      quorum_request_state_fail (self->state, _("Could not check your organizations"), failure);
      set_page (self, "failed", "checking");
      return;
    }
  quorum_request_state_succeed (self->state);
  show_outcome (self);
}

static void
show_outcome (QuorumOrgLinkWindow *self)
{
  if (self->signed_in == 0)
    {
      g_autofree char *title = g_strdup_printf (_("You Are Not Signed In to %s"),
                                                quorum_link_get_display_server (self->link));
      show_status (self, "no-account", "dialog-password-symbolic", title,
                   _("The link is to an organization on a server where none of your accounts is signed in. "
                     "Nothing was sent to it. Sign in to that server first, then open the link again."));
    }
  else if (self->found->len == 0)
    {
      /* Translators: %s is an organization's slug, as in the link */
      g_autofree char *title = g_strdup_printf (_("You Are Not a Member of %s"), quorum_link_get_slug (self->link));
      g_autofree char *description =
        /* Translators: %s is a server's host */
        g_strdup_printf (_("None of your accounts on %s belongs to an organization with this address. "
                           "Ask one of its admins to invite you."),
                         quorum_link_get_display_server (self->link));

      show_status (self, "not-member", "system-users-symbolic", title, description);
    }
  else if (self->found->len == 2)
    open_with (self, self->found->pdata[0], self->found->pdata[1]);
  else
    show_choice (self);
}

static gboolean
is_current (Lookup *lookup)
{
  return lookup->generation == lookup->self->generation;
}

static void
keep_failure (QuorumOrgLinkWindow *self,
              const GError        *error)
{
  if (self->failure == NULL)
    self->failure = g_error_copy (error);
}

static void
organizations_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  QuorumOrgLinkWindow *self = lookup->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) organizations = NULL;

  organizations = quorum_client_list_organizations_finish (QUORUM_CLIENT (object), result, &error);
  if (!is_current (lookup) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (organizations == NULL)
    {
      /* An ended session is no account signed in there. */
      if (!g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED))
        keep_failure (self, error);
      lookup_done (self);
      return;
    }

  self->signed_in++;
  for (guint i = 0; i < organizations->len; i++)
    {
      QuorumOrganization *organization = organizations->pdata[i];

      if (g_strcmp0 (quorum_organization_get_slug (organization), quorum_link_get_slug (self->link)) == 0)
        {
          g_ptr_array_add (self->found, g_object_ref (lookup->account));
          g_ptr_array_add (self->found, g_object_ref (organization));
          break;
        }
    }
  lookup_done (self);
}

static void
restore_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  QuorumOrgLinkWindow *self = lookup->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumClient) client = NULL;
  GCancellable *cancellable;

  client = quorum_session_restore_finish (QUORUM_SESSION (object), result, &error);
  if (!is_current (lookup) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (client == NULL)
    {
      /* No session in the keyring: that account is not signed in. A locked
       * keyring is a failure, said with Retry. */
      if (!g_error_matches (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_NOT_FOUND))
        keep_failure (self, error);
      lookup_done (self);
      return;
    }

  /* The account's own client: its server is the link's, or it would not
   * have been asked. */
  g_assert (quorum_server_url_equal (quorum_client_get_base_url (client), quorum_link_get_server (self->link)));
  cancellable = g_task_get_cancellable (G_TASK (result));
  quorum_client_list_organizations_async (client, cancellable, organizations_cb, g_steal_pointer (&lookup));
}

static void
look_up (QuorumOrgLinkWindow *self)
{
  GCancellable *cancellable;

  self->generation++;
  g_ptr_array_set_size (self->found, 0);
  g_clear_error (&self->failure);
  self->signed_in = 0;
  self->waiting = self->accounts->len;

  self->beginning = TRUE;
  cancellable = quorum_request_state_begin (self->state, FALSE);
  self->beginning = FALSE;
  set_page (self, "checking", "checking");
  for (guint i = 0; i < self->accounts->len; i++)
    {
      Lookup *lookup = g_new0 (Lookup, 1);

      lookup->self = g_object_ref (self);
      lookup->account = g_object_ref (self->accounts->pdata[i]);
      lookup->generation = self->generation;
      quorum_session_restore_async (self->session, lookup->account, cancellable, restore_cb, lookup);
    }
}

/* A wait that lasts, or Cancel: now it is worth showing. */
static void
phase_cb (QuorumOrgLinkWindow *self)
{
  QuorumRequestPhase phase = quorum_request_state_get_phase (self->state);

  if (self->beginning ||
      (g_strcmp0 (self->page, "checking") != 0 && g_strcmp0 (self->page, "failed") != 0))
    return;
  if (phase == QUORUM_REQUEST_PHASE_IDLE && !quorum_request_state_get_running (self->state) &&
      self->waiting > 0)
    {
      /* Cancelled: nothing more to do here. */
      self->generation++;
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (phase >= QUORUM_REQUEST_PHASE_STILL_WAITING)
    gtk_window_present (GTK_WINDOW (self));
}

static void
start (QuorumOrgLinkWindow *self,
       const char          *uri)
{
  GListModel *accounts = quorum_session_get_accounts (self->session);

  self->link = quorum_link_parse (uri, NULL);
  if (self->link == NULL || quorum_link_get_kind (self->link) != QUORUM_LINK_ORG)
    {
      g_clear_pointer (&self->link, quorum_link_free);
      show_status (self, "invalid", "dialog-warning-symbolic", _("This Link Is Not Valid"),
                   _("It does not name a page of an organization that Quorum can open. "
                     "Nothing was sent to any server."));
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(QuorumAccount) account = g_list_model_get_item (accounts, i);

      if (quorum_server_url_equal (quorum_account_get_server (account), quorum_link_get_server (self->link)))
        g_ptr_array_add (self->accounts, g_steal_pointer (&account));
    }

  quorum_request_state_set_host_from_url (self->state, quorum_link_get_server (self->link));
  if (self->accounts->len == 0)
    {
      /* Not a byte to a server the user has no account on. */
      show_outcome (self);
      return;
    }
  look_up (self);
}

static void
quorum_org_link_window_dispose (GObject *object)
{
  QuorumOrgLinkWindow *self = QUORUM_ORG_LINK_WINDOW (object);

  self->generation++;
  if (self->state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->state, self);
      quorum_request_state_reset (self->state);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_ORG_LINK_WINDOW);

  G_OBJECT_CLASS (quorum_org_link_window_parent_class)->dispose (object);
}

static void
quorum_org_link_window_finalize (GObject *object)
{
  QuorumOrgLinkWindow *self = QUORUM_ORG_LINK_WINDOW (object);

  g_clear_object (&self->state);
  g_clear_object (&self->session);
  g_clear_pointer (&self->link, quorum_link_free);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->found, g_ptr_array_unref);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (quorum_org_link_window_parent_class)->finalize (object);
}

static void
quorum_org_link_window_class_init (QuorumOrgLinkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_org_link_window_dispose;
  object_class->finalize = quorum_org_link_window_finalize;

  g_type_ensure (QUORUM_TYPE_REQUEST_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-org-link-window.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgLinkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgLinkWindow, checking_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgLinkWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgLinkWindow, choose_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgLinkWindow, accounts_list);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
quorum_org_link_window_init (QuorumOrgLinkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->found = g_ptr_array_new_with_free_func (g_object_unref);
  self->page = "checking";
  self->state = quorum_request_state_new (NULL);
  quorum_request_status_set_state (self->checking_status, self->state);
  g_signal_connect_swapped (self->state, "retry", G_CALLBACK (look_up), self);
  g_signal_connect_swapped (self->state, "notify::phase", G_CALLBACK (phase_cb), self);
  g_signal_connect_swapped (self->accounts_list, "row-activated", G_CALLBACK (account_activated_cb), self);
}

/**
 * quorum_org_link_window_open:
 * @parent: the main window, which opens the page (win.open-page)
 * @uri: a quorum://org/… link, as received
 *
 * Looks for the link's organization among the accounts on the link's
 * server; shows a window only when there is something to say or choose.
 */
void
quorum_org_link_window_open (GtkWindow     *parent,
                             QuorumSession *session,
                             const char    *uri)
{
  QuorumOrgLinkWindow *self;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (QUORUM_IS_SESSION (session));
  g_return_if_fail (uri != NULL);

  self = g_object_new (QUORUM_TYPE_ORG_LINK_WINDOW, NULL);
  self->session = g_object_ref (session);
  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
  start (self, uri);
}

/* For tests: "checking", "failed", "invalid", "no-account", "not-member",
 * "choose", or "opened" (handed to the main window). */
const char *
quorum_org_link_window_get_page (QuorumOrgLinkWindow *self)
{
  g_return_val_if_fail (QUORUM_IS_ORG_LINK_WINDOW (self), NULL);

  return self->page;
}
