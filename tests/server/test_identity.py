# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import subprocess

from servertest import DEFAULT_PASSWORD, QuorumServer, ServerTestCase, main, schema_version


class StartupTests(ServerTestCase):
    def test_listening_line_and_health(self):
        self.assertRegex(self.server.url, r'^http://127\.0\.0\.1:\d+$')
        r = self.server.get('/health')
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json['status'], 'ok')
        self.assertIsInstance(r.json['version'], str)

    def test_help_lists_every_option(self):
        out = subprocess.run([self.server.binary, '--help'], capture_output=True, text=True, check=True).stdout
        for option in ('--port', '--data-dir', '--listen', '--public-url', '--get-app-url', '--demo', '--demo-members',
                       '--smtp', '--signin-rate-limit', '--auth-rate-limit', '--password-hash-cost',
                       '--signin-client-limit', '--signin-backoff', '--org-invitation-rate-limit',
                       '--user-invitation-rate-limit', '--pending-invitation-limit', '--purge-interval', '--trusted-proxy'):
            self.assertIn(option, out)

    def test_missing_options_fail(self):
        r = subprocess.run([self.server.binary, '--port', '0'], capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('--data-dir', r.stderr)

    def test_database_and_outbox_in_data_dir(self):
        # The outbox is in the data dir on both stores; the database is
        # quorum.db there on SQLite, and on PostgreSQL (--database) it is
        # not: no SQLite file appears beside it.
        self.assertTrue(os.path.isdir(os.path.join(self.server.data_dir, 'outbox')))
        on_sqlite = self.server.pg_database is None
        self.assertEqual(os.path.exists(os.path.join(self.server.data_dir, 'quorum.db')), on_sqlite)
        # Either way the server's database holds the schema, at this version.
        version = ("PRAGMA user_version" if on_sqlite else "SELECT version FROM schema_version")
        self.assertEqual(self.server.query(version), [(schema_version(),)])
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM plans WHERE id = 'pln_free'"), [(1,)])

    def test_unknown_path_and_method(self):
        self.assertProblem(self.server.get('/v1/nothing-here'), 404, 'not_found')
        self.assertProblem(self.server.get('/nothing'), 404, 'not_found')
        r = self.server.request('PUT', '/v1/me')
        self.assertProblem(r, 405, 'method_not_allowed')
        self.assertIn('GET', r.headers['allow'])


class ListenTests(ServerTestCase):
    server_args = ('--listen', '::1')

    def test_ipv6_listen_address(self):
        self.assertRegex(self.server.url, r'^http://\[::1\]:\d+$')
        self.assertEqual(self.server.get('/health').status, 200)


class SignUpTests(ServerTestCase):
    def test_sign_up_creates_user_session_and_organization(self):
        r = self.server.post('/v1/users', {'name': '  Marie Curie ', 'email': ' Marie@Example.COM ',
                                           'password': DEFAULT_PASSWORD})
        self.assertEqual(r.status, 201, r)
        self.assertTrue(r.json['user']['id'].startswith('usr_'))
        self.assertEqual(r.json['user']['name'], 'Marie Curie')
        self.assertEqual(r.json['user']['email'], 'marie@example.com')
        self.assertRegex(r.json['user']['created_at'], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')
        self.assertTrue(r.json['token'].startswith('qrm_s_'))
        org = r.json['organization']
        self.assertEqual(org['name'], "Marie Curie's organization")
        self.assertEqual(org['slug'], 'marie-curie-s-organization')
        self.assertEqual(org['role'], 'owner')
        self.assertEqual(org['member_count'], 1)
        me = self.server.get('/v1/me', r.json['token'])
        self.assertEqual(me.status, 200)
        self.assertEqual(me.json, r.json['user'])

    def test_organization_name_given(self):
        r = self.server.signup(organization_name='Curie Labs')
        self.assertEqual(r['organization']['name'], 'Curie Labs')

    def test_email_taken_case_insensitive(self):
        self.server.signup(email='taken@example.com')
        r = self.server.post('/v1/users', {'name': 'X', 'email': 'TAKEN@example.com ', 'password': DEFAULT_PASSWORD})
        self.assertProblem(r, 409, 'email_taken')

    def test_validation(self):
        r = self.server.post('/v1/users', {'name': '', 'email': 'not-an-email', 'password': 'short'})
        self.assertFieldError(r, 'name', 'blank')
        self.assertFieldError(r, 'email', 'invalid_email')
        self.assertFieldError(r, 'password', 'too_short')
        r = self.server.post('/v1/users', {'name': 'x' * 81, 'email': 'a@b.example', 'password': DEFAULT_PASSWORD})
        self.assertFieldError(r, 'name', 'too_long')
        r = self.server.post('/v1/users', {})
        for field in ('name', 'email', 'password'):
            self.assertFieldError(r, field, 'required')
        r = self.server.post('/v1/users', {'name': 5, 'email': ['a'], 'password': None})
        self.assertFieldError(r, 'name', 'invalid_type')
        self.assertFieldError(r, 'email', 'invalid_type')

    def test_unknown_fields_ignored(self):
        r = self.server.post('/v1/users', {'name': 'Ignored', 'email': 'ignored@example.com',
                                           'password': DEFAULT_PASSWORD, 'is_admin': True})
        self.assertEqual(r.status, 201)


class SessionTests(ServerTestCase):
    def test_sign_in_and_out(self):
        self.server.signup(email='sam@example.com')
        r = self.server.post('/v1/sessions', {'email': 'Sam@Example.com', 'password': DEFAULT_PASSWORD})
        self.assertEqual(r.status, 201, r)
        self.assertTrue(r.json['token'].startswith('qrm_s_'))
        self.assertEqual(r.json['user']['email'], 'sam@example.com')
        self.assertRegex(r.json['expires_at'], r'Z$')
        token = r.json['token']
        self.assertEqual(self.server.get('/v1/me', token).status, 200)
        self.assertEqual(self.server.delete('/v1/sessions/current', token=token).status, 204)
        self.assertProblem(self.server.get('/v1/me', token), 401, 'unauthenticated')

    def test_invalid_credentials_same_for_unknown_email(self):
        self.server.signup(email='pat@example.com')
        wrong = self.server.post('/v1/sessions', {'email': 'pat@example.com', 'password': 'wrong password!'})
        unknown = self.server.post('/v1/sessions', {'email': 'nobody@example.com', 'password': 'wrong password!'})
        self.assertProblem(wrong, 401, 'invalid_credentials')
        self.assertProblem(unknown, 401, 'invalid_credentials')
        self.assertEqual(wrong.json['detail'], unknown.json['detail'])

    def test_expired_session(self):
        s = self.server.signup()
        self.server.execute('UPDATE sessions SET expires_at = 1000 WHERE user_id = ?', (s['user']['id'],))
        r = self.server.get('/v1/me', s['token'])
        self.assertProblem(r, 401, 'unauthenticated')
        self.assertEqual(r.headers['www-authenticate'], 'Bearer')

    def test_missing_or_bad_token(self):
        self.assertProblem(self.server.get('/v1/me'), 401, 'unauthenticated')
        self.assertProblem(self.server.get('/v1/me', 'qrm_s_' + 'A' * 43), 401, 'unauthenticated')
        r = self.server.get('/v1/me', headers={'Authorization': 'Basic Zm9vOmJhcg=='})
        self.assertProblem(r, 401, 'unauthenticated')

    def test_profile_update(self):
        s = self.server.signup()
        r = self.server.patch('/v1/me', {'name': 'New Name'}, s['token'])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['name'], 'New Name')
        self.assertEqual(self.server.get('/v1/me', s['token']).json['name'], 'New Name')
        self.assertFieldError(self.server.patch('/v1/me', {'name': '   '}, s['token']), 'name', 'blank')
        # the member list follows the new name
        org = s['organization']['id']
        items = self.server.get(f'/v1/organizations/{org}/members?query=new%20name', s['token']).json['items']
        self.assertEqual([m['name'] for m in items], ['New Name'])

    def test_profile_etag_and_if_match(self):
        s = self.server.signup(name='Etag Person')
        got = self.server.get('/v1/me', s['token'])
        etag = got.headers['etag']
        self.assertRegex(etag, r'^"[\x21\x23-\x7e]+"$')
        r = self.server.patch('/v1/me', {'name': 'Etag Renamed'}, s['token'], headers={'If-Match': etag})
        self.assertEqual(r.status, 200, r)
        self.assertNotEqual(r.headers['etag'], etag)
        self.assertEqual(self.server.get('/v1/me', s['token']).headers['etag'], r.headers['etag'])
        self.assertProblem(self.server.patch('/v1/me', {'name': 'Stale'}, s['token'], headers={'If-Match': etag}),
                           412, 'precondition_failed')
        self.assertEqual(self.server.patch('/v1/me', {'name': 'Star'}, s['token'], headers={'If-Match': '*'}).status, 200)
        # an empty patch changes nothing
        r = self.server.patch('/v1/me', {}, s['token'])
        self.assertEqual((r.status, r.json['name']), (200, 'Star'))

    def test_password_change_ends_other_sessions(self):
        s = self.server.signup(email='pw@example.com')
        other = self.server.post('/v1/sessions', {'email': 'pw@example.com', 'password': DEFAULT_PASSWORD}).json['token']
        r = self.server.post('/v1/me/password', {'current_password': 'not the password', 'new_password': 'another password'},
                             s['token'])
        self.assertFieldError(r, 'current_password', 'incorrect')
        r = self.server.post('/v1/me/password', {'current_password': DEFAULT_PASSWORD, 'new_password': 'short'},
                             s['token'])
        self.assertFieldError(r, 'new_password', 'too_short')
        r = self.server.post('/v1/me/password', {'current_password': DEFAULT_PASSWORD,
                                                 'new_password': 'another password'}, s['token'])
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.server.get('/v1/me', s['token']).status, 200)
        self.assertProblem(self.server.get('/v1/me', other), 401, 'unauthenticated')
        self.assertProblem(self.server.post('/v1/sessions', {'email': 'pw@example.com', 'password': DEFAULT_PASSWORD}),
                           401, 'invalid_credentials')
        self.assertEqual(self.server.post('/v1/sessions', {'email': 'pw@example.com',
                                                           'password': 'another password'}).status, 201)


