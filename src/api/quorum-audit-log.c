/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-audit-log.h"
#include "quorum-client.h"

/*
 * The organization's audit log as a GListModel, newest first, fed by the
 * cursor API (GET .../audit-events) a page at a time as the view reads
 * towards its end. An audit log only grows at its top, and a cursor reads
 * on from where the first page was taken, so pages only ever append:
 * items_changed is always (n, 0, added). Reading the model starts it;
 * reload() starts over (for new events at the top). A failed page stops
 * the growth and sets "error" until load_more() or reload() asks again.
 * At most QUORUM_AUDIT_LOG_MAX_ITEMS are kept; past them the log is
 * "complete". Fetches hold the log weakly: dropping it cancels them.
 */
struct _QuorumAuditLog
{
  GObject parent_instance;

  QuorumClient *client;
  char         *organization_id;
  char         *action;
  char         *actor_id;
  GDateTime    *since;
  guint         page_size;

  GPtrArray    *items;
  char         *next_cursor;
  guint         total;
  gboolean      started;
  gboolean      fetching;
  gboolean      complete;
  GError       *error;
  guint         generation;
  GCancellable *cancellable;
};

static void quorum_audit_log_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (QuorumAuditLog, quorum_audit_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, quorum_audit_log_model_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ORGANIZATION_ID,
  PROP_ACTION,
  PROP_ACTOR_ID,
  PROP_SINCE,
  PROP_PAGE_SIZE,
  PROP_TOTAL,
  PROP_LOADING,
  PROP_COMPLETE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GWeakRef self;
  guint    generation;
} Fetch;

static GType
quorum_audit_log_get_item_type (GListModel *model)
{
  return QUORUM_TYPE_AUDIT_EVENT;
}

static guint
quorum_audit_log_get_n_items (GListModel *model)
{
  QuorumAuditLog *self = QUORUM_AUDIT_LOG (model);

  if (!self->started)
    quorum_audit_log_load_more (self);
  return self->items->len;
}

