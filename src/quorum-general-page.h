/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

typedef enum
{
  QUORUM_GENERAL_PAGE_STATE_EDITING,
  QUORUM_GENERAL_PAGE_STATE_SAVING,
  QUORUM_GENERAL_PAGE_STATE_CONFLICT,  /* someone else changed it; Reload offered */
} QuorumGeneralPageState;

#define QUORUM_TYPE_GENERAL_PAGE_STATE (quorum_general_page_state_get_type ())
GType quorum_general_page_state_get_type (void) G_GNUC_CONST;

#define QUORUM_TYPE_GENERAL_PAGE (quorum_general_page_get_type ())
G_DECLARE_FINAL_TYPE (QuorumGeneralPage, quorum_general_page, QUORUM, GENERAL_PAGE, AdwBin)

QuorumClient       *quorum_general_page_get_client       (QuorumGeneralPage  *self);
void                quorum_general_page_set_client       (QuorumGeneralPage  *self,
                                                          QuorumClient       *client);
QuorumOrganization *quorum_general_page_get_organization (QuorumGeneralPage  *self);
void                quorum_general_page_set_organization (QuorumGeneralPage  *self,
                                                          QuorumOrganization *organization);
char               *quorum_general_page_dup_public_url   (QuorumGeneralPage  *self,
                                                          const char         *slug);
gboolean            quorum_general_page_has_unsaved_changes (QuorumGeneralPage *self);
void                quorum_general_page_upload_logo      (QuorumGeneralPage  *self,
                                                          GFile              *file);

G_END_DECLS
