/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "quorum-api-error.h"
#include "quorum-api-private.h"

typedef struct
{
  guint  http_status;
  char  *code;
  guint  retry_after;
  GStrv  fields;
  GStrv  messages;
  char  *detail;
} QuorumApiErrorPrivate;

static void
quorum_api_error_private_init (QuorumApiErrorPrivate *priv)
{
}

static void
quorum_api_error_private_copy (const QuorumApiErrorPrivate *src,
                               QuorumApiErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->code = g_strdup (src->code);
  dest->retry_after = src->retry_after;
  dest->fields = g_strdupv (src->fields);
  dest->messages = g_strdupv (src->messages);
  dest->detail = g_strdup (src->detail);
}

static void
quorum_api_error_private_clear (QuorumApiErrorPrivate *priv)
{
  g_clear_pointer (&priv->code, g_free);
  g_clear_pointer (&priv->fields, g_strfreev);
  g_clear_pointer (&priv->messages, g_strfreev);
  g_clear_pointer (&priv->detail, g_free);
}

/* GLib's macro casts from guint8 *; the private data is allocated aligned. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-align"
G_DEFINE_EXTENDED_ERROR (QuorumApiError, quorum_api_error)
#pragma GCC diagnostic pop

static const struct
{
  const char     *code;
  QuorumApiError  error;
} code_table[] = {
  { "unauthenticated", QUORUM_API_ERROR_UNAUTHENTICATED },
  { "rate_limited", QUORUM_API_ERROR_RATE_LIMITED },
  { "internal_error", QUORUM_API_ERROR_SERVER },
  { "bad_request", QUORUM_API_ERROR_BAD_REQUEST },
  { "malformed_json", QUORUM_API_ERROR_BAD_REQUEST },
  { "forbidden", QUORUM_API_ERROR_FORBIDDEN },
  { "not_found", QUORUM_API_ERROR_NOT_FOUND },
  { "validation_failed", QUORUM_API_ERROR_VALIDATION },
  { "precondition_failed", QUORUM_API_ERROR_PRECONDITION_FAILED },
  { "payload_too_large", QUORUM_API_ERROR_PAYLOAD_TOO_LARGE },
  { "conflict", QUORUM_API_ERROR_CONFLICT },
  { "gone", QUORUM_API_ERROR_GONE },
  { "invalid_credentials", QUORUM_API_ERROR_INVALID_CREDENTIALS },
  { "email_taken", QUORUM_API_ERROR_EMAIL_TAKEN },
  { "slug_taken", QUORUM_API_ERROR_SLUG_TAKEN },
  { "member_suspended", QUORUM_API_ERROR_MEMBER_SUSPENDED },
  { "owner_cannot_leave", QUORUM_API_ERROR_OWNER_CANNOT_LEAVE },
  { "owner_immutable", QUORUM_API_ERROR_OWNER_IMMUTABLE },
  { "cannot_modify_self", QUORUM_API_ERROR_CANNOT_MODIFY_SELF },
  { "already_member", QUORUM_API_ERROR_ALREADY_MEMBER },
  { "already_invited", QUORUM_API_ERROR_ALREADY_INVITED },
  { "seat_limit_reached", QUORUM_API_ERROR_SEAT_LIMIT_REACHED },
  { "seat_limit_exceeded", QUORUM_API_ERROR_SEAT_LIMIT_EXCEEDED },
  { "invitation_not_found", QUORUM_API_ERROR_INVITATION_NOT_FOUND },
  { "invitation_expired", QUORUM_API_ERROR_INVITATION_EXPIRED },
  { "invitation_revoked", QUORUM_API_ERROR_INVITATION_REVOKED },
  { "invitation_used", QUORUM_API_ERROR_INVITATION_USED },
  { "email_mismatch", QUORUM_API_ERROR_EMAIL_MISMATCH },
  { "account_exists", QUORUM_API_ERROR_ACCOUNT_EXISTS },
  { "idempotency_key_reused", QUORUM_API_ERROR_IDEMPOTENCY_KEY_REUSED },
  { "insufficient_scope", QUORUM_API_ERROR_INSUFFICIENT_SCOPE },
  { "organization_not_found", QUORUM_API_ERROR_ORGANIZATION_NOT_FOUND },
  { "member_not_found", QUORUM_API_ERROR_MEMBER_NOT_FOUND },
  { "member_not_active", QUORUM_API_ERROR_MEMBER_NOT_ACTIVE },
  { "invitation_not_pending", QUORUM_API_ERROR_INVITATION_NOT_PENDING },
  { "unsupported_media_type", QUORUM_API_ERROR_UNSUPPORTED_MEDIA_TYPE },
  { "email_unverified", QUORUM_API_ERROR_EMAIL_UNVERIFIED },
  { "already_verified", QUORUM_API_ERROR_ALREADY_VERIFIED },
  { "token_not_found", QUORUM_API_ERROR_TOKEN_NOT_FOUND },
  { "token_expired", QUORUM_API_ERROR_TOKEN_EXPIRED },
};

/*
 * The client's own words for the errors people meet while proving their
 * address or resetting a password: clear, translated, and the same whatever
 * the server's `detail` says (it may name an address, or be in another
 * language).
 */
