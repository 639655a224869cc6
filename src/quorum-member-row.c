/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "quorum-member-row-private.h"
#include "quorum-utils-private.h"

/*
 * One line of the Members page: a member or a pending invitation. The menu
 * offers only what the caller's role allows (quorum_role_can), never anything
 * on the owner, never a role change, suspension or removal of oneself. The
 * few possible menus are built once and shared by every row.
 *
 * The row is one widget that draws the avatar, the texts, the role badge and
 * the suspended dot itself; a tree of boxes and labels cost ~15 widgets, each
 * with a CSS node and an accessible object, for every one of the ~200 rows a
 * GtkListView keeps (docs/performance.md, "App"). Its one child is the menu
 * button, a real GtkMenuButton so the keyboard and screen readers reach it.
 * The PangoLayouts are made once per row and given new text on bind; their
 * attributes are relative to the widget's font, so a font or text-scaling
 * change reaches them through the Pango context without rebuilding them.
 * Colours are read from the style when drawing (dark, high contrast).
 */

/* The sizes of the former template (GtkBox margins 8/8/12/6, spacing 12). */
#define MARGIN_TOP     8
#define MARGIN_BOTTOM  8
#define MARGIN_START   12
#define MARGIN_END     6
#define SPACING        12
#define AVATAR_SIZE    36
#define TEXT_SPACING   2   /* between the name and the e-mail */
#define STATUS_SPACING 4   /* between last active, the dot and the status */
#define DOT_BOX        10  /* the suspended dot's box; the dot inside is smaller */
#define DOT_SIZE       8
#define BADGE_PAD_X    8
#define BADGE_PAD_Y    1
#define ACTIVITY_MAX_CHARS 22
#define DIM_OPACITY    0.55
#define DIM_OPACITY_HC 0.9
#define N_AVATAR_COLORS 14

typedef enum
{
  PART_TITLE,
  PART_SUBTITLE,
  PART_ACTIVITY,
  PART_STATUS,
  PART_BADGE,
  PART_INITIALS,
  N_PARTS
} Part;

typedef struct
{
  PangoLayout     *layout;    /* made on first use, kept for the row's life */
  gboolean         shown;
  int              nat_width; /* unellipsized, in pixels */
  int              min_width; /* ellipsized to nothing but "…", as GtkLabel's minimum */
  int              height;
  gboolean         measured;  /* the sizes above are of its text and font */
  graphene_rect_t  area;      /* allocated, already mirrored for RTL */
} RowPart;

struct _QuorumMemberRow
{
  GtkWidget       parent_instance;

  GObject        *item;
  gulong          fill_id;        /* "notify::placeholder" of a placeholder item */
  QuorumRole      caller_role;
  char           *caller_user_id;

  GtkMenuButton  *menu_button;
  GMenuModel     *menu;           /* shared; the popover is built on first use */
  gboolean        menu_slot;      /* keep the button's width so badges align */

  RowPart         parts[N_PARTS];
  char           *activity_tooltip;
  guint           avatar_color;   /* 0 … N_AVATAR_COLORS - 1 */
  gboolean        suspended;
  gboolean        placeholder;

  guint           font_serial;    /* of the Pango context the sizes were measured in */
  gboolean        sizes_valid;
  int             activity_max_width;

  graphene_rect_t avatar_area;
  graphene_rect_t dot_area;
  graphene_rect_t badge_area;
  graphene_rect_t placeholder_bar;
};

G_DEFINE_FINAL_TYPE (QuorumMemberRow, quorum_member_row, GTK_TYPE_WIDGET)

static void create_popup (GtkMenuButton *button,
                          gpointer       user_data);
static void set_item     (QuorumMemberRow *self,
                          GObject         *item);

typedef enum
{
  MENU_MEMBER_ROLE          = 1 << 0,  /* change role offered */
  MENU_MEMBER_MANAGE        = 1 << 1,  /* suspend/reactivate and remove offered */
  MENU_MEMBER_IS_ADMIN      = 1 << 2,
  MENU_MEMBER_IS_SUSPENDED  = 1 << 3,
  MENU_INVITATION           = 1 << 4,
  N_MENU_KINDS              = 1 << 5,
} MenuKind;

static GMenuModel *menus[N_MENU_KINDS];

static GMenuModel *
get_menu (MenuKind kind)
{
  GMenu *menu;

  if (menus[kind] != NULL)
    return menus[kind];

  menu = g_menu_new ();
  if (kind & MENU_INVITATION)
    {
      g_menu_append (menu, _("_Resend Invitation"), "invitation.resend");
      g_menu_append (menu, _("Re_voke Invitation"), "invitation.revoke");
    }
  else
    {
      g_autoptr(GMenu) section = g_menu_new ();

      if (kind & MENU_MEMBER_ROLE)
        {
          if (kind & MENU_MEMBER_IS_ADMIN)
            g_menu_append (menu, _("Make _Member"), "member.change-role::member");
          else
            g_menu_append (menu, _("Make _Admin"), "member.change-role::admin");
        }
      if (kind & MENU_MEMBER_MANAGE)
        {
          if (kind & MENU_MEMBER_IS_SUSPENDED)
            g_menu_append (menu, _("_Reactivate"), "member.reactivate");
          else
            g_menu_append (menu, _("_Suspend"), "member.suspend");
          g_menu_append (section, _("Re_move from Organization…"), "member.remove");
          g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
        }
    }
  menus[kind] = G_MENU_MODEL (menu);
  return menus[kind];
}

/*
 * The menus are shared by every row, so their items name the row's own
 * actions; each hands the page's action (members.*) the item's id and name.
 */
