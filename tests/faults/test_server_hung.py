#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The server hung (SIGSTOP): a search says nothing but its spinner at first,
"Still waiting for <host>…" with Cancel after about 3 s, "<host> is not
answering" after about 10 s — never "Offline", since the network is up — while
the UI keeps answering and keeps what was typed. Cancel returns the page to its
last good state; after SIGCONT the app recovers by itself."""
import time
import unittest

from faultcase import HOST, MEMBER, NOT_ANSWERING, OFFLINE, SERVER_PROBLEM, STILL_WAITING, FaultCase, log


class ServerHungTest(FaultCase):
    def test_hung_then_resumed(self):
        entry = self.open_members()
        self.search("Ze")
        self.wait_sees(MEMBER, what_for="the search result")

        self.server.pause()
        self.addCleanup(self.server.resume)
        since = time.monotonic()
        log("server stopped (SIGSTOP)")
        self.search("Zed")
        # The first seconds: a spinner, no words yet (the app's timer cannot
        # fire early, so this is an order of events, not a race).
        self.never_sees(STILL_WAITING, 2.0)
        still = self.wait_sees(STILL_WAITING, timeout=20, since=since, forbidden=(OFFLINE, SERVER_PROBLEM))
        self.assertIn(HOST, still.name or "", "the words name the server")
        self.assertTrue((still.name or "").endswith("…"), still.name)
        self.assertIsNotNone(self.button_shown("Cancel", self.last_snap), "no Cancel while still waiting")
        self.assert_ui_answers(entry)
        self.assert_typed_kept(entry, "Zed")

        gone = self.wait_sees(HOST + NOT_ANSWERING, timeout=25, since=since, forbidden=(OFFLINE, SERVER_PROBLEM))
        self.assertIsNotNone(gone)
        self.assertIsNotNone(self.button_shown("Retry", self.last_snap), "no Retry when the server is not answering")
        self.assertIsNone(self.sees(STILL_WAITING, self.last_snap), "both words at once")
        self.assert_ui_answers(entry)
        self.assert_typed_kept(entry, "Zed")

        self.server.resume()
        since = time.monotonic()
        log("server resumed (SIGCONT)")
        self.wait_gone(NOT_ANSWERING, timeout=30, since=since)
        self.wait_sees(MEMBER, timeout=20, since=since, forbidden=(OFFLINE, SERVER_PROBLEM))
        self.assert_typed_kept(entry, "Zed")

    def test_cancel_returns_to_the_last_good_state(self):
        entry = self.open_members()
        self.search("Ze")
        self.wait_sees(MEMBER, what_for="the search result")

        self.server.pause()
        self.addCleanup(self.server.resume)
        since = time.monotonic()
        self.search("Zed M")
        self.wait_sees(STILL_WAITING, timeout=20, since=since, forbidden=(OFFLINE,))
        self.assert_typed_kept(entry, "Zed M")
        cancel = self.button_shown("Cancel", self.last_snap)
        self.assertIsNotNone(cancel, "no Cancel while still waiting")
        from atspi_helpers import click
        click(cancel)
        self.wait_gone(STILL_WAITING, timeout=10, since=since)
        # The last good state: the earlier answer, and the search words it
        # answered (Cancel takes the unanswered ones back, by design).
        self.assertIsNotNone(self.sees(MEMBER), "Cancel lost the page's last good state")
        self.assert_typed_kept(entry, "Ze")
        self.never_sees(NOT_ANSWERING, 1.0)
        self.assertIsNone(self.sees(OFFLINE))


if __name__ == "__main__":
    unittest.main(verbosity=2)
