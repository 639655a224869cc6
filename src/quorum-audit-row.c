/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-api-private.h"
#include "quorum-audit-row.h"
#include "quorum-core.h"
#include "quorum-utils-private.h"

/*
 * One audit event as a sentence ("Ada Lovelace changed Grace Hopper’s role
 * to Admin") with its time relative ("5 minutes ago") and exact in the
 * tooltip. The actions the API lists have their own sentence; any other
 * (a newer server's) is shown as it is, with who and what.
 */
struct _QuorumAuditRow
{
  GtkWidget  parent_instance;

  GtkLabel  *text_label;
  GtkLabel  *time_label;
};

G_DEFINE_FINAL_TYPE (QuorumAuditRow, quorum_audit_row, GTK_TYPE_WIDGET)

static void
quorum_audit_row_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (quorum_audit_row_parent_class)->dispose (object);
}

static void
quorum_audit_row_class_init (QuorumAuditRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = quorum_audit_row_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "auditrow");
}

static void
quorum_audit_row_init (QuorumAuditRow *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);
  self->text_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->text_label, TRUE);
  gtk_label_set_xalign (self->text_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->text_label), TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->text_label), GTK_WIDGET (self));

  self->time_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->time_label, 1);
  gtk_widget_set_valign (GTK_WIDGET (self->time_label), GTK_ALIGN_START);
  gtk_widget_add_css_class (GTK_WIDGET (self->time_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->time_label), "numeric");
  gtk_widget_set_parent (GTK_WIDGET (self->time_label), GTK_WIDGET (self));

  gtk_widget_set_margin_top (GTK_WIDGET (self), 9);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 9);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 12);
}

GtkWidget *
quorum_audit_row_new (void)
{
  return g_object_new (QUORUM_TYPE_AUDIT_ROW, NULL);
}

static const char *
role_label (const char *role)
{
  QuorumRole r = role != NULL ? quorum_role_from_string (role) : QUORUM_ROLE_NONE;

  return r != QUORUM_ROLE_NONE ? quorum_role_get_label (r) : role;
}

/* A value from the server, as text for display. */
static char *
shown (const char *value)
{
  return quorum_api_text_for_display (value != NULL ? value : "");
}

/* A plan as the audit record names it: its id ("pln_team"). Plans are
 * named after their id ("Team"); the name is the server's, not ours. */
static char *
plan_label (const char *plan_id)
{
  g_autofree char *text = shown (plan_id);
  const char *name = g_str_has_prefix (text, "pln_") && text[4] != '\0' ? text + 4 : text;
  g_autofree char *head = g_utf8_strup (name, g_utf8_next_char (name) - name);

  return g_strconcat (head, g_utf8_next_char (name), NULL);
}

/* The sentence of an update that says what changed, or NULL to say it
 * the general way. */
