/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-usage-chart.h"
#include "quorum-utils-private.h"

/*
 * Credits per day as bars, drawn with GtkSnapshot: the highest value on the
 * y axis, the first and last day under the x axis, each day's figures in a
 * tooltip. A screen reader gets the same series in words (the accessible
 * description): the range, the total, the busiest day and every day with use.
 */

#define AXIS_WIDTH   56
#define LABEL_HEIGHT 20
#define BAR_GAP      2

struct _QuorumUsageChart
{
  GtkWidget  parent_instance;

  GPtrArray *items;        /* QuorumUsageItem, one per day, oldest first */
  gint64     max_credits;
  char      *description;
};

G_DEFINE_FINAL_TYPE (QuorumUsageChart, quorum_usage_chart, GTK_TYPE_WIDGET)

static char *
format_day (GDateTime *day)
{
  /* Translators: a day on the usage chart's axis and tooltip (strftime) */
  return day != NULL ? g_date_time_format (day, _("%b %-d")) : g_strdup ("");
}

static PangoLayout *
small_layout (QuorumUsageChart *self,
              const char       *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
draw_text (QuorumUsageChart *self,
           GtkSnapshot      *snapshot,
           const char       *text,
           float             x,
           float             y,
           float             xalign,
           const GdkRGBA    *color)
{
  g_autoptr(PangoLayout) layout = small_layout (self, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - xalign * width, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
quorum_usage_chart_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  QuorumUsageChart *self = QUORUM_USAGE_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float plot_w = MAX (width - AXIS_WIDTH, 1);
  float plot_h = MAX (height - LABEL_HEIGHT, 1);
  GdkRGBA fg;
  GdkRGBA axis;
  GdkRGBA bar = { 0.21f, 0.52f, 0.89f, 1.0f };  /* GNOME blue 3 */
  g_autofree char *top = NULL;
  guint n = self->items != NULL ? self->items->len : 0;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  axis = fg;
  axis.alpha = 0.3f;

  /* Axes */
  gtk_snapshot_append_color (snapshot, &axis, &GRAPHENE_RECT_INIT (AXIS_WIDTH - 1, 0, 1, plot_h));
  gtk_snapshot_append_color (snapshot, &axis, &GRAPHENE_RECT_INIT (AXIS_WIDTH - 1, plot_h - 1, plot_w, 1));

  top = quorum_format_count (self->max_credits);
  draw_text (self, snapshot, top, AXIS_WIDTH - 6, 0, 1.0f, &fg);
  draw_text (self, snapshot, "0", AXIS_WIDTH - 6, plot_h - 14, 1.0f, &fg);

  if (n == 0)
    return;

  for (guint i = 0; i < n; i++)
    {
      QuorumUsageItem *item = g_ptr_array_index (self->items, i);
      float slot = plot_w / n;
      float h = self->max_credits > 0
                ? (float) ((double) quorum_usage_item_get_credits (item) / (double) self->max_credits * (plot_h - 2))
                : 0;

      if (h > 0)
        gtk_snapshot_append_color (snapshot, &bar,
                                   &GRAPHENE_RECT_INIT (AXIS_WIDTH + i * slot + BAR_GAP / 2.0f,
                                                        plot_h - 1 - h,
                                                        MAX (slot - BAR_GAP, 1), h));
    }

  {
    g_autofree char *first = format_day (quorum_usage_item_get_day (g_ptr_array_index (self->items, 0)));
    g_autofree char *last = format_day (quorum_usage_item_get_day (g_ptr_array_index (self->items, n - 1)));

    draw_text (self, snapshot, first, AXIS_WIDTH, plot_h + 2, 0.0f, &fg);
    draw_text (self, snapshot, last, width, plot_h + 2, 1.0f, &fg);
  }
}

static void
quorum_usage_chart_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? AXIS_WIDTH + 120 : LABEL_HEIGHT + 80;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? AXIS_WIDTH + 480 : LABEL_HEIGHT + 160;
}

static gboolean
query_tooltip_cb (QuorumUsageChart *self,
                  int               x,
                  int               y,
                  gboolean          keyboard,
                  GtkTooltip       *tooltip)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  guint n = self->items != NULL ? self->items->len : 0;
  QuorumUsageItem *item;
  g_autofree char *day = NULL;
  g_autofree char *credits = NULL;
  g_autofree char *requests = NULL;
  g_autofree char *text = NULL;
  guint i;

  if (n == 0 || x < AXIS_WIDTH || width <= AXIS_WIDTH)
    return FALSE;
  i = MIN ((guint) ((x - AXIS_WIDTH) * n / (width - AXIS_WIDTH)), n - 1);
  item = g_ptr_array_index (self->items, i);
  day = format_day (quorum_usage_item_get_day (item));
  credits = quorum_format_count (quorum_usage_item_get_credits (item));
  requests = quorum_format_count (quorum_usage_item_get_requests (item));
  /* Translators: a usage chart tooltip: day, credits, requests */
  text = g_strdup_printf (_("%s: %s credits, %s requests"), day, credits, requests);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
quorum_usage_chart_finalize (GObject *object)
{
  QuorumUsageChart *self = QUORUM_USAGE_CHART (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (quorum_usage_chart_parent_class)->finalize (object);
}

static void
quorum_usage_chart_class_init (QuorumUsageChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = quorum_usage_chart_finalize;
  widget_class->snapshot = quorum_usage_chart_snapshot;
  widget_class->measure = quorum_usage_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "usagechart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
quorum_usage_chart_init (QuorumUsageChart *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Credits per day"),
                                  -1);
  quorum_usage_chart_set_items (self, NULL);
}

/* The series in words, for screen readers: the same figures the bars show. */
static char *
describe (QuorumUsageChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  QuorumUsageItem *busiest = NULL;
  gint64 total = 0;
  guint used = 0;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *total_str = NULL;

  if (self->items == NULL || self->items->len == 0)
    return g_strdup (_("No usage to show."));

  for (guint i = 0; i < self->items->len; i++)
    {
      QuorumUsageItem *item = g_ptr_array_index (self->items, i);

      total += quorum_usage_item_get_credits (item);
      if (quorum_usage_item_get_credits (item) > 0)
        used++;
      if (busiest == NULL || quorum_usage_item_get_credits (item) > quorum_usage_item_get_credits (busiest))
        busiest = item;
    }

  first = format_day (quorum_usage_item_get_day (g_ptr_array_index (self->items, 0)));
  last = format_day (quorum_usage_item_get_day (g_ptr_array_index (self->items, self->items->len - 1)));
  total_str = quorum_format_count (total);
  /* Translators: the usage chart for screen readers: first day, last day, total credits */
  g_string_append_printf (text, _("Credits per day from %s to %s: %s credits in all."), first, last, total_str);

  if (used == 0)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("No credits were used."));
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  {
    g_autofree char *day = format_day (quorum_usage_item_get_day (busiest));
    g_autofree char *most = quorum_format_count (quorum_usage_item_get_credits (busiest));

    g_string_append_c (text, ' ');
    /* Translators: the usage chart for screen readers: the busiest day and its credits */
    g_string_append_printf (text, _("Most on %s: %s credits."), day, most);
  }

  for (guint i = 0; i < self->items->len; i++)
    {
      QuorumUsageItem *item = g_ptr_array_index (self->items, i);
      g_autofree char *day = NULL;
      g_autofree char *credits = NULL;

      if (quorum_usage_item_get_credits (item) == 0)
        continue;
      day = format_day (quorum_usage_item_get_day (item));
      credits = quorum_format_count (quorum_usage_item_get_credits (item));
      g_string_append_c (text, ' ');
      /* Translators: one day of the usage chart for screen readers */
      g_string_append_printf (text, _("%s: %s."), day, credits);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * quorum_usage_chart_set_items:
 * @items: (nullable) (element-type QuorumUsageItem): one item per day,
 *   oldest first
 */
void
quorum_usage_chart_set_items (QuorumUsageChart *self,
                              GPtrArray        *items)
{
  g_return_if_fail (QUORUM_IS_USAGE_CHART (self));

  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = items != NULL ? g_ptr_array_ref (items) : NULL;
  self->max_credits = 0;
  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    self->max_credits = MAX (self->max_credits,
                             quorum_usage_item_get_credits (g_ptr_array_index (self->items, i)));

  g_free (self->description);
  self->description = describe (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
quorum_usage_chart_get_n_days (QuorumUsageChart *self)
{
  g_return_val_if_fail (QUORUM_IS_USAGE_CHART (self), 0);

  return self->items != NULL ? self->items->len : 0;
}

const char *
quorum_usage_chart_get_description (QuorumUsageChart *self)
{
  g_return_val_if_fail (QUORUM_IS_USAGE_CHART (self), NULL);

  return self->description;
}
