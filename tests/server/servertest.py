# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared base for the server suite: one server per test class."""

import os
import re
import sqlite3
import struct
import subprocess
import sys
import threading
import time
import unittest
import zlib

sys.path.insert(0, os.path.join(os.environ.get('QUORUM_SOURCE_ROOT',
                                               os.path.join(os.path.dirname(__file__), '..', '..')),
                                'tests', 'common'))

from quorum_server import DEFAULT_PASSWORD, QuorumServer, test_store  # noqa: E402,F401
from quorum_wait import poll_until, wait_until  # noqa: E402,F401


def without_asan_quarantine():
    """The environment entries for a server whose memory a test measures:
    under AddressSanitizer (CI's second run) freed memory is held in a
    quarantine of up to 256 MiB, so peak RSS says nothing about what the
    server keeps; without the quarantine it does again. Ignored by a plain
    build."""
    options = os.environ.get('ASAN_OPTIONS', '')
    return {'ASAN_OPTIONS': (options + ':' if options else '') + 'quarantine_size_mb=0'}


class ServerTestCase(unittest.TestCase):
    server_args = ()
    server_env = None

    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer(*cls.server_args, env=cls.server_env)

    @classmethod
    def tearDownClass(cls):
        try:
            status = cls.server.stop()
            log = cls.server.log()
        finally:
            cls.server.close()
        if status != 0:
            raise AssertionError(f'server exited with {status}:\n{log[-4000:]}')

    def assertProblem(self, response, status, code):
        self.assertEqual(response.status, status, response)
        self.assertEqual(response.headers.get('content-type'), 'application/problem+json', response)
        self.assertEqual(response.json['status'], status)
        self.assertEqual(response.json['code'], code, response)
        for key in ('type', 'title', 'detail'):
            self.assertIn(key, response.json)

    def assertFieldError(self, response, field, code=None):
        self.assertProblem(response, 422, 'validation_failed')
        fields = {(e['field'], e['code']) for e in response.json['errors']}
        if code is None:
            self.assertIn(field, {f for f, _ in fields}, response)
        else:
            self.assertIn((field, code), fields, response)


SOURCE_ROOT = os.environ.get('QUORUM_SOURCE_ROOT', os.path.join(os.path.dirname(__file__), '..', '..'))
SPEC = os.path.join(SOURCE_ROOT, 'docs', 'api', 'openapi.yaml')


def run_server_command(*args, env=None, timeout=60):
    """quorum-server with args (a command that exits: --migrate,
    --migrate-from-sqlite, a refused start), to its end, without
    QUORUM_DATABASE_URL unless env sets it: the CompletedProcess (text)."""
    environment = dict(os.environ)
    environment.pop('QUORUM_DATABASE_URL', None)
    environment.update(env or {})
    return subprocess.run([os.environ.get('QUORUM_SERVER_BINARY', 'quorum-server')] + list(args),
                          capture_output=True, text=True, timeout=timeout, env=environment,
                          stdin=subprocess.DEVNULL)


def closed_port():
    """A loopback port nobody listens on (bound then released)."""
    import socket
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def schema_version():
    """The store's schema version as the server's source declares it: what
    a database is migrated to on start."""
    header = os.path.join(SOURCE_ROOT, 'src', 'server', 'store', 'quorum-store-sqlite-private.h')
    with open(header, encoding='utf-8') as f:
        m = re.search(r'#define QS_DB_SCHEMA_VERSION (\d+)', f.read())
    return int(m.group(1))
METHODS = ('get', 'put', 'post', 'patch', 'delete')
ALL_SCOPES = ('org:read', 'org:write', 'members:read', 'members:write', 'invitations:write',
              'billing:read', 'billing:write', 'webhooks:write')


def spec_operation_scopes():
    """{(METHOD, path): API key scope or None} for every operation under the
    spec's top-level `paths:`, the scope read from its `security` list
    (`- apiKey: ['scope']`). Read line by line (two-space indentation) so the
    tests need no YAML module."""
    operations = {}
    in_paths = False
    path = None
    operation = None
    with open(SPEC, encoding='utf-8') as f:
        for line in f:
            if re.match(r'^\S', line):
                in_paths = line.startswith('paths:')
                path = operation = None
                continue
            if not in_paths:
                continue
            m = re.match(r'^  (/\S*):\s*$', line)
            if m:
                path = m.group(1)
                operation = None
                continue
            m = re.match(r'^    (\w+):\s*$', line)
            if m:
                operation = (m.group(1).upper(), path) if path and m.group(1) in METHODS else None
                if operation:
                    operations[operation] = None
                continue
            m = re.match(r"^        - apiKey: \[(.*)\]\s*$", line)
            if m and operation:
                scopes = [x.strip().strip("'\"") for x in m.group(1).split(',') if x.strip()]
                assert len(scopes) == 1, (operation, scopes)
                operations[operation] = scopes[0]
    return operations


