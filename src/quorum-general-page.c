/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-core.h"
#include "quorum-general-page.h"
#include "quorum-logo.h"
#include "quorum-request-status.h"
#include "quorum-transfer-dialog.h"
#include "quorum-utils-private.h"

/*
 * The General tab: name, slug (with the public address it gives and a
 * warning when it changes), logo, the organization ID, Save with conflict
 * detection (If-Match), and the danger zone. Members see it read-only.
 *
 * A failed save never clears the form. After a conflict (412), Reload takes
 * the server's current version and its ETag: fields the user did not touch
 * show the new values, fields the user changed keep what was typed, and Save
 * then applies those changes over the new version.
 */


struct _QuorumGeneralPage
{
  AdwBin              parent_instance;

  QuorumClient       *client;
  QuorumOrganization *organization;
  GCancellable       *cancellable;
  QuorumGeneralPageState state;

  QuorumRequestState *reload_state;  /* Reload after a conflict */
  QuorumRequestState *save_state;    /* Save */
  QuorumRequestState *logo_state;    /* the logo's upload */
  GBytes             *logo_bytes;    /* the image being uploaded, for Retry */
  gboolean            save_cancelled; /* a cancelled save may have reached the server */
  char               *logo_type;

  GtkRevealer        *conflict_revealer;
  GtkButton          *reload_button;
  GtkRevealer        *reload_revealer;
  QuorumRequestStatus *reload_status;
  GtkRevealer        *save_revealer;
  QuorumRequestStatus *save_status;
  GtkRevealer        *logo_revealer;
  QuorumRequestStatus *logo_status;
  AdwPreferencesPage *preferences_page;
  AdwEntryRow        *name_row;
  AdwEntryRow        *slug_row;
  AdwActionRow       *url_row;
  AdwActionRow       *slug_hint_row;
  GtkImage           *slug_hint_icon;
  AdwEntryRow        *logo_row;
  AdwAvatar          *logo_avatar;
  GtkButton          *upload_button;
  AdwActionRow       *id_row;
  GtkButton          *copy_button;
  AdwPreferencesGroup *save_group;
  GtkSpinner         *save_spinner;
  GtkButton          *save_button;
  AdwPreferencesGroup *danger_group;
  AdwActionRow       *leave_row;
  AdwActionRow       *transfer_row;
  AdwActionRow       *delete_row;
};

G_DEFINE_FINAL_TYPE (QuorumGeneralPage, quorum_general_page, ADW_TYPE_BIN)

G_DEFINE_ENUM_TYPE (QuorumGeneralPageState, quorum_general_page_state,
  G_DEFINE_ENUM_VALUE (QUORUM_GENERAL_PAGE_STATE_EDITING, "editing"),
  G_DEFINE_ENUM_VALUE (QUORUM_GENERAL_PAGE_STATE_SAVING, "saving"),
  G_DEFINE_ENUM_VALUE (QUORUM_GENERAL_PAGE_STATE_CONFLICT, "conflict"))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ORGANIZATION,
  PROP_ROLE,
  PROP_STATE,
  N_PROPS
};

enum {
  ORGANIZATION_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];


static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static const char *
or_empty (const char *s)
{
  return s != NULL ? s : "";
}

static QuorumRole
role (QuorumGeneralPage *self)
{
  return self->organization != NULL ? quorum_organization_get_role (self->organization) : QUORUM_ROLE_NONE;
}

