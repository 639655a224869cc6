/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

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
  g_object_set_data (G_OBJECT (toast), "quorum-toast-added", GSIZE_TO_POINTER ((gsize) (g_get_monotonic_time () / 1000)));
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return toast;
}

/* libadwaita 1.2 reads and writes freed memory when a toast is dismissed
 * while it is still sliding in (seen with valgrind: adw_animation_skip on
 * the overlay's show animation); a toast on screen longer than that, or
 * still queued, goes cleanly (QUORUM_TOAST_SETTLE_MS). */
static void
weak_toast_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

static gboolean
withdraw_later_cb (gpointer data)
{
  g_autoptr(AdwToast) toast = g_weak_ref_get (data);

  if (toast != NULL)
    adw_toast_dismiss (toast);
  return G_SOURCE_REMOVE;
}

/**
 * quorum_toast_withdraw:
 * @toast: a toast shown with quorum_toast_show()
 *
 * Takes back a toast that no longer holds (its request was answered
 * since): at once, or once it has settled on screen.
 */
void
quorum_toast_withdraw (AdwToast *toast)
{
  gint64 added_ms = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "quorum-toast-added"));
  gint64 age_ms = g_get_monotonic_time () / 1000 - added_ms;
  GWeakRef *ref;

  if (added_ms == 0 || age_ms >= QUORUM_TOAST_SETTLE_MS)
    {
      adw_toast_dismiss (toast);
      return;
    }
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, toast);
  g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (QUORUM_TOAST_SETTLE_MS - age_ms), withdraw_later_cb, ref,
                      (GDestroyNotify) weak_toast_free);
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

/* The words of @text, case-folded, for comparing phrases. */
static GPtrArray *
words_of (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  GString *word = g_string_new (NULL);

  for (const char *p = text; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && (g_unichar_isalnum (c) || c == '\'' || c == 0x2019))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          g_ptr_array_add (words, g_utf8_casefold (word->str, -1));
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }
  g_string_free (word, TRUE);
  return words;
}

static gboolean
phrase_at (GPtrArray *a,
           guint      i,
           GPtrArray *b,
           guint      j,
           guint      n)
{
  for (guint k = 0; k < n; k++)
    if (!g_str_equal (g_ptr_array_index (a, i + k), g_ptr_array_index (b, j + k)))
      return FALSE;
  return TRUE;
}

/* Whether @a and @b share a phrase of three words or more. */
static gboolean
share_phrase (const char *a,
              const char *b)
{
  g_autoptr(GPtrArray) wa = words_of (a);
  g_autoptr(GPtrArray) wb = words_of (b);

  for (guint i = 0; i + 3 <= wa->len; i++)
    for (guint j = 0; j + 3 <= wb->len; j++)
      if (phrase_at (wa, i, wb, j, 3))
        return TRUE;
  return FALSE;
}

/* Plain words for an error that did not come from the client, whose
 * message may be a library's (GIO, D-Bus, a parser). */
static const char *
foreign_reason (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    switch (error->code)
      {
      case G_IO_ERROR_CANCELLED:
        return _("It was cancelled");
      case G_IO_ERROR_TIMED_OUT:
        return _("It took too long");
      case G_IO_ERROR_PERMISSION_DENIED:
        return _("Permission was denied");
      case G_IO_ERROR_NOT_FOUND:
        return _("It was not found");
      case G_IO_ERROR_NO_SPACE:
        return _("The disk is full");
      default:
        break;
      }
  return _("Something unexpected went wrong");
}

/**
 * quorum_error_is_plain:
 *
 * Whether @error's message is already plain words for people: the client's
 * (QUORUM_API_ERROR) and the account store's errors. Any other domain's
 * message is a library's, never shown.
 */
gboolean
quorum_error_is_plain (const GError *error)
{
  return error->domain == QUORUM_API_ERROR || error->domain == QUORUM_ACCOUNT_STORE_ERROR;
}

/**
 * quorum_error_compose:
 * @context: (nullable): what failed, such as "Could not send the invitation"
 * @error: why
 *
 * The one rule for error words: "<context>: <reason>", the reason in plain
 * words (the client's message, or words chosen here for a library's error,
 * whose text is never shown), and never the same phrase twice: when the
 * reason repeats a phrase of the context, the reason is said alone (it is
 * the more precise of the two).
 *
 * Returns: (transfer full): the one sentence shown for @error
 */