def table_routes_full():
    """The route table (quorum-server --print-routes) in its order:
    [{method, path, access, permission, rechecked, scope}]."""
    binary = os.environ.get('QUORUM_SERVER_BINARY', 'quorum-server')
    out = subprocess.run([binary, '--print-routes'], check=True, capture_output=True, text=True).stdout
    routes = []
    for line in out.splitlines():
        fields = line.split()
        route = {'method': fields[0], 'path': fields[1], 'access': fields[2], 'permission': None,
                 'rechecked': False, 'scope': None}
        for field in fields[3:]:
            if field == 'rechecked':
                route['rechecked'] = True
            elif field.startswith('scope='):
                route['scope'] = field[len('scope='):]
            else:
                route['permission'] = field
        routes.append(route)
    return routes


def create_api_key(server, org_id, token, scopes=ALL_SCOPES, name='Test key', expires_at=None):
    """Creates an API key (201 or the test fails); returns the answer, with
    its `secret`."""
    body = {'name': name, 'scopes': list(scopes)}
    if expires_at is not None:
        body['expires_at'] = expires_at
    r = server.post(f'/v1/organizations/{org_id}/api-keys', body, token)
    if r.status != 201:
        raise AssertionError(f'API key creation failed: {r!r}')
    return r.json


class WriteCounter:
    """Notices writes the server commits to its database, for "this request
    wrote nothing" (and "this one wrote"). SQLite: `PRAGMA data_version` on
    a connection of our own changes whenever another connection commits a
    change. PostgreSQL: a row trigger on every table of the server's
    database logs each inserted, updated or deleted row into a table of the
    counter's own (a rolled-back write leaves nothing there, a committed one
    its rows); close() removes them again. Other clients' writes count too:
    write nothing else while counting. The change log's own tables
    (qs_change_*: a data table's change logs a row there as well, and the
    log's prune, at most once a minute, is upkeep, not the server's data)
    are left out."""

    PG_INSTALL = """
        CREATE TABLE quorum_test_writes (seq BIGSERIAL PRIMARY KEY, what TEXT NOT NULL);
        CREATE FUNCTION quorum_test_write () RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            INSERT INTO quorum_test_writes (what) VALUES (TG_OP || ' ' || TG_TABLE_NAME);
            RETURN NULL;
          END $$;
        DO $$
          DECLARE t TEXT;
          BEGIN
            FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public'
                     AND tablename <> 'quorum_test_writes' AND tablename NOT LIKE 'qs\\_change\\_%' LOOP
              EXECUTE format ('CREATE TRIGGER quorum_test_write AFTER INSERT OR UPDATE OR DELETE ON %I'
                              ' FOR EACH ROW EXECUTE FUNCTION quorum_test_write ()', t);
            END LOOP;
          END $$;"""
    PG_REMOVE = """
        DO $$
          DECLARE t TEXT;
          BEGIN
            FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public'
                     AND tablename <> 'quorum_test_writes' LOOP
              EXECUTE format ('DROP TRIGGER IF EXISTS quorum_test_write ON %I', t);
            END LOOP;
          END $$;
        DROP FUNCTION IF EXISTS quorum_test_write ();
        DROP TABLE IF EXISTS quorum_test_writes;"""

    def __init__(self, server):
        self.server = server
        self.db = None
        if server.pg_database is not None:
            import quorum_postgres
            quorum_postgres.cluster().psql(self.PG_INSTALL, server.pg_database)
        else:
            self.db = sqlite3.connect(f'file:{os.path.join(server.data_dir, "quorum.db")}?mode=ro', uri=True,
                                      timeout=10)
            self.start = self.version()

    def version(self):
        return self.db.execute('PRAGMA data_version').fetchone()[0]

    def writes(self):
        """PostgreSQL: the rows written since the counter started, as
        'UPDATE api_keys' and so on."""
        return [w for (w,) in self.server.query('SELECT what FROM quorum_test_writes ORDER BY seq')]

    def wrote(self):
        if self.db is None:
            return bool(self.writes())
        return self.version() != self.start

    def close(self):
        if self.db is None:
            import quorum_postgres
            quorum_postgres.cluster().psql(self.PG_REMOVE, self.server.pg_database)
        else:
            self.db.close()


