# SPDX-License-Identifier: GPL-3.0-or-later
"""E-mail ownership: verification, password reset, take-over of squatted
accounts, and 403 email_unverified on what is granted to an address."""

import os
import sqlite3
import time
import unittest
import urllib.parse

from servertest import DEFAULT_PASSWORD, QuorumServer, ServerTestCase, main, poll_until, schema_version, test_store

PUBLIC = 'https://quorum.example.org'
FORM = 'application/x-www-form-urlencoded'


class EmailTestCase(ServerTestCase):
    server_args = ('--public-url', PUBLIC + '/')

    def db(self, sql, *args):
        """Rows of a query, or a write committed, on the server's database
        whichever the store."""
        if sql.lstrip().upper().startswith('SELECT'):
            return self.server.query(sql, args)
        self.server.execute(sql, args)
        return []

    def me(self, token):
        return self.server.get('/v1/me', token)

    def assertPage(self, response, status):
        self.assertEqual(response.status, status, response)
        self.assertEqual(response.headers['content-type'], 'text/html; charset=utf-8')
        csp = response.headers['content-security-policy']
        for directive in ("default-src 'none'", "form-action 'self'", "frame-ancestors 'none'"):
            self.assertIn(directive, csp)
        self.assertNotIn('script', csp)
        self.assertEqual(response.headers['referrer-policy'], 'no-referrer')
        self.assertEqual(response.headers['cache-control'], 'no-store')
        self.assertEqual(response.headers['x-content-type-options'], 'nosniff')
        self.assertNotIn(b'<script', response.body)
        return response.body.decode()

    def age_account(self, user_id, days):
        self.db('UPDATE users SET created_at = ? WHERE id = ?', int(time.time()) - days * 86400, user_id)


