#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""quorum-server --migrate-from-sqlite FILE --database postgresql://…: an
SQLite install (stopped, or still running and writing) copied into an empty
PostgreSQL database of the throw-away cluster (tests/common/quorum_postgres.py),
then served from there: old passwords, sessions and API keys work, members,
billing, the ledger and the audit log read the same, new rows follow the
copied ones. Refusals: a non-empty target, a source or target at another
schema version, bad URLs. A copy damaged before its verification (the hidden
--migrate-test-tamper) is caught and nothing is committed."""

import datetime
import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import unittest
import urllib.parse

from servertest import DEFAULT_PASSWORD, QuorumServer, WebhookReceiver, closed_port, create_api_key, main, png, \
    run_server_command, schema_version, wait_until
import quorum_postgres

BINARY = os.environ.get('QUORUM_SERVER_BINARY', 'quorum-server')
PG_PASSWORD = 'Migr4te-never-shown'
WEBHOOK_ARGS = ('--allow-insecure-webhooks', '--webhook-retry-scale', '0.0001', '--webhook-timeout', '2')


def run(*args):
    """quorum-server with args, to its end: (exit status, stdout, stderr)."""
    result = run_server_command(*args, timeout=120)
    return result.returncode, result.stdout, result.stderr


def summary(stdout):
    """The per-table lines of a migration's output: {table: (rows, sha256, verdict)}."""
    tables = {}
    for line in stdout.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[1].isdigit() and fields[3] in ('ok', 'source'):
            tables[fields[0]] = (int(fields[1]), fields[2], fields[3])
    return tables


def without_activity(value):
    """value without the two columns written while reading (a member's
    last activity, a key's last use): they move on their own within 5
    minutes, and the copy's hashes check them anyway."""
    if isinstance(value, dict):
        return {k: without_activity(v) for k, v in value.items() if k not in ('last_active_at', 'last_used_at')}
    if isinstance(value, list):
        return [without_activity(v) for v in value]
    return value


class MigrationCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        reason = quorum_postgres.available()
        if reason:
            raise unittest.SkipTest(reason)
        cls.cluster = quorum_postgres.cluster()

    def data_dir(self):
        path = tempfile.mkdtemp(prefix='quorum-migrate-test-')
        self.addCleanup(shutil.rmtree, path, True)
        return path

    def sqlite_server(self, data_dir, *args):
        """A server on SQLite in data_dir (whatever QUORUM_TEST_STORE says)."""
        server = QuorumServer('--database', os.path.join(data_dir, 'quorum.db'), *args, data_dir=data_dir)
        self.addCleanup(server.close)
        return server

    def target(self):
        """A new, empty database: (its name, its URL with a password)."""
        name = self.cluster.create_database()
        self.addCleanup(self.cluster.drop_database, name)
        return name, self.cluster.url(name, password=PG_PASSWORD)

    def migrate(self, source, url, *extra):
        status, out, err = run('--migrate-from-sqlite', source, '--database', url, *extra)
        self.assertNotIn(PG_PASSWORD, out + err)
        return status, out, err

    def pg_count(self, database, table):
        return self.cluster.query(database, f'SELECT count(*) FROM {table}')[0][0]


def fill(server, receiver):
    """An install with a bit of everything: an owner with an organization,
    a logo, a member set up from an invitation, a pending invitation, an API
    key, a webhook with a delivered ping, a top-up, recorded usage and the
    audit records of all that. Returns what the checks need."""
    owner = server.signup(name='Olga Owner', email='olga@migrate.example', organization_name='Migrators')
    org, token = owner['organization']['id'], owner['token']
    server.verify_email('olga@migrate.example')
    o = f'/v1/organizations/{org}'
    r = server.request('PUT', f'{o}/logo', raw=png(128), token=token, content_type='image/png')
    assert r.status == 200, r
    member_token, member = server.add_member(org, token, role='admin', name='Mia Member',
                                             email='mia@migrate.example')
    server.invite(org, token, 'pending@migrate.example')
    key = create_api_key(server, org, token, name='Migration key')
    r = server.post(f'{o}/webhooks', {'url': receiver.url, 'events': ['billing.low_balance']}, token)
    assert r.status == 201, r
    webhook = r.json
    r = server.post(f"{o}/webhooks/{webhook['id']}/test", None, token)
    assert r.status == 202, r
    wait_until(lambda: all(d['status'] == 'succeeded' for d in
                           server.all_items(f"{o}/webhooks/{webhook['id']}/deliveries", token)) or None,
               30, 'the ping delivered')
    r = server.post(f'{o}/billing/top-ups', {'amount_cents': 2500}, token)
    assert r.status == 201, r
    server.record_usage(f"{member['id']},{datetime.date.today().isoformat()},1200,7")
    return {'org': org, 'token': token, 'member_token': member_token, 'key': key['secret'],
            'webhook': webhook}


