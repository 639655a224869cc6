# SPDX-License-Identifier: GPL-3.0-or-later
"""Organization API keys: lifecycle, the secret's shape and storage, scopes
against every route of the table, the binding to one organization,
rotation, revocation, expiry, what keys may never do, last_used_at."""

import datetime
import hashlib
import os
import re

from servertest import (ALL_SCOPES, ServerTestCase, WriteCounter, create_api_key, main,
                        table_routes_full, wait_until)

SECRET = re.compile(r'^qrm_k_[A-Za-z0-9_-]{43}$')


def rfc3339(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    return t.strftime('%Y-%m-%dT%H:%M:%SZ')


def concrete(pattern, org_id):
    return re.sub(r'\{[^}]+\}', 'x', pattern.replace('{org_id}', org_id))


class ApiKeyTestCase(ServerTestCase):
    def setUp(self):
        self.owner = self.server.signup()
        self.token = self.owner['token']
        self.org_id = self.owner['organization']['id']

    def keys_path(self, org_id=None):
        return f'/v1/organizations/{org_id or self.org_id}/api-keys'

    def key(self, scopes=ALL_SCOPES, **kw):
        return create_api_key(self.server, self.org_id, self.token, scopes, **kw)

    def listed(self):
        r = self.server.get(self.keys_path(), self.token)
        self.assertEqual(r.status, 200, r)
        return {k['id']: k for k in r.json['items']}


class LifecycleTests(ApiKeyTestCase):
    def test_create_list_use_revoke(self):
        key = self.key(['members:read', 'org:read'], name='CI deploys')
        self.assertRegex(key['secret'], SECRET)
        self.assertTrue(key['id'].startswith('key_'))
        self.assertEqual(key['prefix'], key['secret'][:12])
        self.assertEqual(key['name'], 'CI deploys')
        self.assertEqual(key['scopes'], ['org:read', 'members:read'])
        self.assertIsNone(key['expires_at'])
        self.assertIsNone(key['last_used_at'])
        self.assertEqual(key['created_by'], {'id': self.owner['user']['id'], 'name': self.owner['user']['name']})

        listed = self.listed()[key['id']]
        self.assertNotIn('secret', listed)
        self.assertEqual(listed['prefix'], key['prefix'])

        r = self.server.get(f'/v1/organizations/{self.org_id}/members', key['secret'])
        self.assertEqual(r.status, 200, r)
        r = self.server.get('/v1/organizations', key['secret'])
        self.assertEqual([(o['id'], o['role']) for o in r.json['items']], [(self.org_id, None)])
        self.assertIsNotNone(self.listed()[key['id']]['last_used_at'])

        r = self.server.delete(f'{self.keys_path()}/{key["id"]}', token=self.token)
        self.assertEqual(r.status, 204, r)
        # Revoked: the very next request is 401, and it is no longer listed.
        self.assertProblem(self.server.get(f'/v1/organizations/{self.org_id}', key['secret']),
                           401, 'unauthenticated')
        self.assertNotIn(key['id'], self.listed())
        self.assertProblem(self.server.delete(f'{self.keys_path()}/{key["id"]}', token=self.token),
                           404, 'api_key_not_found')

    def test_list_pages_newest_first(self):
        ids = [self.key(name=f'Key {i}')['id'] for i in range(5)]
        seen = []
        path = f'{self.keys_path()}?limit=2'
        while True:
            r = self.server.get(path, self.token)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json['total'], 5)
            seen += [k['id'] for k in r.json['items']]
            if r.json['next_cursor'] is None:
                break
            path = f'{self.keys_path()}?limit=2&cursor={r.json["next_cursor"]}'
        self.assertEqual(sorted(seen), sorted(ids))
        self.assertEqual(len(seen), 5)
        self.assertFieldError(self.server.get(f'{self.keys_path()}?cursor=nonsense', self.token), 'cursor', 'invalid')

    def test_secret_stored_only_as_its_hash(self):
        key = self.key()
        rows = self.server.query('SELECT token_hash, prefix FROM api_keys WHERE id = ?', (key['id'],))
        self.assertEqual(rows, [(hashlib.sha256(key['secret'].encode()).digest(), key['secret'][:12])])
        secret = key['secret'].encode()
        random_part = key['secret'][len('qrm_k_'):].encode()
        for name in os.listdir(self.server.data_dir):
            path = os.path.join(self.server.data_dir, name)
            if os.path.isfile(path):
                with open(path, 'rb') as f:
                    data = f.read()
                self.assertNotIn(secret, data, name)
                self.assertNotIn(random_part, data, name)

    def test_only_owners_and_admins_signed_in(self):
        member_token, _ = self.server.add_member(self.org_id, self.token, role='member')
        admin_token, _ = self.server.add_member(self.org_id, self.token, role='admin')
        self.assertProblem(self.server.get(self.keys_path(), member_token), 403, 'forbidden')
        self.assertProblem(self.server.post(self.keys_path(), {'name': 'x', 'scopes': ['org:read']}, member_token),
                           403, 'forbidden')
        create_api_key(self.server, self.org_id, admin_token, ['org:read'])
        outsider = self.server.signup()
        self.assertProblem(self.server.get(self.keys_path(), outsider['token']), 404, 'organization_not_found')

    def test_validation_and_caps(self):
        path = self.keys_path()
        cases = [
            ({'scopes': ['org:read']}, 'name', 'required'),
            ({'name': '  ', 'scopes': ['org:read']}, 'name', 'blank'),
            ({'name': 'x' * 81, 'scopes': ['org:read']}, 'name', 'too_long'),
            ({'name': 'a\u202eb', 'scopes': ['org:read']}, 'name', 'invalid_characters'),
            ({'name': 'k'}, 'scopes', 'required'),
            ({'name': 'k', 'scopes': 'org:read'}, 'scopes', 'invalid_type'),
            ({'name': 'k', 'scopes': []}, 'scopes', 'too_short'),
            ({'name': 'k', 'scopes': list(ALL_SCOPES) + ['org:read']}, 'scopes', 'too_long'),
            ({'name': 'k', 'scopes': ['org:read'] * 50000}, 'scopes', 'too_long'),
            ({'name': 'k', 'scopes': ['org:read', 'org:admin']}, 'scopes[1]', 'invalid_choice'),
            ({'name': 'k', 'scopes': ['org:read', 'org:read']}, 'scopes[1]', 'invalid'),
            ({'name': 'k', 'scopes': [7]}, 'scopes[0]', 'invalid_type'),
            ({'name': 'k', 'scopes': ['org:read'], 'expires_at': rfc3339(-60)}, 'expires_at', 'in_the_past'),
            ({'name': 'k', 'scopes': ['org:read'], 'expires_at': '2030-01-01 12:00'}, 'expires_at', 'invalid'),
            ({'name': 'k', 'scopes': ['org:read'], 'expires_at': 'x' * 10000}, 'expires_at', 'invalid'),
        ]
        for body, field, code in cases:
            with self.subTest(field=field, code=code):
                self.assertFieldError(self.server.post(path, body, self.token), field, code)
        self.assertEqual(self.listed(), {})

    def test_keys_per_organization_capped(self):
        for i in range(100):
            self.key(['org:read'], name=f'Key {i}')
        r = self.server.post(self.keys_path(), {'name': 'one more', 'scopes': ['org:read']}, self.token)
        self.assertProblem(r, 409, 'api_key_limit_reached')
        some = next(iter(self.listed()))
        r = self.server.post(f'{self.keys_path()}/{some}/rotate', {'old_expires_in_seconds': 0}, self.token)
        self.assertProblem(r, 409, 'api_key_limit_reached')
        self.server.delete(f'{self.keys_path()}/{some}', token=self.token)
        self.key(['org:read'], name='fits again')