static const struct
{
  QuorumApiError  error;
  const char     *message;
} message_table[] = {
  { QUORUM_API_ERROR_EMAIL_UNVERIFIED,
    N_("Verify your e-mail address first: open the link in the message we sent you, or ask for a new one.") },
  { QUORUM_API_ERROR_ALREADY_VERIFIED,
    N_("Your e-mail address is already verified.") },
  { QUORUM_API_ERROR_TOKEN_NOT_FOUND,
    N_("This link is not valid any more: it was already used, or a newer one was sent. "
       "Use the link in the newest message, or ask for a new one.") },
  { QUORUM_API_ERROR_TOKEN_EXPIRED,
    N_("This link has expired. Ask for a new one.") },
};

/*
 * Plain words for an error the server gave no words for (an HTML error page,
 * a problem document without a detail), by family; the status line goes to
 * the detail. Each is a reason that reads well after any context ("Could not
 * save: …") and alone.
 */
static const struct
{
  QuorumApiError  error;
  const char     *message;
} plain_table[] = {
  { QUORUM_API_ERROR_FAILED, N_("The server refused the request") },
  { QUORUM_API_ERROR_NETWORK, N_("The server cannot be reached") },
  { QUORUM_API_ERROR_TIMEOUT, N_("The server did not answer in time") },
  { QUORUM_API_ERROR_TLS, N_("The connection to the server is not secure") },
  { QUORUM_API_ERROR_INVALID_RESPONSE, N_("The server sent an answer Quorum cannot read") },
  { QUORUM_API_ERROR_UNAUTHENTICATED, N_("Your session has ended, sign in again") },
  { QUORUM_API_ERROR_RATE_LIMITED, N_("Too many attempts, wait a moment and try again") },
  { QUORUM_API_ERROR_SERVER, N_("Something went wrong on the server") },
  { QUORUM_API_ERROR_BAD_REQUEST, N_("The server found the request invalid") },
  { QUORUM_API_ERROR_FORBIDDEN, N_("You are not allowed to do this") },
  { QUORUM_API_ERROR_NOT_FOUND, N_("It is not on the server any more") },
  { QUORUM_API_ERROR_VALIDATION, N_("Some of what was entered was not accepted") },
  { QUORUM_API_ERROR_PRECONDITION_FAILED, N_("It was changed elsewhere in the meantime, reload and try again") },
  { QUORUM_API_ERROR_PAYLOAD_TOO_LARGE, N_("It is too large for the server") },
  { QUORUM_API_ERROR_CONFLICT, N_("It conflicts with what is on the server") },
  { QUORUM_API_ERROR_GONE, N_("It is not available any more") },
  { QUORUM_API_ERROR_INVALID_CREDENTIALS, N_("The e-mail address or the password is wrong") },
  { QUORUM_API_ERROR_EMAIL_TAKEN, N_("An account with this e-mail address already exists") },
  { QUORUM_API_ERROR_SLUG_TAKEN, N_("This address is already taken") },
  { QUORUM_API_ERROR_MEMBER_SUSPENDED, N_("Your membership is suspended") },
  { QUORUM_API_ERROR_OWNER_CANNOT_LEAVE, N_("An owner must hand over ownership before leaving") },
  { QUORUM_API_ERROR_OWNER_IMMUTABLE, N_("The owner’s role cannot be changed") },
  { QUORUM_API_ERROR_CANNOT_MODIFY_SELF, N_("You cannot change your own membership") },
  { QUORUM_API_ERROR_ALREADY_MEMBER, N_("This person is already a member") },
  { QUORUM_API_ERROR_ALREADY_INVITED, N_("This person is already invited") },
  { QUORUM_API_ERROR_SEAT_LIMIT_REACHED, N_("All seats of the organization are taken") },
  { QUORUM_API_ERROR_SEAT_LIMIT_EXCEEDED, N_("The organization has more members than seats") },
  { QUORUM_API_ERROR_INVITATION_NOT_FOUND, N_("The invitation does not exist") },
  { QUORUM_API_ERROR_INVITATION_EXPIRED, N_("The invitation has expired") },
  { QUORUM_API_ERROR_INVITATION_REVOKED, N_("The invitation was withdrawn") },
  { QUORUM_API_ERROR_INVITATION_USED, N_("The invitation was already used") },
  { QUORUM_API_ERROR_EMAIL_MISMATCH, N_("The invitation is for another e-mail address") },
  { QUORUM_API_ERROR_ACCOUNT_EXISTS, N_("An account already exists for this e-mail address") },
  { QUORUM_API_ERROR_IDEMPOTENCY_KEY_REUSED, N_("The server saw this request before with other content") },
  { QUORUM_API_ERROR_INSUFFICIENT_SCOPE, N_("This sign-in is not allowed to do this") },
  { QUORUM_API_ERROR_ORGANIZATION_NOT_FOUND, N_("The organization does not exist") },
  { QUORUM_API_ERROR_MEMBER_NOT_FOUND, N_("This person is not a member") },
  { QUORUM_API_ERROR_MEMBER_NOT_ACTIVE, N_("This membership is not active") },
  { QUORUM_API_ERROR_INVITATION_NOT_PENDING, N_("The invitation is not open any more") },
  { QUORUM_API_ERROR_UNSUPPORTED_MEDIA_TYPE, N_("The server does not accept this kind of file") },
  { QUORUM_API_ERROR_INSECURE, N_("The connection would not be encrypted") },
  { QUORUM_API_ERROR_REDIRECT, N_("The server sent Quorum elsewhere") },
  { QUORUM_API_ERROR_EMAIL_UNVERIFIED, N_("Verify your e-mail address first") },
  { QUORUM_API_ERROR_ALREADY_VERIFIED, N_("Your e-mail address is already verified") },
  { QUORUM_API_ERROR_TOKEN_NOT_FOUND, N_("This link is not valid any more") },
  { QUORUM_API_ERROR_TOKEN_EXPIRED, N_("This link has expired") },
};

