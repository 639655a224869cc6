#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The server killed (kill -9) and started again on its port: a search made
meanwhile says "Offline" with Retry, the UI keeps answering and keeps what was
typed, and once the server is back the app recovers by itself — no click."""
import time
import unittest

import faultcase
from faultcase import MEMBER, OFFLINE, FaultCase, log


class ServerKilledTest(FaultCase):
    via_proxy = False  # the app talks to the server itself: a refused connection

    def test_killed_then_restarted(self):
        entry = self.open_members()
        self.search("Ze")
        self.wait_sees(MEMBER, what_for="the search result")

        self.server.kill()
        since = time.monotonic()
        log("server killed")
        self.search("Zed")
        self.wait_sees(OFFLINE, timeout=20, since=since,
                       forbidden=(faultcase.SERVER_PROBLEM, faultcase.NOT_ANSWERING))
        self.assertIsNotNone(self.button_shown("Retry"), "no Retry beside Offline")
        self.assert_ui_answers(entry)
        self.assert_typed_kept(entry, "Zed")

        self.server.restart_same_port()
        since = time.monotonic()
        log("server restarted on its port")
        self.wait_gone(OFFLINE, timeout=45, since=since)
        self.wait_sees(MEMBER, timeout=20, since=since)
        self.assert_typed_kept(entry, "Zed")
        self.assert_no_technical_words()


if __name__ == "__main__":
    unittest.main(verbosity=2)
