# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared base for the server suite: one server per test class."""

import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.environ.get('QUORUM_SOURCE_ROOT',
                                               os.path.join(os.path.dirname(__file__), '..', '..')),
                                'tests', 'common'))

from quorum_server import DEFAULT_PASSWORD, QuorumServer  # noqa: E402,F401
from quorum_wait import poll_until, wait_until  # noqa: E402,F401


class ServerTestCase(unittest.TestCase):
    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer(*cls.server_args)

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


def parallel(*calls, timeout=60):
    """Runs the calls at the same moment in threads (released together by a
    barrier); returns their results in order. A call that raises, or that
    has not returned timeout seconds after the start (a hung server), fails
    the test here instead of leaving None among the results."""
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
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    stuck = [i for i, t in enumerate(threads) if t.is_alive()]
    if stuck:
        raise AssertionError(f'parallel: calls {stuck} of {len(calls)} still running after {timeout} s')
    for e in errors:
        if e is not None:
            raise e
    return results


def main():
    unittest.main(verbosity=2)


class WebhookReceiver:
    """A local HTTP endpoint for webhook deliveries (the server runs with
    --allow-insecure-webhooks to reach it). It records every request
    (method, path, headers with lower-case names, body) and answers with
    the next entry of `answers` (then with `default`): a status code, or
    'hang' (no answer until the receiver stops or release() is called), or
    ('redirect', location)."""

    def __init__(self, default=200, host='127.0.0.1'):
        import http.server
        import socketserver

        self.requests = []
        self.answers = []
        self.default = default
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

        self.httpd = Server((host, 0), Handler)
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
