#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Links to a page of an organization clicked on the desktop:
`gio open 'quorum://org/globex/members?server=…'` reaches the running Quorum
(one process), which opens Globex on its Members tab with the link's search;
a link to an organization the account is not in says so plainly."""
import os
import sys
import unittest
import urllib.parse

import pyatspi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))

import atspi_helpers as a11y  # noqa: E402
from test_invite_link import DesktopLinkTestCase  # noqa: E402

DEMO_EMAIL = "ada@demo.quorum.test"
DEMO_PASSWORD = "quorum-demo"


class OrgLinkTest(DesktopLinkTestCase):
    server_args = ("--demo", "--demo-members=20")

    def link(self, path, **params):
        query = urllib.parse.urlencode({"server": self.server.url, **params}, quote_via=urllib.parse.quote)
        return f"quorum://org/{path}?{query}"

    def tab_selected(self, frame, name):
        tab = a11y.find(frame, pyatspi.ROLE_PAGE_TAB, name) or a11y.find(frame, name=name, clickable=True)
        if tab is None:
            return False
        state = tab.getState()
        return state.contains(pyatspi.STATE_SELECTED) or state.contains(pyatspi.STATE_CHECKED)

    def test_link_opens_members_tab_in_running_quorum(self):
        # Quorum runs, signed in as Ada, on Acme Robotics' General tab.
        proc = a11y.launch(["--server", self.server.url], self.env)
        self.addCleanup(lambda: proc.poll() is None and proc.terminate())
        app, frame = a11y.main_window(proc.pid)
        a11y.fill_sign_in(frame, DEMO_EMAIL, DEMO_PASSWORD)
        a11y.click(a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_PUSH_BUTTON, "Sign In", clickable=True),
                                   what="Sign In"))
        a11y.wait_until(lambda: a11y.find(frame, name="Switch Organization, current: Acme Robotics"),
                        what="Acme Robotics open", timeout=60)
        self.assertFalse(self.tab_selected(frame, "Members"))

        # The link, clicked elsewhere on the desktop.
        self.gio_open(self.link("globex/members", query="grace"))
        a11y.wait_until(lambda: a11y.find(frame, name="Switch Organization, current: Globex"),
                        what="Globex open", timeout=30)
        a11y.wait_until(lambda: self.tab_selected(frame, "Members"), what="the Members tab to be the visible one")
        search = a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_ENTRY, "Search members")
                                 or a11y.find(frame, pyatspi.ROLE_TEXT, "Search members"),
                                 what="the members search")
        a11y.wait_until(lambda: a11y.text_of(search) == "grace", what="the link's search in the entry")
        # The running Quorum took it: one process.
        a11y.wait_until(lambda: a11y.quorum_pids() == [proc.pid], what="a single Quorum process")

        # An organization Ada is not in: a plain page, the main window stays.
        self.gio_open(self.link("umbrella-corp/members"))
        page = a11y.wait_until(lambda: a11y.find(app, name="You Are Not a Member of umbrella-corp"),
                               what="the not-a-member page")
        self.assertIsNotNone(page)
        self.assertIsNotNone(a11y.find(frame, name="Switch Organization, current: Globex"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