def png_chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))


def png(width, height=None, extra_chunks=b''):
    """A striped RGB PNG (square when height is left out); extra_chunks go
    before the image data."""
    height = width if height is None else height
    raw = b''.join(b'\x00' + b''.join(bytes((x % 256, y % 256, 90)) for x in range(width)) for y in range(height))
    return (b'\x89PNG\r\n\x1a\n' + png_chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)) +
            extra_chunks + png_chunk(b'IDAT', zlib.compress(raw)) + png_chunk(b'IEND', b''))


def started(*calls, timeout=60):
    """parallel()'s threads, released together and left running: returns a
    function that waits for them and returns their results in order (or
    raises as parallel() does), for a test that acts while they run (opens
    a quorum_postgres.Gate, kills an instance)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except BaseException as e:  # handed to the caller's thread below
            errors[i] = e

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout

    def join():
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        stuck = [i for i, t in enumerate(threads) if t.is_alive()]
        if stuck:
            raise AssertionError(f'calls {stuck} of {len(calls)} still running after {timeout} s')
        for e in errors:
            if e is not None:
                raise e
        return results
    return join


def parallel(*calls, timeout=60):
    """Runs the calls at the same moment in threads (released together by a
    barrier); returns their results in order. A call that raises, or that
    has not returned timeout seconds after the start (a hung server), fails
    the test here instead of leaving None among the results."""
    return started(*calls, timeout=timeout)()


def main():
    unittest.main(verbosity=2)


class WebhookReceiver:
    """A local HTTP endpoint for webhook deliveries (the server runs with
    --allow-insecure-webhooks to reach it). It records every request
    (method, path, headers with lower-case names, body) and answers with
    the next entry of `answers` (then with `default`): a status code, or
    'hang' (no answer until the receiver stops or release() is called), or
    ('redirect', location), after `delay` seconds. It listens on `port` (0:
    a free one)."""

    def __init__(self, default=200, host='127.0.0.1', port=0):
        import http.server
        import socketserver

        self.requests = []
        self.answers = []
        self.default = default
        self.delay = 0   # seconds every answer waits (tries stay in flight a while)
        self.lock = threading.Condition()
        self.released = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length)
                with receiver.lock:
                    receiver.requests.append({'method': 'POST', 'path': self.path,
                                              'headers': {k.lower(): v for k, v in self.headers.items()},
                                              'body': body, 'time': time.time()})
                    answer = receiver.answers.pop(0) if receiver.answers else receiver.default
                    receiver.lock.notify_all()
                if receiver.delay:
                    time.sleep(receiver.delay)
                if answer == 'hang':
                    receiver.released.wait(60)
                    return
                location = None
                if isinstance(answer, tuple):
                    answer, location = 302, answer[1]
                self.send_response(answer)
                if location:
                    self.send_header('Location', location)
                self.send_header('Content-Length', '2')
                self.send_header('Connection', 'close')
                self.end_headers()
                self.wfile.write(b'ok')

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            request_queue_size = 64   # two servers' 16 tries each may connect at once

        self.httpd = Server((host, port), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f'http://{host}:{self.port}/hook'
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, count, timeout=30):
        """The first `count` requests, once that many arrived."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while len(self.requests) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f'{len(self.requests)} of {count} webhook requests arrived')
                self.lock.wait(remaining)
            return list(self.requests[:count])

    def release(self):
        self.released.set()

    def close(self):
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def verify_signature(secret, request, tolerance=300):
    """Checks Quorum-Signature as a receiver should (docs/api/openapi.yaml,
    QuorumSignature): t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>,
    compared in constant time, t within tolerance seconds. Returns t."""
    import hashlib
    import hmac

    header = request['headers'].get('quorum-signature', '')
    parts = dict(p.split('=', 1) for p in header.split(',') if '=' in p)
    t = parts.get('t', '')
    expected = hmac.new(secret.encode(), t.encode() + b'.' + request['body'], hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, parts.get('v1', '')):
        raise AssertionError(f'bad signature {header!r}')
    if abs(time.time() - int(t)) > tolerance:
        raise AssertionError(f'signature time {t} too far from now')
    return int(t)
