/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store: organizations, logos, members and the member index.
 * Included by quorum-store.h; include that instead.
 *
 * Times are Unix seconds. Look-ups return NULL (or FALSE) without an error
 * when there is no such row; an error means the database failed. */

#include <glib.h>

#include "quorum-role.h"

G_BEGIN_DECLS

typedef struct _QsStore QsStore;

typedef struct
{
  char       *id;
  char       *name;
  char       *slug;
  char       *logo_url;      /* NULL when none */
  gint64      version;       /* bumped by every edit: the ETag */
  gint64      created_at;
  gint64      member_count;
  QuorumRole  role;          /* the user's role, in lists by user; NONE otherwise */
} QsStoreOrganization;

typedef enum
{
  QS_STORE_MEMBER_ACTIVE,
  QS_STORE_MEMBER_SUSPENDED,
} QsStoreMemberStatus;

const char *qs_store_member_status_to_string   (QsStoreMemberStatus  status);
/* "active" or "suspended": TRUE; anything else: FALSE and SUSPENDED. */
gboolean    qs_store_member_status_from_string (const char          *text,
                                                QsStoreMemberStatus *status);

typedef struct
{
  char                *id;
  char                *org_id;
  char                *user_id;
  char                *name;
  char                *email;
  QuorumRole           role;
  QsStoreMemberStatus  status;
  gint64               joined_at;
  gint64               last_active_at;  /* 0 when never */
} QsStoreMember;

/* The orders of the members list: by status (active first), case-folded
 * name, then id; or by last activity (never active first, then the longest
 * inactive), case-folded name, then id. */
typedef enum
{
  QS_STORE_MEMBER_SORT_NAME,
  QS_STORE_MEMBER_SORT_LAST_ACTIVE,
} QsStoreMemberSort;

/* A position in the members list, in the order of its query. */
typedef struct
{
  QsStoreMemberStatus  status;          /* SORT_NAME */
  gint64               last_active_at;  /* SORT_LAST_ACTIVE; 0: never */
  char                *sort_name;
  char                *id;
} QsStoreMemberCursor;

typedef struct
{
  QuorumRole                 role;     /* NONE: any */
  int                        status;   /* a QsStoreMemberStatus, or -1 for any */
  const char                *query;    /* substring of name or e-mail, any case; or NULL */
  gint64                     inactive_before;  /* > 0: last active before this, or never */
  QsStoreMemberSort          sort;
  gboolean                   no_total; /* page->total not counted (0) when filtered: a page
                                        * then costs its rows only */
  gboolean                   no_cache; /* rows read once (an export): leave the read
                                        * cache to the pages people look at */
  const QsStoreMemberCursor *after;    /* NULL: from the start */
  guint                      offset;   /* matches skipped (after the cursor if any) */
  guint                      limit;
} QsStoreMemberQuery;

/* A member counts as active again at most this often: reads stay reads. */
#define QS_STORE_MEMBER_ACTIVE_INTERVAL (5 * 60)

typedef struct
{
  GPtrArray           *members;  /* QsStoreMember, in list order */
  gint64               total;    /* members matching the filters, whole list */
  QsStoreMemberCursor *next;     /* NULL on the last page */
} QsStoreMemberPage;

void                 qs_store_organization_free      (QsStoreOrganization  *org);
void                 qs_store_member_free            (QsStoreMember        *member);
QsStoreMember       *qs_store_member_copy            (const QsStoreMember  *member);
void                 qs_store_member_cursor_free     (QsStoreMemberCursor  *cursor);
void                 qs_store_member_page_free       (QsStoreMemberPage    *page);

/* slug NULL: derived from the name, made unique with a suffix. The owner
 * becomes an active member. CONFLICT when slug is taken. */
QsStoreOrganization *qs_store_organization_create    (QsStore              *store,
                                                      const char           *name,
                                                      const char           *slug,
                                                      const char           *logo_url,
                                                      const char           *owner_id,
                                                      GError              **error);
/* Inside a write transaction, first: holds the organization (its row)
 * until the transaction ends, so that every check that decides a write to
 * it (seats, the one owner, pending invitations, the balance and ledger,
 * idempotency keys) and the write run as one against other server
 * instances on the same database (the backend's row lock). A missing
 * organization is no error: the reads that follow find it missing. */
gboolean             qs_store_organization_lock      (QsStore              *store,
                                                      const char           *org_id,
                                                      GError              **error);