static void
forward (GtkWidget  *widget,
         GType       type,
         const char *page_action,
         const char *role)
{
  QuorumMemberRow *self = QUORUM_MEMBER_ROW (widget);
  const char *id;
  const char *label;

  if (!G_TYPE_CHECK_INSTANCE_TYPE (self->item, type))
    return;
  if (QUORUM_IS_INVITATION (self->item))
    {
      id = quorum_invitation_get_id (QUORUM_INVITATION (self->item));
      label = quorum_invitation_get_email (QUORUM_INVITATION (self->item));
    }
  else
    {
      QuorumMember *member = QUORUM_MEMBER (self->item);

      if (quorum_member_is_placeholder (member))
        return;
      id = quorum_member_get_id (member);
      label = quorum_member_get_name (member);
      if (label == NULL || *label == '\0')
        label = quorum_member_get_email (member);
    }

  if (role != NULL)
    gtk_widget_activate_action (widget, page_action, "(sss)", id, label, role);
  else
    gtk_widget_activate_action (widget, page_action, "(ss)", id, label);
}

static void
change_role_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  forward (widget, QUORUM_TYPE_MEMBER, "members.change-role", g_variant_get_string (parameter, NULL));
}

static void
suspend_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  forward (widget, QUORUM_TYPE_MEMBER, "members.suspend", NULL);
}

static void
reactivate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  forward (widget, QUORUM_TYPE_MEMBER, "members.reactivate", NULL);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  forward (widget, QUORUM_TYPE_MEMBER, "members.remove", NULL);
}

static void
resend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  forward (widget, QUORUM_TYPE_INVITATION, "members.resend-invitation", NULL);
}

static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  forward (widget, QUORUM_TYPE_INVITATION, "members.revoke-invitation", NULL);
}

/* libadwaita 1.2's avatar colours (avatar.color1 … color14): the gradient's
 * two stops and the initials' colour. The index is AdwAvatar's, so a member
 * keeps the colour they had. */
static const struct
{
  const char *top, *bottom, *text;
} avatar_colors[N_AVATAR_COLORS] = {
  { "#83b6ec", "#337fdc", "#cfe1f5" },
  { "#7ad9f1", "#0f9ac8", "#caeaf2" },
  { "#8de6b1", "#29ae74", "#cef8d8" },
  { "#b5e98a", "#6ab85b", "#e6f9d7" },
  { "#f8e359", "#d29d09", "#f9f4e1" },
  { "#ffcb62", "#d68400", "#ffead1" },
  { "#ffa95a", "#ed5b00", "#ffe5c5" },
  { "#f78773", "#e62d42", "#f8d2ce" },
  { "#e973ab", "#e33b6a", "#fac7de" },
  { "#cb78d4", "#9945b5", "#e7c2e8" },
  { "#9e91e8", "#7a59ca", "#d5d2f5" },
  { "#e3cf9c", "#b08952", "#f2eade" },
  { "#be916d", "#785336", "#e5d6ca" },
  { "#c0bfbc", "#6e6d71", "#d8d7d3" },
};

/* The former labels' styles (.heading, .caption, .role-badge), relative to
 * the widget's font so they follow it; shared by every row. */
