/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "quorum-api-types.h"
#include "quorum-role.h"

G_BEGIN_DECLS

#define QUORUM_MEMBER_LIST_DEFAULT_PAGE_SIZE 100
#define QUORUM_MEMBER_LIST_DEFAULT_MAX_LOADED 2000

#define QUORUM_TYPE_MEMBER_LIST (quorum_member_list_get_type ())
G_DECLARE_FINAL_TYPE (QuorumMemberList, quorum_member_list, QUORUM, MEMBER_LIST, GObject)

QuorumMemberList *quorum_member_list_new               (QuorumClient     *client,
                                                        const char       *organization_id);
const char       *quorum_member_list_get_organization_id (QuorumMemberList *self);
guint             quorum_member_list_get_page_size     (QuorumMemberList *self);
void              quorum_member_list_set_page_size     (QuorumMemberList *self,
                                                        guint             page_size);
guint             quorum_member_list_get_max_loaded    (QuorumMemberList *self);
void              quorum_member_list_set_max_loaded    (QuorumMemberList *self,
                                                        guint             max_loaded);
const char       *quorum_member_list_get_query         (QuorumMemberList *self);
void              quorum_member_list_set_query         (QuorumMemberList *self,
                                                        const char       *query);
QuorumRole        quorum_member_list_get_role_filter   (QuorumMemberList *self);
void              quorum_member_list_set_role_filter   (QuorumMemberList *self,
                                                        QuorumRole        role);
const char       *quorum_member_list_get_status_filter (QuorumMemberList *self);
void              quorum_member_list_set_status_filter (QuorumMemberList *self,
                                                        const char       *status);
guint             quorum_member_list_get_inactive_days (QuorumMemberList *self);
void              quorum_member_list_set_inactive_days (QuorumMemberList *self,
                                                        guint             days);
const char       *quorum_member_list_get_sort          (QuorumMemberList *self);
void              quorum_member_list_set_sort          (QuorumMemberList *self,
                                                        const char       *sort);
guint             quorum_member_list_get_total         (QuorumMemberList *self);
gboolean          quorum_member_list_get_loading       (QuorumMemberList *self);
gboolean          quorum_member_list_get_complete      (QuorumMemberList *self);
const GError     *quorum_member_list_get_error         (QuorumMemberList *self);
void              quorum_member_list_reload            (QuorumMemberList *self);
void              quorum_member_list_load_more         (QuorumMemberList *self);
gboolean          quorum_member_list_replace           (QuorumMemberList *self,
                                                        QuorumMember     *member);
gboolean          quorum_member_list_remove            (QuorumMemberList *self,
                                                        const char       *member_id);

G_END_DECLS