static gpointer
quorum_audit_log_get_item (GListModel *model,
                           guint       position)
{
  QuorumAuditLog *self = QUORUM_AUDIT_LOG (model);

  if (!self->started)
    quorum_audit_log_load_more (self);
  if (position >= self->items->len)
    return NULL;
  /* Half a page from the end: the next page, before the view gets there. */
  if (position + MAX (self->page_size / 2, 1) >= self->items->len && self->error == NULL)
    quorum_audit_log_load_more (self);
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
quorum_audit_log_model_init (GListModelInterface *iface)
{
  iface->get_item_type = quorum_audit_log_get_item_type;
  iface->get_n_items = quorum_audit_log_get_n_items;
  iface->get_item = quorum_audit_log_get_item;
}

static void
set_loading (QuorumAuditLog *self,
             gboolean        fetching)
{
  if (self->fetching != fetching)
    {
      self->fetching = fetching;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

static void
set_error (QuorumAuditLog *self,
           const GError   *error)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
cancel_fetch (QuorumAuditLog *self)
{
  self->generation++;
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  set_loading (self, FALSE);
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(QuorumAuditLog) self = g_weak_ref_get (&fetch->self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *next_cursor = NULL;
  gboolean stale = self == NULL || fetch->generation != self->generation;
  guint total = 0;
  guint added;

  g_weak_ref_clear (&fetch->self);
  g_free (fetch);

  items = quorum_client_list_audit_events_finish (QUORUM_CLIENT (object), result, &next_cursor,
                                                  &total, &error);
  if (stale)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  set_loading (self, FALSE);

  if (items == NULL)
    {
      set_error (self, error);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  set_error (self, NULL);
  added = MIN (items->len, QUORUM_AUDIT_LOG_MAX_ITEMS - self->items->len);
  for (guint i = 0; i < added; i++)
    g_ptr_array_add (self->items, g_object_ref (g_ptr_array_index (items, i)));

  g_free (self->next_cursor);
  self->next_cursor = g_steal_pointer (&next_cursor);
  /* A page that brings nothing would loop forever; the cap ends it too. */
  if (items->len == 0 || self->items->len >= QUORUM_AUDIT_LOG_MAX_ITEMS)
    g_clear_pointer (&self->next_cursor, g_free);

  if (self->complete != (self->next_cursor == NULL))
    {
      self->complete = self->next_cursor == NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
    }
  total = MAX (total, self->items->len);
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }

  if (added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - added, 0, added);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
quorum_audit_log_dispose (GObject *object)
{
  QuorumAuditLog *self = QUORUM_AUDIT_LOG (object);

  cancel_fetch (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (quorum_audit_log_parent_class)->dispose (object);
}

static void
quorum_audit_log_finalize (GObject *object)
{
  QuorumAuditLog *self = QUORUM_AUDIT_LOG (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->organization_id, g_free);
  g_clear_pointer (&self->action, g_free);
  g_clear_pointer (&self->actor_id, g_free);
  g_clear_pointer (&self->since, g_date_time_unref);
  g_clear_pointer (&self->next_cursor, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (quorum_audit_log_parent_class)->finalize (object);
}

static void
quorum_audit_log_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  QuorumAuditLog *self = QUORUM_AUDIT_LOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_ORGANIZATION_ID:
      g_value_set_string (value, self->organization_id);
      break;

    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;

    case PROP_ACTOR_ID:
      g_value_set_string (value, self->actor_id);
      break;

    case PROP_SINCE:
      g_value_set_boxed (value, self->since);
      break;

    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;

    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->fetching);
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_audit_log_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  QuorumAuditLog *self = QUORUM_AUDIT_LOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_ORGANIZATION_ID:
      self->organization_id = g_value_dup_string (value);
      break;

    case PROP_ACTION:
      self->action = g_value_dup_string (value);
      break;

    case PROP_ACTOR_ID:
      self->actor_id = g_value_dup_string (value);
      break;

    case PROP_SINCE:
      self->since = g_value_dup_boxed (value);
      break;

    case PROP_PAGE_SIZE:
      quorum_audit_log_set_page_size (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_audit_log_class_init (QuorumAuditLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = quorum_audit_log_dispose;
  object_class->finalize = quorum_audit_log_finalize;
  object_class->get_property = quorum_audit_log_get_property;
  object_class->set_property = quorum_audit_log_set_property;

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, QUORUM_TYPE_CLIENT, construct);
  properties[PROP_ORGANIZATION_ID] = g_param_spec_string ("organization-id", NULL, NULL, NULL, construct);
  properties[PROP_ACTION] = g_param_spec_string ("action", NULL, NULL, NULL, construct);
  properties[PROP_ACTOR_ID] = g_param_spec_string ("actor-id", NULL, NULL, NULL, construct);
  properties[PROP_SINCE] = g_param_spec_boxed ("since", NULL, NULL, G_TYPE_DATE_TIME, construct);
  properties[PROP_PAGE_SIZE] = g_param_spec_uint ("page-size", NULL, NULL, 1, 200,
                                                  QUORUM_AUDIT_LOG_DEFAULT_PAGE_SIZE,
                                                  G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                                  G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOTAL] = g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, ro);
  properties[PROP_COMPLETE] = g_param_spec_boolean ("complete", NULL, NULL, FALSE, ro);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_audit_log_init (QuorumAuditLog *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->page_size = QUORUM_AUDIT_LOG_DEFAULT_PAGE_SIZE;
}

/**
 * quorum_audit_log_new:
 * @action: (nullable): only events of this action, or %NULL for all
 *
 * Returns: (transfer full): a log that fetches its first page when first read
 */
QuorumAuditLog *
quorum_audit_log_new (QuorumClient *client,
                      const char   *organization_id,
                      const char   *action)
{
  g_return_val_if_fail (QUORUM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (organization_id != NULL, NULL);

  return g_object_new (QUORUM_TYPE_AUDIT_LOG,
                       "client", client,
                       "organization-id", organization_id,
                       "action", action,
                       NULL);
}

/**
 * quorum_audit_log_new_filtered:
 * @action: (nullable): only events of this action, or %NULL for all
 * @actor_id: (nullable): only changes by this actor (`usr_…`, `key_…`), or
 *   %NULL for anyone's
 * @since: (nullable): only changes at or after this time, or %NULL for all
 *   time
 *
 * Returns: (transfer full): a log that fetches its first page when first read
 */
QuorumAuditLog *
quorum_audit_log_new_filtered (QuorumClient *client,
                               const char   *organization_id,
                               const char   *action,
                               const char   *actor_id,
                               GDateTime    *since)
{
  g_return_val_if_fail (QUORUM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (organization_id != NULL, NULL);

  return g_object_new (QUORUM_TYPE_AUDIT_LOG,
                       "client", client,
                       "organization-id", organization_id,
                       "action", action,
                       "actor-id", actor_id,
                       "since", since,
                       NULL);
}

const char *
quorum_audit_log_get_actor_id (QuorumAuditLog *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_LOG (self), NULL);

  return self->actor_id;
}

/**
 * quorum_audit_log_get_since:
 *
 * Returns: (transfer none) (nullable): the start of the time range, or %NULL
 */
GDateTime *
quorum_audit_log_get_since (QuorumAuditLog *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_LOG (self), NULL);

  return self->since;
}

const char *
quorum_audit_log_get_organization_id (QuorumAuditLog *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_LOG (self), NULL);

  return self->organization_id;
}

const char *
quorum_audit_log_get_action (QuorumAuditLog *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_LOG (self), NULL);

  return self->action;
}

guint
quorum_audit_log_get_page_size (QuorumAuditLog *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_LOG (self), 0);

  return self->page_size;
}

/* For the pages fetched from now on. */
void
quorum_audit_log_set_page_size (QuorumAuditLog *self,
                                guint           page_size)
{
  g_return_if_fail (QUORUM_IS_AUDIT_LOG (self));
  g_return_if_fail (page_size >= 1 && page_size <= 200);

  if (self->page_size != page_size)
    {
      self->page_size = page_size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_SIZE]);
    }
}

/* How many events match, as the server last said. */
guint
quorum_audit_log_get_total (QuorumAuditLog *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_LOG (self), 0);

  return self->total;
}

