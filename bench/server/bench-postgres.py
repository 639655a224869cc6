#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""quorum-server on PostgreSQL next to SQLite (docs/performance.md,
"PostgreSQL"): the members page (first page, search, deep page) and
sign-in throughput, one instance on each store, and two instances on one
PostgreSQL database with the members page reads alternated between them
and the sign-in clients spread over them.

usage: bench-postgres.py BUILD_DIR [--members N] [--samples N] [--runs N]
                         [--signins N] [--duration S] [--no-wrk]
                         [--tune SETTING=VALUE ...] [--show-statements]
                         [--baseline OTHER_BUILD_DIR]

One demo install is seeded on SQLite (--password-hash-cost min, so that a
sign-in measures the server and its store, not Argon2id), stopped, and
copied into a database of a throw-away PostgreSQL cluster with
--migrate-from-sqlite (tests/common/quorum_postgres.py, with fsync on,
unlike the tests' clusters, so that commits are as durable as SQLite's). Each run then measures, in turn: one server on the SQLite
file, one on the PostgreSQL database, one on a copy of it with --tune's
settings (default random_page_cost = 1.1), two on the PostgreSQL database,
two on its copy; with --baseline, also one server of the other build on
the database and one on its copy (the figures before a change, measured in
the same runs on the same data). The
report gives the median of the runs, and the number of statements the
PostgreSQL server sends per request with PostgreSQL's own time for them
(log_min_duration_statement = 0, counted once after the runs).

