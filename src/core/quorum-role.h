/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * The one place for roles: their names on the wire (the enum's nicks), their
 * labels, and the table of their permissions. The server enforces it, the
 * app uses it to decide what it offers. Change it here and both follow.
 */

typedef enum
{
  QUORUM_ROLE_NONE = 0,  /* not a member: an outsider */
  QUORUM_ROLE_MEMBER,
  QUORUM_ROLE_ADMIN,
  QUORUM_ROLE_OWNER,
} QuorumRole;

#define QUORUM_TYPE_ROLE (quorum_role_get_type ())
GType quorum_role_get_type (void);

typedef enum
{
  QUORUM_PERMISSION_VIEW_ORGANIZATION,   /* see the organization, list members */
  QUORUM_PERMISSION_EDIT_ORGANIZATION,   /* edit name, slug, logo */
  QUORUM_PERMISSION_DELETE_ORGANIZATION,
  QUORUM_PERMISSION_MANAGE_INVITATIONS,  /* see, send, resend, revoke */
  QUORUM_PERMISSION_CHANGE_ROLE,         /* never to or from owner */
  QUORUM_PERMISSION_MANAGE_MEMBERS,      /* suspend, reactivate, remove; never the owner */
  QUORUM_PERMISSION_TRANSFER_OWNERSHIP,
  QUORUM_PERMISSION_LEAVE,
  QUORUM_PERMISSION_MANAGE_BILLING,
  QUORUM_PERMISSION_MANAGE_DEVELOPERS,   /* API keys and webhooks */
  QUORUM_PERMISSION_VIEW_AUDIT_LOG,
  QUORUM_N_PERMISSIONS
} QuorumPermission;

gboolean    quorum_role_can              (QuorumRole        role,
                                          QuorumPermission  permission);
const char *quorum_role_to_string        (QuorumRole        role);
const char *quorum_role_get_label        (QuorumRole        role);
QuorumRole  quorum_role_from_string      (const char       *str);
gboolean    quorum_role_is_assignable    (QuorumRole        role);
const char *quorum_permission_to_string  (QuorumPermission  permission);

G_END_DECLS
