# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a real quorum-server for tests: free loopback port, fresh data dir."""

import http.client
import gzip
import json
import os
import re
import select
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse

from quorum_wait import poll_until, wait_until

DEFAULT_PASSWORD = 'correct horse battery'

# Session (qrm_s_), verification (qrm_v_), reset (qrm_r_) and any later
# kind, and webhook signing secrets (whsec_).
PREFIXED_TOKEN = re.compile(r'(?:qrm|whsec)_[A-Za-z0-9_-]{8,}')
# Tokens in the links of the messages the server sent.
LINK_TOKEN = re.compile(r'(?:/invite/|/verify/|/reset/|quorum://(?:invite|verify|reset)/)([A-Za-z0-9_-]{16,})')


def leaked_tokens(log, messages):
    """The tokens found in a server log: any qrm_… token, and any token of a
    link in the messages (invitation tokens have no prefix)."""
    leaks = set(PREFIXED_TOKEN.findall(log))
    for text in messages:
        for token in LINK_TOKEN.findall(text):
            if token in log:
                leaks.add(token)
    return sorted(leaks)



def process_is_stopped(pid):
    """True once every thread of pid is stopped ('T' in its tasks' stat)."""
    task_dir = f"/proc/{pid}/task"
    try:
        tids = os.listdir(task_dir)
        for tid in tids:
            with open(f"{task_dir}/{tid}/stat") as f:
                stat = f.read()
            # "tid (comm) S ...": comm may hold spaces and parentheses.
            if stat[stat.rindex(")") + 2] not in "Tt":
                return False
    except (OSError, ValueError, IndexError):
        return False
    return bool(tids)

class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        # As sent (gzipped when the request asked for it), and decoded.
        self.wire_body = body
        if headers.get('content-encoding') == 'gzip':
            body = gzip.decompress(body)
        self.body = body
        self.json = None
        ctype = headers.get('content-type', '')
        if body and ('json' in ctype):
            self.json = json.loads(body.decode('utf-8'))

    @property
    def code(self):
        return self.json.get('code') if isinstance(self.json, dict) else None

    def __repr__(self):
        return f'<Response {self.status} {self.body[:300]!r}>'


def test_store():
    """The store the test servers use: QUORUM_TEST_STORE=postgresql puts
    each on a database of its own in the test process's throw-away cluster
    (quorum_postgres.py); anything else, or nothing, is SQLite in the data
    dir."""
    store = os.environ.get('QUORUM_TEST_STORE', 'sqlite')
    if store not in ('sqlite', 'postgresql'):
        raise RuntimeError(f'QUORUM_TEST_STORE must be sqlite or postgresql, not {store!r}')
    return store


