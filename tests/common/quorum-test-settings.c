/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorum-test-settings.h"

static char *settings_tmp;
static char *settings_dir;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

static void
remove_settings_dir (void)
{
  if (settings_tmp == NULL)
    return;
  g_settings_sync ();  /* nothing written after the removal */
  remove_tree (settings_tmp);
}

const char *
quorum_test_settings_init (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (settings_dir);
  settings_tmp = g_dir_make_tmp ("quorum-settings-XXXXXX", &error);
  g_assert_no_error (error);
  settings_dir = g_build_filename (settings_tmp, "config", NULL);
  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  g_setenv ("XDG_CONFIG_HOME", settings_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  atexit (remove_settings_dir);
  return settings_dir;
}

const char *
quorum_test_settings_dir (void)
{
  g_assert_nonnull (settings_dir);
  return settings_dir;
}

gboolean
quorum_test_token_in_tree (const char  *dir,
                           const char  *token,
                           char       **where)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return FALSE;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (quorum_test_token_in_tree (path, token, where))
            return TRUE;
        }
      else if (g_file_get_contents (path, &contents, &len, NULL) &&
               g_strstr_len (contents, len, token) != NULL)
        {
          *where = g_steal_pointer (&path);
          return TRUE;
        }
    }
  return FALSE;
}

void
quorum_test_assert_token_nowhere (const char *token)
{
  g_autofree char *keyfile = g_build_filename (quorum_test_settings_dir (), "glib-2.0", "settings", "keyfile", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *where = NULL;
  g_autofree char *home_base = g_path_get_basename (g_get_home_dir ());
  gsize len;

  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >, 20);
  /* The keyfile backend, not memory: otherwise there is nothing to read. */
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (g_settings_backend_get_default ()), ==, "GKeyfileSettingsBackend");
  g_settings_sync ();
  g_assert_true (g_file_get_contents (keyfile, &contents, &len, NULL));
  g_assert_nonnull (strstr (contents, "\naccounts="));
  if (g_strstr_len (contents, len, token) != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

      /* The keys, not their values: the token stays out of the log. */
      for (guint i = 0; lines[i] != NULL; i++)
        if (strstr (lines[i], token) != NULL)
          g_test_message ("token in key %.*s", (int) strcspn (lines[i], "="), lines[i]);
      g_error ("the session token is in the settings keyfile %s", keyfile);
    }
  if (quorum_test_token_in_tree (quorum_test_settings_dir (), token, &where))
    g_error ("the session token was written to %s", where);
  if (g_str_has_prefix (home_base, "quorum-home."))
    {
      if (quorum_test_token_in_tree (g_get_home_dir (), token, &where))
        g_error ("the session token was written to %s", where);
    }
  else
    g_test_message ("HOME is not a throw-away test home: not scanned");
}