class RateLimitTests(ServerTestCase):
    server_args = ('--signin-rate-limit', '3', '--auth-rate-limit', '8')

    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer(*cls.server_args, rate_limits=True)

    def test_limits(self):
        # Failed sign-ins per address: 3, then 429 even with the right password.
        self.server.signup(email='limited@example.com')
        for _ in range(3):
            self.assertProblem(self.server.post('/v1/sessions', {'email': 'limited@example.com', 'password': 'bad password'}),
                               401, 'invalid_credentials')
        r = self.server.post('/v1/sessions', {'email': 'limited@example.com', 'password': DEFAULT_PASSWORD})
        self.assertProblem(r, 429, 'rate_limited')
        self.assertGreater(int(r.headers['retry-after']), 0)
        # Another address is not affected by that counter.
        self.server.signup(email='other@example.com')
        self.assertEqual(self.server.post('/v1/sessions', {'email': 'other@example.com',
                                                           'password': DEFAULT_PASSWORD}).status, 201)
        # Per client: 8 sign-ins/sign-ups in all (2 sign-ups, 4 sign-ins so far + 1 blocked still counted).
        statuses = [self.server.post('/v1/sessions', {'email': 'other@example.com', 'password': DEFAULT_PASSWORD}).status
                    for _ in range(4)]
        self.assertIn(429, statuses)
        r = self.server.post('/v1/users', {'name': 'Late', 'email': 'late@example.com', 'password': DEFAULT_PASSWORD})
        self.assertProblem(r, 429, 'rate_limited')
        self.assertIn('retry-after', r.headers)
        # Other endpoints are not limited.
        self.assertEqual(self.server.get('/health').status, 200)


class PasswordChangeLimitTests(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer('--signin-rate-limit', '3', '--auth-rate-limit', '0', rate_limits=True)

    def test_wrong_current_password_counts_as_failed_sign_in(self):
        s = self.server.signup(email='guess@example.com')
        for _ in range(3):
            r = self.server.post('/v1/me/password', {'current_password': 'a wrong guess', 'new_password': 'new password 1'},
                                 s['token'])
            self.assertFieldError(r, 'current_password', 'incorrect')
        r = self.server.post('/v1/me/password', {'current_password': DEFAULT_PASSWORD, 'new_password': 'new password 1'},
                             s['token'])
        self.assertProblem(r, 429, 'rate_limited')
        self.assertProblem(self.server.post('/v1/sessions', {'email': 'guess@example.com', 'password': DEFAULT_PASSWORD}),
                           429, 'rate_limited')


class DefaultRateLimitTests(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer(rate_limits=True)

    def test_default_failed_sign_in_limit_is_ten(self):
        self.server.signup(email='ten@example.com')
        codes = [self.server.post('/v1/sessions', {'email': 'ten@example.com', 'password': 'bad password'}).status
                 for _ in range(11)]
        self.assertEqual(codes, [401] * 10 + [429])


if __name__ == '__main__':
    main()