class VerificationTests(EmailTestCase):
    def test_squatter_gets_403_until_the_inbox_is_proven(self):
        owner = self.server.signup(name='Olivia Owner')
        org = owner['organization']['id']
        inv = self.server.invite(org, owner['token'], 'victim@example.com', role='admin')
        # The attack of issue 11: sign up with the invited address, list, accept by id.
        squatter = self.server.signup(name='Mallory', email='victim@example.com')
        self.assertIs(squatter['user']['email_verified'], False)
        self.assertIs(self.me(squatter['token']).json['email_verified'], False)
        r = self.server.get('/v1/me/invitations', squatter['token'])
        self.assertProblem(r, 403, 'email_unverified')
        self.assertIn('victim@example.com', r.json['detail'])
        self.assertIn('Verify your e-mail address first', r.json['detail'])
        self.assertProblem(self.server.post(f"/v1/me/invitations/{inv['id']}/accept", token=squatter['token']),
                           403, 'email_unverified')
        self.assertProblem(self.server.post(f"/v1/me/invitations/{inv['id']}/decline", token=squatter['token']),
                           403, 'email_unverified')
        self.assertEqual(self.server.get(f'/v1/organizations/{org}', squatter['token']).status, 404)
        listed = self.server.get(f'/v1/organizations/{org}/invitations', owner['token']).json['items']
        self.assertEqual([i['status'] for i in listed if i['id'] == inv['id']], ['pending'])
        # Whoever reads the inbox follows the link in the message: then allowed.
        self.assertIs(self.server.verify_email('victim@example.com')['email_verified'], True)
        mine = self.server.get('/v1/me/invitations', squatter['token'])
        self.assertEqual([i['id'] for i in mine.json['items']], [inv['id']])
        r = self.server.post(f"/v1/me/invitations/{inv['id']}/accept", token=squatter['token'])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['member']['role'], 'admin')

    def test_sign_up_mails_a_single_use_token(self):
        s = self.server.signup(email='single@example.com')
        text = [t for t in self.server.outbox() if 'To: <single@example.com>' in t][-1]
        token = self.server.mail_token('single@example.com', 'verify')
        self.assertRegex(token, r'^qrm_v_[A-Za-z0-9_-]{43}$')
        self.assertIn(f'{PUBLIC}/verify/{token}\n', text)
        self.assertIn(f'quorum://verify/{token}?server=' + urllib.parse.quote(PUBLIC, safe=''), text)
        self.assertIn('Subject: Verify your e-mail address', text)
        self.assertNotIn(s['token'], text)
        lifetime = self.db("SELECT expires_at - created_at FROM email_tokens WHERE kind = 'verify' AND user_id = ?",
                           s['user']['id'])
        self.assertEqual(lifetime, [(24 * 3600,)])
        r = self.server.post('/v1/email-verifications', {'token': token})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['id'], s['user']['id'])
        self.assertIs(r.json['email_verified'], True)
        self.assertIs(self.me(s['token']).json['email_verified'], True)
        self.assertProblem(self.server.post('/v1/email-verifications', {'token': token}), 404, 'token_not_found')
        self.assertProblem(self.server.post('/v1/me/verification-email', token=s['token']), 409, 'already_verified')

    def test_expired_token_is_refused(self):
        s = self.server.signup(email='late@example.com')
        token = self.server.mail_token('late@example.com', 'verify')
        self.db('UPDATE email_tokens SET expires_at = ? WHERE user_id = ?', int(time.time()) - 1, s['user']['id'])
        self.assertProblem(self.server.post('/v1/email-verifications', {'token': token}), 410, 'token_expired')
        self.assertPage(self.server.get(f'/verify/{token}'), 410)
        self.assertPage(self.server.post(f'/verify/{token}', raw=b'', content_type=FORM), 410)
        self.assertIs(self.me(s['token']).json['email_verified'], False)

    def test_resend_replaces_the_token_and_is_limited(self):
        s = self.server.signup(email='resend-me@example.com')
        first = self.server.mail_token('resend-me@example.com', 'verify')
        r = self.server.post('/v1/me/verification-email', token=s['token'])
        self.assertEqual((r.status, r.body), (202, b''))
        second = self.server.mail_token('resend-me@example.com', 'verify')
        self.assertNotEqual(first, second)
        self.assertProblem(self.server.post('/v1/email-verifications', {'token': first}), 404, 'token_not_found')
        self.assertProblem(self.server.post('/v1/me/verification-email'), 401, 'unauthenticated')
        for _ in range(4):
            self.assertEqual(self.server.post('/v1/me/verification-email', token=s['token']).status, 202)
        r = self.server.post('/v1/me/verification-email', token=s['token'])
        self.assertProblem(r, 429, 'rate_limited')
        self.assertGreater(int(r.headers['retry-after']), 3000)
        # The newest link still works.
        self.server.verify_email('resend-me@example.com')

    def test_unknown_malformed_and_wrong_kind_tokens(self):
        s = self.server.signup(email='kinds@example.com')
        self.assertEqual(self.server.post('/v1/password-resets', {'email': 'kinds@example.com'}).status, 202)
        reset = self.server.mail_token('kinds@example.com', 'reset')
        verify = self.server.mail_token('kinds@example.com', 'verify')
        for bad in (reset, 'qrm_v_' + 'A' * 43, 'qrm_v_' + 'A' * 42, verify + 'A', "x' OR '1'='1", '', 'qrm_s_x'):
            self.assertProblem(self.server.post('/v1/email-verifications', {'token': bad}), 404, 'token_not_found')
        self.assertProblem(self.server.post('/v1/password-resets/confirm', {'token': verify, 'password': 'new password 1'}),
                           404, 'token_not_found')
        self.assertFieldError(self.server.post('/v1/email-verifications', {}), 'token', 'required')
        self.assertProblem(self.server.post('/v1/email-verifications', raw=b'{"token":'), 400, 'malformed_json')
        self.assertEqual(self.server.request('GET', '/v1/email-verifications').status, 405)
        self.assertIs(self.me(s['token']).json['email_verified'], False)

    def test_verify_page_get_changes_nothing_post_verifies(self):
        s = self.server.signup(name='Page <Person>', email='page.person@example.com')
        token = self.server.mail_token('page.person@example.com', 'verify')
        for _ in range(2):  # a mail scanner fetching the link
            html = self.assertPage(self.server.get(f'/verify/{token}'), 200)
        self.assertEqual(self.server.request('HEAD', f'/verify/{token}').status, 200)
        self.assertIn(f'<form method="post" action="/verify/{token}">', html)
        self.assertIn('page.person@example.com', html)
        self.assertIn(f'href="quorum://verify/{token}?server=https%3A%2F%2Fquorum.example.org"', html)
        self.assertIn('Open in Quorum', html)
        self.assertIs(self.me(s['token']).json['email_verified'], False)
        html = self.assertPage(self.server.post(f'/verify/{token}', raw=b'', content_type=FORM), 200)
        self.assertIn('verified', html)
        self.assertIs(self.me(s['token']).json['email_verified'], True)
        self.assertIn('not valid', self.assertPage(self.server.post(f'/verify/{token}', content_type=FORM,
                                                                    raw=b'x=1'), 404))
        self.assertPage(self.server.get(f'/verify/{token}'), 404)
        self.assertPage(self.server.get('/verify/' + urllib.parse.quote("<b>'")), 404)
        self.assertProblem(self.server.request('PUT', f'/verify/{token}'), 405, 'method_not_allowed')

    def test_invitation_setup_counts_as_verified(self):
        owner = self.server.signup()
        self.server.invite(owner['organization']['id'], owner['token'], 'invited.new@example.com')
        token = self.server.invitation_token('invited.new@example.com')
        r = self.server.post(f'/v1/invitations/{token}/setup', {'name': 'New', 'password': DEFAULT_PASSWORD})
        self.assertEqual(r.status, 201, r)
        self.assertIs(r.json['user']['email_verified'], True)
        self.assertEqual(self.server.get('/v1/me/invitations', r.json['token']).status, 200)
        # Verified accounts get no verification e-mail and cannot ask for one.
        self.assertEqual([t for t in self.server.outbox() if 'To: <invited.new@example.com>' in t and '/verify/' in t], [])
        self.assertProblem(self.server.post('/v1/me/verification-email', token=r.json['token']), 409, 'already_verified')


