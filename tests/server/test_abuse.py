# SPDX-License-Identifier: GPL-3.0-or-later
"""Abuse of the server's own mail and time (issue 11, item 3): invitation
mail limits, sign-in lock-out, Argon2id off the main loop, purge of expired
rows, and checks that decide a write inside its transaction."""

import hashlib
import os
import threading
import time

from servertest import DEFAULT_PASSWORD, QuorumServer, ServerTestCase, main, parallel, poll_until, wait_until


class InvitationMailLimitTests(ServerTestCase):
    server_args = ('--org-invitation-rate-limit', '3', '--user-invitation-rate-limit', '5')

    def test_organization_limit_survives_revoke_and_resend(self):
        s = self.server.signup()
        org = s['organization']['id']
        invs = [self.server.invite(org, s['token'], f'org-limit-{i}@example.com') for i in range(3)]
        r = self.server.post(f'/v1/organizations/{org}/invitations', {'email': 'org-limit-x@example.com',
                                                                       'role': 'member'}, s['token'])
        self.assertProblem(r, 429, 'rate_limited')
        self.assertTrue(0 < int(r.headers['retry-after']) <= 3600, r.headers)
        # Resending is sending.
        r = self.server.post(f'/v1/organizations/{org}/invitations/{invs[0]["id"]}/resend', None, s['token'])
        self.assertProblem(r, 429, 'rate_limited')
        # Revoke and invite again: the e-mails were sent all the same.
        self.assertEqual(self.server.delete(f'/v1/organizations/{org}/invitations/{invs[1]["id"]}',
                                            token=s['token']).status, 204)
        r = self.server.post(f'/v1/organizations/{org}/invitations', {'email': 'org-limit-1@example.com',
                                                                       'role': 'member'}, s['token'])
        self.assertProblem(r, 429, 'rate_limited')
        self.assertEqual(len([m for m in self.server.outbox() if 'org-limit-' in m]), 3)

    def test_user_limit_across_organizations_and_deletion(self):
        s = self.server.signup()
        first = s['organization']
        for i in range(3):
            self.server.invite(first['id'], s['token'], f'user-limit-a{i}@example.com')
        second = self.server.post('/v1/organizations', {'name': 'Second'}, s['token']).json
        for i in range(2):
            self.server.invite(second['id'], s['token'], f'user-limit-b{i}@example.com')
        r = self.server.post(f'/v1/organizations/{second["id"]}/invitations',
                             {'email': 'user-limit-b9@example.com', 'role': 'member'}, s['token'])
        self.assertProblem(r, 429, 'rate_limited')
        # Deleting the organizations and starting a new one gives nothing back.
        for org in (first, second):
            self.assertEqual(self.server.delete(f'/v1/organizations/{org["id"]}', {'confirm_slug': org['slug']},
                                                s['token']).status, 204)
        third = self.server.post('/v1/organizations', {'name': 'Third'}, s['token']).json
        r = self.server.post(f'/v1/organizations/{third["id"]}/invitations',
                             {'email': 'user-limit-c@example.com', 'role': 'member'}, s['token'])
        self.assertProblem(r, 429, 'rate_limited')
        # Another admin of another organization is not affected.
        other = self.server.signup()
        self.server.invite(other['organization']['id'], other['token'], 'user-limit-c@example.com')

    def test_message_names_the_sender_and_warns(self):
        s = self.server.signup(name='Mallory Sender', email='mallory@example.com',
                               organization_name='Acme Bank Security')
        org = s['organization']
        self.server.invite(org['id'], s['token'], 'victim@example.com')
        text = [m for m in self.server.outbox() if 'To: <victim@example.com>' in m][-1]
        body = text.split('\n\n', 1)[1]
        for needle in ('Mallory Sender', 'mallory@example.com', 'Acme Bank Security', org['slug'],
                       "Quorum did not check the organization's name"):
            self.assertIn(needle, body)
        # The page behind the link says the same.
        token = self.server.invitation_token('victim@example.com')
        page = self.server.get(f'/invite/{token}').body.decode()
        for needle in ('Mallory Sender', 'Acme Bank Security', org['slug'],
                       "Quorum did not check the organization's name"):
            self.assertIn(needle, page)


class PendingInvitationCapTests(ServerTestCase):
    server_args = ('--pending-invitation-limit', '3')

    def test_pending_invitations_capped_per_organization(self):
        s = self.server.signup()
        org = s['organization']['id']
        invs = [self.server.invite(org, s['token'], f'cap-{i}@example.com') for i in range(3)]
        r = self.server.post(f'/v1/organizations/{org}/invitations', {'email': 'cap-x@example.com', 'role': 'member'},
                             s['token'])
        self.assertProblem(r, 409, 'too_many_pending_invitations')
        # Another organization has its own cap; a revoked invitation frees a place.
        other = self.server.signup()
        self.server.invite(other['organization']['id'], other['token'], 'cap-x@example.com')
        self.server.delete(f'/v1/organizations/{org}/invitations/{invs[0]["id"]}', token=s['token'])
        self.server.invite(org, s['token'], 'cap-x@example.com')


