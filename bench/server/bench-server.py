#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""quorum-server benchmark: GET members latency at 100,000 members, and
requests per second under wrk next to a trivial libsoup server.

usage: bench-server.py BUILD_DIR [--members N] [--samples N] [--duration S]
                       [--runs N] [--no-wrk] [--baseline OTHER_BUILD_DIR]

Each run starts a fresh server (and seeds it); every figure is the median
of the runs. With --baseline, the runs of the two builds alternate, so both
see the same machine load.
Prints a Markdown report on stdout (docs/performance.md, "Server")."""

import argparse
import threading
import http.client
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse


def start(cmd, prefix, log=None):
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log or subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if not line.startswith(prefix):
        proc.kill()
        sys.exit(f'{cmd[0]} did not start: {line!r}')
    url = line[len(prefix):].strip()
    return proc, urllib.parse.urlparse(url)


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


def measure(conn, path, headers, samples):
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        conn.request('GET', path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        times.append((time.perf_counter() - t) * 1000)
        if r.status != 200:
            sys.exit(f'{path}: {r.status} {body[:200]!r}')
    return times


def wrk(url, path, duration, headers=(), connections=16, threads=2):
    cmd = ['wrk', '-t', str(threads), '-c', str(connections), '-d', f'{duration}s', '--latency']
    for h in headers:
        cmd += ['-H', h]
    out = subprocess.run(cmd + [url + path], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
    p99 = re.search(r'99%\s+([\d.]+\w+)', out).group(1)
    non2xx = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    if non2xx:
        sys.exit(f'wrk {path}: {non2xx.group(1)} errors')
    return rps, p99


def run_once(build_dir, args, label):
    """One bench run against build_dir's quorum-server; returns the figures."""
    server_bin = os.path.join(build_dir, 'src', 'server', 'quorum-server')
    trivial_bin = os.path.join(build_dir, 'bench', 'server', 'bench-trivial-soup')
    data_dir = tempfile.mkdtemp(prefix='quorum-bench-')
    procs = []
    try:
        t = time.perf_counter()
        # The server's log, shown if the run fails (one line per request).
        log = tempfile.TemporaryFile(mode='w+')
        server, su = start([server_bin, '--port', '0', '--data-dir', data_dir, '--demo',
                            '--demo-members', str(args.members), '--auth-rate-limit', '0'],
                           'quorum-server listening on ', log)
        seed_seconds = time.perf_counter() - t
        procs.append(server)
        trivial, tu = start([trivial_bin], 'bench-trivial-soup listening on ')
        procs.append(trivial)

        conn = http.client.HTTPConnection(su.hostname, su.port)
        conn.request('POST', '/v1/sessions', body=json.dumps({'email': 'ada@demo.quorum.test',
                                                              'password': 'quorum-demo'}),
                     headers={'Content-Type': 'application/json'})
        token = json.loads(conn.getresponse().read())['token']
        auth = {'Authorization': 'Bearer ' + token}
        t = time.perf_counter()
        conn.request('GET', '/v1/organizations', headers=auth)
        response = conn.getresponse()
        orgs = response.read()
        cold = (time.perf_counter() - t) * 1000
        org = [o for o in json.loads(orgs)['items'] if o['name'] == 'Acme Robotics'][0]
        base = f"/v1/organizations/{org['id']}/members"

        # A page deep in the cursor: follow next_cursor half-way through.
        cursor, pages = None, 0
        target = args.members // 2 // 200
        while pages < target:
            conn.request('GET', base + '?limit=200' + (f'&cursor={cursor}' if cursor else ''), headers=auth)
            cursor = json.loads(conn.getresponse().read())['next_cursor']
            pages += 1

        # The same half-way point in the order by last activity.
        active_cursor, active_pages = None, 0
        while active_pages < target:
            conn.request('GET', base + '?sort=last_active&limit=200'
                         + (f'&cursor={active_cursor}' if active_cursor else ''), headers=auth)
            active_cursor = json.loads(conn.getresponse().read())['next_cursor']
            active_pages += 1

        scenarios = [
            ('first page (limit 50)', base, auth),
            ('search `query=chen` (limit 50)', base + '?query=chen', auth),
            ('search, rare match `query=zainab.zhang2`', base + '?query=zainab.zhang2', auth),
            ('search, every member matches `query=acme`', base + '?query=acme', auth),
            (f'deep page (after {pages * 200:,} members)', base + f'?cursor={cursor}', auth),
            ('filter `role=admin`', base + '?role=admin', auth),
            ('filter `inactive_days=90`', base + '?inactive_days=90', auth),
            ('`sort=last_active`, first page', base + '?sort=last_active', auth),
            (f'`sort=last_active`, deep page (after {active_pages * 200:,})',
             base + f'?sort=last_active&cursor={active_cursor}', auth),
            ('`inactive_days=90&sort=last_active&role=admin`',
             base + '?inactive_days=90&sort=last_active&role=admin', auth),
            ('`inactive_days=30&query=chen`', base + '?inactive_days=30&query=chen', auth),
            ('first page, limit 200', base + '?limit=200', auth),
            ('first page, limit 200, `Accept-Encoding: gzip`', base + '?limit=200',
             dict(auth, **{'Accept-Encoding': 'gzip'})),
        ]
        rows = {}
        for name, path, headers in scenarios:
            measure(conn, path, headers, 20)  # warm up
            times = measure(conn, path, headers, args.samples)
            conn.request('GET', path, headers=headers)
            r = conn.getresponse()
            size = len(r.read())
            rows[name] = (statistics.median(times), percentile(times, 99), size)

        # The CSV export of the whole organization, streamed; a second
        # connection asks for /health every 10 ms meanwhile.
        stop = threading.Event()
        waits = []

        def poll_health():
            hc = http.client.HTTPConnection(su.hostname, su.port)
            while not stop.is_set():
                t0 = time.perf_counter()
                hc.request('GET', '/health')
                hc.getresponse().read()
                waits.append((time.perf_counter() - t0) * 1000)
                time.sleep(0.01)
            hc.close()

        poller = threading.Thread(target=poll_health)
        poller.start()
        t = time.perf_counter()
        conn.request('GET', base + '/export', headers=auth)
        response = conn.getresponse()
        export_bytes = 0
        while True:
            block = response.read(65536)
            if not block:
                break
            export_bytes += len(block)
        export_seconds = time.perf_counter() - t
        stop.set()
        poller.join()

        figures = {'seed': seed_seconds, 'cold': cold, 'rows': rows, 'export': export_seconds,
                   'export_bytes': export_bytes, 'health_worst': max(waits) if waits else 0}
        if not args.no_wrk:
            figures['health'] = wrk(su.geturl(), '/health', args.duration)
            figures['members'] = wrk(su.geturl(), base, args.duration, [f'Authorization: Bearer {token}'])
            figures['members_gzip'] = wrk(su.geturl(), base, args.duration,
                                          [f'Authorization: Bearer {token}', 'Accept-Encoding: gzip'])
            figures['trivial'] = wrk(tu.geturl(), '/health', args.duration)
        return figures
    except Exception:
        if procs:
            procs[0].poll()
            log.seek(0)
            tail = [line for line in log.read().splitlines() if not line.endswith('ms')][-20:]
            print(f'{label} run failed; server exit status {procs[0].returncode}; its log, requests left out:\n'
                  + '\n'.join(tail), file=sys.stderr)
        raise
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


