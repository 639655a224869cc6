#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What rate limits in the database cost (docs/performance.md, "Rate limits
in the database"): two builds of quorum-server side by side, a baseline and
a new one, each on SQLite and on a PostgreSQL database of a throw-away
cluster (fsync on, as bench-postgres.py's), every limit on (with limits high
enough never to refuse) and --password-hash-cost min, so that a sign-in
measures the server and its store rather than Argon2id.

usage: bench-limits.py BASE_BUILD NEW_BUILD [--runs N] [--requests N]

Per run and per (build, store), one fresh server, then sequential requests
from one client address, each timed: failed sign-ins (each to another
unknown account: new counters every time), successful sign-ins, and
GET /v1/me (a route no limit counts, the control). The report gives each
median over the runs of the per-request median, in ms. Prints Markdown."""

import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'tests', 'common'))
import quorum_postgres  # noqa: E402  (the tests' throw-away cluster)
from quorum_server import DEFAULT_PASSWORD, QuorumServer  # noqa: E402

HIGH = ['--signin-rate-limit', '1000000', '--signin-client-limit', '1000000', '--auth-rate-limit', '1000000',
        '--signin-backoff', '1']


def timed(call, n):
    times = []
    for i in range(n):
        start = time.perf_counter()
        status = call(i)
        times.append((time.perf_counter() - start) * 1000)
        assert status in (200, 201, 401), status
    return statistics.median(times)


def one(build, database, n, tag):
    os.environ['QUORUM_SERVER_BINARY'] = os.path.join(build, 'src', 'server', 'quorum-server')
    extra = ['--database', database] if database else []
    server = QuorumServer(*HIGH, *extra, rate_limits=True)
    try:
        owner = server.signup(email=f'bench-{tag}@example.com')
        fail = timed(lambda i: server.post('/v1/sessions', {'email': f'nobody-{tag}-{i}@example.com',
                                                            'password': 'wrong'}).status, n)
        ok = timed(lambda i: server.post('/v1/sessions', {'email': f'bench-{tag}@example.com',
                                                          'password': DEFAULT_PASSWORD}).status, n)
        me = timed(lambda i: server.get('/v1/me', owner['token']).status, n)
        return fail, ok, me
    finally:
        server.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('base')
    parser.add_argument('new')
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--requests', type=int, default=200)
    args = parser.parse_args()
    if quorum_postgres.available():
        sys.exit(f'bench-limits: {quorum_postgres.available()}')
    cluster = quorum_postgres.Cluster(durable=True)
    results = {}
    load = os.getloadavg()
    for run in range(args.runs):
        for store in ('sqlite', 'postgresql'):
            for name, build in (('base', args.base), ('new', args.new)):
                database = None
                if store == 'postgresql':
                    database = cluster.url(cluster.create_database())
                results.setdefault((store, name), []).append(one(build, database, args.requests,
                                                                 f'{run}-{store}-{name}'))
    cluster.stop()
    print(f'load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; after: '
          + ' '.join(f'{x:.2f}' for x in os.getloadavg()))
    print()
    print('| store | build | failed sign-in (ms) | sign-in (ms) | GET /v1/me (ms) |')
    print('|---|---|---|---|---|')
    for (store, name), rows in results.items():
        cols = [statistics.median(r[i] for r in rows) for i in range(3)]
        print(f'| {store} | {name} | ' + ' | '.join(f'{c:.2f}' for c in cols) + ' |')


if __name__ == '__main__':
    main()
