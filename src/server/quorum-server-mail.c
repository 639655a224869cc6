/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>
#include <glib/gstdio.h>

#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

/* RFC 5322 date, always in English and UTC. */
static char *
rfc5322_date (gint64 unix_seconds)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d +0000",
                          days[g_date_time_get_day_of_week (dt) - 1],
                          g_date_time_get_day_of_month (dt),
                          months[g_date_time_get_month (dt) - 1],
                          g_date_time_get_year (dt),
                          g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt),
                          g_date_time_get_second (dt));
}

/* RFC 2047 encoded word when the text is not plain ASCII. */
static char *
header_text (const char *text)
{
  g_autofree char *b64 = NULL;

  if (g_str_is_ascii (text))
    return g_strdup (text);
  b64 = g_base64_encode ((const guchar *) text, strlen (text));
  return g_strdup_printf ("=?UTF-8?B?%s?=", b64);
}

static char *
public_host (const char *public_url)
{
  g_autoptr(GUri) uri = g_uri_parse (public_url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  if (host == NULL || *host == '\0' || strchr (host, ':') != NULL)
    return g_strdup ("localhost");
  return g_strdup (host);
}

typedef struct
{
  char *relay;
  char *from;
  char *to;
  char *message;
  char *label;  /* "invitation inv_…", for the log */
} SmtpJob;

static void
smtp_job_free (SmtpJob *job)
{
  g_free (job->relay);
  g_free (job->from);
  g_free (job->to);
  if (job->message != NULL)
    sodium_memzero (job->message, strlen (job->message));
  g_free (job->message);
  g_free (job->label);
  g_free (job);
}

static gboolean
smtp_expect (GDataInputStream *in,
             const char       *code,
             GError          **error)
{
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, error);

      if (line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "connection closed");
          return FALSE;
        }
      g_strchomp (line);
      if (strlen (line) < 3 || strncmp (line, code, strlen (code)) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "unexpected SMTP reply %.3s", line);
          return FALSE;
        }
      if (line[3] != '-')
        return TRUE;
    }
}

static gboolean
smtp_send (GOutputStream *out,
           const char    *text,
           GError       **error)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL, error);
}

static void
smtp_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SmtpJob *job = task_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) data = NULL;
  g_autofree char *mail_from = g_strdup_printf ("MAIL FROM:<%s>\r\n", job->from);
  g_autofree char *rcpt_to = g_strdup_printf ("RCPT TO:<%s>\r\n", job->to);
  GOutputStream *out;

  g_socket_client_set_timeout (client, 30);
  connection = g_socket_client_connect_to_host (client, job->relay, 25, NULL, &error);
  if (connection == NULL)
    goto out;
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  /* Dot-stuffing: a line starting with '.' gets another one. */
  data = g_string_new (NULL);
  for (const char *p = job->message; *p != '\0'; p++)
    {
      if (*p == '.' && (p == job->message || p[-1] == '\n'))
        g_string_append_c (data, '.');
      g_string_append_c (data, *p);
    }
  g_string_append (data, g_str_has_suffix (data->str, "\r\n") ? ".\r\n" : "\r\n.\r\n");

  if (!smtp_expect (in, "220", &error) ||
      !smtp_send (out, "HELO quorum-server\r\n", &error) || !smtp_expect (in, "250", &error) ||
      !smtp_send (out, mail_from, &error) || !smtp_expect (in, "250", &error) ||
      !smtp_send (out, rcpt_to, &error) || !smtp_expect (in, "25", &error) ||
      !smtp_send (out, "DATA\r\n", &error) || !smtp_expect (in, "354", &error) ||
      !smtp_send (out, data->str, &error) || !smtp_expect (in, "250", &error))
    goto out;
  smtp_send (out, "QUIT\r\n", NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

out:
  sodium_memzero (data ? data->str : NULL, data ? data->len : 0);
  if (error != NULL)
    g_printerr ("smtp: %s not relayed: %s\n", job->label, error->message);
  else
    g_printerr ("smtp: %s relayed\n", job->label);
  g_task_return_boolean (task, error == NULL);
}

/* The headers of every e-mail, then body (CRLF line ends). */
static char *
compose (QsServer   *server,
         const char *to,
         const char *subject_text,
         const char *id,
         const char *body)
{
  g_autofree char *host = public_host (server->public_url);
  g_autofree char *date = rfc5322_date (qs_now ());
  g_autofree char *subject = header_text (subject_text);
  g_autofree char *unique = qs_new_id ("");

  return g_strdup_printf ("Date: %s\r\n"
                          "From: Quorum <no-reply@%s>\r\n"
                          "To: <%s>\r\n"
                          "Subject: %s\r\n"
                          "Message-ID: <%s.%s@%s>\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "Content-Transfer-Encoding: 8bit\r\n"
                          "\r\n"
                          "%s",
                          date, host, to, subject, id, unique, host, body);
}

/* Composes the e-mail, writes it into DATA/outbox/ (atomically: temporary
 * file and rename) and hands a copy to the SMTP relay when there is one.
 * Takes body and wipes it, as it does the message. id names the file; label
 * (“invitation inv_…”) the SMTP log line. */
