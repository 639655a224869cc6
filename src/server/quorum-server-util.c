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

static void
put_digits (char   *out,
            gint64  value,
            guint   width)
{
  for (guint i = width; i > 0; i--, value /= 10)
    out[i - 1] = '0' + value % 10;
}

/* RFC 3339 by arithmetic (days to civil date: Howard Hinnant's algorithm):
 * GDateTime and g_date_time_format () cost a tenth of a members page's
 * time (docs/performance.md). Outside years 1–9999, as GDateTime, the
 * epoch. */
void
qs_format_time_to (gint64 unix_seconds,
                   char   out[QS_TIME_LEN + 1])
{
  gint64 days, secs, era, doe, yoe, doy, mp, year, month, day;

  if (unix_seconds < G_GINT64_CONSTANT (-62135596800) ||
      unix_seconds > G_GINT64_CONSTANT (253402300799))
    unix_seconds = 0;
  days = unix_seconds / 86400;
  secs = unix_seconds % 86400;
  if (secs < 0)
    {
      secs += 86400;
      days--;
    }
  days += 719468;
  era = (days >= 0 ? days : days - 146096) / 146097;
  doe = days - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = yoe + era * 400 + (month <= 2);

  memcpy (out, "0000-00-00T00:00:00Z", QS_TIME_LEN + 1);
  put_digits (out, year, 4);
  put_digits (out + 5, month, 2);
  put_digits (out + 8, day, 2);
  put_digits (out + 11, secs / 3600, 2);
  put_digits (out + 14, secs / 60 % 60, 2);
  put_digits (out + 17, secs % 60, 2);
}

char *
qs_format_time (gint64 unix_seconds)
{
  char text[QS_TIME_LEN + 1];

  qs_format_time_to (unix_seconds, text);
  return g_strdup (text);
}

char *
qs_uri_escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}