static void
set_state (QuorumGeneralPage      *self,
           QuorumGeneralPageState  state)
{
  gtk_revealer_set_reveal_child (self->conflict_revealer, state == QUORUM_GENERAL_PAGE_STATE_CONFLICT);
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
restart (QuorumGeneralPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  quorum_request_state_reset (self->reload_state);
  set_state (self, QUORUM_GENERAL_PAGE_STATE_EDITING);
  quorum_request_state_reset (self->save_state);
  self->save_cancelled = FALSE;
  quorum_request_state_reset (self->logo_state);
  g_clear_pointer (&self->logo_bytes, g_bytes_unref);
  g_clear_pointer (&self->logo_type, g_free);
}

char *
quorum_general_page_dup_public_url (QuorumGeneralPage *self,
                                    const char        *slug)
{
  g_return_val_if_fail (QUORUM_IS_GENERAL_PAGE (self), NULL);

  if (self->client == NULL)
    return g_strdup (slug);
  return g_strdup_printf ("%s/%s", quorum_client_get_base_url (self->client), slug);
}

/* The fields the form edits, each against its value in a version. */
typedef enum
{
  FIELD_NAME,
  FIELD_SLUG,
  FIELD_LOGO_URL,
  N_FIELDS
} Field;

static const char *
field_value (QuorumOrganization *organization,
             Field               field)
{
  switch (field)
    {
    case FIELD_NAME:
      return quorum_organization_get_name (organization);
    case FIELD_SLUG:
      return quorum_organization_get_slug (organization);
    case FIELD_LOGO_URL:
    case N_FIELDS:
    default:
      return or_empty (quorum_organization_get_logo_url (organization));
    }
}

static AdwEntryRow *
field_row (QuorumGeneralPage *self,
           Field              field)
{
  AdwEntryRow *rows[N_FIELDS] = { self->name_row, self->slug_row, self->logo_row };

  return rows[field];
}

/* What the user typed in @field when it differs from the version shown,
 * else %NULL. */
static const char *
edited (QuorumGeneralPage *self,
        Field              field)
{
  const char *typed = text_of (field_row (self, field));

  if (self->organization == NULL || g_strcmp0 (typed, field_value (self->organization, field)) == 0)
    return NULL;
  return typed;
}

static gboolean
is_dirty (QuorumGeneralPage *self)
{
  for (Field field = 0; field < N_FIELDS; field++)
    {
      if (edited (self, field) != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
update_validity (QuorumGeneralPage *self)
{
  const char *slug = text_of (self->slug_row);
  const char *problem = quorum_slug_problem (slug);
  const char *name_problem = quorum_name_problem (quorum_name_check (text_of (self->name_row)));
  gboolean name_ok = name_problem == NULL;
  gboolean logo_ok = *text_of (self->logo_row) == '\0' || quorum_logo_url_is_valid (text_of (self->logo_row));
  gboolean slug_changed = self->organization != NULL &&
                          g_strcmp0 (slug, quorum_organization_get_slug (self->organization)) != 0;
  g_autofree char *url = quorum_general_page_dup_public_url (self, slug);

  quorum_widget_set_error (GTK_WIDGET (self->name_row), !name_ok);
  /* The characters refused may be invisible: say what is wrong. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_row), name_ok ? NULL : _(name_problem));
  quorum_widget_set_error (GTK_WIDGET (self->slug_row), problem != NULL);
  quorum_widget_set_error (GTK_WIDGET (self->logo_row), !logo_ok);
  adw_action_row_set_subtitle (self->url_row, url);

  if (problem != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->slug_hint_row), problem);
      adw_action_row_set_subtitle (self->slug_hint_row, NULL);
      gtk_image_set_from_icon_name (self->slug_hint_icon, "dialog-error-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->slug_hint_row), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->slug_hint_row), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->slug_hint_row), TRUE);
    }
  else if (slug_changed)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->slug_hint_row),
                                     _("Changing the slug changes public URLs"));
      adw_action_row_set_subtitle (self->slug_hint_row, _("Links and bookmarks to the old address stop working"));
      gtk_image_set_from_icon_name (self->slug_hint_icon, "dialog-warning-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->slug_hint_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->slug_hint_row), "warning");
      gtk_widget_set_visible (GTK_WIDGET (self->slug_hint_row), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->slug_hint_row), FALSE);

  return name_ok && problem == NULL && logo_ok;
}

static void
update (QuorumGeneralPage *self)
{
  gboolean can_edit = quorum_role_can (role (self), QUORUM_PERMISSION_EDIT_ORGANIZATION);
  gboolean valid = update_validity (self);

  adw_avatar_set_text (self->logo_avatar, text_of (self->name_row));
  quorum_avatar_set_logo (self->logo_avatar,
                          self->organization != NULL ? quorum_organization_get_logo_url (self->organization) : NULL,
                          self->client != NULL ? quorum_client_get_base_url (self->client) : NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            can_edit && self->state != QUORUM_GENERAL_PAGE_STATE_SAVING && valid && is_dirty (self));
  gtk_widget_set_visible (GTK_WIDGET (self->save_spinner), self->state == QUORUM_GENERAL_PAGE_STATE_SAVING);
  gtk_spinner_set_spinning (self->save_spinner, self->state == QUORUM_GENERAL_PAGE_STATE_SAVING);
}

static void
changed_cb (QuorumGeneralPage *self)
{
  update (self);
}

static void
set_editable (QuorumGeneralPage *self,
              gboolean           editable)
{
  gtk_editable_set_editable (GTK_EDITABLE (self->name_row), editable);
  gtk_editable_set_editable (GTK_EDITABLE (self->slug_row), editable);
  gtk_editable_set_editable (GTK_EDITABLE (self->logo_row), editable);
  gtk_widget_set_visible (GTK_WIDGET (self->upload_button), editable);
  gtk_widget_set_visible (GTK_WIDGET (self->save_group), editable);
}

/* Replaces the shown version; fields the user changed keep what was typed
 * when @keep_edits is set. */
static void
show_organization (QuorumGeneralPage  *self,
                   QuorumOrganization *organization,
                   gboolean            keep_edits)
{
  gboolean keep[N_FIELDS];
  QuorumRole r;

  for (Field field = 0; field < N_FIELDS; field++)
    keep[field] = keep_edits && edited (self, field) != NULL;

  g_set_object (&self->organization, organization);
  if (organization == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->slug_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->logo_row), "");
      adw_action_row_set_subtitle (self->id_row, "");
      gtk_widget_set_sensitive (GTK_WIDGET (self->preferences_page), FALSE);
      update (self);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->preferences_page), TRUE);
  for (Field field = 0; field < N_FIELDS; field++)
    {
      if (!keep[field])
        gtk_editable_set_text (GTK_EDITABLE (field_row (self, field)), field_value (organization, field));
    }
  adw_action_row_set_subtitle (self->id_row, quorum_organization_get_id (organization));

  r = quorum_organization_get_role (organization);
  set_editable (self, quorum_role_can (r, QUORUM_PERMISSION_EDIT_ORGANIZATION));
  gtk_widget_set_visible (GTK_WIDGET (self->leave_row), quorum_role_can (r, QUORUM_PERMISSION_LEAVE));
  gtk_widget_set_visible (GTK_WIDGET (self->transfer_row),
                          quorum_role_can (r, QUORUM_PERMISSION_TRANSFER_OWNERSHIP));
  gtk_widget_set_visible (GTK_WIDGET (self->delete_row),
                          quorum_role_can (r, QUORUM_PERMISSION_DELETE_ORGANIZATION));
  update (self);
}

/* Save */

static void saved (QuorumGeneralPage  *self,
                   QuorumOrganization *organization);

/* Every field the user changed holds, on the server, what was typed. */
static gboolean
typed_is_on_server (QuorumGeneralPage  *self,
                    QuorumOrganization *on_server)
{
  for (Field field = 0; field < N_FIELDS; field++)
    {
      const char *typed = edited (self, field);

      if (typed != NULL && g_strcmp0 (typed, field_value (on_server, field)) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
landed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(QuorumGeneralPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) organization = NULL;

  organization = quorum_client_get_organization_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (organization != NULL && typed_is_on_server (self, organization))
    {
      saved (self, organization);
      return;
    }

  /* Someone else's change, or no answer: the conflict banner, with Reload. */
  set_state (self, QUORUM_GENERAL_PAGE_STATE_CONFLICT);
  quorum_request_state_reset (self->save_state);
  update (self);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(QuorumGeneralPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) organization = NULL;

  organization = quorum_client_update_organization_finish (QUORUM_CLIENT (object), result, &error);
  /* Cancelled: by Cancel (save_phase_cb gave the form back) or because
   * the page shows another organization. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (organization == NULL)
    {
      gboolean conflict = g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_PRECONDITION_FAILED);

      /* A save cancelled earlier reached the server after all (a hung
       * server reads it when it wakes): the version changed under the
       * form. If the server holds what was typed, that is this save,
       * done, not someone else's change. Still the same Save request. */
      if (conflict && self->save_cancelled && self->organization != NULL)
        {
          quorum_client_get_organization_async (self->client, quorum_organization_get_id (self->organization),
                                                quorum_request_state_begin (self->save_state, FALSE),
                                                landed_cb, g_object_ref (self));
          return;
        }

      if (conflict || g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_SLUG_TAKEN) ||
          g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED))
        {
          /* Said by the conflict banner, the slug's row, or the window. */
          set_state (self, conflict ? QUORUM_GENERAL_PAGE_STATE_CONFLICT : QUORUM_GENERAL_PAGE_STATE_EDITING);
          quorum_request_state_reset (self->save_state);
        }
      else
        {
          /* Said once, in the bar above Save, with Retry. */
          set_state (self, QUORUM_GENERAL_PAGE_STATE_EDITING);
          quorum_request_state_fail (self->save_state, _("Could not save"), error);
        }
      if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_SLUG_TAKEN))
        {
          quorum_widget_set_error (GTK_WIDGET (self->slug_row), TRUE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->slug_hint_row),
                                         _("Another organization already uses this slug"));
          adw_action_row_set_subtitle (self->slug_hint_row, NULL);
          gtk_image_set_from_icon_name (self->slug_hint_icon, "dialog-error-symbolic");
          gtk_widget_add_css_class (GTK_WIDGET (self->slug_hint_row), "error");
          gtk_widget_set_visible (GTK_WIDGET (self->slug_hint_row), TRUE);
          gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
          gtk_widget_set_visible (GTK_WIDGET (self->save_spinner), FALSE);
          return;
        }
      update (self);
      return;
    }

  saved (self, organization);
}

