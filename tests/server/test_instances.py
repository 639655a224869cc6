# SPDX-License-Identifier: GPL-3.0-or-later
"""Two server instances on one PostgreSQL database (of the test process's
throw-away cluster, whatever QUORUM_TEST_STORE says): what one commits, the
other's member index, usage answers and read cache show on its very next
request (the change log the hook triggers write, read once per request:
docs/server.md, "PostgreSQL: state"). Instance B connects as another
PostgreSQL role, so that A's statements can be counted apart
(pg_stat_statements) and A's connections ended alone."""

import datetime
import unittest
import urllib.parse

from servertest import DEFAULT_PASSWORD, QuorumServer, create_api_key, main
import quorum_postgres  # after servertest, which puts tests/common on the path

ROLE_B = 'quorum_instance_b'
# The statements a request runs to know who asks and to show a members
# page when the read cache does not hold them (quorum-store-identity.c,
# -api-keys.c, -organizations.c), and the one catch-up per request
# (quorum-store-pg.c, OTHERS_SQL).
LOOKUPS = ('%FROM sessions s%', '%FROM api_keys k%', '%FROM members m JOIN users u%')
CATCH_UP = 'SELECT pg_current_snapshot ()::text,%'


@unittest.skipIf(quorum_postgres.available(), quorum_postgres.available())
class CrossInstanceTests(unittest.TestCase):
    def setUp(self):
        self.cluster = quorum_postgres.cluster()
        self.database = self.cluster.create_database()
        self.addCleanup(self.cluster.drop_database, self.database)
        self.cluster.psql(f"DO $$ BEGIN CREATE ROLE {ROLE_B} LOGIN SUPERUSER;"
                          f" EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        self.a = self.instance(quorum_postgres.SUPERUSER)
        self.b = self.instance(ROLE_B)
        owner = self.a.signup()
        self.owner = owner['token']
        self.org = owner['organization']['id']
        self.org_path = f'/v1/organizations/{self.org}'

    def instance(self, user):
        server = QuorumServer('--database', self.cluster.url(self.database, user=user))
        self.addCleanup(server.close)
        return server

    def search(self, server, text):
        r = server.get(f'{self.org_path}/members?query={urllib.parse.quote(text)}', self.owner)
        self.assertEqual(r.status, 200, r)
        return [m['name'] for m in r.json['items']], r.json['total']

    def total(self, server):
        r = server.get(f'{self.org_path}/members?limit=200', self.owner)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len({m['id'] for m in r.json['items']}), len(r.json['items']), r.json['items'])
        return r.json['total']

    def a_calls(self, pattern):
        return self.cluster.statement_calls(self.database, quorum_postgres.SUPERUSER, pattern)

    def assertCacheKept(self, path, token, requests=3):
        """token's requests to A read nothing to know who asks (nor a
        members page's rows): one catch-up statement each, no look-up."""
        if not self.cluster.has_statement_stats():
            self.skipTest('pg_stat_statements not installed: cannot count statements')
        for _ in range(2):
            r = self.a.get(path, token)
            self.assertEqual(r.status, 200, r)
        lookups = [self.a_calls(p) for p in LOOKUPS]
        catch_ups = self.a_calls(CATCH_UP)
        for _ in range(requests):
            r = self.a.get(path, token)
            self.assertEqual(r.status, 200, r)
        self.assertEqual([self.a_calls(p) for p in LOOKUPS], lookups, 'A read again what its cache holds')
        self.assertEqual(self.a_calls(CATCH_UP) - catch_ups, requests, 'one catch-up a request')

    # (a) the member index
    def test_member_added_renamed_removed_through_b_is_searched_on_a(self):
        self.assertEqual(self.search(self.a, 'Zebulon'), ([], 0))  # A's index of the org is loaded
        self.assertEqual(self.total(self.a), 1)
        token, member = self.b.add_member(self.org, self.owner, name='Zebulon Quill')
        self.assertEqual(self.search(self.a, 'Zebulon'), (['Zebulon Quill'], 1))
        self.assertEqual(self.total(self.a), 2)
        r = self.b.patch('/v1/me', {'name': 'Yolanda Quill'}, token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.search(self.a, 'Zebulon'), ([], 0))
        self.assertEqual(self.search(self.a, 'Yolanda'), (['Yolanda Quill'], 1))
        r = self.b.delete(f"{self.org_path}/members/{member['id']}", token=self.owner)
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.search(self.a, 'Yolanda'), ([], 0))
        self.assertEqual(self.total(self.a), 1)

    # (b) the usage cube and sums
    def test_usage_recorded_beside_shows_on_a(self):
        _, member = self.b.add_member(self.org, self.owner)
        day = datetime.date.today() - datetime.timedelta(days=3)
        span = {'from': (day - datetime.timedelta(days=10)).isoformat(), 'to': day.isoformat()}

        def usage(server, **query):
            r = server.get(f'{self.org_path}/usage?{urllib.parse.urlencode(dict(span, **query))}', self.owner)
            self.assertEqual(r.status, 200, r)
            return {i['key']: (i['credits'], i['requests']) for i in r.json['items'] if i['credits']}

        for _ in range(2):  # the first waits for the cube's load; the second is served from it
            self.assertEqual(usage(self.a, group_by='member'), {})
        self.a.record_usage(f"{member['id']},{day.isoformat()},700,7")
        self.assertEqual(usage(self.a, group_by='member'), {member['id']: (700, 7)})
        self.assertEqual(usage(self.a), {day.isoformat(): (700, 7)})
        # And through B's API: a second record.
        self.b.record_usage(f"{member['id']},{day.isoformat()},300,3")
        self.assertEqual(usage(self.a, group_by='member'), {member['id']: (1000, 10)})

    # (c) the read cache, kept across requests, and the security rule
    def test_sign_out_through_b_refused_on_a(self):
        self.assertCacheKept(self.org_path, self.owner)
        r = self.b.delete('/v1/sessions/current', token=self.owner)
        self.assertEqual(r.status, 204, r)
        r = self.a.get(self.org_path, self.owner)
        self.assertEqual(r.status, 401, r)

    def test_suspension_and_role_change_through_b_on_as_next_request(self):
        token, member = self.a.add_member(self.org, self.owner, role='admin')
        self.assertCacheKept(f'{self.org_path}/invitations', token)
        r = self.b.patch(f"{self.org_path}/members/{member['id']}", {'role': 'member'}, self.owner)
        self.assertEqual(r.status, 200, r)
        r = self.a.get(f'{self.org_path}/invitations', token)
        self.assertEqual((r.status, r.code), (403, 'forbidden'), r)
        self.assertCacheKept(self.org_path, token)
        r = self.b.patch(f"{self.org_path}/members/{member['id']}", {'status': 'suspended'}, self.owner)
        self.assertEqual(r.status, 200, r)
        r = self.a.get(f'{self.org_path}/members', token)
        self.assertEqual((r.status, r.code), (403, 'member_suspended'), r)

    def test_api_key_revoked_through_b_refused_on_a(self):
        key = create_api_key(self.a, self.org, self.owner, ['org:read'])
        self.assertCacheKept(self.org_path, key['secret'])
        r = self.b.delete(f"{self.org_path}/api-keys/{key['id']}", token=self.owner)
        self.assertEqual(r.status, 204, r)
        r = self.a.get(self.org_path, key['secret'])
        self.assertEqual(r.status, 401, r)

    def test_members_page_rows_kept_and_renamed_through_b(self):
        token, member = self.a.add_member(self.org, self.owner, name='Row Before')
        self.assertCacheKept(f'{self.org_path}/members', self.owner)
        r = self.b.patch('/v1/me', {'name': 'Row After'}, token)
        self.assertEqual(r.status, 200, r)
        r = self.a.get(f'{self.org_path}/members', self.owner)
        self.assertEqual({m['id']: m['name'] for m in r.json['items']}[member['id']], 'Row After')

    # (d) A's connection ended and made again
    def test_writes_seen_after_as_connection_is_made_again(self):
        """A's own last write, committed after its last catch-up, must not
        come back as another connection's once A's connection (its pid)
        is new; B's writes meanwhile must show."""
        for _ in range(2):  # the org's copy loaded, then settled
            self.assertEqual(self.search(self.a, 'Quill'), ([], 0))
        email = 'ada.quill@example.com'
        self.b.invite(self.org, self.owner, email)
        r = self.a.post(f'/v1/invitations/{self.b.invitation_token(email)}/setup',
                        {'name': 'Ada Quill', 'password': DEFAULT_PASSWORD})
        self.assertEqual(r.status, 201, r)  # A's last request: its own insert
        killed = self.cluster.psql(f"SELECT count(*) FROM (SELECT pg_terminate_backend (pid) FROM pg_stat_activity"
                                   f" WHERE datname = '{self.database}' AND usename = '{quorum_postgres.SUPERUSER}'"
                                   f" AND pid <> pg_backend_pid ()) AS t")
        self.assertGreaterEqual(int(killed[0][0]), 1, 'A had a connection to end')
        token, _ = self.b.add_member(self.org, self.owner, name='Bea Quill')
        self.assertEqual(self.search(self.a, 'Quill'), (['Ada Quill', 'Bea Quill'], 2))
        r = self.b.patch('/v1/me', {'name': 'Bea Renamed'}, token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.search(self.a, 'Quill'), (['Ada Quill'], 1))
        self.assertEqual(self.total(self.a), 3)
        self.assertIn('connection to PostgreSQL', self.a.log())

if __name__ == '__main__':
    main()
