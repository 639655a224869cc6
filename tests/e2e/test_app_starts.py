#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The built app starts, shows its window, and a screen reader can use it."""
import os
import sys
import unittest

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import atspi_helpers as a11y  # noqa: E402


class AppStartsTest(unittest.TestCase):
    def setUp(self):
        self.proc = a11y.launch()
        self.addCleanup(self.stop)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def test_window_is_accessible(self):
        app, frame = a11y.main_window(self.proc.pid)
        self.assertTrue(frame.getState().contains(pyatspi.STATE_SHOWING))

        menu_button = a11y.wait_until(lambda: a11y.find(frame, name="Main Menu", clickable=True),
                                      what="the main menu button")
        a11y.click(menu_button)
        about = a11y.wait_until(lambda: a11y.find(app, name="About Quorum", clickable=True),
                                what="the About item in the open main menu")
        a11y.find(app, name="Keyboard Shortcuts") or self.fail("no Keyboard Shortcuts item")
        a11y.click(about)
        about_window = a11y.wait_until(
            lambda: a11y.frames(app, "About"),
            what="the About window")
        self.assertIsNotNone(a11y.find(about_window[0], name="Quorum"),
                             "the About window names the application")

    def test_second_launch_reuses_window(self):
        app, _frame = a11y.main_window(self.proc.pid)

        # Launching again hands over to the running instance and exits.
        second = a11y.launch()
        self.assertEqual(second.wait(timeout=20), 0)
        frames = [w for w in app if w is not None and w.getRole() == pyatspi.ROLE_FRAME]
        self.assertEqual(len(frames), 1, "a second launch must not open a second window")
        self.assertIsNone(a11y.find_app(second.pid))

if __name__ == "__main__":
    unittest.main(verbosity=2)
