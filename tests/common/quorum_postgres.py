# SPDX-License-Identifier: GPL-3.0-or-later
"""A throw-away PostgreSQL cluster for the server tests: initdb in a
temporary directory, pg_ctl start on a free loopback port (its unix socket
in the same directory), one database per server instance, stopped and
removed when the test process exits. No installed service is used.

initdb and pg_ctl refuse to run as root: as root (CI on Debian 12) they run
as the `postgres` user (which the postgresql package creates) through
runuser, and the temporary directory is handed to it; as anyone else they
run directly. The superuser is `postgres` either way, with trust
authentication on loopback and the socket only (the cluster lives for one
test process and listens on 127.0.0.1)."""

import atexit
import glob
import itertools
import os
import pwd
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SUPERUSER = 'postgres'


def _bindir():
    """Where initdb and pg_ctl are: Debian keeps them out of PATH, in
    /usr/lib/postgresql/<version>/bin. pg_config (libpq-dev) names it; else
    the newest such directory; else PATH."""
    candidates = []
    try:
        out = subprocess.run(['pg_config', '--bindir'], capture_output=True, text=True, timeout=30)
        if out.returncode == 0:
            candidates.append(out.stdout.strip())
    except OSError:
        pass
    candidates += sorted(glob.glob('/usr/lib/postgresql/*/bin'),
                         key=lambda d: [int(x) for x in d.split('/')[-2].split('.') if x.isdigit()], reverse=True)
    for d in candidates:
        if os.access(os.path.join(d, 'initdb'), os.X_OK) and os.access(os.path.join(d, 'pg_ctl'), os.X_OK):
            return d
    found = shutil.which('initdb')
    if found and shutil.which('pg_ctl'):
        return os.path.dirname(found)
    return None


def available():
    """None when a cluster can be made here, else why not (for a skip)."""
    if _bindir() is None:
        return 'PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql (tools/install-deps test)'
    if os.geteuid() == 0:
        try:
            pwd.getpwnam('postgres')
        except KeyError:
            return 'running as root without a postgres user to run initdb as'
        if shutil.which('runuser') is None:
            return 'running as root without runuser'
    if shutil.which('psql') is None:
        return 'psql not found: install postgresql-client'
    return None


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _locale():
    """A cluster locale that is not C when the machine has one, so that a
    column sorting by the database's collation instead of SQLite's byte
    order shows (the schema asks for COLLATE "C")."""
    try:
        names = subprocess.run(['locale', '-a'], capture_output=True, text=True, timeout=30).stdout.split()
    except OSError:
        names = []
    for wanted in ('en_US.utf8', 'pt_BR.utf8', 'C.utf8'):
        if wanted in names:
            return wanted
    return 'C'