static PangoAttrList *
part_attributes (Part part)
{
  static PangoAttrList *heading, *caption, *badge;

  if (heading == NULL)
    {
      heading = pango_attr_list_new ();
      pango_attr_list_insert (heading, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_attr_list_insert (heading, pango_attr_size_new (11 * PANGO_SCALE));
      caption = pango_attr_list_new ();
      pango_attr_list_insert (caption, pango_attr_weight_new (PANGO_WEIGHT_NORMAL));
      pango_attr_list_insert (caption, pango_attr_size_new (9 * PANGO_SCALE));
      badge = pango_attr_list_new ();
      pango_attr_list_insert (badge, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_attr_list_insert (badge, pango_attr_scale_new (1 / 1.2));
    }

  switch (part)
    {
    case PART_TITLE:
      return heading;
    case PART_BADGE:
      return badge;
    case PART_INITIALS:
      return NULL;  /* its own, sized to the avatar */
    case PART_SUBTITLE:
    case PART_ACTIVITY:
    case PART_STATUS:
    case N_PARTS:
    default:
      return caption;
    }
}

static void
set_part (QuorumMemberRow *self,
          Part             part,
          const char      *text)
{
  RowPart *p = &self->parts[part];

  p->shown = text != NULL;
  if (text == NULL)
    return;

  if (p->layout == NULL)
    {
      p->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
      if (part != PART_INITIALS)
        {
          pango_layout_set_attributes (p->layout, part_attributes (part));
          pango_layout_set_ellipsize (p->layout, PANGO_ELLIPSIZE_END);
          pango_layout_set_single_paragraph_mode (p->layout, TRUE);
        }
    }
  if (g_strcmp0 (pango_layout_get_text (p->layout), text) != 0)
    {
      pango_layout_set_text (p->layout, text, -1);
      p->measured = FALSE;
    }
}

/* AdwAvatar's initials: the first letter of the first and of the last word. */
static char *
extract_initials (const char *text)
{
  g_autofree char *upper = g_utf8_strup (text, -1);
  g_autofree char *normalized = g_utf8_normalize (g_strstrip (upper), -1, G_NORMALIZE_DEFAULT_COMPOSE);
  GString *initials;
  const char *last_space;

  if (normalized == NULL || *normalized == '\0')
    return NULL;

  initials = g_string_new (NULL);
  g_string_append_unichar (initials, g_utf8_get_char (normalized));
  last_space = g_utf8_strrchr (normalized, -1, ' ');
  if (last_space != NULL && last_space[1] != '\0')
    g_string_append_unichar (initials, g_utf8_get_char (last_space + 1));

  return g_string_free (initials, FALSE);
}

/* The initials' size as AdwAvatar computes it: as large as fits the square
 * inside the circle, less a padding that grows with the avatar. */
static void
size_initials (PangoLayout *layout)
{
  g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();
  double square = AVATAR_SIZE / 1.4142;
  double max_size = square - MAX (AVATAR_SIZE * 0.4 - 5, 0);
  int width, height;
  double size;

  pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attributes);
  pango_layout_get_pixel_size (layout, &width, &height);
  size = width > 0 ? height * (max_size / width) : max_size;
  pango_attr_list_change (attributes, pango_attr_size_new_absolute (CLAMP (size, 0, max_size) * PANGO_SCALE));
  pango_layout_set_attributes (layout, attributes);
}

/* Sizes, measured again only for a part whose text changed (a row bound
 * to another member keeps its badge and status) and for all of them when
 * the widget's font changes (the Pango context's serial moves: font, text
 * scaling, DPI). Binding is what scrolling costs, so a bind lays out only
 * what changed. */
static void
ensure_sizes (QuorumMemberRow *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  guint serial = pango_context_get_serial (context);
  gboolean font_changed = serial != self->font_serial || self->activity_max_width == 0;

  if (self->sizes_valid && !font_changed)
    return;

  for (guint i = 0; i < N_PARTS; i++)
    {
      RowPart *p = &self->parts[i];

      if (font_changed)
        p->measured = FALSE;  /* hidden ones too: measured when shown */
      if (p->layout == NULL || !p->shown || p->measured)
        continue;
      if (i == PART_INITIALS)
        size_initials (p->layout);
      pango_layout_set_width (p->layout, 0);
      pango_layout_get_pixel_size (p->layout, &p->min_width, NULL);
      pango_layout_set_width (p->layout, -1);
      pango_layout_get_pixel_size (p->layout, &p->nat_width, &p->height);
      p->min_width = MIN (p->min_width, p->nat_width);
      p->measured = TRUE;
      /* Keep the allocated width (ellipsizing) until the next allocation,
       * as place_part() sets it: -1 when the text fits, so that a text
       * that fits is not laid out once more. */
      if (p->area.size.width > 0 && i != PART_INITIALS && p->area.size.width < p->nat_width)
        pango_layout_set_width (p->layout, (int) p->area.size.width * PANGO_SCALE);
    }

  if (font_changed)
    {
      /* GtkLabel's max-width-chars, as the activity label had (22). Font
       * metrics shape a sample text: asked for once per font, not per bind. */
      g_autoptr(PangoFontDescription) desc = pango_font_description_copy (pango_context_get_font_description (context));
      PangoFontMetrics *metrics;
      int char_width;

      pango_font_description_set_size (desc, 9 * PANGO_SCALE);
      metrics = pango_context_get_metrics (context, desc, NULL);
      char_width = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                        pango_font_metrics_get_approximate_digit_width (metrics));
      pango_font_metrics_unref (metrics);
      self->activity_max_width = MAX (PANGO_PIXELS (char_width * ACTIVITY_MAX_CHARS), 1);
    }

  self->font_serial = serial;
  self->sizes_valid = TRUE;
}

static int
part_width (QuorumMemberRow *self,
            Part             part)
{
  RowPart *p = &self->parts[part];

  if (!p->shown)
    return 0;
  if (part == PART_ACTIVITY)
    return MIN (p->nat_width, self->activity_max_width);
  return p->nat_width;
}

static int
part_min_width (QuorumMemberRow *self,
                Part             part)
{
  return self->parts[part].shown ? self->parts[part].min_width : 0;
}

static int
part_height (QuorumMemberRow *self,
             Part             part)
{
  return self->parts[part].shown ? self->parts[part].height : 0;
}

/* The menu slot's width when this row has no button but others may: the
 * last width a shown button asked for (a hidden widget measures 0). */
static int slot_width = 34;

