# SPDX-License-Identifier: GPL-3.0-or-later
"""Rate limits and sign-in back-offs live in the database (issue 17): every
instance on one database counts together, a restart forgets nothing, each
kind of counter holds a bounded number of keys, the purge deletes expired
counters; /health answers 503 while the database cannot be reached."""

import shutil
import tempfile
import unittest

from servertest import (DEFAULT_PASSWORD, QuorumServer, ServerTestCase, main, parallel, run_server_command, test_store,
                        wait_until)
import quorum_postgres  # after servertest, which puts tests/common on the path


def sign_in(server, email, password='wrong guess', source=None):
    return server.post('/v1/sessions', {'email': email, 'password': password}, source=source)


class OptionTests(unittest.TestCase):
    def test_limits_have_a_size(self):
        """An invitation window keeps one time per e-mail: its limit is
        capped; the hidden key cap too."""
        data_dir = tempfile.mkdtemp(prefix='quorum-limits-test-')
        self.addCleanup(shutil.rmtree, data_dir, True)
        for args in (['--org-invitation-rate-limit', '10001'], ['--user-invitation-rate-limit', '10001'],
                     ['--limit-keys', '0'], ['--limit-keys', '1000001']):
            with self.subTest(args=args):
                r = run_server_command('--port', '0', '--data-dir', data_dir, *args)
                self.assertEqual(r.returncode, 2, r)
                self.assertIn('must be at most 10000, --limit-keys 1-1000000', r.stderr)


class RestartTests(ServerTestCase):
    """A restart used to forget every count (they were in memory)."""

    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer('--signin-rate-limit', '3', '--signin-client-limit', '0',
                                  '--signin-backoff', '600', '--auth-rate-limit', '5', rate_limits=True)

    def test_back_off_and_windows_survive_a_restart(self):
        self.server.signup(email='restart@example.com')
        for _ in range(3):
            self.assertEqual(sign_in(self.server, 'restart@example.com', source='127.0.1.1').status, 401)
        before = sign_in(self.server, 'restart@example.com', DEFAULT_PASSWORD, source='127.0.1.1')
        self.assertProblem(before, 429, 'rate_limited')
        # Another address's auth window: 4 of its 5 used.
        for i in range(4):
            self.assertEqual(sign_in(self.server, f'nobody-{i}@example.com', source='127.0.1.2').status, 401)

        self.server.restart()
        after = sign_in(self.server, 'restart@example.com', DEFAULT_PASSWORD, source='127.0.1.1')
        self.assertProblem(after, 429, 'rate_limited')
        self.assertLessEqual(int(after.headers['retry-after']), int(before.headers['retry-after']))
        self.assertGreater(int(after.headers['retry-after']), 500)
        self.assertEqual(sign_in(self.server, 'nobody-4@example.com', source='127.0.1.2').status, 401)
        r = sign_in(self.server, 'nobody-5@example.com', source='127.0.1.2')
        self.assertProblem(r, 429, 'rate_limited')
        self.assertLessEqual(int(r.headers['retry-after']), 60)
        # The owner's address is not held back.
        self.assertEqual(sign_in(self.server, 'restart@example.com', DEFAULT_PASSWORD, source='127.0.1.3').status,
                         201)


class KeyCapTests(ServerTestCase):
    """A hostile client cannot grow a counter table without bound: past
    --limit-keys live keys of a kind a new key is refused (429), the keys
    already counted go on counting."""

    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer('--limit-keys', '3', '--signin-rate-limit', '10', '--signin-client-limit', '0',
                                  '--auth-rate-limit', '0', rate_limits=True)

    def kinds(self):
        return dict(self.server.query('SELECT kind, COUNT(*) FROM rate_limits GROUP BY kind'))

    def test_new_keys_refused_past_the_cap(self):
        source = '127.0.2.1'
        for i in range(3):
            self.assertEqual(sign_in(self.server, f'cap-{i}@example.com', source=source).status, 401)
        for i in range(3, 12):
            r = sign_in(self.server, f'cap-{i}@example.com', source=source)
            self.assertProblem(r, 429, 'rate_limited')
            self.assertIn('retry-after', r.headers)
        self.assertEqual(self.kinds().get('signin_pair'), 3)
        # The keys already there still count.
        self.assertEqual(sign_in(self.server, 'cap-0@example.com', source=source).status, 401)
        self.assertEqual(self.server.query("SELECT hits FROM rate_limits WHERE kind = 'signin_pair' AND key = ?",
                                           (f'{source}\ncap-0@example.com',)), [(2,)])