char *
quorum_error_compose (const char   *context,
                      const GError *error)
{
  g_autofree char *reason = NULL;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  if (quorum_error_is_plain (error) && error->message != NULL && *error->message != '\0')
    reason = g_strstrip (g_strdup (error->message));
  else if (error->domain == QUORUM_API_ERROR)
    reason = g_strdup (quorum_api_error_get_plain_message (error->code));
  else
    reason = g_strdup (foreign_reason (error));

  if (context == NULL)
    return g_steal_pointer (&reason);

  trimmed = g_strstrip (g_strdup (context));
  while (g_str_has_suffix (trimmed, ":"))
    {
      trimmed[strlen (trimmed) - 1] = '\0';
      g_strchomp (trimmed);
    }
  if (*trimmed == '\0')
    return g_steal_pointer (&reason);

  if (share_phrase (trimmed, reason))
    return g_steal_pointer (&reason);

  /* Translators: an error message: what failed, then why, e.g.
   * "Could not send the invitation: example.org did not answer in time" */
  return g_strdup_printf (_("%s: %s"), trimmed, reason);
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

/* Numbers and money in the user's locale (LC_NUMERIC grouping and decimal
 * point); the currency is the organization's, whatever the locale's own. */

static const char *
locale_decimal_point (void)
{
  const char *point = localeconv ()->decimal_point;

  return point != NULL && *point != '\0' ? point : ".";
}

static const char *
locale_thousands_sep (void)
{
  const char *sep = localeconv ()->thousands_sep;

  return sep != NULL ? sep : "";
}

/**
 * quorum_format_count:
 *
 * Returns: (transfer full): @count with the locale's digit grouping ("50,000")
 */
char *
quorum_format_count (gint64 count)
{
  const char *sep = locale_thousands_sep ();
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                             count < 0 ? (guint64) 0 - (guint64) count : (guint64) count);
  GString *out = g_string_new (count < 0 ? "-" : "");
  gsize n = strlen (digits);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/**
 * quorum_format_last_active:
 * @last_active: (nullable): when a member last used the organization
 * @now: the time to count from
 *
 * Returns: (transfer full): "Active today", "Active 3 days ago",
 *   "Active 4 months ago"…, or "Never signed in"
 */
char *
quorum_format_last_active (GDateTime *last_active,
                           GDateTime *now)
{
  GTimeSpan span;
  guint days;

  g_return_val_if_fail (now != NULL, NULL);

  if (last_active == NULL)
    return g_strdup (_("Never signed in"));

  span = g_date_time_difference (now, last_active);
  days = span <= 0 ? 0 : (guint) MIN (span / G_TIME_SPAN_DAY, G_MAXUINT);
  if (days == 0)
    return g_strdup (_("Active today"));
  if (days == 1)
    return g_strdup (_("Active yesterday"));
  if (days < 60)
    return g_strdup_printf (ngettext ("Active %u day ago", "Active %u days ago", days), days);
  if (days < 730)
    return g_strdup_printf (ngettext ("Active %u month ago", "Active %u months ago", days / 30), days / 30);
  return g_strdup_printf (ngettext ("Active %u year ago", "Active %u years ago", days / 365), days / 365);
}

/* Returns: (transfer full): @when in local time, in the locale's words */
char *
quorum_format_date_time (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (when != NULL, NULL);

  local = g_date_time_to_local (when);
  /* Translators: an exact date and time, as strftime() takes it; %c is the locale's own */
  return g_date_time_format (local, _("%c"));
}

static const char *
currency_symbol (const char *currency)
{
  static const struct { const char *code; const char *symbol; } symbols[] = {
    { "EUR", "€" }, { "USD", "$" }, { "GBP", "£" }, { "BRL", "R$" }, { "JPY", "¥" },
    { "CHF", "CHF" }, { "CAD", "CA$" }, { "AUD", "A$" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (symbols); i++)
    if (g_strcmp0 (currency, symbols[i].code) == 0)
      return symbols[i].symbol;
  return currency != NULL ? currency : "";
}

/**
 * quorum_format_money:
 * @cents: an amount in hundredths of @currency, may be negative
 * @currency: an ISO 4217 code
 *
 * Returns: (transfer full): the amount as the user reads money ("€1,234.50",
 *   "-€2.50"; in Portuguese "€ 1.234,50")
 */
char *
quorum_format_money (gint64      cents,
                     const char *currency)
{
  guint64 magnitude = cents < 0 ? (guint64) 0 - (guint64) cents : (guint64) cents;
  g_autofree char *units = quorum_format_count ((gint64) (magnitude / 100));
  g_autofree char *number = g_strdup_printf ("%s%s%02u", units, locale_decimal_point (),
                                             (guint) (magnitude % 100));
  /* Translators: money: %1$s is the currency symbol (€, $), %2$s the amount
   * with its decimals; "%1$s %2$s" puts a space between them. */
  g_autofree char *money = g_strdup_printf (C_("money", "%1$s%2$s"), currency_symbol (currency), number);

  return cents < 0 ? g_strconcat ("-", money, NULL) : g_steal_pointer (&money);
}

/**
 * quorum_format_money_plain:
 * @cents: an amount in hundredths, may be negative
 *
 * Returns: (transfer full): the amount as the user types it: the locale's
 *   number, no currency symbol ("1,234.50"; in Portuguese "1.234,50")
 */
char *
quorum_format_money_plain (gint64 cents)
{
  g_autofree char *money = quorum_format_money (cents, "");

  return g_strstrip (g_strdup (money));
}

/**
 * quorum_plan_summary:
 *
 * Returns: (transfer full): @plan in one line: "€29.00 per month · 25 seats
 *   · 50,000 credits included"
 */
char *
quorum_plan_summary (QuorumPlan *plan)
{
  g_autofree char *price = NULL;
  g_autofree char *credits = NULL;
  int seats;
  g_autofree char *seats_text = NULL;

  g_return_val_if_fail (QUORUM_IS_PLAN (plan), NULL);

  price = quorum_format_money (quorum_plan_get_price_cents (plan), quorum_plan_get_currency (plan));
  credits = quorum_format_count (quorum_plan_get_included_credits (plan));
  seats = quorum_plan_get_seat_limit (plan);
  if (seats > 0)
    seats_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d seat", "%d seats", seats), seats);
  else
    seats_text = g_strdup (_("unlimited seats"));

  /* Translators: a plan: its price, its seats ("25 seats") and its included credits */
  return g_strdup_printf (_("%s per month · %s · %s credits included"), price, seats_text, credits);
}

/**
 * quorum_plan_seats_explanation:
 * @plan: a plan with a seat limit
 * @organization: the organization that would take it
 * @seats_used: the seats @organization uses (members and pending invitations)
 *
 * Returns: (transfer full): why @organization cannot take @plan, and what to do
 */
char *
quorum_plan_seats_explanation (QuorumPlan         *plan,
                               QuorumOrganization *organization,
                               int                 seats_used)
{
  int limit;
  g_autofree char *uses = NULL;
  g_autofree char *allows = NULL;

  g_return_val_if_fail (QUORUM_IS_PLAN (plan), NULL);
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (organization), NULL);

  limit = quorum_plan_get_seat_limit (plan);
  /* Translators: why a plan change was refused, part 1: seats in use */
  uses = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s uses %d seat (members and pending invitations)",
                                       "%s uses %d seats (members and pending invitations)", seats_used),
                          quorum_organization_get_name (organization), seats_used);
  /* Translators: why a plan change was refused, part 2: the plan's name and seats */
  allows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "the %s plan allows %d", "the %s plan allows %d", limit),
                            quorum_plan_get_name (plan), limit);
  /* Translators: why a plan change was refused: part 1, part 2 */
  return g_strdup_printf (_("%s; %s. Remove members or revoke invitations first, or choose a larger plan."),
                          uses, allows);
}