def state(server, info):
    """What the API says about the install, read as its owner."""
    o = f"/v1/organizations/{info['org']}"
    t = info['token']
    today = datetime.date.today()
    first = (today - datetime.timedelta(days=29)).isoformat()
    out = {}
    for name, path in (('me', '/v1/me'), ('org', o), ('billing', f'{o}/billing'),
                       ('usage', f'{o}/usage?group_by=member&from={first}&to={today.isoformat()}')):
        r = server.get(path, t)
        assert r.status == 200, (path, r)
        out[name] = r.json
    for name, path in (('members', f'{o}/members'), ('invitations', f'{o}/invitations'),
                       ('ledger', f'{o}/billing/ledger'), ('audit', f'{o}/audit-events'),
                       ('keys', f'{o}/api-keys'), ('webhooks', f'{o}/webhooks'),
                       ('deliveries', f"{o}/webhooks/{info['webhook']['id']}/deliveries")):
        out[name] = server.all_items(path, t)
    logo = urllib.parse.urlparse(out['org']['logo_url']).path
    r = server.get(logo)
    assert r.status == 200, r
    out['logo'] = r.body
    return without_activity(out)


class StoppedInstallTest(MigrationCase):
    """The usual move: the SQLite server stopped, its data copied, a server
    started on PostgreSQL."""

    def test_copy_serves_as_before(self):
        receiver = WebhookReceiver()
        self.addCleanup(receiver.close)
        data_dir = self.data_dir()
        old = self.sqlite_server(data_dir, *WEBHOOK_ARGS)
        info = fill(old, receiver)
        before = state(old, info)
        self.assertEqual(old.stop(), 0)
        database, url = self.target()

        status, out, err = self.migrate(data_dir, url)
        self.assertEqual(status, 0, out + err)
        tables = summary(out)
        source = sqlite3.connect(os.path.join(data_dir, 'quorum.db'))
        names = {row[0] for row in source.execute("SELECT name FROM sqlite_schema WHERE type = 'table'"
                                                  " AND name NOT LIKE 'sqlite%'")}
        self.assertEqual(set(tables), names, out)
        self.assertTrue(all(v[2] == 'ok' for v in tables.values()), out)
        for table in ('users', 'members', 'sessions', 'api_keys', 'webhooks', 'webhook_deliveries',
                      'ledger_entries', 'audit_events', 'usage_records', 'invitations'):
            self.assertGreater(tables[table][0], 0, table)
            self.assertEqual(self.pg_count(database, table), tables[table][0], table)
        self.assertIn('rows copied from', out)
        self.assertNotIn('was written to while it was copied', out)
        self.assertEqual(source.execute('SELECT count(*) FROM users').fetchone()[0], tables['users'][0])
        source.close()

        new = QuorumServer('--database', url, *WEBHOOK_ARGS, data_dir=data_dir)
        self.addCleanup(new.close)
        self.assertEqual(state(new, info), before)
        # The sessions, the API key and the passwords of the old install.
        self.assertEqual(new.get('/v1/me', info['member_token']).json['email'], 'mia@migrate.example')
        self.assertEqual(new.get(f"/v1/organizations/{info['org']}", info['key']).status, 200)
        for email in ('olga@migrate.example', 'mia@migrate.example'):
            r = new.post('/v1/sessions', {'email': email, 'password': DEFAULT_PASSWORD})
            self.assertEqual(r.status, 201, r)
        self.assertEqual(new.post('/v1/sessions', {'email': 'olga@migrate.example', 'password': 'wrong password!'})
                         .status, 401)

        # New rows of the identity tables come after the copied ones.
        o = f"/v1/organizations/{info['org']}"
        r = new.post(f'{o}/billing/top-ups', {'amount_cents': 700}, info['token'])
        self.assertEqual(r.status, 201, r)
        ledger = new.all_items(f'{o}/billing/ledger', info['token'])
        self.assertEqual(ledger[0]['amount_cents'], 700)
        self.assertEqual(without_activity(ledger[1:]), before['ledger'])
        audit = new.all_items(f'{o}/audit-events', info['token'])
        self.assertEqual(audit[0]['action'], 'billing.topped_up')
        self.assertEqual(without_activity(audit[1:]), before['audit'])
        r = new.post(f"{o}/webhooks/{info['webhook']['id']}/test", None, info['token'])
        self.assertEqual(r.status, 202, r)
        deliveries = wait_until(lambda: (lambda d: d if d[0]['status'] == 'succeeded' else None)(
            new.all_items(f"{o}/webhooks/{info['webhook']['id']}/deliveries", info['token'])), 30, 'the new ping')
        self.assertEqual(len(deliveries), len(before['deliveries']) + 1)
        self.assertEqual(deliveries[0]['id'], r.json['id'])
        self.assertEqual(new.stop(), 0)

        # Copying again into the same (now full) database is refused.
        status, out, err = self.migrate(data_dir, url)
        self.assertEqual(status, 1, out + err)
        self.assertIn('the target database is not empty: users (', err)
        self.assertEqual(self.pg_count(database, 'users'), tables['users'][0])