class TrustCapTests(ServerTestCase):
    """Past --limit-keys trusted (address, account) pairs the oldest are
    forgotten, not the new one refused."""

    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer('--limit-keys', '3', '--signin-rate-limit', '0', '--signin-client-limit', '0',
                                  '--auth-rate-limit', '0', rate_limits=True)

    def test_trusted_pairs_keep_the_newest(self):
        emails = [self.server.signup(email=f'trusted-{i}@example.com')['user']['email'] for i in range(5)]
        for email in emails:
            # Each earlier mark older than the next (marks are in whole seconds).
            self.server.execute("UPDATE rate_limits SET expires_at = expires_at - 10 WHERE kind = 'signin_trusted'")
            self.assertEqual(sign_in(self.server, email, DEFAULT_PASSWORD, source='127.0.2.2').status, 201)
        # (The address and the e-mail address: psql's rows cannot hold the newline between them.)
        keys = self.server.query("SELECT substr (key, 1, 9), substr (key, 11) FROM rate_limits"
                                 " WHERE kind = 'signin_trusted' ORDER BY key")
        self.assertEqual(keys, [('127.0.2.2', e) for e in emails[-3:]])


class PurgeTests(ServerTestCase):
    server_args = ('--purge-interval', '1', '--auth-rate-limit', '50')

    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer(*cls.server_args, rate_limits=True)

    def test_expired_counters_are_purged(self):
        self.assertEqual(sign_in(self.server, 'purged@example.com', source='127.0.3.1').status, 401)
        self.assertEqual(sign_in(self.server, 'purged@example.com', source='127.0.3.2').status, 401)
        key = ('auth', '127.0.3.1')
        self.assertEqual(len(self.server.query('SELECT 1 FROM rate_limits WHERE kind = ? AND key = ?', key)), 1)
        # One counter past its expiry, the other not.
        self.server.execute('UPDATE rate_limits SET since = 0, expires_at = 60 WHERE kind = ? AND key = ?', key)
        wait_until(lambda: not self.server.query('SELECT 1 FROM rate_limits WHERE kind = ? AND key = ?', key), 30,
                   'the purge to delete the expired counter')
        self.assertEqual(len(self.server.query("SELECT 1 FROM rate_limits WHERE kind = 'auth' AND key = '127.0.3.2'")),
                         1)
        self.server.wait_for_log('purge: 1 rate-limit counters')