/**
 * quorum_parse_money:
 * @text: an amount as typed: "50", "50.5", "1,250.00" (the locale's
 *   separators; a currency symbol and spaces are ignored)
 * @out_cents: (out): the amount in hundredths
 *
 * Returns: whether @text is one positive-or-zero amount with at most two
 *   decimals and below 10^13, its grouping (if any) in threes
 */
gboolean
quorum_parse_money (const char *text,
                    gint64     *out_cents)
{
  return quorum_parse_money_with (text, locale_decimal_point (), locale_thousands_sep (), out_cents);
}

/* Three digits and no fourth: what may follow a grouping separator. */
static gboolean
is_digit_group (const char *p)
{
  return g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) && !g_ascii_isdigit (p[3]);
}

/**
 * quorum_parse_money_with:
 * @point: the decimal point
 * @sep: the grouping separator ("" for none)
 *
 * quorum_parse_money() with the separators given. A grouping separator
 * must be followed by exactly three digits and come before any decimal
 * point: in Portuguese "25.50" is refused, never read as 2,550.
 */
gboolean
quorum_parse_money_with (const char *text,
                         const char *point,
                         const char *sep,
                         gint64     *out_cents)
{
  g_autoptr(GString) plain = g_string_new (NULL);
  guint64 units = 0;
  guint decimals = 0;
  guint64 fraction = 0;
  gboolean seen_point = FALSE;
  gboolean seen_digit = FALSE;

  *out_cents = 0;
  if (text == NULL)
    return FALSE;

  /* Keep digits and the decimal point; drop symbols, spaces, grouping. */
  for (const char *p = text; *p != '\0';)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        return FALSE;
      if (g_str_has_prefix (p, point))
        {
          g_string_append_c (plain, '.');
          p += strlen (point);
          continue;
        }
      if (*sep != '\0' && g_str_has_prefix (p, sep))
        {
          p += strlen (sep);
          if (strchr (plain->str, '.') != NULL || plain->len == 0 || !is_digit_group (p))
            return FALSE;
          continue;
        }
      if (g_ascii_isdigit (*p))
        g_string_append_c (plain, *p);
      /* A currency's sign or code ("€", "R$", "EUR") and spaces go;
       * anything else (a minus, letters, other digits) is not an amount. */
      else if (!g_unichar_isspace (c) && g_unichar_type (c) != G_UNICODE_CURRENCY_SYMBOL &&
               !g_ascii_isupper (*p))
        return FALSE;
      p = g_utf8_next_char (p);
    }

  for (const char *p = plain->str; *p != '\0'; p++)
    {
      if (*p == '.')
        {
          if (seen_point)
            return FALSE;
          seen_point = TRUE;
          continue;
        }
      seen_digit = TRUE;
      if (seen_point)
        {
          if (++decimals > 2)
            return FALSE;
          fraction = fraction * 10 + (guint64) (*p - '0');
        }
      else
        {
          if (units > G_GUINT64_CONSTANT (100000000000))
            return FALSE;
          units = units * 10 + (guint64) (*p - '0');
        }
    }
  if (!seen_digit)
    return FALSE;
  if (decimals == 1)
    fraction *= 10;

  *out_cents = (gint64) (units * 100 + fraction);
  return TRUE;
}

