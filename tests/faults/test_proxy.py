#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fault proxy itself, against a real quorum-server: each mode does what
the fault tests rely on, and the server helpers restart it on its port."""
import http.client
import json
import os
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))

from quorum_fault_proxy import FaultProxy  # noqa: E402
from quorum_server import QuorumServer  # noqa: E402


class ProxyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer()
        cls.user = cls.server.signup(organization_name="Proxy Test")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.proxy = FaultProxy(self.server.host, self.server.port)
        self.addCleanup(self.proxy.close)
        self.conn = http.client.HTTPConnection(self.proxy.host, self.proxy.port, timeout=10)
        self.addCleanup(self.conn.close)

    def get(self, path="/v1/me", conn=None):
        conn = conn or self.conn
        conn.request("GET", path, headers={"Authorization": "Bearer " + self.user["token"]})
        r = conn.getresponse()
        return r.status, r.read()

    def test_pass_keeps_the_connection(self):
        for _ in range(3):
            status, body = self.get()
            self.assertEqual(status, 200)
            self.assertEqual(json.loads(body)["email"], self.user["user"]["email"])
        status, body = self.get("/v1/organizations")
        self.assertEqual(status, 200)
        self.assertEqual(len(json.loads(body)["items"]), 1)

    def test_delay_holds_each_answer(self):
        self.get()
        self.proxy.set_mode("delay", 1)
        events = []
        for _ in range(2):
            start = time.monotonic()
            status, _ = self.get()
            events.append((status, time.monotonic() - start))
        # An order, not a bound above: each answer came after its delay.
        for status, took in events:
            self.assertEqual(status, 200)
            self.assertGreaterEqual(took, 1.0)

    def test_garbage_is_not_json(self):
        self.get()  # a keep-alive connection made in pass mode follows the switch
        self.proxy.set_mode("garbage")
        status, body = self.get()
        self.assertEqual(status, 200)
        with self.assertRaises(ValueError):
            json.loads(body)
        self.proxy.set_mode("pass")
        status, body = self.get()
        self.assertEqual(status, 200)
        json.loads(body)

    def test_hang_answers_after_the_switch_back(self):
        self.proxy.set_mode("hang")
        got = []
        thread = threading.Thread(target=lambda: got.append(self.get()))
        thread.start()
        thread.join(1.5)
        self.assertTrue(thread.is_alive(), "a hanging request was answered")
        self.assertEqual(got, [])
        self.proxy.set_mode("pass")
        thread.join(10)
        self.assertEqual(got[0][0], 200)

    def test_close_resets(self):
        self.proxy.set_mode("close")
        with self.assertRaises((ConnectionError, http.client.HTTPException)):
            self.get()

    def test_server_gone_resets_and_comes_back_on_its_port(self):
        port = self.server.port
        self.server.kill()
        with self.assertRaises((ConnectionError, http.client.HTTPException)):
            self.get()
        self.server.restart_same_port()
        self.assertEqual(self.server.port, port)
        conn = http.client.HTTPConnection(self.proxy.host, self.proxy.port, timeout=10)
        self.addCleanup(conn.close)
        self.assertEqual(self.get(conn=conn)[0], 200)

    def test_paused_server_answers_after_resume(self):
        self.get()
        self.server.pause()
        got = []
        thread = threading.Thread(target=lambda: got.append(self.get()))
        thread.start()
        thread.join(1.5)
        self.assertTrue(thread.is_alive(), "a stopped server answered")
        self.server.resume()
        thread.join(10)
        self.assertEqual(got[0][0], 200)


if __name__ == "__main__":
    unittest.main(verbosity=2)
