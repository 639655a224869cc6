# SPDX-License-Identifier: GPL-3.0-or-later
"""Concurrency, kill -9 during a write burst, graceful SIGTERM."""

import os
import sqlite3
import threading

from servertest import QuorumServer, ServerTestCase, main, poll_until, wait_until


def integrity(server):
    """'ok' when the server's database is whole: SQLite's integrity check;
    on PostgreSQL amcheck's on every B-tree index of its tables (the
    indexes agree with the rows)."""
    if server.pg_database is None:
        db = sqlite3.connect(os.path.join(server.data_dir, 'quorum.db'), timeout=10)
        try:
            return db.execute('PRAGMA integrity_check').fetchone()[0]
        finally:
            db.close()
    server.execute('CREATE EXTENSION IF NOT EXISTS amcheck')
    indexes = server.query("SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                           " JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace"
                           " WHERE a.amname = 'btree' AND n.nspname = 'public'")
    assert len(indexes) > 10, indexes
    for (name,) in indexes:
        server.query('SELECT bt_index_parent_check (?::regclass, true)', (name,))
    return 'ok'


def database_closed(server):
    """The stopped server left its database closed: on SQLite the WAL was
    checkpointed and removed; on PostgreSQL no session of it is left."""
    if server.pg_database is None:
        return not os.path.exists(os.path.join(server.data_dir, 'quorum.db-wal'))
    return server.query("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND pid <> pg_backend_pid ()") == [(0,)]