/* "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago",
 * then the date in the locale's format. A time ahead of @now (a clock a
 * little off) is "just now" up to a minute, then the date. */
char *
quorum_format_relative_time (GDateTime *time,
                             GDateTime *now)
{
  GTimeSpan diff;
  gint64 n;

  g_return_val_if_fail (time != NULL && now != NULL, NULL);

  diff = g_date_time_difference (now, time);
  if (diff < G_TIME_SPAN_MINUTE && diff > -G_TIME_SPAN_MINUTE)
    return g_strdup (_("just now"));
  if (diff > 0 && diff < G_TIME_SPAN_HOUR)
    {
      n = diff / G_TIME_SPAN_MINUTE;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", n), (int) n);
    }
  if (diff > 0 && diff < G_TIME_SPAN_DAY)
    {
      n = diff / G_TIME_SPAN_HOUR;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", n), (int) n);
    }
  if (diff > 0 && diff < 2 * G_TIME_SPAN_DAY)
    return g_strdup (_("yesterday"));
  if (diff > 0 && diff < 30 * G_TIME_SPAN_DAY)
    {
      n = diff / G_TIME_SPAN_DAY;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", n), (int) n);
    }
  return quorum_format_date (time);
}

/* The date alone, in the locale's format and the local time zone. */
char *
quorum_format_date (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%x");
}