static void
saved (QuorumGeneralPage  *self,
       QuorumOrganization *organization)
{
  self->save_cancelled = FALSE;
  set_state (self, QUORUM_GENERAL_PAGE_STATE_EDITING);
  quorum_request_state_succeed (self->save_state);
  show_organization (self, organization, FALSE);
  quorum_toast_show (GTK_WIDGET (self), _("Changes saved"), NULL);
  g_signal_emit (self, signals[ORGANIZATION_CHANGED], 0, organization);
}

static void
save_cb (QuorumGeneralPage *self)
{
  if (self->organization == NULL || self->client == NULL || self->state == QUORUM_GENERAL_PAGE_STATE_SAVING ||
      !update_validity (self) || !is_dirty (self))
    return;

  set_state (self, QUORUM_GENERAL_PAGE_STATE_SAVING);
  update (self);
  quorum_request_state_set_host_from_url (self->save_state, quorum_client_get_base_url (self->client));
  quorum_client_update_organization_async (
    self->client,
    quorum_organization_get_id (self->organization),
    quorum_organization_get_etag (self->organization),
    edited (self, FIELD_NAME),
    edited (self, FIELD_SLUG),
    edited (self, FIELD_LOGO_URL),
    quorum_request_state_begin (self->save_state, FALSE), saved_cb, g_object_ref (self));
}