def load_average():
    try:
        with open('/proc/loadavg') as f:
            return ' '.join(f.read().split()[:3])
    except OSError:
        return '?'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('build_dir')
    ap.add_argument('--members', type=int, default=100000)
    ap.add_argument('--samples', type=int, default=500)
    ap.add_argument('--duration', type=int, default=10)
    ap.add_argument('--runs', type=int, default=1,
                    help='runs per build; the report gives the median of the runs')
    ap.add_argument('--no-wrk', action='store_true', help='skip the wrk comparison')
    ap.add_argument('--baseline', metavar='BUILD_DIR',
                    help='a second build (say, of main) measured in the same session, '
                         'its runs alternating with the first build\'s')
    args = ap.parse_args()

    builds = [('after', args.build_dir)]
    if args.baseline:
        builds.insert(0, ('before', args.baseline))
    results = {label: [] for label, _ in builds}
    loads = [load_average()]
    for _ in range(args.runs):
        for label, build_dir in builds:
            results[label].append(run_once(build_dir, args, label))
            loads.append(load_average())

    med = statistics.median
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            cpu = re.search(r'model name\s*:\s*(.*)', f.read()).group(1)
    except (OSError, AttributeError):
        pass
    labels = [label for label, _ in builds]
    first = results[labels[-1]]
    print(f'Machine: {cpu}, {os.cpu_count()} cores; {args.members:,} active members seeded in '
          f'{med([r["seed"] for r in first]):.1f} s; {args.samples} sequential requests per row '
          f'(keep-alive, Python client); median of {args.runs} run(s) per build'
          + (', builds alternating' if len(builds) > 1 else '') + '.')
    print(f'Load average (1, 5, 15 min) before and after each run: {"; ".join(loads)}.\n')
    head = ' | '.join(f'{l} p50 | {l} p99' for l in labels) if len(labels) > 1 else 'p50 (ms) | p99 (ms)'
    print(f'| GET members | {head} | bytes |')
    print('|---|' + '---:|' * (2 * len(labels)) + '---:|')
    for name in first[0]['rows']:
        cells = []
        for l in labels:
            cells.append(f'{med([r["rows"][name][0] for r in results[l]]):.2f}')
            cells.append(f'{med([r["rows"][name][1] for r in results[l]]):.2f}')
        size = first[0]['rows'][name][2]
        print(f'| {name} | {" | ".join(cells)} | {size:,} |')
    for l in labels:
        print(f'\n{l}: `GET members/export` (all {args.members + 11:,} members, '
              f'{results[l][0]["export_bytes"] / 1e6:.1f} MB of CSV): median '
              f'{med([r["export"] for r in results[l]]):.2f} s; worst `GET /health` wait during an export: '
              f'median {med([r["health_worst"] for r in results[l]]):.1f} ms.')
    print(f'\nFirst `GET /v1/organizations` after start (loads the in-memory member index of the three '
          f'organizations): {med([r["cold"] for r in first]):.0f} ms.')
    if args.no_wrk:
        return
    print(f'\nwrk -t2 -c16 -d{args.duration}s, median of the runs:\n')
    head = ' | '.join(f'{l} req/s | {l} p99' for l in labels) if len(labels) > 1 else 'requests/s | p99 latency'
    print(f'| target | {head} |')
    print('|---|' + '---:|' * (2 * len(labels)))
    for key, name in [('trivial', 'trivial libsoup handler (bench-trivial-soup)'),
                      ('health', 'quorum-server `GET /health`'),
                      ('members', 'quorum-server `GET members` first page (auth, 50 items)'),
                      ('members_gzip', 'the same with `Accept-Encoding: gzip` (as the app asks)')]:
        cells = []
        for l in labels:
            cells.append(f'{med([r[key][0] for r in results[l]]):,.0f}')
            cells.append(sorted([r[key][1] for r in results[l]], key=wrk_ms)[len(results[l]) // 2])
        print(f'| {name} | {" | ".join(cells)} |')
    for l in labels:
        ratios = [r['members'][0] / r['trivial'][0] for r in results[l]]
        hratios = [r['health'][0] / r['trivial'][0] for r in results[l]]
        gratios = [r['members_gzip'][0] / r['trivial'][0] for r in results[l]]
        print(f'\n{l}: ratio /health to trivial {med(hratios):.2f}; members page to trivial '
              f'{med(ratios):.2f} (runs: {", ".join(f"{x:.2f}" for x in ratios)}); '
              f'with gzip {med(gratios):.2f}.')


def wrk_ms(text):
    """wrk's latency ("1.23ms", "450.00us", "1.02s") in milliseconds."""
    value, unit = re.match(r'([\d.]+)(\w+)', text).groups()
    return float(value) * {'us': 0.001, 'ms': 1, 's': 1000}[unit]


if __name__ == '__main__':
    main()
