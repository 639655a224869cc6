#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where the store lives: --database and QUORUM_DATABASE_URL (SQLite by a
path or sqlite:PATH, PostgreSQL by postgresql://…), their errors, the
password never shown, --migrate, and the refusal of a newer schema on both
stores. The PostgreSQL cases run on a throw-away cluster
(tests/common/quorum_postgres.py)."""

import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

from servertest import QuorumServer, closed_port, main, run_server_command, schema_version
import quorum_postgres

BINARY = os.environ.get('QUORUM_SERVER_BINARY', 'quorum-server')
PASSWORD = 'Sw0rdf1sh-never-logged'


def run(*args, env=None, timeout=60):
    """quorum-server with args, to its end: (exit status, stdout + stderr)."""
    result = run_server_command(*args, env=env, timeout=timeout)
    return result.returncode, result.stdout + result.stderr


class DatabaseUrlTest(unittest.TestCase):
    """Without a PostgreSQL server."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='quorum-database-test-')
        self.addCleanup(shutil.rmtree, self.dir, True)

    def assertRefused(self, status, output, status_wanted, *words):
        self.assertEqual(status, status_wanted, output)
        for word in words:
            self.assertIn(word, output)
        self.assertNotIn(PASSWORD, output)
        self.assertNotIn('listening on', output)

    def test_bad_urls_are_usage_errors_without_the_password(self):
        cases = [
            (f'mysql://quorum:{PASSWORD}@db.example/quorum', 'unsupported database URL scheme “mysql”'),
            (f'postgresql://quorum:{PASSWORD}@db.example:notaport/quorum', 'invalid PostgreSQL URL'),
            # libpq's own message quotes the whole URI: it is scrubbed.
            (f'postgresql://quorum:{PASSWORD}@[::1/quorum', 'invalid PostgreSQL URL'),
            (f'postgresql://db.example/quorum?password={PASSWORD}&bogus=1', 'invalid PostgreSQL URL'),
            ('sqlite:', 'sqlite: needs a file path'),
        ]
        for url, words in cases:
            with self.subTest(url=url):
                status, output = run('--port', '0', '--data-dir', self.dir, '--database', url)
                self.assertRefused(status, output, 2, 'quorum-server: --database: ', words)
                status, output = run('--port', '0', '--data-dir', self.dir,
                                     env={'QUORUM_DATABASE_URL': url})
                self.assertRefused(status, output, 2, words)
        status, output = run('--port', '0', '--data-dir', self.dir, '--database', '')
        self.assertRefused(status, output, 2, 'empty database URL')

    def test_unreachable_postgresql_is_named_without_the_password(self):
        port = closed_port()
        url = f'postgresql://quorum:{PASSWORD}@127.0.0.1:{port}/quorum'
        for args, env in ((['--database', url], None), ([], {'QUORUM_DATABASE_URL': url})):
            with self.subTest(env=bool(env)):
                status, output = run('--port', '0', '--data-dir', self.dir, *args, env=env)
                self.assertRefused(status, output, 1,
                                   f'cannot connect to PostgreSQL at postgresql://quorum:****@127.0.0.1:{port}/quorum',
                                   'Connection refused')
        # Also a password given as a parameter.
        status, output = run('--migrate', '--database',
                             f'postgresql://quorum@127.0.0.1:{port}/quorum?password={PASSWORD}')
        self.assertRefused(status, output, 1, f'127.0.0.1:{port}/quorum?password=****')

    def test_sqlite_by_path_and_by_url(self):
        for n, form in enumerate(('{}', 'sqlite:{}', 'sqlite://{}')):
            with self.subTest(form=form):
                path = os.path.join(self.dir, f'elsewhere-{n}.db')
                server = QuorumServer('--database', form.format(path))
                try:
                    owner = server.signup(organization_name='Elsewhere')
                    self.assertEqual(server.get('/v1/me', owner['token']).status, 200)
                finally:
                    server.close()
                db = sqlite3.connect(path)
                try:
                    self.assertEqual(db.execute('SELECT COUNT(*) FROM organizations').fetchone()[0], 1)
                    self.assertEqual(db.execute('PRAGMA user_version').fetchone()[0], schema_version())
                finally:
                    db.close()
                # Not in the data dir, which keeps the outbox only.
                self.assertFalse(os.path.exists(os.path.join(server.data_dir, 'quorum.db')))

    def test_environment_names_the_database_and_the_option_wins(self):
        from_env = os.path.join(self.dir, 'from-env.db')
        from_option = os.path.join(self.dir, 'from-option.db')
        server = QuorumServer(env={'QUORUM_DATABASE_URL': 'sqlite:' + from_env})
        server.close()
        self.assertTrue(os.path.exists(from_env))
        server = QuorumServer('--database', from_option, env={'QUORUM_DATABASE_URL': 'sqlite:' + from_env + '.no'})
        server.close()
        self.assertTrue(os.path.exists(from_option))
        self.assertFalse(os.path.exists(from_env + '.no'))

    def test_sqlite_migrate_and_newer_schema(self):
        path = os.path.join(self.dir, 'q.db')
        status, output = run('--migrate', '--database', path)
        self.assertEqual((status, output), (0, f'quorum-server: {path} is at schema version {schema_version()}\n'))
        status, output = run('--migrate', '--data-dir', os.path.join(self.dir, 'fresh'))
        self.assertEqual(status, 0, output)
        self.assertIn(f'is at schema version {schema_version()}', output)

        db = sqlite3.connect(path)
        db.execute(f'PRAGMA user_version = {schema_version() + 1}')
        db.close()
        for args in (['--migrate'], ['--port', '0', '--data-dir', self.dir]):
            with self.subTest(args=args):
                status, output = run(*args, '--database', path)
                self.assertEqual(status, 1, output)
                self.assertIn(f'database schema version {schema_version() + 1} is newer than this server '
                              f'({schema_version()})', output)


