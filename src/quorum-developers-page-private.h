/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-developers-page.h"
#include "quorum-request-state.h"
#include "quorum-request-status.h"

G_BEGIN_DECLS

/* Shared by quorum-developers-page.c and quorum-developers-page-actions.c. */
struct _QuorumDevelopersPage
{
  AdwBin              parent_instance;

  QuorumClient       *client;
  QuorumOrganization *organization;
  GCancellable       *cancellable;     /* every request for the organization shown */
  QuorumRequestState *load_state;      /* keys and webhooks together */
  guint               load_pending;    /* of the two */
  guint               load_generation; /* of the load in flight */
  gboolean            load_begun;
  gboolean            loaded;          /* a first answer is shown */
  GListStore         *keys;
  GListStore         *webhooks;
  QuorumAuditLog     *audit_log;
  char               *audit_action;    /* the filter, NULL for all */
  char               *audit_actor;     /* the actor filter, NULL for anyone */
  guint               audit_days;      /* the time filter, 0 for all time */
  char               *me_id;           /* the signed-in user, once known */
  GPtrArray          *actor_ids;       /* the actor filter's ids after "Anyone" */
  GtkStringList      *actor_labels;    /* its words, "Anyone" first */

  GtkStack           *stack;
  QuorumRequestStatus *loading_status;
  AdwStatusPage      *error_status;
  QuorumRequestStatus *error_status_widget;
  GtkWidget          *retry_button;
  GtkRevealer        *status_revealer;
  QuorumRequestStatus *bar_status;
  GtkListBox         *keys_list;
  GtkListBox         *webhooks_list;
  GtkDropDown        *action_filter;
  GtkDropDown        *actor_filter;
  GtkDropDown        *time_filter;
  GtkRevealer        *audit_error_revealer;
  GtkLabel           *audit_error_label;
  GtkStack           *audit_stack;
  GtkListView        *audit_view;
};

gboolean  _quorum_developers_page_can_manage    (QuorumDevelopersPage *self);
void      _quorum_developers_page_load          (QuorumDevelopersPage *self,
                                                 gboolean              automatic);
void      _quorum_developers_page_reload_audit  (QuorumDevelopersPage *self);
QuorumApiKey  *_quorum_developers_page_find_key     (QuorumDevelopersPage *self,
                                                     const char           *id,
                                                     guint                *position);
QuorumWebhook *_quorum_developers_page_find_webhook (QuorumDevelopersPage *self,
                                                     const char           *id,
                                                     guint                *position);
void      _quorum_developers_page_put_key       (QuorumDevelopersPage *self,
                                                 QuorumApiKey         *key);
void      _quorum_developers_page_put_webhook   (QuorumDevelopersPage *self,
                                                 QuorumWebhook        *webhook);
void      _quorum_developers_page_class_init_actions (GtkWidgetClass *widget_class);
void      _quorum_developers_page_update_actions     (QuorumDevelopersPage *self);

G_END_DECLS
