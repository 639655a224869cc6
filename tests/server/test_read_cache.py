# SPDX-License-Identifier: GPL-3.0-or-later
"""The server keeps sessions, API keys, memberships and the rows of members
pages in memory (store/quorum-store-cache.c). Every change that affects
them must show on the very next request: each test first asks twice (so
the second answer came from the cache), makes the change through the API
(or, for expiry, lets it happen), and expects the next request to be
refused — or to show the new state."""

import datetime

from servertest import DEFAULT_PASSWORD, ServerTestCase, create_api_key, main, wait_until


def rfc3339(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    return t.strftime('%Y-%m-%dT%H:%M:%SZ')


class AuthCacheTestCase(ServerTestCase):
    def setUp(self):
        s = self.server
        owner = s.signup()
        self.owner = owner['token']
        self.slug = owner['organization']['slug']
        self.org = owner['organization']['id']
        self.org_path = f'/v1/organizations/{self.org}'

    def warm(self, path, token, status=200):
        for _ in range(2):
            r = self.server.get(path, token)
            self.assertEqual(r.status, status, r)
        return r

    def member_path(self, member):
        return f"{self.org_path}/members/{member['id']}"


class MembershipTests(AuthCacheTestCase):
    def test_suspension(self):
        token, member = self.server.add_member(self.org, self.owner)
        self.warm(f'{self.org_path}/members', token)
        r = self.server.patch(self.member_path(member), {'status': 'suspended'}, self.owner)
        self.assertEqual(r.status, 200, r)
        self.assertProblem(self.server.get(f'{self.org_path}/members', token), 403, 'member_suspended')
        # And back.
        r = self.server.patch(self.member_path(member), {'status': 'active'}, self.owner)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.server.get(f'{self.org_path}/members', token).status, 200)

    def test_removal(self):
        token, member = self.server.add_member(self.org, self.owner)
        self.warm(self.org_path, token)
        r = self.server.delete(self.member_path(member), token=self.owner)
        self.assertEqual(r.status, 204, r)
        self.assertProblem(self.server.get(self.org_path, token), 404, 'organization_not_found')

    def test_role_change(self):
        token, member = self.server.add_member(self.org, self.owner, role='admin')
        self.warm(f'{self.org_path}/invitations', token)
        self.assertEqual(self.warm(self.org_path, token).json['role'], 'admin')
        r = self.server.patch(self.member_path(member), {'role': 'member'}, self.owner)
        self.assertEqual(r.status, 200, r)
        self.assertProblem(self.server.get(f'{self.org_path}/invitations', token), 403, 'forbidden')
        self.assertEqual(self.server.get(self.org_path, token).json['role'], 'member')

    def test_leave(self):
        token, _ = self.server.add_member(self.org, self.owner)
        self.warm(self.org_path, token)
        r = self.server.post(f'{self.org_path}/leave', None, token)
        self.assertEqual(r.status, 204, r)
        self.assertProblem(self.server.get(self.org_path, token), 404, 'organization_not_found')

    def test_transfer_of_ownership(self):
        token, member = self.server.add_member(self.org, self.owner, role='admin')
        self.assertEqual(self.warm(self.org_path, self.owner).json['role'], 'owner')
        self.assertEqual(self.warm(self.org_path, token).json['role'], 'admin')
        r = self.server.post(f'{self.org_path}/transfer-ownership', {'member_id': member['id']}, self.owner)
        self.assertIn(r.status, (200, 204), r)
        self.assertEqual(self.server.get(self.org_path, self.owner).json['role'], 'admin')
        self.assertEqual(self.server.get(self.org_path, token).json['role'], 'owner')

    def test_organization_deletion(self):
        token, _ = self.server.add_member(self.org, self.owner)
        self.warm(self.org_path, token)
        self.warm(self.org_path, self.owner)
        r = self.server.delete(self.org_path, {'confirm_slug': self.slug}, self.owner)
        self.assertEqual(r.status, 204, r)
        self.assertProblem(self.server.get(self.org_path, token), 404, 'organization_not_found')
        self.assertProblem(self.server.get(self.org_path, self.owner), 404, 'organization_not_found')


class SessionTests(AuthCacheTestCase):
    def sign_in(self, email, password=DEFAULT_PASSWORD):
        r = self.server.post('/v1/sessions', {'email': email, 'password': password})
        self.assertEqual(r.status, 201, r)
        return r.json['token']

    def test_sign_out(self):
        self.warm(self.org_path, self.owner)
        r = self.server.delete('/v1/sessions/current', token=self.owner)
        self.assertEqual(r.status, 204, r)
        self.assertProblem(self.server.get(self.org_path, self.owner), 401, 'unauthenticated')

    def test_password_change_ends_other_sessions(self):
        user = self.server.signup()
        first = user['token']
        second = self.sign_in(user['user']['email'])
        self.warm('/v1/me', second)
        self.warm('/v1/me', first)
        r = self.server.post('/v1/me/password', {'current_password': DEFAULT_PASSWORD,
                                                 'new_password': 'a new password 16'}, first)
        self.assertEqual(r.status, 204, r)
        self.assertProblem(self.server.get('/v1/me', second), 401, 'unauthenticated')
        self.assertEqual(self.server.get('/v1/me', first).status, 200)

    def test_expiry_written_by_another_connection(self):
        # Time passing cannot be waited for (sessions last days): another
        # connection ends it, as an operator's tool would.
        self.warm(self.org_path, self.owner)
        self.server.execute('UPDATE sessions SET expires_at = 1')
        self.assertProblem(self.server.get(self.org_path, self.owner), 401, 'unauthenticated')

    def test_rename_shows_in_the_next_audit_record(self):
        # The session's user (cached) names the actor of audit records.
        self.warm(self.org_path, self.owner)
        r = self.server.patch('/v1/me', {'name': 'After Rename'}, self.owner)
        self.assertEqual(r.status, 200, r)
        r = self.server.patch(self.org_path, {'name': 'Renamed Org'}, self.owner)
        self.assertEqual(r.status, 200, r)
        events = self.server.get(f'{self.org_path}/audit-events?action=organization.updated', self.owner)
        self.assertEqual(events.status, 200, events)
        self.assertEqual(events.json['items'][0]['actor']['name'], 'After Rename', events.json['items'][0])


