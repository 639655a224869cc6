/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "quorum-server-util.h"

/* Ids: type prefix + 16 characters of lower-case base32 (80 random bits). */
char *
qs_new_id (const char *prefix)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  guint8 bytes[16];
  GString *id = g_string_new (prefix);

  randombytes_buf (bytes, sizeof bytes);
  for (guint i = 0; i < 16; i++)
    g_string_append_c (id, alphabet[bytes[i] & 31]);
  return g_string_free (id, FALSE);
}

char *
qs_base64url_encode (const guint8 *data,
                     gsize         len)
{
  gsize out_len = sodium_base64_encoded_len (len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = g_malloc (out_len);

  sodium_bin2base64 (out, out_len, data, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

guint8 *
qs_base64url_decode (const char *text,
                     gsize      *out_len)
{
  gsize text_len = strlen (text);
  gsize max = text_len * 3 / 4 + 1;
  guint8 *out = g_malloc (max + 1);
  size_t bin_len = 0;

  if (sodium_base642bin (out, max, text, text_len, NULL, &bin_len, NULL,
                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    {
      g_free (out);
      return NULL;
    }
  out[bin_len] = 0;
  *out_len = bin_len;
  return out;
}

/* 256-bit random tokens, URL-safe base64 (api-v1.md, "Conventions"), after
 * a prefix that says what they are: qrm_s_ session, qrm_v_ e-mail
 * verification, qrm_r_ password reset. */
char *
qs_new_token (const char *prefix)
{
  guint8 bytes[32];
  g_autofree char *b64 = NULL;

  randombytes_buf (bytes, sizeof bytes);
  b64 = qs_base64url_encode (bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);
  return g_strconcat (prefix, b64, NULL);
}

char *
qs_new_session_token (void)
{
  return qs_new_token ("qrm_s_");
}

char *
qs_new_invitation_token (void)
{
  guint8 bytes[32];
  char *b64;

  randombytes_buf (bytes, sizeof bytes);
  b64 = qs_base64url_encode (bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);
  return b64;
}

void
qs_hash_token (const char *token,
               guint8      out[QS_TOKEN_HASH_LEN])
{
  crypto_hash_sha256 (out, (const guint8 *) token, strlen (token));
}

gint64
qs_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

char *
qs_format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00Z");
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

char *
qs_uri_escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}
