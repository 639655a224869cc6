/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-core.h"
#include "quorum-server-util.h"
#include "quorum-store-organizations.h"
#include "quorum-store-billing.h"
#include "quorum-store-private.h"

#define ORGANIZATION_COLUMNS "o.id, o.name, o.slug, o.logo_url, o.version, o.created_at"
#define MEMBER_COLUMNS \
  "m.id, m.org_id, m.user_id, u.name, u.email, m.role, m.status, m.joined_at, m.last_active_at"

void
qs_store_organization_free (QsStoreOrganization *org)
{
  if (org == NULL)
    return;
  g_free (org->id);
  g_free (org->name);
  g_free (org->slug);
  g_free (org->logo_url);
  g_free (org);
}

void
qs_store_member_free (QsStoreMember *member)
{
  if (member == NULL)
    return;
  g_free (member->id);
  g_free (member->org_id);
  g_free (member->user_id);
  g_free (member->name);
  g_free (member->email);
  g_free (member);
}

QsStoreMember *
qs_store_member_copy (const QsStoreMember *member)
{
  QsStoreMember *copy = g_memdup2 (member, sizeof *member);

  copy->id = g_strdup (member->id);
  copy->org_id = g_strdup (member->org_id);
  copy->user_id = g_strdup (member->user_id);
  copy->name = g_strdup (member->name);
  copy->email = g_strdup (member->email);
  return copy;
}

void
qs_store_member_cursor_free (QsStoreMemberCursor *cursor)
{
  if (cursor == NULL)
    return;
  g_free (cursor->sort_name);
  g_free (cursor->id);
  g_free (cursor);
}

void
qs_store_member_page_free (QsStoreMemberPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->members, g_ptr_array_unref);
  qs_store_member_cursor_free (page->next);
  g_free (page);
}

const char *
qs_store_member_status_to_string (QsStoreMemberStatus status)
{
  return status == QS_STORE_MEMBER_ACTIVE ? "active" : "suspended";
}

gboolean
qs_store_member_status_from_string (const char          *text,
                                    QsStoreMemberStatus *status)
{
  *status = g_strcmp0 (text, "active") == 0 ? QS_STORE_MEMBER_ACTIVE : QS_STORE_MEMBER_SUSPENDED;
  return g_strcmp0 (text, "active") == 0 || g_strcmp0 (text, "suspended") == 0;
}

static char *
qs_sort_name (const char *name)
{
  return g_utf8_casefold (name, -1);
}

static char *
qs_search_text (const char *name,
                const char *email)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  return g_strconcat (folded, "\n", email, NULL);
}

/* ---------------------------------------------------------- organizations */

static gpointer
fail (QsStore  *store,
      GError  **error)
{
  qs_store_fail (store, error);
  return NULL;
}

static gpointer
organization_from_row (QsStmt   *stmt,
                       gpointer  user_data)
{
  QsStoreOrganization *org = g_new0 (QsStoreOrganization, 1);

  org->id = qs_stmt_dup_text (stmt, 0);
  org->name = qs_stmt_dup_text (stmt, 1);
  org->slug = qs_stmt_dup_text (stmt, 2);
  org->logo_url = qs_stmt_dup_text (stmt, 3);
  org->version = qs_stmt_int64 (stmt, 4);
  org->created_at = qs_stmt_int64 (stmt, 5);
  if (qs_stmt_n_columns (stmt) > 6)
    org->role = quorum_role_from_string (qs_stmt_text (stmt, 6));
  org->member_count = qs_member_index_count (user_data, org->id);
  return org;
}

static gboolean
slug_taken (QsStore    *store,
            const char *slug,
            const char *except_org_id)
{
  return qs_db_int (qs_store_db (store), 0,
                    "SELECT COUNT(*) FROM organizations WHERE slug = ?1 AND (id <> ?2 OR ?2 IS NULL)",
                    "ss", slug, except_org_id) > 0;
}

