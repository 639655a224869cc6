/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-account-link-window.h"
#include "quorum-org-switcher.h"
#include "quorum-sign-in-page.h"
#include "quorum-ui-test.h"

/*
 * Proving the inbox and resetting a password, in the app, against a real
 * quorum-server: Vera signed up and never verified; Olivia invited her.
 * The banner asks her to verify, Resend mails her again, the link from the
 * mail verifies her and her invitation appears. Rex forgot his password:
 * the sign-in page mails him a link, the link's window takes a new password
 * and signs him in. The tests run in order and build on each other.
 */

#define PASSWORD     "correct horse battery"
#define NEW_PASSWORD "a brand new passphrase"

static QuorumApplication *app;
static QuorumTestServer *server;
static char *vera_email;
static char *rex_email;
static char *walt_email;

/* The token of the newest e-mail of @kind ("verify", "reset") to @email. */
static char *
mail_token (const char *email,
            const char *kind)
{
  g_autoptr(GError) error = NULL;
  char *token = quorum_test_server_mail_token (server, email, kind, &error);

  g_assert_no_error (error);
  return token;
}

/* The app's link of that e-mail, as the mail gives it. */
static char *
mail_link (const char *email,
           const char *kind)
{
  g_autofree char *token = mail_token (email, kind);
  g_autofree char *server_url = g_uri_escape_string (quorum_test_server_get_url (server), NULL, FALSE);

  return g_strdup_printf ("quorum://%s/%s?server=%s", kind, token, server_url);
}

typedef struct
{
  const char *email;
  const char *old_token;
} NewMail;

static gboolean
new_verify_mail (gpointer data)
{
  NewMail *m = data;
  g_autofree char *token = mail_token (m->email, "verify");

  return g_strcmp0 (token, m->old_token) != 0;
}

static gboolean
signed_in_as (QuorumWindow *window,
              const char   *email)
{
  QuorumAccount *account = quorum_window_get_account (window);

  return account != NULL && g_strcmp0 (quorum_account_get_email (account), email) == 0 &&
         g_strcmp0 (quorum_window_get_state (window), "main") == 0 && !quorum_window_is_loading (window);
}

static gboolean
vera_signed_in (gpointer data)
{
  return signed_in_as (data, vera_email);
}

static gboolean
rex_signed_in (gpointer data)
{
  return signed_in_as (data, rex_email);
}

static gboolean
walt_signed_in (gpointer data)
{
  return signed_in_as (data, walt_email);
}

static gboolean
banner_shown (gpointer data)
{
  return quorum_window_get_verify_banner (data) != NULL;
}

static gboolean
banner_gone (gpointer data)
{
  return quorum_window_get_verify_banner (data) == NULL;
}

static gboolean
banner_says_sent (gpointer data)
{
  return g_strcmp0 (quorum_window_get_verify_banner (data), "Sent — check your inbox") == 0;
}

static GtkWidget *
banner_label (QuorumWindow *window)
{
  const char *text = quorum_window_get_verify_banner (window);

  return text != NULL ? ui_find (GTK_WIDGET (window), GTK_TYPE_LABEL, ui_match_label, text) : NULL;
}

/* On screen, as the user sees it (the revealer slides it in). */
static gboolean
banner_visible (gpointer data)
{
  return ui_shown (banner_label (data));
}

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  data)
{
  return gtk_widget_has_css_class (widget, data);
}

static GtkWidget *
popover_label (QuorumWindow *window,
               const char   *text)
{
  return ui_find (GTK_WIDGET (ui_switcher_popover (window)), GTK_TYPE_LABEL, ui_match_label, text);
}

static guint
n_invitations (QuorumWindow *window)
{
  return g_list_model_get_n_items (quorum_org_switcher_get_invitations (ui_switcher_of (window)));
}

static gboolean
one_invitation (gpointer data)
{
  return n_invitations (data) == 1;
}

static gboolean
unverified_line_shown (gpointer data)
{
  return ui_shown (popover_label (data, "Verify your e-mail address to see invitations"));
}

/* The link window's page, once it is up. */
typedef struct
{
  const char *page;
} LinkPage;

static QuorumAccountLinkWindow *
link_window (void)
{
  return QUORUM_ACCOUNT_LINK_WINDOW (ui_toplevel_of_type (QUORUM_TYPE_ACCOUNT_LINK_WINDOW));
}

static gboolean
link_page_reached (gpointer data)
{
  LinkPage *p = data;
  QuorumAccountLinkWindow *window = link_window ();

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)) &&
         g_strcmp0 (quorum_account_link_window_get_page (window), p->page) == 0;
}

