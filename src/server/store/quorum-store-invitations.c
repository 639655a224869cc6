/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "quorum-core.h"
#include "quorum-server-util.h"
#include "quorum-store-invitations.h"
#include "quorum-store-private.h"

G_STATIC_ASSERT (QS_STORE_TOKEN_HASH_LEN == QS_TOKEN_HASH_LEN);

#define INVITATION_SELECT \
  "SELECT i.id, i.org_id, i.email, i.role, i.status, i.invited_by, u.name, i.created_at," \
  " i.expires_at, i.last_sent_at, i.send_count, o.name, o.slug, o.logo_url, i.token_hash" \
  " FROM invitations i JOIN users u ON u.id = i.invited_by JOIN organizations o ON o.id = i.org_id"

/* What a list's status filter adds, with ?2 now. */
static const char * const status_filters[] = {
  [QS_STORE_INVITATION_PENDING] = " AND i.status = 'pending' AND i.expires_at > ?2",
  [QS_STORE_INVITATION_ACCEPTED] = " AND i.status = 'accepted'",
  [QS_STORE_INVITATION_DECLINED] = " AND i.status = 'declined'",
  [QS_STORE_INVITATION_REVOKED] = " AND i.status = 'revoked'",
  [QS_STORE_INVITATION_EXPIRED] = " AND i.status = 'pending' AND i.expires_at <= ?2",
};

/* What invitation_from_row () needs besides the row. */
typedef struct
{
  gint64        now;
  const guint8 *token_hash;  /* when set, rows with another hash are skipped */
} RowContext;

void
qs_store_invitation_free (QsStoreInvitation *inv)
{
  if (inv == NULL)
    return;
  g_free (inv->id);
  g_free (inv->org_id);
  g_free (inv->email);
  g_free (inv->invited_by);
  g_free (inv->inviter_name);
  g_free (inv->org_name);
  g_free (inv->org_slug);
  g_free (inv->org_logo_url);
  g_free (inv);
}

void
qs_store_invitation_page_free (QsStoreInvitationPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->invitations, g_ptr_array_unref);
  g_free (page);
}

static gpointer
fail (QsStore  *store,
      GError  **error)
{
  qs_store_fail (store, error);
  return NULL;
}

static gpointer
invitation_from_row (QsStmt   *stmt,
                     gpointer  user_data)
{
  const RowContext *context = user_data;
  const char *status = qs_stmt_text (stmt, 4);
  QsStoreInvitation *inv;
  gsize size = 0;
  const guint8 *hash = context->token_hash != NULL ? qs_stmt_blob (stmt, 14, &size) : NULL;

  /* The index found the row; the hash is compared again in constant time. */
  if (context->token_hash != NULL &&
      (size != QS_STORE_TOKEN_HASH_LEN ||
       sodium_memcmp (hash, context->token_hash, QS_STORE_TOKEN_HASH_LEN) != 0))
    return NULL;

  inv = g_new0 (QsStoreInvitation, 1);
  inv->id = qs_stmt_dup_text (stmt, 0);
  inv->org_id = qs_stmt_dup_text (stmt, 1);
  inv->email = qs_stmt_dup_text (stmt, 2);
  inv->role = quorum_role_from_string (qs_stmt_text (stmt, 3));
  inv->invited_by = qs_stmt_dup_text (stmt, 5);
  inv->inviter_name = qs_stmt_dup_text (stmt, 6);
  inv->created_at = qs_stmt_int64 (stmt, 7);
  inv->expires_at = qs_stmt_int64 (stmt, 8);
  inv->last_sent_at = qs_stmt_int64 (stmt, 9);
  inv->send_count = qs_stmt_int64 (stmt, 10);
  inv->org_name = qs_stmt_dup_text (stmt, 11);
  inv->org_slug = qs_stmt_dup_text (stmt, 12);
  inv->org_logo_url = qs_stmt_dup_text (stmt, 13);

  if (g_strcmp0 (status, "accepted") == 0)
    inv->status = QS_STORE_INVITATION_ACCEPTED;
  else if (g_strcmp0 (status, "declined") == 0)
    inv->status = QS_STORE_INVITATION_DECLINED;
  else if (g_strcmp0 (status, "revoked") == 0)
    inv->status = QS_STORE_INVITATION_REVOKED;
  else if (inv->expires_at <= context->now)
    inv->status = QS_STORE_INVITATION_EXPIRED;
  else
    inv->status = QS_STORE_INVITATION_PENDING;
  return inv;
}