/* Date and time to the second, in the locale's format and the local time
 * zone (a tooltip beside a relative time). */
char *
quorum_format_exact_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%x %X");
}

/* Secrets put on the clipboard, each cleared after
 * QUORUM_SECRET_CLIPBOARD_SECONDS if the clipboard still holds it (its
 * content is still the provider set here: anything copied since, in Quorum
 * or elsewhere, stays). */
typedef struct
{
  GdkClipboard       *clipboard;
  GdkContentProvider *provider;
  guint               timeout_id;
} SecretCopy;

static GList *secret_copies;

static void
secret_copy_expire (SecretCopy *copy)
{
  if (gdk_clipboard_get_content (copy->clipboard) == copy->provider)
    gdk_clipboard_set_content (copy->clipboard, NULL);
  secret_copies = g_list_remove (secret_copies, copy);
  g_clear_handle_id (&copy->timeout_id, g_source_remove);
  g_object_unref (copy->clipboard);
  g_object_unref (copy->provider);
  g_free (copy);
}

static gboolean
secret_copy_timeout_cb (gpointer data)
{
  SecretCopy *copy = data;

  copy->timeout_id = 0;
  secret_copy_expire (copy);
  return G_SOURCE_REMOVE;
}

void
quorum_clipboard_set_secret (GtkWidget  *widget,
                             const char *secret)
{
  SecretCopy *copy;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (secret != NULL);

  bytes = g_bytes_new (secret, strlen (secret));
  copy = g_new0 (SecretCopy, 1);
  copy->clipboard = g_object_ref (gtk_widget_get_clipboard (widget));
  copy->provider = gdk_content_provider_new_for_bytes ("text/plain;charset=utf-8", bytes);
  gdk_clipboard_set_content (copy->clipboard, copy->provider);
  copy->timeout_id = g_timeout_add_seconds (QUORUM_SECRET_CLIPBOARD_SECONDS, secret_copy_timeout_cb, copy);
  g_source_set_name_by_id (copy->timeout_id, "[quorum] clear copied secret");
  secret_copies = g_list_prepend (secret_copies, copy);
}

/* What the timeouts do, at once (tests, and quitting). */
void
quorum_clipboard_expire_secrets (void)
{
  while (secret_copies != NULL)
    secret_copy_expire (secret_copies->data);
}

/* A webhook event type for people ("Member added"); an unknown one as it is. */
const char *
quorum_event_type_get_label (const char *event)
{
  static const struct { const char *event; const char *label; } labels[] = {
    { "member.added", N_("Member added") },
    { "member.removed", N_("Member removed") },
    { "member.updated", N_("Member changed") },
    { "invitation.created", N_("Invitation sent") },
    { "invitation.accepted", N_("Invitation accepted") },
    { "organization.updated", N_("Organization changed") },
    { "api_key.created", N_("API key created") },
    { "api_key.revoked", N_("API key revoked") },
    { "billing.low_balance", N_("Balance low") },
    { "ping", N_("Test ping") },
  };

  g_return_val_if_fail (event != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].event, event))
      return _(labels[i].label);
  return event;
}

/*
 * Start-up trace, for bench/app/bench-startup (docs/performance.md,
 * "Start-up"): with QUORUM_TRACE_STARTUP set in the environment, each step
 * prints "quorum-startup: STEP MICROSECONDS" to stderr, the time being
 * g_get_monotonic_time () (CLOCK_MONOTONIC, the same clock in every process,
 * so the bench compares it with the moment it started the app). Without the
 * variable it prints nothing.
 */
void
quorum_trace_startup (const char *step)
{
  static gsize enabled = 0;  /* 1: off, 2: on */

  if (g_once_init_enter (&enabled))
    g_once_init_leave (&enabled, g_getenv ("QUORUM_TRACE_STARTUP") != NULL ? 2 : 1);
  if (enabled == 2)
    g_printerr ("quorum-startup: %s %" G_GINT64_FORMAT "\n", step, g_get_monotonic_time ());
}