/* The bar above Save shows past 3 s and after a failure. Cancel: the form
 * as typed, Save ready again; the request is cancelled, so the page never
 * takes a half-done save for done. */
static void
save_phase_cb (QuorumGeneralPage *self)
{
  QuorumRequestPhase phase = quorum_request_state_get_phase (self->save_state);

  gtk_revealer_set_reveal_child (self->save_revealer,
                                 phase != QUORUM_REQUEST_PHASE_IDLE && phase != QUORUM_REQUEST_PHASE_WAITING);
  if (self->state == QUORUM_GENERAL_PAGE_STATE_SAVING && !quorum_request_state_get_running (self->save_state))
    {
      /* Cancelled; the server may still read it (see saved_cb()). */
      self->save_cancelled = TRUE;
      set_state (self, QUORUM_GENERAL_PAGE_STATE_EDITING);
      update (self);
    }
}

static void
reloaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(QuorumGeneralPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) organization = NULL;

  organization = quorum_client_get_organization_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->reload_button), TRUE);
  if (organization == NULL)
    {
      /* Said under the conflict banner, with Retry; the form stays. */
      quorum_request_state_fail (self->reload_state, _("Could not reload"), error);
      return;
    }

  quorum_request_state_succeed (self->reload_state);
  set_state (self, QUORUM_GENERAL_PAGE_STATE_EDITING);
  show_organization (self, organization, TRUE);
  quorum_toast_show (GTK_WIDGET (self), _("Reloaded. Check the changes, then save again."), NULL);
  g_signal_emit (self, signals[ORGANIZATION_CHANGED], 0, organization);
}

static void
reload_cb (QuorumGeneralPage *self)
{
  if (self->organization == NULL || self->client == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->reload_button), FALSE);
  quorum_request_state_set_host_from_url (self->reload_state, quorum_client_get_base_url (self->client));
  quorum_client_get_organization_async (self->client, quorum_organization_get_id (self->organization),
                                        quorum_request_state_begin (self->reload_state, FALSE),
                                        reloaded_cb, g_object_ref (self));
}

