/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Input rules shared by the server (which enforces them) and the app (which
 * checks as the user types, so errors show before anything is sent).
 */

#define QUORUM_NAME_MAX_CHARS          80
#define QUORUM_SLUG_MIN_CHARS          3
#define QUORUM_SLUG_MAX_CHARS          48
#define QUORUM_PASSWORD_MIN_CHARS      10
#define QUORUM_PASSWORD_MAX_BYTES      1024
#define QUORUM_EMAIL_MAX_BYTES         254
#define QUORUM_URL_MAX_BYTES           2048

typedef enum
{
  QUORUM_SLUG_OK = 0,
  QUORUM_SLUG_TOO_SHORT,
  QUORUM_SLUG_TOO_LONG,
  QUORUM_SLUG_INVALID_CHARACTER,
  QUORUM_SLUG_BAD_HYPHEN,  /* leading, trailing or double hyphen */
} QuorumSlugResult;

QuorumSlugResult quorum_slug_check            (const char *slug);
gboolean         quorum_slug_is_valid         (const char *slug);
const char      *quorum_slug_problem          (const char *slug);
char            *quorum_slug_from_name        (const char *name);
char            *quorum_slug_with_suffix      (const char *base,
                                               guint       n);

typedef enum
{
  QUORUM_NAME_OK = 0,
  QUORUM_NAME_INVALID_UTF8,
  QUORUM_NAME_BLANK,
  QUORUM_NAME_TOO_LONG,
  QUORUM_NAME_INVALID_CHARACTERS,  /* see quorum_text_is_safe () */
} QuorumNameResult;

gboolean         quorum_unichar_is_unsafe     (gunichar    c);
gboolean         quorum_text_is_safe          (const char *text);

char            *quorum_name_normalize        (const char *name);
QuorumNameResult quorum_name_check            (const char *name);
const char      *quorum_name_problem          (QuorumNameResult result);
gboolean         quorum_name_is_valid         (const char *name);

char            *quorum_email_normalize       (const char *email);
gboolean         quorum_email_is_valid        (const char *email);

gboolean         quorum_password_is_valid     (const char *password);
guint            quorum_password_strength     (const char *password);

gboolean         quorum_logo_url_is_valid     (const char *url);

G_END_DECLS