class ExpiryRotationTests(ApiKeyTestCase):
    def org_status(self, secret):
        return self.server.get(f'/v1/organizations/{self.org_id}', secret).status

    def test_expiry(self):
        key = self.key(['org:read'], expires_at=rfc3339(3600))
        self.assertEqual(self.org_status(key['secret']), 200)
        # Past its expires_at (set in the database, as time passing would).
        self.server.execute('UPDATE api_keys SET expires_at = expires_at - 7200 WHERE id = ?', (key['id'],))
        self.assertProblem(self.server.get(f'/v1/organizations/{self.org_id}', key['secret']), 401,
                           'unauthenticated')
        # Expired keys are listed until revoked, and cannot be rotated.
        self.assertIn(key['id'], self.listed())
        r = self.server.post(f'{self.keys_path()}/{key["id"]}/rotate', {'old_expires_in_seconds': 60}, self.token)
        self.assertProblem(r, 409, 'api_key_expired')

    def test_rotation_with_grace(self):
        key = self.key(['org:read', 'members:read'], name='Deploys')
        r = self.server.post(f'{self.keys_path()}/{key["id"]}/rotate', {'old_expires_in_seconds': 2}, self.token)
        self.assertEqual(r.status, 201, r)
        new = r.json
        self.assertRegex(new['secret'], SECRET)
        self.assertNotEqual(new['id'], key['id'])
        self.assertEqual((new['name'], new['scopes'], new['expires_at']), ('Deploys', key['scopes'], None))
        old = self.listed()[key['id']]
        self.assertIsNotNone(old['expires_at'])
        self.assertEqual(self.org_status(new['secret']), 200)
        # The grace ends: the old key answers 401, the new one keeps working.
        wait_until(lambda: self.org_status(key['secret']) == 401, 30, 'the old key to stop after its grace')
        self.assertEqual(self.org_status(new['secret']), 200)

    def test_rotation_long_grace_keeps_old_key(self):
        key = self.key(['org:read'])
        r = self.server.post(f'{self.keys_path()}/{key["id"]}/rotate', {'old_expires_in_seconds': 604800},
                             self.token)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.org_status(key['secret']), 200)
        self.assertEqual(self.org_status(r.json['secret']), 200)

    def test_rotation_never_extends_expiry(self):
        key = self.key(['org:read'], expires_at=rfc3339(600))
        r = self.server.post(f'{self.keys_path()}/{key["id"]}/rotate', {'old_expires_in_seconds': 604800},
                             self.token)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json['expires_at'], key['expires_at'])
        self.assertEqual(self.listed()[key['id']]['expires_at'], key['expires_at'])

    def test_rotation_without_grace_stops_old_key_at_once(self):
        key = self.key(['org:read'])
        r = self.server.post(f'{self.keys_path()}/{key["id"]}/rotate', {'old_expires_in_seconds': 0}, self.token)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.org_status(key['secret']), 401)
        self.assertEqual(self.org_status(r.json['secret']), 200)

    def test_rotation_input(self):
        key = self.key(['org:read'])
        path = f'{self.keys_path()}/{key["id"]}/rotate'
        self.assertFieldError(self.server.post(path, {}, self.token), 'old_expires_in_seconds', 'required')
        self.assertFieldError(self.server.post(path, {'old_expires_in_seconds': 604801}, self.token),
                              'old_expires_in_seconds', 'out_of_range')
        self.assertFieldError(self.server.post(path, {'old_expires_in_seconds': -1}, self.token),
                              'old_expires_in_seconds', 'out_of_range')
        self.assertFieldError(self.server.post(path, {'old_expires_in_seconds': '60'}, self.token),
                              'old_expires_in_seconds', 'invalid_type')
        self.assertProblem(self.server.post(f'{self.keys_path()}/key_nothing/rotate', {'old_expires_in_seconds': 0},
                                            self.token), 404, 'api_key_not_found')

    def test_last_used_at_written_at_most_once_a_minute(self):
        key = self.key(['org:read'])
        self.assertEqual(self.org_status(key['secret']), 200)
        self.assertIsNotNone(self.server.query('SELECT last_used_at FROM api_keys WHERE id = ?', (key['id'],))[0][0])
        # Half a minute ago (so a write would change the value: SQLite skips
        # rewriting a row with the same bytes).
        self.server.execute('UPDATE api_keys SET last_used_at = last_used_at - 30 WHERE id = ?', (key['id'],))
        first = self.server.query('SELECT last_used_at FROM api_keys WHERE id = ?', (key['id'],))[0][0]
        counter = WriteCounter(self.server)
        try:
            self.assertEqual(self.org_status(key['secret']), 200)
            self.assertEqual(self.org_status(key['secret']), 200)
            self.assertFalse(counter.wrote(), 'a read with an API key wrote to the database')
        finally:
            counter.close()
        self.assertEqual(self.server.query('SELECT last_used_at FROM api_keys WHERE id = ?', (key['id'],))[0][0],
                         first)
        # Once the stored time is a minute old, the next request writes it.
        self.server.execute('UPDATE api_keys SET last_used_at = last_used_at - 30 WHERE id = ?', (key['id'],))
        self.assertEqual(self.org_status(key['secret']), 200)
        self.assertGreater(
            self.server.query('SELECT last_used_at FROM api_keys WHERE id = ?', (key['id'],))[0][0], first)


