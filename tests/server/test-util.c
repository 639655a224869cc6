/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-server-forwarded.h"
#include "quorum-server-json.h"
#include "quorum-server-model.h"
#include "quorum-server-util.h"

/* qs_format_time () computes the date by arithmetic: it must agree with
 * GDateTime everywhere GDateTime works (years 1–9999, always four digits,
 * as RFC 3339 wants), and give the epoch elsewhere. */
static void
check_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
  g_autofree char *expected = NULL;
  g_autofree char *got = qs_format_time (t);

  if (dt != NULL)
    expected = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", g_date_time_get_year (dt),
                                g_date_time_get_month (dt), g_date_time_get_day_of_month (dt),
                                g_date_time_get_hour (dt), g_date_time_get_minute (dt),
                                g_date_time_get_second (dt));
  else
    expected = g_strdup ("1970-01-01T00:00:00Z");

  g_assert_cmpstr (got, ==, expected);
}

static void
test_format_time (void)
{
  static const gint64 fixed[] = {
    0, 1, -1, 59, 60, 86399, 86400, -86400, -86401,
    951782400,                        /* 2000-02-29 */
    951868800,                        /* 2000-03-01 */
    4107542400,                       /* 2100-03-01 */
    1709164800,                       /* 2024-02-29 */
    G_GINT64_CONSTANT (-62135596800), /* 0001-01-01 */
    G_GINT64_CONSTANT (-62135596801),
    G_GINT64_CONSTANT (253402300799), /* 9999-12-31T23:59:59 */
    G_GINT64_CONSTANT (253402300800),
    G_MININT64, G_MAXINT64,
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (16);

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    check_time (fixed[i]);
  for (guint i = 0; i < 200000; i++)
    check_time ((gint64) (g_rand_double (rand) * 316000000000.0) - G_GINT64_CONSTANT (62200000000));
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Every string survives the writer: escapes, control characters, UTF-8. */
static void
test_json_writer_strings (void)
{
  g_autoptr(GString) controls = g_string_new (NULL);
  const char *strings[] = { "", "plain", "quote \" and back\\slash", "tab\tnew\nline\rcr",
                            "Zoë 日本 🎉", "</script>", NULL, NULL };
  g_autoptr(QsJsonWriter) writer = qs_json_writer_new (0);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  for (int c = 1; c < 0x20; c++)
    g_string_append_c (controls, (char) c);
  strings[G_N_ELEMENTS (strings) - 2] = controls->str;

  qs_json_begin_object (writer);
  qs_json_key (writer, "strings");
  qs_json_begin_array (writer);
  for (guint i = 0; strings[i] != NULL; i++)
    qs_json_string (writer, strings[i]);
  qs_json_end_array (writer);
  qs_json_key (writer, "nested");
  qs_json_begin_array (writer);
  qs_json_begin_object (writer);
  qs_json_end_object (writer);
  qs_json_begin_array (writer);
  qs_json_end_array (writer);
  qs_json_null (writer);
  qs_json_boolean (writer, TRUE);
  qs_json_int (writer, G_MININT64);
  qs_json_time (writer, 0, TRUE);
  qs_json_time (writer, 0, FALSE);
  qs_json_end_array (writer);
  qs_json_key (writer, "k\"ey");
  qs_json_string (writer, NULL);
  qs_json_end_object (writer);
  text = qs_json_writer_finish (g_steal_pointer (&writer), NULL);

  /* json-glib's parser takes raw control characters; JSON does not. */
  for (const char *p = text; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, >=, 0x20);
  root = parse (text);
  array = json_object_get_array_member (json_node_get_object (root), "strings");
  g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (strings) - 1);
  for (guint i = 0; strings[i] != NULL; i++)
    g_assert_cmpstr (json_array_get_string_element (array, i), ==, strings[i]);
  array = json_object_get_array_member (json_node_get_object (root), "nested");
  g_assert_cmpuint (json_array_get_length (array), ==, 7);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0)));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_array_get_element (array, 1)));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (array, 2)));
  g_assert_true (json_array_get_boolean_element (array, 3));
  g_assert_cmpint (json_array_get_int_element (array, 4), ==, G_MININT64);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (array, 5)));
  g_assert_cmpstr (json_array_get_string_element (array, 6), ==, "1970-01-01T00:00:00Z");
  g_assert_true (json_object_get_null_member (json_node_get_object (root), "k\"ey"));
}

/* A members page is written without a tree: the same JSON as the tree
 * every other answer uses. */
static QsStoreMember *
member_new (const char          *name,
            QuorumRole           role,
            QsStoreMemberStatus  status,
            gint64               joined_at,
            gint64               last_active_at)
{
  QsStoreMember *member = g_new0 (QsStoreMember, 1);

  member->id = g_strdup ("mem_test");
  member->org_id = g_strdup ("org_test");
  member->user_id = g_strdup ("usr_test");
  member->name = g_strdup (name);
  member->email = g_strdup ("someone@example.com");
  member->role = role;
  member->status = status;
  member->joined_at = joined_at;
  member->last_active_at = last_active_at;
  return member;
}