class ConcurrencyTests(ServerTestCase):
    def test_parallel_invitations_and_role_changes_lose_nothing(self):
        s = self.server
        owner = s.signup()
        org, token = owner['organization']['id'], owner['token']
        admin_token, _ = s.add_member(org, token, role='admin')
        members = [s.add_member(org, token)[1] for _ in range(8)]
        clients = 6
        per_client = 15
        results = [[] for _ in range(clients)]
        errors = []

        def client(n):
            try:
                actor = token if n % 2 == 0 else admin_token
                for i in range(per_client):
                    r = s.post(f'/v1/organizations/{org}/invitations',
                               {'email': f'c{n}-{i}@parallel.example', 'role': 'member'}, actor)
                    results[n].append(r.status)
                    m = members[(n + i) % len(members)]
                    r = s.patch(f"/v1/organizations/{org}/members/{m['id']}",
                                {'role': 'admin' if (n + i) % 2 else 'member'}, actor)
                    results[n].append(r.status)
            except Exception as e:  # noqa: BLE001
                errors.append(e)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(errors, [])
        for statuses in results:
            self.assertEqual(statuses, [201, 200] * per_client)
        emails = {i['email'] for i in s.all_items(f'/v1/organizations/{org}/invitations?status=pending', token)}
        expected = {f'c{n}-{i}@parallel.example' for n in range(clients) for i in range(per_client)}
        self.assertEqual(emails, expected)
        self.assertEqual(len([t for t in s.outbox() if '/invite/' in t]), len(expected) + 9)
        # the same address from many clients at once: exactly one wins
        statuses = []
        lock = threading.Lock()

        def race():
            r = s.post(f'/v1/organizations/{org}/invitations', {'email': 'race@parallel.example', 'role': 'member'}, token)
            with lock:
                statuses.append(r.status)
        threads = [threading.Thread(target=race) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(sorted(statuses), [201] + [409] * 7)


class CrashTests(ServerTestCase):
    def test_kill_9_during_write_burst(self):
        s = self.server
        owner = s.signup()
        org, token = owner['organization']['id'], owner['token']
        acknowledged = []
        lock = threading.Lock()
        stop = threading.Event()

        def writer(n):
            i = 0
            while not stop.is_set():
                email = f'w{n}-{i}@crash.example'
                try:
                    r = s.post(f'/v1/organizations/{org}/invitations', {'email': email, 'role': 'member'}, token,
                               timeout=5)
                except OSError:
                    return  # the server died under us
                if r.status == 201:
                    with lock:
                        acknowledged.append(email)
                i += 1

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        poll_until(lambda: len(acknowledged) >= 60, 20, interval=0.01)
        s.kill()
        stop.set()
        for t in threads:
            t.join(10)
        self.assertGreaterEqual(len(acknowledged), 60)

        s.start()
        self.assertEqual(s.get('/health').status, 200)
        stored = {i['email'] for i in s.all_items(f'/v1/organizations/{org}/invitations', token)}
        missing = [e for e in acknowledged if e not in stored]
        self.assertEqual(missing, [])
        self.assertEqual(integrity(s), 'ok')
        # and it takes writes again
        self.assertEqual(s.post(f'/v1/organizations/{org}/invitations', {'email': 'after@crash.example', 'role': 'member'},
                                token).status, 201)


class ShutdownTests(ServerTestCase):
    def test_sigterm_finishes_requests_and_closes_database(self):
        server = QuorumServer()
        try:
            owner = server.signup()
            org, token = owner['organization']['id'], owner['token']
            outcomes = []
            lock = threading.Lock()

            def writer(n):
                for i in range(200):
                    try:
                        r = server.post(f'/v1/organizations/{org}/invitations',
                                        {'email': f't{n}-{i}@term.example', 'role': 'member'}, token, timeout=10)
                    except OSError:
                        return
                    with lock:
                        outcomes.append((r.status, f't{n}-{i}@term.example'))
                    if r.status == 503:
                        return

            threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
            for t in threads:
                t.start()
            # No deadline of its own: the test's time-out in meson.build.
            wait_until(lambda: len(outcomes) >= 20, 120, 'twenty answers to the writers', interval=0.01)
            status = server.stop()
            for t in threads:
                t.join(20)
            self.assertEqual(status, 0, server.log())
            self.assertIn('shutting down', server.log())
            # every answered request got a whole answer: created or refused while stopping
            self.assertTrue(all(code in (201, 503) for code, _ in outcomes), outcomes)
            # the database was closed cleanly
            wait_until(lambda: database_closed(server), 10, 'the database closed')  # a backend ends soon after
            self.assertEqual(integrity(server), 'ok')
            created = [e for code, e in outcomes if code == 201]
            server.start()
            stored = {i['email'] for i in server.all_items(f'/v1/organizations/{org}/invitations', token)}
            self.assertTrue(set(created) <= stored)
        finally:
            server.close()


class DemoTests(ServerTestCase):
    server_args = ('--demo', '--demo-members', '40')

    def check_demo(self):
        s = self.server
        r = s.post('/v1/sessions', {'email': 'ada@demo.quorum.test', 'password': 'quorum-demo'})
        self.assertEqual(r.status, 201, r)
        token = r.json['token']
        orgs = {o['name']: o for o in s.get('/v1/organizations', token).json['items']}
        self.assertEqual({n: o['role'] for n, o in orgs.items()},
                         {'Acme Robotics': 'owner', 'Globex': 'admin', 'Initech': 'member'})
        acme = orgs['Acme Robotics']['id']
        self.assertEqual(s.get(f'/v1/organizations/{acme}/members?status=active', token).json['total'], 41)
        self.assertEqual(s.get(f'/v1/organizations/{acme}/members?status=suspended', token).json['total'], 10)
        self.assertEqual(s.get(f'/v1/organizations/{acme}/invitations?status=pending', token).json['total'], 5)
        members = s.get(f'/v1/organizations/{acme}/members?limit=200', token).json['items']
        self.assertEqual(len({m['email'] for m in members}), len(members))
        self.assertTrue(all(' ' in m['name'] and '@' in m['email'] for m in members))
        # demo members other than ada cannot sign in
        other = [m for m in members if m['email'] != 'ada@demo.quorum.test'][0]
        self.assertEqual(s.post('/v1/sessions', {'email': other['email'], 'password': 'quorum-demo'}).status, 401)

    def test_demo_seed_is_idempotent(self):
        self.check_demo()
        self.server.restart()
        self.check_demo()


if __name__ == '__main__':
    main()