class RunningInstallTest(MigrationCase):
    """The old server still runs and writes (sign-ups, each a user, an
    organization, a member and a billing account in one transaction) while
    the copy reads one snapshot: the copy verifies, holds every sign-up
    finished before it started and none started after it ended, and each
    sign-up whole or not at all."""

    def test_copy_of_a_running_install_is_one_snapshot(self):
        data_dir = self.data_dir()
        old = self.sqlite_server(data_dir)
        owner = old.signup(name='Rita Running', email='rita@migrate.example', organization_name='Still Running')
        database, url = self.target()
        finished, stop = [], threading.Event()

        def write():
            n = 0
            while not stop.is_set():
                n += 1
                old.signup(name=f'Writer {n}', email=f'writer{n}@migrate.example', organization_name=f'Writer {n}')
                finished.append(n)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        wait_until(lambda: len(finished) >= 3 or None, 30, 'sign-ups under way')
        done_before = len(finished)
        status, out, err = self.migrate(os.path.join(data_dir, 'quorum.db'), url)
        started_after = len(finished) + 2  # the one in flight may land after the copy ended
        stop.set()
        writer.join(60)
        self.assertEqual(status, 0, out + err)
        self.assertTrue(all(v[2] == 'ok' for v in summary(out).values()), out)

        copied = {row[0] for row in self.cluster.query(
            database, "SELECT email FROM users WHERE email LIKE 'writer%@migrate.example'")}
        numbers = sorted(int(e[len('writer'):].split('@')[0]) for e in copied)
        self.assertEqual(numbers, list(range(1, len(numbers) + 1)), 'a snapshot holds a prefix of the sign-ups')
        self.assertGreaterEqual(len(numbers), done_before)
        self.assertLess(len(numbers), started_after)
        for table in ('organizations', 'members', 'billing_accounts'):
            self.assertEqual(self.pg_count(database, table), len(numbers) + 1, table)

        self.assertEqual(old.stop(), 0)
        new = QuorumServer('--database', url, data_dir=data_dir)
        self.addCleanup(new.close)
        self.assertEqual(new.get('/v1/me', owner['token']).json['email'], 'rita@migrate.example')
        r = new.post('/v1/sessions', {'email': 'rita@migrate.example', 'password': DEFAULT_PASSWORD})
        self.assertEqual(r.status, 201, r)