static int
menu_width (QuorumMemberRow *self)
{
  int min = 0, nat = 0;

  if (!self->menu_slot)
    return 0;
  if (!gtk_widget_get_visible (GTK_WIDGET (self->menu_button)))
    return slot_width;
  gtk_widget_measure (GTK_WIDGET (self->menu_button), GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  slot_width = nat;
  return nat;
}

static int
status_natural_width (QuorumMemberRow *self)
{
  int width = 0;
  int n = 0;

  if (self->parts[PART_ACTIVITY].shown)
    width += part_width (self, PART_ACTIVITY), n++;
  if (self->suspended)
    width += DOT_BOX, n++;
  if (self->parts[PART_STATUS].shown)
    width += part_width (self, PART_STATUS), n++;

  return width + MAX (n - 1, 0) * STATUS_SPACING;
}

static int
status_min_width (QuorumMemberRow *self)
{
  int width = 0;
  int n = 0;

  if (self->parts[PART_ACTIVITY].shown)
    width += part_min_width (self, PART_ACTIVITY), n++;
  if (self->suspended)
    width += DOT_BOX, n++;
  if (self->parts[PART_STATUS].shown)
    width += part_min_width (self, PART_STATUS), n++;

  return width + MAX (n - 1, 0) * STATUS_SPACING;
}

static int
text_min_width (QuorumMemberRow *self)
{
  return MAX (part_min_width (self, PART_TITLE), part_min_width (self, PART_SUBTITLE));
}

static int
text_natural_width (QuorumMemberRow *self)
{
  return MAX (part_width (self, PART_TITLE), part_width (self, PART_SUBTITLE));
}

static int
badge_width (QuorumMemberRow *self)
{
  return self->parts[PART_BADGE].shown ? part_width (self, PART_BADGE) + 2 * BADGE_PAD_X : 0;
}

/* Everything but the name column and the status: margins, the avatar, the
 * badge, the menu slot and the spacing between them (the status box of the
 * former template was always there, empty or not, so it always had its
 * spacing). */
static int
fixed_width (QuorumMemberRow *self)
{
  int width = MARGIN_START + AVATAR_SIZE + SPACING + SPACING + MARGIN_END;

  if (self->parts[PART_BADGE].shown)
    width += SPACING + badge_width (self);
  if (self->menu_slot)
    width += SPACING + menu_width (self);

  return width;
}

static void
quorum_member_row_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  QuorumMemberRow *self = QUORUM_MEMBER_ROW (widget);

  ensure_sizes (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int fixed = fixed_width (self);

      *minimum = fixed + text_min_width (self) + status_min_width (self);
      *natural = fixed + text_natural_width (self) + status_natural_width (self);
    }
  else
    {
      int text = self->parts[PART_TITLE].height + TEXT_SPACING + self->parts[PART_SUBTITLE].height;
      int status = MAX (MAX (part_height (self, PART_ACTIVITY), part_height (self, PART_STATUS)),
                        self->suspended ? DOT_BOX : 0);
      int badge = self->parts[PART_BADGE].shown ? self->parts[PART_BADGE].height + 2 * BADGE_PAD_Y : 0;
      int button = 0, unused = 0;
      int height;

      if (gtk_widget_get_visible (GTK_WIDGET (self->menu_button)))
        gtk_widget_measure (GTK_WIDGET (self->menu_button), GTK_ORIENTATION_VERTICAL, -1,
                            &button, &unused, NULL, NULL);
      height = MAX (MAX (AVATAR_SIZE, text), MAX (MAX (status, badge), button));
      *minimum = *natural = MARGIN_TOP + height + MARGIN_BOTTOM;
    }
}

/* Places a rectangle given left to right; mirrored when the row is RTL. */
static graphene_rect_t
place (int      width,
       gboolean rtl,
       float    x,
       float    y,
       float    w,
       float    h)
{
  graphene_rect_t r;

  graphene_rect_init (&r, rtl ? width - x - w : x, y, w, h);
  return r;
}

static void
place_part (QuorumMemberRow *self,
            Part             part,
            int              row_width,
            int              row_height,
            gboolean         rtl,
            float            x,
            float            y,
            float            w)
{
  RowPart *p = &self->parts[part];

  if (!p->shown)
    {
      graphene_rect_init (&p->area, 0, 0, 0, 0);
      return;
    }
  w = MAX (0, MIN (w, part == PART_ACTIVITY ? self->activity_max_width : p->nat_width));
  if (y < 0)
    y = floorf ((row_height - p->height) / 2.f);
  p->area = place (row_width, rtl, x, y, w, p->height);
  pango_layout_set_width (p->layout, w < p->nat_width ? (int) w * PANGO_SCALE : -1);
}

/* GtkBox's way with too little room for two children
 * (gtk_distribute_natural_allocation): each gets its minimum, then the rest
 * goes to the smaller want first, up to an equal share. */
static void
share (int  available,
       int  min_a,
       int  nat_a,
       int  min_b,
       int  nat_b,
       int *a,
       int *b)
{
  int extra = MAX (available - min_a - min_b, 0);
  int gap_a = MAX (nat_a - min_a, 0);
  int gap_b = MAX (nat_b - min_b, 0);

  *a = min_a;
  *b = min_b;
  if (gap_a <= gap_b)
    {
      int give = MIN (gap_a, (extra + 1) / 2);

      *a += give;
      *b += MIN (gap_b, extra - give);
    }
  else
    {
      int give = MIN (gap_b, (extra + 1) / 2);

      *b += give;
      *a += MIN (gap_a, extra - give);
    }
}