static gboolean
conflict (GError     **error,
          const char  *message)
{
  g_set_error_literal (error, QS_STORE_ERROR, QS_STORE_ERROR_CONFLICT, message);
  return FALSE;
}

QsStoreOrganization *
qs_store_organization_get (QsStore     *store,
                           const char  *org_id,
                           GError     **error)
{
  return qs_store_row (store, organization_from_row, qs_store_member_index (store), error,
                       "SELECT " ORGANIZATION_COLUMNS " FROM organizations o WHERE o.id = ?1",
                       "s", org_id);
}

GPtrArray *
qs_store_organizations_for_user (QsStore     *store,
                                 const char  *user_id,
                                 GError     **error)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_organization_free);
  QsStmt *stmt = qs_db_prepare (qs_store_db (store),
                                "SELECT " ORGANIZATION_COLUMNS ", m.role"
                                " FROM members m JOIN organizations o ON o.id = m.org_id"
                                " WHERE m.user_id = ?1 AND m.status = 'active'"
                                " ORDER BY lower (o.name), o.id LIMIT 200",
                                "s", user_id);

  if (!qs_store_rows (store, stmt, organization_from_row, qs_store_member_index (store), orgs, error))
    return NULL;
  return g_steal_pointer (&orgs);
}

QsStoreOrganization *
qs_store_organization_create (QsStore     *store,
                              const char  *name,
                              const char  *slug,
                              const char  *logo_url,
                              const char  *owner_id,
                              GError     **error)
{
  g_autofree char *id = qs_new_id ("org_");
  g_autofree char *chosen = NULL;
  g_autofree char *member_id = NULL;
  QsStoreOrganization *org;
  gint64 now = qs_now ();

  if (slug != NULL)
    {
      if (slug_taken (store, slug, NULL))
        return conflict (error, "Another organization uses this slug."), NULL;
      chosen = g_strdup (slug);
    }
  else
    {
      g_autofree char *base = quorum_slug_from_name (name);

      chosen = g_strdup (base);
      for (guint n = 2; slug_taken (store, chosen, NULL); n++)
        {
          g_free (chosen);
          chosen = quorum_slug_with_suffix (base, n);
        }
    }

  if (!qs_db_run (qs_store_db (store),
                  "INSERT INTO organizations (id, name, slug, logo_url, created_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5)",
                  "ssssi", id, name, chosen, logo_url, now))
    return fail (store, error);
  member_id = qs_store_member_add (store, id, owner_id, QUORUM_ROLE_OWNER, QS_STORE_MEMBER_ACTIVE,
                                   now, now, error);
  if (member_id == NULL || !qs_store_billing_open (store, id, qs_store_default_plan (store), error))
    return NULL;

  /* Built here rather than read back: reading member_count would load the
   * member index of an organization that a seeder is about to fill row by
   * row, scattering its entries in memory (searches got 5 times slower). */
  org = g_new0 (QsStoreOrganization, 1);
  org->id = g_steal_pointer (&id);
  org->name = g_strdup (name);
  org->slug = g_steal_pointer (&chosen);
  org->logo_url = g_strdup (logo_url);
  org->version = 1;
  org->created_at = now;
  org->member_count = 1;
  return org;
}