@unittest.skipIf(quorum_postgres.available(), quorum_postgres.available())
class PostgresqlSchemaTest(unittest.TestCase):
    """On the test process's cluster, a database per test."""

    @classmethod
    def setUpClass(cls):
        cls.cluster = quorum_postgres.cluster()

    def setUp(self):
        self.database = self.cluster.create_database()
        self.addCleanup(self.cluster.drop_database, self.database)
        self.url = self.cluster.url(self.database, password=PASSWORD)
        self.shown = self.cluster.url(self.database, password='****')

    def sql(self, text):
        return self.cluster.psql(text, self.database)

    def test_migrate_creates_sqlites_schema(self):
        status, output = run('--migrate', '--database', self.url)
        self.assertEqual((status, output), (0, f'quorum-server: {self.shown} is at schema version {schema_version()}\n'))
        self.assertEqual(self.sql('SELECT version FROM schema_version'), [[str(schema_version())]])
        # Again: nothing to do, same answer, no notice on stderr.
        self.assertEqual(run('--migrate', '--database', self.url),
                         (0, f'quorum-server: {self.shown} is at schema version {schema_version()}\n'))

        # The same tables with the same columns in the same order as SQLite's
        # (readers and INSERTs without a column list rely on it), and the
        # same named indexes.
        path = os.path.join(tempfile.mkdtemp(prefix='quorum-database-test-'), 'q.db')
        self.addCleanup(shutil.rmtree, os.path.dirname(path), True)
        self.assertEqual(run('--migrate', '--database', path)[0], 0)
        db = sqlite3.connect(path)
        try:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            sqlite_columns = {t: [r[1] for r in db.execute(f'PRAGMA table_info("{t}")')] for t in tables}
            sqlite_indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'"
                                                       " AND name NOT LIKE 'sqlite_autoindex%'")}
        finally:
            db.close()
        pg_columns = {}
        for table, column in self.sql("SELECT table_name, column_name FROM information_schema.columns"
                                      " WHERE table_schema = 'public' AND table_name <> 'schema_version'"
                                      " ORDER BY table_name, ordinal_position"):
            pg_columns.setdefault(table, []).append(column)
        self.assertEqual(pg_columns, sqlite_columns)
        pg_indexes = {r[0] for r in self.sql("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
                                             " AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'")}
        self.assertEqual(pg_indexes, sqlite_indexes)

        # Text sorts by code point as on SQLite, whatever the cluster's
        # locale (the test cluster's is not C when the machine has another).
        self.assertEqual(self.sql("SELECT table_name, column_name, COALESCE(collation_name, '-')"
                                  " FROM information_schema.columns WHERE table_schema = 'public'"
                                  " AND data_type = 'text' AND collation_name IS DISTINCT FROM 'C'"), [])
        # Integers are 64-bit as SQLite's; no 32-bit column but the
        # version table's.
        self.assertEqual(self.sql("SELECT table_name, column_name FROM information_schema.columns"
                                  " WHERE table_schema = 'public' AND data_type IN ('integer', 'smallint')"
                                  " AND table_name <> 'schema_version'"), [])
        self.assertEqual(self.sql('SELECT id, seat_limit FROM plans ORDER BY position'),
                         [['pln_free', '5'], ['pln_team', '25'], ['pln_business', '']])

    def test_ledger_is_append_only(self):
        self.assertEqual(run('--migrate', '--database', self.url)[0], 0)
        self.sql("INSERT INTO organizations (id, name, slug, created_at) VALUES ('org_1', 'O', 'o', 1);"
                 "INSERT INTO ledger_entries (org_id, kind, amount_cents, balance_after, description, created_at)"
                 " VALUES ('org_1', 'top_up', 500, 500, 'Top-up', 1)")
        for statement in ('UPDATE ledger_entries SET amount_cents = 1', 'DELETE FROM ledger_entries'):
            with self.subTest(statement=statement):
                with self.assertRaisesRegex(RuntimeError, 'ledger entries are append-only'):
                    self.sql(statement)
        # Deleting the organization takes its entries along.
        self.sql("DELETE FROM organizations WHERE id = 'org_1'")
        self.assertEqual(self.sql('SELECT COUNT(*) FROM ledger_entries'), [['0']])

    def test_instances_starting_together_migrate_once(self):
        processes = [subprocess.Popen([BINARY, '--migrate', '--database', self.url], stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True) for _ in range(4)]
        results = [(p.wait(60), p.stdout.read()) for p in processes]
        for p in processes:
            p.stdout.close()
        for status, output in results:
            self.assertEqual(status, 0, output)
        self.assertEqual(self.sql('SELECT version FROM schema_version'), [[str(schema_version())]])

    def test_a_dropped_connection_is_made_again(self):
        """PostgreSQL restarted or the session killed: the next requests are
        served on a new connection (reads and transactions), not 500 until
        the server restarts."""
        server = QuorumServer('--database', self.url)
        self.addCleanup(server.close)
        owner = server.signup()
        me = server.get('/v1/me', owner['token'])
        self.assertEqual(me.status, 200, me)
        for round in range(2):
            killed = self.sql(f"SELECT count(*) FROM (SELECT pg_terminate_backend (pid) FROM pg_stat_activity"
                              f" WHERE datname = '{self.database}' AND pid <> pg_backend_pid ()) AS t")
            self.assertGreaterEqual(int(killed[0][0]), 1, 'the server had a connection to drop')
            with self.subTest(round=round):
                r = server.get('/v1/me', owner['token'])
                self.assertEqual((r.status, r.json['email']), (200, me.json['email']), r)
                r = server.get(f"/v1/organizations/{owner['organization']['id']}/members", owner['token'])
                self.assertEqual(r.status, 200, r)
                self.assertEqual(server.signup()['organization']['role'], 'owner')
        self.assertIn("connection to PostgreSQL", server.log())
        self.assertNotIn(PASSWORD, server.log())

    def test_newer_schema_is_refused(self):
        self.assertEqual(run('--migrate', '--database', self.url)[0], 0)
        self.sql(f'UPDATE schema_version SET version = {schema_version() + 1}')
        data_dir = tempfile.mkdtemp(prefix='quorum-database-test-')
        self.addCleanup(shutil.rmtree, data_dir, True)
        for args in (['--migrate', '--database', self.url], ['--port', '0', '--data-dir', data_dir],
                     ['--port', '0', '--data-dir', data_dir, '--database', self.url]):
            with self.subTest(args=args):
                env = {'QUORUM_DATABASE_URL': self.url} if '--database' not in args else None
                status, output = run(*args, env=env)
                self.assertEqual(status, 1, output)
                self.assertIn(f'database schema version {schema_version() + 1} is newer than this server '
                              f'({schema_version()})', output)
                self.assertNotIn(PASSWORD, output)
        self.assertEqual(self.sql('SELECT version FROM schema_version'), [[str(schema_version() + 1)]])


@unittest.skipIf(quorum_postgres.available(), quorum_postgres.available())
class PostgresqlStatementTest(unittest.TestCase):
    def test_statement_layer(self):
        """tests/server/test-store-pg.c's database cases, on a database of
        the cluster's (none of them skipped)."""
        program = os.path.join(os.environ.get('QUORUM_BUILD_ROOT', ''), 'tests', 'server', 'test-store-pg')
        if not os.path.exists(program):
            self.skipTest('test-store-pg not built (no libpq)')
        cluster = quorum_postgres.cluster()
        database = cluster.create_database()
        self.addCleanup(cluster.drop_database, database)
        env = dict(os.environ, QUORUM_TEST_PG_URL=cluster.url(database))
        result = subprocess.run([program, '--tap'], capture_output=True, text=True, timeout=120, env=env)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertNotIn('SKIP', result.stdout)
        self.assertIn('ok 3 ', result.stdout)


if __name__ == '__main__':
    main()
