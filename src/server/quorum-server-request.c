/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sodium.h>

#include "quorum-server-forwarded.h"
#include "quorum-server-request.h"
#include "quorum-server-state.h"

QsRequest *
qs_request_new (QsServer          *server,
                QsStore           *store,
                SoupServerMessage *msg,
                GHashTable        *query,
                GBytes            *body)
{
  QsRequest *req = g_new0 (QsRequest, 1);

  req->server = server;
  req->store = store;
  req->msg = g_object_ref (msg);
  req->method = soup_server_message_get_method (msg);
  req->query = query != NULL ? g_hash_table_ref (query) : NULL;
  req->body_bytes = body;
  req->body = g_bytes_get_data (req->body_bytes, &req->body_len);
  if (req->body == NULL)
    req->body = "";
  return req;
}

void
qs_request_free (QsRequest *req)
{
  g_free (req->user_id);
  g_free (req->user_name);
  g_free (req->user_email);
  g_free (req->client_address);
  g_clear_pointer (&req->api_key, qs_store_api_key_free);
  sodium_memzero (req->token_hash, sizeof req->token_hash);
  g_clear_pointer (&req->membership, qs_store_member_free);
  g_clear_pointer (&req->body_bytes, g_bytes_unref);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->params, g_hash_table_unref);
  g_clear_object (&req->msg);
  g_free (req);
}

const char *
qs_request_param (QsRequest  *req,
                  const char *name)
{
  const char *value = req->params != NULL ? g_hash_table_lookup (req->params, name) : NULL;

  g_assert (value != NULL);
  return value;
}

const QsStoreMember *
qs_request_membership (QsRequest *req)
{
  g_assert (req->membership != NULL);
  return req->membership;
}

const char *
qs_query (QsRequest  *req,
          const char *name)
{
  const char *value = req->query ? g_hash_table_lookup (req->query, name) : NULL;

  return value != NULL && *value != '\0' ? value : NULL;
}

guint
qs_query_limit (QsRequest *req,
                guint      fallback,
                GPtrArray *errors)
{
  const char *text = qs_query (req, "limit");
  guint64 value = 0;

  if (text == NULL)
    return fallback;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT, &value, NULL))
    {
      qs_field_errors_add (errors, "limit", "invalid", "A whole number from 1 to 200.");
      return fallback;
    }
  return MIN (value, 200);
}

const char *
qs_client_address (QsRequest *req)
{
  const char *host;

  if (req->client_address != NULL)
    return req->client_address;
  host = soup_server_message_get_remote_host (req->msg);
  if (host == NULL)
    return "?";
  req->client_address =
    qs_forwarded_client (req->server->trusted_proxies, host,
                         soup_message_headers_get_list (soup_server_message_get_request_headers (req->msg),
                                                        "X-Forwarded-For"));
  return req->client_address;
}

QsActorKind
qs_request_actor_kind (QsRequest *req)
{
  return req->api_key != NULL ? QS_ACTOR_API_KEY : QS_ACTOR_USER;
}

const char *
qs_request_actor_id (QsRequest *req)
{
  g_assert (req->api_key != NULL || req->user_id != NULL);
  return req->api_key != NULL ? req->api_key->id : req->user_id;
}

const char *
qs_request_actor_name (QsRequest *req)
{
  g_assert (req->api_key != NULL || req->user_name != NULL);
  return req->api_key != NULL ? req->api_key->name : req->user_name;
}

const char *
qs_request_actor_kind_name (QsRequest *req)
{
  return req->api_key != NULL ? "api_key" : "user";
}

const char *
qs_request_responsible_user_id (QsRequest *req)
{
  return req->api_key != NULL ? req->api_key->created_by : req->user_id;
}
