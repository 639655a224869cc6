/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-role.h"

/* Rows: permissions. Columns: member, admin, owner (api-v1.md, "Roles and permissions"). */
static const struct
{
  const char *name;
  gboolean    member;
  gboolean    admin;
  gboolean    owner;
} permission_table[QUORUM_N_PERMISSIONS] = {
  [QUORUM_PERMISSION_VIEW_ORGANIZATION]   = { "view-organization",   TRUE,  TRUE,  TRUE  },
  [QUORUM_PERMISSION_EDIT_ORGANIZATION]   = { "edit-organization",   FALSE, TRUE,  TRUE  },
  [QUORUM_PERMISSION_DELETE_ORGANIZATION] = { "delete-organization", FALSE, FALSE, TRUE  },
  [QUORUM_PERMISSION_MANAGE_INVITATIONS]  = { "manage-invitations",  FALSE, TRUE,  TRUE  },
  [QUORUM_PERMISSION_CHANGE_ROLE]         = { "change-role",         FALSE, TRUE,  TRUE  },
  [QUORUM_PERMISSION_MANAGE_MEMBERS]      = { "manage-members",      FALSE, TRUE,  TRUE  },
  [QUORUM_PERMISSION_TRANSFER_OWNERSHIP]  = { "transfer-ownership",  FALSE, FALSE, TRUE  },
  [QUORUM_PERMISSION_LEAVE]               = { "leave",               TRUE,  TRUE,  FALSE },
  [QUORUM_PERMISSION_MANAGE_BILLING]      = { "manage-billing",      FALSE, TRUE,  TRUE  },
  [QUORUM_PERMISSION_MANAGE_DEVELOPERS]   = { "manage-developers",   FALSE, TRUE,  TRUE  },
  [QUORUM_PERMISSION_VIEW_AUDIT_LOG]      = { "view-audit-log",      FALSE, TRUE,  TRUE  },
};

gboolean
quorum_role_can (QuorumRole       role,
                 QuorumPermission permission)
{
  if ((guint) permission >= QUORUM_N_PERMISSIONS)
    return FALSE;

  switch (role)
    {
    case QUORUM_ROLE_OWNER:
      return permission_table[permission].owner;
    case QUORUM_ROLE_ADMIN:
      return permission_table[permission].admin;
    case QUORUM_ROLE_MEMBER:
      return permission_table[permission].member;
    case QUORUM_ROLE_NONE:
    default:
      return FALSE;
    }
}

const char *
quorum_role_to_string (QuorumRole role)
{
  switch (role)
    {
    case QUORUM_ROLE_OWNER:
      return "owner";
    case QUORUM_ROLE_ADMIN:
      return "admin";
    case QUORUM_ROLE_MEMBER:
      return "member";
    case QUORUM_ROLE_NONE:
    default:
      return NULL;
    }
}

QuorumRole
quorum_role_from_string (const char *str)
{
  if (str == NULL)
    return QUORUM_ROLE_NONE;
  if (strcmp (str, "owner") == 0)
    return QUORUM_ROLE_OWNER;
  if (strcmp (str, "admin") == 0)
    return QUORUM_ROLE_ADMIN;
  if (strcmp (str, "member") == 0)
    return QUORUM_ROLE_MEMBER;
  return QUORUM_ROLE_NONE;
}

/* Roles that can be given through a role change or an invitation: never owner,
 * which only moves through a transfer of ownership. */
gboolean
quorum_role_is_assignable (QuorumRole role)
{
  return role == QUORUM_ROLE_ADMIN || role == QUORUM_ROLE_MEMBER;
}

const char *
quorum_permission_to_string (QuorumPermission permission)
{
  if ((guint) permission >= QUORUM_N_PERMISSIONS)
    return NULL;
  return permission_table[permission].name;
}
