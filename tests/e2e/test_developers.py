#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Developers tab as a keyboard and screen reader user meets it, against
the demo server: the owner of Acme Robotics creates an API key with one
scope, the secret is shown once (and works against the API), and the key is
listed; a plain member of Initech has no Developers tab."""
import os
import re
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
OWNED = "Acme Robotics"
KEY_NAME = "E2E Bot"
SECRET = re.compile(r"^qrm_k_[A-Za-z0-9_-]{43}$")


class DevelopersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer("--demo", default_plan=None)
        r = cls.server.post("/v1/sessions", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
        assert r.status in (200, 201), r
        cls.token = r.json["token"]
        orgs = cls.server.get("/v1/organizations", cls.token).json["items"]
        cls.orgs = {o["name"]: o for o in orgs}

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.close()

    def setUp(self):
        self.proc = a11y.launch(["--server", self.server.url])
        self.addCleanup(self.stop)
        self.app, self.frame = a11y.main_window(self.proc.pid)
        a11y.fill_sign_in(self.frame, DEMO_EMAIL, DEMO_PASSWORD)
        a11y.click(a11y.wait_until(lambda: a11y.find(self.frame, pyatspi.ROLE_PUSH_BUTTON, "Sign In",
                                                     clickable=True), what="Sign In"))
        a11y.wait_until(lambda: a11y.find(self.frame, pyatspi.ROLE_LABEL, OWNED),
                        what="the demo organization in the switcher", timeout=60)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def secret_label(self):
        """A label anywhere in the app whose text is a whole API key."""
        for root in [self.app.getChildAtIndex(i) for i in range(self.app.childCount)]:
            for node in a11y.descendants(root):
                try:
                    if node.getRole() == pyatspi.ROLE_LABEL and SECRET.match(a11y.text_of(node) or ""):
                        return node
                except Exception:
                    continue
        return None

    def test_owner_creates_a_key_and_sees_its_secret_once(self):
        tab = a11y.wait_until(lambda: a11y.find(self.frame, pyatspi.ROLE_PAGE_TAB, "Developers"),
                              what="the Developers tab")
        a11y.click(tab)
        create = a11y.wait_until(lambda: a11y.button_starting(self.frame, "Create Key…"), what="Create Key…",
                                 timeout=30)
        a11y.click(create)

        dialog = a11y.wait_until(lambda: a11y.frame(self.app, "Create API Key"), what="the Create API Key dialog")
        name = a11y.wait_until(lambda: a11y.find(dialog, pyatspi.ROLE_TEXT, "Name")
                               or a11y.find(dialog, pyatspi.ROLE_ENTRY, "Name"), what="the Name field")
        a11y.set_text(name, KEY_NAME)
        create_key = a11y.find(dialog, pyatspi.ROLE_PUSH_BUTTON, "Create")
        self.assertFalse(a11y.sensitive(create_key), "no scope chosen yet")
        # GTK 4.8 gives a check button no action over AT-SPI: by keyboard.
        a11y.focus_by_key(a11y.find(dialog, pyatspi.ROLE_CHECK_BOX, "Read organization"), what="Read organization")
        a11y.press(a11y.KEY_SPACE)
        a11y.wait_until(lambda: a11y.sensitive(create_key), what="Create Key to be ready")
        a11y.click(create_key)

        label = a11y.wait_until(self.secret_label, what="the secret", timeout=30)
        secret = a11y.text_of(label)
        # The secret works, for this organization.
        r = self.server.get(f"/v1/organizations/{self.orgs[OWNED]['id']}", secret)
        self.assertEqual(r.status, 200, r)
        # The key is listed by its name, its secret never again.
        # Beside it: Copy, and Done to close it.
        self.assertIsNotNone(a11y.button_starting(self.app, "Copy"), "the Copy button")
        a11y.click(a11y.wait_until(lambda: a11y.button_starting(self.app, "Done"), what="Done"))
        a11y.wait_until(lambda: self.secret_label() is None, what="the secret to go")
        a11y.wait_until(lambda: a11y.find(self.frame, name=KEY_NAME), what="the key's row")
        keys = self.server.get(f"/v1/organizations/{self.orgs[OWNED]['id']}/api-keys", self.token).json["items"]
        self.assertEqual([k["name"] for k in keys if k["name"] == KEY_NAME], [KEY_NAME])
        self.assertTrue(secret.startswith(next(k["prefix"] for k in keys if k["name"] == KEY_NAME)))


if __name__ == "__main__":
    unittest.main(verbosity=2)
