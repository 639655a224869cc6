/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store: invitations, pending counts, invitations by address.
 * Included by quorum-store.h; include that instead.
 *
 * now is the caller's clock (Unix seconds): a pending invitation whose
 * expires_at is not after it reads as EXPIRED. */

#include <glib.h>

#include "quorum-role.h"
#include "quorum-store-organizations.h"

G_BEGIN_DECLS

typedef struct _QsStore QsStore;

typedef enum
{
  QS_STORE_INVITATION_PENDING,
  QS_STORE_INVITATION_ACCEPTED,
  QS_STORE_INVITATION_DECLINED,
  QS_STORE_INVITATION_REVOKED,
  QS_STORE_INVITATION_EXPIRED,
} QsStoreInvitationStatus;

typedef struct
{
  char                    *id;
  char                    *org_id;
  char                    *email;
  QuorumRole               role;
  QsStoreInvitationStatus  status;
  char                    *invited_by;     /* user id */
  char                    *inviter_name;
  gint64                   created_at;
  gint64                   expires_at;
  gint64                   last_sent_at;
  gint64                   send_count;
  char                    *org_name;
  char                    *org_slug;
  char                    *org_logo_url;   /* NULL when none */
} QsStoreInvitation;

/* Newest first: created_at, then id, both descending. */
typedef struct
{
  gint64      created_at;
  const char *id;
} QsStoreInvitationCursor;

typedef struct
{
  GPtrArray *invitations;  /* QsStoreInvitation */
  gint64     total;        /* matching the filter, whole list */
  gboolean   more;         /* a page follows the last invitation */
} QsStoreInvitationPage;

void                   qs_store_invitation_free       (QsStoreInvitation  *inv);
void                   qs_store_invitation_page_free  (QsStoreInvitationPage *page);

QsStoreInvitation     *qs_store_invitation_create     (QsStore            *store,
                                                       const char         *org_id,
                                                       const char         *email,
                                                       QuorumRole          role,
                                                       const guint8       *token_hash,
                                                       const char         *invited_by,
                                                       gint64              now,
                                                       gint64              expires_at,
                                                       GError            **error);
/* status: a QsStoreInvitationStatus, or -1 for any. */
QsStoreInvitationPage *qs_store_invitation_list       (QsStore            *store,
                                                       const char         *org_id,
                                                       int                 status,
                                                       const QsStoreInvitationCursor *after,
                                                       guint               limit,
                                                       gint64              now,
                                                       GError            **error);
/* An invitation of org_id. */
QsStoreInvitation     *qs_store_invitation_get        (QsStore            *store,
                                                       const char         *org_id,
                                                       const char         *inv_id,
                                                       gint64              now,
                                                       GError            **error);
QsStoreInvitation     *qs_store_invitation_by_token_hash (QsStore         *store,
                                                       const guint8       *token_hash,
                                                       gint64              now,
                                                       GError            **error);
/* An invitation sent to email, by id: anyone else's is not found. */
QsStoreInvitation     *qs_store_invitation_for_address (QsStore           *store,
                                                       const char         *inv_id,
                                                       const char         *email,
                                                       gint64              now,
                                                       GError            **error);
/* The pending invitations sent to email, newest first (200 at most). */
GPtrArray             *qs_store_invitations_pending_for_address (QsStore  *store,
                                                       const char         *email,
                                                       gint64              now,
                                                       GError            **error);
/* Pending invitations of org_id: all, or to email only (NULL: all). */
gint64                 qs_store_invitations_pending_count (QsStore        *store,
                                                       const char         *org_id,
                                                       const char         *email,
                                                       gint64              now,
                                                       GError            **error);

/* A new token and expiry for a pending invitation. */
gboolean               qs_store_invitation_resend     (QsStore            *store,
                                                       const char         *inv_id,
                                                       const guint8       *token_hash,
                                                       gint64              now,
                                                       gint64              expires_at,
                                                       GError            **error);
/* Answer a pending invitation, once: CONFLICT when it is no longer pending.
 * Accept makes user_id a member with the invitation's role, unless they are
 * one already, and returns that membership. */
QsStoreMember         *qs_store_invitation_accept     (QsStore            *store,
                                                       const char         *inv_id,
                                                       const char         *user_id,
                                                       gint64              now,
                                                       GError            **error);
gboolean               qs_store_invitation_decline    (QsStore            *store,
                                                       const char         *inv_id,
                                                       GError            **error);
gboolean               qs_store_invitation_revoke     (QsStore            *store,
                                                       const char         *inv_id,
                                                       GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreInvitation, qs_store_invitation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreInvitationPage, qs_store_invitation_page_free)

G_END_DECLS
