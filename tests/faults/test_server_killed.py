#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The server killed (kill -9) and started again on its port. A search made
meanwhile says "Offline" with Retry, the UI keeps answering and keeps what was
typed, and Retry once the server is back brings the answer. Started while the
server is down, the app says "Offline" too and, once the server is back, opens
the organization by itself — no click (the automatic load's back-off)."""
import time
import unittest

import faultcase
import atspi_helpers as a11y  # noqa: E402 (faultcase puts it on the path)
from faultcase import FIRST_ORG, MEMBER, OFFLINE, FaultCase, log

# "Still waiting for <host>…" may come first: the client tries a refused GET
# four times with a doubling back-off (about 3.5 s) before it says so.
ELSEWHERE = (faultcase.SERVER_PROBLEM, faultcase.NOT_ANSWERING)


class ServerKilledTest(FaultCase):
    via_proxy = False  # the app talks to the server itself: a refused connection

    def test_killed_then_restarted(self):
        entry = self.open_members()
        self.search("Ze")
        self.wait_sees(MEMBER, what_for="the search result")

        # A search the user makes while the server is gone.
        self.server.kill()
        since = time.monotonic()
        log("server killed")
        self.search("Zed")
        self.wait_sees(OFFLINE, timeout=20, since=since, forbidden=ELSEWHERE)
        retry = self.button_shown("Retry")
        self.assertIsNotNone(retry, "no Retry beside Offline")
        self.assert_ui_answers(entry)
        self.assert_typed_kept(entry, "Zed")

        self.server.restart_same_port()
        since = time.monotonic()
        log("server restarted on its port; Retry")
        a11y.click(self.button_shown("Retry"))
        self.wait_gone(OFFLINE, timeout=20, since=since)
        self.wait_sees(MEMBER, timeout=20, since=since, forbidden=ELSEWHERE)
        self.assert_typed_kept(entry, "Zed")
        self.assert_no_technical_words()

        # The app started while the server is gone: its own loads.
        self.quit_app()
        self.server.kill()
        since = time.monotonic()
        log("server killed; the app starts")
        self.start_app()
        self.wait_sees(OFFLINE, timeout=30, since=since, forbidden=ELSEWHERE)
        self.assert_ui_answers(self.frame_label())
        time.sleep(1)  # a retry or two meet the server still gone

        self.server.restart_same_port()
        since = time.monotonic()
        log("server restarted on its port; no click")
        self.wait_current(FIRST_ORG, timeout=70)
        self.wait_gone(OFFLINE, timeout=70, since=since)
        self.open_members()
        self.wait_sees(MEMBER, timeout=20, since=since, forbidden=ELSEWHERE + (OFFLINE,))
        log(f"back by itself at {time.monotonic() - since:.1f} s")


if __name__ == "__main__":
    unittest.main(verbosity=2)