/* Cancel: the conflict stays, and Reload can be pressed again. */
static void
reload_phase_cb (QuorumGeneralPage *self)
{
  QuorumRequestPhase phase = quorum_request_state_get_phase (self->reload_state);

  gtk_revealer_set_reveal_child (self->reload_revealer,
                                 phase != QUORUM_REQUEST_PHASE_IDLE && phase != QUORUM_REQUEST_PHASE_WAITING);
  if (!quorum_request_state_get_running (self->reload_state))
    gtk_widget_set_sensitive (GTK_WIDGET (self->reload_button), TRUE);
}

static void
copy_id_cb (QuorumGeneralPage *self)
{
  if (self->organization == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          quorum_organization_get_id (self->organization));
  quorum_toast_show (GTK_WIDGET (self), _("Organization ID copied"), NULL);
}

/* Logo upload */

static void
logo_uploaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(QuorumGeneralPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) organization = NULL;

  organization = quorum_client_upload_logo_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->upload_button), TRUE);
  if (organization == NULL)
    {
      /* Said once, in the bar under the logo, with Retry. */
      quorum_request_state_fail (self->logo_state, _("Could not upload the logo"), error);
      return;
    }

  quorum_request_state_succeed (self->logo_state);
  g_clear_pointer (&self->logo_bytes, g_bytes_unref);
  g_clear_pointer (&self->logo_type, g_free);

  /* The upload does not touch name or slug: keep any edits to them. */
  gtk_editable_set_text (GTK_EDITABLE (self->logo_row), or_empty (quorum_organization_get_logo_url (organization)));
  show_organization (self, organization, TRUE);
  quorum_toast_show (GTK_WIDGET (self), _("Logo uploaded"), NULL);
  g_signal_emit (self, signals[ORGANIZATION_CHANGED], 0, organization);
}

/* Sends the image read last (again, on Retry). */
static void
upload_logo (QuorumGeneralPage *self)
{
  if (self->organization == NULL || self->client == NULL || self->logo_bytes == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->upload_button), TRUE);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->upload_button), FALSE);
  quorum_request_state_set_host_from_url (self->logo_state, quorum_client_get_base_url (self->client));
  quorum_client_upload_logo_async (self->client, quorum_organization_get_id (self->organization),
                                   self->logo_bytes, self->logo_type,
                                   quorum_request_state_begin (self->logo_state, FALSE),
                                   logo_uploaded_cb, g_object_ref (self));
}

/* Cancel: the logo as it was, the upload button ready again. */
static void
logo_phase_cb (QuorumGeneralPage *self)
{
  QuorumRequestPhase phase = quorum_request_state_get_phase (self->logo_state);

  gtk_revealer_set_reveal_child (self->logo_revealer,
                                 phase != QUORUM_REQUEST_PHASE_IDLE && phase != QUORUM_REQUEST_PHASE_WAITING);
  if (!quorum_request_state_get_running (self->logo_state))
    gtk_widget_set_sensitive (GTK_WIDGET (self->upload_button), TRUE);
}

static void
logo_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(QuorumGeneralPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *title = quorum_error_compose (_("Could not read the image"), error);

          gtk_widget_set_sensitive (GTK_WIDGET (self->upload_button), TRUE);
          quorum_toast_show (GTK_WIDGET (self), title, NULL);
        }
      return;
    }

  if (length > QUORUM_LOGO_MAX_BYTES)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->upload_button), TRUE);
      quorum_toast_show (GTK_WIDGET (self), _("The image is larger than 2 MB"), NULL);
      return;
    }

  content_type = g_content_type_guess (NULL, (const guchar *) contents, length, NULL);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  g_clear_pointer (&self->logo_bytes, g_bytes_unref);
  g_free (self->logo_type);
  self->logo_bytes = g_steal_pointer (&bytes);
  self->logo_type = g_steal_pointer (&content_type);
  upload_logo (self);
}

static void
file_chosen_cb (QuorumGeneralPage    *self,
                int                   response,
                GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);

  if (file != NULL)
    quorum_general_page_upload_logo (self, file);
}

/**
 * quorum_general_page_upload_logo:
 * @file: the image the user chose
 *
 * Reads @file and uploads it as the organization's logo, as choosing it
 * with the upload button does.
 */