QsStoreOrganization *qs_store_organization_get       (QsStore              *store,
                                                      const char           *org_id,
                                                      GError              **error);
/* The organizations where user_id is an active member, by name; role set. */
GPtrArray           *qs_store_organizations_for_user (QsStore              *store,
                                                      const char           *user_id,
                                                      GError              **error);
/* Sets what is non-NULL (logo_url when set_logo_url, dropping an uploaded
 * logo) and bumps the version. CONFLICT when slug is another's. */
gboolean             qs_store_organization_update    (QsStore              *store,
                                                      const char           *org_id,
                                                      const char           *name,
                                                      const char           *slug,
                                                      gboolean              set_logo_url,
                                                      const char           *logo_url,
                                                      GError              **error);
/* The organization, its members, invitations and idempotency keys. */
gboolean             qs_store_organization_delete    (QsStore              *store,
                                                      const char           *org_id,
                                                      GError              **error);
gboolean             qs_store_organization_set_logo  (QsStore              *store,
                                                      const char           *org_id,
                                                      const char           *logo_url,
                                                      const char           *content_type,
                                                      GBytes               *data,
                                                      GError              **error);
/* The uploaded logo, or NULL when there is none. */
GBytes              *qs_store_organization_get_logo  (QsStore              *store,
                                                      const char           *org_id,
                                                      char                **content_type,
                                                      GError              **error);

QsStoreMember       *qs_store_member_get             (QsStore              *store,
                                                      const char           *org_id,
                                                      const char           *member_id,
                                                      GError              **error);
/* user_id's membership of org_id, whatever its status. */
QsStoreMember       *qs_store_member_for_user        (QsStore              *store,
                                                      const char           *org_id,
                                                      const char           *user_id,
                                                      GError              **error);
/* TRUE when a member of org_id has this e-mail address. */
gboolean             qs_store_member_has_email       (QsStore              *store,
                                                      const char           *org_id,
                                                      const char           *email,
                                                      GError              **error);
QsStoreMemberPage   *qs_store_member_list            (QsStore              *store,
                                                      const char           *org_id,
                                                      const QsStoreMemberQuery *query,
                                                      GError              **error);
/* Returns the new member's id; CONFLICT when user_id is a member already. */
char                *qs_store_member_add             (QsStore              *store,
                                                      const char           *org_id,
                                                      const char           *user_id,
                                                      QuorumRole            role,
                                                      QsStoreMemberStatus   status,
                                                      gint64                joined_at,
                                                      gint64                last_active_at,
                                                      GError              **error);
gboolean             qs_store_member_set_role        (QsStore              *store,
                                                      const char           *member_id,
                                                      QuorumRole            role,
                                                      GError              **error);
gboolean             qs_store_member_set_status      (QsStore              *store,
                                                      const char           *member_id,
                                                      QsStoreMemberStatus   status,
                                                      GError              **error);
gboolean             qs_store_member_set_last_active (QsStore              *store,
                                                      const char           *member_id,
                                                      gint64                last_active_at,
                                                      GError              **error);
/* The member acted in its organization at now: last_active_at is written
 * when the stored value is QS_STORE_MEMBER_ACTIVE_INTERVAL old or more
 * (or never), and member->last_active_at follows. TRUE when written. */
gboolean             qs_store_member_touch           (QsStore              *store,
                                                      QsStoreMember        *member,
                                                      gint64                now,
                                                      GError              **error);
/* qs_store_member_touch () for user_id's membership of org_id, if any:
 * for an actor that is not the member itself (an API key acting for the
 * member who created it). TRUE when written. */
gboolean             qs_store_member_touch_user      (QsStore              *store,
                                                      const char           *org_id,
                                                      const char           *user_id,
                                                      gint64                now,
                                                      GError              **error);
/* Removal by an admin, or a member leaving. */
gboolean             qs_store_member_remove          (QsStore              *store,
                                                      const char           *member_id,
                                                      GError              **error);
/* The owner becomes an admin and the new owner the only owner. */
gboolean             qs_store_member_transfer_ownership (QsStore           *store,
                                                      const char           *owner_id,
                                                      const char           *new_owner_id,
                                                      GError              **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreOrganization, qs_store_organization_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreMember, qs_store_member_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreMemberCursor, qs_store_member_cursor_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreMemberPage, qs_store_member_page_free)

G_END_DECLS