/**
 * quorum_api_error_get_plain_message:
 *
 * Returns: the translated plain words for @error when nothing more precise
 *   is known; never %NULL
 */
const char *
quorum_api_error_get_plain_message (QuorumApiError error)
{
  for (guint i = 0; i < G_N_ELEMENTS (plain_table); i++)
    if (plain_table[i].error == error)
      return _(plain_table[i].message);
  return _(plain_table[0].message);
}

/*
 * The code string decides when this client knows it; otherwise the HTTP
 * status does, so a newer server's new code still lands in the right family
 * (a 409 stays a conflict, a 5xx stays a server error).
 */
QuorumApiError
quorum_api_error_from_code (const char *code,
                            guint       http_status)
{
  if (code != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (code_table); i++)
        if (g_str_equal (code, code_table[i].code))
          return code_table[i].error;
    }

  switch (http_status)
    {
    case 400: return QUORUM_API_ERROR_BAD_REQUEST;
    case 401: return QUORUM_API_ERROR_UNAUTHENTICATED;
    case 403: return QUORUM_API_ERROR_FORBIDDEN;
    case 404: return QUORUM_API_ERROR_NOT_FOUND;
    case 409: return QUORUM_API_ERROR_CONFLICT;
    case 410: return QUORUM_API_ERROR_GONE;
    case 412: return QUORUM_API_ERROR_PRECONDITION_FAILED;
    case 413: return QUORUM_API_ERROR_PAYLOAD_TOO_LARGE;
    case 415: return QUORUM_API_ERROR_UNSUPPORTED_MEDIA_TYPE;
    case 422: return QUORUM_API_ERROR_VALIDATION;
    case 429: return QUORUM_API_ERROR_RATE_LIMITED;
    default:
      if (http_status >= 500 && http_status <= 599)
        return QUORUM_API_ERROR_SERVER;
      return QUORUM_API_ERROR_FAILED;
    }
}

const char *
quorum_api_error_to_code (QuorumApiError error)
{
  for (guint i = 0; i < G_N_ELEMENTS (code_table); i++)
    if (code_table[i].error == error)
      return code_table[i].code;
  return NULL;
}

/**
 * quorum_api_error_get_message:
 *
 * Returns: (nullable): the translated message this client shows for @error
 *   instead of the server's detail, or %NULL to show the server's
 */
const char *
quorum_api_error_get_message (QuorumApiError error)
{
  for (guint i = 0; i < G_N_ELEMENTS (message_table); i++)
    if (message_table[i].error == error)
      return _(message_table[i].message);
  return NULL;
}

guint
quorum_api_error_get_http_status (const GError *error)
{
  QuorumApiErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, 0);

  priv = quorum_api_error_get_private (error);
  return priv != NULL ? priv->http_status : 0;
}

const char *
quorum_api_error_get_code_string (const GError *error)
{
  QuorumApiErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  priv = quorum_api_error_get_private (error);
  return priv != NULL ? priv->code : NULL;
}