void
quorum_general_page_upload_logo (QuorumGeneralPage *self,
                                 GFile             *file)
{
  g_return_if_fail (QUORUM_IS_GENERAL_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  gtk_widget_set_sensitive (GTK_WIDGET (self->upload_button), FALSE);
  g_file_load_contents_async (file, self->cancellable, logo_loaded_cb, g_object_ref (self));
}

static void
upload_cb (QuorumGeneralPage *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* GtkFileChooserNative goes through the file chooser portal when there is one. */
  chooser = gtk_file_chooser_native_new (_("Choose a Logo"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Upload"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Images (PNG, JPEG)"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (file_chosen_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Danger zone */

static void
danger_done (QuorumGeneralPage *self,
             gboolean           ok,
             const GError      *error,
             const char        *done,
             const char        *failed)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (!ok)
    {
      /* Translators: what failed, then the reason */
      g_autofree char *title = quorum_error_compose (failed, error);

      if (!g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED))
        quorum_toast_show (GTK_WIDGET (self), title, NULL);
      return;
    }

  quorum_toast_show (GTK_WIDGET (self), done, NULL);
  g_signal_emit (self, signals[ORGANIZATION_CHANGED], 0, NULL);
}

static void
left_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(QuorumGeneralPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = quorum_client_leave_organization_finish (QUORUM_CLIENT (object), result, &error);

  danger_done (self, ok, error, _("You left the organization"), _("Could not leave the organization"));
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(QuorumGeneralPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = quorum_client_delete_organization_finish (QUORUM_CLIENT (object), result, &error);

  danger_done (self, ok, error, _("Organization deleted"), _("Could not delete the organization"));
}

static void
transferred_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(QuorumGeneralPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = quorum_client_transfer_ownership_finish (QUORUM_CLIENT (object), result, &error);

  danger_done (self, ok, error, _("Ownership transferred; you are now an admin"),
               _("Could not transfer ownership"));
}

static void
leave_response_cb (QuorumGeneralPage *self,
                   const char        *response)
{
  if (g_strcmp0 (response, "leave") != 0 || self->organization == NULL)
    return;

  quorum_client_leave_organization_async (self->client, quorum_organization_get_id (self->organization),
                                          self->cancellable, left_cb, g_object_ref (self));
}

static AdwMessageDialog *
message_dialog_new (QuorumGeneralPage *self,
                    const char        *heading,
                    const char        *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                     heading, body));
}

static void
leave_cb (QuorumGeneralPage *self)
{
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  if (self->organization == NULL)
    return;

  heading = g_strdup_printf (_("Leave %s?"), quorum_organization_get_name (self->organization));
  dialog = message_dialog_new (self, heading,
                               _("You lose access to its members and settings until someone invites you again."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "leave", _("_Leave"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "leave", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (leave_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
transfer_response_cb (QuorumGeneralPage    *self,
                      const char           *response,
                      QuorumTransferDialog *dialog)
{
  QuorumMember *member = quorum_transfer_dialog_get_member (dialog);

  if (g_strcmp0 (response, "transfer") != 0 || member == NULL || self->organization == NULL)
    return;

  quorum_client_transfer_ownership_async (self->client, quorum_organization_get_id (self->organization),
                                          quorum_member_get_id (member), self->cancellable,
                                          transferred_cb, g_object_ref (self));
}

static void
transfer_cb (QuorumGeneralPage *self)
{
  GtkWidget *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->organization == NULL || self->client == NULL)
    return;

  dialog = quorum_transfer_dialog_new (self->client, self->organization);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (transfer_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_confirm_changed_cb (GtkEditable      *entry,
                           AdwMessageDialog *dialog)
{
  const char *slug = g_object_get_data (G_OBJECT (dialog), "slug");

  adw_message_dialog_set_response_enabled (dialog, "delete",
                                           g_strcmp0 (gtk_editable_get_text (entry), slug) == 0);
}

static void
delete_response_cb (QuorumGeneralPage *self,
                    const char        *response,
                    AdwMessageDialog  *dialog)
{
  const char *slug = g_object_get_data (G_OBJECT (dialog), "slug");

  if (g_strcmp0 (response, "delete") != 0 || self->organization == NULL ||
      g_strcmp0 (slug, quorum_organization_get_slug (self->organization)) != 0)
    return;

  quorum_client_delete_organization_async (self->client, quorum_organization_get_id (self->organization),
                                           slug, self->cancellable, deleted_cb, g_object_ref (self));
}

static void
delete_cb (QuorumGeneralPage *self)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *slug;

  if (self->organization == NULL)
    return;

  slug = quorum_organization_get_slug (self->organization);
  heading = g_strdup_printf (_("Delete %s?"), quorum_organization_get_name (self->organization));
  /* Translators: %s is the organization's slug, which the user must type */
  body = g_strdup_printf (_("This removes its members, invitations, API keys and webhooks, and cannot be "
                            "undone. Type %s to confirm."), slug);
  dialog = message_dialog_new (self, heading, body);
  g_object_set_data_full (G_OBJECT (dialog), "slug", g_strdup (slug), g_free);

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), slug);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Slug of the organization to delete"), -1);
  g_signal_connect_object (entry, "changed", G_CALLBACK (delete_confirm_changed_cb), dialog, 0);
  adw_message_dialog_set_extra_child (dialog, entry);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "delete", FALSE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
quorum_general_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  QuorumGeneralPage *self = QUORUM_GENERAL_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_ORGANIZATION:
      g_value_set_object (value, self->organization);
      break;
    case PROP_ROLE:
      g_value_set_enum (value, role (self));
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_general_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  QuorumGeneralPage *self = QUORUM_GENERAL_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      quorum_general_page_set_client (self, g_value_get_object (value));
      break;
    case PROP_ORGANIZATION:
      quorum_general_page_set_organization (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_general_page_dispose (GObject *object)
{
  QuorumGeneralPage *self = QUORUM_GENERAL_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->reload_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->reload_state, self);
      quorum_request_state_reset (self->reload_state);
    }
  g_clear_object (&self->reload_state);
  if (self->save_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->save_state, self);
      quorum_request_state_reset (self->save_state);
    }
  g_clear_object (&self->save_state);
  if (self->logo_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->logo_state, self);
      quorum_request_state_reset (self->logo_state);
    }
  g_clear_object (&self->logo_state);
  g_clear_pointer (&self->logo_bytes, g_bytes_unref);
  g_clear_pointer (&self->logo_type, g_free);
  g_clear_object (&self->client);
  g_clear_object (&self->organization);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_GENERAL_PAGE);

  G_OBJECT_CLASS (quorum_general_page_parent_class)->dispose (object);
}

static void
quorum_general_page_class_init (QuorumGeneralPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_general_page_dispose;
  object_class->get_property = quorum_general_page_get_property;
  object_class->set_property = quorum_general_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, QUORUM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ORGANIZATION] =
    g_param_spec_object ("organization", NULL, NULL, QUORUM_TYPE_ORGANIZATION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The caller's role in the organization, which carries it. */
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL, QUORUM_TYPE_ROLE, QUORUM_ROLE_NONE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       QUORUM_TYPE_GENERAL_PAGE_STATE, QUORUM_GENERAL_PAGE_STATE_EDITING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QuorumGeneralPage::organization-changed:
   * @organization: (nullable): the saved organization, or %NULL when the
   *   user left, deleted or handed over the organization
   */
  signals[ORGANIZATION_CHANGED] =
    g_signal_new ("organization-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, QUORUM_TYPE_ORGANIZATION);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-general-page.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, conflict_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, reload_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, reload_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, reload_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, slug_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, slug_hint_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, slug_hint_icon);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, logo_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, logo_avatar);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, upload_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, id_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, save_group);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, save_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, save_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, logo_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, logo_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, danger_group);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, leave_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, transfer_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumGeneralPage, delete_row);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_cb);
  gtk_widget_class_bind_template_callback (widget_class, reload_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_id_cb);
  gtk_widget_class_bind_template_callback (widget_class, upload_cb);
  gtk_widget_class_bind_template_callback (widget_class, leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, transfer_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_cb);
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
quorum_general_page_init (QuorumGeneralPage *self)
{
  self->reload_state = quorum_request_state_new (NULL);
  self->save_state = quorum_request_state_new (NULL);
  self->logo_state = quorum_request_state_new (NULL);
  g_type_ensure (QUORUM_TYPE_REQUEST_STATUS);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->reload_state, "retry", G_CALLBACK (reload_cb), self);
  g_signal_connect_swapped (self->reload_state, "notify::phase", G_CALLBACK (reload_phase_cb), self);
  quorum_request_status_set_state (self->reload_status, self->reload_state);
  g_signal_connect_swapped (self->save_state, "retry", G_CALLBACK (save_cb), self);
  g_signal_connect_swapped (self->save_state, "notify::phase", G_CALLBACK (save_phase_cb), self);
  quorum_request_status_set_state (self->save_status, self->save_state);
  g_signal_connect_swapped (self->logo_state, "retry", G_CALLBACK (upload_logo), self);
  g_signal_connect_swapped (self->logo_state, "notify::phase", G_CALLBACK (logo_phase_cb), self);
  quorum_request_status_set_state (self->logo_status, self->logo_state);

  label_entry (self->name_row);
  label_entry (self->slug_row);
  label_entry (self->logo_row);
  self->cancellable = g_cancellable_new ();
  show_organization (self, NULL, FALSE);
}

/**
 * quorum_general_page_get_client:
 *
 * Returns: (transfer none) (nullable): the client
 */
QuorumClient *
quorum_general_page_get_client (QuorumGeneralPage *self)
{
  g_return_val_if_fail (QUORUM_IS_GENERAL_PAGE (self), NULL);

  return self->client;
}

void
quorum_general_page_set_client (QuorumGeneralPage *self,
                                QuorumClient      *client)
{
  g_return_if_fail (QUORUM_IS_GENERAL_PAGE (self));
  g_return_if_fail (client == NULL || QUORUM_IS_CLIENT (client));

  if (self->client == client)
    return;

  restart (self);
  g_set_object (&self->client, client);
  show_organization (self, NULL, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * quorum_general_page_get_organization:
 *
 * Returns: (transfer none) (nullable): the organization shown
 */
QuorumOrganization *
quorum_general_page_get_organization (QuorumGeneralPage *self)
{
  g_return_val_if_fail (QUORUM_IS_GENERAL_PAGE (self), NULL);

  return self->organization;
}

/* Whether @newer changes a field the user has edited since the version
 * shown. */
static gboolean
edits_overtaken (QuorumGeneralPage  *self,
                 QuorumOrganization *newer)
{
  for (Field field = 0; field < N_FIELDS; field++)
    {
      const char *typed = edited (self, field);

      /* Changed on the server, and not to what was typed here (a save
       * cancelled here that reached it after all, or the same edit). */
      if (typed != NULL &&
          g_strcmp0 (field_value (self->organization, field), field_value (newer, field)) != 0 &&
          g_strcmp0 (typed, field_value (newer, field)) != 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * quorum_general_page_set_organization:
 * @organization: (nullable): the organization, fetched with its ETag
 *
 * Shows another organization: requests still running for the previous one
 * are cancelled and the form is reset. A newer version of the organization
 * already shown only updates the fields the user has not changed.
 */
void
quorum_general_page_set_organization (QuorumGeneralPage  *self,
                                      QuorumOrganization *organization)
{
  g_return_if_fail (QUORUM_IS_GENERAL_PAGE (self));
  g_return_if_fail (organization == NULL || QUORUM_IS_ORGANIZATION (organization));

  if (self->organization == organization)
    return;

  /* A fresher version of the same organization (the window refetched it,
   * say after a reconnect): what the user typed stays, a save in flight
   * goes on. */
  if (organization != NULL && self->organization != NULL &&
      g_strcmp0 (quorum_organization_get_id (organization), quorum_organization_get_id (self->organization)) == 0)
    {
      /* Unless someone else changed a field the user is editing: then the
       * edits stay on the version they were made on, so that Save meets
       * the conflict (412) instead of overwriting the other change, and the
       * conflict banner says so at once. */
      if (edits_overtaken (self, organization))
        {
          /* A save in flight meets the conflict itself. */
          if (self->state != QUORUM_GENERAL_PAGE_STATE_SAVING)
            set_state (self, QUORUM_GENERAL_PAGE_STATE_CONFLICT);
          return;
        }
      show_organization (self, organization, TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANIZATION]);
      return;
    }

  restart (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reload_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->upload_button), TRUE);
  show_organization (self, organization, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANIZATION]);
}

/**
 * quorum_general_page_has_unsaved_changes:
 *
 * Returns: whether the form holds edits that were not saved
 */
gboolean
quorum_general_page_has_unsaved_changes (QuorumGeneralPage *self)
{
  g_return_val_if_fail (QUORUM_IS_GENERAL_PAGE (self), FALSE);

  return is_dirty (self);
}