gboolean
quorum_audit_log_get_loading (QuorumAuditLog *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_LOG (self), FALSE);

  return self->fetching;
}

/* Every page is in (or the cap reached). */
gboolean
quorum_audit_log_get_complete (QuorumAuditLog *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_LOG (self), FALSE);

  return self->complete;
}

/* Why the last page failed, or NULL. */
const GError *
quorum_audit_log_get_error (QuorumAuditLog *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_LOG (self), NULL);

  return self->error;
}

/* Fetches the next page, unless one is on its way or the log is complete
 * (also after a failure: this is Retry). */
void
quorum_audit_log_load_more (QuorumAuditLog *self)
{
  Fetch *fetch;

  g_return_if_fail (QUORUM_IS_AUDIT_LOG (self));

  if (self->fetching || self->complete || self->client == NULL)
    return;
  if (self->started && self->next_cursor == NULL && self->error == NULL)
    return;

  self->started = TRUE;
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  fetch = g_new0 (Fetch, 1);
  g_weak_ref_init (&fetch->self, self);
  fetch->generation = self->generation;
  set_loading (self, TRUE);
  quorum_client_list_audit_events_async (self->client, self->organization_id, self->action, self->actor_id,
                                         self->since, NULL, self->next_cursor, self->page_size,
                                         self->cancellable, page_cb, fetch);
}

/* Forgets every event and fetches the first page again. */
void
quorum_audit_log_reload (QuorumAuditLog *self)
{
  guint removed;

  g_return_if_fail (QUORUM_IS_AUDIT_LOG (self));

  cancel_fetch (self);
  g_clear_pointer (&self->next_cursor, g_free);
  removed = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  self->started = FALSE;
  self->complete = FALSE;
  set_error (self, NULL);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  quorum_audit_log_load_more (self);
}