gboolean
qs_store_organization_update (QsStore     *store,
                              const char  *org_id,
                              const char  *name,
                              const char  *slug,
                              gboolean     set_logo_url,
                              const char  *logo_url,
                              GError     **error)
{
  QsDb *db = qs_store_db (store);

  if (slug != NULL && slug_taken (store, slug, org_id))
    return conflict (error, "Another organization uses this slug.");
  if ((name != NULL &&
       !qs_db_run (db, "UPDATE organizations SET name = ?1 WHERE id = ?2", "ss", name, org_id)) ||
      (slug != NULL &&
       !qs_db_run (db, "UPDATE organizations SET slug = ?1 WHERE id = ?2", "ss", slug, org_id)) ||
      (set_logo_url &&
       !qs_db_run (db,
                   "UPDATE organizations SET logo_url = ?1, logo_type = NULL, logo_data = NULL"
                   " WHERE id = ?2", "ss", logo_url, org_id)) ||
      !qs_db_run (db, "UPDATE organizations SET version = version + 1 WHERE id = ?1", "s", org_id))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_organization_delete (QsStore     *store,
                              const char  *org_id,
                              GError     **error)
{
  QsDb *db = qs_store_db (store);

  /* Dropped first, so the cascade does not update it row by row; a
   * rollback drops the whole index anyway. */
  qs_member_index_forget (qs_store_member_index (store), org_id);
  if (!qs_db_run (db, "DELETE FROM idempotency_keys WHERE org_id = ?1", "s", org_id) ||
      !qs_db_run (db, "DELETE FROM organizations WHERE id = ?1", "s", org_id))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_organization_set_logo (QsStore     *store,
                                const char  *org_id,
                                const char  *logo_url,
                                const char  *content_type,
                                GBytes      *data,
                                GError     **error)
{
  gsize len;
  gconstpointer bytes = g_bytes_get_data (data, &len);

  if (!qs_db_run (qs_store_db (store),
                  "UPDATE organizations SET logo_url = ?1, logo_type = ?2, logo_data = ?3,"
                  " version = version + 1 WHERE id = ?4",
                  "ssbs", logo_url, content_type, bytes != NULL ? bytes : "", len, org_id))
    return qs_store_fail (store, error);
  return TRUE;
}

GBytes *
qs_store_organization_get_logo (QsStore     *store,
                                const char  *org_id,
                                char       **content_type,
                                GError     **error)
{
  QsStmt *stmt = qs_db_prepare (qs_store_db (store),
                                "SELECT logo_type, logo_data FROM organizations"
                                " WHERE id = ?1 AND logo_data IS NOT NULL",
                                "s", org_id);
  GBytes *bytes = NULL;
  QsStmtResult rc;

  *content_type = NULL;
  if (stmt == NULL)
    return fail (store, error);
  rc = qs_stmt_step (stmt);
  if (rc == QS_STMT_ROW)
    {
      gsize size = 0;
      const guint8 *data = qs_stmt_blob (stmt, 1, &size);

      *content_type = qs_stmt_dup_text (stmt, 0);
      bytes = g_bytes_new (data, size);
    }
  qs_stmt_reset (stmt);
  if (rc != QS_STMT_ROW && rc != QS_STMT_DONE)
    return fail (store, error);
  return bytes;
}

/* ----------------------------------------------------------------- members */

static gpointer
member_from_row (QsStmt   *stmt,
                 gpointer  user_data)
{
  QsStoreMember *member = g_new0 (QsStoreMember, 1);

  member->id = qs_stmt_dup_text (stmt, 0);
  member->org_id = qs_stmt_dup_text (stmt, 1);
  member->user_id = qs_stmt_dup_text (stmt, 2);
  member->name = qs_stmt_dup_text (stmt, 3);
  member->email = qs_stmt_dup_text (stmt, 4);
  member->role = quorum_role_from_string (qs_stmt_text (stmt, 5));
  qs_store_member_status_from_string (qs_stmt_text (stmt, 6), &member->status);
  member->joined_at = qs_stmt_int64 (stmt, 7);
  member->last_active_at = qs_stmt_int64 (stmt, 8);
  return member;
}

QsStoreMember *
qs_store_member_get (QsStore     *store,
                     const char  *org_id,
                     const char  *member_id,
                     GError     **error)
{
  return qs_store_row (store, member_from_row, NULL, error,
                       "SELECT " MEMBER_COLUMNS " FROM members m JOIN users u ON u.id = m.user_id"
                       " WHERE m.id = ?1 AND m.org_id = ?2",
                       "ss", member_id, org_id);
}

QsStoreMember *
qs_store_member_for_user (QsStore     *store,
                          const char  *org_id,
                          const char  *user_id,
                          GError     **error)
{
  QsCache *cache = qs_store_cache (store);
  QsStoreMember *member = qs_cache_member (cache, org_id, user_id);

  if (member != NULL)
    return member;
  member = qs_store_row (store, member_from_row, NULL, error,
                         "SELECT " MEMBER_COLUMNS " FROM members m JOIN users u ON u.id = m.user_id"
                         " WHERE m.org_id = ?1 AND m.user_id = ?2",
                         "ss", org_id, user_id);
  if (member != NULL)
    qs_cache_add_member (cache, member);
  return member;
}

gboolean
qs_store_member_has_email (QsStore     *store,
                           const char  *org_id,
                           const char  *email,
                           GError     **error)
{
  gint64 n = qs_db_int (qs_store_db (store), -1,
                        "SELECT COUNT(*) FROM members m JOIN users u ON u.id = m.user_id"
                        " WHERE m.org_id = ?1 AND u.email = ?2", "ss", org_id, email);

  if (n < 0)
    return qs_store_fail (store, error);
  return n > 0;
}

/* The rows of one page in the order of ids: copies of what the read cache
 * holds, taken first (adding rows may empty a full cache), and the ones it
 * lacks in one query (then cached unless fill_cache is FALSE). */
static gboolean
add_member_rows (QsStore    *store,
                 GPtrArray  *ids,
                 gboolean    fill_cache,
                 GPtrArray  *members,
                 GError    **error)
{
  QsCache *cache = qs_store_cache (store);
  gboolean cached = ids->len > 0 && qs_cache_rows_fresh (cache);
  g_autoptr(GString) sql = NULL;
  g_autoptr(GPtrArray) slots = g_ptr_array_new_full (ids->len, (GDestroyNotify) qs_store_member_free);
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_member_free);
  g_autoptr(GHashTable) rows = g_hash_table_new (g_str_hash, g_str_equal);
  QsStmt *stmt;

  for (guint i = 0; i < ids->len; i++)
    {
      const QsStoreMember *row = cached ? qs_cache_row (cache, g_ptr_array_index (ids, i)) : NULL;

      g_ptr_array_add (slots, row != NULL ? qs_store_member_copy (row) : NULL);
      if (row == NULL)
        g_ptr_array_add (missing, g_ptr_array_index (ids, i));
    }

  if (missing->len > 0)
    {
      sql = g_string_new ("SELECT " MEMBER_COLUMNS " FROM members m JOIN users u ON u.id = m.user_id"
                          " WHERE m.id IN (?1");
      for (guint i = 1; i < missing->len; i++)
        g_string_append_printf (sql, ", ?%u", i + 1);
      g_string_append_c (sql, ')');

      stmt = qs_db_prepare (qs_store_db (store), sql->str, "");
      for (guint i = 0; stmt != NULL && i < missing->len; i++)
        qs_stmt_bind_text (stmt, i + 1, g_ptr_array_index (missing, i));
      if (!qs_store_rows (store, stmt, member_from_row, NULL, found, error))
        return FALSE;
      qs_stmt_clear_bindings (stmt);

      for (guint i = 0; i < found->len; i++)
        {
          QsStoreMember *member = g_ptr_array_index (found, i);

          g_hash_table_insert (rows, member->id, member);
          if (fill_cache)
            qs_cache_add_row (cache, member);
        }
      if (g_hash_table_size (rows) != missing->len)
        {
          g_set_error_literal (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "The member index is out of step.");
          return FALSE;
        }
    }

  g_ptr_array_set_free_func (found, NULL);
  for (guint i = 0; i < ids->len; i++)
    {
      QsStoreMember *member = g_steal_pointer (&g_ptr_array_index (slots, i));

      g_ptr_array_add (members, member != NULL ? member : g_hash_table_lookup (rows, g_ptr_array_index (ids, i)));
    }
  return TRUE;
}

QsStoreMemberPage *
qs_store_member_list (QsStore                  *store,
                      const char               *org_id,
                      const QsStoreMemberQuery *query,
                      GError                  **error)
{
  g_autoptr(QsStoreMemberPage) page = g_new0 (QsStoreMemberPage, 1);
  g_auto(QsMemberPage) found = { 0 };
  g_autofree char *needle = query->query != NULL ? g_utf8_casefold (query->query, -1) : NULL;
  QsMemberQuery q = {
    .role = query->role != QUORUM_ROLE_NONE ? quorum_role_to_string (query->role)[0] : 0,
    .rank = query->status,
    .inactive_before = query->inactive_before,
    .needle = needle,
    .order = query->sort == QS_STORE_MEMBER_SORT_LAST_ACTIVE ? QS_MEMBER_ORDER_ACTIVE : QS_MEMBER_ORDER_NAME,
    .no_total = query->no_total,
    .has_cursor = query->after != NULL,
    .offset = query->offset,
    .limit = query->limit,
  };

  if (query->after != NULL)
    {
      q.cursor_rank = query->after->status;
      q.cursor_active = query->after->last_active_at;
      q.cursor_name = query->after->sort_name;
      q.cursor_id = query->after->id;
    }
  page->members = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_member_free);
  if (!qs_member_index_query (qs_store_member_index (store), org_id, &q, &found))
    return fail (store, error);
  if (!add_member_rows (store, found.ids, !query->no_cache, page->members, error))
    {
      /* Rows gone behind the index's back (another process wrote the
       * table): build it again on next use rather than fail forever. */
      qs_member_index_forget (qs_store_member_index (store), org_id);
      return NULL;
    }

  page->total = found.total;
  if (found.more)
    {
      page->next = g_new0 (QsStoreMemberCursor, 1);
      page->next->status = found.last_rank;
      page->next->last_active_at = found.last_active;
      page->next->sort_name = g_steal_pointer (&found.last_name);
      page->next->id = g_steal_pointer (&found.last_id);
    }
  return g_steal_pointer (&page);
}