guint
quorum_api_error_get_retry_after (const GError *error)
{
  QuorumApiErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, 0);

  priv = quorum_api_error_get_private (error);
  return priv != NULL ? priv->retry_after : 0;
}

/**
 * quorum_api_error_get_detail:
 *
 * Technical detail of @error (a parser's message, an HTTP status line), for
 * a Details expander; the GError message itself stays in plain words.
 *
 * Returns: (nullable): the detail, or %NULL
 */
const char *
quorum_api_error_get_detail (const GError *error)
{
  QuorumApiErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  priv = quorum_api_error_get_private (error);
  return priv != NULL ? priv->detail : NULL;
}

/* Sets the technical detail of @error: kept apart from the message, which
 * stays in plain words. Made valid UTF-8 and cut to a readable length. */
void
_quorum_api_error_set_detail (GError     *error,
                              const char *detail)
{
  QuorumApiErrorPrivate *priv = quorum_api_error_get_private (error);
  g_autofree char *valid = NULL;

  g_return_if_fail (priv != NULL);

  g_clear_pointer (&priv->detail, g_free);
  if (detail == NULL || *detail == '\0')
    return;
  valid = g_utf8_make_valid (detail, -1);
  if (g_utf8_strlen (valid, -1) > 1000)
    {
      g_autofree char *cut = g_utf8_substring (valid, 0, 1000);

      priv->detail = g_strconcat (cut, "…", NULL);
    }
  else
    priv->detail = g_steal_pointer (&valid);
}

const char * const *
quorum_api_error_get_fields (const GError *error)
{
  QuorumApiErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  priv = quorum_api_error_get_private (error);
  return priv != NULL ? (const char * const *) priv->fields : NULL;
}

const char *
quorum_api_error_get_field_message (const GError *error,
                                    const char   *field)
{
  QuorumApiErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  priv = quorum_api_error_get_private (error);
  if (priv == NULL || priv->fields == NULL)
    return NULL;
  for (guint i = 0; priv->fields[i] != NULL; i++)
    if (g_str_equal (priv->fields[i], field))
      return priv->messages[i];
  return NULL;
}

static gboolean
is_hidden_or_control (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:              /* C0, C1 */
    case G_UNICODE_FORMAT:               /* bidi marks, embeddings, overrides, isolates, ZWJ */
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * quorum_api_text_for_display:
 * @text: (nullable): text that came from a server
 *
 * What the UI may show of a server's words: valid UTF-8, every control,
 * format (bidi override, isolate, zero-width), separator and unassigned
 * character dropped, whitespace runs made one space, and at most
 * %QUORUM_API_DISPLAY_MAX_CHARS characters (longer text ends in “…”). So a
 * server cannot draw a fake dialog, reorder the app's own words around its
 * text or push them out of view. Every QUORUM_API_ERROR message and field
 * message goes through it.
 *
 * Returns: (transfer full): the text to show, "" for %NULL
 */
char *
quorum_api_text_for_display (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;
  gboolean space = FALSE;
  guint chars = 0;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (is_hidden_or_control (c))
        continue;
      if (chars + (space ? 1 : 0) >= QUORUM_API_DISPLAY_MAX_CHARS)
        {
          g_string_append (out, "…");
          break;
        }
      if (space)
        {
          g_string_append_c (out, ' ');
          chars++;
          space = FALSE;
        }
      g_string_append_unichar (out, c);
      chars++;
    }
  return g_string_free (out, FALSE);
}

GError *
_quorum_api_error_new (QuorumApiError  code,
                       guint           http_status,
                       const char     *code_string,
                       guint           retry_after,
                       const char     *message)
{
  g_autofree char *shown = quorum_api_text_for_display (message);
  GError *error = g_error_new_literal (QUORUM_API_ERROR, code, shown);
  QuorumApiErrorPrivate *priv = quorum_api_error_get_private (error);

  priv->http_status = http_status;
  priv->code = g_strdup (code_string);
  priv->retry_after = retry_after;
  return error;
}

void
_quorum_api_error_take_fields (GError *error,
                               GStrv   fields,
                               GStrv   messages)
{
  QuorumApiErrorPrivate *priv = quorum_api_error_get_private (error);

  g_return_if_fail (priv != NULL);
  g_return_if_fail (g_strv_length (fields) == g_strv_length (messages));

  for (guint i = 0; messages[i] != NULL; i++)
    {
      char *shown = quorum_api_text_for_display (messages[i]);

      g_free (messages[i]);
      messages[i] = shown;
    }
  g_clear_pointer (&priv->fields, g_strfreev);
  g_clear_pointer (&priv->messages, g_strfreev);
  priv->fields = fields;
  priv->messages = messages;
}
