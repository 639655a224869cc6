/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

#define DEMO_EMAIL    "ada@demo.quorum.test"
#define DEMO_PASSWORD "quorum-demo"

static const char * const first_names[] = {
  "Amara", "Bastian", "Chloé", "Dmitri", "Elena", "Farid", "Greta", "Hiroshi", "Ingrid", "Jonas",
  "Kemal", "Lucía", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Samir", "Tove",
  "Ulla", "Viktor", "Wen", "Xavier", "Yara", "Zoltan", "Aiko", "Bruno", "Camille", "Dario",
  "Emeka", "Fatima", "Gustavo", "Hana", "Ivan", "Julia", "Kofi", "Leila", "Marta", "Nils",
  "Olga", "Pablo", "Rania", "Sven", "Tariq", "Uma", "Valentina", "Wojciech", "Yusuf", "Zainab",
};

static const char * const last_names[] = {
  "Andersson", "Bianchi", "Chen", "Dubois", "Eriksen", "Fernández", "García", "Hoffmann", "Ito",
  "Jansen", "Kowalski", "López", "Müller", "Nakamura", "O'Brien", "Petrov", "Quinn", "Rossi",
  "Santos", "Tanaka", "Ulrich", "Virtanen", "Wagner", "Xu", "Yilmaz", "Zimmermann", "Abiola",
  "Becker", "Costa", "Dang", "Esposito", "Fischer", "Gomez", "Haddad", "Ibrahim", "Jovanović",
  "Kim", "Larsen", "Moreau", "Novak", "Okafor", "Park", "Quispe", "Ramos", "Schmidt", "Takahashi",
  "Usman", "Vargas", "Weber", "Zhang",
};

typedef struct
{
  QsStore *store;
  GRand   *rand;
  guint    counter;
  gint64   now;
} Seeder;