static char *
qs_insert_member (QsDb       *db,
                  const char *org_id,
                  const char *user_id,
                  const char *role,
                  const char *status,
                  gint64      joined_at,
                  gint64      last_active_at)
{
  g_autofree char *id = qs_new_id ("mem_");
  g_autofree char *name = NULL;
  g_autofree char *email = NULL;
  g_autofree char *sort_name = NULL;
  g_autofree char *search = NULL;
  QsStmt *stmt = qs_db_prepare (db, "SELECT name, email FROM users WHERE id = ?1", "s", user_id);

  if (stmt == NULL)
    return NULL;
  if (qs_stmt_next (stmt))
    {
      name = qs_stmt_dup_text (stmt, 0);
      email = qs_stmt_dup_text (stmt, 1);
    }
  qs_stmt_reset (stmt);
  if (name == NULL)
    return NULL;

  sort_name = qs_sort_name (name);
  search = qs_search_text (name, email);
  if (!qs_db_run (db,
                  "INSERT INTO members (id, org_id, user_id, role, status, status_rank, sort_name,"
                  " search, joined_at, last_active_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULLIF (?10, 0))",
                  "sssssissii", id, org_id, user_id, role, status,
                  (gint64) (g_strcmp0 (status, "active") == 0 ? 0 : 1),
                  sort_name, search, joined_at, last_active_at))
    return NULL;
  return g_steal_pointer (&id);
}