class ResetTests(EmailTestCase):
    def test_same_answer_whether_or_not_the_address_exists(self):
        self.server.signup(email='known@example.com')
        known = self.server.post('/v1/password-resets', {'email': 'Known@Example.com '})
        unknown = self.server.post('/v1/password-resets', {'email': 'unknown@example.com'})
        self.assertEqual((known.status, known.body), (202, b''))
        self.assertEqual((unknown.status, unknown.body), (202, b''))
        drop = ('date',)
        self.assertEqual({k: v for k, v in known.headers.items() if k not in drop},
                         {k: v for k, v in unknown.headers.items() if k not in drop})
        self.assertRegex(self.server.mail_token('known@example.com', 'reset'), r'^qrm_r_[A-Za-z0-9_-]{43}$')
        self.assertEqual([t for t in self.server.outbox() if 'unknown@example.com' in t], [])
        # The unknown address cost a committed write too (the decoy that
        # keeps the next request's wait alike), and left no file behind.
        self.server.get('/health')  # served after the work that follows each 202
        decoy = self.db("SELECT value FROM meta WHERE key = 'reset_decoy'")
        self.assertEqual(len(decoy), 1)
        self.server.post('/v1/password-resets', {'email': 'unknown2@example.com'})
        poll_until(lambda: self.db("SELECT value FROM meta WHERE key = 'reset_decoy'") != decoy, 10, interval=0.02)
        self.assertNotEqual(self.db("SELECT value FROM meta WHERE key = 'reset_decoy'"), decoy)
        self.server.get('/health')
        self.assertFalse(os.path.exists(os.path.join(self.server.data_dir, '.reset-decoy')))
        self.assertFieldError(self.server.post('/v1/password-resets', {'email': 5}), 'email', 'invalid_type')

    def test_reset_sets_password_verifies_and_ends_every_session(self):
        s = self.server.signup(email='forgot@example.com')
        other = self.server.post('/v1/sessions', {'email': 'forgot@example.com', 'password': DEFAULT_PASSWORD}).json['token']
        self.server.post('/v1/password-resets', {'email': 'forgot@example.com'})
        token = self.server.mail_token('forgot@example.com', 'reset')
        text = [t for t in self.server.outbox() if token in t][-1]
        self.assertIn(f'{PUBLIC}/reset/{token}\n', text)
        self.assertIn(f'quorum://reset/{token}?server=' + urllib.parse.quote(PUBLIC, safe=''), text)
        self.server.get('/health')  # served after the reset e-mail's transaction has committed
        self.assertEqual(self.db("SELECT expires_at - created_at FROM email_tokens WHERE kind = 'reset' AND user_id = ?",
                                 s['user']['id']), [(3600,)])
        self.assertFieldError(self.server.post('/v1/password-resets/confirm', {'token': token, 'password': 'short'}),
                              'password', 'too_short')
        r = self.server.post('/v1/password-resets/confirm', {'token': token, 'password': 'a brand new password'})
        self.assertEqual(r.status, 200, r)
        self.assertRegex(r.json['token'], r'^qrm_s_')
        self.assertEqual(r.json['user']['id'], s['user']['id'])
        self.assertIs(r.json['user']['email_verified'], True)
        self.assertRegex(r.json['expires_at'], r'Z$')
        for old in (s['token'], other):
            self.assertProblem(self.me(old), 401, 'unauthenticated')
        self.assertEqual(self.me(r.json['token']).status, 200)
        self.assertProblem(self.server.post('/v1/sessions', {'email': 'forgot@example.com', 'password': DEFAULT_PASSWORD}),
                           401, 'invalid_credentials')
        self.assertEqual(self.server.post('/v1/sessions', {'email': 'forgot@example.com',
                                                           'password': 'a brand new password'}).status, 201)
        self.assertProblem(self.server.post('/v1/password-resets/confirm', {'token': token, 'password': 'yet another one'}),
                           404, 'token_not_found')

    def test_a_new_request_replaces_the_token_and_tokens_expire(self):
        s = self.server.signup(email='twice@example.com')
        self.server.post('/v1/password-resets', {'email': 'twice@example.com'})
        first = self.server.mail_token('twice@example.com', 'reset')
        self.server.post('/v1/password-resets', {'email': 'twice@example.com'})
        poll_until(lambda: self.server.mail_token('twice@example.com', 'reset') != first, 10, interval=0.02)
        second = self.server.mail_token('twice@example.com', 'reset')
        self.assertNotEqual(first, second)
        self.assertProblem(self.server.post('/v1/password-resets/confirm', {'token': first, 'password': 'new password 1'}),
                           404, 'token_not_found')
        self.db("UPDATE email_tokens SET expires_at = ? WHERE kind = 'reset' AND used_at IS NULL AND user_id = ?",
                int(time.time()) - 1, s['user']['id'])
        self.assertProblem(self.server.post('/v1/password-resets/confirm', {'token': second, 'password': 'new password 1'}),
                           410, 'token_expired')
        self.assertPage(self.server.get(f'/reset/{second}'), 410)
        self.assertEqual(self.me(s['token']).status, 200)

    def test_reset_page(self):
        s = self.server.signup(email='browser@example.com')
        self.server.post('/v1/password-resets', {'email': 'browser@example.com'})
        token = self.server.mail_token('browser@example.com', 'reset')
        html = self.assertPage(self.server.get(f'/reset/{token}'), 200)
        self.assertIn(f'<form method="post" action="/reset/{token}">', html)
        self.assertIn('name="password"', html)
        self.assertIn('name="password_confirm"', html)
        form = urllib.parse.urlencode({'password': 'page password 1', 'password_confirm': 'page password 2'}).encode()
        self.assertIn('differ', self.assertPage(self.server.post(f'/reset/{token}', raw=form, content_type=FORM), 422))
        form = urllib.parse.urlencode({'password': 'short', 'password_confirm': 'short'}).encode()
        self.assertIn('At least 10', self.assertPage(self.server.post(f'/reset/{token}', raw=form, content_type=FORM), 422))
        self.assertEqual(self.me(s['token']).status, 200)
        form = urllib.parse.urlencode({'password': 'page password 1', 'password_confirm': 'page password 1'}).encode()
        self.assertIn('Password set', self.assertPage(self.server.post(f'/reset/{token}', raw=form, content_type=FORM), 200))
        self.assertProblem(self.me(s['token']), 401, 'unauthenticated')
        r = self.server.post('/v1/sessions', {'email': 'browser@example.com', 'password': 'page password 1'})
        self.assertEqual(r.status, 201)
        self.assertIs(r.json['user']['email_verified'], True)
        self.assertPage(self.server.post(f'/reset/{token}', raw=form, content_type=FORM), 404)

    def test_requests_per_address_are_limited_alike(self):
        self.server.signup(email='limited.known@example.com')
        for email in ('limited.known@example.com', 'limited.unknown@example.com'):
            statuses = [self.server.post('/v1/password-resets', {'email': email}).status for _ in range(6)]
            self.assertEqual(statuses, [202] * 5 + [429], email)