class ApiKeyTests(AuthCacheTestCase):
    def test_revocation(self):
        key = create_api_key(self.server, self.org, self.owner, ['org:read'])
        self.warm(self.org_path, key['secret'])
        r = self.server.delete(f"{self.org_path}/api-keys/{key['id']}", token=self.owner)
        self.assertEqual(r.status, 204, r)
        self.assertProblem(self.server.get(self.org_path, key['secret']), 401, 'unauthenticated')

    def test_rotation_without_grace(self):
        key = create_api_key(self.server, self.org, self.owner, ['org:read'])
        self.warm(self.org_path, key['secret'])
        r = self.server.post(f"{self.org_path}/api-keys/{key['id']}/rotate", {'old_expires_in_seconds': 0},
                             self.owner)
        self.assertEqual(r.status, 201, r)
        self.assertProblem(self.server.get(self.org_path, key['secret']), 401, 'unauthenticated')
        self.assertEqual(self.server.get(self.org_path, r.json['secret']).status, 200)

    def test_expiry_by_time(self):
        # Nothing is written when a key's time runs out: the cached entry
        # must check it on every use.
        key = create_api_key(self.server, self.org, self.owner, ['org:read'], expires_at=rfc3339(3))
        self.warm(self.org_path, key['secret'])
        wait_until(lambda: self.server.get(self.org_path, key['secret']).status == 401, 30,
                   'the key to stop at its expires_at')



class MemberRowTests(AuthCacheTestCase):
    def listed(self, member_id):
        r = self.server.get(f'{self.org_path}/members?limit=200', self.owner)
        self.assertEqual(r.status, 200, r)
        return {m['id']: m for m in r.json['items']}.get(member_id)

    def warm_row(self, member_id):
        for _ in range(2):
            row = self.listed(member_id)
        self.assertIsNotNone(row)
        return row

    def test_rename_and_new_email(self):
        token, member = self.server.add_member(self.org, self.owner, name='Row Before')
        self.warm_row(member['id'])
        r = self.server.patch('/v1/me', {'name': 'Row After'}, token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.listed(member['id'])['name'], 'Row After')

    def test_role_and_status(self):
        _, member = self.server.add_member(self.org, self.owner)
        self.warm_row(member['id'])
        r = self.server.patch(self.member_path(member), {'role': 'admin'}, self.owner)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.listed(member['id'])['role'], 'admin')
        r = self.server.patch(self.member_path(member), {'status': 'suspended'}, self.owner)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.listed(member['id'])['status'], 'suspended')

    def test_last_activity(self):
        token, member = self.server.add_member(self.org, self.owner)
        # Joining counted as no activity yet on some paths: set it to null
        # through another connection, which the cache must notice too.
        self.server.execute('UPDATE members SET last_active_at = NULL WHERE id = ?', (member['id'],))
        self.assertIsNone(self.warm_row(member['id'])['last_active_at'])
        self.assertEqual(self.server.get(self.org_path, token).status, 200)
        self.assertIsNotNone(self.listed(member['id'])['last_active_at'])

    def test_rename_by_another_connection(self):
        _, member = self.server.add_member(self.org, self.owner, name='Tool Before')
        self.warm_row(member['id'])
        self.server.execute('UPDATE users SET name = ? WHERE id = ?', ('Tool After', member['user_id']))
        self.assertEqual(self.listed(member['id'])['name'], 'Tool After')



class FullCacheTests(ServerTestCase):
    """The rows table holds 10,000 rows and empties itself when full: a
    page whose rows are partly cached when that happens must still be
    whole (the server once freed the cached half under its own feet).
    The 10,100 members are seeded straight into the database (--demo's
    seed of that many takes minutes on PostgreSQL: docs/server.md)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        owner = cls.server.signup(name='Full Owner', organization_name='Full Cache')
        cls.token, cls.org = owner['token'], owner['organization']['id']
        cls.server.seed_members(cls.org, 10100, name='Cached Member {n:05d}', email='cached{n:05d}@seed.example')

    def test_page_when_the_cache_fills(self):
        s, token = self.server, self.token
        path = f"/v1/organizations/{self.org}/members"
        self.assertEqual(s.get(f'{path}?limit=1', token).json['total'], 10101)
        # 9,950 rows in the cache, in pages of 50.
        cursors, pages = [None], []
        for _ in range(199):
            r = s.get(path + (f'?cursor={cursors[-1]}' if cursors[-1] else ''), token)
            self.assertEqual(r.status, 200, r)
            pages.append([m['id'] for m in r.json['items']])
            cursors.append(r.json['next_cursor'])
        # From row 9,900: 50 cached rows, then 100 that fill it (at 10,000).
        r = s.get(f'{path}?limit=150&cursor={cursors[198]}', token)
        self.assertEqual(r.status, 200, r)
        ids = [m['id'] for m in r.json['items']]
        self.assertEqual(len(ids), 150)
        self.assertEqual(ids[:50], pages[198])
        self.assertEqual(len(set(ids)), 150)
        self.assertTrue(all(m['name'] and m['email'] for m in r.json['items']))


if __name__ == '__main__':
    main()
