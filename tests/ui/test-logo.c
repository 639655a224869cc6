/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-logo.h"
#include "quorum-ui-test.h"

/*
 * Organization logos come from an admin and are fetched on every member's
 * desktop: only from the API server's origin, no redirect, a byte cap while
 * reading, a pixel cap before decoding, PNG and JPEG only. Two SoupServers
 * in the test: the "API server" that serves logos, and another origin that
 * records whether anything reached it.
 */

typedef struct
{
  SoupServer *soup;
  char       *url;
  guint       requests;
  GBytes     *body;          /* what /logo answers */
  const char *content_type;
  gboolean    chunked;       /* no Content-Length: the cap must apply while reading */
  char       *redirect;      /* answer /logo with a 302 to this */
} Site;

static void
site_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Site *site = user_data;

  site->requests++;
  if (site->redirect != NULL)
    {
      soup_server_message_set_redirect (msg, 302, site->redirect);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         site->content_type, NULL);
  if (site->chunked)
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);

      soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                         SOUP_ENCODING_CHUNKED);
      soup_message_body_append_bytes (body, site->body);
      soup_message_body_complete (body);
    }
  else
    soup_server_message_set_response (msg, site->content_type, SOUP_MEMORY_COPY,
                                      g_bytes_get_data (site->body, NULL), g_bytes_get_size (site->body));
}

static Site *
site_new (void)
{
  Site *site = g_new0 (Site, 1);

  site->soup = soup_server_new (NULL, NULL);
  site->content_type = "image/png";
  soup_server_add_handler (site->soup, NULL, site_cb, site, NULL);
  site->url = quorum_test_soup_listen (site->soup, 0);
  return site;
}

static void
site_free (Site *site)
{
  soup_server_disconnect (site->soup);
  g_object_unref (site->soup);
  g_clear_pointer (&site->body, g_bytes_unref);
  g_free (site->redirect);
  g_free (site->url);
  g_free (site);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Site, site_free)

static GBytes *
png_of_size (int width,
             int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize length = 0;

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", &error, NULL));
  return g_bytes_new_take (buffer, length);
}

static guint32
crc32_of (const guint8 *data,
          gsize         length)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }
  return ~crc;
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              guint32       length)
{
  guint32 be = GUINT32_TO_BE (length);
  guint32 crc;
  guint start;

  g_byte_array_append (png, (const guint8 *) &be, 4);
  start = png->len;
  g_byte_array_append (png, (const guint8 *) type, 4);
  if (length > 0)
    g_byte_array_append (png, data, length);
  crc = GUINT32_TO_BE (crc32_of (png->data + start, length + 4));
  g_byte_array_append (png, (const guint8 *) &crc, 4);
}

/* A PNG that claims 100000×100000 pixels (40 GB of RGBA) in a few bytes: a
 * valid header, one row of compressed data. */
static GBytes *
png_bomb (void)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 idat[] = { 0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01 };
  guint8 ihdr[13] = { 0 };
  guint32 side = GUINT32_TO_BE (100000);
  GByteArray *png = g_byte_array_new ();

  memcpy (ihdr, &side, 4);
  memcpy (ihdr + 4, &side, 4);
  ihdr[8] = 8;   /* bit depth */
  ihdr[9] = 6;   /* RGBA */
  g_byte_array_append (png, signature, sizeof signature);
  append_chunk (png, "IHDR", ihdr, sizeof ihdr);
  append_chunk (png, "IDAT", idat, sizeof idat);
  append_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (png);
}

static GdkTexture *
load (const char  *logo_url,
      const char  *server_url,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  quorum_logo_load_async (logo_url, server_url, NULL, ui_store_result, &result);
  return quorum_logo_load_finish (ui_wait_result (&result), error);
}

static void
test_same_origin_png (void)
{
  g_autoptr(Site) api = site_new ();
  g_autofree char *logo_url = g_strconcat (api->url, "/v1/organizations/org_1/logo", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  api->body = png_of_size (64, 48);
  texture = load (logo_url, api->url, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 64);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 48);
  g_assert_cmpuint (api->requests, ==, 1);
}

static void
test_other_origin_not_fetched (void)
{
  g_autoptr(Site) api = site_new ();
  g_autoptr(Site) other = site_new ();
  g_autofree char *elsewhere = g_strconcat (other->url, "/logo.png", NULL);
  g_autoptr(GUri) other_uri = g_uri_parse (other->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *other_host = g_strdup_printf ("http://localhost:%d/logo.png", g_uri_get_port (other_uri));
  g_autofree char *https = g_strdup_printf ("https://127.0.0.1:%d/logo.png", g_uri_get_port (other_uri));
  const char *urls[] = { elsewhere, other_host, https, "http://169.254.169.254/latest/meta-data/logo.png",
                         "http://127.0.0.1/logo.png" };

  other->body = png_of_size (16, 16);
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = load (urls[i], api->url, &error);

      g_test_message ("%s", urls[i]);
      g_assert_null (texture);
      g_assert_error (error, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_ORIGIN);
    }
  g_assert_cmpuint (other->requests, ==, 0);
  g_assert_cmpuint (api->requests, ==, 0);

  /* A redirect from the server itself is not followed either. */
  {
    g_autofree char *logo_url = g_strconcat (api->url, "/logo", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GdkTexture) texture = NULL;

    api->redirect = g_strdup (elsewhere);
    texture = load (logo_url, api->url, &error);
    g_assert_null (texture);
    g_assert_error (error, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_HTTP);
    g_assert_cmpuint (api->requests, ==, 1);
    g_assert_cmpuint (other->requests, ==, 0);
  }
}