class TakeOverTests(EmailTestCase):
    def test_invitation_setup_takes_over_an_old_unverified_account(self):
        owner = self.server.signup(name='Olivia Owner')
        org = owner['organization']['id']
        squatter = self.server.signup(name='Mallory', email='claimed@example.com')
        self.server.invite(org, owner['token'], 'claimed@example.com')
        token = self.server.invitation_token('claimed@example.com')
        body = {'name': 'Rightful Owner', 'password': 'the real password'}
        # Younger than 7 days: as before, sign in and accept (or reset).
        self.assertTrue(self.server.get(f'/v1/invitations/{token}').json['account_exists'])
        self.assertProblem(self.server.post(f'/v1/invitations/{token}/setup', body), 409, 'account_exists')
        self.age_account(squatter['user']['id'], 6)
        self.assertProblem(self.server.post(f'/v1/invitations/{token}/setup', body), 409, 'account_exists')
        self.age_account(squatter['user']['id'], 8)
        self.assertFalse(self.server.get(f'/v1/invitations/{token}').json['account_exists'])
        r = self.server.post(f'/v1/invitations/{token}/setup', body)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json['user']['id'], squatter['user']['id'])
        self.assertEqual(r.json['user']['name'], 'Rightful Owner')
        self.assertIs(r.json['user']['email_verified'], True)
        self.assertEqual(r.json['organization']['role'], 'member')
        self.assertProblem(self.me(squatter['token']), 401, 'unauthenticated')
        self.assertProblem(self.server.post('/v1/sessions', {'email': 'claimed@example.com', 'password': DEFAULT_PASSWORD}),
                           401, 'invalid_credentials')
        self.assertEqual(self.server.post('/v1/sessions', {'email': 'claimed@example.com',
                                                           'password': 'the real password'}).status, 201)
        names = [m['name'] for m in self.server.get(f'/v1/organizations/{org}/members?query=claimed', owner['token']).json['items']]
        self.assertEqual(names, ['Rightful Owner'])

    def test_verified_account_is_never_taken_over(self):
        owner = self.server.signup()
        user = self.server.signup(email='safe@example.com')
        self.server.verify_email('safe@example.com')
        self.age_account(user['user']['id'], 30)
        self.server.invite(owner['organization']['id'], owner['token'], 'safe@example.com')
        token = self.server.invitation_token('safe@example.com')
        self.assertTrue(self.server.get(f'/v1/invitations/{token}').json['account_exists'])
        self.assertProblem(self.server.post(f'/v1/invitations/{token}/setup', {'name': 'X', 'password': 'the real password'}),
                           409, 'account_exists')
        self.assertEqual(self.me(user['token']).status, 200)

    def test_reset_takes_over_an_unverified_account(self):
        squatter = self.server.signup(name='Mallory', email='reset.claim@example.com')
        self.server.post('/v1/password-resets', {'email': 'reset.claim@example.com'})
        token = self.server.mail_token('reset.claim@example.com', 'reset')
        r = self.server.post('/v1/password-resets/confirm', {'token': token, 'password': 'the real password'})
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.json['user']['email_verified'], True)
        self.assertProblem(self.me(squatter['token']), 401, 'unauthenticated')
        self.assertEqual(self.server.get('/v1/me/invitations', r.json['token']).status, 200)
        # The squatter's verification link went to the same inbox; it is dead now.
        verify = self.server.mail_token('reset.claim@example.com', 'verify')
        self.assertProblem(self.server.post('/v1/email-verifications', {'token': verify}), 404, 'token_not_found')


