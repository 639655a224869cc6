/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "quorum-server-parse.h"

typedef struct
{
  guint    width;
  guint    height;
  gboolean refused;
} SizeCheck;

/* The decoder's own view of the size, before it allocates a single pixel:
 * it must be the one the header sniffer read and within the limits, else
 * asking for 0×0 makes the PNG and JPEG loaders stop with an error. */
static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  SizeCheck       *check)
{
  if (width <= 0 || height <= 0 || (guint) width != check->width || (guint) height != check->height ||
      (guint) width > QS_LOGO_MAX_SIDE || (guint) height > QS_LOGO_MAX_SIDE)
    {
      check->refused = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

/* The incremental loaders leave rows they never got as they were in memory:
 * start from transparent black so no byte of the heap can reach an image. */
static void
area_prepared_cb (GdkPixbufLoader *loader)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);

  if (pixbuf != NULL)
    gdk_pixbuf_fill (pixbuf, 0);
}

/* Decodes a PNG or JPEG whose header qs_sniff_logo () read as width×height
 * (already checked against the limits), with the loader of that one type
 * only, and encodes the pixels again in the same format: what is stored and
 * served is what the decoder made of the image, without trailing bytes,
 * metadata or anything a viewer could read differently. */
GBytes *
qs_logo_reencode (const guint8  *data,
                  gsize          len,
                  const char    *type,
                  guint          width,
                  guint          height,
                  const char   **error_code)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  SizeCheck check = { width, height, FALSE };
  GdkPixbuf *pixbuf;
  gsize size = 0;
  gboolean png = g_strcmp0 (type, "image/png") == 0;
  gboolean ok = TRUE;

  *error_code = "unsupported_format";
  if (!png && g_strcmp0 (type, "image/jpeg") != 0)
    return NULL;
  if (width == 0 || height == 0 || width > QS_LOGO_MAX_SIDE || height > QS_LOGO_MAX_SIDE)
    {
      *error_code = "invalid_dimensions";
      return NULL;
    }

  loader = gdk_pixbuf_loader_new_with_type (png ? "png" : "jpeg", &error);
  if (loader == NULL)
    return NULL;
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &check);
  g_signal_connect (loader, "area-prepared", G_CALLBACK (area_prepared_cb), NULL);

  /* In pieces, so a refused size stops the work early. */
  for (gsize offset = 0; ok && offset < len && !check.refused; offset += 64 * 1024)
    ok = gdk_pixbuf_loader_write (loader, data + offset, MIN (64 * 1024, len - offset), &error);
  /* close () says whether the image was complete: a truncated one fails. */
  ok = gdk_pixbuf_loader_close (loader, ok ? &error : NULL) && ok;

  if (check.refused)
    {
      *error_code = "invalid_dimensions";
      return NULL;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (!ok || pixbuf == NULL || (guint) gdk_pixbuf_get_width (pixbuf) != width ||
      (guint) gdk_pixbuf_get_height (pixbuf) != height)
    return NULL;

  /* EXIF orientation is applied, then dropped with the rest of the metadata. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (oriented == NULL ||
      !(png ? gdk_pixbuf_save_to_buffer (oriented, &buffer, &size, "png", &error, NULL)
            : gdk_pixbuf_save_to_buffer (oriented, &buffer, &size, "jpeg", &error, "quality", "90", NULL)))
    return NULL;

  *error_code = NULL;
  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}
