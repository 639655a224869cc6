#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A server answering garbage (200 with a body that is not JSON): the user
reads "The server had a problem" with Retry and a Details expander — never the
parser's words — keeps what was typed, and once the server answers properly
again the app recovers by itself, also when it was started against the
garbage (the automatic load of the organizations retries with back-off)."""
import time
import unittest

import faultcase  # noqa: F401 (first: puts tests/e2e and tests/common on the path)
import atspi_helpers as a11y  # noqa: E402
from faultcase import (FIRST_ORG, MEMBER, NOT_ANSWERING, OFFLINE, SERVER_PROBLEM, STILL_WAITING, TECHNICAL,
                       FaultCase, log)


class ServerGarbageTest(FaultCase):
    def check_problem_words(self, since):
        self.wait_sees(SERVER_PROBLEM, timeout=20, since=since, forbidden=(OFFLINE, NOT_ANSWERING))
        snap = self.last_snap
        self.assertIsNotNone(self.button_shown("Retry", snap), "no Retry beside the server's problem")
        details = self.expander_shown("Details", snap)
        self.assertIsNotNone(details, "no Details expander beside the server's problem")
        # Folded, the technical detail is not on screen, and nowhere outside
        # the expander is it in the tree at all.
        self.assert_no_technical_words_shown(snap)
        self.assert_no_technical_words(outside=details, snap=snap)
        return details

    def test_garbage_then_recovery(self):
        entry = self.open_members()
        self.search("Ze")
        self.wait_sees(MEMBER, what_for="the search result")

        self.proxy.set_mode("garbage")
        since = time.monotonic()
        log("the server answers garbage")
        self.search("Zed")
        details = self.check_problem_words(since)
        self.assert_ui_answers(entry)
        self.assert_typed_kept(entry, "Zed")
        # Unfolded, the detail is there for whoever asks for it, and the
        # message itself still holds no technical words.
        a11y.click(details)
        time.sleep(0.5)
        problem = self.sees(SERVER_PROBLEM)
        self.assertIsNotNone(problem)
        for bad in TECHNICAL:
            self.assertNotIn(bad, problem.name or "")

        # Started against the garbage: the organizations' automatic load.
        self.quit_app()
        since = time.monotonic()
        self.start_app()
        self.check_problem_words(since)
        self.assertNotIn(STILL_WAITING, " ".join(self.all_shown_words()))

        self.proxy.set_mode("pass")
        since = time.monotonic()
        log("the server answers properly again")
        self.wait_current(FIRST_ORG, timeout=45)
        self.wait_gone(SERVER_PROBLEM, timeout=30, since=since)
        self.open_members()
        self.wait_sees(MEMBER, timeout=20, since=since, forbidden=(SERVER_PROBLEM,))
        log(f"{FIRST_ORG} open again at {time.monotonic() - since:.1f} s, no click")


if __name__ == "__main__":
    unittest.main(verbosity=2)