static GPtrArray *
invitations_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_invitation_free);
}

QsStoreInvitation *
qs_store_invitation_create (QsStore       *store,
                            const char    *org_id,
                            const char    *email,
                            QuorumRole     role,
                            const guint8  *token_hash,
                            const char    *invited_by,
                            gint64         now,
                            gint64         expires_at,
                            GError       **error)
{
  g_autofree char *id = qs_new_id ("inv_");

  if (!qs_db_run (qs_store_db (store),
                  "INSERT INTO invitations (id, org_id, email, role, status, token_hash, invited_by,"
                  " created_at, expires_at, last_sent_at, send_count)"
                  " VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6, ?7, ?8, ?7, 1)",
                  "ssssbsii", id, org_id, email, quorum_role_to_string (role),
                  token_hash, (gsize) QS_STORE_TOKEN_HASH_LEN, invited_by, now, expires_at))
    return fail (store, error);
  return qs_store_invitation_get (store, org_id, id, now, error);
}

QsStoreInvitationPage *
qs_store_invitation_list (QsStore                        *store,
                          const char                     *org_id,
                          int                             status,
                          const QsStoreInvitationCursor  *after,
                          guint                           limit,
                          gint64                          now,
                          GError                        **error)
{
  g_autoptr(QsStoreInvitationPage) page = g_new0 (QsStoreInvitationPage, 1);
  const char *filter = status >= 0 ? status_filters[status] : "";
  g_autofree char *count_sql = g_strconcat ("SELECT COUNT(*) FROM invitations i WHERE i.org_id = ?1",
                                            filter, NULL);
  g_autofree char *sql = g_strconcat (INVITATION_SELECT " WHERE i.org_id = ?1", filter,
                                      after != NULL ? " AND (i.created_at, i.id) < (?3, ?4)" : "",
                                      " ORDER BY i.created_at DESC, i.id DESC LIMIT ?5", NULL);
  RowContext context = { now, NULL };

  page->total = qs_db_int (qs_store_db (store), -1, count_sql, "si", org_id, now);
  if (page->total < 0)
    return fail (store, error);
  page->invitations = invitations_new ();
  if (!qs_store_rows (store,
                      qs_db_prepare (qs_store_db (store), sql, "siisi", org_id, now,
                                     after != NULL ? after->created_at : 0, after != NULL ? after->id : NULL,
                                     (gint64) limit + 1),
                      invitation_from_row, &context, page->invitations, error))
    return NULL;
  page->more = page->invitations->len > limit;
  if (page->more)
    g_ptr_array_set_size (page->invitations, limit);
  return g_steal_pointer (&page);
}

QsStoreInvitation *
qs_store_invitation_get (QsStore     *store,
                         const char  *org_id,
                         const char  *inv_id,
                         gint64       now,
                         GError     **error)
{
  RowContext context = { now, NULL };

  return qs_store_row (store, invitation_from_row, &context, error,
                       INVITATION_SELECT " WHERE i.id = ?1 AND i.org_id = ?2",
                       "ss", inv_id, org_id);
}

QsStoreInvitation *
qs_store_invitation_by_token_hash (QsStore       *store,
                                   const guint8  *token_hash,
                                   gint64         now,
                                   GError       **error)
{
  RowContext context = { now, token_hash };

  return qs_store_row (store, invitation_from_row, &context, error,
                       INVITATION_SELECT " WHERE i.token_hash = ?1",
                       "b", token_hash, (gsize) QS_STORE_TOKEN_HASH_LEN);
}

QsStoreInvitation *
qs_store_invitation_for_address (QsStore     *store,
                                 const char  *inv_id,
                                 const char  *email,
                                 gint64       now,
                                 GError     **error)
{
  RowContext context = { now, NULL };

  return qs_store_row (store, invitation_from_row, &context, error,
                       INVITATION_SELECT " WHERE i.id = ?1 AND i.email = ?2",
                       "ss", inv_id, email);
}