char *
qs_store_member_add (QsStore              *store,
                     const char           *org_id,
                     const char           *user_id,
                     QuorumRole            role,
                     QsStoreMemberStatus   status,
                     gint64                joined_at,
                     gint64                last_active_at,
                     GError              **error)
{
  char *id = qs_insert_member (qs_store_db (store), org_id, user_id, quorum_role_to_string (role),
                               qs_store_member_status_to_string (status), joined_at, last_active_at);

  if (id == NULL)
    qs_store_fail (store, error);
  return id;
}

static gboolean
run (QsStore  *store,
     gboolean  ok,
     GError  **error)
{
  return ok ? TRUE : qs_store_fail (store, error);
}

gboolean
qs_store_organization_lock (QsStore     *store,
                            const char  *org_id,
                            GError     **error)
{
  return run (store, qs_db_lock_row (qs_store_db (store), "organizations", org_id), error);
}

gboolean
qs_store_member_set_role (QsStore     *store,
                          const char  *member_id,
                          QuorumRole   role,
                          GError     **error)
{
  return run (store, qs_db_run (qs_store_db (store), "UPDATE members SET role = ?1 WHERE id = ?2",
                                "ss", quorum_role_to_string (role), member_id), error);
}

gboolean
qs_store_member_set_status (QsStore              *store,
                            const char           *member_id,
                            QsStoreMemberStatus   status,
                            GError              **error)
{
  return run (store, qs_db_run (qs_store_db (store),
                                "UPDATE members SET status = ?1, status_rank = ?2 WHERE id = ?3", "sis",
                                qs_store_member_status_to_string (status), (gint64) status, member_id), error);
}

