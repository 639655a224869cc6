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
             guint                admin_every,
             GPtrArray           *ids)
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
      /* For access reviews: one in ten never signed in, about one in seven
       * (admins too) not for 90 days or more (when it joined that long ago);
       * the random draws stay the same, so the rest of the demo data does. */
      if (i % 10 == 9)
        active = 0;
      else if (i % 7 == 3)
        active = MAX (joined, active - 90 * 86400);
      else
        active = MAX (joined, active);
      member_id = qs_store_member_add (seeder->store, org_id, user_id, role, status, joined,
                                       active, NULL);
      if (member_id == NULL)
        return FALSE;
      if (ids != NULL)
        g_ptr_array_add (ids, g_steal_pointer (&member_id));
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

#define DEMO_USAGE_DAYS 90

/* Acme Robotics on Business with 90 days of usage (ending today), a monthly
 * plan charge and top-up, usage past the included credits charged at each
 * month's end, and a low-balance alert: the Billing tab has a chart, a
 * ledger and invoices on first run. Each member has a level of activity
 * (a few heavy users, many light ones, some idle); weekends are quiet. */
static gboolean
seed_billing (Seeder     *seeder,
              const char *org_id,
              GPtrArray  *members)
{
  QsStore *store = seeder->store;
  gint64 today = seeder->now / 86400;
  gint64 first = today - (DEMO_USAGE_DAYS - 1);
  g_autofree double *levels = g_new (double, MAX (members->len, 1));
  g_autoptr(QsStorePlan) plan = NULL;

  if (!qs_store_billing_set_plan (store, org_id, "pln_business", NULL) ||
      !qs_store_billing_set_alert (store, org_id, TRUE, 5000, NULL) ||
      !(plan = qs_store_plan_get (store, "pln_business", NULL)))
    return FALSE;
  for (guint i = 0; i < members->len; i++)
    {
      double r = g_rand_double (seeder->rand);

      levels[i] = r < 0.1 ? 0.0 : r < 0.8 ? g_rand_double_range (seeder->rand, 0.2, 1.0)
                                          : g_rand_double_range (seeder->rand, 2.0, 6.0);
    }
  for (gint64 day = first; day <= today; day++)
    {
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (day * 86400);
      int weekday = g_date_time_get_day_of_week (t);
      double week = weekday >= 6 ? 0.15 : 1.0;
      /* A slow rise over the 90 days, as the organization adopts Quorum. */
      double trend = 0.7 + 0.3 * (double) (day - first) / DEMO_USAGE_DAYS;

      for (guint i = 0; i < members->len; i++)
        {
          double mean = 24.0 * levels[i] * week * trend;
          gint64 requests, credits;

          if (mean <= 0.0 || g_rand_double (seeder->rand) < (weekday >= 6 ? 0.7 : 0.15))
            continue;
          requests = (gint64) (mean * g_rand_double_range (seeder->rand, 0.5, 1.5)) + 1;
          credits = requests * g_rand_int_range (seeder->rand, 1, 5);
          if (!qs_store_usage_add_raw (store, org_id, g_ptr_array_index (members, i), day, credits, requests, NULL))
            return FALSE;
        }
    }
  if (!qs_store_usage_rebuild_days (store, org_id, NULL))
    return FALSE;
  {
    guint rolled;

    if (!qs_store_usage_roll_windows (store, today, &rolled, NULL))
      return FALSE;
  }

  /* The ledger, month by month, in time order. */
  for (gint64 day = first; day <= today;)
    {
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (day * 86400);
      g_autoptr(GDateTime) month = g_date_time_new_utc (g_date_time_get_year (t), g_date_time_get_month (t), 1, 0, 0, 0);
      g_autoptr(GDateTime) next = g_date_time_add_months (month, 1);
      g_autofree char *label = g_date_time_format (month, "%Y-%m");
      g_autofree char *plan_line = g_strdup_printf ("%s plan, %s", plan->name, label);
      g_autofree char *usage_line = g_strdup_printf ("Usage beyond the included credits, %s", label);
      gint64 start = MIN (day * 86400 + 9 * 3600, seeder->now - 120);
      gint64 month_last = g_date_time_to_unix (next) / 86400 - 1;
      gint64 last = MIN (month_last, today);
      gint64 credits = qs_store_usage_credits (store, org_id, g_date_time_to_unix (month) / 86400, month_last, NULL);
      gint64 over = credits > plan->included_credits ? credits - plan->included_credits : 0;
      gint64 charge = (over * plan->overage_cents_per_1000 + 999) / 1000;

      if (credits < 0 ||
          !qs_store_ledger_append (store, org_id, QS_STORE_LEDGER_TOP_UP, 20000,
                                   "Top-up (test payment, card ending 4242)", NULL, start, NULL, NULL) ||
          !qs_store_ledger_append (store, org_id, QS_STORE_LEDGER_PLAN, -plan->price_cents, plan_line, NULL,
                                   start + 60, NULL, NULL) ||
          (charge > 0 &&
           !qs_store_ledger_append (store, org_id, QS_STORE_LEDGER_USAGE, -charge, usage_line, NULL,
                                    MIN (last * 86400 + 20 * 3600, seeder->now), NULL, NULL)))
        return FALSE;
      day = last + 1;
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
  g_autoptr(GPtrArray) acme_members = g_ptr_array_new_with_free_func (g_free);
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
                    QS_STORE_MEMBER_ACTIVE, 20, acme_members) ||
      !add_members (&seeder, acme->id, "acme-robotics.test", 10, QS_STORE_MEMBER_SUSPENDED, 0, NULL) ||
      !add_invitations (&seeder, acme->id, ada, 5) ||
      !add_members (&seeder, globex->id, "globex.test", 24, QS_STORE_MEMBER_ACTIVE, 6, NULL) ||
      !add_members (&seeder, initech->id, "initech.test", 12, QS_STORE_MEMBER_ACTIVE, 4, NULL) ||
      !qs_store_billing_set_plan (store, globex->id, "pln_business", NULL) ||
      !qs_store_billing_set_plan (store, initech->id, "pln_team", NULL) ||
      !seed_billing (&seeder, acme->id, acme_members) ||
      !qs_store_txn_commit (txn, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "seeding the demo data failed");
      return FALSE;
    }

  g_printerr ("demo: seeded %u members of Acme Robotics in %.1f s\n",
              server->config.demo_members, (g_get_monotonic_time () - started) / 1e6);
  return TRUE;
}
