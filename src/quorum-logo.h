/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Largest logo image the app downloads (the server's upload limit). */
#define QUORUM_LOGO_MAX_BYTES (2 * 1024 * 1024)

void quorum_avatar_set_logo (AdwAvatar  *avatar,
                             const char *logo_url);

G_END_DECLS