class SignInLockoutTests(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer('--signin-rate-limit', '3', '--signin-client-limit', '5',
                                  '--signin-backoff', '1', '--auth-rate-limit', '0', rate_limits=True)

    def signin(self, email, password, source):
        return self.server.post('/v1/sessions', {'email': email, 'password': password}, source=source)

    def test_stranger_cannot_lock_the_owner_out(self):
        self.server.signup(email='owner-lock@example.com')
        self.assertEqual(self.signin('owner-lock@example.com', DEFAULT_PASSWORD, '127.0.0.1').status, 201)
        for _ in range(3):
            self.assertProblem(self.signin('owner-lock@example.com', 'wrong guess', '127.0.0.2'),
                               401, 'invalid_credentials')
        # The stranger's address is held back, even with the right password...
        r = self.signin('owner-lock@example.com', DEFAULT_PASSWORD, '127.0.0.2')
        self.assertProblem(r, 429, 'rate_limited')
        self.assertIn('retry-after', r.headers)
        # ...the owner's own address and a new one are not.
        self.assertEqual(self.signin('owner-lock@example.com', DEFAULT_PASSWORD, '127.0.0.1').status, 201)
        self.assertEqual(self.signin('owner-lock@example.com', DEFAULT_PASSWORD, '127.0.0.3').status, 201)

    def test_client_limit_spares_accounts_it_signed_in_to(self):
        known = self.server.signup(email='known-client@example.com')['user']['email']
        unknown = self.server.signup(email='unknown-client@example.com')['user']['email']
        self.assertEqual(self.signin(known, DEFAULT_PASSWORD, '127.0.0.4').status, 201)
        # Five failures over five accounts from one address: the address backs off...
        for i in range(5):
            self.assertEqual(self.signin(f'nobody-{i}@example.com', 'guess', '127.0.0.4').status, 401)
        self.assertProblem(self.signin(unknown, DEFAULT_PASSWORD, '127.0.0.4'), 429, 'rate_limited')
        # ...but not for the account it signed in to before.
        self.assertEqual(self.signin(known, DEFAULT_PASSWORD, '127.0.0.4').status, 201)

    def test_back_off_doubles(self):
        self.server.signup(email='backoff@example.com')
        source = '127.0.0.5'
        for _ in range(3):
            self.assertEqual(self.signin('backoff@example.com', 'guess', source).status, 401)
        waits = []
        for step in range(3):
            r = self.signin('backoff@example.com', 'guess', source)
            self.assertProblem(r, 429, 'rate_limited')
            waits.append(int(r.headers['retry-after']))
            start = time.monotonic()
            wait_until(lambda: self.signin('backoff@example.com', 'guess', source).status != 429, 10,
                       'the back-off to end')
            waits[-1] = time.monotonic() - start
        # 1 s, then 2 s, then 4 s (whole seconds, measured from the failure).
        self.assertLess(waits[0], 1.5, waits)
        self.assertTrue(0.8 < waits[1] < 2.5, waits)
        self.assertTrue(2.8 < waits[2] < 4.5, waits)
        # The right password does not get through while blocked, and then does.
        self.assertProblem(self.signin('backoff@example.com', DEFAULT_PASSWORD, source), 429, 'rate_limited')

    def test_password_change_not_blockable_by_a_stranger(self):
        s = self.server.signup(email='changer@example.com')
        for _ in range(3):
            self.assertEqual(self.signin('changer@example.com', 'guess', '127.0.0.6').status, 401)
        self.assertEqual(self.signin('changer@example.com', DEFAULT_PASSWORD, '127.0.0.6').status, 429)
        r = self.server.post('/v1/me/password', {'current_password': DEFAULT_PASSWORD,
                                                 'new_password': 'new password 1'}, s['token'])
        self.assertEqual(r.status, 204, r)
        # Wrong current passwords count for the caller's own address only.
        for _ in range(3):
            r = self.server.post('/v1/me/password', {'current_password': 'guess', 'new_password': 'new password 2'},
                                 s['token'], source='127.0.0.7')
            self.assertFieldError(r, 'current_password', 'incorrect')
        r = self.server.post('/v1/me/password', {'current_password': 'new password 1',
                                                 'new_password': 'new password 2'}, s['token'], source='127.0.0.7')
        self.assertProblem(r, 429, 'rate_limited')
        self.assertEqual(self.signin('changer@example.com', 'new password 1', '127.0.0.8').status, 201)


class PasswordPoolTests(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer(hash_cost='interactive')

    def test_eight_sign_ins_at_once_all_answer(self):
        s = self.server.signup(email='pool@example.com')
        self.assertIsNotNone(s)
        results = parallel(*[lambda i=i: self.server.post('/v1/sessions', {
            'email': 'pool@example.com', 'password': DEFAULT_PASSWORD if i % 2 else 'wrong password'})
            for i in range(8)])
        self.assertEqual(sorted(r.status for r in results), [201] * 4 + [401] * 4)

    def test_weaker_hash_upgraded_on_sign_in(self):
        weak = QuorumServer(hash_cost='min')
        try:
            weak.signup(email='upgrade@example.com')
            weak.stop()
            stored = "SELECT password_hash FROM users WHERE email = 'upgrade@example.com'"
            before = weak.query(stored)[0][0]
            self.assertIn('$m=8,t=1,', before)
            strong = QuorumServer(hash_cost='interactive', database_of=weak)
            try:
                self.assertEqual(strong.post('/v1/sessions', {'email': 'upgrade@example.com',
                                                              'password': DEFAULT_PASSWORD}).status, 201)
                after = strong.query(stored)[0][0]
                self.assertIn('$m=65536,t=2,', after)
                # The new hash works.
                self.assertEqual(strong.post('/v1/sessions', {'email': 'upgrade@example.com',
                                                              'password': DEFAULT_PASSWORD}).status, 201)
            finally:
                strong.close()
        finally:
            weak.close()


class PasswordOffMainLoopTests(ServerTestCase):
    """No timing ratio (those flake on a loaded machine): an order of events
    that only a hash off the main loop can produce."""

    @classmethod
    def setUpClass(cls):
        # The moderate cost takes most of a second per hash: a wide window.
        cls.server = QuorumServer(hash_cost='moderate')

    def test_health_answers_while_a_sign_in_hashes(self):
        s = self.server.signup(email='slow-hash@example.com')
        self.assertIsNotNone(s)
        sign_in_done = threading.Event()
        answered_during = []
        sign_in_status = []

        def sign_in():
            r = self.server.post('/v1/sessions', {'email': 'slow-hash@example.com', 'password': DEFAULT_PASSWORD})
            sign_in_status.append(r.status)
            sign_in_done.set()

        signer = threading.Thread(target=sign_in)
        signer.start()
        # Leave the server time to read the request and start hashing; a
        # /health sent after that can only be answered before the sign-in
        # when the hash runs in the pool.
        time.sleep(0.05)
        while not sign_in_done.is_set():
            status = self.server.get('/health').status
            if not sign_in_done.is_set():
                answered_during.append(status)
        signer.join()
        self.assertEqual(sign_in_status, [201])
        # On the main loop the hash holds every /health until it ends: at
        # most one answer races the sign-in's. In the pool, dozens.
        self.assertGreaterEqual(len(answered_during), 2, answered_during)
        self.assertEqual(set(answered_during), {200})


class PurgeTests(ServerTestCase):
    server_args = ('--purge-interval', '1')

    def test_expired_rows_purged_on_a_timer(self):
        s = self.server.signup()
        org = s['organization']['id']
        old_session = self.server.post('/v1/sessions', {'email': s['user']['email'],
                                                        'password': DEFAULT_PASSWORD}).json['token']
        inv = self.server.post(f'/v1/organizations/{org}/invitations', {'email': 'purge@example.com', 'role': 'member'},
                               s['token'], headers={'Idempotency-Key': 'purge-key'}).json
        recent = self.server.invite(org, s['token'], 'recent@example.com')
        now = int(time.time())
        server = self.server
        # Expired, used, and usable e-mail tokens (a usable one's hash is
        # the single byte 00).
        for token_hash, created, expires, used in ((os.urandom(32), now - 90000, now - 3600, None),
                                                   (os.urandom(32), now, now + 3600, now),
                                                   (b'\x00', now, now + 3600, None)):
            server.execute('INSERT INTO email_tokens (kind, user_id, token_hash, created_at, expires_at, used_at)'
                           ' VALUES (?, ?, ?, ?, ?, ?)', ('verify', s['user']['id'], token_hash, created, expires, used))
        server.execute('UPDATE sessions SET expires_at = ? WHERE token_hash = ?',
                       (now - 1, hashlib.sha256(old_session.encode()).digest()))
        server.execute('UPDATE idempotency_keys SET created_at = ?', (now - 25 * 3600,))
        server.execute('UPDATE invitations SET expires_at = ? WHERE id = ?', (now - 31 * 86400, inv['id']))

        def counts():
            return (server.query('SELECT COUNT(*) FROM sessions WHERE user_id = ?', (s['user']['id'],))[0][0],
                    server.query('SELECT COUNT(*) FROM idempotency_keys')[0][0],
                    server.query('SELECT length(token_hash) FROM invitations WHERE id = ?', (inv['id'],))[0][0],
                    server.query('SELECT COUNT(*) FROM email_tokens WHERE expires_at <= ? OR used_at IS NOT NULL',
                                 (now,))[0][0]
                    + 1 - server.query('SELECT COUNT(*) FROM email_tokens WHERE token_hash = ?', (b'\x00',))[0][0])
        poll_until(lambda: counts() == (1, 0, 16, 0), 10, interval=0.2)
        # One session left, no old key, a dead token hash, only usable e-mail tokens left.
        self.assertEqual(counts(), (1, 0, 16, 0))
        # The history row stays; its link is dead; the newer one still works.
        self.assertEqual(server.query('SELECT status FROM invitations WHERE id = ?', (inv['id'],))[0][0], 'pending')
        self.assertEqual(self.server.get('/v1/me', s['token']).status, 200)
        self.assertEqual(self.server.get('/v1/me', old_session).status, 401)
        self.assertEqual(self.server.get(f'/v1/invitations/{self.server.invitation_token("purge@example.com")}').status,
                         404)
        self.assertEqual(self.server.get(f'/v1/invitations/{self.server.invitation_token("recent@example.com")}').status,
                         200)
        self.assertEqual(recent['status'], 'pending')
        self.server.wait_for_log('purge: ')


class RaceTests(ServerTestCase):
    """Two requests at once: the check that decides runs inside the writing
    transaction, so exactly one of them wins."""

    @classmethod
    def setUpClass(cls):
        # Real hashing cost keeps the set-up and sign-up windows open.
        cls.server = QuorumServer(hash_cost='interactive')

    def test_two_transfers_leave_one_owner(self):
        s = self.server.signup()
        org = s['organization']['id']
        _, a = self.server.add_member(org, s['token'])
        _, b = self.server.add_member(org, s['token'])
        results = parallel(
            lambda: self.server.post(f'/v1/organizations/{org}/transfer-ownership', {'member_id': a['id']}, s['token']),
            lambda: self.server.post(f'/v1/organizations/{org}/transfer-ownership', {'member_id': b['id']}, s['token']))
        self.assertEqual(sorted(r.status for r in results), [200, 403], results)
        members = self.server.all_items(f'/v1/organizations/{org}/members', s['token'])
        self.assertEqual(len([m for m in members if m['role'] == 'owner']), 1)

    def test_two_accepts_of_one_invitation(self):
        s = self.server.signup()
        org = s['organization']['id']
        invitee = self.server.signup(email='accept-race@example.com')
        self.server.invite(org, s['token'], 'accept-race@example.com')
        token = self.server.invitation_token('accept-race@example.com')
        results = parallel(
            lambda: self.server.post(f'/v1/invitations/{token}/accept', None, invitee['token']),
            lambda: self.server.post(f'/v1/invitations/{token}/accept', None, invitee['token']))
        self.assertEqual(sorted(r.status for r in results), [200, 410], results)

    def test_two_set_ups_of_one_invitation(self):
        s = self.server.signup()
        org = s['organization']['id']
        self.server.invite(org, s['token'], 'setup-race@example.com')
        token = self.server.invitation_token('setup-race@example.com')
        results = parallel(*[
            lambda: self.server.post(f'/v1/invitations/{token}/setup', {'name': 'Racer', 'password': DEFAULT_PASSWORD})
            for _ in range(2)])
        self.assertEqual(sorted(r.status for r in results), [201, 410], results)
        self.assertEqual(results[0].code if results[0].status == 410 else results[1].code, 'invitation_used')

    def test_two_reset_confirmations_of_one_token(self):
        self.server.signup(email='reset-race@example.com')
        self.assertEqual(self.server.post('/v1/password-resets', {'email': 'reset-race@example.com'}).status, 202)
        token = self.server.mail_token('reset-race@example.com', 'reset')
        results = parallel(*[
            lambda p=p: self.server.post('/v1/password-resets/confirm', {'token': token, 'password': p})
            for p in ('first new password', 'second new password')])
        self.assertEqual(sorted(r.status for r in results), [200, 404], results)
        winner = 'first new password' if results[0].status == 200 else 'second new password'
        self.assertEqual(self.server.post('/v1/sessions', {'email': 'reset-race@example.com',
                                                           'password': winner}).status, 201)

    def test_two_sign_ups_of_one_address(self):
        results = parallel(*[
            lambda: self.server.post('/v1/users', {'name': 'Twin', 'email': 'twin@example.com',
                                                   'password': DEFAULT_PASSWORD})
            for _ in range(2)])
        self.assertEqual(sorted(r.status for r in results), [201, 409], results)


if __name__ == '__main__':
    main()
