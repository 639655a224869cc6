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