static char *
email_part (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

static char *
add_user (Seeder     *seeder,
          const char *name,
          const char *email,
          const char *password_hash)
{
  return qs_store_user_create (seeder->store, name, email, password_hash, TRUE,
                               seeder->now - g_rand_int_range (seeder->rand, 86400, 400 * 86400), NULL);
}

/* A person with a realistic, unique name and address. */
static char *
add_person (Seeder     *seeder,
            const char *domain,
            char      **out_email)
{
  guint n = seeder->counter++;
  guint combos = G_N_ELEMENTS (first_names) * G_N_ELEMENTS (last_names);
  const char *first = first_names[n % G_N_ELEMENTS (first_names)];
  const char *last = last_names[(n / G_N_ELEMENTS (first_names)) % G_N_ELEMENTS (last_names)];
  g_autofree char *name = g_strdup_printf ("%s %s", first, last);
  g_autofree char *first_part = email_part (first);
  g_autofree char *last_part = email_part (last);
  g_autofree char *email = NULL;

  if (n < combos)
    email = g_strdup_printf ("%s.%s@%s", first_part, last_part, domain);
  else
    email = g_strdup_printf ("%s.%s%u@%s", first_part, last_part, n / combos + 1, domain);
  if (out_email != NULL)
    *out_email = g_strdup (email);
  return add_user (seeder, name, email, NULL);
}

static gboolean
add_members (Seeder              *seeder,
             const char          *org_id,
             const char          *domain,
             guint                count,
             QsStoreMemberStatus  status,
             guint                admin_every)
{
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *user_id = add_person (seeder, domain, NULL);
      g_autofree char *member_id = NULL;
      gint64 joined = seeder->now - g_rand_int_range (seeder->rand, 3600, 365 * 86400);
      gint64 active = seeder->now - g_rand_int_range (seeder->rand, 60, 30 * 86400);
      QuorumRole role = admin_every > 0 && i % admin_every == 0 ? QUORUM_ROLE_ADMIN : QUORUM_ROLE_MEMBER;

      if (user_id == NULL)
        return FALSE;
      member_id = qs_store_member_add (seeder->store, org_id, user_id, role, status, joined,
                                       MAX (joined, active), NULL);
      if (member_id == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_invitations (Seeder     *seeder,
                 const char *org_id,
                 const char *inviter_id,
                 guint       count)
{
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *token = qs_new_invitation_token ();
      g_autoptr(QsStoreInvitation) inv = NULL;
      g_autofree char *email = NULL;
      guint8 hash[QS_TOKEN_HASH_LEN];
      gint64 sent = seeder->now - g_rand_int_range (seeder->rand, 600, 5 * 86400);
      guint n = seeder->counter++;
      g_autofree char *first = email_part (first_names[(n * 7) % G_N_ELEMENTS (first_names)]);
      g_autofree char *last = email_part (last_names[(n * 3) % G_N_ELEMENTS (last_names)]);

      /* The token is thrown away: these demo invitations can be resent. */
      qs_hash_token (token, hash);
      email = g_strdup_printf ("%s.%s.%u@newcomers.demo.quorum.test", first, last, i + 1);
      inv = qs_store_invitation_create (seeder->store, org_id, email, i == 0 ? QUORUM_ROLE_ADMIN : QUORUM_ROLE_MEMBER,
                                        hash, inviter_id, sent, sent + QS_INVITATION_SECONDS, NULL);
      if (inv == NULL)
        return FALSE;
    }
  return TRUE;
}

gboolean
qs_demo_seed (QsServer  *server,
              GError   **error)
{
  QsStore *store = server->store;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  g_autofree char *hash = NULL;
  g_autofree char *ada = NULL;
  g_autofree char *grace = NULL;
  g_autofree char *alan = NULL;
  g_autoptr(QsStoreOrganization) acme = NULL;
  g_autoptr(QsStoreOrganization) globex = NULL;
  g_autoptr(QsStoreOrganization) initech = NULL;
  g_autofree char *m1 = NULL;
  g_autofree char *m2 = NULL;
  g_autoptr(QsStoreUser) demo_user = qs_store_user_by_email (store, DEMO_EMAIL, NULL);
  g_autoptr(QsStoreTxn) txn = NULL;
  Seeder seeder = { store, rand, 0, qs_now () };
  gint64 now = seeder.now;
  gint64 started = g_get_monotonic_time ();

  if (demo_user != NULL)
    return TRUE;

  hash = qs_password_hash (server, DEMO_PASSWORD);
  if (hash == NULL ||
      (txn = qs_store_begin (store, NULL)) == NULL ||
      (ada = add_user (&seeder, "Ada Lovelace", DEMO_EMAIL, hash)) == NULL ||
      (grace = add_user (&seeder, "Grace Hopper", "grace@demo.quorum.test", NULL)) == NULL ||
      (alan = add_user (&seeder, "Alan Turing", "alan@demo.quorum.test", NULL)) == NULL ||
      (acme = qs_store_organization_create (store, "Acme Robotics", "acme-robotics", NULL, ada, NULL)) == NULL ||
      (globex = qs_store_organization_create (store, "Globex", "globex", NULL, grace, NULL)) == NULL ||
      (initech = qs_store_organization_create (store, "Initech", "initech", NULL, alan, NULL)) == NULL ||
      (m1 = qs_store_member_add (store, globex->id, ada, QUORUM_ROLE_ADMIN, QS_STORE_MEMBER_ACTIVE,
                                 now - 90 * 86400, now, NULL)) == NULL ||
      (m2 = qs_store_member_add (store, initech->id, ada, QUORUM_ROLE_MEMBER, QS_STORE_MEMBER_ACTIVE,
                                 now - 30 * 86400, now, NULL)) == NULL ||
      !add_members (&seeder, acme->id, "acme-robotics.test", server->config.demo_members,
                    QS_STORE_MEMBER_ACTIVE, 20) ||
      !add_members (&seeder, acme->id, "acme-robotics.test", 10, QS_STORE_MEMBER_SUSPENDED, 0) ||
      !add_invitations (&seeder, acme->id, ada, 5) ||
      !add_members (&seeder, globex->id, "globex.test", 24, QS_STORE_MEMBER_ACTIVE, 6) ||
      !add_members (&seeder, initech->id, "initech.test", 12, QS_STORE_MEMBER_ACTIVE, 4) ||
      !qs_store_txn_commit (txn, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "seeding the demo data failed");
      return FALSE;
    }

  g_printerr ("demo: seeded %u members of Acme Robotics in %.1f s\n",
              server->config.demo_members, (g_get_monotonic_time () - started) / 1e6);
  return TRUE;
}
