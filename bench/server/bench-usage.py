#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""quorum-server usage benchmark: GET /v1/organizations/{id}/usage on the demo's
Acme Robotics with N members and 90 days of usage (docs/performance.md,
"Usage").

usage: bench-usage.py BUILD_DIR [--members N] [--samples N] [--runs N]

The last 90 days by day and by member (the kept windows), and by member
over another range (89 days up to yesterday) once its sums are kept: each
run takes --samples requests and reports p50 and p99; the figure is the
median over --runs runs. Cold sums of that other range (after a usage record
made the kept sums stale) are timed --runs times, and /health is polled
meanwhile to show that the main loop keeps answering. Prints Markdown on
stdout."""

import argparse
import datetime
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


def timed_get(conn, path, headers):
    t = time.perf_counter()
    conn.request('GET', path, headers=headers)
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit(f'{path}: {r.status} {body[:200]!r}')
    return (time.perf_counter() - t) * 1000, json.loads(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('build_dir')
    parser.add_argument('--members', type=int, default=100000)
    parser.add_argument('--samples', type=int, default=200)
    parser.add_argument('--runs', type=int, default=5)
    args = parser.parse_args()
    binary = os.path.join(args.build_dir, 'src', 'server', 'quorum-server')
    data_dir = tempfile.mkdtemp(prefix='quorum-bench-usage-')
    started = time.perf_counter()
    proc = subprocess.Popen([binary, '--port', '0', '--data-dir', data_dir, '--demo', '--demo-members',
                             str(args.members), '--password-hash-cost', 'min'],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        prefix = 'quorum-server listening on '
        if not line.startswith(prefix):
            sys.exit(f'quorum-server did not start: {line!r}')
        seeded = time.perf_counter() - started
        url = urllib.parse.urlparse(line[len(prefix):].strip())
        conn = http.client.HTTPConnection(url.hostname, url.port)
        conn.request('POST', '/v1/sessions', json.dumps({'email': 'ada@demo.quorum.test', 'password': 'quorum-demo'}),
                     {'Content-Type': 'application/json'})
        token = json.loads(conn.getresponse().read())['token']
        headers = {'Authorization': 'Bearer ' + token}
        conn.request('GET', '/v1/organizations', headers=headers)
        org = [o['id'] for o in json.loads(conn.getresponse().read())['items'] if o['slug'] == 'acme-robotics'][0]
        today = datetime.datetime.now(datetime.timezone.utc).date()
        first = today - datetime.timedelta(days=89)
        base = f'/v1/organizations/{org}/usage?from={first}&to={today}'
        rows = subprocess.run(['sqlite3', os.path.join(data_dir, 'quorum.db'),
                               f"SELECT COUNT(*) FROM usage_records WHERE org_id = '{org}'"],
                              capture_output=True, text=True).stdout.strip() if shutil.which('sqlite3') else '?'
        conn.request('GET', f'/v1/organizations/{org}/members?limit=1', headers=headers)
        member = json.loads(conn.getresponse().read())['items'][0]['id']

        # The first per-member query after start, for a range that is not a
        # kept window: it waits for the organization's usage, which the
        # server starts loading into memory (a worker thread) at start.
        other = f'/v1/organizations/{org}/usage?from={first}&to={today - datetime.timedelta(days=1)}'
        first_ms, _ = timed_get(conn, other + '&group_by=member&limit=50', headers)

        def runs(path):
            p50s, p99s = [], []
            for _ in range(args.runs):
                times = [timed_get(conn, path, headers)[0] for _ in range(args.samples)]
                p50s.append(statistics.median(times))
                p99s.append(percentile(times, 99))
            return statistics.median(p50s), statistics.median(p99s)

        day = runs(base + '&group_by=day&limit=200')
        window = runs(base + '&group_by=member&limit=50')
        _, page = timed_get(conn, base + '&group_by=member&limit=50', headers)
        window_deep = runs(base + f"&group_by=member&limit=200&cursor={urllib.parse.quote(page['next_cursor'])}")
        # Any other range is summed from the records (here: 89 days up to yesterday).
        base = f'/v1/organizations/{org}/usage?from={first}&to={today - datetime.timedelta(days=1)}'
        cold, health_max = [], []
        for i in range(args.runs):
            # A usage record makes the cached sums stale: the next query sums again.
            subprocess.run([binary, '--data-dir', data_dir, '--record-usage', f'{member},{today},1,1'], check=True)
            stop = threading.Event()
            worst = [0.0]

            def poll():
                c = http.client.HTTPConnection(url.hostname, url.port)
                while not stop.is_set():
                    t = time.perf_counter()
                    c.request('GET', '/health')
                    c.getresponse().read()
                    worst[0] = max(worst[0], (time.perf_counter() - t) * 1000)
                    time.sleep(0.005)

            poller = threading.Thread(target=poll)
            poller.start()
            ms, page = timed_get(conn, base + '&group_by=member&limit=50', headers)
            stop.set()
            poller.join()
            cold.append(ms)
            health_max.append(worst[0])
        warm = runs(base + '&group_by=member&limit=50')
        _, page = timed_get(conn, base + '&group_by=member&limit=50', headers)
        cursor = urllib.parse.quote(page['next_cursor'])
        deep = runs(base + f'&group_by=member&limit=200&cursor={cursor}')

        with open(f'/proc/{proc.pid}/status') as status:
            rss = [int(line.split()[1]) for line in status if line.startswith('VmRSS:')][0] / 1024
        load = os.getloadavg()[0]
        print(f'Run of {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, '
              f'{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average {load:.1f}; '
              f'--demo --demo-members {args.members}: {page["total"]:,} members with usage, {rows} usage rows, '
              f'seeded and started in {seeded:.1f} s; server RSS at the end {rss:.0f} MiB. '
              f'Median of {args.runs} runs of {args.samples} requests.\n')
        print('| GET …/usage | p50 (ms) | p99 (ms) |')
        print('|---|---|---|')
        print(f'| group_by=day, limit=200 | {day[0]:.2f} | {day[1]:.2f} |')
        print(f'| group_by=member, last 90 days (kept windows), limit=50 | {window[0]:.2f} | {window[1]:.2f} |')
        print(f'| group_by=member, last 90 days (kept windows), limit=200, second page | {window_deep[0]:.2f} | '
              f'{window_deep[1]:.2f} |')
        print(f'| group_by=member, other range (89 days), limit=50, sums kept | {warm[0]:.2f} | {warm[1]:.2f} |')
        print(f'| group_by=member, other range, limit=200, second page, sums kept | {deep[0]:.2f} | {deep[1]:.2f} |')
        print(f'| group_by=member, other range, first query after start (loads the usage into memory) | '
              f'{first_ms:.0f} | |')
        print(f'| group_by=member, other range, right after a usage record (cold), {args.runs} runs | '
              f'{statistics.median(cold):.0f} | max {max(cold):.0f} |')
        print(f'| GET /health during such a cold query (worst of each run, median) | '
              f'{statistics.median(health_max):.2f} | max {max(health_max):.2f} |')
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == '__main__':
    main()