gboolean
qs_store_member_set_last_active (QsStore     *store,
                                 const char  *member_id,
                                 gint64       last_active_at,
                                 GError     **error)
{
  return run (store, qs_db_run (qs_store_db (store), "UPDATE members SET last_active_at = ?1 WHERE id = ?2",
                                "is", last_active_at, member_id), error);
}

gboolean
qs_store_member_touch (QsStore        *store,
                       QsStoreMember  *member,
                       gint64          now,
                       GError        **error)
{
  /* The stored value is read with the membership on every request, so
   * comparing with it keeps the writes to one per interval without a map
   * in memory; a write lost to a rolled-back transaction is made again by
   * the next request. */
  if (member->last_active_at > 0 && now - member->last_active_at < QS_STORE_MEMBER_ACTIVE_INTERVAL)
    return FALSE;
  if (!qs_store_member_set_last_active (store, member->id, now, error))
    return FALSE;
  member->last_active_at = now;
  return TRUE;
}

gboolean
qs_store_member_touch_user (QsStore     *store,
                            const char  *org_id,
                            const char  *user_id,
                            gint64       now,
                            GError     **error)
{
  g_autoptr(QsStoreMember) member = qs_store_member_for_user (store, org_id, user_id, error);

  return member != NULL && qs_store_member_touch (store, member, now, error);
}

gboolean
qs_store_member_remove (QsStore     *store,
                        const char  *member_id,
                        GError     **error)
{
  return run (store, qs_db_run (qs_store_db (store), "DELETE FROM members WHERE id = ?1", "s", member_id),
              error);
}

gboolean
qs_store_member_transfer_ownership (QsStore     *store,
                                    const char  *owner_id,
                                    const char  *new_owner_id,
                                    GError     **error)
{
  return qs_store_member_set_role (store, owner_id, QUORUM_ROLE_ADMIN, error) &&
         qs_store_member_set_role (store, new_owner_id, QUORUM_ROLE_OWNER, error);
}

gboolean
qs_store_members_rename_user (QsStore     *store,
                              const char  *user_id,
                              const char  *name,
                              const char  *email,
                              GError     **error)
{
  g_autofree char *sort_name = qs_sort_name (name);
  g_autofree char *search = qs_search_text (name, email);

  return run (store, qs_db_run (qs_store_db (store),
                                "UPDATE members SET sort_name = ?1, search = ?2 WHERE user_id = ?3",
                                "sss", sort_name, search, user_id), error);
}
