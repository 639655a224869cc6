/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>
#include <glib/gstdio.h>

#include "quorum-server-http.h"
#include "quorum-server-routes.h"
#include "quorum-server-forwarded.h"
#include "quorum-server-state.h"

/*
 * The SoupServer, its lifecycle, and the glue from a message to the route
 * table: what a route answers is in quorum-server-routes.c, how it answers
 * in quorum-server-http.c.
 */

static void
message_finished_cb (SoupServerMessage *msg,
                     QsServer          *server)
{
  g_assert (server->in_flight > 0);
  server->in_flight--;
}

static void
server_handler_cb (SoupServer        *soup,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  QsServer *server = user_data;
  QsRequest *req;
  const char *content_type;

  server->in_flight++;
  g_signal_connect (msg, "finished", G_CALLBACK (message_finished_cb), server);

  if (server->shutting_down)
    {
      qs_msg_respond_error (msg, 503, "shutting_down", "The server is shutting down.");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      return;
    }

  /* On the heap: a handler waiting for a password job outlives this call. */
  req = qs_request_new (server, server->store, msg, query, qs_http_take_body (msg));

  content_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  if (req->body_len > 0 && content_type != NULL &&
      qs_routes_body_kind (req->method, path) == QS_BODY_JSON &&
      g_ascii_strcasecmp (content_type, "application/json") != 0)
    {
      qs_msg_respond_error (msg, 415, "unsupported_media_type", "Send the body as application/json.");
      qs_request_free (req);
      return;
    }

  qs_store_request_started (server->store);
  qs_routes_dispatch (req, path);
  qs_store_request_finished (server->store);

  /* Else a password job holds it and frees it once answered. */
  if (req->async_ops == 0)
    qs_request_free (req);
}

/* Before the body is read: the route decides how much it may send. */
static void
early_handler_cb (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  QsBodyKind kind = qs_routes_body_kind (soup_server_message_get_method (msg), path);

  qs_http_read_body (msg, kind == QS_BODY_IMAGE ? QS_LOGO_LIMIT : QS_BODY_LIMIT);
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    QsServer          *server)
{
  qs_http_log_started (msg);
}

static void
request_finished_cb (SoupServer        *soup,
                     SoupServerMessage *msg,
                     QsServer          *server)
{
  qs_http_log_finished (msg);
}

void
qs_server_print_routes (void)
{
  static const char * const access[] = { "public", "session", "verified" };
  guint n_routes;
  const QsRoute *routes = qs_routes_get (&n_routes);

  for (guint i = 0; i < n_routes; i++)
    g_print ("%s %s %s%s%s%s%s%s\n", routes[i].method, routes[i].pattern, access[routes[i].access],
             routes[i].org_scoped ? " " : "",
             routes[i].org_scoped ? quorum_permission_to_string (routes[i].permission) : "",
             routes[i].rechecked ? " rechecked" : "",
             routes[i].scope != QUORUM_SCOPE_NONE ? " scope=" : "",
             routes[i].scope != QUORUM_SCOPE_NONE ? quorum_scope_to_string (routes[i].scope) : "");
}

/* ------------------------------------------------------------- lifecycle */

static void
server_free_config (QsConfig *config)
{
  g_free (config->data_dir);
  g_free (config->database);
  g_free (config->listen);
  g_free (config->public_url);
  g_free (config->get_app_url);
  g_free (config->smtp);
  g_free (config->default_plan);
  g_strfreev (config->trusted_proxies);
}

