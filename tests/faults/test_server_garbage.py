#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A server answering garbage (200 with a body that is not JSON): the user
reads "The server had a problem" with Retry and a Details expander — never the
parser's words — in the Members page and in the Invite dialog, keeps what was
typed in both, and once the server answers properly
again the app recovers by itself, also when it was started against the
garbage (the automatic load of the organizations retries with back-off)."""
import time
import unittest

import pyatspi

import faultcase  # noqa: F401 (first: puts tests/e2e and tests/common on the path)
import atspi_helpers as a11y  # noqa: E402
from faultcase import (FIRST_ORG, MEMBER, NOT_ANSWERING, OFFLINE, SERVER_PROBLEM, STILL_WAITING, TECHNICAL,
                       FaultCase, log)


NEWCOMER = "newcomer@example.com"


class ServerGarbageTest(FaultCase):
    def check_problem_words(self, since):
        self.wait_sees(SERVER_PROBLEM, timeout=20, since=since, forbidden=(OFFLINE, NOT_ANSWERING))
        self.wait_button_beside(SERVER_PROBLEM, "Retry")
        snap = self.last_snap
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

        self.outbox_before = self.server.outbox()
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

        # The Invite dialog's send meets the garbage too: the dialog says so,
        # keeps what was typed, and the parser's words stay out of it.
        a11y.click(self.button_shown("Invite Member"))
        dialog = a11y.wait_until(lambda: a11y.frame(self.app, "Invite Member"), what="the Invite Member dialog")
        email = a11y.wait_until(lambda: a11y.find(dialog, pyatspi.ROLE_TEXT, "E-mail"), what="its E-mail field")
        a11y.set_text(email, NEWCOMER)
        send = a11y.wait_until(lambda: a11y.find(dialog, pyatspi.ROLE_PUSH_BUTTON, "Send Invitation Invite",
                                                 clickable=True), what="Send Invitation")
        a11y.wait_until(lambda: a11y.sensitive(send), what="Send Invitation to become available")
        since = time.monotonic()
        a11y.click(send)
        self.wait_sees(SERVER_PROBLEM, timeout=20, since=since, root=dialog, forbidden=(OFFLINE, NOT_ANSWERING))
        self.assert_no_technical_words_shown(self.last_snap)
        self.assert_ui_answers(email)
        self.assert_typed_kept(email, NEWCOMER)
        self.assertEqual(self.server.outbox(), self.outbox_before, "an invitation went out")

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