Sign-in writes a session row (and, on a failure, rate-limit rows): on two
instances it measures writes through both on one database.
Prints a Markdown report on stdout."""

import argparse
import http.client
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'tests', 'common'))
import quorum_postgres  # noqa: E402  (the tests' throw-away cluster)

_spec = importlib.util.spec_from_file_location('bench_server', os.path.join(HERE, 'bench-server.py'))
bench_server = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_server)
start, measure, percentile, wrk, load_average = (bench_server.start, bench_server.measure,
                                                 bench_server.percentile, bench_server.wrk,
                                                 bench_server.load_average)

EMAIL, PASSWORD = 'ada@demo.quorum.test', 'quorum-demo'
LISTENING = 'quorum-server listening on '


def server_cmd(build_dir, data_dir, database=None):
    cmd = [os.path.join(build_dir, 'src', 'server', 'quorum-server'), '--port', '0', '--data-dir', data_dir,
           '--auth-rate-limit', '0', '--password-hash-cost', 'min']
    return cmd + (['--database', database] if database else [])


def sign_in(conn):
    conn.request('POST', '/v1/sessions', body=json.dumps({'email': EMAIL, 'password': PASSWORD}),
                 headers={'Content-Type': 'application/json'})
    r = conn.getresponse()
    body = r.read()
    if r.status != 201 and r.status != 200:
        sys.exit(f'sign-in: {r.status} {body[:200]!r}')
    return json.loads(body)['token']


def seed(build_dir, members, data_dir):
    """A stopped SQLite demo install in data_dir; returns the seconds."""
    t = time.perf_counter()
    cmd = server_cmd(build_dir, data_dir) + ['--demo', '--demo-members', str(members)]
    proc, _ = start(cmd, LISTENING)
    seconds = time.perf_counter() - t
    proc.terminate()
    proc.wait()
    return seconds


class Servers:
    """n servers on one database; stopped on exit (their logs kept for a
    failure's message)."""

    def __init__(self, build_dir, database, n=1):
        self.procs, self.urls, self.dirs, self.logs = [], [], [], []
        try:
            for _ in range(n):
                data_dir = tempfile.mkdtemp(prefix='quorum-bench-pg-')
                self.dirs.append(data_dir)
                log = tempfile.TemporaryFile(mode='w+')
                self.logs.append(log)
                proc, url = start(server_cmd(build_dir, data_dir, database), LISTENING, log)
                self.procs.append(proc)
                self.urls.append(url)
        except BaseException:
            self.stop()
            raise

    def conns(self):
        return [http.client.HTTPConnection(u.hostname, u.port) for u in self.urls]

    def stop(self):
        for p in self.procs:
            p.terminate()
            p.wait()
        for d in self.dirs:
            shutil.rmtree(d, ignore_errors=True)
        self.procs = []


class RoundRobin:
    """One keep-alive connection per instance; each request goes to the
    next instance (http.client's request/getresponse, as measure() uses)."""

    def __init__(self, conns):
        self.conns, self.i = conns, 0

    def request(self, *a, **kw):
        self.current = self.conns[self.i % len(self.conns)]
        self.i += 1
        self.current.request(*a, **kw)

    def getresponse(self):
        return self.current.getresponse()


def paths(conn, auth, members):
    """The members page's paths: first page, search, a page half-way."""
    conn.request('GET', '/v1/organizations', headers=auth)
    org = [o for o in json.loads(conn.getresponse().read())['items'] if o['name'] == 'Acme Robotics'][0]
    base = f"/v1/organizations/{org['id']}/members"
    cursor, pages = None, 0
    while pages < members // 2 // 200:
        conn.request('GET', base + '?limit=200' + (f'&cursor={cursor}' if cursor else ''), headers=auth)
        cursor = json.loads(conn.getresponse().read())['next_cursor']
        pages += 1
    return [('first page (limit 50)', base),
            ('search `query=chen` (limit 50)', base + '?query=chen'),
            (f'deep page (after {pages * 200:,} members)', base + f'?cursor={cursor}')]


def reads(conn, auth, scenarios, samples):
    rows = {}
    for name, path in scenarios:
        measure(conn, path, auth, 20)  # warm up (and, on two instances, both)
        times = measure(conn, path, auth, samples)
        rows[name] = (statistics.median(times), percentile(times, 99))
    return rows


def sign_ins(urls, n, threads=4):
    """n sign-ins from `threads` clients at once (keep-alive each; on
    several instances the clients are spread over them in turn); returns
    sign-ins per second and the median latency in ms."""
    latencies, lock, errors = [], threading.Lock(), []

    def client(count, url):
        conn = http.client.HTTPConnection(url.hostname, url.port)
        try:
            for _ in range(count):
                t0 = time.perf_counter()
                sign_in(conn)
                with lock:
                    latencies.append((time.perf_counter() - t0) * 1000)
        except BaseException as e:  # sys.exit in a thread: report it
            errors.append(e)
        conn.close()

    workers = [threading.Thread(target=client, args=(n // threads, urls[i % len(urls)])) for i in range(threads)]
    t = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - t
    if errors:
        sys.exit(f'sign-in failed: {errors[0]}')
    return len(latencies) / wall, statistics.median(latencies)


def run_one(build_dir, label, database, args, n=1):
    servers = Servers(build_dir, database, n)
    try:
        conns = servers.conns()
        token = sign_in(conns[0])
        auth = {'Authorization': 'Bearer ' + token}
        client = RoundRobin(conns) if n > 1 else conns[0]
        scenarios = paths(client, auth, args.members)
        figures = {'rows': reads(client, auth, scenarios, args.samples)}
        if not args.no_wrk:
            base = scenarios[0][1]
            hdr = [f'Authorization: Bearer {token}']
            if n == 1:
                figures['wrk'] = wrk(servers.urls[0].geturl(), base, args.duration, hdr)[0]
            else:
                # One wrk per instance at once, each with half the connections
                # of the one-instance run: the sum is the pair's throughput.
                results = [None] * n

                def one(i):
                    results[i] = wrk(servers.urls[i].geturl(), base, args.duration, hdr, 16 // n, 1)[0]

                ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
                for t in ts:
                    t.start()
                for t in ts:
                    t.join()
                figures['wrk'] = sum(results)
        figures['signin'] = sign_ins(servers.urls, args.signins)
        return figures
    except BaseException:
        for i, log in enumerate(servers.logs):
            log.seek(0)
            tail = [line for line in log.read().splitlines() if not line.endswith('ms')][-20:]
            print(f'{label} server {i} log, requests left out:\n' + '\n'.join(tail), file=sys.stderr)
        raise
    finally:
        servers.stop()


def count_statements(build_dir, cluster, db, args):
    """Statements the server sends per request, and PostgreSQL's own time
    for them (parse, bind and execute), from the cluster's log with
    log_min_duration_statement = 0 (set for this database, so only for
    sessions opened after it: a fresh server). Each request runs twice
    first, so that prepares and the read cache's start are not counted."""
    cluster.psql(f'ALTER DATABASE "{db}" SET log_min_duration_statement = 0')
    servers = Servers(build_dir, cluster.url(db))
    try:
        conn = servers.conns()[0]
        token = sign_in(conn)
        auth = {'Authorization': 'Bearer ' + token}
        counts = {}
        todo = [(name, 'GET', path, None) for name, path in paths(conn, auth, args.members)]
        todo.append(('sign-in', 'POST', '/v1/sessions', json.dumps({'email': EMAIL, 'password': PASSWORD})))
        for name, method, path, body in todo:
            headers = {'Content-Type': 'application/json'} if body else auth
            for attempt in range(3):
                time.sleep(0.3)  # let the log catch up
                before = len(cluster.log())
                conn.request(method, path, body=body, headers=headers)
                r = conn.getresponse()
                r.read()
                time.sleep(0.3)
                new = cluster.log()[before:]
            # The webhook queue's poll and its count of due tries (every
            # 250 ms, not per request) are left out.
            lines = [line.split('LOG:  duration: ', 1)[1] for line in new.splitlines()
                     if 'LOG:  duration: ' in line and 'webhook_deliveries' not in line]
            ms = sum(float(line.split(' ms', 1)[0]) for line in lines)
            statements = [line for line in lines if '  execute ' in line or '  statement: ' in line]
            counts[name] = (len(statements), ms, [line[:150] for line in statements])
        return counts
    finally:
        servers.stop()
        cluster.psql(f'ALTER DATABASE "{db}" RESET log_min_duration_statement')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('build_dir')
    ap.add_argument('--members', type=int, default=10000)
    ap.add_argument('--samples', type=int, default=200)
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--signins', type=int, default=1000, help='sign-ins per run (4 clients at once)')
    ap.add_argument('--duration', type=int, default=5, help='seconds of each wrk')
    ap.add_argument('--no-wrk', action='store_true')
    ap.add_argument('--show-statements', action='store_true', help='print the statements counted')
    ap.add_argument('--baseline', metavar='BUILD_DIR',
                    help='another build (say, of main) also measured on PostgreSQL, one instance, in each run')
    ap.add_argument('--tune', action='append', metavar='SETTING=VALUE',
                    help='also measure one instance on a copy of the database with this setting '
                         '(repeatable; default random_page_cost=1.1; --tune none for none)')
    args = ap.parse_args()
    args.tune = [t for t in (args.tune or ['random_page_cost=1.1']) if t != 'none']
    reason = quorum_postgres.available()
    if reason:
        sys.exit(reason)

    work = tempfile.mkdtemp(prefix='quorum-bench-pg-')
    cluster = None
    try:
        sqlite_dir = os.path.join(work, 'sqlite')
        seed_seconds = seed(args.build_dir, args.members, sqlite_dir)
        # Durable commits (fsync on), as SQLite's synchronous = FULL: else
        # sign-in (a write) would compare a durable commit with a volatile one.
        cluster = quorum_postgres.Cluster(durable=True)
        fsync = cluster.psql('SHOW fsync')[0][0]
        db = cluster.create_database()
        t = time.perf_counter()
        subprocess.run([os.path.join(args.build_dir, 'src', 'server', 'quorum-server'), '--migrate-from-sqlite',
                        sqlite_dir, '--database', cluster.url(db)], check=True, capture_output=True)
        copy_seconds = time.perf_counter() - t
        cluster.psql('VACUUM ANALYZE', database=db)

        kinds = [('SQLite', None, 1, args.build_dir), ('PostgreSQL', cluster.url(db), 1, args.build_dir),
                 ('PostgreSQL ×2', cluster.url(db), 2, args.build_dir)]
        if args.baseline:
            kinds.insert(2, ('PostgreSQL baseline', cluster.url(db), 1, args.baseline))
        if args.tune:
            # The same data with settings of its own (a copy of the database,
            # statistics and all).
            tuned = db + '_tuned'
            cluster.psql(f'CREATE DATABASE "{tuned}" TEMPLATE "{db}"')
            for setting in args.tune:
                name, value = setting.split('=', 1)
                cluster.psql(f'ALTER DATABASE "{tuned}" SET {name} = \'{value}\'')
            kinds.insert(2, ('PostgreSQL, ' + ', '.join(args.tune), cluster.url(tuned), 1, args.build_dir))
            if args.baseline:
                kinds.insert(4, ('PostgreSQL baseline, ' + ', '.join(args.tune), cluster.url(tuned), 1,
                                 args.baseline))
            kinds.append(('PostgreSQL ×2, ' + ', '.join(args.tune), cluster.url(tuned), 2, args.build_dir))
        results = {label: [] for label, _, _, _ in kinds}
        loads = [load_average()]
        for _ in range(args.runs):
            for label, database, n, build in kinds:
                results[label].append(run_one(build, label, database or os.path.join(sqlite_dir, 'quorum.db'),
                                              args, n))
            loads.append(load_average())
        counts = count_statements(args.build_dir, cluster, db, args)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)

    med = statistics.median
    labels = [label for label, _, _, _ in kinds]
    print(f'{args.members:,} active members (demo data, seeded on SQLite in {seed_seconds:.1f} s, copied into '
          f'PostgreSQL 15 with --migrate-from-sqlite in {copy_seconds:.1f} s; the cluster on loopback TCP, '
          f'fsync {fsync}, synchronous_commit and full_page_writes at their defaults (on)); {os.cpu_count()} cores; median of {args.runs} run(s), the set-ups in turn in each run.')
    print(f'Load average (1, 5, 15 min) before the runs and after each: {"; ".join(loads)}.\n')
    print(f'{args.samples} sequential requests per row (keep-alive, Python client; on two instances each '
          'request goes to the other instance than the last):\n')
    print('| GET members | ' + ' | '.join(f'{l} p50 | {l} p99' for l in labels) + ' |')
    print('|---|' + '---:|' * (2 * len(labels)))
    for name in results[labels[0]][0]['rows']:
        cells = []
        for l in labels:
            cells.append(f'{med([r["rows"][name][0] for r in results[l]]):.2f}')
            cells.append(f'{med([r["rows"][name][1] for r in results[l]]):.2f}')
        print(f'| {name} | {" | ".join(cells)} |')
    if not args.no_wrk:
        print(f'\nwrk, first page, {args.duration} s, 16 connections (two instances: one wrk -t1 -c8 per '
              'instance at once, summed):\n')
        print('| | ' + ' | '.join(labels) + ' |')
        print('|---|' + '---:|' * len(labels))
        print('| requests/s | ' + ' | '.join(f'{med([r["wrk"] for r in results[l]]):,.0f}' for l in labels) + ' |')
    print(f'\nSign-in (`POST /v1/sessions`, {args.signins} per run, 4 clients at once, Argon2id at the '
          '`min` cost; two instances: two clients on each):\n')
    single = labels
    print('| | ' + ' | '.join(single) + ' |')
    print('|---|' + '---:|' * len(single))
    print('| sign-ins/s | ' + ' | '.join(f'{med([r["signin"][0] for r in results[l]]):,.0f}' for l in single)
          + ' |')
    print('| median latency (ms) | '
          + ' | '.join(f'{med([r["signin"][1] for r in results[l]]):.2f}' for l in single) + ' |')
    print('\nStatements the PostgreSQL server sends per request (each a libpq round trip; '
          'third request of each kind; the webhook queue\'s poll, 4 a second per instance, left out; '
          'the time is parse, bind and execute as PostgreSQL logs them, without the trips):\n')
    print('| request | statements | PostgreSQL\'s time for them (ms) |')
    print('|---|---:|---:|')
    for name, (n, ms, _) in counts.items():
        print(f'| {name} | {n} | {ms:.3f} |')
    if args.show_statements:
        for name, (n, _, lines) in counts.items():
            print(f'\n{name}:\n' + '\n'.join(f'    {line}' for line in lines))


if __name__ == '__main__':
    main()
