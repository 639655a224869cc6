/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "quorum-test-receiver.h"
#include "quorum-test-server.h"

struct _QuorumTestReceiver
{
  SoupServer *soup;
  char       *url;
  guint       status;
  guint       count;
  GBytes     *last_body;
  char       *last_signature;
  char       *last_type;
};

static void
hook_cb (SoupServer        *soup,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  QuorumTestReceiver *receiver = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  const char *signature;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (g_strcmp0 (soup_server_message_get_method (message), "POST") != 0)
    {
      soup_server_message_set_status (message, 405, NULL);
      return;
    }

  receiver->count++;
  g_clear_pointer (&receiver->last_body, g_bytes_unref);
  receiver->last_body = soup_message_body_flatten (body);
  signature = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                            "Quorum-Signature");
  g_free (receiver->last_signature);
  receiver->last_signature = g_strdup (signature);
  g_clear_pointer (&receiver->last_type, g_free);
  if (json_parser_load_from_data (parser, g_bytes_get_data (receiver->last_body, NULL),
                                  g_bytes_get_size (receiver->last_body), NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    receiver->last_type = g_strdup (json_object_get_string_member_with_default (
                                      json_node_get_object (json_parser_get_root (parser)), "type", NULL));

  soup_server_message_set_status (message, receiver->status, NULL);
  soup_server_message_set_response (message, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
}

QuorumTestReceiver *
quorum_test_receiver_new (void)
{
  QuorumTestReceiver *receiver = g_new0 (QuorumTestReceiver, 1);
  g_autofree char *base = NULL;

  receiver->status = 200;
  receiver->soup = soup_server_new (NULL, NULL);
  soup_server_add_handler (receiver->soup, NULL, hook_cb, receiver, NULL);
  base = quorum_test_soup_listen (receiver->soup, 0);
  receiver->url = g_strconcat (base, "/hook", NULL);
  return receiver;
}

void
quorum_test_receiver_free (QuorumTestReceiver *receiver)
{
  soup_server_disconnect (receiver->soup);
  g_clear_object (&receiver->soup);
  g_free (receiver->url);
  g_clear_pointer (&receiver->last_body, g_bytes_unref);
  g_free (receiver->last_signature);
  g_free (receiver->last_type);
  g_free (receiver);
}

const char *
quorum_test_receiver_get_url (QuorumTestReceiver *receiver)
{
  return receiver->url;
}

guint
quorum_test_receiver_get_count (QuorumTestReceiver *receiver)
{
  return receiver->count;
}

void
quorum_test_receiver_set_status (QuorumTestReceiver *receiver,
                                 guint               status)
{
  receiver->status = status;
}

const char *
quorum_test_receiver_get_last_type (QuorumTestReceiver *receiver)
{
  return receiver->last_type;
}

gboolean
quorum_test_receiver_last_signed_with (QuorumTestReceiver *receiver,
                                       const char         *secret)
{
  g_auto(GStrv) parts = NULL;
  const char *t = NULL;
  const char *v1 = NULL;
  g_autoptr(GHmac) hmac = NULL;

  if (receiver->last_signature == NULL || receiver->last_body == NULL)
    return FALSE;
  parts = g_strsplit (receiver->last_signature, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_has_prefix (parts[i], "t="))
      t = parts[i] + 2;
    else if (g_str_has_prefix (parts[i], "v1="))
      v1 = parts[i] + 3;
  if (t == NULL || v1 == NULL)
    return FALSE;

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  g_hmac_update (hmac, (const guchar *) t, strlen (t));
  g_hmac_update (hmac, (const guchar *) ".", 1);
  g_hmac_update (hmac, g_bytes_get_data (receiver->last_body, NULL), g_bytes_get_size (receiver->last_body));
  return g_str_equal (g_hmac_get_string (hmac), v1);
}
