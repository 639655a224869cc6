/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_DEVELOPERS_PAGE (quorum_developers_page_get_type ())
G_DECLARE_FINAL_TYPE (QuorumDevelopersPage, quorum_developers_page, QUORUM, DEVELOPERS_PAGE, AdwBin)

QuorumClient       *quorum_developers_page_get_client       (QuorumDevelopersPage *self);
void                quorum_developers_page_set_client       (QuorumDevelopersPage *self,
                                                             QuorumClient         *client);
QuorumOrganization *quorum_developers_page_get_organization (QuorumDevelopersPage *self);
void                quorum_developers_page_set_organization (QuorumDevelopersPage *self,
                                                             QuorumOrganization   *organization);
QuorumRole          quorum_developers_page_get_role         (QuorumDevelopersPage *self);
GListModel         *quorum_developers_page_get_api_keys     (QuorumDevelopersPage *self);
GListModel         *quorum_developers_page_get_webhooks     (QuorumDevelopersPage *self);
gboolean            quorum_developers_page_get_loaded       (QuorumDevelopersPage *self);
QuorumAuditLog     *quorum_developers_page_get_audit_log    (QuorumDevelopersPage *self);
void                quorum_developers_page_set_audit_action (QuorumDevelopersPage *self,
                                                             const char           *action);
gboolean            quorum_developers_page_set_audit_actor  (QuorumDevelopersPage *self,
                                                             const char           *actor_id);
void                quorum_developers_page_set_audit_days   (QuorumDevelopersPage *self,
                                                             guint                 days);
void                quorum_developers_page_set_me           (QuorumDevelopersPage *self,
                                                             const char           *user_id);

G_END_DECLS