static char *
describe_changes (QuorumAuditEvent *event,
                  const char       *action,
                  const char       *actor,
                  const char       *target)
{
  const char *from = NULL;
  const char *to = NULL;
  const char *status_to = NULL;
  gboolean role, status;

#define IS(name) g_str_equal (action, name)
  if (IS ("member.updated"))
    {
      role = quorum_audit_event_get_change (event, "role", &from, &to) && to != NULL;
      status = quorum_audit_event_get_change (event, "status", NULL, &status_to) && status_to != NULL &&
               (g_str_equal (status_to, "suspended") || g_str_equal (status_to, "active"));
      if (role && from != NULL && status && g_str_equal (status_to, "suspended"))
        /* TRANSLATORS: "Ada Lovelace changed Bob Smith’s role from Member to Admin and suspended them" */
        return g_strdup_printf (_("%s changed %s’s role from %s to %s and suspended them"), actor, target,
                                role_label (from), role_label (to));
      if (role && from != NULL && status)
        return g_strdup_printf (_("%s changed %s’s role from %s to %s and reactivated them"), actor, target,
                                role_label (from), role_label (to));
      if (role && from != NULL)
        /* TRANSLATORS: "Ada Lovelace changed Bob Smith’s role from Member to Admin" */
        return g_strdup_printf (_("%s changed %s’s role from %s to %s"), actor, target, role_label (from),
                                role_label (to));
      if (role)
        return g_strdup_printf (_("%s changed %s’s role to %s"), actor, target, role_label (to));
      if (status && g_str_equal (status_to, "suspended"))
        return g_strdup_printf (_("%s suspended %s"), actor, target);
      if (status)
        return g_strdup_printf (_("%s reactivated %s"), actor, target);
      return NULL;
    }
  if (IS ("organization.updated"))
    {
      g_autofree char *name = NULL;
      g_autofree char *slug = NULL;
      const char *slug_to = NULL;

      if (quorum_audit_event_get_change (event, "name", NULL, &to) && to != NULL)
        name = shown (to);
      if (quorum_audit_event_get_change (event, "slug", NULL, &slug_to) && slug_to != NULL)
        slug = shown (slug_to);
      if (name != NULL && slug != NULL)
        /* TRANSLATORS: "Ada Lovelace renamed the organization to “Hopper Labs” and changed its address to
         * “hopper-labs”" */
        return g_strdup_printf (_("%s renamed the organization to “%s” and changed its address to “%s”"), actor,
                                name, slug);
      if (name != NULL)
        /* TRANSLATORS: "Ada Lovelace renamed the organization to “Hopper Labs”" */
        return g_strdup_printf (_("%s renamed the organization to “%s”"), actor, name);
      if (slug != NULL)
        return g_strdup_printf (_("%s changed the organization’s address to “%s”"), actor, slug);
      return NULL;
    }
  if (IS ("billing.plan_changed") && quorum_audit_event_get_change (event, "plan", &from, &to) &&
      from != NULL && to != NULL)
    {
      g_autofree char *before = plan_label (from);
      g_autofree char *after = plan_label (to);

      /* TRANSLATORS: "Ada Lovelace changed the plan from Free to Team" */
      return g_strdup_printf (_("%s changed the plan from %s to %s"), actor, before, after);
    }
  if (IS ("webhook.updated"))
    {
      gboolean enabled = quorum_audit_event_get_change (event, "enabled", NULL, &to) && to != NULL;
      gboolean only_enabled = enabled && !quorum_audit_event_get_change (event, "url", NULL, NULL) &&
                              !quorum_audit_event_get_change (event, "events", NULL, NULL) &&
                              !quorum_audit_event_get_change (event, "description", NULL, NULL);

      if (only_enabled && g_str_equal (to, "true"))
        return g_strdup_printf (_("%s turned on the webhook %s"), actor, target);
      if (only_enabled && g_str_equal (to, "false"))
        return g_strdup_printf (_("%s turned off the webhook %s"), actor, target);
      if (quorum_audit_event_get_change (event, "url", &from, NULL) && from != NULL)
        {
          g_autofree char *before = shown (from);

          /* TRANSLATORS: "Ada Lovelace moved the webhook https://old… to https://new…" (its address) */
          return g_strdup_printf (_("%s moved the webhook %s to %s"), actor, before, target);
        }
      if (quorum_audit_event_get_change (event, "events", NULL, &to) && to != NULL)
        {
          g_autofree char *events = shown (to);

          /* TRANSLATORS: "Ada Lovelace changed the events of the webhook https://… to member.added, member.removed" */
          return g_strdup_printf (_("%s changed the events of the webhook %s to %s"), actor, target, events);
        }
      return NULL;
    }
  if (IS ("api_key.rotated") && quorum_audit_event_get_change (event, "expires_at", NULL, &to) && to != NULL)
    {
      g_autoptr(GDateTime) until = g_date_time_new_from_iso8601 (to, NULL);
      g_autofree char *exact = NULL;

      if (until == NULL)
        return NULL;
      exact = quorum_format_exact_time (until);
      /* TRANSLATORS: "Ada Lovelace rotated the API key “CI”; the old secret works until 22 November 2026, 11:43" */
      return g_strdup_printf (_("%s rotated the API key “%s”; the old secret works until %s"), actor, target, exact);
    }
#undef IS
  return NULL;
}

/**
 * quorum_audit_row_describe:
 *
 * Returns: (transfer full): @event as a sentence for people
 */