static QuorumAccountLinkWindow *
wait_link_page (const char *page)
{
  LinkPage p = { page };

  ui_wait_until (link_page_reached, &p);
  return link_window ();
}

static void
close_link_window (void)
{
  gtk_window_destroy (GTK_WINDOW (link_window ()));
  ui_wait_until (ui_toplevel_gone, GSIZE_TO_POINTER (QUORUM_TYPE_ACCOUNT_LINK_WINDOW));
}

/* Vera, unverified, sees the banner, no invitation and no error; Resend
 * puts a new message in the server's outbox and says so. */
static void
test_banner_and_resend (void)
{
  G_GNUC_UNUSED g_autoptr(QuorumAccount) account = ui_sign_in (app, quorum_test_server_get_url (server), vera_email, PASSWORD);
  QuorumWindow *window = ui_present (app);
  g_autofree char *expected = g_strdup_printf ("Verify your e-mail address to see invitations sent to %s",
                                               vera_email);
  g_autofree char *first = mail_token (vera_email, "verify");
  NewMail resent = { vera_email, first };
  GtkWidget *resend;

  ui_wait_until (vera_signed_in, window);
  ui_wait_until (banner_shown, window);
  g_assert_cmpstr (quorum_window_get_verify_banner (window), ==, expected);
  ui_wait_until (banner_visible, window);

  /* The switcher: a short line instead of the invitation, and no error, no
   * toast offering it. */
  quorum_org_switcher_popup (ui_switcher_of (window));
  ui_wait_until (ui_switcher_popover_shown, window);
  ui_wait_until (unverified_line_shown, window);
  g_assert_cmpuint (n_invitations (window), ==, 0);
  g_assert_false (ui_shown (ui_find (GTK_WIDGET (ui_switcher_popover (window)), GTK_TYPE_LABEL,
                                     has_css_class, "error")));
  gtk_popover_popdown (ui_switcher_popover (window));
  g_assert_null (ui_find (GTK_WIDGET (window), GTK_TYPE_BUTTON, ui_match_button_label, "_View"));

  /* Resend: one more message, said once, and no second click meanwhile. */
  resend = ui_button (GTK_WIDGET (window), "_Resend");
  ui_click (resend);
  ui_wait_until (banner_says_sent, window);
  ui_wait_until (new_verify_mail, &resent);
  g_assert_false (gtk_widget_is_sensitive (resend));
}

/* The link from the newest message: verified, the banner goes and the
 * invitation appears, with no sign-in asked for. */
static void
test_verify_link (void)
{
  QuorumWindow *window = ui_present (app);
  g_autofree char *link = mail_link (vera_email, "verify");
  QuorumAccountLinkWindow *link_win;

  ui_wait_until (vera_signed_in, window);
  g_assert_nonnull (quorum_window_get_verify_banner (window));

  quorum_window_open_uri (window, link);
  link_win = wait_link_page ("verified");
  g_assert_nonnull (ui_find (GTK_WIDGET (link_win), GTK_TYPE_LABEL, ui_match_label, "E-mail Address Verified"));

  ui_wait_until (banner_gone, window);
  ui_wait_until (one_invitation, window);
  close_link_window ();

  quorum_org_switcher_popup (ui_switcher_of (window));
  ui_wait_until (ui_switcher_popover_shown, window);
  g_assert_true (ui_shown (popover_label (window, "Initech")));
  g_assert_false (ui_shown (popover_label (window, "Verify your e-mail address to see invitations")));
  gtk_popover_popdown (ui_switcher_popover (window));

  /* Used once: the same link again says so, in plain words. */
  quorum_window_open_uri (window, link);
  wait_link_page ("used");
  close_link_window ();
}

/* A verification link naming a server none of the accounts is on asks
 * before anything is sent; a damaged one sends nothing at all. */