GPtrArray *
qs_store_invitations_pending_for_address (QsStore     *store,
                                          const char  *email,
                                          gint64       now,
                                          GError     **error)
{
  g_autoptr(GPtrArray) invitations = invitations_new ();
  RowContext context = { now, NULL };

  if (!qs_store_rows (store,
                      qs_db_prepare (qs_store_db (store),
                                     INVITATION_SELECT
                                     " WHERE i.email = ?1 AND i.status = 'pending' AND i.expires_at > ?2"
                                     " ORDER BY i.created_at DESC, i.id LIMIT 200",
                                     "si", email, now),
                      invitation_from_row, &context, invitations, error))
    return NULL;
  return g_steal_pointer (&invitations);
}

gint64
qs_store_invitations_pending_count (QsStore     *store,
                                    const char  *org_id,
                                    const char  *email,
                                    gint64       now,
                                    GError     **error)
{
  gint64 n = qs_db_int (qs_store_db (store), -1,
                        "SELECT COUNT(*) FROM invitations WHERE org_id = ?1 AND (?2 IS NULL OR email = ?2)"
                        " AND status = 'pending' AND expires_at > ?3",
                        "ssi", org_id, email, now);

  if (n < 0)
    qs_store_fail (store, error);
  return n;
}

gboolean
qs_store_invitation_resend (QsStore       *store,
                            const char    *inv_id,
                            const guint8  *token_hash,
                            gint64         now,
                            gint64         expires_at,
                            GError       **error)
{
  if (!qs_db_run (qs_store_db (store),
                  "UPDATE invitations SET token_hash = ?1, expires_at = ?2, last_sent_at = ?3,"
                  " send_count = send_count + 1 WHERE id = ?4",
                  "biis", token_hash, (gsize) QS_STORE_TOKEN_HASH_LEN, expires_at, now, inv_id))
    return qs_store_fail (store, error);
  return TRUE;
}

/* pending → status, once. */
static gboolean
answer (QsStore     *store,
        const char  *inv_id,
        const char  *status,
        GError     **error)
{
  QsDb *db = qs_store_db (store);

  if (!qs_db_run (db, "UPDATE invitations SET status = ?1 WHERE id = ?2 AND status = 'pending'",
                  "ss", status, inv_id))
    return qs_store_fail (store, error);
  if (qs_db_changes (db) != 1)
    {
      g_set_error_literal (error, QS_STORE_ERROR, QS_STORE_ERROR_CONFLICT,
                           "This invitation is no longer pending.");
      return FALSE;
    }
  return TRUE;
}

QsStoreMember *
qs_store_invitation_accept (QsStore     *store,
                            const char  *inv_id,
                            const char  *user_id,
                            gint64       now,
                            GError     **error)
{
  g_autofree char *org_id = NULL;
  g_autofree char *role = NULL;
  g_autofree char *member_id = NULL;
  g_autoptr(GError) local_error = NULL;
  QsStoreMember *member;
  QsStmt *stmt = qs_db_prepare (qs_store_db (store),
                                "SELECT org_id, role FROM invitations WHERE id = ?1", "s", inv_id);

  if (stmt == NULL)
    return fail (store, error);
  if (qs_stmt_next (stmt))
    {
      org_id = qs_stmt_dup_text (stmt, 0);
      role = qs_stmt_dup_text (stmt, 1);
    }
  qs_stmt_reset (stmt);
  if (org_id == NULL || !answer (store, inv_id, "accepted", error))
    {
      if (org_id == NULL)
        g_set_error_literal (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "No such invitation.");
      return NULL;
    }

  member = qs_store_member_for_user (store, org_id, user_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (member != NULL)
    return member;
  member_id = qs_store_member_add (store, org_id, user_id, quorum_role_from_string (role),
                                   QS_STORE_MEMBER_ACTIVE, now, now, error);
  if (member_id == NULL)
    return NULL;
  return qs_store_member_get (store, org_id, member_id, error);
}

gboolean
qs_store_invitation_decline (QsStore     *store,
                             const char  *inv_id,
                             GError     **error)
{
  return answer (store, inv_id, "declined", error);
}

gboolean
qs_store_invitation_revoke (QsStore     *store,
                            const char  *inv_id,
                            GError     **error)
{
  return answer (store, inv_id, "revoked", error);
}
