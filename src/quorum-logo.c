/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-client.h"
#include "quorum-core.h"
#include "quorum-logo.h"

/*
 * Organization logos on avatars: downloaded once per URL through the app's
 * one SoupSession (logos are public, so no token is ever sent with them),
 * kept for the rest of the run, and shown instead of the initials. Anything
 * that fails — network, size, not an image — leaves the initials.
 */

#define LOGO_URL_KEY "quorum-logo-url"

static GHashTable *textures;  /* URL → GdkTexture */
static GHashTable *failed;    /* URLs that gave no image: not asked again */
static GHashTable *pending;   /* URL → GPtrArray of GWeakRef to the avatars waiting */

typedef struct
{
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *data;
  char         *url;
} LogoLoad;

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

static void apply (AdwAvatar  *avatar,
                   const char *url);

/* Ends a download: every avatar still waiting for it gets the result. */
static void
logo_load_free (LogoLoad *load)
{
  GPtrArray *waiting = g_hash_table_lookup (pending, load->url);

  if (!g_hash_table_contains (textures, load->url))
    g_hash_table_add (failed, g_strdup (load->url));
  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    {
      g_autoptr(AdwAvatar) avatar = g_weak_ref_get (waiting->pdata[i]);

      if (avatar != NULL)
        apply (avatar, load->url);
    }
  g_hash_table_remove (pending, load->url);

  g_clear_object (&load->message);
  g_clear_object (&load->stream);
  g_clear_pointer (&load->data, g_byte_array_unref);
  g_free (load->url);
  g_free (load);
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

static void
finish (LogoLoad *load)
{
  g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&load->data));
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    {
      g_debug ("Logo not shown: %s", error->message);
      logo_load_free (load);
      return;
    }

  g_hash_table_replace (textures, g_strdup (load->url), g_steal_pointer (&texture));
  logo_load_free (load);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  LogoLoad *load = user_data;
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      logo_load_free (load);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      finish (load);
      return;
    }

  /* Never more than the server would ever accept as a logo. */
  if (load->data->len + g_bytes_get_size (chunk) > QUORUM_LOGO_MAX_BYTES)
    {
      g_debug ("Logo not shown: larger than %d bytes", QUORUM_LOGO_MAX_BYTES);
      logo_load_free (load);
      return;
    }

  g_byte_array_append (load->data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (load->stream, 64 * 1024, G_PRIORITY_LOW, NULL, read_cb, load);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  LogoLoad *load = user_data;
  g_autoptr(GError) error = NULL;

  load->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (load->stream == NULL || soup_message_get_status (load->message) != SOUP_STATUS_OK)
    {
      logo_load_free (load);
      return;
    }

  load->data = g_byte_array_new ();
  g_input_stream_read_bytes_async (load->stream, 64 * 1024, G_PRIORITY_LOW, NULL, read_cb, load);
}

/**
 * quorum_avatar_set_logo:
 * @logo_url: (nullable): the organization's logo, or %NULL for initials
 *
 * Shows the logo on @avatar once it is downloaded; the initials until then.
 */
void
quorum_avatar_set_logo (AdwAvatar  *avatar,
                        const char *logo_url)
{
  LogoLoad *load;

  g_return_if_fail (ADW_IS_AVATAR (avatar));

  if (logo_url == NULL || *logo_url == '\0' || !quorum_logo_url_is_valid (logo_url))
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

  load = g_new0 (LogoLoad, 1);
  load->message = soup_message_new ("GET", logo_url);
  if (load->message == NULL)
    {
      g_hash_table_add (failed, g_strdup (logo_url));
      g_free (load);
      return;
    }
  load->url = g_strdup (logo_url);
  add_waiting (logo_url, avatar);
  soup_session_send_async (quorum_client_get_default_session (), load->message, G_PRIORITY_LOW,
                           NULL, sent_cb, load);
}