@unittest.skipIf(quorum_postgres.available(), quorum_postgres.available())
@unittest.skipIf(test_store() == 'postgresql', 'on PostgreSQL whatever the store: runs in server-limits')
class InstanceTests(unittest.TestCase):
    """Two instances on one PostgreSQL database (of the test process's
    throw-away cluster, whatever QUORUM_TEST_STORE says) count as one."""

    assertProblem = ServerTestCase.assertProblem

    def setUp(self):
        cluster = quorum_postgres.cluster()
        self.database = cluster.create_database()
        self.addCleanup(cluster.drop_database, self.database)
        self.url = cluster.url(self.database)

    def instances(self, *args):
        servers = []
        for _ in range(2):
            server = QuorumServer(*args, '--database', self.url, rate_limits=True)
            self.addCleanup(server.close)
            servers.append(server)
        return servers

    def test_failed_sign_ins_count_together(self):
        a, b = self.instances('--signin-rate-limit', '4', '--signin-client-limit', '6', '--signin-backoff', '600',
                              '--auth-rate-limit', '0')
        a.signup(email='shared@example.com')
        # The pair: four failures, alternating instances, and both hold it back.
        for i in range(4):
            self.assertEqual(sign_in((a, b)[i % 2], 'shared@example.com', source='127.0.4.1').status, 401)
        for server in (a, b):
            self.assertProblem(sign_in(server, 'shared@example.com', DEFAULT_PASSWORD, source='127.0.4.1'),
                               429, 'rate_limited')
        # The client over all accounts: six failures over six accounts.
        for i in range(6):
            self.assertEqual(sign_in((b, a)[i % 2], f'nobody-{i}@example.com', source='127.0.4.2').status, 401)
        for server in (a, b):
            self.assertProblem(sign_in(server, 'shared@example.com', DEFAULT_PASSWORD, source='127.0.4.2'),
                               429, 'rate_limited')
        # A success on one instance takes its attempt back and trusts the
        # address on the other.
        self.assertEqual(sign_in(b, 'shared@example.com', DEFAULT_PASSWORD, source='127.0.4.3').status, 201)
        for i in range(6):
            self.assertEqual(sign_in((a, b)[i % 2], f'other-{i}@example.com', source='127.0.4.3').status, 401)
        self.assertProblem(sign_in(b, 'other-9@example.com', source='127.0.4.3'), 429, 'rate_limited')
        self.assertEqual(sign_in(a, 'shared@example.com', DEFAULT_PASSWORD, source='127.0.4.3').status, 201)

    def test_parallel_failures_through_both_count_exactly(self):
        """Sixteen wrong sign-ins at once, half through each instance: the
        counter lets exactly the limit through, whichever instance counts."""
        a, b = self.instances('--signin-rate-limit', '5', '--signin-client-limit', '7', '--signin-backoff', '600',
                              '--auth-rate-limit', '0')
        statuses = parallel(*[lambda s=(a, b)[i % 2]: sign_in(s, 'racer@example.com', source='127.0.5.1').status
                              for i in range(16)])
        self.assertEqual(sorted(statuses), [401] * 5 + [429] * 11)
        # The address over all accounts: seven.
        statuses = parallel(*[lambda s=(a, b)[i % 2], i=i: sign_in(s, f'racer-{i}@example.com',
                                                                     source='127.0.5.2').status
                              for i in range(16)])
        self.assertEqual(sorted(statuses), [401] * 7 + [429] * 9)

    def test_auth_rate_limit_is_shared(self):
        a, b = self.instances('--auth-rate-limit', '6', '--signin-rate-limit', '0', '--signin-client-limit', '0')
        for i in range(6):
            self.assertEqual(sign_in((a, b)[i % 2], 'anyone@example.com', source='127.0.6.1').status, 401)
        for server in (a, b):
            r = server.post('/v1/users', {'name': 'Late', 'email': 'late@example.com', 'password': DEFAULT_PASSWORD},
                            source='127.0.6.1')
            self.assertProblem(r, 429, 'rate_limited')
            self.assertTrue(0 < int(r.headers['retry-after']) <= 60, r.headers)
        self.assertEqual(sign_in(b, 'anyone@example.com', source='127.0.6.2').status, 401)

    def test_mail_limit_is_shared(self):
        """Five password-reset e-mails per address asked for per hour, over
        both instances."""
        a, b = self.instances('--auth-rate-limit', '0')
        for i in range(5):
            self.assertEqual((a, b)[i % 2].post('/v1/password-resets', {'email': 'mailed@example.com'}).status, 202)
        for server in (a, b):
            r = server.post('/v1/password-resets', {'email': 'mailed@example.com'})
            self.assertProblem(r, 429, 'rate_limited')
            self.assertTrue(0 < int(r.headers['retry-after']) <= 3600, r.headers)

    def test_invitation_rate_limit_is_shared(self):
        a, b = self.instances('--org-invitation-rate-limit', '3', '--user-invitation-rate-limit', '100',
                              '--auth-rate-limit', '0')
        owner = a.signup()
        org, token = owner['organization']['id'], owner['token']
        for i in range(3):
            (b, a)[i % 2].invite(org, token, f'shared-invite-{i}@example.com')
        for server in (a, b):
            r = server.post(f'/v1/organizations/{org}/invitations', {'email': 'over@example.com', 'role': 'member'},
                            token)
            self.assertProblem(r, 429, 'rate_limited')
        # At once through both: exactly the limit is sent.
        other = b.signup()
        org, token = other['organization']['id'], other['token']
        statuses = parallel(*[lambda s=(a, b)[i % 2], i=i: s.post(f'/v1/organizations/{org}/invitations',
                                                                  {'email': f'race-{i}@example.com',
                                                                   'role': 'member'}, token).status
                              for i in range(10)])
        self.assertEqual(sorted(statuses), [201] * 3 + [429] * 7)
        self.assertEqual(len([m for server in (a, b) for m in server.outbox() if 'race-' in m]), 3)


@unittest.skipIf(quorum_postgres.available(), quorum_postgres.available())
@unittest.skipIf(test_store() == 'postgresql', 'on PostgreSQL whatever the store: runs in server-limits')
class HealthTests(unittest.TestCase):
    """GET /health asks the database: 503 while it cannot be reached, 200
    again once the backend has connected anew."""
    assertProblem = ServerTestCase.assertProblem

    def test_health_follows_the_database(self):
        cluster = quorum_postgres.cluster()
        database = cluster.create_database()
        self.addCleanup(cluster.drop_database, database)
        server = QuorumServer('--database', cluster.url(database))
        self.addCleanup(server.close)
        self.assertEqual(server.get('/health').status, 200)

        def allow(flag):
            cluster.psql(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {flag}')
        self.addCleanup(allow, 'true')
        allow('false')
        cluster.psql(f"SELECT pg_terminate_backend (pid) FROM pg_stat_activity WHERE datname = '{database}'")
        for _ in range(2):
            r = server.get('/health')
            self.assertProblem(r, 503, 'database_unavailable')
        allow('true')
        r = server.get('/health')
        self.assertEqual((r.status, r.json['status']), (200, 'ok'), r)
        self.assertIn('connection to PostgreSQL', server.log())


if __name__ == '__main__':
    main()