QsServer *
qs_server_new (const QsConfig  *config,
               GError         **error)
{
  QsServer *server;
  g_autofree char *db_path = NULL;

  if (sodium_init () < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libsodium failed to initialize");
      return NULL;
    }

  server = g_new0 (QsServer, 1);
  server->config = *config;
  server->config.data_dir = g_strdup (config->data_dir);
  server->config.database = g_strdup (config->database);
  server->config.listen = g_strdup (config->listen ? config->listen : "127.0.0.1");
  server->config.public_url = g_strdup (config->public_url);
  server->config.get_app_url = g_strdup (config->get_app_url ? config->get_app_url : HOMEPAGE_URL);
  server->config.smtp = g_strdup (config->smtp);
  server->config.default_plan = g_strdup (config->default_plan);
  server->config.trusted_proxies = g_strdupv (config->trusted_proxies);
  server->trusted_proxies = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; config->trusted_proxies != NULL && config->trusted_proxies[i] != NULL; i++)
    if (!qs_trusted_proxies_add (server->trusted_proxies, config->trusted_proxies[i], error))
      {
        qs_server_free (server);
        return NULL;
      }

  switch (config->hash_cost)
    {
    case QS_HASH_COST_MIN:
      server->opslimit = crypto_pwhash_OPSLIMIT_MIN;
      server->memlimit = crypto_pwhash_MEMLIMIT_MIN;
      break;
    case QS_HASH_COST_MODERATE:
      server->opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
      server->memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
      break;
    case QS_HASH_COST_INTERACTIVE:
    default:
      server->opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      server->memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      break;
    }

  server->member_exports_by_org = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server->outbox_dir = g_build_filename (config->data_dir, "outbox", NULL);
  server->webhook_cancellable = g_cancellable_new ();

  if (g_mkdir_with_parents (config->data_dir, 0700) != 0 ||
      g_mkdir_with_parents (server->outbox_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", server->outbox_dir);
      qs_server_free (server);
      return NULL;
    }

  db_path = config->database != NULL ? g_strdup (config->database)
                                     : g_build_filename (config->data_dir, "quorum.db", NULL);
  server->store = qs_store_open (db_path, error);
  if (server->store == NULL || !qs_password_init (server, error))
    {
      qs_server_free (server);
      return NULL;
    }
  if (config->default_plan != NULL && !qs_store_set_default_plan (server->store, config->default_plan))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--default-plan: no plan “%s”",
                   config->default_plan);
      qs_server_free (server);
      return NULL;
    }

  return server;
}

gboolean
qs_server_listen (QsServer  *server,
                  GError   **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (server->config.listen);
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *host = NULL;

  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--listen must be an IP address, not “%s”", server->config.listen);
      return FALSE;
    }

  server->soup = soup_server_new ("server-header", "quorum-server/" PACKAGE_VERSION, NULL);
  soup_server_add_early_handler (server->soup, NULL, early_handler_cb, server, NULL);
  soup_server_add_handler (server->soup, NULL, server_handler_cb, server, NULL);
  g_signal_connect (server->soup, "request-started", G_CALLBACK (request_started_cb), server);
  g_signal_connect (server->soup, "request-finished", G_CALLBACK (request_finished_cb), server);

  socket_address = g_inet_socket_address_new (address, server->config.port);
  if (!soup_server_listen (server->soup, socket_address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (server->soup);
  if (uris == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "not listening");
      return FALSE;
    }
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    host = g_strdup_printf ("[%s]", server->config.listen);
  else
    host = g_strdup (server->config.listen);
  server->url = g_strdup_printf ("http://%s:%d", host, g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  if (server->config.public_url != NULL)
    {
      server->public_url = g_strdup (server->config.public_url);
      while (g_str_has_suffix (server->public_url, "/"))
        server->public_url[strlen (server->public_url) - 1] = '\0';
    }
  else
    server->public_url = g_strdup (server->url);

  if (server->config.demo && !qs_demo_seed (server, error))
    return FALSE;

  qs_purge_start (server);
  qs_usage_cubes_preload (server);
  qs_webhook_queue_start (server);
  return TRUE;
}

int
qs_server_migrate (const char  *database,
                   GError     **error)
{
  return qs_store_migrate (database, error);
}

const char *
qs_server_get_url (QsServer *server)
{
  return server->url;
}

static gboolean
drain_cb (gpointer user_data)
{
  QsServer *server = user_data;

  if (server->in_flight > 0 && g_get_monotonic_time () < server->drain_deadline)
    return G_SOURCE_CONTINUE;

  server->drain_source = 0;
  soup_server_disconnect (server->soup);
  if (server->shutdown_done != NULL)
    server->shutdown_done (server->shutdown_data);
  return G_SOURCE_REMOVE;
}

void
qs_server_shutdown (QsServer    *server,
                    GSourceFunc  done,
                    gpointer     user_data)
{
  if (server->shutting_down)
    return;
  server->shutting_down = TRUE;
  server->shutdown_done = done;
  server->shutdown_data = user_data;
  server->drain_deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  server->drain_source = g_timeout_add (10, drain_cb, server);
}

void
qs_server_free (QsServer *server)
{
  if (server == NULL)
    return;
  g_clear_handle_id (&server->drain_source, g_source_remove);
  g_clear_handle_id (&server->purge_source, g_source_remove);
  qs_webhook_queue_stop (server);
  g_clear_object (&server->webhook_cancellable);
  g_clear_object (&server->soup);
  qs_password_clear (server);
  qs_usage_cache_clear (server);
  qs_usage_cubes_clear (server);
  g_clear_pointer (&server->store, qs_store_free);
  g_clear_pointer (&server->member_exports_by_org, g_hash_table_destroy);
  g_free (server->outbox_dir);
  g_free (server->url);
  g_clear_pointer (&server->trusted_proxies, g_ptr_array_unref);
  g_free (server->public_url);
  server_free_config (&server->config);
  g_free (server);
}
