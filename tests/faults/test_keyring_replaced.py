#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The keyring locked, then its daemon gone and replaced by a new one while
Quorum runs: the app names each state with Retry, keeps the account, and Retry
after the new keyring service started reconnects to it (the cached service
proxy is dropped) — no restart of the app."""
import os
import re
import subprocess
import time
import unittest

import atspi_helpers as a11y
from faultcase import FIRST_ORG, MEMBER, FaultCase, log

LOCKED = "The keyring that holds your session is locked"
NO_SERVICE = "No keyring service is running"
KEYRING_PASSWORD = b"quorum-test"  # tools/test-session's


def keyring_pid():
    """The process that owns the Secret Service name on this session bus."""
    out = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                          "--object-path", "/org/freedesktop/DBus",
                          "--method", "org.freedesktop.DBus.GetConnectionUnixProcessID",
                          "org.freedesktop.secrets"], capture_output=True, text=True, timeout=20)
    found = re.search(r"uint32 (\d+)", out.stdout)
    return int(found.group(1)) if found else None


def start_keyring():
    """A new gnome-keyring-daemon with the login keyring unlocked, as
    tools/test-session starts it."""
    subprocess.run(["gnome-keyring-daemon", "--replace", "--daemonize", "--unlock", "--components=secrets"],
                   input=KEYRING_PASSWORD, capture_output=True, timeout=30, check=False)
    a11y.wait_until(keyring_pid, what="the new keyring daemon on the bus")


def stop_keyring():
    pid = keyring_pid()
    if pid is not None:
        os.kill(pid, 15)
        a11y.wait_until(lambda: keyring_pid() is None, what="the keyring daemon to leave the bus")
    return pid


def lock_keyring():
    subprocess.run(["secret-tool", "lock", "--collection=/org/freedesktop/secrets/collection/login"],
                   capture_output=True, timeout=20, check=True)


class KeyringReplacedTest(FaultCase):
    via_proxy = False

    def setUp(self):
        if keyring_pid() is None:
            self.skipTest("no keyring daemon in this session (run under tools/test-session)")
        # Whatever happens, the next test finds a working keyring.
        self.addCleanup(lambda: keyring_pid() or start_keyring())
        super().setUp()

    def retry(self):
        button = a11y.wait_until(lambda: self.button_shown("Retry"), timeout=10, what="Retry")
        a11y.click(button)

    def test_locked_then_replaced(self):
        self.quit_app()
        lock_keyring()
        since = time.monotonic()
        log("keyring locked; the app starts")
        self.start_app()
        self.wait_sees(LOCKED, timeout=20, since=since)
        self.assertIsNotNone(self.button_shown("Retry"), "no Retry beside the locked keyring")
        self.assert_ui_answers(self.frame_probe())

        pid = stop_keyring()
        log(f"keyring daemon {pid} stopped")
        since = time.monotonic()
        self.retry()
        self.wait_sees(NO_SERVICE, timeout=20, since=since)

        start_keyring()
        log(f"keyring daemon replaced by {keyring_pid()}")
        since = time.monotonic()
        self.retry()
        self.wait_current(FIRST_ORG, timeout=30)
        self.open_members()
        self.wait_sees(MEMBER, timeout=20, since=since, forbidden=(NO_SERVICE, LOCKED))
        log(f"signed in again at {time.monotonic() - since:.1f} s, the app not restarted")

    def frame_probe(self):
        """A text the app answers for from its main loop while no entry is
        on screen: the first label of the window."""
        import pyatspi
        return a11y.wait_until(lambda: a11y.find(self.frame, pyatspi.ROLE_LABEL), what="a label")


if __name__ == "__main__":
    unittest.main(verbosity=2)
