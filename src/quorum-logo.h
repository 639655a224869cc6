/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Largest logo image the app downloads (the server's upload limit). */
#define QUORUM_LOGO_MAX_BYTES (2 * 1024 * 1024)
/* Widest and tallest logo the app decodes: avatars are at most 128 px. */
#define QUORUM_LOGO_MAX_SIDE  2048

#define QUORUM_LOGO_ERROR (quorum_logo_error_quark ())

typedef enum
{
  QUORUM_LOGO_ERROR_ORIGIN,      /* not on the API server's origin: never fetched */
  QUORUM_LOGO_ERROR_HTTP,        /* no 200 answer (a redirect included: never followed) */
  QUORUM_LOGO_ERROR_TOO_LARGE,   /* more than QUORUM_LOGO_MAX_BYTES */
  QUORUM_LOGO_ERROR_FORMAT,      /* neither PNG nor JPEG */
  QUORUM_LOGO_ERROR_DIMENSIONS,  /* a side over QUORUM_LOGO_MAX_SIDE, refused before decoding */
  QUORUM_LOGO_ERROR_DECODE,      /* PNG or JPEG that does not decode */
} QuorumLogoError;

GQuark      quorum_logo_error_quark      (void);

gboolean    quorum_logo_url_same_origin  (const char           *logo_url,
                                          const char           *server_url);
GdkTexture *quorum_logo_decode           (GBytes               *bytes,
                                          GError              **error);
void        quorum_logo_load_async       (const char           *logo_url,
                                          const char           *server_url,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
GdkTexture *quorum_logo_load_finish      (GAsyncResult         *result,
                                          GError              **error);

void        quorum_avatar_set_logo       (AdwAvatar            *avatar,
                                          const char           *logo_url,
                                          const char           *server_url);

G_END_DECLS