static void
quorum_member_row_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  QuorumMemberRow *self = QUORUM_MEMBER_ROW (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int inner = height - MARGIN_TOP - MARGIN_BOTTOM;
  int x = MARGIN_START;
  int end = width - MARGIN_END;
  int text_width, status_width;

  ensure_sizes (self);

  self->avatar_area = place (width, rtl, x, MARGIN_TOP + (inner - AVATAR_SIZE) / 2, AVATAR_SIZE, AVATAR_SIZE);
  x += AVATAR_SIZE + SPACING;

  if (self->menu_slot)
    {
      int w = menu_width (self);

      if (gtk_widget_get_visible (GTK_WIDGET (self->menu_button)))
        {
          int h = 0, unused = 0;

          gtk_widget_measure (GTK_WIDGET (self->menu_button), GTK_ORIENTATION_VERTICAL, w, &h, &unused, NULL, NULL);
          gtk_widget_size_allocate (GTK_WIDGET (self->menu_button),
                                    &(GtkAllocation) { rtl ? width - end : end - w,
                                                       MARGIN_TOP + (inner - h) / 2, w, h },
                                    -1);
        }
      end -= w + SPACING;
    }

  if (self->parts[PART_BADGE].shown)
    {
      int w = badge_width (self);
      int h = self->parts[PART_BADGE].height + 2 * BADGE_PAD_Y;

      self->badge_area = place (width, rtl, end - w, MARGIN_TOP + (inner - h) / 2, w, h);
      place_part (self, PART_BADGE, width, height, rtl, end - w + BADGE_PAD_X,
                  MARGIN_TOP + (inner - h) / 2 + BADGE_PAD_Y, w - 2 * BADGE_PAD_X);
      end -= w + SPACING;
    }
  else
    {
      graphene_rect_init (&self->badge_area, 0, 0, 0, 0);
      place_part (self, PART_BADGE, width, height, rtl, 0, 0, 0);
    }

  /* The name column takes what the status leaves, and any room to spare. */
  share (end - x - SPACING,
         text_min_width (self), text_natural_width (self),
         status_min_width (self), status_natural_width (self),
         &text_width, &status_width);
  text_width = MAX (end - x - SPACING - status_width, 0);

  {
    int title_h = self->parts[PART_TITLE].height;
    int sub_h = self->parts[PART_SUBTITLE].height;
    int top = MARGIN_TOP + (inner - (title_h + TEXT_SPACING + sub_h)) / 2;

    place_part (self, PART_TITLE, width, height, rtl, x, top, text_width);
    place_part (self, PART_SUBTITLE, width, height, rtl, x, top + title_h + TEXT_SPACING, text_width);
    self->placeholder_bar = place (width, rtl, x, top + title_h + TEXT_SPACING + sub_h / 4,
                                   MIN (text_width, 120), sub_h / 2);
  }
  x += text_width + SPACING;

  /* The status box: last active (ellipsized first), the dot, the status. */
  {
    int status_w = 0;
    int activity_w = 0;
    int rest = status_width;

    if (self->suspended)
      rest -= DOT_BOX + STATUS_SPACING;
    if (self->parts[PART_ACTIVITY].shown && self->parts[PART_STATUS].shown)
      rest -= STATUS_SPACING;
    share (rest,
           part_min_width (self, PART_ACTIVITY), part_width (self, PART_ACTIVITY),
           part_min_width (self, PART_STATUS), part_width (self, PART_STATUS),
           &activity_w, &status_w);

    if (self->parts[PART_ACTIVITY].shown)
      {
        place_part (self, PART_ACTIVITY, width, height, rtl, x, -1, activity_w);
        x += MIN (activity_w, part_width (self, PART_ACTIVITY)) + STATUS_SPACING;
      }
    else
      place_part (self, PART_ACTIVITY, width, height, rtl, 0, 0, 0);
    if (self->suspended)
      {
        self->dot_area = place (width, rtl, x, MARGIN_TOP + (inner - DOT_BOX) / 2, DOT_BOX, DOT_BOX);
        x += DOT_BOX + STATUS_SPACING;
      }
    place_part (self, PART_STATUS, width, height, rtl, x, -1, status_w);
  }

  if (self->parts[PART_INITIALS].shown)
    {
      RowPart *p = &self->parts[PART_INITIALS];

      p->area.origin.x = self->avatar_area.origin.x + (AVATAR_SIZE - p->nat_width) / 2.f;
      p->area.origin.y = self->avatar_area.origin.y + (AVATAR_SIZE - p->height) / 2.f;
      p->area.size.width = p->nat_width;
      p->area.size.height = p->height;
    }
}

static GdkRGBA
with_alpha (const GdkRGBA *color,
            float          alpha)
{
  GdkRGBA c = *color;

  c.alpha *= alpha;
  return c;
}

