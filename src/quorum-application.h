/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define QUORUM_TYPE_APPLICATION (quorum_application_get_type ())
G_DECLARE_FINAL_TYPE (QuorumApplication, quorum_application, QUORUM, APPLICATION, AdwApplication)

typedef struct _QuorumSession QuorumSession;

QuorumApplication *quorum_application_new                (void);
QuorumSession     *quorum_application_get_session        (QuorumApplication *self);
const char        *quorum_application_get_default_server (QuorumApplication *self);
void              quorum_application_set_default_server  (QuorumApplication *self,
                                                          const char        *url);

G_END_DECLS