class QuorumServer:
    """A quorum-server process. Rate limits are off, password hashing is
    cheap and new organizations start on Business (no seat limit, so tests
    that are not about seats can invite freely) unless the test asks
    otherwise (default_plan=None: the server's own default, Free). The
    store is test_store()'s unless extra_args name a --database.

    database_of: another QuorumServer whose database this one serves from
    (the same data dir on SQLite, unless data_dir says otherwise; the same
    PostgreSQL database, which stays that server's to drop)."""

    def __init__(self, *extra_args, data_dir=None, rate_limits=False, hash_cost='min',
                 default_plan='pln_business', env=None, database_of=None):
        if database_of is not None and data_dir is None and database_of.pg_database is None:
            data_dir = database_of.data_dir
        self.binary = os.environ.get('QUORUM_SERVER_BINARY', 'quorum-server')
        # The process's environment: ours, with env's entries over it.
        self.env = dict(os.environ, **(env or {}))
        self.own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix='quorum-server-test-')
        # Defaults first, so that extra_args can override any of them.
        self.args = []
        if not rate_limits:
            self.args += ['--signin-rate-limit', '0', '--signin-client-limit', '0', '--auth-rate-limit', '0',
                          '--org-invitation-rate-limit', '0', '--user-invitation-rate-limit', '0']
        if hash_cost:
            self.args += ['--password-hash-cost', hash_cost]
        if default_plan:
            self.args += ['--default-plan', default_plan]
        self.args += list(extra_args)
        # PostgreSQL: a database of this server's own, dropped by close()
        # (or database_of's, which its owner drops).
        self.pg_database = None
        self.own_pg_database = False
        if database_of is not None and database_of.pg_database is not None:
            import quorum_postgres
            self.pg_database = database_of.pg_database
            self.args += ['--database', quorum_postgres.cluster().url(self.pg_database)]
        elif test_store() == 'postgresql' and '--database' not in extra_args:
            import quorum_postgres
            cluster = quorum_postgres.cluster()
            self.pg_database = cluster.create_database()
            self.own_pg_database = True
            self.args += ['--database', cluster.url(self.pg_database)]
        self.process = None
        self.url = None
        self.log_path = os.path.join(tempfile.gettempdir(),
                                     f'quorum-server-log-{os.getpid()}-{id(self)}.txt')
        self.start()

    def database_args(self):
        """['--database', URL] when the server is on PostgreSQL, else []."""
        if '--database' in self.args:
            i = self.args.index('--database')
            return self.args[i:i + 2]
        return []

    # -- process control --------------------------------------------------

    def start(self, timeout=60, port=0):
        """Starts the server on port (0: a free one) and its data dir."""
        log = open(self.log_path, 'ab')
        self.process = subprocess.Popen(
            [self.binary, '--port', str(port), '--data-dir', self.data_dir] + self.args,
            stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, env=self.env)
        log.close()
        deadline = time.monotonic() + timeout
        line = b''
        while not line.endswith(b'\n'):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.process.poll() is not None:
                self.process.kill()
                raise RuntimeError('quorum-server did not start:\n' + self.log())
            ready, _, _ = select.select([self.process.stdout], [], [], remaining)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 1)
                if not chunk:
                    continue
                line += chunk
        text = line.decode()
        prefix = 'quorum-server listening on '
        if not text.startswith(prefix):
            raise RuntimeError(f'unexpected first line {text!r}')
        self.url = text[len(prefix):].strip()
        parsed = urllib.parse.urlparse(self.url)
        self.host, self.port = parsed.hostname, parsed.port
        return self.url

    def stop(self, timeout=20):
        """SIGTERM, wait; returns the exit status."""
        if self.process and self.process.poll() is None:
            self.resume()
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError('quorum-server ignored SIGTERM')
        status = self.process.returncode if self.process else None
        if self.process:
            self.process.stdout.close()
        self.check_log()
        return status

    def check_log(self):
        """Fails when a token of any kind reached the server's log (checked
        once the server stopped, so after everything the test did)."""
        leaks = leaked_tokens(self.log(), self.outbox() if os.path.isdir(self.data_dir) else [])
        if leaks:
            lines = [line for line in self.log().splitlines() if any(t in line for t in leaks)]
            raise AssertionError('tokens in the server log:\n' + '\n'.join(lines[:20]))

    def kill(self):
        """kill -9, as a crash would."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.process:
            self.process.stdout.close()
        self.check_log()

    def restart(self):
        self.stop()
        return self.start()

    def restart_same_port(self, kill=True, timeout=60):
        """Stops the server (kill -9 when kill, else SIGTERM) and starts it
        again on the same port and data dir, so clients find it where it was."""
        port = self.port
        if kill:
            self.kill()
        else:
            self.stop()
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.start(port=port)
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)  # the port may not be free yet

    def pause(self):
        """SIGSTOP: the server keeps its connections and answers nothing
        (the kernel still accepts new connections into the backlog).
        Returns once every thread has stopped: kill() returns before the
        stop takes hold, and a loaded machine let the server answer for
        milliseconds after it."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGSTOP)
            wait_until(lambda: process_is_stopped(self.process.pid), 60,
                       f"quorum-server {self.process.pid} to stop", interval=0.001)

    def resume(self):
        """SIGCONT after pause(); harmless otherwise."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)

    def close(self):
        try:
            self.stop()
        finally:
            if self.own_dir:
                shutil.rmtree(self.data_dir, ignore_errors=True)
            if self.pg_database is not None and self.own_pg_database:
                import quorum_postgres
                quorum_postgres.cluster().drop_database(self.pg_database)
            self.pg_database = None
            try:
                os.unlink(self.log_path)
            except OSError:
                pass

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def log(self):
        try:
            with open(self.log_path, 'r', errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    def wait_for_log(self, text, timeout=10):
        """The log once it holds text. The server writes a request's line
        after the answer has gone out, so a client can be faster."""
        found = poll_until(lambda: text in self.log(), timeout, interval=0.02)
        log = self.log()
        if not found:
            raise AssertionError(f'{text!r} never reached the server log:\n{log[-2000:]}')
        return log

    # -- HTTP -------------------------------------------------------------

    def request(self, method, path, body=None, token=None, headers=None, raw=None,
                content_type='application/json', timeout=30, source=None):
        """source: the client address to connect from (any 127.x.y.z works
        on Linux loopback), to act as several clients."""
        all_headers = {}
        data = None
        if raw is not None:
            data = raw
        elif body is not None:
            data = json.dumps(body).encode('utf-8')
        if data is not None and content_type:
            all_headers['Content-Type'] = content_type
        if token:
            all_headers['Authorization'] = 'Bearer ' + token
        all_headers.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout,
                                          source_address=(source, 0) if source else None)
        try:
            conn.request(method, path, body=data, headers=all_headers)
            response = conn.getresponse()
            payload = response.read()
            hdrs = {k.lower(): v for k, v in response.getheaders()}
            return Response(response.status, hdrs, payload)
        finally:
            conn.close()

    def raw(self, data, timeout=10):
        """Sends raw bytes, returns (status or None, whole answer). Used for
        requests http.client cannot make: huge declared bodies, bad framing."""
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        answer = b''
        try:
            sock.sendall(data)
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except (ConnectionResetError, BrokenPipeError, socket.timeout):
            pass
        finally:
            sock.close()
        status = None
        if answer.startswith(b'HTTP/1.1 '):
            status = int(answer[9:12])
        return status, answer

    def get(self, path, token=None, **kw):
        return self.request('GET', path, token=token, **kw)

    def post(self, path, body=None, token=None, **kw):
        return self.request('POST', path, body=body, token=token, **kw)

    def patch(self, path, body=None, token=None, **kw):
        return self.request('PATCH', path, body=body, token=token, **kw)

    def delete(self, path, body=None, token=None, **kw):
        return self.request('DELETE', path, body=body, token=token, **kw)

    # -- fixtures ---------------------------------------------------------

    _counter = 0

    def signup(self, name=None, email=None, password=DEFAULT_PASSWORD, organization_name=None):
        """Creates a user; returns a dict with token, user, organization."""
        QuorumServer._counter += 1
        n = QuorumServer._counter
        body = {'name': name or f'User {n}',
                'email': email or f'user{n}-{os.getpid()}@example.com',
                'password': password}
        if organization_name:
            body['organization_name'] = organization_name
        r = self.post('/v1/users', body)
        if r.status != 201:
            raise AssertionError(f'sign-up failed: {r!r}')
        return r.json

    def invite(self, org_id, token, email, role='member'):
        r = self.post(f'/v1/organizations/{org_id}/invitations', {'email': email, 'role': role}, token)
        if r.status != 201:
            raise AssertionError(f'invitation failed: {r!r}')
        return r.json

    def outbox(self):
        """The .eml files, oldest first, as text."""
        folder = os.path.join(self.data_dir, 'outbox')
        if not os.path.isdir(folder):
            return []
        # Only .eml files: a temporary file may come and go meanwhile. File
        # times are coarse; names start with the time in microseconds.
        names = [n for n in os.listdir(folder) if n.endswith('.eml')]
        names.sort(key=lambda n: (os.stat(os.path.join(folder, n)).st_mtime_ns, n))
        out = []
        for name in names:
            with open(os.path.join(folder, name), encoding='utf-8') as f:
                out.append(f.read())
        return out

    def _newest_in_outbox(self, email, pattern):
        """pattern's group 1 in the newest e-mail to this address it matches."""
        for text in reversed(self.outbox()):
            if f'To: <{email}>' in text:
                found = pattern.search(text)
                if found:
                    return found.group(1)
        return None

    def newest_link_token(self, email, kind):
        """The token of the newest e-mail to this address with a link of kind
        'verify', 'reset' or 'invite', or None."""
        return self._newest_in_outbox(email, re.compile(rf'^https?://\S*/{kind}/([A-Za-z0-9_-]+)\r?$', re.M))

    def newest_app_link(self, email, kind):
        """The quorum://kind/… link of the newest such e-mail to this
        address, or None."""
        return self._newest_in_outbox(email, re.compile(rf'^(quorum://{kind}/\S+)$', re.M))

    def invitation_token(self, email):
        """The token of the newest invitation e-mail sent to this address."""
        token = self.newest_link_token(email, 'invite')
        if token is None:
            raise AssertionError(f'no e-mail to {email}')
        return token

    def mail_token(self, email, kind, timeout=10):
        """newest_link_token(), waiting: a password-reset e-mail is written
        just after the 202 goes out, so this waits up to timeout seconds for
        one (and the token's row may be committed a moment later: the
        server's next answer comes after it)."""
        return wait_until(lambda: self.newest_link_token(email, kind), timeout, f'a {kind} e-mail to {email}',
                          interval=0.02)

    def app_link(self, email, kind, timeout=10):
        """newest_app_link(), waiting for it as mail_token() does."""
        return wait_until(lambda: self.newest_app_link(email, kind), timeout, f'a {kind} link to {email}',
                          interval=0.02)

    def verify_email(self, email):
        """Proves the inbox of email as its owner would: posts the token of the
        verification e-mail the server sent. Returns the verified user."""
        r = self.post('/v1/email-verifications', {'token': self.mail_token(email, 'verify')})
        if r.status != 200 or not r.json['email_verified']:
            raise AssertionError(f'verification failed: {r!r}')
        return r.json

    def all_items(self, path, token):
        """Every item of a paginated collection, following next_cursor."""
        items, cursor = [], None
        for _ in range(10000):
            sep = '&' if '?' in path else '?'
            page = self.get(path + f'{sep}limit=200' + (f'&cursor={urllib.parse.quote(cursor)}' if cursor else ''),
                            token)
            if page.status != 200:
                raise AssertionError(f'listing {path} failed: {page!r}')
            items += page.json['items']
            cursor = page.json['next_cursor']
            if cursor is None:
                return items
        raise AssertionError('pagination does not end')

    def record_usage(self, *specs):
        """Runs `quorum-server --record-usage` on this server's data dir (a
        second process writing beside the running server, as an operator
        would) for each 'MEMBER_ID,YYYY-MM-DD,CREDITS,REQUESTS'."""
        args = [self.binary, '--data-dir', self.data_dir] + self.database_args()
        for spec in specs:
            args += ['--record-usage', spec]
        result = subprocess.run(args, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise AssertionError(f'--record-usage failed: {result.stderr}')

    def query(self, sql, params=()):
        """Rows of a read-only query on the server's database (WAL: reads
        see every committed write). On PostgreSQL through psql: ? takes
        params as literals, values come back as int (all digits), None
        (NULL) or str."""
        if self.pg_database is not None:
            import quorum_postgres
            return [tuple(row) for row in quorum_postgres.cluster().query(self.pg_database, sql, params)]
        db = sqlite3.connect(f'file:{os.path.join(self.data_dir, "quorum.db")}?mode=ro', uri=True, timeout=10)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def execute(self, sql, params=()):
        """One write to the server's database beside the running server (as
        an operator's tool would), committed: to set up states the API
        cannot make, such as a plan paid through a past date."""
        if self.pg_database is not None:
            import quorum_postgres
            return quorum_postgres.cluster().execute(self.pg_database, sql, params)
        db = sqlite3.connect(os.path.join(self.data_dir, 'quorum.db'), timeout=10)
        try:
            with db:
                return db.execute(sql, params).rowcount
        finally:
            db.close()

    def database_dump(self):
        """On PostgreSQL, the server's database as pg_dump writes it (schema
        and every row, bytes); None on SQLite, whose database is the data
        dir's quorum.db."""
        if self.pg_database is None:
            return None
        import quorum_postgres
        return quorum_postgres.cluster().dump(self.pg_database)

    def seed_members(self, org_id, count, name='Seeded Member {n}', email='seeded{n}@seed.example',
                     last_active_at=None, id_prefix='seed'):
        """Adds count active members to org_id straight into the database,
        much faster than the API (100,000 in a few seconds: sqlite3's
        executemany on SQLite, COPY through psql on PostgreSQL), for tests
        of scale. The server is stopped meanwhile and started again, so
        that its in-memory member index is built from the rows. name and
        email are formats of n (0…count-1); ASCII, so that Python's
        casefold is the server's. Seeding a second organization takes
        another id_prefix (ids are usr_<prefix><n>, mem_<prefix><n>) and
        addresses."""
        self.stop()
        now = int(time.time())
        users, members = [], []
        for n in range(count):
            nm, em = name.format(n=n), email.format(n=n).lower()
            uid, mid = f'usr_{id_prefix}{n:012d}', f'mem_{id_prefix}{n:012d}'
            users.append((uid, nm, em, now))
            members.append((mid, org_id, uid, 'member', 'active', 0, nm.casefold(), nm.casefold() + '\n' + em,
                            now - 86400, last_active_at))
        user_columns = ('id', 'name', 'email', 'created_at')
        member_columns = ('id', 'org_id', 'user_id', 'role', 'status', 'status_rank', 'sort_name', 'search',
                          'joined_at', 'last_active_at')
        if self.pg_database is not None:
            import quorum_postgres
            quorum_postgres.cluster().copy(self.pg_database, [('users', user_columns, users),
                                                              ('members', member_columns, members)])
        else:
            db = sqlite3.connect(os.path.join(self.data_dir, 'quorum.db'), timeout=10)
            try:
                with db:
                    for table, columns, rows in (('users', user_columns, users), ('members', member_columns, members)):
                        db.executemany(f'INSERT INTO {table} ({", ".join(columns)})'
                                       f' VALUES ({", ".join("?" * len(columns))})', rows)
            finally:
                db.close()
        self.start()

    def vm_hwm_kib(self):
        """The server's peak resident memory so far (VmHWM), in KiB."""
        with open(f'/proc/{self.process.pid}/status') as f:
            return int(re.search(r'^VmHWM:\s+(\d+) kB', f.read(), re.M).group(1))

    def stalled_reader(self, path, token=None, timeout=60):
        """GETs path with a receive buffer of a few KiB and reads only the
        status and headers, then nothing: a client that stopped reading.
        Returns (connection, response); the caller closes the connection."""
        class SmallWindow(http.client.HTTPConnection):
            def connect(self):
                self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                self.sock.settimeout(self.timeout)
                self.sock.connect((self.host, self.port))

        conn = SmallWindow(self.host, self.port, timeout=timeout)
        conn.request('GET', path, headers={'Authorization': 'Bearer ' + token} if token else {})
        return conn, conn.getresponse()

    def stream(self, path, token=None, block=65536, timeout=60):
        """GETs path and reads the body a block at a time without keeping it:
        returns (response, bytes read, number of CRLF line ends, the last
        2 KiB of the body)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request('GET', path, headers={'Authorization': 'Bearer ' + token} if token else {})
            response = conn.getresponse()
            total, lines, tail, previous = 0, 0, b'', b''
            while True:
                data = response.read(block)
                if not data:
                    break
                total += len(data)
                lines += (previous[-1:] + data).count(b'\r\n')
                previous = data
                tail = (tail + data)[-2048:]
            return response, total, lines, tail
        finally:
            conn.close()

    def add_member(self, org_id, owner_token, role='member', name=None, email=None):
        """Invites a new user and accepts; returns (token, member)."""
        QuorumServer._counter += 1
        n = QuorumServer._counter
        email = email or f'member{n}-{os.getpid()}@example.com'
        self.invite(org_id, owner_token, email, role)
        invite_token = self.invitation_token(email)
        r = self.post(f'/v1/invitations/{invite_token}/setup',
                      {'name': name or f'Member {n}', 'password': DEFAULT_PASSWORD})
        if r.status != 201:
            raise AssertionError(f'setup failed: {r!r}')
        token = r.json['token']
        members = self.get(f'/v1/organizations/{org_id}/members?query={urllib.parse.quote(email)}',
                           owner_token).json['items']
        return token, members[0]
