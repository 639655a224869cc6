#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Members tab as a screen reader meets it: each member row (one drawn
widget) is a group named "Name, e-mail, role, last active", and its menu
button is a real button named "Actions for Name" that opens the row's menu."""
import os
import sys
import unittest

import pyatspi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))

import atspi_helpers as a11y  # noqa: E402
from quorum_server import QuorumServer  # noqa: E402

DEMO_EMAIL = "ada@demo.quorum.test"
DEMO_PASSWORD = "quorum-demo"


class MemberRowsTest(unittest.TestCase):
    def setUp(self):
        self.server = QuorumServer("--demo", "--demo-members=20")
        self.addCleanup(self.server.close)
        self.addCleanup(self.server.stop)
        self.proc = a11y.launch(["--server", self.server.url])
        self.addCleanup(self.quit)
        _, self.frame = a11y.main_window(self.proc.pid)
        a11y.open_demo_members(self.frame, DEMO_EMAIL, DEMO_PASSWORD)

    def quit(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def row(self, name, email):
        def match(node):
            try:
                return node.getRole() == pyatspi.ROLE_PANEL and node.name.startswith(f"{name}, {email}, ")
            except Exception:
                return False
        return pyatspi.findDescendant(self.frame, match, breadth_first=True)

    def test_rows_and_menu_buttons(self):
        # The owner's own row: name, e-mail, role, last active; no menu.
        ada = a11y.wait_until(lambda: self.row("Ada Lovelace", DEMO_EMAIL), what="Ada's row")
        parts = ada.name.split(", ")
        self.assertEqual(parts[2], "Owner")
        self.assertTrue(parts[-1].startswith("Active ") or parts[-1] == "Never signed in", ada.name)

        # Another member's row holds a button named for them that opens the menu.
        other = a11y.wait_until(
            lambda: pyatspi.findDescendant(
                self.frame, lambda n: n is not None and n.getRole() == pyatspi.ROLE_PANEL
                and ", Member, " in (n.name or "")),
            what="a member's row")
        name = other.name.split(", ")[0]
        button = a11y.find(other, name=f"Actions for {name}")
        self.assertIsNotNone(button, f"no button named for {name} in its row")
        # GtkMenuButton's own node is named; the toggle inside it is pressed.
        a11y.click(button if a11y.has_click(button) else pyatspi.findDescendant(button, a11y.has_click))
        a11y.wait_until(lambda: a11y.find(self.frame.getApplication(), name="Make Admin")
                        or a11y.find(self.frame.getApplication(), name="Make _Admin"),
                        what="the row's menu")


if __name__ == "__main__":
    unittest.main()
