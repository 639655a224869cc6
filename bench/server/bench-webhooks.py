#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""quorum-server webhook queue benchmark (docs/performance.md, "Webhooks").

usage: bench-webhooks.py BUILD_DIR [--deliveries N] [--runs N]

A server with --allow-insecure-webhooks and one organization with 20
webhooks (the cap) pointing at a local receiver that answers 200 at once.
Each run writes N events' pending tries into the database in one
transaction beside the server (what qs_store_event_emit () does inside a
change), then waits until every try has succeeded: deliveries per second
from that commit to the last success, with /health polled meanwhile (p50
and p99) to show the main loop keeps answering. The figure is the median
over --runs runs. Prints Markdown on stdout."""

import argparse
import asyncio
import http.client
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


class Receiver:
    """A minimal HTTP/1.1 endpoint on its own event loop: reads one request,
    answers 200 with no body, closes."""

    def __init__(self):
        self.count = 0
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        async def handle(reader, writer):
            head = await reader.readuntil(b'\r\n\r\n')
            length = 0
            for line in head.split(b'\r\n'):
                if line.lower().startswith(b'content-length:'):
                    length = int(line.split(b':', 1)[1])
            await reader.readexactly(length)
            self.count += 1
            writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
            await writer.drain()
            writer.close()

        async def start():
            self.server = await asyncio.start_server(handle, '127.0.0.1', 0, backlog=512)
            self.port = self.server.sockets[0].getsockname()[1]
            ready.set()

        def run():
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(start())
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        ready.wait()


def request(port, method, path, body=None, token=None):
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    headers = {'Content-Type': 'application/json'}
    if token:
        headers['Authorization'] = 'Bearer ' + token
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, json.loads(data) if data else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('build_dir')
    parser.add_argument('--deliveries', type=int, default=2000)
    parser.add_argument('--runs', type=int, default=3)
    args = parser.parse_args()
    binary = os.path.join(args.build_dir, 'src', 'server', 'quorum-server')
    data_dir = tempfile.mkdtemp(prefix='quorum-bench-webhooks-')
    receiver = Receiver()
    proc = subprocess.Popen([binary, '--port', '0', '--data-dir', data_dir, '--password-hash-cost', 'min',
                             '--allow-insecure-webhooks'],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        line = proc.stdout.readline().decode()
        port = int(line.rsplit(':', 1)[1])
        status, user = request(port, 'POST', '/v1/users', {'name': 'Bench', 'email': 'bench@example.com',
                                                           'password': 'correct horse battery'})
        org, token = user['organization']['id'], user['token']
        webhooks = []
        for _ in range(20):
            status, hook = request(port, 'POST', f'/v1/organizations/{org}/webhooks',
                                   {'url': f'http://127.0.0.1:{receiver.port}/hook',
                                    'events': ['billing.low_balance']}, token)
            assert status == 201, hook
            webhooks.append(hook['id'])

        db = sqlite3.connect(os.path.join(data_dir, 'quorum.db'), timeout=30)
        rates, health = [], []
        for run in range(args.runs):
            done_before = receiver.count
            now = int(time.time())
            with db:
                for i in range(args.deliveries):
                    event = f'evt_bench{run}x{i}'
                    db.execute("INSERT INTO events (id, org_id, type, data, created_at) VALUES"
                               " (?, ?, 'billing.low_balance', '{\"balance_cents\":1}', ?)", (event, org, now))
                    db.execute("INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, attempt,"
                               " status, created_at, due_ms) VALUES (?, ?, ?, 'billing.low_balance', 1, 'pending',"
                               " ?, ?)", (f'dlv_bench{run}x{i}', webhooks[i % 20], event, now, now * 1000))
            started = time.perf_counter()
            conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
            while True:
                t = time.perf_counter()
                conn.request('GET', '/health')
                conn.getresponse().read()
                health.append((time.perf_counter() - t) * 1000)
                left = db.execute("SELECT COUNT(*) FROM webhook_deliveries WHERE status != 'succeeded'").fetchone()[0]
                if left == 0:
                    break
                time.sleep(0.02)
            elapsed = time.perf_counter() - started
            conn.close()
            assert receiver.count - done_before >= args.deliveries
            rates.append(args.deliveries / elapsed)
        db.close()
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(data_dir, ignore_errors=True)

    print(f'Webhook queue, {args.deliveries} deliveries to 20 webhooks on a local receiver, '
          f'{platform.machine()}, {os.cpu_count()} CPUs, median of {args.runs} runs:\n')
    print('| deliveries/s (median) | runs | /health p50 | /health p99 (during the drain) |')
    print('|---|---|---|---|')
    print(f'| {statistics.median(rates):.0f} | {", ".join(f"{r:.0f}" for r in rates)} | '
          f'{percentile(health, 50):.1f} ms | {percentile(health, 99):.1f} ms |')


if __name__ == '__main__':
    sys.exit(main())
