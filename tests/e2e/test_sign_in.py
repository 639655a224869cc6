#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Signing in as a screen reader user would: the token lands in the keyring,
and in no file under HOME."""
import os
import subprocess
import sys
import unittest

import pyatspi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))

import atspi_helpers as a11y  # noqa: E402
from quorum_server import DEFAULT_PASSWORD, QuorumServer  # noqa: E402

EMAIL = "grace@example.com"
ORGANIZATION = "Orbital Gardens"
NAME_PROBLEM = "The name cannot hold control characters, line separators or invisible direction marks."


def keyring_token(server_url, email):
    result = subprocess.run(
        ["secret-tool", "lookup", "quorum-server", server_url, "quorum-email", email],
        capture_output=True, text=True, timeout=20, check=False)
    return result.stdout.strip()


def keyring_search(server_url):
    result = subprocess.run(["secret-tool", "search", "--all", "quorum-server", server_url],
                            capture_output=True, text=True, timeout=20, check=False)
    return result.stdout + result.stderr


class SignInTest(unittest.TestCase):
    def setUp(self):
        self.server = QuorumServer()
        self.addCleanup(self.server.close)
        self.addCleanup(self.server.stop)
        self.server.signup(name="Grace Hopper", email=EMAIL, organization_name=ORGANIZATION)
        self.proc = a11y.launch(["--server", self.server.url])
        self.addCleanup(self.stop)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def sign_in_form(self):
        app, frame = a11y.main_window(self.proc.pid)
        server = a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_TEXT, "Server"),
                                 what="the Server field")
        email = a11y.find(frame, pyatspi.ROLE_TEXT, "E-mail")
        password = a11y.password_field(frame, "Password")
        self.assertIsNotNone(email, "no E-mail field")
        self.assertIsNotNone(password, "no Password field")
        return app, frame, server, email, password

    def test_sign_in_keeps_token_in_keyring_only(self):
        app, frame, server, email, password = self.sign_in_form()
        # The --server option fills in the server.
        self.assertEqual(a11y.text_of(server), self.server.url)

        a11y.set_text(server, self.server.url)
        a11y.set_text(email, EMAIL)
        a11y.set_text(password, DEFAULT_PASSWORD)
        button = a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_PUSH_BUTTON, "Sign In", clickable=True),
                                 what="the Sign In button")
        a11y.wait_until(lambda: a11y.sensitive(button),
                        what="Sign In to become available")
        a11y.click(button)

        # The organization switcher shows the user's organization.
        a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_LABEL, ORGANIZATION),
                        what="the organization name in the switcher", timeout=30)
        switcher = a11y.find(frame, pyatspi.ROLE_TOGGLE_BUTTON, f"Switch Organization, current: {ORGANIZATION}") \
            or a11y.find(frame, name=f"Switch Organization, current: {ORGANIZATION}")
        self.assertIsNotNone(switcher, "the switcher button names the current organization")

        # The keyring holds a working token for this server and address…
        token = a11y.wait_until(lambda: keyring_token(self.server.url, EMAIL), what="the token in the keyring")
        self.assertIn("quorum-email = " + EMAIL, keyring_search(self.server.url))
        me = self.server.get("/v1/me", token=token)
        self.assertEqual(me.status, 200, me)
        self.assertEqual(me.json["email"], EMAIL)

        # …and no file under HOME holds it (the keyring file is encrypted).
        home = os.environ["HOME"]
        needle = token.encode()
        for root, _dirs, files in os.walk(home):
            for name in files:
                path = os.path.join(root, name)
                try:
                    with open(path, "rb") as f:
                        data = f.read()
                except OSError:
                    continue
                self.assertNotIn(needle, data, f"the token is in {path}")

    def test_wrong_password_is_explained_and_nothing_is_stored(self):
        app, frame, server, email, password = self.sign_in_form()
        a11y.set_text(email, EMAIL)
        a11y.set_text(password, "not the password")
        button = a11y.find(frame, pyatspi.ROLE_PUSH_BUTTON, "Sign In", clickable=True)
        a11y.wait_until(lambda: a11y.sensitive(button),
                        what="Sign In to become available")
        a11y.click(button)

        a11y.wait_until(lambda: a11y.find(frame, name="The e-mail address or the password is wrong."),
                        what="the error message")
        # What was typed stays.
        self.assertEqual(a11y.text_of(email), EMAIL)
        self.assertEqual(keyring_token(self.server.url, EMAIL), "")

    def test_refused_name_is_described_to_screen_readers(self):
        app, frame, server, email, password = self.sign_in_form()
        a11y.click(a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_PUSH_BUTTON, "Create an Account",
                                                     clickable=True),
                                   what="the Create an Account button"))
        name = a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_TEXT, "Your Name"),
                               what="the Your Name field")

        def described_by(node):
            return [relation.getTarget(i).name
                    for relation in node.getRelationSet()
                    if relation.getRelationType() == pyatspi.RELATION_DESCRIBED_BY
                    for i in range(relation.getNTargets())]

        # A right-to-left override hidden in the name: the field is
        # described by the reason, which is an alert.
        a11y.set_text(name, "Mallory\u202e nosnhoJ")
        a11y.wait_until(lambda: described_by(name) == [NAME_PROBLEM],
                        what="the name field to be described by the reason")
        alert = a11y.find(frame, pyatspi.ROLE_ALERT, NAME_PROBLEM)
        self.assertIsNotNone(alert, "the reason is not an alert")

        a11y.set_text(name, "Mallory Johnson")
        a11y.wait_until(lambda: described_by(name) == [],
                        what="the reason to leave the name field")


if __name__ == "__main__":
    unittest.main(verbosity=2)