static void
draw_part (QuorumMemberRow *self,
           GtkSnapshot     *snapshot,
           Part             part,
           gboolean         rtl,
           const GdkRGBA   *color)
{
  RowPart *p = &self->parts[part];
  PangoRectangle logical;
  float x;

  if (!p->shown || p->area.size.width <= 0)
    return;

  /* Start-aligned in the area, whatever Pango's own alignment. */
  pango_layout_get_pixel_extents (p->layout, NULL, &logical);
  if (rtl)
    x = p->area.origin.x + p->area.size.width - (logical.x + logical.width);
  else
    x = p->area.origin.x - logical.x;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, p->area.origin.y));
  gtk_snapshot_append_layout (snapshot, p->layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
quorum_member_row_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  QuorumMemberRow *self = QUORUM_MEMBER_ROW (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  gboolean high_contrast = adw_style_manager_get_high_contrast (adw_style_manager_get_default ());
  GdkRGBA fg, dim, faint, error;
  GskRoundedRect circle;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (context, &fg);
  if (!gtk_style_context_lookup_color (context, "error_color", &error))
    gdk_rgba_parse (&error, "#c01c28");
  G_GNUC_END_IGNORE_DEPRECATIONS
  dim = with_alpha (&fg, high_contrast ? DIM_OPACITY_HC : DIM_OPACITY);
  faint = with_alpha (&fg, 0.1);

  ensure_sizes (self);

  /* The avatar: AdwAvatar's gradient and initials, or a grey disc while the
   * member is loading. */
  gsk_rounded_rect_init_from_rect (&circle, &self->avatar_area, AVATAR_SIZE / 2.f);
  gtk_snapshot_push_rounded_clip (snapshot, &circle);
  if (self->placeholder || !self->parts[PART_INITIALS].shown)
    gtk_snapshot_append_color (snapshot, &faint, &self->avatar_area);
  else
    {
      GskColorStop stops[2];

      stops[0].offset = 0;
      gdk_rgba_parse (&stops[0].color, avatar_colors[self->avatar_color].top);
      stops[1].offset = 1;
      gdk_rgba_parse (&stops[1].color, avatar_colors[self->avatar_color].bottom);
      gtk_snapshot_append_linear_gradient (snapshot, &self->avatar_area,
                                           &GRAPHENE_POINT_INIT (self->avatar_area.origin.x, self->avatar_area.origin.y),
                                           &GRAPHENE_POINT_INIT (self->avatar_area.origin.x,
                                                                 self->avatar_area.origin.y + AVATAR_SIZE),
                                           stops, G_N_ELEMENTS (stops));
    }
  gtk_snapshot_pop (snapshot);
  if (!self->placeholder && self->parts[PART_INITIALS].shown)
    {
      GdkRGBA initials;

      gdk_rgba_parse (&initials, avatar_colors[self->avatar_color].text);
      draw_part (self, snapshot, PART_INITIALS, FALSE, &initials);
    }

  draw_part (self, snapshot, PART_TITLE, rtl, &fg);
  draw_part (self, snapshot, PART_SUBTITLE, rtl, &dim);
  if (self->placeholder && self->placeholder_bar.size.width > 0)
    {
      GskRoundedRect bar;

      gsk_rounded_rect_init_from_rect (&bar, &self->placeholder_bar, self->placeholder_bar.size.height / 2);
      gtk_snapshot_push_rounded_clip (snapshot, &bar);
      gtk_snapshot_append_color (snapshot, &faint, &self->placeholder_bar);
      gtk_snapshot_pop (snapshot);
    }
  draw_part (self, snapshot, PART_ACTIVITY, rtl, &dim);
  draw_part (self, snapshot, PART_STATUS, rtl, &dim);

  if (self->suspended)
    {
      graphene_rect_t dot;
      GskRoundedRect round;

      graphene_rect_init (&dot,
                          self->dot_area.origin.x + (DOT_BOX - DOT_SIZE) / 2.f,
                          self->dot_area.origin.y + (DOT_BOX - DOT_SIZE) / 2.f,
                          DOT_SIZE, DOT_SIZE);
      gsk_rounded_rect_init_from_rect (&round, &dot, DOT_SIZE / 2.f);
      gtk_snapshot_push_rounded_clip (snapshot, &round);
      gtk_snapshot_append_color (snapshot, &error, &dot);
      gtk_snapshot_pop (snapshot);
    }

  if (self->parts[PART_BADGE].shown)
    {
      GskRoundedRect pill;

      gsk_rounded_rect_init_from_rect (&pill, &self->badge_area, self->badge_area.size.height / 2);
      gtk_snapshot_push_rounded_clip (snapshot, &pill);
      gtk_snapshot_append_color (snapshot, &faint, &self->badge_area);
      gtk_snapshot_pop (snapshot);
      draw_part (self, snapshot, PART_BADGE, rtl, &fg);
    }

  gtk_widget_snapshot_child (widget, GTK_WIDGET (self->menu_button), snapshot);
}

/* The exact time of the last activity, over its words. */
static gboolean
quorum_member_row_query_tooltip (GtkWidget  *widget,
                                 int         x,
                                 int         y,
                                 gboolean    keyboard_tooltip,
                                 GtkTooltip *tooltip)
{
  const char *text;

  if (keyboard_tooltip)
    return FALSE;
  text = _quorum_member_row_tooltip_at (QUORUM_MEMBER_ROW (widget), x, y);
  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
quorum_member_row_dispose (GObject *object)
{
  QuorumMemberRow *self = QUORUM_MEMBER_ROW (object);

  set_item (self, NULL);
  for (guint i = 0; i < N_PARTS; i++)
    g_clear_object (&self->parts[i].layout);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_MEMBER_ROW);

  G_OBJECT_CLASS (quorum_member_row_parent_class)->dispose (object);
}

static void
quorum_member_row_finalize (GObject *object)
{
  QuorumMemberRow *self = QUORUM_MEMBER_ROW (object);

  g_free (self->activity_tooltip);
  g_free (self->caller_user_id);

  G_OBJECT_CLASS (quorum_member_row_parent_class)->finalize (object);
}

static void
quorum_member_row_class_init (QuorumMemberRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_member_row_dispose;
  object_class->finalize = quorum_member_row_finalize;

  widget_class->measure = quorum_member_row_measure;
  widget_class->size_allocate = quorum_member_row_size_allocate;
  widget_class->snapshot = quorum_member_row_snapshot;
  widget_class->query_tooltip = quorum_member_row_query_tooltip;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-member-row.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumMemberRow, menu_button);

  gtk_widget_class_install_action (widget_class, "member.change-role", "s", change_role_action);
  gtk_widget_class_install_action (widget_class, "member.suspend", NULL, suspend_action);
  gtk_widget_class_install_action (widget_class, "member.reactivate", NULL, reactivate_action);
  gtk_widget_class_install_action (widget_class, "member.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "invitation.resend", NULL, resend_action);
  gtk_widget_class_install_action (widget_class, "invitation.revoke", NULL, revoke_action);

  gtk_widget_class_set_css_name (widget_class, "quorummemberrow");
}

static void
quorum_member_row_init (QuorumMemberRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_popup, self, NULL);
}

GtkWidget *
quorum_member_row_new (void)
{
  return g_object_new (QUORUM_TYPE_MEMBER_ROW, NULL);
}

GObject *
quorum_member_row_get_item (QuorumMemberRow *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_ROW (self), NULL);

  return self->item;
}

