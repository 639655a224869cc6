/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-api-key-row.h"
#include "quorum-utils-private.h"

/*
 * One API key in the Developers tab: its name; its prefix and scopes; when
 * it was created, last used and expires; a "Due for rotation" tag once it is
 * older than QUORUM_API_KEY_ROTATE_AFTER_DAYS; and a menu with Rotate… and
 * Revoke…, which activate the page's developers.rotate-key and
 * developers.revoke-key with the key's id and name: the row knows nothing
 * of the page.
 */
struct _QuorumApiKeyRow
{
  AdwActionRow  parent_instance;

  QuorumApiKey *key;
  gboolean      due;
};

G_DEFINE_FINAL_TYPE (QuorumApiKeyRow, quorum_api_key_row, ADW_TYPE_ACTION_ROW)

static void
quorum_api_key_row_dispose (GObject *object)
{
  QuorumApiKeyRow *self = QUORUM_API_KEY_ROW (object);

  g_clear_object (&self->key);

  G_OBJECT_CLASS (quorum_api_key_row_parent_class)->dispose (object);
}

static void
quorum_api_key_row_class_init (QuorumApiKeyRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = quorum_api_key_row_dispose;
}

static void
quorum_api_key_row_init (QuorumApiKeyRow *self)
{
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 0);
}

static char *
scopes_text (QuorumApiKey *key)
{
  const char * const *names = quorum_api_key_get_scope_names (key);
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      QuorumScope scope = quorum_scope_from_string (names[i]);

      /* A scope this app does not know yet, by its name. */
      g_strv_builder_add (labels, scope != QUORUM_SCOPE_NONE ? quorum_scope_get_label (scope) : names[i]);
    }
  strv = g_strv_builder_end (labels);
  /* TRANSLATORS: between the scopes of an API key: "Read members, Send invitations" */
  return g_strjoinv (_(", "), strv);
}

static char *
times_text (QuorumApiKey *key,
            GDateTime    *now)
{
  g_autofree char *created = quorum_format_relative_time (quorum_api_key_get_created_at (key), now);
  g_autofree char *used = NULL;
  g_autofree char *expires = NULL;
  GDateTime *expires_at = quorum_api_key_get_expires_at (key);
  GDateTime *last_used_at = quorum_api_key_get_last_used_at (key);

  if (last_used_at != NULL)
    {
      g_autofree char *when = quorum_format_relative_time (last_used_at, now);

      used = g_strdup_printf (_("last used %s"), when);
    }
  else
    used = g_strdup (_("never used"));

  if (expires_at == NULL)
    expires = g_strdup (_("never expires"));
  else
    {
      g_autofree char *date = quorum_format_date (expires_at);

      expires = quorum_api_key_is_expired (key, now) ? g_strdup_printf (_("expired on %s"), date)
                                                       : g_strdup_printf (_("expires on %s"), date);
    }

  /* TRANSLATORS: "Created 3 days ago · last used 5 minutes ago · never expires" */
  return g_strdup_printf (_("Created %s · %s · %s"), created, used, expires);
}

static GMenuModel *
key_menu (QuorumApiKey *key)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenuItem) rotate = g_menu_item_new (_("_Rotate…"), NULL);
  g_autoptr(GMenuItem) revoke = g_menu_item_new (_("Re_voke…"), NULL);
  GVariant *target = g_variant_new ("(ss)", quorum_api_key_get_id (key), quorum_api_key_get_name (key));

  g_variant_ref_sink (target);
  g_menu_item_set_action_and_target_value (rotate, "developers.rotate-key", target);
  g_menu_item_set_action_and_target_value (revoke, "developers.revoke-key", target);
  g_variant_unref (target);
  g_menu_append_item (menu, rotate);
  g_menu_append_item (menu, revoke);
  return G_MENU_MODEL (menu);
}

GtkWidget *
quorum_api_key_row_new (QuorumApiKey *key,
                        GDateTime    *now)
{
  QuorumApiKeyRow *self;
  g_autofree char *scopes = NULL;
  g_autofree char *times = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *menu_label = NULL;
  g_autoptr(GMenuModel) menu = NULL;
  GtkWidget *button;

  g_return_val_if_fail (QUORUM_IS_API_KEY (key), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  self = g_object_new (QUORUM_TYPE_API_KEY_ROW, NULL);
  self->key = g_object_ref (key);
  self->due = quorum_api_key_is_due_for_rotation (key, now);

  scopes = scopes_text (key);
  times = times_text (key, now);
  subtitle = g_strdup_printf ("%s · %s\n%s", quorum_api_key_get_prefix (key), scopes, times);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), quorum_api_key_get_name (key));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  if (self->due)
    {
      GtkWidget *tag = gtk_label_new (_("Due for rotation"));

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "rotation-tag");
      gtk_widget_add_css_class (tag, "warning");
      gtk_widget_set_tooltip_text (tag, _("This key is more than 90 days old. Rotate it to limit what a leaked copy can do."));
      adw_action_row_add_suffix (ADW_ACTION_ROW (self), tag);
    }

  menu = key_menu (key);
  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), menu);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  menu_label = g_strdup_printf (_("Actions for %s"), quorum_api_key_get_name (key));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), button);

  return GTK_WIDGET (self);
}

QuorumApiKey *
quorum_api_key_row_get_key (QuorumApiKeyRow *self)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY_ROW (self), NULL);

  return self->key;
}

/* Flagged "Due for rotation". */
gboolean
quorum_api_key_row_get_due (QuorumApiKeyRow *self)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY_ROW (self), FALSE);

  return self->due;
}