class ScopeTests(ApiKeyTestCase):
    def test_malformed_and_unknown_keys_are_401(self):
        for secret in ('qrm_k_short', 'qrm_k_' + 'A' * 43, 'qrm_k_' + 'A' * 42 + '!', 'qrm_k_' + 'A' * 5000):
            r = self.server.get(f'/v1/organizations/{self.org_id}', secret)
            self.assertProblem(r, 401, 'unauthenticated')
            self.assertEqual(r.headers.get('www-authenticate'), 'Bearer')

    def test_scopes_times_routes(self):
        """Every route of the table: a key lacking the route's scope gets 403
        insufficient_scope, a key holding only that scope gets past the
        check; rows without a scope answer any key 403 forbidden."""
        routes = [r for r in table_routes_full() if r['access'] != 'public']
        self.assertGreater(len(routes), 30)
        only = {scope: self.key([scope], name=f'only {scope}')['secret'] for scope in ALL_SCOPES}
        every = self.key(ALL_SCOPES, name='all')['secret']
        without = {scope: self.key([s for s in ALL_SCOPES if s != scope], name=f'not {scope}')['secret']
                   for scope in ALL_SCOPES}
        for route in routes:
            path = concrete(route['path'], self.org_id)
            with self.subTest(route=(route['method'], route['path'])):
                if route['scope'] is None:
                    r = self.server.request(route['method'], path, body={}, token=every)
                    self.assertProblem(r, 403, 'forbidden')
                    continue
                r = self.server.request(route['method'], path, body={}, token=without[route['scope']])
                self.assertProblem(r, 403, 'insufficient_scope')
                r = self.server.request(route['method'], path, body={}, token=only[route['scope']])
                self.assertNotIn(r.status, (401, 403), r)
                if '{org_id}' in route['path']:
                    self.assertNotEqual(r.code, 'organization_not_found', r)

    def test_bound_to_its_organization(self):
        other = self.server.post('/v1/organizations', {'name': 'Other org'}, self.token).json
        secret = self.key(ALL_SCOPES)['secret']
        for method, path in (('GET', f'/v1/organizations/{other["id"]}'),
                             ('GET', f'/v1/organizations/{other["id"]}/members'),
                             ('PATCH', f'/v1/organizations/{other["id"]}'),
                             ('GET', f'/v1/organizations/{other["id"]}/billing'),
                             ('GET', f'/v1/organizations/{other["id"]}/audit-events'),
                             ('GET', '/v1/organizations/org_nothing')):
            with self.subTest(path=path):
                self.assertProblem(self.server.request(method, path, body={}, token=secret),
                                   404, 'organization_not_found')
        r = self.server.get('/v1/organizations', secret)
        self.assertEqual([o['id'] for o in r.json['items']], [self.org_id])

    def test_what_keys_may_never_do(self):
        secret = self.key(ALL_SCOPES)['secret']
        target = self.key(['org:read'])
        _, member = self.server.add_member(self.org_id, self.token, role='admin')
        never = [
            ('GET', self.keys_path(), None),
            ('POST', self.keys_path(), {'name': 'k', 'scopes': ['org:read']}),
            ('DELETE', f'{self.keys_path()}/{target["id"]}', None),
            ('POST', f'{self.keys_path()}/{target["id"]}/rotate', {'old_expires_in_seconds': 0}),
            ('POST', f'/v1/organizations/{self.org_id}/transfer-ownership', {'member_id': member['id']}),
            ('DELETE', f'/v1/organizations/{self.org_id}', {'confirm_slug': self.owner['organization']['slug']}),
            ('POST', f'/v1/organizations/{self.org_id}/leave', None),
            ('GET', '/v1/me', None),
            ('PATCH', '/v1/me', {'name': 'Key'}),
            ('POST', '/v1/organizations', {'name': 'By a key'}),
            ('DELETE', '/v1/sessions/current', None),
            ('GET', '/v1/me/invitations', None),
        ]
        for method, path, body in never:
            with self.subTest(method=method, path=path):
                self.assertProblem(self.server.request(method, path, body=body, token=secret), 403, 'forbidden')
        # Nothing happened: the target key works, the organization and its owner are unchanged.
        self.assertEqual(self.server.get(f'/v1/organizations/{self.org_id}', target['secret']).status, 200)
        r = self.server.get(f'/v1/organizations/{self.org_id}', self.token)
        self.assertEqual(r.json['role'], 'owner')

    def test_key_acts_within_its_scopes(self):
        secret = self.key(['org:write', 'members:write', 'members:read', 'invitations:write'])['secret']
        r = self.server.patch(f'/v1/organizations/{self.org_id}', {'name': 'Renamed by key'}, secret)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['name'], 'Renamed by key')
        self.assertIsNone(r.json['role'])
        r = self.server.post(f'/v1/organizations/{self.org_id}/invitations',
                             {'email': f'by-key-{os.getpid()}@example.com', 'role': 'member'}, secret)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json['invited_by']['id'], self.owner['user']['id'])
        # The owner stays out of a key's reach, as of an admin's.
        owner_member = [m for m in self.server.get(f'/v1/organizations/{self.org_id}/members', secret).json['items']
                        if m['role'] == 'owner'][0]
        r = self.server.patch(f'/v1/organizations/{self.org_id}/members/{owner_member["id"]}', {'role': 'member'},
                              secret)
        self.assertProblem(r, 409, 'owner_immutable')