static void
set_menu (QuorumMemberRow *self,
          QuorumRole       caller_role,
          int              kind)
{
  gboolean can_manage_anything = quorum_role_can (caller_role, QUORUM_PERMISSION_CHANGE_ROLE) ||
                                 quorum_role_can (caller_role, QUORUM_PERMISSION_MANAGE_MEMBERS) ||
                                 quorum_role_can (caller_role, QUORUM_PERMISSION_MANAGE_INVITATIONS);
  GMenuModel *menu = kind >= 0 ? get_menu ((MenuKind) kind) : NULL;

  /* The slot keeps badges aligned when only some rows have a menu. */
  self->menu_slot = can_manage_anything;
  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), menu != NULL);
  if (self->menu != menu)
    {
      self->menu = menu;
      /* Drop a popover built for another menu; create_popup() builds the
       * right one when the button is used, not for every row scrolled by. */
      if (gtk_menu_button_get_menu_model (self->menu_button) != NULL)
        gtk_menu_button_set_menu_model (self->menu_button, NULL);
    }
}

static void
create_popup (GtkMenuButton *button,
              gpointer       user_data)
{
  QuorumMemberRow *self = user_data;

  if (self->menu != NULL)
    gtk_menu_button_set_menu_model (button, self->menu);
}

static void
set_avatar (QuorumMemberRow *self,
            const char      *text)
{
  g_autofree char *initials = text != NULL ? extract_initials (text) : NULL;

  set_part (self, PART_INITIALS, initials);
  /* AdwAvatar's colour for this text. */
  self->avatar_color = text != NULL && *text != '\0' ? g_str_hash (text) % N_AVATAR_COLORS : 0;
}

static void show_item (QuorumMemberRow *self);

/* The placeholder shown was filled with its member (quorum_member_fill(),
 * its page arrived): the list emits no items_changed for that, so the row
 * is not bound again; it shows the member itself. Every field is set by
 * the time "placeholder" is notified. */
static void
item_filled_cb (QuorumMember    *member,
                GParamSpec      *pspec,
                QuorumMemberRow *self)
{
  g_assert ((GObject *) member == self->item);

  if (self->placeholder && !quorum_member_is_placeholder (member))
    show_item (self);
}

/* Holds @item (or nothing), listening to it while it is a placeholder:
 * members change only by being filled. */
static void
set_item (QuorumMemberRow *self,
          GObject         *item)
{
  if (self->item == item)
    return;
  if (self->fill_id != 0)
    g_clear_signal_handler (&self->fill_id, self->item);
  g_set_object (&self->item, item);
  if (QUORUM_IS_MEMBER (item) && quorum_member_is_placeholder (QUORUM_MEMBER (item)))
    self->fill_id = g_signal_connect (item, "notify::placeholder", G_CALLBACK (item_filled_cb), self);
}

/**
 * quorum_member_row_bind:
 * @item: a #QuorumMember or a pending #QuorumInvitation
 * @caller_role: the signed-in user's role in the organization
 * @caller_user_id: (nullable): the signed-in user's id, to recognize oneself
 *
 * A placeholder member is shown as a row still loading, and as its member
 * once quorum_member_fill() gives it one, until quorum_member_row_unbind().
 */
void
quorum_member_row_bind (QuorumMemberRow *self,
                        GObject         *item,
                        QuorumRole       caller_role,
                        const char      *caller_user_id)
{
  g_return_if_fail (QUORUM_IS_MEMBER_ROW (self));
  g_return_if_fail (QUORUM_IS_MEMBER (item) || QUORUM_IS_INVITATION (item));

  set_item (self, item);
  self->caller_role = caller_role;
  if (g_strcmp0 (self->caller_user_id, caller_user_id) != 0)
    {
      g_free (self->caller_user_id);
      self->caller_user_id = g_strdup (caller_user_id);
    }
  show_item (self);
}

