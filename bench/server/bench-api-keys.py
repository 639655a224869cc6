#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""API-key requests against session requests: the same GET members first
page (and GET organization) signed in and with an organization API key, at
the demo's Acme Robotics; sequential p50/p99 and wrk throughput, and how
many commits the key traffic caused (last_used_at is written at most once
a minute per key, so a run should cause at most one or two).

usage: bench-api-keys.py BUILD_DIR [--members N] [--samples N] [--duration S]
Prints a Markdown report on stdout (docs/performance.md, "API keys")."""

import argparse
import http.client
import importlib.util
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile

# The server bench's helpers (start, measure, percentile, wrk): one home.
_spec = importlib.util.spec_from_file_location('bench_server', os.path.join(os.path.dirname(__file__),
                                                                            'bench-server.py'))
bench_server = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_server)


def request(conn, method, path, headers, body=None):
    headers = dict(headers)
    data = None
    if body is not None:
        data = json.dumps(body)
        headers['Content-Type'] = 'application/json'
    conn.request(method, path, body=data, headers=headers)
    r = conn.getresponse()
    payload = r.read()
    if r.status >= 300:
        sys.exit(f'{method} {path}: {r.status} {payload[:200]!r}')
    return json.loads(payload) if payload else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('build_dir')
    ap.add_argument('--members', type=int, default=100000)
    ap.add_argument('--samples', type=int, default=500)
    ap.add_argument('--duration', type=int, default=10)
    args = ap.parse_args()

    server_bin = os.path.join(args.build_dir, 'src', 'server', 'quorum-server')
    data_dir = tempfile.mkdtemp(prefix='quorum-bench-keys-')
    server = None
    try:
        server, su = bench_server.start([server_bin, '--port', '0', '--data-dir', data_dir, '--demo',
                                         '--demo-members', str(args.members), '--auth-rate-limit', '0'],
                                        'quorum-server listening on ')
        conn = http.client.HTTPConnection(su.hostname, su.port)
        token = request(conn, 'POST', '/v1/sessions', {},
                        {'email': 'ada@demo.quorum.test', 'password': 'quorum-demo'})['token']
        session = {'Authorization': 'Bearer ' + token}
        orgs = request(conn, 'GET', '/v1/organizations', session)['items']
        org = [o for o in orgs if o['name'] == 'Acme Robotics'][0]
        base = f"/v1/organizations/{org['id']}"
        key = request(conn, 'POST', f'{base}/api-keys', session,
                      {'name': 'Bench', 'scopes': ['org:read', 'members:read']})['secret']
        api_key = {'Authorization': 'Bearer ' + key}

        rows = []
        for name, path in (('GET organization', base), ('GET members first page (limit 50)', f'{base}/members')):
            for who, headers in (('session', session), ('API key', api_key)):
                bench_server.measure(conn, path, headers, 20)  # warm up
                times = bench_server.measure(conn, path, headers, args.samples)
                rows.append((name, who, statistics.median(times), bench_server.percentile(times, 99)))

        db = sqlite3.connect(f'file:{os.path.join(data_dir, "quorum.db")}?mode=ro', uri=True)
        before = db.execute('PRAGMA data_version').fetchone()[0]
        commits_seen = 0
        wrk_rows = []
        for who, header in (('API key', api_key), ('session', session)):
            rps, p99 = bench_server.wrk(su.geturl(), f'{base}/members', args.duration,
                                        [f'Authorization: {header["Authorization"]}'])
            wrk_rows.append((who, rps, p99))
            if who == 'API key':
                # data_version changes when another connection commits: how
                # many times cannot be told, only whether; the key's row
                # tells how often last_used_at moved (at most once a minute).
                commits_seen = db.execute('PRAGMA data_version').fetchone()[0] != before
        db.close()

        print(f'{args.members:,} active members at Acme Robotics; {args.samples} sequential keep-alive requests '
              f'per row (Python client).\n')
        print('| request | credential | p50 (ms) | p99 (ms) |')
        print('|---|---|---:|---:|')
        for name, who, p50, p99 in rows:
            print(f'| {name} | {who} | {p50:.2f} | {p99:.2f} |')
        print(f'\nwrk -t2 -c16 -d{args.duration}s, `GET members` first page:\n')
        print('| credential | requests/s | p99 latency |')
        print('|---|---:|---:|')
        for who, rps, p99 in wrk_rows:
            print(f'| {who} | {rps:,.0f} | {p99} |')
        print(f'\nDatabase commits during the API-key wrk run: {"some (last_used_at, once a minute)" if commits_seen else "none"}.')
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == '__main__':
    main()