static gboolean
deliver (QsServer   *server,
         const char *to,
         const char *subject,
         char       *body,
         const char *id,
         const char *label)
{
  char *message = compose (server, to, subject, id, body);
  g_autofree char *host = public_host (server->public_url);
  g_autofree char *unique = qs_new_id ("");
  /* Microseconds: e-mails sent within one file-time tick still sort by name. */
  g_autofree char *file_name = g_strdup_printf ("%" G_GINT64_FORMAT "-%s-%s.eml", g_get_real_time (), id, unique);
  g_autofree char *path = g_build_filename (server->outbox_dir, file_name, NULL);
  g_autoptr(GError) error = NULL;

  sodium_memzero (body, strlen (body));
  g_free (body);
  if (!g_file_set_contents_full (path, message, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    {
      g_printerr ("outbox: cannot write %s: %s\n", file_name, error->message);
      sodium_memzero (message, strlen (message));
      g_free (message);
      return FALSE;
    }

  if (server->config.smtp != NULL)
    {
      SmtpJob *job = g_new0 (SmtpJob, 1);
      g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

      job->relay = g_strdup (server->config.smtp);
      job->from = g_strdup_printf ("no-reply@%s", host);
      job->to = g_strdup (to);
      job->message = message;
      job->label = g_strdup (label);
      g_task_set_task_data (task, job, (GDestroyNotify) smtp_job_free);
      g_task_run_in_thread (task, smtp_thread);
    }
  else
    {
      sodium_memzero (message, strlen (message));
      g_free (message);
    }
  return TRUE;
}

/* The body says plainly who sent the invitation (the inviter's name AND
 * address, the organization's name AND slug) and that Quorum vouches for
 * none of the names: anyone can create an organization called anything, so
 * a message must not read as if "Acme" itself wrote it. */
gboolean
qs_mail_send_invitation (QsServer                *server,
                         const QsStoreInvitation *inv,
                         const char              *inviter_name,
                         const char              *inviter_email,
                         const char              *token)
{
  g_autofree char *expires = qs_format_time (inv->expires_at);
  g_autofree char *subject = g_strdup_printf ("%s invited you to %s on Quorum", inviter_name, inv->org_name);
  g_autofree char *server_escaped = qs_uri_escape (server->public_url);
  g_autofree char *label = g_strconcat ("invitation ", inv->id, NULL);
  char *body;

  body = g_strdup_printf ("Hello,\r\n"
                          "\r\n"
                          "%s <%s> invited you to join the organization \"%s\" (slug: %s) on the\r\n"
                          "Quorum server %s as %s.\r\n"
                          "\r\n"
                          "Who sent this: the Quorum account %s, a member of \"%s\" (%s).\r\n"
                          "Quorum did not check the organization's name: anyone can create an\r\n"
                          "organization with any name. Accept only if you know %s\r\n"
                          "and expected this invitation.\r\n"
                          "\r\n"
                          "Open the invitation in your browser:\r\n"
                          "%s/invite/%s\r\n"
                          "\r\n"
                          "Or open it directly in the Quorum app:\r\n"
                          "quorum://invite/%s?server=%s\r\n"
                          "\r\n"
                          "The invitation expires at %s.\r\n"
                          "If you did not expect it, ignore this e-mail.\r\n",
                          inviter_name, inviter_email, inv->org_name, inv->org_slug, server->public_url,
                          qs_role_phrase (inv->role),
                          inviter_email, inv->org_name, inv->org_slug, inviter_email,
                          server->public_url, token, token, server_escaped, expires);
  return deliver (server, inv->email, subject, body, inv->id, label);
}

/* The verification (kind "verify") or password-reset ("reset") e-mail of
 * user_id, with its token in both link forms. */
gboolean
qs_mail_send_email_token (QsServer   *server,
                          const char *kind,
                          const char *to,
                          const char *user_id,
                          const char *token,
                          gint64      expires_at)
{
  gboolean reset = g_strcmp0 (kind, "reset") == 0;
  g_autofree char *expires = qs_format_time (expires_at);
  g_autofree char *server_escaped = qs_uri_escape (server->public_url);
  g_autofree char *label = g_strconcat (reset ? "password reset " : "verification ", user_id, NULL);
  g_autofree char *id = g_strconcat (kind, "-", user_id, NULL);
  char *body;

  body = g_strdup_printf ("Hello,\r\n"
                          "\r\n"
                          "%s %s%s\r\n"
                          "on %s.\r\n"
                          "\r\n"
                          "%s in your browser:\r\n"
                          "%s/%s/%s\r\n"
                          "\r\n"
                          "Or in the Quorum app:\r\n"
                          "quorum://%s/%s?server=%s\r\n"
                          "\r\n"
                          "The link works once, until %s.%s\r\n"
                          "%s\r\n",
                          reset ? "Someone asked to set a new password for the Quorum account of" : "Confirm that",
                          to, reset ? "" : " is your address for Quorum", server->public_url,
                          reset ? "Set a new password" : "Verify it",
                          server->public_url, kind, token, kind, token, server_escaped, expires,
                          reset ? " A new password signs out every device signed in to this account." : "",
                          reset ? "If you did not ask for this, ignore this e-mail: your password stays the same."
                                : "If you did not create a Quorum account, ignore this e-mail.");
  return deliver (server, to, reset ? "Set a new Quorum password" : "Verify your e-mail address for Quorum",
                  body, id, label);
}