static void
test_link_guards (void)
{
  QuorumWindow *window = ui_present (app);
  g_autofree char *token = mail_token (vera_email, "verify");
  g_autofree char *foreign = g_strdup_printf ("quorum://verify/%s?server=http%%3A%%2F%%2F127.0.0.1%%3A9", token);
  QuorumAccountLinkWindow *link_win;

  quorum_window_open_uri (window, foreign);
  link_win = wait_link_page ("unknown-server");
  g_assert_nonnull (ui_find (GTK_WIDGET (link_win), GTK_TYPE_BUTTON, ui_match_button_label, "_Continue"));
  close_link_window ();

  quorum_window_open_uri (window, "quorum://verify/qrm_v_short?server=http%3A%2F%2F127.0.0.1%3A9");
  wait_link_page ("invalid");
  close_link_window ();

  /* A reset token in a verification link is refused by the parser too. */
  quorum_window_open_uri (window, "quorum://reset/qrm_v_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                                  "?server=http%3A%2F%2F127.0.0.1%3A9");
  wait_link_page ("invalid");
  close_link_window ();
}

static gboolean
banner_says_wait (gpointer data)
{
  return g_str_has_prefix (quorum_window_get_verify_banner (data),
                           "Several messages were sent already. Try again in ");
}

/* Walt asked too often already: Resend says when to try again, sends
 * nothing and waits. */
static void
test_resend_rate_limited (void)
{
  g_autoptr(QuorumAccount) account = ui_sign_in (app, quorum_test_server_get_url (server), walt_email, PASSWORD);
  g_autoptr(QuorumClient) walt = ui_other_client (quorum_test_server_get_url (server), walt_email, PASSWORD);
  g_autofree char *key = quorum_session_account_key (account);
  QuorumWindow *window = ui_present (app);
  gboolean limited = FALSE;
  GtkWidget *resend;
  g_autofree char *sent = NULL;
  g_autofree char *newest = NULL;

  for (guint i = 0; i < 20 && !limited; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      quorum_client_resend_verification_async (walt, NULL, ui_store_result, &result);
      if (!quorum_client_resend_verification_finish (walt, ui_wait_result (&result), &error))
        {
          g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_RATE_LIMITED);
          limited = TRUE;
        }
    }
  g_assert_true (limited);
  sent = mail_token (walt_email, "verify");

  g_action_group_activate_action (G_ACTION_GROUP (window), "switch-account", g_variant_new_string (key));
  ui_wait_until (walt_signed_in, window);
  /* Switched: the token still only in the keyring. */
  ui_assert_token_not_saved (quorum_window_get_account (window));
  ui_wait_until (banner_shown, window);
  resend = ui_button (GTK_WIDGET (window), "_Resend");
  ui_click (resend);
  ui_wait_until (banner_says_wait, window);
  g_assert_false (gtk_widget_is_sensitive (resend));
  quorum_test_spin (200);
  newest = mail_token (walt_email, "verify");
  g_assert_cmpstr (newest, ==, sent);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} Shown;

static gboolean
text_shown (gpointer data)
{
  Shown *s = data;

  return ui_shown (ui_find (s->root, GTK_TYPE_LABEL, ui_match_label, s->text));
}

static gboolean
signs_in (const char *email,
          const char *password)
{
  g_autoptr(QuorumClient) client = quorum_client_new (quorum_test_server_get_url (server));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;

  quorum_client_sign_in_async (client, email, password, NULL, ui_store_result, &result);
  user = quorum_client_sign_in_finish (client, ui_wait_result (&result), NULL, &error);
  if (user == NULL)
    g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_CREDENTIALS);
  return user != NULL;
}

/* Forgot Password? → mail → the link's window → new password: signed in,
 * the new password works and the old one does not. */