static void
show_item (QuorumMemberRow *self)
{
  GObject *item = self->item;
  QuorumRole caller_role = self->caller_role;
  const char *caller_user_id = self->caller_user_id;
  g_autofree char *accessible = NULL;
  g_autofree char *menu_label = NULL;
  g_autofree char *activity = NULL;  /* members only */
  g_autofree char *invited_by = NULL;
  const char *title = NULL;
  const char *subtitle = NULL;
  const char *status = NULL;
  QuorumRole role;
  gboolean pending = FALSE;
  int kind = -1;

  g_clear_pointer (&self->activity_tooltip, g_free);
  self->suspended = FALSE;
  self->placeholder = FALSE;

  if (QUORUM_IS_MEMBER (item) && quorum_member_is_placeholder (QUORUM_MEMBER (item)))
    {
      /* A hook for the random-access list: grey bars and "Loading…". */
      self->placeholder = TRUE;
      role = QUORUM_ROLE_NONE;
      title = _("Loading…");
      set_part (self, PART_SUBTITLE, "");
      set_avatar (self, NULL);
    }
  else if (QUORUM_IS_INVITATION (item))
    {
      QuorumInvitation *invitation = QUORUM_INVITATION (item);
      const char *inviter = quorum_invitation_get_inviter_name (invitation);

      pending = TRUE;
      title = quorum_invitation_get_email (invitation);
      role = quorum_invitation_get_role (invitation);
      /* Said in the subtitle, not beside the badge: the address needs the
       * width at 360 px. */
      if (quorum_role_can (caller_role, QUORUM_PERMISSION_MANAGE_INVITATIONS))
        kind = MENU_INVITATION;

      if (inviter != NULL && *inviter != '\0')
        {
          /* Translators: %s is who sent the invitation */
          invited_by = g_strdup_printf (_("Invitation pending, sent by %s"), inviter);
          subtitle = invited_by;
        }
      else
        subtitle = _("Invitation pending");
      set_avatar (self, title);
    }
  else
    {
      QuorumMember *member = QUORUM_MEMBER (item);
      gboolean is_self = caller_user_id != NULL &&
                         g_strcmp0 (quorum_member_get_user_id (member), caller_user_id) == 0;
      const char *name = quorum_member_get_name (member);
      int member_kind = 0;

      subtitle = quorum_member_get_email (member);
      title = name != NULL && *name != '\0' ? name : subtitle;
      role = quorum_member_get_role (member);
      self->suspended = g_strcmp0 (quorum_member_get_status (member), "suspended") == 0;
      status = self->suspended ? _("Suspended") : NULL;

      if (role != QUORUM_ROLE_OWNER && !is_self)
        {
          if (quorum_role_can (caller_role, QUORUM_PERMISSION_CHANGE_ROLE))
            member_kind |= MENU_MEMBER_ROLE;
          if (quorum_role_can (caller_role, QUORUM_PERMISSION_MANAGE_MEMBERS))
            member_kind |= MENU_MEMBER_MANAGE;
        }
      if (member_kind != 0)
        {
          if (role == QUORUM_ROLE_ADMIN)
            member_kind |= MENU_MEMBER_IS_ADMIN;
          if (self->suspended)
            member_kind |= MENU_MEMBER_IS_SUSPENDED;
          kind = member_kind;
        }

      set_avatar (self, title);

      {
        GDateTime *last_active = quorum_member_get_last_active_at (member);
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

        activity = quorum_format_last_active (last_active, now);
        /* The exact time on hover. */
        self->activity_tooltip = last_active != NULL ? quorum_format_date_time (last_active) : NULL;
      }
    }

  set_part (self, PART_TITLE, title != NULL ? title : "");
  if (!self->placeholder)
    set_part (self, PART_SUBTITLE, subtitle != NULL ? subtitle : "");
  else
    self->parts[PART_SUBTITLE].shown = FALSE;
  set_part (self, PART_BADGE, role != QUORUM_ROLE_NONE ? quorum_role_get_label (role) : NULL);
  set_part (self, PART_STATUS, status);
  set_part (self, PART_ACTIVITY, activity);
  self->sizes_valid = FALSE;

  if (pending)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pending-row");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "pending-row");
  if (self->placeholder)
    gtk_widget_add_css_class (GTK_WIDGET (self), "placeholder-row");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "placeholder-row");

  set_menu (self, caller_role, kind);
  gtk_widget_queue_resize (GTK_WIDGET (self));

  if (self->placeholder)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading"),
                                      -1);
      return;
    }

  accessible = g_strdup_printf ("%s, %s, %s%s%s%s%s",
                                title != NULL ? title : "",
                                subtitle != NULL ? subtitle : "",
                                quorum_role_get_label (role),
                                status != NULL ? ", " : "",
                                status != NULL ? status : "",
                                activity != NULL ? ", " : "",
                                activity != NULL ? activity : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  /* Translators: the accessible name of a row's menu button, %s a name or e-mail */
  menu_label = g_strdup_printf (_("Actions for %s"), title != NULL ? title : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label,
                                  -1);
}

void
quorum_member_row_unbind (QuorumMemberRow *self)
{
  g_return_if_fail (QUORUM_IS_MEMBER_ROW (self));

  set_item (self, NULL);
}

gboolean
quorum_member_row_has_menu (QuorumMemberRow *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_ROW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->menu_button)) && self->menu != NULL;
}

GMenuModel *
quorum_member_row_get_menu (QuorumMemberRow *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_ROW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->menu_button)) ? self->menu : NULL;
}

gboolean
_quorum_member_row_shows (QuorumMemberRow *self,
                          const char      *text)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_ROW (self), FALSE);

  for (guint i = 0; i < N_PARTS; i++)
    if (self->parts[i].shown && g_strcmp0 (pango_layout_get_text (self->parts[i].layout), text) == 0)
      return TRUE;
  return FALSE;
}

gboolean
_quorum_member_row_shows_suspended_indicator (QuorumMemberRow *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_ROW (self), FALSE);

  return self->suspended;
}

/* The last-active words the row draws (NULL when it shows none), and
 * where. */
const char *
_quorum_member_row_get_activity (QuorumMemberRow *self,
                                 graphene_rect_t *area)
{
  RowPart *activity;

  g_return_val_if_fail (QUORUM_IS_MEMBER_ROW (self), NULL);

  activity = &self->parts[PART_ACTIVITY];
  if (area != NULL)
    *area = activity->area;
  return activity->shown ? pango_layout_get_text (activity->layout) : NULL;
}

/* The row's own tooltip at a point (the menu button has its own). */
const char *
_quorum_member_row_tooltip_at (QuorumMemberRow *self,
                               double           x,
                               double           y)
{
  RowPart *activity;

  g_return_val_if_fail (QUORUM_IS_MEMBER_ROW (self), NULL);

  activity = &self->parts[PART_ACTIVITY];
  if (self->activity_tooltip == NULL || !activity->shown ||
      !graphene_rect_contains_point (&activity->area, &GRAPHENE_POINT_INIT (x, y)))
    return NULL;
  return self->activity_tooltip;
}

/* Where the row draws this text (inside the badge for the role), and
 * whether it had to shorten it; FALSE when it does not draw it. */
gboolean
_quorum_member_row_get_text_area (QuorumMemberRow *self,
                                  const char      *text,
                                  graphene_rect_t *area,
                                  gboolean        *ellipsized)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_ROW (self), FALSE);

  for (guint i = 0; i < N_PARTS; i++)
    {
      RowPart *p = &self->parts[i];

      if (!p->shown || g_strcmp0 (pango_layout_get_text (p->layout), text) != 0)
        continue;
      *area = p->area;
      *ellipsized = pango_layout_is_ellipsized (p->layout);
      return TRUE;
    }
  return FALSE;
}