static void
test_member_writer_matches_tree (void)
{
  QsStoreMember *members[] = {
    member_new ("Ada \"Countess\" Lovelace", QUORUM_ROLE_OWNER, QS_STORE_MEMBER_ACTIVE, 1700000000, 1764979200),
    member_new ("Zoë\tTab", QUORUM_ROLE_MEMBER, QS_STORE_MEMBER_SUSPENDED, 1, 0),
    member_new ("", QUORUM_ROLE_ADMIN, QS_STORE_MEMBER_ACTIVE, 0, 5),
  };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autoptr(JsonObject) object = qs_member_to_json (members[i]);
      g_autoptr(JsonNode) tree = json_node_init_object (json_node_alloc (), object);
      QsJsonWriter *writer = qs_json_writer_new (0);
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) written = NULL;

      qs_member_write_json (writer, members[i]);
      text = qs_json_writer_finish (writer, NULL);
      written = parse (text);
      g_assert_true (json_node_equal (tree, written));
      g_assert_cmpuint (json_object_get_size (json_node_get_object (written)), ==,
                        json_object_get_size (object));
      qs_store_member_free (members[i]);
    }
}

static GPtrArray *
proxies_of (const char *spec)
{
  GPtrArray *proxies = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_assert_true (qs_trusted_proxies_add (proxies, spec, &error));
  g_assert_no_error (error);
  return proxies;
}

static void
assert_client (GPtrArray  *proxies,
               const char *peer,
               const char *forwarded_for,
               const char *expected)
{
  g_autofree char *client = qs_forwarded_client (proxies, peer, forwarded_for);

  g_assert_cmpstr (client, ==, expected);
}

/* Only a named proxy's X-Forwarded-For is read, from the right, and what a
 * client wrote into the header itself is never taken for its address. */
static void
test_forwarded_client (void)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) local = proxies_of ("127.0.0.1");
  g_autoptr(GPtrArray) chain = proxies_of ("127.0.0.1, 10.0.0.0/8,::1");
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) long_header = g_string_new ("198.51.100.1");

  /* No proxy named, or the peer is not one: the peer, header or not. */
  assert_client (none, "127.0.0.1", "198.51.100.7", "127.0.0.1");
  assert_client (NULL, "127.0.0.1", "198.51.100.7", "127.0.0.1");
  assert_client (local, "192.0.2.4", "198.51.100.7", "192.0.2.4");
  /* A trusted peer without the header is the client. */
  assert_client (local, "127.0.0.1", NULL, "127.0.0.1");

  /* The proxy's own entry, however the client began the header. */
  assert_client (local, "127.0.0.1", "198.51.100.7", "198.51.100.7");
  assert_client (local, "127.0.0.1", " 203.0.113.9 ,198.51.100.7 ", "198.51.100.7");
  assert_client (local, "127.0.0.1", "garbage, 198.51.100.7", "198.51.100.7");
  /* Through two trusted hops, IPv6 in canonical form, brackets or not. */
  assert_client (chain, "127.0.0.1", "203.0.113.9, 198.51.100.7, 10.1.2.3", "198.51.100.7");
  assert_client (chain, "::1", "2001:DB8::0:1", "2001:db8::1");
  assert_client (chain, "::1", "[2001:db8::2]", "2001:db8::2");
  /* Nothing believable to the left of a trusted hop: that hop. */
  assert_client (local, "127.0.0.1", "not an address", "127.0.0.1");
  assert_client (chain, "127.0.0.1", "evil, 10.1.2.3", "10.1.2.3");
  assert_client (local, "127.0.0.1", "", "127.0.0.1");
  assert_client (chain, "127.0.0.1", "10.9.9.9, 10.1.2.3", "10.9.9.9");

  /* At most QS_FORWARDED_HOPS_MAX entries are read. */
  for (guint i = 0; i < 100; i++)
    g_string_append (long_header, ", 10.0.0.1");
  assert_client (chain, "127.0.0.1", long_header->str, "10.0.0.1");

  /* What the option refuses. */
  g_assert_false (qs_trusted_proxies_add (bad, "127.0.0.1,nonsense", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "\"nonsense\""));
  g_clear_error (&error);
  g_assert_false (qs_trusted_proxies_add (bad, "10.0.0.0/33", &error));
  g_clear_error (&error);
  g_assert_false (qs_trusted_proxies_add (bad, "", &error));
  g_clear_error (&error);
  g_ptr_array_set_size (bad, 0);
  for (guint i = 0; i < QS_TRUSTED_PROXIES_MAX; i++)
    g_assert_true (qs_trusted_proxies_add (bad, "192.0.2.1", NULL));
  g_assert_false (qs_trusted_proxies_add (bad, "192.0.2.2", &error));
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/util/format-time", test_format_time);
  g_test_add_func ("/server/util/forwarded-client", test_forwarded_client);
  g_test_add_func ("/server/util/json-writer-strings", test_json_writer_strings);
  g_test_add_func ("/server/util/member-writer-matches-tree", test_member_writer_matches_tree);
  return g_test_run ();
}