class RefusalTest(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dir = tempfile.mkdtemp(prefix='quorum-migrate-test-')
        cls.server = QuorumServer('--database', os.path.join(cls.dir, 'quorum.db'), data_dir=cls.dir)
        owner = cls.server.signup(name='Rex Refused', email='rex@migrate.example', organization_name='Refusals')
        cls.server.post(f"/v1/organizations/{owner['organization']['id']}/billing/top-ups", {'amount_cents': 100},
                        owner['token'])
        cls.server.stop()
        cls.source = os.path.join(cls.dir, 'quorum.db')

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.dir, True)

    def source_at_version(self, version):
        path = os.path.join(self.data_dir(), 'quorum.db')
        shutil.copy(self.source, path)
        db = sqlite3.connect(path)
        db.execute(f'PRAGMA user_version = {version}')
        db.close()
        return path

    def assertNothingCopied(self, database):
        """No users in database (or no schema at all: the source was refused
        before the target was opened)."""
        if self.cluster.query(database, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'"
                              )[0][0]:
            self.assertEqual(self.pg_count(database, 'users'), 0)

    def test_source_at_another_schema_version(self):
        version = schema_version()
        database, url = self.target()
        status, out, err = self.migrate(self.source_at_version(version - 1), url)
        self.assertEqual(status, 1, out + err)
        self.assertIn(f'is at schema version {version - 1}, not this server\'s ({version})', err)
        self.assertIn('quorum-server --migrate --database', err)
        status, out, err = self.migrate(self.source_at_version(version + 1), url)
        self.assertEqual(status, 1, out + err)
        self.assertIn(f'is at schema version {version + 1}, newer than this server\'s ({version})', err)
        self.assertNothingCopied(database)

    def test_target_at_another_schema_version(self):
        database, url = self.target()
        self.assertEqual(run('--migrate', '--database', url)[0], 0)
        self.cluster.execute(database, 'UPDATE schema_version SET version = ?', (schema_version() + 1,))
        status, out, err = self.migrate(self.source, url)
        self.assertEqual(status, 1, out + err)
        self.assertIn(f'database schema version {schema_version() + 1} is newer than this server', err)
        self.assertEqual(self.pg_count(database, 'users'), 0)

    def test_target_not_empty(self):
        database, url = self.target()
        self.assertEqual(run('--migrate', '--database', url)[0], 0)
        self.cluster.execute(database, "INSERT INTO meta (key, value) VALUES ('left', 'over')")
        status, out, err = self.migrate(self.source, url)
        self.assertEqual(status, 1, out + err)
        self.assertIn('the target database is not empty: meta (1); copy into a new database', err)
        self.assertEqual(self.pg_count(database, 'users'), 0)
        self.assertEqual(self.pg_count(database, 'meta'), 1)

    def test_bad_arguments(self):
        database, url = self.target()
        cases = [
            (('--database', f'mysql://quorum:{PG_PASSWORD}@db.example/quorum'), 2,
             'unsupported database URL scheme'),
            (('--database', os.path.join(self.dir, 'other.db')), 2, 'copies into PostgreSQL'),
            ((), 2, '--migrate-from-sqlite needs --database postgresql://'),
            (('--database', url, '--migrate-test-tamper', 'bogus'), 2, 'must be drop-row, alter-row or pause'),
        ]
        for args, wanted, words in cases:
            with self.subTest(args=args):
                status, out, err = run('--migrate-from-sqlite', self.source, *args)
                self.assertEqual(status, wanted, out + err)
                self.assertIn(words, err)
                self.assertNotIn(PG_PASSWORD, out + err)
        status, out, err = self.migrate(os.path.join(self.dir, 'missing.db'), url)
        self.assertEqual(status, 1, out + err)
        self.assertIn('missing.db: no such database file', err)
        self.assertFalse(os.path.exists(os.path.join(self.dir, 'missing.db')))
        not_sqlite = os.path.join(self.data_dir(), 'notes.txt')
        with open(not_sqlite, 'w') as f:
            f.write('not a database\n' * 100)
        status, out, err = self.migrate(not_sqlite, url)
        self.assertEqual(status, 1, out + err)
        self.assertIn('notes.txt: file is not a database', err)
        empty = os.path.join(self.data_dir(), 'empty.db')
        sqlite3.connect(empty).close()
        status, out, err = self.migrate(empty, url)
        self.assertEqual(status, 1, out + err)
        self.assertIn('empty.db holds no Quorum database (schema version 0)', err)
        status, out, err = self.migrate(self.source,
                                        f'postgresql://quorum:{PG_PASSWORD}@127.0.0.1:{closed_port()}/quorum')
        self.assertEqual(status, 1, out + err)
        self.assertIn('cannot connect to PostgreSQL at postgresql://quorum:****@127.0.0.1', err)
        self.assertNothingCopied(database)

    def test_values_keep_their_types(self):
        """An empty blob stays an empty blob (not NULL), text keeps its
        UTF-8, an integer past 2^53 its last digit."""
        path = self.source_at_version(schema_version())
        db = sqlite3.connect(path)
        with db:
            db.execute("UPDATE organizations SET logo_data = x'', logo_type = NULL, name = 'Zoë 🦊 Ünïcode'")
            db.execute('UPDATE billing_accounts SET balance_cents = 9007199254740993, low_balance_alert_cents = NULL')
        db.close()
        database, url = self.target()
        status, out, err = self.migrate(path, url)
        self.assertEqual(status, 0, out + err)
        self.assertEqual(self.cluster.query(
            database, 'SELECT logo_data IS NULL, octet_length (logo_data), logo_type IS NULL, name FROM organizations'),
            [('f', 0, 't', 'Zoë 🦊 Ünïcode')])
        self.assertEqual(self.cluster.query(
            database, 'SELECT balance_cents, low_balance_alert_cents FROM billing_accounts'),
            [(9007199254740993, None)])

    def test_server_starting_on_the_target_waits_for_the_copy(self):
        """The copy holds the migration lock: a server started on the
        target meanwhile waits for it (its connection is seen waiting for
        the advisory lock), then serves the copied data."""
        database, url = self.target()
        migrate = subprocess.Popen([BINARY, '--migrate-from-sqlite', self.source, '--database', url,
                                    '--migrate-test-tamper', 'pause'],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: migrate.poll() is None and (migrate.kill(), migrate.communicate()))
        line = migrate.stdout.readline()
        self.assertIn('paused before the verification', line, migrate.stderr.read() if not line else line)
        started = []
        starter = threading.Thread(target=lambda: started.append(
            QuorumServer('--database', url, data_dir=self.data_dir())), daemon=True)
        starter.start()
        wait_until(lambda: self.cluster.query('postgres', "SELECT count(*) FROM pg_locks"
                                              " WHERE locktype = 'advisory' AND NOT granted")[0][0] or None,
                   30, 'the new server waiting for the copy\'s lock')
        self.assertEqual(started, [])
        out, err = migrate.communicate('\n', timeout=60)
        self.assertEqual(migrate.returncode, 0, out + err)
        starter.join(60)
        self.assertEqual(len(started), 1)
        server = started[0]
        self.addCleanup(server.close)
        r = server.post('/v1/sessions', {'email': 'rex@migrate.example', 'password': DEFAULT_PASSWORD})
        self.assertEqual(r.status, 201, r)

    def test_damaged_copy_is_caught_and_rolled_back(self):
        for how, table in (('drop-row', 'audit_events'), ('alter-row', 'users')):
            with self.subTest(how=how):
                database, url = self.target()
                status, out, err = self.migrate(self.source, url, '--migrate-test-tamper', how)
                self.assertEqual(status, 1, out + err)
                self.assertIn('the copy does not match its source; nothing was committed', err)
                tables = summary(out)
                self.assertEqual(tables[table][2], 'source', out)
                self.assertIn('target: MISMATCH', out)
                self.assertEqual([t for t, v in tables.items() if v[2] != 'ok'], [table], out)
                for name in ('users', 'audit_events', 'ledger_entries'):
                    self.assertEqual(self.pg_count(database, name), 0, name)
                # The same database then takes a good copy.
                status, out, err = self.migrate(self.source, url)
                self.assertEqual(status, 0, out + err)


if __name__ == '__main__':
    main()
