#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The keyring locked, then its daemon replaced by a new one while Quorum
runs: the keyring's own prompt asks for its password and the user declines;
Quorum says the keyring is locked, with Retry, and keeps the account; the
daemon is replaced by a new, unlocked one, and Retry reconnects to it (the
cached service proxy is dropped) — no restart of the app."""
import os
import re
import subprocess
import time
import unittest

import faultcase  # noqa: F401 (first: puts tests/e2e and tests/common on the path)
import atspi_helpers as a11y  # noqa: E402
from faultcase import EMAIL, FIRST_ORG, MEMBER, FaultCase, log

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
    """Locks the login keyring over D-Bus (gnome-keyring locks without a
    prompt; secret-tool lock waits on one)."""
    subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.secrets",
                    "--object-path", "/org/freedesktop/secrets",
                    "--method", "org.freedesktop.Secret.Service.Lock",
                    "['/org/freedesktop/secrets/collection/login']"],
                   capture_output=True, timeout=20, check=True)


def unlock_prompt():
    """The keyring's own unlock dialog (gcr-prompter), or None."""
    import pyatspi
    for app in pyatspi.Registry.getDesktop(0):
        try:
            for window in app:
                if window is not None and window.name == "Unlock Login Keyring":
                    return window
        except Exception:
            continue
    return None


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
        self.start_app(wait=False)
        # The keyring asks for its password in a window of its own; the user
        # declines, and Quorum says what it cannot do and offers Retry.
        prompt = a11y.wait_until(unlock_prompt, timeout=20, what="the keyring's unlock prompt")
        log(f"the keyring's unlock prompt at {time.monotonic() - since:.1f} s; Cancel")
        import pyatspi
        a11y.click(a11y.find(prompt, pyatspi.ROLE_PUSH_BUTTON, "Cancel", clickable=True))
        self.wait_window()
        self.wait_sees(LOCKED, timeout=20, since=since)
        self.assertIsNotNone(self.button_shown("Retry"), "no Retry beside the locked keyring")
        self.assert_ui_answers(self.frame_label())

        # The keyring daemon goes and a new one (unlocked) takes its place
        # while Quorum runs. (Nothing asks the bus meanwhile: a Secret
        # Service activated by the bus would not be the session's.)
        pid = stop_keyring()
        start_keyring()
        log(f"keyring daemon {pid} replaced by {keyring_pid()}")
        # The new daemon holds the session: what follows is up to Quorum.
        found = subprocess.run(["secret-tool", "lookup", "quorum-server", self.url, "quorum-email", EMAIL],
                               capture_output=True, text=True, timeout=20, check=False).stdout.strip()
        self.assertTrue(found, "the new keyring daemon does not have the session")
        since = time.monotonic()
        self.retry()
        self.wait_current(FIRST_ORG, timeout=30)
        self.open_members()
        self.wait_sees(MEMBER, timeout=20, since=since, forbidden=(NO_SERVICE, LOCKED))
        log(f"signed in again at {time.monotonic() - since:.1f} s, the app not restarted")


if __name__ == "__main__":
    unittest.main(verbosity=2)
