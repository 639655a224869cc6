/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "quorum-server-http.h"
#include "quorum-server-state.h"

/* Invoices drawn with cairo and Pango into a PDF, in a GTask worker thread
 * so the main loop keeps serving while fonts load and pages are laid out. */

#define PAGE_WIDTH   595.0   /* A4, points */
#define PAGE_HEIGHT  842.0
#define MARGIN        56.0
#define COLUMN_DATE   MARGIN
#define COLUMN_TEXT  (MARGIN + 110.0)
#define COLUMN_RIGHT (PAGE_WIDTH - MARGIN)

static const char * const month_names[] = {
  "January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December",
};

void
qs_invoice_line_free (QsInvoiceLine *line)
{
  if (line == NULL)
    return;
  g_free (line->description);
  g_free (line);
}

void
qs_invoice_document_free (QsInvoiceDocument *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->issuer_url);
  g_free (doc->org_id);
  g_free (doc->org_name);
  g_free (doc->org_slug);
  g_free (doc->number);
  g_free (doc->status);
  g_free (doc->currency);
  g_clear_pointer (&doc->lines, g_ptr_array_unref);
  g_free (doc);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsInvoiceDocument, qs_invoice_document_free)

char *
qs_format_money (gint64      cents,
                 const char *currency)
{
  GString *out = g_string_new (NULL);
  guint64 magnitude = cents < 0 ? (guint64) -(cents + 1) + 1 : (guint64) cents;
  g_autofree char *units = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude / 100);
  gsize len = strlen (units);

  if (cents < 0)
    g_string_append (out, "−");  /* U+2212 MINUS SIGN */
  if (g_strcmp0 (currency, "EUR") == 0)
    g_string_append (out, "€");
  else if (g_strcmp0 (currency, "USD") == 0)
    g_string_append (out, "$");
  else if (g_strcmp0 (currency, "GBP") == 0)
    g_string_append (out, "£");
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, units[i]);
    }
  g_string_append_printf (out, ".%02u", (guint) (magnitude % 100));
  if (g_strcmp0 (currency, "EUR") != 0 && g_strcmp0 (currency, "USD") != 0 && g_strcmp0 (currency, "GBP") != 0)
    g_string_append_printf (out, " %s", currency);
  return g_string_free (out, FALSE);
}

/* "1 November 2026", UTC, English month names whatever the locale. */
static char *
format_date (gint64 unix_seconds)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (unix_seconds);

  return g_strdup_printf ("%d %s %d", g_date_time_get_day_of_month (t),
                          month_names[g_date_time_get_month (t) - 1], g_date_time_get_year (t));
}

typedef struct
{
  cairo_t              *cr;
  PangoLayout          *layout;
  double                y;
  int                   page;
} Pen;

/* Text at (x, pen->y), its right edge at x when right is set; returns its
 * height. */
