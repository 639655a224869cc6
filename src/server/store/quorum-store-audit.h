/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store: the audit log. Included by quorum-store.h; include that
 * instead. Every change made through the API writes one record, in the
 * transaction of the change; records are never changed and outlive what
 * they name (no foreign keys). */

#include <glib.h>

G_BEGIN_DECLS

typedef struct _QsStore QsStore;

/* What an audit event records; every string but target_name and data is
 * required. For the actions that are also webhook events (member.added,
 * member.removed, member.updated, invitation.created, invitation.accepted,
 * organization.updated, api_key.created, api_key.revoked) data must be the
 * target as the API shows it: qs_store_audit_record () emits the event with
 * it (quorum-store-events.h). */
typedef struct
{
  const char *org_id;
  const char *actor_id;
  const char *actor_name;
  const char *actor_kind;   /* "user", "api_key", "system", "invitee" */
  const char *action;       /* "billing.topped_up" */
  const char *target_type;  /* "organization" */
  const char *target_id;
  const char *target_name;
  const char *data;         /* JSON or NULL */
  const char *changes;      /* JSON {field: {from, to}} of an update, or NULL;
                             * never a secret */
  gint64      created_at;
} QsStoreAuditEvent;

/* A record as read back. */
typedef struct
{
  gint64  seq;           /* the order of writing */
  char   *id;
  char   *actor_id;
  char   *actor_name;
  char   *actor_kind;
  char   *action;
  char   *target_type;
  char   *target_id;
  char   *target_name;   /* may be NULL */
  char   *changes;       /* JSON or NULL */
  gint64  created_at;
} QsStoreAuditItem;

typedef struct
{
  const char *actor_id;     /* NULL: any */
  const char *action;       /* NULL: any */
  gint64      from;         /* created_at >= from; 0: no bound */
  gint64      to;           /* created_at < to; 0: no bound */
  gint64      after_created_at;
  gint64      after_seq;    /* 0: the first page */
} QsStoreAuditFilter;

typedef struct
{
  GPtrArray *items;   /* QsStoreAuditItem, newest first */
  gboolean   more;
  gint64     total;   /* records matching the filter (not the cursor) */
} QsStoreAuditPage;

void              qs_store_audit_item_free  (QsStoreAuditItem   *item);
void              qs_store_audit_page_free  (QsStoreAuditPage   *page);

/* Writes the record in the transaction in progress (and the webhook event,
 * see above). */
gboolean          qs_store_audit_record     (QsStore                  *store,
                                             const QsStoreAuditEvent  *event,
                                             GError                  **error);
/* A page of org_id's records newest first by (created_at, seq). */
QsStoreAuditPage *qs_store_audit_list       (QsStore                  *store,
                                             const char               *org_id,
                                             const QsStoreAuditFilter *filter,
                                             guint                     limit,
                                             GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreAuditItem, qs_store_audit_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreAuditPage, qs_store_audit_page_free)

G_END_DECLS