static void
test_forgot_password (void)
{
  QuorumWindow *window = ui_present (app);
  g_autofree char *sent = g_strdup_printf ("If an account exists for %s, we sent a link to reset its password. "
                                           "Open it on this computer to choose a new one.", rex_email);
  g_autofree char *asking = g_strdup_printf ("Asking %s for a reset link…", quorum_test_server_get_url (server));
  g_autofree char *setting = NULL;
  g_autofree char *link = NULL;
  QuorumAccountLinkWindow *link_win;
  GtkWidget *page;
  GtkWidget *submit;
  Shown s;

  g_action_group_activate_action (G_ACTION_GROUP (window), "add-account", NULL);
  ui_wait_state (window, "sign-in");
  page = ui_find (GTK_WIDGET (window), QUORUM_TYPE_SIGN_IN_PAGE, NULL, NULL);
  ui_type (page, "Server", quorum_test_server_get_url (server));
  ui_type (page, "E-mail", rex_email);

  /* The e-mail stays; the password row goes. */
  ui_click (ui_button (page, "_Forgot Password?"));
  g_assert_cmpstr (ui_text (page, "E-mail"), ==, rex_email);
  g_assert_false (ui_shown (ui_row (page, "Password")));
  submit = gtk_widget_get_ancestor (ui_find (page, GTK_TYPE_LABEL, ui_match_label, "_Send Reset Link"),
                                    GTK_TYPE_BUTTON);
  ui_click (submit);
  /* The wait is said in words, and the form cannot be sent twice. */
  g_assert_nonnull (ui_find (page, GTK_TYPE_LABEL, ui_match_label, asking));
  g_assert_false (gtk_widget_is_sensitive (submit));
  s = (Shown) { page, sent };
  ui_wait_until (text_shown, &s);

  /* The link: the new password, twice; a mismatch is said and blocks. */
  link = mail_link (rex_email, "reset");
  quorum_window_open_uri (window, link);
  link_win = wait_link_page ("password");
  ui_type (GTK_WIDGET (link_win), "New Password", NEW_PASSWORD);
  ui_type (GTK_WIDGET (link_win), "Confirm New Password", "something else entirely");
  g_assert_true (ui_shown (ui_find (GTK_WIDGET (link_win), GTK_TYPE_LABEL, ui_match_label,
                                    "The passwords do not match.")));
  g_assert_false (gtk_widget_is_sensitive (ui_button (GTK_WIDGET (link_win), "_Set Password and Sign In")));
  ui_type (GTK_WIDGET (link_win), "Confirm New Password", NEW_PASSWORD);
  ui_click (ui_button (GTK_WIDGET (link_win), "_Set Password and Sign In"));
  setting = g_strdup_printf ("Setting the new password on %s…", quorum_test_server_get_url (server));
  g_assert_nonnull (ui_find (GTK_WIDGET (link_win), GTK_TYPE_LABEL, ui_match_label, setting));
  g_assert_false (gtk_widget_is_sensitive (ui_button (GTK_WIDGET (link_win), "_Set Password and Sign In")));
  wait_link_page ("password-changed");

  /* Signed in with the session the reset returned; the keyring holds it. */
  ui_wait_until (rex_signed_in, window);
  close_link_window ();
  g_assert_true (signs_in (rex_email, NEW_PASSWORD));
  g_assert_false (signs_in (rex_email, PASSWORD));

  /* The link is spent. */
  quorum_window_open_uri (window, link);
  link_win = wait_link_page ("password");
  ui_type (GTK_WIDGET (link_win), "New Password", "yet another passphrase");
  ui_type (GTK_WIDGET (link_win), "Confirm New Password", "yet another passphrase");
  ui_click (ui_button (GTK_WIDGET (link_win), "_Set Password and Sign In"));
  wait_link_page ("used");
  close_link_window ();
  g_assert_true (signs_in (rex_email, NEW_PASSWORD));
  quorum_test_spin (100);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumClient) olivia = NULL;
  g_autoptr(QuorumOrganization) initech = NULL;
  g_autoptr(QuorumInvitation) invitation = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *olivia_email = NULL;
  g_autofree char *olivia_token = NULL;
  g_autofree char *token = NULL;
  int ret;

  quorum_test_settings_init ();  /* before anything reads settings */
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ui_ignore_focus_out_warnings ();

  server = quorum_test_server_start (NULL, &error);
  g_assert_no_error (error);
  app = ui_application_new ();

  olivia_email = quorum_test_unique_email ("olivia");
  vera_email = quorum_test_unique_email ("vera");
  rex_email = quorum_test_unique_email ("rex");
  walt_email = quorum_test_unique_email ("walt");
  olivia_token = quorum_test_server_sign_up (server, "Olivia Owner", olivia_email, PASSWORD, &error);
  g_assert_no_error (error);
  token = quorum_test_server_sign_up (server, "Vera Unverified", vera_email, PASSWORD, &error);
  g_assert_no_error (error);
  g_clear_pointer (&token, g_free);
  token = quorum_test_server_sign_up (server, "Rex Forgetful", rex_email, PASSWORD, &error);
  g_assert_no_error (error);
  g_clear_pointer (&token, g_free);
  token = quorum_test_server_sign_up (server, "Walt Waiting", walt_email, PASSWORD, &error);
  g_assert_no_error (error);

  olivia = quorum_client_new (quorum_test_server_get_url (server));
  quorum_client_set_token (olivia, olivia_token);
  quorum_client_create_organization_async (olivia, "Initech", NULL, NULL, NULL, ui_store_result, &result);
  initech = quorum_client_create_organization_finish (olivia, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  quorum_client_create_invitation_async (olivia, quorum_organization_get_id (initech), vera_email,
                                         QUORUM_ROLE_MEMBER, NULL, NULL, ui_store_result, &result);
  invitation = quorum_client_create_invitation_finish (olivia, ui_wait_result (&result), &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/email-verification/banner-and-resend", test_banner_and_resend);
  g_test_add_func ("/ui/email-verification/verify-link", test_verify_link);
  g_test_add_func ("/ui/email-verification/link-guards", test_link_guards);
  g_test_add_func ("/ui/email-verification/resend-rate-limited", test_resend_rate_limited);
  g_test_add_func ("/ui/email-verification/forgot-password", test_forgot_password);

  ret = g_test_run ();

  ui_close_windows (app);
  g_clear_object (&app);
  g_free (vera_email);
  g_free (rex_email);
  g_free (walt_email);
  quorum_test_server_stop (server);
  return ret;
}
