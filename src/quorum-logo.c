/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-api-private.h"
#include "quorum-client.h"
#include "quorum-core.h"
#include "quorum-logo.h"

G_DEFINE_QUARK (quorum-logo-error-quark, quorum_logo_error)

#define LOGO_URL_KEY "quorum-logo-url"

static GHashTable *textures;  /* URL → GdkTexture */
static GHashTable *failed;    /* URLs that gave no image: not asked again */
static GHashTable *pending;   /* URL → GPtrArray of GWeakRef to the avatars waiting */

static int
port_of (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

/**
 * quorum_logo_url_same_origin:
 * @logo_url: (nullable): an organization's logo_url
 * @server_url: (nullable): the API server of the account that shows it
 *
 * Whether @logo_url is http(s) on exactly the origin of @server_url (same
 * scheme, host and port), without credentials in it.
 */
gboolean
quorum_logo_url_same_origin (const char *logo_url,
                             const char *server_url)
{
  g_autoptr(GUri) logo = NULL;
  g_autoptr(GUri) server = NULL;

  if (logo_url == NULL || server_url == NULL || !quorum_logo_url_is_valid (logo_url))
    return FALSE;
  logo = g_uri_parse (logo_url, SOUP_HTTP_URI_FLAGS, NULL);
  server = g_uri_parse (server_url, SOUP_HTTP_URI_FLAGS, NULL);
  if (logo == NULL || server == NULL || g_uri_get_host (server) == NULL ||
      g_uri_get_userinfo (logo) != NULL)
    return FALSE;

  return g_ascii_strcasecmp (g_uri_get_scheme (logo), g_uri_get_scheme (server)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (logo), g_uri_get_host (server)) == 0 &&
         port_of (logo) == port_of (server);
}

/* Decoding */

typedef struct
{
  gboolean too_large;
} SizeCheck;

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  SizeCheck       *check)
{
  if (width > QUORUM_LOGO_MAX_SIDE || height > QUORUM_LOGO_MAX_SIDE || width <= 0 || height <= 0)
    {
      check->too_large = TRUE;
      /* A zero size makes the PNG and JPEG loaders stop before they
       * allocate the image. */
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

/**
 * quorum_logo_decode:
 * @bytes: a downloaded logo, at most %QUORUM_LOGO_MAX_BYTES
 *
 * Returns: (transfer full) (nullable): the image, or %NULL with a
 *   %QUORUM_LOGO_ERROR
 */
GdkTexture *
quorum_logo_decode (GBytes  *bytes,
                    GError **error)
{
  static const guint8 png_magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 jpeg_magic[] = { 0xff, 0xd8, 0xff };
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  SizeCheck check = { FALSE };
  const guint8 *data;
  const char *type;
  GdkPixbuf *pixbuf;
  gsize length;
  gboolean ok;

  data = g_bytes_get_data (bytes, &length);
  if (length > QUORUM_LOGO_MAX_BYTES)
    {
      g_set_error_literal (error, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_TOO_LARGE, "The logo is too large");
      return NULL;
    }
  if (length >= sizeof png_magic && memcmp (data, png_magic, sizeof png_magic) == 0)
    type = "png";
  else if (length >= sizeof jpeg_magic && memcmp (data, jpeg_magic, sizeof jpeg_magic) == 0)
    type = "jpeg";
  else
    {
      g_set_error_literal (error, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_FORMAT, "The logo is neither PNG nor JPEG");
      return NULL;
    }

  /* That format's decoder only, whatever else gdk-pixbuf could load. */
  loader = gdk_pixbuf_loader_new_with_type (type, &local_error);
  if (loader == NULL)
    {
      g_set_error (error, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_DECODE, "No %s decoder: %s", type,
                   local_error->message);
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &check);

  ok = gdk_pixbuf_loader_write (loader, data, length, &local_error);
  /* Closing is needed even after a failed write. */
  ok = gdk_pixbuf_loader_close (loader, ok ? &local_error : NULL) && ok;
  if (check.too_large)
    {
      g_set_error (error, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_DIMENSIONS,
                   "The logo is larger than %d×%d pixels", QUORUM_LOGO_MAX_SIDE, QUORUM_LOGO_MAX_SIDE);
      return NULL;
    }
  pixbuf = ok ? gdk_pixbuf_loader_get_pixbuf (loader) : NULL;
  if (pixbuf == NULL)
    {
      g_set_error (error, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_DECODE, "The logo does not decode: %s",
                   local_error != NULL ? local_error->message : "no image");
      return NULL;
    }

  return gdk_texture_new_for_pixbuf (pixbuf);
}

/* Downloading */

typedef struct
{
  SoupMessage  *message;
  GInputStream *stream;
} Download;

static void
download_free (Download *download)
{
  g_clear_object (&download->message);
  g_clear_object (&download->stream);
  g_free (download);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  GdkTexture *texture;

  bytes = quorum_read_bounded_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    {
      g_clear_error (&error);
      g_task_return_new_error (task, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_TOO_LARGE,
                               "The logo is larger than %d bytes", QUORUM_LOGO_MAX_BYTES);
      return;
    }
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  texture = quorum_logo_decode (bytes, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  download->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (download->stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (soup_message_get_status (download->message) != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_HTTP, "The server answered %u",
                               soup_message_get_status (download->message));
      return;
    }
  if (soup_message_headers_get_content_length (soup_message_get_response_headers (download->message)) >
      QUORUM_LOGO_MAX_BYTES)
    {
      g_task_return_new_error (task, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_TOO_LARGE,
                               "The logo is larger than %d bytes", QUORUM_LOGO_MAX_BYTES);
      return;
    }

  /* Never more than the server would ever accept as a logo. */
  cancellable = g_task_get_cancellable (task);
  quorum_read_bounded_async (download->stream, QUORUM_LOGO_MAX_BYTES, G_PRIORITY_LOW, cancellable,
                             read_cb, g_steal_pointer (&task));
}

/**
 * quorum_logo_load_async:
 * @logo_url: an organization's logo_url
 * @server_url: (nullable): the API server of the account that shows it
 *
 * Downloads and decodes a logo under the rules above; a URL off the
 * server's origin fails with %QUORUM_LOGO_ERROR_ORIGIN and no request.
 */
void
quorum_logo_load_async (const char          *logo_url,
                        const char          *server_url,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Download *download;

  g_task_set_source_tag (task, quorum_logo_load_async);
  if (!quorum_logo_url_same_origin (logo_url, server_url))
    {
      g_task_return_new_error (task, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_ORIGIN,
                               "The logo is not on the server's own address");
      return;
    }

  download = g_new0 (Download, 1);
  g_task_set_task_data (task, download, (GDestroyNotify) download_free);
  download->message = soup_message_new (SOUP_METHOD_GET, logo_url);
  if (download->message == NULL)
    {
      g_task_return_new_error (task, QUORUM_LOGO_ERROR, QUORUM_LOGO_ERROR_ORIGIN, "Not a valid logo address");
      return;
    }
  soup_message_add_flags (download->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (download->message), "Accept",
                                "image/png, image/jpeg");
  soup_session_send_async (quorum_client_get_default_session (), download->message, G_PRIORITY_LOW,
                           cancellable, sent_cb, g_object_ref (task));
}

GdkTexture *
quorum_logo_load_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Avatars */

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

static void
add_waiting (const char *url,
             AdwAvatar  *avatar)
{
  GPtrArray *waiting = g_hash_table_lookup (pending, url);
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  if (waiting == NULL)
    {
      waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) weak_ref_free);
      g_hash_table_insert (pending, g_strdup (url), waiting);
    }
  g_weak_ref_init (ref, avatar);
  g_ptr_array_add (waiting, ref);
}

static void
apply (AdwAvatar  *avatar,
       const char *url)
{
  GdkTexture *texture = g_hash_table_lookup (textures, url);

  /* Only if the avatar still wants this logo. */
  if (g_strcmp0 (g_object_get_data (G_OBJECT (avatar), LOGO_URL_KEY), url) == 0)
    adw_avatar_set_custom_image (avatar, GDK_PAINTABLE (texture));
}

/* Ends a download: every avatar still waiting for it gets the result. */
static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree char *url = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = quorum_logo_load_finish (result, &error);
  GPtrArray *waiting = g_hash_table_lookup (pending, url);

  if (texture != NULL)
    g_hash_table_replace (textures, g_strdup (url), g_steal_pointer (&texture));
  else
    {
      g_debug ("Logo not shown: %s", error->message);
      g_hash_table_add (failed, g_strdup (url));
    }

  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    {
      g_autoptr(AdwAvatar) avatar = g_weak_ref_get (waiting->pdata[i]);

      if (avatar != NULL)
        apply (avatar, url);
    }
  g_hash_table_remove (pending, url);
}

