/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

/* Argon2id takes tens of milliseconds and memlimit bytes (64 MiB at the
 * interactive cost), so it never runs on the main loop: jobs go to a pool
 * of at most QS_PASSWORD_WORKERS_MAX threads (memory stays bounded), the
 * rest wait in its queue (at most QS_PASSWORD_QUEUE_MAX, then 503). The
 * request's message is paused meanwhile; the callback runs back on the main
 * loop, where all database work happens. */

typedef struct
{
  QsRequest         *req;
  char              *verify_hash;   /* NULL: hash password */
  char              *password;
  char              *new_password;
  guint64            opslimit;
  gsize              memlimit;
  QsPasswordResult   result;
  QsPasswordCallback callback;
  gpointer           user_data;
  GDestroyNotify     destroy;
} PasswordJob;

static void
secret_free (char *secret)
{
  if (secret != NULL)
    sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

static void
password_job_free (PasswordJob *job)
{
  secret_free (job->password);
  secret_free (job->new_password);
  g_free (job->verify_hash);
  g_free (job->result.hash);
  if (job->destroy != NULL)
    job->destroy (job->user_data);
  g_free (job);
}

static char *
hash_with (const char *password,
           guint64     opslimit,
           gsize       memlimit)
{
  char out[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str_alg (out, password, strlen (password), opslimit, memlimit,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    return NULL;
  return g_strdup (out);
}

/* TRUE when the stored hash costs less than the current parameters (or is
 * not Argon2id); a stronger stored hash is left alone. */
static gboolean
hash_is_weaker (const char *hash,
                guint64     opslimit,
                gsize       memlimit)
{
  unsigned long m = 0, t = 0;

  if (sscanf (hash, "$argon2id$v=19$m=%lu,t=%lu,", &m, &t) != 2)
    return TRUE;
  return (guint64) t < opslimit || (guint64) m * 1024 < memlimit;
}

static gboolean
verify_with (const char *hash,
             const char *password)
{
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

static gboolean
password_job_done_cb (gpointer data)
{
  PasswordJob *job = data;
  QsRequest *req = job->req;

  g_assert (req->server->password_queued > 0);
  req->server->password_queued--;
  g_assert (req->async_ops > 0);
  req->async_ops--;
  job->callback (req, &job->result, job->user_data);
  password_job_free (job);
  if (req->async_ops == 0)
    {
      soup_server_message_unpause (req->msg);
      qs_request_free (req);
    }
  return G_SOURCE_REMOVE;
}

static void
password_compute (PasswordJob *job)
{
  if (job->verify_hash == NULL)
    job->result.hash = hash_with (job->password, job->opslimit, job->memlimit);
  else
    {
      job->result.verified = verify_with (job->verify_hash, job->password);
      if (job->result.verified && job->new_password != NULL)
        job->result.hash = hash_with (job->new_password, job->opslimit, job->memlimit);
      else if (job->result.verified && hash_is_weaker (job->verify_hash, job->opslimit, job->memlimit))
        job->result.hash = hash_with (job->password, job->opslimit, job->memlimit);
    }
}

static void
password_worker (gpointer data,
                 gpointer pool_data)
{
  PasswordJob *job = data;

  password_compute (job);
  g_main_context_invoke (NULL, password_job_done_cb, job);
}

static void
password_job_start (QsRequest   *req,
                    PasswordJob *job)
{
  QsServer *server = req->server;

  if (server->password_queued >= QS_PASSWORD_QUEUE_MAX)
    {
      qs_respond_error (req, 503, "server_busy", "The server is busy; try again in a moment.");
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                    "Retry-After", "1");
      password_job_free (job);
      return;
    }

  job->req = req;
  job->opslimit = server->opslimit;
  job->memlimit = server->memlimit;
  server->password_queued++;
  if (req->async_ops++ == 0)
    soup_server_message_pause (req->msg);
  /* The handler parsed what it needed; a paused request keeps no body. */
  req->body = NULL;
  req->body_len = 0;
  g_clear_pointer (&req->body_bytes, g_bytes_unref);
  g_thread_pool_push (server->password_pool, job, NULL);
}

void
qs_password_hash_async (QsRequest          *req,
                        const char         *password,
                        QsPasswordCallback  callback,
                        gpointer            user_data,
                        GDestroyNotify      destroy)
{
  PasswordJob *job = g_new0 (PasswordJob, 1);

  job->password = g_strdup (password);
  job->callback = callback;
  job->user_data = user_data;
  job->destroy = destroy;
  password_job_start (req, job);
}

void
qs_password_verify_async (QsRequest          *req,
                          const char         *hash,
                          const char         *password,
                          const char         *new_password,
                          QsPasswordCallback  callback,
                          gpointer            user_data,
                          GDestroyNotify      destroy)
{
  PasswordJob *job = g_new0 (PasswordJob, 1);
  gboolean dummy = hash == NULL;

  job->verify_hash = g_strdup (dummy ? req->server->dummy_hash : hash);
  job->password = g_strdup (password);
  job->new_password = g_strdup (new_password);
  job->callback = callback;
  job->user_data = user_data;
  job->destroy = destroy;
  /* Same work as a real failure; the dummy's password is unknown to all. */
  if (dummy)
    g_clear_pointer (&job->new_password, secret_free);
  password_job_start (req, job);
}

/* Synchronous, for start-up (demo data) only: never from a handler. */
char *
qs_password_hash (QsServer   *server,
                  const char *password)
{
  return hash_with (password, server->opslimit, server->memlimit);
}

gboolean
qs_password_init (QsServer  *server,
                  GError   **error)
{
  g_autofree char *random = qs_new_session_token ();
  guint workers = CLAMP (g_get_num_processors (), 2, QS_PASSWORD_WORKERS_MAX);

  /* Verified when the e-mail is unknown, so both failures take the same
   * time. Its password is thrown away. */
  server->dummy_hash = qs_password_hash (server, random);
  sodium_memzero (random, strlen (random));
  if (server->dummy_hash == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot hash a password (out of memory?)");
      return FALSE;
    }
  server->password_pool = g_thread_pool_new (password_worker, NULL, workers, FALSE, error);
  return server->password_pool != NULL;
}

void
qs_password_clear (QsServer *server)
{
  /* Lets running jobs finish; their callbacks never run (the loop is gone). */
  if (server->password_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&server->password_pool), TRUE, TRUE);
  g_clear_pointer (&server->dummy_hash, g_free);
}
