/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-member-roster.h"
#include "quorum-members-page.h"
#include "quorum-request-status.h"
#include "quorum-utils-private.h"

G_BEGIN_DECLS

/* "Inactive for 90 days": the filter's one choice, as links name it too. */
#define QUORUM_MEMBERS_INACTIVE_DAYS 90
/* Suspend… and Remove… change at most this many members at once. */
#define QUORUM_MEMBERS_BULK_MAX 500

typedef struct _QuorumMembersBulk QuorumMembersBulk;

struct _QuorumMembersPage
{
  AdwBin                  parent_instance;

  QuorumClient           *client;
  QuorumOrganization     *organization;
  QuorumRole              role;
  QuorumMembersPageState  state;
  GCancellable           *cancellable;     /* everything for the current organization */
  GCancellable           *me_cancellable;  /* who the caller is, per client */
  char                   *caller_user_id;

  QuorumMemberList       *members;
  QuorumMemberList       *pending;         /* a search on its way; members stays shown meanwhile */
  QuorumRequestState     *load_state;      /* the first page of members or pending */
  gboolean                search_failed;   /* Retry searches again */
  gboolean                resetting;       /* the state is dropped, not cancelled by the user */
  QuorumMemberRoster     *roster;
  GListStore             *invitations;     /* every pending one */
  GtkFilterListModel     *shown_invitations;  /* those the search and filters match */
  GtkCustomFilter        *invitation_filter;
  GtkStringFilter        *invitation_search;
  GtkMultiSelection      *selection;       /* several members for Suspend… and Remove… */
  gboolean                invitations_failed;
  guint                   search_timeout_id;
  GtkWindow              *invite_dialog;   /* weak */
  GtkWindow              *confirm_dialog;  /* weak */
  QuorumWeakCall         *inline_retry;
  QuorumMembersBulk      *bulk;            /* a bulk change on its way */
  GtkWindow              *bulk_dialog;     /* weak: its confirmation or summary */

  GtkRevealer            *bulk_revealer;
  GtkLabel               *bulk_label;
  GtkProgressBar         *bulk_progress;
  GtkRevealer            *selection_revealer;
  GtkLabel               *selection_label;
  QuorumRequestState     *export_state;    /* Export…: the CSV on its way */
  GFile                  *export_file;     /* where it goes; Retry writes there again */
  GtkWidget              *export_button;
  GtkRevealer            *export_revealer;
  GtkLabel               *export_label;
  GtkProgressBar         *export_progress;
  QuorumRequestStatus    *export_status;

  GtkRevealer            *inline_error_revealer;
  GtkLabel               *inline_error_label;
  GtkWidget              *inline_retry_button;
  GtkSearchEntry         *search_entry;
  GtkWidget              *invite_button;
  GtkDropDown            *role_dropdown;
  GtkDropDown            *status_dropdown;
  GtkToggleButton        *inactive_toggle;
  GtkLabel               *count_label;
  GtkStack               *stack;
  GtkRevealer            *status_revealer;
  QuorumRequestStatus    *bar_status;
  GtkSpinner             *spinner;
  QuorumRequestStatus    *error_status;
  GtkScrolledWindow      *scrolled_window;
  GtkListView            *list_view;
  AdwStatusPage          *empty_page;
  AdwStatusPage          *error_page;
};

void _quorum_members_page_class_actions_init (GtkWidgetClass    *widget_class);
void _quorum_members_page_class_bulk_init    (GtkWidgetClass    *widget_class);
void _quorum_members_page_update_selection   (QuorumMembersPage *self);
void _quorum_members_page_cancel_bulk        (QuorumMembersPage *self);
void _quorum_members_page_class_export_init  (GtkWidgetClass    *widget_class);
void _quorum_members_page_export_init        (QuorumMembersPage *self);
void _quorum_members_page_export_dispose     (QuorumMembersPage *self);
void _quorum_members_page_reset_export       (QuorumMembersPage *self);
void _quorum_members_page_update_export      (QuorumMembersPage *self);
void _quorum_members_page_show_error         (QuorumMembersPage *self,
                                              const char        *message,
                                              QuorumWeakCall    *retry);
void _quorum_members_page_show_notice        (QuorumMembersPage *self,
                                              const char        *message);
void _quorum_members_page_update_state       (QuorumMembersPage *self);

G_END_DECLS