class Cluster:
    """One running cluster; see the module's comment."""

    _names = itertools.count(1)

    def __init__(self, durable=False):
        """durable: fsync, synchronous_commit and full_page_writes left on
        (PostgreSQL's defaults), as in production: for benchmarks that
        compare commits with SQLite's synchronous = FULL. The tests run
        without them."""
        reason = available()
        if reason:
            raise RuntimeError(reason)
        self.bindir = _bindir()
        self.as_root = os.geteuid() == 0
        self.dir = tempfile.mkdtemp(prefix='quorum-pg-test-')
        self.data = os.path.join(self.dir, 'data')
        self.log_path = os.path.join(self.dir, 'postgres.log')
        self.port = None
        self.started = False
        self.durable = durable
        if self.as_root:
            entry = pwd.getpwnam('postgres')
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        try:
            self._run([os.path.join(self.bindir, 'initdb'), '-D', self.data, '-U', SUPERUSER, '--auth=trust',
                       '-E', 'UTF8', '--locale', _locale(), '--lc-messages', 'C', '--no-sync'])
            self._start()
        except BaseException:
            self.stop()
            raise

    def _run(self, args, **kw):
        """Runs a server binary as the user allowed to run it."""
        if self.as_root:
            args = ['runuser', '-u', 'postgres', '--'] + args
        result = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=self.dir, **kw)
        if result.returncode != 0:
            raise RuntimeError(f'{" ".join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}')
        return result

    def _start(self):
        # The port is free when picked; another process may take it before
        # the postmaster binds it, so try a few.
        for attempt in range(5):
            self.port = _free_port()
            options = (f'-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c max_connections=200'
                       + ('' if self.durable else ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off')
                       + (' -c shared_preload_libraries=pg_stat_statements' if self.has_statement_stats() else ''))
            try:
                self._run([os.path.join(self.bindir, 'pg_ctl'), '-D', self.data, '-l', self.log_path, '-w',
                           '-t', '60', '-o', options, 'start'])
                self.started = True
                return
            except RuntimeError:
                if attempt == 4:
                    raise RuntimeError('pg_ctl start failed:\n' + self.log())

    def has_statement_stats(self):
        """Whether the cluster counts statements (pg_stat_statements,
        shipped with Debian's postgresql package; preloaded when found)."""
        return os.path.exists(os.path.join(os.path.dirname(self.bindir), 'lib', 'pg_stat_statements.so'))

    def statement_calls(self, database, user, pattern):
        """How many times user ran statements whose text is LIKE pattern
        on database (pg_stat_statements counts as each one ends: no waiting).
        Each statement as prepared, with $N for its parameters."""
        self.psql('CREATE EXTENSION IF NOT EXISTS pg_stat_statements', database)
        rows = self.query(database, 'SELECT COALESCE(SUM(s.calls), 0) FROM pg_stat_statements s'
                                    ' JOIN pg_database d ON d.oid = s.dbid JOIN pg_roles r ON r.oid = s.userid'
                                    ' WHERE d.datname = ? AND r.rolname = ? AND s.query LIKE ?',
                          (database, user, pattern))
        return int(rows[0][0])

    def log(self):
        try:
            with open(self.log_path, errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    def psql(self, sql, database='postgres'):
        """Runs sql as the superuser; returns the rows as lists of text
        (NULL as the empty string)."""
        out = self._psql_raw(database, sql)
        return [['' if v == '\x1e' else v for v in line.split('\x1f')] for line in out.split('\n') if line]

    @staticmethod
    def _literal(value):
        if value is None:
            return 'NULL'
        if isinstance(value, bool):
            return '1' if value else '0'
        if isinstance(value, int):
            return str(value)
        if isinstance(value, (bytes, bytearray)):
            return "'\\x" + bytes(value).hex() + "'::bytea"
        return "'" + str(value).replace("'", "''") + "'"

    @classmethod
    def _bind(cls, sql, params):
        """sql with each ? outside quotes replaced by the next param as a
        literal (sqlite3's placeholder style, for QuorumServer.query)."""
        out, params, quote = [], list(params), None
        for c in sql:
            if quote:
                quote = None if c == quote else quote
            elif c in "'\"":
                quote = c
            elif c == '?':
                out.append(cls._literal(params.pop(0)))
                continue
            out.append(c)
        if params:
            raise ValueError('more params than placeholders')
        return ''.join(out)

    def _psql_raw(self, database, sql, quiet=True):
        result = subprocess.run(['psql', '-X', '-v', 'ON_ERROR_STOP=1', '-A', '-t', '-F', '\x1f',
                                 '-P', 'null=\x1e'] + (['-q'] if quiet else []) +
                                ['-h', self.dir, '-p', str(self.port), '-U', SUPERUSER, '-d', database,
                                 '-c', sql], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f'psql failed: {result.stderr}')
        return result.stdout

    def query(self, database, sql, params=()):
        """Rows of sql (? placeholders) as tuples: int for an all-digit
        value, bytes for bytea (\\x…), None for NULL, else str."""
        def value(text):
            if text == '\x1e':
                return None
            if text.lstrip('-').isdigit():
                return int(text)
            if re.fullmatch(r'\\x(?:[0-9a-f]{2})*', text):
                return bytes.fromhex(text[2:])  # bytea, as sqlite3 gives a BLOB
            return text
        out = self._psql_raw(database, self._bind(sql, params))
        return [tuple(value(v) for v in line.split('\x1f')) for line in out.split('\n') if line]

    def execute(self, database, sql, params=()):
        """Runs one statement (? placeholders); returns the rows it changed."""
        out = self._psql_raw(database, self._bind(sql, params), quiet=False)
        tags = [line.split() for line in out.split('\n') if line.split()[:1] in (['INSERT'], ['UPDATE'], ['DELETE'])]
        return int(tags[-1][-1]) if tags else 0

    @staticmethod
    def _copy_value(value):
        """value in COPY's text format."""
        if value is None:
            return '\\N'
        if isinstance(value, bool):
            return '1' if value else '0'
        if isinstance(value, (bytes, bytearray)):
            return '\\\\x' + bytes(value).hex()
        text = str(value)
        for c, escaped in (('\\', '\\\\'), ('\t', '\\t'), ('\n', '\\n'), ('\r', '\\r')):
            text = text.replace(c, escaped)
        return text

    def copy(self, database, tables):
        """Loads rows fast, in one transaction: tables is a list of (table,
        columns, rows), each row a tuple of values (None is NULL, bytes is
        bytea), sent with COPY … FROM STDIN through one psql."""
        script = []
        for table, columns, rows in tables:
            script.append(f'COPY {table} ({", ".join(columns)}) FROM STDIN;')
            script.extend('\t'.join(self._copy_value(v) for v in row) for row in rows)
            script.append('\\.')
        result = subprocess.run(['psql', '-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-h', self.dir, '-p',
                                 str(self.port), '-U', SUPERUSER, '-d', database, '-f', '-'],
                                input='\n'.join(script) + '\n', capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise RuntimeError(f'psql COPY failed: {result.stderr}')

    def dump(self, database):
        """pg_dump of database (schema and rows, plain SQL) as bytes: what
        the store keeps, to scan for what it must not keep."""
        result = subprocess.run([os.path.join(self.bindir, 'pg_dump'), '-h', self.dir, '-p', str(self.port),
                                 '-U', SUPERUSER, '-d', database], capture_output=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f'pg_dump failed: {result.stderr.decode(errors="replace")}')
        return result.stdout

    def session(self, database):
        """A Session: one psql connection to database that stays open, for
        what must outlive a statement (a held advisory lock, an open
        transaction). Close it, or it closes when the test process ends."""
        return Session(self, database)

    def create_database(self):
        """A new empty database; returns its name."""
        name = f'quorum_{os.getpid()}_{next(Cluster._names)}'
        self.psql(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name):
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def url(self, database, user=SUPERUSER, password=None):
        """The postgresql:// URL of database over loopback TCP (trust
        authentication takes any password)."""
        auth = user + (f':{password}' if password is not None else '')
        return f'postgresql://{auth}@127.0.0.1:{self.port}/{database}'

    def stop(self):
        if self.started:
            self.started = False
            try:
                self._run([os.path.join(self.bindir, 'pg_ctl'), '-D', self.data, '-m', 'immediate', '-w', 'stop'])
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                print(f'quorum_postgres: {e}', file=sys.stderr)
        shutil.rmtree(self.dir, ignore_errors=True)


class Session:
    """One psql process on one database (Cluster.session): run() sends a
    statement and returns its output lines once it has finished, so a
    pg_advisory_lock () run here is held when run() returns, until
    pg_advisory_unlock () or close()."""

    _markers = itertools.count(1)

    def __init__(self, cluster, database):
        self.process = subprocess.Popen(
            ['psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', cluster.dir, '-p', str(cluster.port),
             '-U', SUPERUSER, '-d', database],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.pending = b''

    def run(self, sql, timeout=60):
        """sql's output lines (psql's unaligned rows), once it has run; an
        error ends the session (ON_ERROR_STOP) and raises."""
        marker = f'quorum-session-done-{next(Session._markers)}'
        self.process.stdin.write((sql.rstrip().rstrip(';') + ';\n\\echo ' + marker + '\n').encode())
        self.process.stdin.flush()
        deadline = time.monotonic() + timeout
        fd = self.process.stdout.fileno()
        while True:
            lines = self.pending.decode(errors='replace').split('\n')
            if marker in lines:
                self.pending = '\n'.join(lines[lines.index(marker) + 1:]).encode()
                return [line for line in lines[:lines.index(marker)] if line]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(f'psql session: {sql!r} did not finish in {timeout} s')
            if select.select([fd], [], [], remaining)[0]:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise RuntimeError('psql session ended:\n' + self.pending.decode(errors='replace'))
                self.pending += chunk

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()


class Gate:
    """A door the servers' transactions stop at until the test opens it, to
    make a race certain instead of likely: a trigger on table (BEFORE event
    FOR EACH ROW, only rows matching `when` if given) waits for an advisory
    lock that the gate holds from a Session of its own. Every
    transaction that reaches the trigger waits there (keeping what it has
    read and locked so far) until open(); waiting() counts the servers'
    sessions waiting for any lock (the gate's, or a row another one holds).

        with Gate(cluster, db, 'invitations', 'INSERT') as gate:
            ... start two requests in threads ...
            gate.wait_for_waiting(2)   # both inside their transactions
            gate.open()

    Leaving the block opens the gate and drops the trigger."""

    _numbers = itertools.count(1)

    def __init__(self, cluster, database, table, event='INSERT', when=None):
        self.cluster, self.database = cluster, database
        number = next(Gate._numbers)
        self.name = f'quorum_test_gate_{number}'
        self.key = 1742170 + number  # each gate its own lock
        self.table = table
        self.session = cluster.session(database)
        self.session.run(f'SELECT pg_advisory_lock({self.key})')
        cluster.psql(f"""
            CREATE OR REPLACE FUNCTION {self.name} () RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_advisory_xact_lock_shared ({self.key}); RETURN COALESCE (NEW, OLD); END $$;
            CREATE TRIGGER {self.name} BEFORE {event} ON {table} FOR EACH ROW
            {f"WHEN ({when})" if when else ""} EXECUTE FUNCTION {self.name} ();""", database)
        self.closed = True

    def waiting(self):
        """The server sessions (application_name quorum-server) of this
        database waiting for a lock now."""
        return self.cluster.query(self.database,
                                  "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                                  " AND application_name = 'quorum-server' AND wait_event_type = 'Lock'")[0][0]

    def wait_for_waiting(self, n, timeout=60):
        deadline = time.monotonic() + timeout
        while self.waiting() < n:
            if time.monotonic() > deadline:
                raise AssertionError(f'{n} server transactions never waited at the gate on {self.table}')
            time.sleep(0.05)

    def open(self):
        if self.closed:
            self.closed = False
            self.session.run(f'SELECT pg_advisory_unlock({self.key})')

    def close(self):
        """Opens the gate and removes the trigger."""
        try:
            self.open()
            self.cluster.psql(f'DROP TRIGGER IF EXISTS {self.name} ON {self.table};'
                              f' DROP FUNCTION IF EXISTS {self.name} ();', self.database)
        finally:
            self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


_cluster = None


def _stop_and_die(signum, frame):
    """SIGTERM (meson on a timeout): stop the cluster at once, then die of
    the signal. (Raising SystemExit instead would be caught by unittest as
    a test's error and the run would go on.)"""
    if _cluster is not None:
        _cluster.stop()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def cluster():
    """The test process's cluster, made on first use and removed at exit
    (also when the process is ended by SIGTERM, as meson does on timeout)."""
    global _cluster
    if _cluster is None:
        started = time.monotonic()
        _cluster = Cluster()
        atexit.register(_cluster.stop)
        if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, _stop_and_die)
        if os.environ.get('QUORUM_TEST_VERBOSE'):
            print(f'quorum_postgres: cluster on port {_cluster.port} in {time.monotonic() - started:.1f} s',
                  file=sys.stderr)
    return _cluster
