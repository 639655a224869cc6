/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-core.h"
#include "quorum-create-organization-dialog.h"
#include "quorum-utils-private.h"

/*
 * Create Organization: the slug follows the name (with the server's own
 * rule, quorum_slug_from_name) until the user edits it; both are checked as
 * typed with the rules the server enforces, and what the server still
 * refuses is shown beside the field, with everything typed kept.
 */

struct _QuorumCreateOrganizationDialog
{
  AdwWindow     parent_instance;

  QuorumClient *client;
  GCancellable *cancellable;
  gboolean      slug_edited;
  gboolean      setting_slug;
  char         *field_error;  /* "name", "slug" or "logo_url" the server refused */

  GtkButton    *create_button;
  AdwEntryRow  *name_row;
  AdwEntryRow  *slug_row;
  AdwActionRow *url_row;
  AdwEntryRow  *logo_row;
  GtkLabel     *error_label;
};

G_DEFINE_FINAL_TYPE (QuorumCreateOrganizationDialog, quorum_create_organization_dialog, ADW_TYPE_WINDOW)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
show_error (QuorumCreateOrganizationDialog *self,
            const char                     *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update (QuorumCreateOrganizationDialog *self)
{
  const char *name = text_of (self->name_row);
  const char *slug = text_of (self->slug_row);
  const char *logo = text_of (self->logo_row);
  gboolean name_ok = quorum_name_is_valid (name);
  gboolean slug_ok = quorum_slug_is_valid (slug);
  gboolean logo_ok = *logo == '\0' || quorum_logo_url_is_valid (logo);
  g_autofree char *url = g_strdup_printf ("%s/%s", quorum_client_get_base_url (self->client),
                                          *slug != '\0' ? slug : "…");

  adw_action_row_set_subtitle (self->url_row, url);
  quorum_widget_set_error (GTK_WIDGET (self->name_row), (*name != '\0' && !name_ok) || g_strcmp0 (self->field_error, "name") == 0);
  quorum_widget_set_error (GTK_WIDGET (self->slug_row), (*slug != '\0' && !slug_ok) || g_strcmp0 (self->field_error, "slug") == 0);
  quorum_widget_set_error (GTK_WIDGET (self->logo_row), !logo_ok || g_strcmp0 (self->field_error, "logo_url") == 0);

  if (self->field_error == NULL)
    {
      if (*name != '\0' && !name_ok)
        show_error (self, _(quorum_name_problem (quorum_name_check (name))));
      else if (*slug != '\0' && !slug_ok)
        show_error (self, quorum_slug_problem (slug));
      else if (!logo_ok)
        show_error (self, _("The logo must be an http:// or https:// address of an image."));
      else
        show_error (self, NULL);
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            self->cancellable == NULL && name_ok && slug_ok && logo_ok);
}

static void
clear_server_error (QuorumCreateOrganizationDialog *self)
{
  if (self->field_error == NULL && !gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return;
  g_clear_pointer (&self->field_error, g_free);
  show_error (self, NULL);
}

static void
name_changed_cb (QuorumCreateOrganizationDialog *self)
{
  clear_server_error (self);
  if (!self->slug_edited)
    {
      g_autofree char *slug = quorum_slug_from_name (text_of (self->name_row));

      self->setting_slug = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->slug_row), slug != NULL ? slug : "");
      self->setting_slug = FALSE;
    }
  update (self);
}

static void
slug_changed_cb (QuorumCreateOrganizationDialog *self)
{
  if (!self->setting_slug)
    {
      clear_server_error (self);
      /* Emptying the slug hands it back to the name. */
      self->slug_edited = *text_of (self->slug_row) != '\0';
    }
  update (self);
}

static void
logo_changed_cb (QuorumCreateOrganizationDialog *self)
{
  clear_server_error (self);
  update (self);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(QuorumCreateOrganizationDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) organization = NULL;

  organization = quorum_client_create_organization_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  if (organization == NULL)
    {
      g_autofree char *composed = quorum_error_compose (_("Could not create the organization"), error);
      const char *message = composed;

      g_clear_pointer (&self->field_error, g_free);
      if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_SLUG_TAKEN))
        {
          self->field_error = g_strdup ("slug");
          message = _("Another organization already uses this slug. Choose another one.");
        }
      else if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION))
        {
          const char * const *fields = quorum_api_error_get_fields (error);

          if (fields != NULL && fields[0] != NULL)
            {
              self->field_error = g_strdup (fields[0]);
              if (quorum_api_error_get_field_message (error, fields[0]) != NULL)
                message = quorum_api_error_get_field_message (error, fields[0]);
            }
        }

      show_error (self, message);
      update (self);
      return;
    }

  g_signal_emit (self, signals[CREATED], 0, organization);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
create_cb (QuorumCreateOrganizationDialog *self)
{
  const char *logo = text_of (self->logo_row);

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->create_button)))
    return;

  show_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  update (self);
  quorum_client_create_organization_async (self->client, text_of (self->name_row), text_of (self->slug_row),
                                           *logo != '\0' ? logo : NULL, self->cancellable,
                                           created_cb, g_object_ref (self));
}

static void
label_entry (AdwEntryRow *row)
{
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (row));

  if (delegate != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (delegate), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), -1);
}

static void
quorum_create_organization_dialog_dispose (GObject *object)
{
  QuorumCreateOrganizationDialog *self = QUORUM_CREATE_ORGANIZATION_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->field_error, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_CREATE_ORGANIZATION_DIALOG);

  G_OBJECT_CLASS (quorum_create_organization_dialog_parent_class)->dispose (object);
}

static void
quorum_create_organization_dialog_class_init (QuorumCreateOrganizationDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_create_organization_dialog_dispose;

  /**
   * QuorumCreateOrganizationDialog::created:
   * @organization: the new organization; the dialog closes right after
   */
  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, QUORUM_TYPE_ORGANIZATION);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/quorum-create-organization-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateOrganizationDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateOrganizationDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateOrganizationDialog, slug_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateOrganizationDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateOrganizationDialog, logo_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateOrganizationDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, slug_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, logo_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_cb);
}

static void
quorum_create_organization_dialog_init (QuorumCreateOrganizationDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  label_entry (self->name_row);
  label_entry (self->slug_row);
  label_entry (self->logo_row);
}

QuorumCreateOrganizationDialog *
quorum_create_organization_dialog_new (QuorumClient *client)
{
  QuorumCreateOrganizationDialog *self;

  g_return_val_if_fail (QUORUM_IS_CLIENT (client), NULL);

  self = g_object_new (QUORUM_TYPE_CREATE_ORGANIZATION_DIALOG, NULL);
  self->client = g_object_ref (client);
  update (self);

  return self;
}
