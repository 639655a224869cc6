/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "quorum-validate.h"

QuorumSlugResult
quorum_slug_check (const char *slug)
{
  gsize len;

  if (slug == NULL)
    return QUORUM_SLUG_TOO_SHORT;

  len = strlen (slug);
  if (len < QUORUM_SLUG_MIN_CHARS)
    return QUORUM_SLUG_TOO_SHORT;
  if (len > QUORUM_SLUG_MAX_CHARS)
    return QUORUM_SLUG_TOO_LONG;

  for (gsize i = 0; i < len; i++)
    {
      char c = slug[i];

      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
        return QUORUM_SLUG_INVALID_CHARACTER;
    }

  if (slug[0] == '-' || slug[len - 1] == '-' || strstr (slug, "--") != NULL)
    return QUORUM_SLUG_BAD_HYPHEN;

  return QUORUM_SLUG_OK;
}

gboolean
quorum_slug_is_valid (const char *slug)
{
  return quorum_slug_check (slug) == QUORUM_SLUG_OK;
}

/**
 * quorum_slug_problem:
 *
 * Returns: (nullable): what is wrong with @slug, translated, as the app shows
 *   it beside the field; %NULL for a valid slug
 */
const char *
quorum_slug_problem (const char *slug)
{
  switch (quorum_slug_check (slug))
    {
    case QUORUM_SLUG_OK:
      return NULL;
    case QUORUM_SLUG_TOO_SHORT:
      return _("The slug needs at least 3 characters.");
    case QUORUM_SLUG_TOO_LONG:
      return _("The slug can have at most 48 characters.");
    case QUORUM_SLUG_INVALID_CHARACTER:
      return _("The slug can only hold lower-case letters, digits and hyphens.");
    case QUORUM_SLUG_BAD_HYPHEN:
    default:
      return _("The slug cannot start or end with a hyphen, or hold two in a row.");
    }
}

/* Lower-cased, accents folded, every other run of characters to one hyphen,
 * cut to the maximum length; names too short for a slug get "-org" so the
 * result is always valid. */
char *
quorum_slug_from_name (const char *name)
{
  g_autofree char *ascii = NULL;
  g_autoptr(GString) slug = g_string_new (NULL);
  gboolean pending_hyphen = FALSE;

  if (name != NULL && g_utf8_validate (name, -1, NULL))
    ascii = g_str_to_ascii (name, "C");
  else
    ascii = g_strdup ("");

  for (const char *p = ascii; *p != '\0'; p++)
    {
      char c = g_ascii_tolower (*p);

      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        {
          if (pending_hyphen && slug->len > 0)
            g_string_append_c (slug, '-');
          pending_hyphen = FALSE;
          g_string_append_c (slug, c);
        }
      else
        pending_hyphen = TRUE;
    }

  if (slug->len > QUORUM_SLUG_MAX_CHARS)
    g_string_truncate (slug, QUORUM_SLUG_MAX_CHARS);
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);

  if (slug->len == 0)
    g_string_assign (slug, "org");
  else if (slug->len < QUORUM_SLUG_MIN_CHARS)
    g_string_append (slug, "-org");

  return g_string_free (g_steal_pointer (&slug), FALSE);
}

/* "acme" and 2 → "acme-2", cutting the base so the result stays within the
 * maximum length. */
char *
quorum_slug_with_suffix (const char *base,
                         guint       n)
{
  g_autofree char *suffix = g_strdup_printf ("-%u", n);
  g_autoptr(GString) slug = g_string_new (base);
  gsize max_base = QUORUM_SLUG_MAX_CHARS - strlen (suffix);

  if (slug->len > max_base)
    g_string_truncate (slug, max_base);
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  g_string_append (slug, suffix);

  return g_string_free (g_steal_pointer (&slug), FALSE);
}

/*
 * Characters no human-readable field may hold, because they hide or disguise
 * what is shown next to them in lists, e-mails and logs:
 * - C0 and C1 controls and DEL (U+0000 included: it would cut the text);
 * - U+2028 and U+2029, line and paragraph separators (a name on two lines);
 * - the bidi embeddings, overrides and isolates U+202A–U+202E and
 *   U+2066–U+2069, which reorder the text after them ("Trojan Source");
 * - the invisible marks U+200E, U+200F and U+061C (LRM, RLM, ALM): the bidi
 *   algorithm already lays out right-to-left names from their own letters,
 *   so a name never needs them, and they can move neutral characters around
 *   a name, e.g. the parentheses of "(Owner)";
 * - noncharacters (U+FDD0–U+FDEF and U+xFFFE, U+xFFFF), which no text holds.
 * Joiners (U+200C, U+200D) stay allowed: scripts and emoji need them.
 */
gboolean
quorum_unichar_is_unsafe (gunichar c)
{
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
    return TRUE;
  if (c == 0x2028 || c == 0x2029)
    return TRUE;
  if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
    return TRUE;
  if (c == 0x200E || c == 0x200F || c == 0x061C)
    return TRUE;
  if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE)
    return TRUE;
  return FALSE;
}