static void
test_avatar_keeps_initials_for_other_origin (void)
{
  g_autoptr(Site) api = site_new ();
  g_autoptr(Site) other = site_new ();
  g_autofree char *elsewhere = g_strconcat (other->url, "/logo.png", NULL);
  g_autofree char *here = g_strconcat (api->url, "/logo.png", NULL);
  AdwAvatar *avatar = ADW_AVATAR (g_object_ref_sink (adw_avatar_new (32, "Acme", TRUE)));

  other->body = png_of_size (16, 16);
  api->body = png_of_size (16, 16);
  quorum_avatar_set_logo (avatar, elsewhere, api->url);
  quorum_avatar_set_logo (avatar, here, api->url);
  quorum_test_wait_for (adw_avatar_get_custom_image (avatar) != NULL, QUORUM_TEST_WAIT_SECONDS);
  g_assert_cmpuint (other->requests, ==, 0);
  g_assert_cmpuint (api->requests, ==, 1);
  g_object_unref (avatar);
}

static void
test_oversized_body (void)
{
  g_autoptr(Site) api = site_new ();
  g_autofree char *logo_url = g_strconcat (api->url, "/logo", NULL);
  g_autoptr(GBytes) png = png_of_size (8, 8);
  GByteArray *big = g_byte_array_sized_new (QUORUM_LOGO_MAX_BYTES + 65536);

  /* A real PNG followed by padding: only the size is wrong. */
  g_byte_array_append (big, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  g_byte_array_set_size (big, QUORUM_LOGO_MAX_BYTES + 65536);
  api->body = g_byte_array_free_to_bytes (big);

  for (guint chunked = 0; chunked <= 1; chunked++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = NULL;

      api->chunked = chunked;
      texture = load (logo_url, api->url, &error);
      g_assert_null (texture);
      g_assert_error (error, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_TOO_LARGE);
    }
}

static void
test_huge_dimensions (void)
{
  g_autoptr(Site) api = site_new ();
  g_autofree char *logo_url = g_strconcat (api->url, "/logo", NULL);
  GBytes *bodies[] = { png_bomb (), png_of_size (QUORUM_LOGO_MAX_SIDE + 1, 4),
                       png_of_size (4, QUORUM_LOGO_MAX_SIDE + 1) };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = NULL;

      g_clear_pointer (&api->body, g_bytes_unref);
      api->body = bodies[i];
      texture = load (logo_url, api->url, &error);
      g_assert_null (texture);
      g_assert_error (error, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_DIMENSIONS);
    }
}

static void
test_other_formats_refused (void)
{
  /* A 1×1 GIF, an SVG, a BMP: each would load through gdk-pixbuf. */
  static const guint8 gif[] = {
    'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff,
    0x21, 0xf9, 4, 1, 0, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b,
  };
  static const char svg[] = "<svg xmlns='http://www.w3.org/2000/svg' width='16' height='16'>"
                            "<rect width='16' height='16' fill='red'/></svg>";
  g_autoptr(Site) api = site_new ();
  g_autofree char *logo_url = g_strconcat (api->url, "/logo", NULL);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4, 4);
  char *bmp = NULL;
  gsize bmp_length = 0;
  GBytes *bodies[3];

  gdk_pixbuf_fill (pixbuf, 0xff0000ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &bmp, &bmp_length, "bmp", NULL, NULL));
  bodies[0] = g_bytes_new_static (gif, sizeof gif);
  bodies[1] = g_bytes_new_static (svg, strlen (svg));
  bodies[2] = g_bytes_new_take (bmp, bmp_length);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = NULL;

      g_clear_pointer (&api->body, g_bytes_unref);
      api->body = bodies[i];
      /* Whatever the server says the type is. */
      api->content_type = "image/png";
      texture = load (logo_url, api->url, &error);
      g_assert_null (texture);
      g_assert_error (error, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_FORMAT);
    }
}

int
main (int   argc,
      char *argv[])
{
  quorum_test_settings_init ();  /* before anything reads settings */
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/logo/same-origin-png", test_same_origin_png);
  g_test_add_func ("/ui/logo/other-origin-not-fetched", test_other_origin_not_fetched);
  g_test_add_func ("/ui/logo/avatar-keeps-initials-for-other-origin", test_avatar_keeps_initials_for_other_origin);
  g_test_add_func ("/ui/logo/oversized-body", test_oversized_body);
  g_test_add_func ("/ui/logo/huge-dimensions", test_huge_dimensions);
  g_test_add_func ("/ui/logo/other-formats-refused", test_other_formats_refused);

  return g_test_run ();
}