@unittest.skipIf(test_store() != 'sqlite',
                 "SQLite's own migration path: a version-1 quorum.db file (PostgreSQL databases start at version 7,"
                 " test_database.py migrates those)")
class MigrationTests(ServerTestCase):
    """A version 1 database: the demo account is verified, every other
    account is not (none ever proved its inbox)."""

    @classmethod
    def setUpClass(cls):
        cls.server = None

    @classmethod
    def tearDownClass(cls):
        pass

    def test_existing_accounts_after_upgrade(self):
        import tempfile
        data_dir = tempfile.mkdtemp(prefix='quorum-migration-')
        db = sqlite3.connect(os.path.join(data_dir, 'quorum.db'))
        with db:
            db.executescript(
                'CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE,'
                ' password_hash TEXT, created_at INTEGER NOT NULL);'
                'CREATE TABLE sessions (token_hash BLOB PRIMARY KEY, user_id TEXT NOT NULL, created_at INTEGER NOT NULL,'
                ' expires_at INTEGER NOT NULL) WITHOUT ROWID;'
                'CREATE TABLE organizations (id TEXT PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL UNIQUE,'
                ' logo_url TEXT, logo_type TEXT, logo_data BLOB, version INTEGER NOT NULL DEFAULT 1,'
                ' created_at INTEGER NOT NULL);'
                'CREATE TABLE members (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,'
                ' status TEXT NOT NULL, status_rank INTEGER NOT NULL, sort_name TEXT NOT NULL, search TEXT NOT NULL,'
                ' joined_at INTEGER NOT NULL, last_active_at INTEGER, UNIQUE (org_id, user_id));'
                'CREATE INDEX members_order ON members (org_id, status_rank, sort_name, id, role, search);'
                'CREATE TABLE invitations (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, email TEXT NOT NULL, role TEXT NOT NULL,'
                ' status TEXT NOT NULL, token_hash BLOB NOT NULL UNIQUE, invited_by TEXT NOT NULL,'
                ' created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, last_sent_at INTEGER NOT NULL,'
                ' send_count INTEGER NOT NULL DEFAULT 1);'
                'CREATE TABLE idempotency_keys (user_id TEXT NOT NULL, org_id TEXT NOT NULL, key TEXT NOT NULL,'
                ' body_hash BLOB NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL, created_at INTEGER NOT NULL,'
                ' PRIMARY KEY (user_id, org_id, key)) WITHOUT ROWID;'
                'CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;'
                "INSERT INTO users VALUES ('usr_ada', 'Ada', 'ada@demo.quorum.test', NULL, 1000);"
                "INSERT INTO users VALUES ('usr_old', 'Old', 'old@example.com', NULL, 1000);"
                'PRAGMA user_version = 1;')
        db.close()
        server = QuorumServer(data_dir=data_dir)
        try:
            db = sqlite3.connect(os.path.join(data_dir, 'quorum.db'))
            rows = dict(db.execute('SELECT id, email_verified FROM users'))
            version = db.execute('PRAGMA user_version').fetchone()[0]
            db.close()
            self.assertEqual(rows, {'usr_ada': 1, 'usr_old': 0})
            self.assertEqual(version, schema_version())
        finally:
            server.close()
            import shutil
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == '__main__':
    main()