class CreatorTests(ApiKeyTestCase):
    """A key works only while its creator is an active member whose role may
    manage developers; it comes back with them (it was never revoked). Each
    change is seen by the very next request, after a request that used the
    key (so the read cache holds it)."""

    def setUp(self):
        super().setUp()
        self.admin_token, self.admin = self.server.add_member(self.org_id, self.token, role='admin')
        self.admin_key = create_api_key(self.server, self.org_id, self.admin_token, ['org:read', 'members:read'],
                                        name="Admin's key")
        self.member_path = f'/v1/organizations/{self.org_id}/members/{self.admin["id"]}'

    def use(self, secret):
        return self.server.get(f'/v1/organizations/{self.org_id}/members', secret)

    def assertWorks(self, key):
        self.assertEqual(self.use(key['secret']).status, 200)
        listed = self.listed()[key['id']]
        self.assertEqual((listed['active'], listed['inactive_reason']), (True, None))

    def assertInactive(self, key, reason):
        r = self.use(key['secret'])
        self.assertProblem(r, 401, 'unauthenticated')
        self.assertEqual(r.headers.get('www-authenticate'), 'Bearer')
        # It says the creator lost access, never how.
        self.assertIn('creator no longer has access', r.json['detail'])
        for word in ('suspend', 'demot', 'remov', 'role'):
            self.assertNotIn(word, r.json['detail'].lower())
        # Still listed (it was not revoked), with the reason for the owner.
        listed = self.listed()[key['id']]
        self.assertEqual((listed['active'], listed['inactive_reason']), (False, reason))

    def set_admin(self, change):
        r = self.server.patch(self.member_path, change, self.token)
        self.assertEqual(r.status, 200, r)

    def test_creator_suspended_then_reactivated(self):
        self.assertWorks(self.admin_key)
        self.set_admin({'status': 'suspended'})
        self.assertInactive(self.admin_key, 'creator_suspended')
        self.set_admin({'status': 'active'})
        self.assertWorks(self.admin_key)

    def test_creator_demoted_then_promoted(self):
        self.assertWorks(self.admin_key)
        self.set_admin({'role': 'member'})
        self.assertInactive(self.admin_key, 'creator_not_admin')
        self.set_admin({'role': 'admin'})
        self.assertWorks(self.admin_key)

    def test_creator_removed_and_rotation_by_another_admin(self):
        self.assertWorks(self.admin_key)
        r = self.server.delete(self.member_path, token=self.token)
        self.assertEqual(r.status, 204, r)
        self.assertInactive(self.admin_key, 'creator_removed')
        # Another admin (here the owner) rotates it: the new key is theirs and works.
        r = self.server.post(f'{self.keys_path()}/{self.admin_key["id"]}/rotate', {'old_expires_in_seconds': 0},
                             self.token)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json['created_by']['id'], self.owner['user']['id'])
        self.assertEqual((r.json['active'], r.json['inactive_reason']), (True, None))
        self.assertWorks(r.json)
        self.assertProblem(self.use(self.admin_key['secret']), 401, 'unauthenticated')

    def test_creator_removed_then_invited_back(self):
        """Removed, the key is refused (and looked up, so a read cache may hold
        it); the creator accepts a new invitation as admin: it works again on
        the very next request."""
        self.assertWorks(self.admin_key)
        self.assertEqual(self.server.delete(self.member_path, token=self.token).status, 204)
        self.assertInactive(self.admin_key, 'creator_removed')
        email = self.server.get('/v1/me', self.admin_token).json['email']
        self.server.invite(self.org_id, self.token, email, 'admin')
        r = self.server.post(f'/v1/invitations/{self.server.invitation_token(email)}/accept', token=self.admin_token)
        self.assertEqual(r.status, 200, r)
        self.assertWorks(self.admin_key)

    def test_key_of_a_creator_who_left(self):
        self.assertWorks(self.admin_key)
        r = self.server.post(f'/v1/organizations/{self.org_id}/leave', token=self.admin_token)
        self.assertEqual(r.status, 204, r)
        self.assertInactive(self.admin_key, 'creator_removed')

    def test_old_owner_keeps_keys_after_transfer(self):
        owner_key = self.key(['org:read', 'members:read'])
        r = self.server.post(f'/v1/organizations/{self.org_id}/transfer-ownership', {'member_id': self.admin['id']},
                             self.token)
        self.assertEqual(r.status, 200, r)
        self.assertWorks(owner_key)
        self.assertWorks(self.admin_key)


if __name__ == '__main__':
    main()