/**
 * quorum_avatar_set_logo:
 * @logo_url: (nullable): the organization's logo, or %NULL for initials
 * @server_url: (nullable): the API server of the account that shows it;
 *   a logo elsewhere is not fetched and the initials stay
 *
 * Shows the logo on @avatar once it is downloaded; the initials until then.
 */
void
quorum_avatar_set_logo (AdwAvatar  *avatar,
                        const char *logo_url,
                        const char *server_url)
{
  g_return_if_fail (ADW_IS_AVATAR (avatar));

  if (!quorum_logo_url_same_origin (logo_url, server_url))
    {
      g_object_set_data (G_OBJECT (avatar), LOGO_URL_KEY, NULL);
      adw_avatar_set_custom_image (avatar, NULL);
      return;
    }

  if (textures == NULL)
    {
      textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
    }

  g_object_set_data_full (G_OBJECT (avatar), LOGO_URL_KEY, g_strdup (logo_url), g_free);
  apply (avatar, logo_url);  /* the logo if known, else the initials */
  if (g_hash_table_contains (textures, logo_url) || g_hash_table_contains (failed, logo_url))
    return;

  /* One download per URL, however many avatars show it. */
  if (g_hash_table_contains (pending, logo_url))
    {
      add_waiting (logo_url, avatar);
      return;
    }
  add_waiting (logo_url, avatar);
  quorum_logo_load_async (logo_url, server_url, NULL, loaded_cb, g_strdup (logo_url));
}
