#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""quorum-server benchmark: GET members latency at 100,000 members, and
requests per second under wrk next to a trivial libsoup server.

usage: bench-server.py BUILD_DIR [--members N] [--samples N] [--duration S] [--runs N] [--no-wrk]
Prints a Markdown report on stdout (docs/performance.md, "Server")."""

import argparse
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
import threading
import time
import urllib.parse


def start(cmd, prefix):
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
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


def wrk(url, path, duration, headers=()):
    cmd = ['wrk', '-t', '2', '-c', '16', '-d', f'{duration}s', '--latency']
    for h in headers:
        cmd += ['-H', h]
    out = subprocess.run(cmd + [url + path], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
    p99 = re.search(r'99%\s+([\d.]+\w+)', out).group(1)
    non2xx = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    if non2xx:
        sys.exit(f'wrk {path}: {non2xx.group(1)} errors')
    return rps, p99


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('build_dir')
    ap.add_argument('--members', type=int, default=100000)
    ap.add_argument('--samples', type=int, default=500)
    ap.add_argument('--duration', type=int, default=10)
    ap.add_argument('--runs', type=int, default=1,
                    help='measure every row this many times; each figure is the median of the runs')
    ap.add_argument('--no-wrk', action='store_true', help='skip the wrk comparison')
    args = ap.parse_args()

    server_bin = os.path.join(args.build_dir, 'src', 'server', 'quorum-server')
    trivial_bin = os.path.join(args.build_dir, 'bench', 'server', 'bench-trivial-soup')
    data_dir = tempfile.mkdtemp(prefix='quorum-bench-')
    procs = []
    try:
        t = time.perf_counter()
        server, su = start([server_bin, '--port', '0', '--data-dir', data_dir, '--demo',
                            '--demo-members', str(args.members), '--auth-rate-limit', '0'],
                           'quorum-server listening on ')
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
            ('first page (limit 50)', base),
            ('search `query=chen` (limit 50)', base + '?query=chen'),
            ('search, rare match `query=zainab.zhang2`', base + '?query=zainab.zhang2'),
            ('search, every member matches `query=acme`', base + '?query=acme'),
            (f'deep page (after {pages * 200:,} members)', base + f'?cursor={cursor}'),
            ('filter `role=admin`', base + '?role=admin'),
            ('filter `inactive_days=90`', base + '?inactive_days=90'),
            ('`sort=last_active`, first page', base + '?sort=last_active'),
            (f'`sort=last_active`, deep page (after {active_pages * 200:,})',
             base + f'?sort=last_active&cursor={active_cursor}'),
            ('`inactive_days=90&sort=last_active&role=admin`', base + '?inactive_days=90&sort=last_active&role=admin'),
            ('`inactive_days=30&query=chen`', base + '?inactive_days=30&query=chen'),
        ]
        per_run = {name: [] for name, _ in scenarios}
        for _ in range(args.runs):
            for name, path in scenarios:
                measure(conn, path, auth, 20)  # warm up
                times = measure(conn, path, auth, args.samples)
                per_run[name].append((statistics.median(times), percentile(times, 99)))
        rows = [(name, statistics.median(p50 for p50, _ in per_run[name]),
                 statistics.median(p99 for _, p99 in per_run[name])) for name, _ in scenarios]

        # The CSV export of the whole organization, streamed; a second
        # connection asks for /health every 10 ms meanwhile.
        export_seconds, export_bytes, health_worst = [], 0, []
        for _ in range(args.runs):
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
            export_seconds.append(time.perf_counter() - t)
            stop.set()
            poller.join()
            health_worst.append(max(waits) if waits else 0)

        if not args.no_wrk:
            health_rps, health_p99 = wrk(su.geturl(), '/health', args.duration)
            members_rps, members_p99 = wrk(su.geturl(), base, args.duration, [f'Authorization: Bearer {token}'])
            trivial_rps, trivial_p99 = wrk(tu.geturl(), '/health', args.duration)

        cpu = platform.processor() or platform.machine()
        try:
            with open('/proc/cpuinfo') as f:
                cpu = re.search(r'model name\s*:\s*(.*)', f.read()).group(1)
        except (OSError, AttributeError):
            pass
        print(f'Machine: {cpu}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; '
              f'{args.members:,} active members seeded in {seed_seconds:.1f} s; {args.samples} sequential '
              f'requests per row (keep-alive, Python client), median of {args.runs} run(s).\n')
        print('| GET members | p50 (ms) | p99 (ms) |')
        print('|---|---:|---:|')
        for name, p50, p99 in rows:
            print(f'| {name} | {p50:.2f} | {p99:.2f} |')
        print(f'\n`GET members/export` (all {args.members + 11:,} members, {export_bytes / 1e6:.1f} MB of CSV): '
              f'median {statistics.median(export_seconds):.2f} s (min {min(export_seconds):.2f}, '
              f'max {max(export_seconds):.2f}) over {args.runs} run(s); worst `GET /health` wait during an export: '
              f'median {statistics.median(health_worst):.1f} ms, max {max(health_worst):.1f} ms.')
        print(f'\nFirst `GET /v1/organizations` after start (loads the in-memory member index of the three organizations): {cold:.0f} ms.')
        if args.no_wrk:
            return
        print(f'\nwrk -t2 -c16 -d{args.duration}s, same run:\n')
        print('| target | requests/s | p99 latency |')
        print('|---|---:|---:|')
        print(f'| trivial libsoup handler (bench-trivial-soup) | {trivial_rps:,.0f} | {trivial_p99} |')
        print(f'| quorum-server `GET /health` | {health_rps:,.0f} | {health_p99} |')
        print(f'| quorum-server `GET members` first page (auth, 50 items) | {members_rps:,.0f} | {members_p99} |')
        print(f'\nRatio /health to trivial: {health_rps / trivial_rps:.2f}; '
              f'members page to trivial: {members_rps / trivial_rps:.2f}.')
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == '__main__':
    main()