static double
draw_text (Pen        *pen,
           double      x,
           const char *text,
           const char *font,
           gboolean    right,
           double      width)
{
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (pen->layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (pen->layout, width > 0 ? (int) (width * PANGO_SCALE) : -1);
  pango_layout_set_wrap (pen->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (pen->layout, text, -1);  /* plain text: no markup is read */
  pango_layout_get_size (pen->layout, &w, &h);
  cairo_move_to (pen->cr, right ? x - (double) w / PANGO_SCALE : x, pen->y);
  pango_cairo_show_layout (pen->cr, pen->layout);
  return (double) h / PANGO_SCALE;
}

static void
rule (Pen    *pen,
      double  width)
{
  cairo_set_line_width (pen->cr, width);
  cairo_move_to (pen->cr, MARGIN, pen->y);
  cairo_line_to (pen->cr, COLUMN_RIGHT, pen->y);
  cairo_stroke (pen->cr);
}

static void
table_header (Pen *pen)
{
  draw_text (pen, COLUMN_DATE, "Date", "Sans Bold 9", FALSE, 0);
  draw_text (pen, COLUMN_TEXT, "Description", "Sans Bold 9", FALSE, 0);
  pen->y += draw_text (pen, COLUMN_RIGHT, "Amount", "Sans Bold 9", TRUE, 0) + 4;
  rule (pen, 0.5);
  pen->y += 6;
}

static void
new_page (Pen                     *pen,
          const QsInvoiceDocument *doc)
{
  g_autofree char *header = NULL;

  cairo_show_page (pen->cr);
  pen->page++;
  pen->y = MARGIN;
  header = g_strdup_printf ("Invoice %s (continued, page %d)", doc->number, pen->page);
  pen->y += draw_text (pen, MARGIN, header, "Sans 9", FALSE, 0) + 16;
  table_header (pen);
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
qs_invoice_pdf_render (const QsInvoiceDocument  *doc,
                       GError                  **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  Pen pen = { 0 };
  g_autofree char *title = g_strdup_printf ("Invoice %s", doc->number);
  g_autofree char *period_first = format_date (doc->period_start);
  g_autofree char *period_last = format_date (doc->period_end - 86400);
  g_autofree char *issued = format_date (doc->issued_at);
  g_autofree char *period = g_strdup_printf ("Period: %s – %s", period_first, period_last);
  g_autofree char *issued_line = g_strdup_printf ("Issued: %s", issued);
  g_autofree char *status_line = g_strdup_printf ("Status: %s", doc->status);
  g_autofree char *total = qs_format_money (doc->total_cents, doc->currency);
  g_autofree char *top_ups = qs_format_money (doc->top_ups_cents, doc->currency);
  g_autofree char *balance = qs_format_money (doc->balance_end, doc->currency);
  g_autofree char *org_line = g_strdup_printf ("%s (%s)", doc->org_slug, doc->org_id);

  surface = cairo_pdf_surface_create_for_stream (append_bytes, out, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "quorum-server " PACKAGE_VERSION);
  pen.cr = cairo_create (surface);
  pen.layout = pango_cairo_create_layout (pen.cr);
  pen.page = 1;
  pen.y = MARGIN;
  cairo_set_source_rgb (pen.cr, 0.1, 0.1, 0.1);

  /* Issuer, left; the invoice's identity, right. */
  draw_text (&pen, COLUMN_RIGHT, "INVOICE", "Sans Bold 20", TRUE, 0);
  pen.y += draw_text (&pen, MARGIN, "Quorum", "Sans Bold 16", FALSE, 0) + 2;
  draw_text (&pen, COLUMN_RIGHT, doc->number, "Sans 11", TRUE, 0);
  pen.y += draw_text (&pen, MARGIN, "Quorum reference server", "Sans 9", FALSE, 0);
  draw_text (&pen, COLUMN_RIGHT, issued_line, "Sans 9", TRUE, 0);
  pen.y += draw_text (&pen, MARGIN, doc->issuer_url != NULL ? doc->issuer_url : "", "Sans 9", FALSE, 0);
  draw_text (&pen, COLUMN_RIGHT, status_line, "Sans 9", TRUE, 0);
  pen.y += draw_text (&pen, MARGIN, "Test mode: no money was moved.", "Sans Italic 9", FALSE, 0) + 24;

  /* The organization billed and the period. */
  pen.y += draw_text (&pen, MARGIN, "Bill to", "Sans Bold 9", FALSE, 0) + 2;
  pen.y += draw_text (&pen, MARGIN, doc->org_name, "Sans 11", FALSE, COLUMN_RIGHT - MARGIN);
  pen.y += draw_text (&pen, MARGIN, org_line, "Sans 9", FALSE, 0) + 12;
  pen.y += draw_text (&pen, MARGIN, period, "Sans 10", FALSE, 0) + 20;

  table_header (&pen);
  if (doc->lines->len == 0)
    pen.y += draw_text (&pen, COLUMN_TEXT, "No charges in this period.", "Sans Italic 10", FALSE, 0) + 4;
  for (guint i = 0; i < doc->lines->len; i++)
    {
      const QsInvoiceLine *line = g_ptr_array_index (doc->lines, i);
      g_autofree char *date = format_date (line->date);
      g_autofree char *amount = qs_format_money (line->amount_cents, doc->currency);
      double h;

      if (pen.y > PAGE_HEIGHT - MARGIN - 120)
        new_page (&pen, doc);
      draw_text (&pen, COLUMN_DATE, date, "Sans 9", FALSE, 0);
      draw_text (&pen, COLUMN_RIGHT, amount, "Sans 10", TRUE, 0);
      h = draw_text (&pen, COLUMN_TEXT, line->description, "Sans 10", FALSE, COLUMN_RIGHT - COLUMN_TEXT - 90);
      pen.y += h + 6;
    }

  if (pen.y > PAGE_HEIGHT - MARGIN - 120)
    new_page (&pen, doc);
  rule (&pen, 0.5);
  pen.y += 8;
  draw_text (&pen, COLUMN_TEXT, "Total", "Sans Bold 11", FALSE, 0);
  pen.y += draw_text (&pen, COLUMN_RIGHT, total, "Sans Bold 11", TRUE, 0) + 6;
  draw_text (&pen, COLUMN_TEXT, "Top-ups during the period", "Sans 9", FALSE, 0);
  pen.y += draw_text (&pen, COLUMN_RIGHT, top_ups, "Sans 9", TRUE, 0) + 2;
  draw_text (&pen, COLUMN_TEXT, "Prepaid balance at the end of the period", "Sans 9", FALSE, 0);
  pen.y += draw_text (&pen, COLUMN_RIGHT, balance, "Sans 9", TRUE, 0) + 20;
  pen.y += draw_text (&pen, MARGIN,
                      "Charges are paid from the organization's prepaid balance. Amounts in "
                      "the plan's currency; VAT not applicable in test mode.",
                      "Sans 8", FALSE, COLUMN_RIGHT - MARGIN);

  g_object_unref (pen.layout);
  cairo_destroy (pen.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cairo: %s", cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* ------------------------------------------------------------ async */

typedef struct
{
  QsRequest            *req;
  QsInvoicePdfCallback  done;
  gpointer              user_data;
  GDestroyNotify        destroy;
} RenderJob;

static void
render_job_free (RenderJob *job)
{
  if (job->destroy != NULL)
    job->destroy (job->user_data);
  g_free (job);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *pdf = qs_invoice_pdf_render (task_data, &error);

  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify) g_bytes_unref);
}

static void
render_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RenderJob *job = user_data;
  QsRequest *req = job->req;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = g_task_propagate_pointer (G_TASK (result), &error);

  if (pdf == NULL)
    g_warning ("invoice PDF: %s", error->message);
  g_assert (req->async_ops > 0);
  req->async_ops--;
  job->done (req, pdf, job->user_data);
  render_job_free (job);
  if (req->async_ops == 0)
    {
      soup_server_message_unpause (req->msg);
      qs_request_free (req);
    }
}

void
qs_invoice_pdf_render_async (QsRequest            *req,
                             QsInvoiceDocument    *doc,
                             QsInvoicePdfCallback  done,
                             gpointer              user_data,
                             GDestroyNotify        destroy)
{
  g_autoptr(GTask) task = NULL;
  RenderJob *job = g_new0 (RenderJob, 1);

  job->req = req;
  job->done = done;
  job->user_data = user_data;
  job->destroy = destroy;
  if (req->async_ops++ == 0)
    soup_server_message_pause (req->msg);
  task = g_task_new (NULL, NULL, render_done, job);
  g_task_set_task_data (task, doc, (GDestroyNotify) qs_invoice_document_free);
  g_task_run_in_thread (task, render_thread);
}