char *
quorum_audit_row_describe (QuorumAuditEvent *event)
{
  const char *action;
  const char *role;
  g_autofree char *changed = NULL;
  g_autofree char *target = NULL;
  g_autofree char *actor_name = NULL;
  g_autofree char *actor = NULL;

  g_return_val_if_fail (QUORUM_IS_AUDIT_EVENT (event), NULL);

  /* Names as they were, from the server: as text for display (no controls,
   * bidi overrides or separators that could spoof the sentence). */
  action = quorum_audit_event_get_action (event);
  target = quorum_api_text_for_display (quorum_audit_event_get_target_name (event));
  if (*target == '\0')
    {
      g_free (target);
      target = g_strdup (quorum_audit_event_get_target_id (event));
    }
  actor_name = quorum_api_text_for_display (quorum_audit_event_get_actor_name (event));
  role = quorum_audit_event_get_detail (event, "role");

  if (quorum_audit_event_is_by_api_key (event))
    actor = g_strdup_printf (_("The API key “%s”"), actor_name);
  else if (g_str_equal (quorum_audit_event_get_actor_kind (event), "system"))
    /* TRANSLATORS: the server itself, as the one who made a change ("Quorum renewed the plan") */
    actor = g_strdup (_("Quorum"));
  else if (*actor_name != '\0')
    actor = g_strdup (actor_name);
  else
    actor = g_strdup (_("Someone"));

  /* An update that says what changed says it. */
  if ((changed = describe_changes (event, action, actor, target)) != NULL)
    return g_steal_pointer (&changed);

#define IS(name) g_str_equal (action, name)
  if (IS ("organization.created"))
    return g_strdup_printf (_("%s created the organization"), actor);
  if (IS ("organization.updated"))
    return g_strdup_printf (_("%s changed the organization’s name or address"), actor);
  if (IS ("organization.logo_updated"))
    return g_strdup_printf (_("%s changed the organization’s logo"), actor);
  if (IS ("organization.deleted"))
    return g_strdup_printf (_("%s deleted the organization"), actor);
  if (IS ("organization.ownership_transferred"))
    return g_strdup_printf (_("%s transferred ownership to %s"), actor, target);
  if (IS ("member.added"))
    return g_strdup_printf (_("%s added %s"), actor, target);
  if ((IS ("member.updated") || IS ("member.role_changed")) && role != NULL)
    /* TRANSLATORS: "Ada Lovelace changed Grace Hopper’s role to Admin" */
    return g_strdup_printf (_("%s changed %s’s role to %s"), actor, target, role_label (role));
  if (IS ("member.updated") || IS ("member.role_changed"))
    return g_strdup_printf (_("%s changed %s’s membership"), actor, target);
  if (IS ("member.suspended"))
    return g_strdup_printf (_("%s suspended %s"), actor, target);
  if (IS ("member.reactivated"))
    return g_strdup_printf (_("%s reactivated %s"), actor, target);
  if (IS ("member.removed"))
    return g_strdup_printf (_("%s removed %s"), actor, target);
  if (IS ("member.left"))
    return g_strdup_printf (_("%s left the organization"), actor);
  if (IS ("invitation.created"))
    return g_strdup_printf (_("%s invited %s"), actor, target);
  if (IS ("invitation.resent"))
    return g_strdup_printf (_("%s sent the invitation to %s again"), actor, target);
  if (IS ("invitation.revoked"))
    return g_strdup_printf (_("%s revoked the invitation to %s"), actor, target);
  if (IS ("invitation.accepted"))
    return g_strdup_printf (_("%s accepted the invitation"), actor);
  if (IS ("invitation.declined"))
    return g_strdup_printf (_("%s declined the invitation"), actor);
  if (IS ("billing.plan_changed"))
    return g_strdup_printf (_("%s changed the plan"), actor);
  if (IS ("billing.plan_renewed"))
    return g_strdup_printf (_("%s renewed the plan"), actor);
  if (IS ("billing.topped_up") || IS ("billing.top_up"))
    return g_strdup_printf (_("%s topped up the balance"), actor);
  if (IS ("billing.updated"))
    return g_strdup_printf (_("%s changed the low-balance alert"), actor);
  if (IS ("api_key.created"))
    return g_strdup_printf (_("%s created the API key “%s”"), actor, target);
  if (IS ("api_key.rotated"))
    return g_strdup_printf (_("%s rotated the API key “%s”"), actor, target);
  if (IS ("api_key.revoked"))
    return g_strdup_printf (_("%s revoked the API key “%s”"), actor, target);
  if (IS ("webhook.created"))
    return g_strdup_printf (_("%s added the webhook %s"), actor, target);
  if (IS ("webhook.updated"))
    return g_strdup_printf (_("%s changed the webhook %s"), actor, target);
  if (IS ("webhook.deleted"))
    return g_strdup_printf (_("%s deleted the webhook %s"), actor, target);
  if (IS ("webhook.secret_rolled"))
    return g_strdup_printf (_("%s rolled the signing secret of the webhook %s"), actor, target);
#undef IS

  /* TRANSLATORS: an action this version of Quorum does not know, as the
   * server named it: "Ada Lovelace: widget.frobbed (Grace Hopper)" */
  return g_strdup_printf (_("%s: %s (%s)"), actor, action, target);
}

void
quorum_audit_row_set_event (QuorumAuditRow   *self,
                            QuorumAuditEvent *event,
                            GDateTime        *now)
{
  g_autofree char *text = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *exact = NULL;

  g_return_if_fail (QUORUM_IS_AUDIT_ROW (self));
  g_return_if_fail (event == NULL || QUORUM_IS_AUDIT_EVENT (event));

  if (event == NULL)
    {
      gtk_label_set_text (self->text_label, "");
      gtk_label_set_text (self->time_label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->time_label), NULL);
      return;
    }

  text = quorum_audit_row_describe (event);
  relative = quorum_format_relative_time (quorum_audit_event_get_created_at (event), now);
  exact = quorum_format_exact_time (quorum_audit_event_get_created_at (event));
  gtk_label_set_text (self->text_label, text);
  gtk_label_set_text (self->time_label, relative);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->time_label), exact);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->time_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, exact, -1);
}

/* The sentence shown. */
const char *
quorum_audit_row_get_text (QuorumAuditRow *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_ROW (self), NULL);

  return gtk_label_get_text (self->text_label);
}
