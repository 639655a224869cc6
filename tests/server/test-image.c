/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "quorum-server-parse.h"

static GBytes *
encode (guint       width,
        guint       height,
        const char *format)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, format, &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static void
test_reencodes (void)
{
  const char *types[] = { "image/png", "image/jpeg" };
  const char *formats[] = { "png", "jpeg" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GBytes) image = encode (200, 130, formats[i]);
      g_autoptr(GBytes) again = NULL;
      const guint8 *data = g_bytes_get_data (image, NULL);
      gsize len = g_bytes_get_size (image);
      const char *code = NULL;
      guint width, height;

      g_assert_cmpstr (qs_sniff_logo (data, len, &width, &height), ==, types[i]);
      g_assert_cmpuint (width, ==, 200);
      g_assert_cmpuint (height, ==, 130);
      g_assert_true (qs_logo_is_complete (data, len, types[i]));
      again = qs_logo_reencode (data, len, types[i], width, height, &code);
      g_assert_nonnull (again);
      g_assert_null (code);
      g_assert_cmpstr (qs_sniff_logo (g_bytes_get_data (again, NULL), g_bytes_get_size (again), &width, &height),
                       ==, types[i]);
      g_assert_cmpuint (width, ==, 200);
      g_assert_true (qs_logo_is_complete (g_bytes_get_data (again, NULL), g_bytes_get_size (again), types[i]));
      /* Cut short, the file is not complete, whatever the decoder says. */
      g_assert_false (qs_logo_is_complete (data, len - 8, types[i]));
    }
}

/* If the decoder ever saw another size than the header sniffer read (say a
 * second, larger frame header), its own check stops it before it allocates
 * the pixels: the size in size-prepared must be the sniffed one. */
static void
test_decoder_size_must_match_header (void)
{
  g_autoptr(GBytes) png = encode (200, 130, "png");
  g_autoptr(GBytes) jpeg = encode (200, 130, "jpeg");
  g_autoptr(GBytes) again = NULL;
  const char *code = NULL;

  again = qs_logo_reencode (g_bytes_get_data (png, NULL), g_bytes_get_size (png), "image/png", 130, 130, &code);
  g_assert_null (again);
  g_assert_cmpstr (code, ==, "invalid_dimensions");
  again = qs_logo_reencode (g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), "image/jpeg", 200, 200, &code);
  g_assert_null (again);
  g_assert_cmpstr (code, ==, "invalid_dimensions");
  /* Only the loader of the declared type runs: a PNG is no JPEG. */
  again = qs_logo_reencode (g_bytes_get_data (png, NULL), g_bytes_get_size (png), "image/jpeg", 200, 130, &code);
  g_assert_null (again);
  g_assert_cmpstr (code, ==, "unsupported_format");
  again = qs_logo_reencode (g_bytes_get_data (png, NULL), g_bytes_get_size (png), "image/svg+xml", 200, 130, &code);
  g_assert_null (again);
  g_assert_cmpstr (code, ==, "unsupported_format");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/image/reencodes", test_reencodes);
  g_test_add_func ("/server/image/decoder-size-must-match-header", test_decoder_size_must_match_header);
  return g_test_run ();
}