/* Valid UTF-8 without any character quorum_unichar_is_unsafe () refuses. */
gboolean
quorum_text_is_safe (const char *text)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (quorum_unichar_is_unsafe (g_utf8_get_char (p)))
        return FALSE;
    }
  return TRUE;
}

char *
quorum_name_normalize (const char *name)
{
  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return NULL;
  return g_strstrip (g_strdup (name));
}

/* Checks the name as it will be stored, after quorum_name_normalize (). */
QuorumNameResult
quorum_name_check (const char *name)
{
  g_autofree char *normalized = quorum_name_normalize (name);
  glong chars;

  if (normalized == NULL)
    return QUORUM_NAME_INVALID_UTF8;
  chars = g_utf8_strlen (normalized, -1);
  if (chars < 1)
    return QUORUM_NAME_BLANK;
  if (chars > QUORUM_NAME_MAX_CHARS)
    return QUORUM_NAME_TOO_LONG;
  if (!quorum_text_is_safe (normalized))
    return QUORUM_NAME_INVALID_CHARACTERS;
  return QUORUM_NAME_OK;
}

/* What is wrong, for the person typing: untranslated (N_), so the app shows
 * it through _(). NULL when the name is fine. */
const char *
quorum_name_problem (QuorumNameResult result)
{
  switch (result)
    {
    case QUORUM_NAME_OK:
      return NULL;
    case QUORUM_NAME_BLANK:
      return N_("The name cannot be empty.");
    case QUORUM_NAME_TOO_LONG:
      return N_("The name can have at most 80 characters.");
    case QUORUM_NAME_INVALID_CHARACTERS:
      return N_("The name cannot hold control characters, line separators or invisible direction marks.");
    case QUORUM_NAME_INVALID_UTF8:
    default:
      return N_("The name is not valid text.");
    }
}

gboolean
quorum_name_is_valid (const char *name)
{
  return quorum_name_check (name) == QUORUM_NAME_OK;
}

char *
quorum_email_normalize (const char *email)
{
  g_autofree char *trimmed = NULL;

  if (email == NULL || !g_utf8_validate (email, -1, NULL))
    return NULL;
  trimmed = g_strstrip (g_strdup (email));
  return g_utf8_strdown (trimmed, -1);
}

gboolean
quorum_email_is_valid (const char *email)
{
  const char *at;
  const char *domain;
  gsize len;
  gsize local_len;

  if (email == NULL || !quorum_text_is_safe (email))
    return FALSE;

  len = strlen (email);
  if (len < 3 || len > QUORUM_EMAIL_MAX_BYTES)
    return FALSE;

  at = strchr (email, '@');
  if (at == NULL || strchr (at + 1, '@') != NULL)
    return FALSE;

  local_len = at - email;
  if (local_len == 0 || local_len > 64)
    return FALSE;

  for (const char *p = email; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) ||
          c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
          c == ';' || c == ':' || c == '\\' || c == '"' || c == '[' || c == ']')
        return FALSE;
    }

  domain = at + 1;
  if (domain[0] == '\0' || domain[0] == '.' || domain[0] == '-' ||
      strchr (domain, '.') == NULL || strstr (domain, "..") != NULL ||
      domain[strlen (domain) - 1] == '.')
    return FALSE;

  if (email[0] == '.' || at[-1] == '.' || strstr (email, "..") != NULL)
    return FALSE;

  return TRUE;
}

gboolean
quorum_password_is_valid (const char *password)
{
  if (password == NULL || !g_utf8_validate (password, -1, NULL))
    return FALSE;
  if (strlen (password) > QUORUM_PASSWORD_MAX_BYTES)
    return FALSE;
  return g_utf8_strlen (password, -1) >= QUORUM_PASSWORD_MIN_CHARS;
}

/* A hint for the person typing, from 0 (unusable) to 4 (strong): length and
 * variety of character classes. The server only enforces the minimum length. */
guint
quorum_password_strength (const char *password)
{
  gboolean lower = FALSE, upper = FALSE, digit = FALSE, other = FALSE;
  glong chars;
  guint classes;
  guint score;

  if (!quorum_password_is_valid (password))
    return 0;

  chars = g_utf8_strlen (password, -1);
  for (const char *p = password; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_islower (c))
        lower = TRUE;
      else if (g_unichar_isupper (c))
        upper = TRUE;
      else if (g_unichar_isdigit (c))
        digit = TRUE;
      else
        other = TRUE;
    }
  classes = lower + upper + digit + other;

  score = 1;
  if (chars >= 14 || classes >= 3)
    score++;
  if (chars >= 14 && classes >= 3)
    score++;
  if (chars >= 20 && classes >= 2)
    score++;

  return MIN (score, 4);
}

gboolean
quorum_logo_url_is_valid (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL || !g_utf8_validate (url, -1, NULL) || strlen (url) > QUORUM_URL_MAX_BYTES)
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  if (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
    return FALSE;
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;
  if (g_uri_get_userinfo (uri) != NULL)
    return FALSE;

  return TRUE;
}
