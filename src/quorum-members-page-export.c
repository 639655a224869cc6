/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-members-page-private.h"

/*
 * Export…: the members the list shows (its search and filters) as CSV, to a
 * file chosen through GtkFileChooserNative (the portal inside the Flatpak).
 * The server streams it; the client writes it to the file whole or not at
 * all. While it runs a bar under the list counts the members written, with
 * Cancel; the wait itself is a QuorumRequestState (Still waiting…, not
 * answering, offline, the server's failure, each with Retry, which exports
 * the same list to the same file again).
 */

static void export_start (QuorumMembersPage *self);

void
_quorum_members_page_update_export (QuorumMembersPage *self)
{
  QuorumRequestPhase phase = quorum_request_state_get_phase (self->export_state);
  gboolean running = quorum_request_state_get_running (self->export_state);

  gtk_revealer_set_reveal_child (self->export_revealer, running || phase != QUORUM_REQUEST_PHASE_IDLE);
  gtk_widget_set_visible (GTK_WIDGET (self->export_progress), running);
  /* In its first seconds the progress above says all there is: the status
   * would be a bar holding a spinner only. */
  gtk_widget_set_visible (GTK_WIDGET (self->export_status), phase != QUORUM_REQUEST_PHASE_WAITING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "members.cancel-export", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "members.export",
                                 !running && self->members != NULL &&
                                 quorum_role_can (self->role, QUORUM_PERMISSION_MANAGE_MEMBERS));
  gtk_widget_set_visible (self->export_button, quorum_role_can (self->role, QUORUM_PERMISSION_MANAGE_MEMBERS));
}

static void
set_progress_text (QuorumMembersPage *self,
                   guint              rows)
{
  g_autofree char *count = quorum_format_count (rows);
  /* Translators: %s is a number of members written to the file so far */
  g_autofree char *text = g_strdup_printf (ngettext ("Exporting members… %s written",
                                                     "Exporting members… %s written", rows),
                                           count);

  gtk_label_set_text (self->export_label, text);
  gtk_progress_bar_pulse (self->export_progress);
}

static void
progress_cb (guint64  bytes,
             guint    rows,
             gpointer user_data)
{
  QuorumMembersPage *self = user_data;

  if (self->export_label != NULL)
    set_progress_text (self, rows);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(QuorumMembersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;
  guint rows = 0;

  if (quorum_client_save_members_csv_finish (QUORUM_CLIENT (object), result, &rows, &error) < 0)
    {
      if (self->export_state == NULL)
        return;  /* the page went away */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Cancel (the state is idle again already), or another
           * organization: nothing was left in the file's place. */
          _quorum_members_page_update_export (self);
          return;
        }
      quorum_request_state_fail (self->export_state, _("Could not export the members"), error);
      _quorum_members_page_update_export (self);
      return;
    }

  quorum_request_state_succeed (self->export_state);
  _quorum_members_page_update_export (self);
  name = g_file_get_basename (self->export_file);
  count = quorum_format_count (rows);
  /* Translators: the number of members and the file's name */
  text = g_strdup_printf (ngettext ("Exported %s member to %s", "Exported %s members to %s", rows), count, name);
  _quorum_members_page_show_notice (self, text);
}

static void
export_start (QuorumMembersPage *self)
{
  QuorumMemberFilter filter = { 0 };
  GCancellable *cancellable;

  if (self->members == NULL || self->export_file == NULL ||
      !quorum_role_can (self->role, QUORUM_PERMISSION_MANAGE_MEMBERS))
    return;

  /* The list as it is shown, not what is being typed. */
  filter.query = quorum_member_list_get_query (self->members);
  filter.role = quorum_member_list_get_role_filter (self->members);
  filter.status = quorum_member_list_get_status_filter (self->members);
  filter.inactive_days = quorum_member_list_get_inactive_days (self->members);
  filter.sort = quorum_member_list_get_sort (self->members);

  cancellable = quorum_request_state_begin (self->export_state, FALSE);
  set_progress_text (self, 0);
  _quorum_members_page_update_export (self);
  quorum_client_save_members_csv_async (self->client, quorum_organization_get_id (self->organization), &filter,
                                        self->export_file, progress_cb, self, cancellable, saved_cb,
                                        g_object_ref (self));
}

/**
 * quorum_members_page_export:
 * @file: where the CSV goes (replaced only once it is complete)
 *
 * Exports the members the list shows to @file, as Export… does once a file
 * is chosen.
 */
void
quorum_members_page_export (QuorumMembersPage *self,
                            GFile             *file)
{
  g_return_if_fail (QUORUM_IS_MEMBERS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->export_file, file);
  export_start (self);
}

static void
chooser_response_cb (GtkNativeDialog   *chooser,
                     int                response,
                     QuorumMembersPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        quorum_members_page_export (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/* members.export */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->organization == NULL || !quorum_role_can (self->role, QUORUM_PERMISSION_MANAGE_MEMBERS))
    return;

  /* Translators: the file name Export… suggests; %s is the organization's slug */
  name = g_strdup_printf (_("%s-members.csv"), quorum_organization_get_slug (self->organization));
  /* Through the portal inside the Flatpak. */
  chooser = gtk_file_chooser_native_new (_("Export Members"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* members.cancel-export: nothing is left in the file's place. */
static void
cancel_export_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (widget);

  quorum_request_state_cancel (self->export_state);
  _quorum_members_page_update_export (self);
}

/* Another organization, or the page goes: an export on its way stops. */
void
_quorum_members_page_reset_export (QuorumMembersPage *self)
{
  if (self->export_state == NULL)
    return;
  quorum_request_state_reset (self->export_state);
  g_clear_object (&self->export_file);
  if (self->export_revealer != NULL)
    _quorum_members_page_update_export (self);
}

void
_quorum_members_page_export_init (QuorumMembersPage *self)
{
  self->export_state = quorum_request_state_new (NULL);
  quorum_request_status_set_state (self->export_status, self->export_state);
  g_signal_connect_swapped (self->export_state, "retry", G_CALLBACK (export_start), self);
  g_signal_connect_swapped (self->export_state, "notify::phase", G_CALLBACK (_quorum_members_page_update_export), self);
  g_signal_connect_swapped (self->export_state, "notify::running", G_CALLBACK (_quorum_members_page_update_export), self);
  _quorum_members_page_update_export (self);
}

void
_quorum_members_page_export_dispose (QuorumMembersPage *self)
{
  if (self->export_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->export_state, self);
      quorum_request_state_reset (self->export_state);
    }
  g_clear_object (&self->export_state);
  g_clear_object (&self->export_file);
}

void
_quorum_members_page_class_export_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "members.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "members.cancel-export", NULL, cancel_export_action);
}
