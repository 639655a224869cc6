/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "quorum-role.h"

G_DEFINE_ENUM_TYPE (QuorumRole, quorum_role,
  G_DEFINE_ENUM_VALUE (QUORUM_ROLE_NONE, "none"),
  G_DEFINE_ENUM_VALUE (QUORUM_ROLE_MEMBER, "member"),
  G_DEFINE_ENUM_VALUE (QUORUM_ROLE_ADMIN, "admin"),
  G_DEFINE_ENUM_VALUE (QUORUM_ROLE_OWNER, "owner"))

static const char * const role_labels[] = {
  [QUORUM_ROLE_NONE]   = NULL,
  [QUORUM_ROLE_MEMBER] = NC_("role", "Member"),
  [QUORUM_ROLE_ADMIN]  = NC_("role", "Admin"),
  [QUORUM_ROLE_OWNER]  = NC_("role", "Owner"),
};

static GEnumClass *
role_class (void)
{
  static GEnumClass *klass;

  if (g_once_init_enter (&klass))
    g_once_init_leave (&klass, g_type_class_ref (QUORUM_TYPE_ROLE));
  return klass;
}

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

/**
 * quorum_role_to_string:
 *
 * Returns: the role's name in the API ("owner", "admin", "member"), its
 *   nick; %NULL for %QUORUM_ROLE_NONE or a value that is no role
 */
const char *
quorum_role_to_string (QuorumRole role)
{
  GEnumValue *value;

  if (role == QUORUM_ROLE_NONE || !(value = g_enum_get_value (role_class (), role)))
    return NULL;
  return value->value_nick;
}

/* Anything but a role's exact name is %QUORUM_ROLE_NONE. */
QuorumRole
quorum_role_from_string (const char *str)
{
  GEnumValue *value = str != NULL ? g_enum_get_value_by_nick (role_class (), str) : NULL;

  return value != NULL ? (QuorumRole) value->value : QUORUM_ROLE_NONE;
}

/**
 * quorum_role_get_label:
 *
 * Returns: the role as the app shows it ("Owner", "Admin", "Member"),
 *   translated; "" for %QUORUM_ROLE_NONE or a value that is no role
 */
const char *
quorum_role_get_label (QuorumRole role)
{
  if ((guint) role >= G_N_ELEMENTS (role_labels) || role_labels[role] == NULL)
    return "";
  return g_dpgettext2 (GETTEXT_PACKAGE, "role", role_labels[role]);
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
