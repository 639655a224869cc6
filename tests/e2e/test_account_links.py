#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The links mailed for an account, clicked on the desktop while Quorum runs:
`gio open 'quorum://verify/...'` reaches the running instance, the banner
asking for verification goes and the waiting invitation is offered;
`gio open 'quorum://reset/...'` asks for a new password and signs in."""
import os
import sys
import unittest

import pyatspi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))

import atspi_helpers as a11y  # noqa: E402
import test_invite_link as links  # noqa: E402
from quorum_server import DEFAULT_PASSWORD  # noqa: E402

VERA = "vera.unverified@example.com"
ORGANIZATION = "Lighthouse Labs"
NEW_PASSWORD = "a brand new passphrase"


def sign_in_with_form(main, email, password):
    """Fills the main window's sign-in view (its server already suggested)
    and clicks Sign In."""
    a11y.fill_sign_in(main, email, password)
    sign_in = a11y.find(main, pyatspi.ROLE_PUSH_BUTTON, "Sign In", clickable=True)
    a11y.wait_until(lambda: a11y.sensitive(sign_in), what="Sign In to become available")
    a11y.click(sign_in)


class AccountLinksTest(links.DesktopLinkTestCase):
    def sign_in(self, email, password):
        """Starts Quorum on the sign-in view and signs in with the form."""
        proc = a11y.launch(["--server", self.server.url], extra_env=self.env)
        self.addCleanup(lambda: proc.poll() is None and proc.terminate())
        app = a11y.wait_until(lambda: a11y.find_app(proc.pid), what="Quorum on the AT-SPI bus")
        main = a11y.wait_until(lambda: a11y.frame(app, "Quorum"), what="the main window")
        sign_in_with_form(main, email, password)
        return app, main

    def test_verify_link_while_running(self):
        owner = self.server.signup(name="Olivia Owner", email="olivia@example.com", organization_name=ORGANIZATION)
        self.server.signup(name="Vera Unverified", email=VERA, organization_name="Vera's Own")
        self.server.invite(owner["organization"]["id"], owner["token"], VERA)
        app, main = self.sign_in(VERA, DEFAULT_PASSWORD)
        first_pid = app.get_process_id()

        # The banner asks, and Resend mails a new link.
        a11y.wait_until(lambda: a11y.find_text(main, "Verify your e-mail address to see invitations sent to", VERA),
                        what="the verification banner", timeout=30)
        first = self.server.mail_token(VERA, "verify")
        a11y.click(a11y.find(main, pyatspi.ROLE_PUSH_BUTTON, "Resend", clickable=True))
        a11y.wait_until(lambda: a11y.find_text(main, "Sent — check your inbox"), what="Resend's answer")
        a11y.wait_until(lambda: self.server.mail_token(VERA, "verify") != first, what="a new message")
        # Not offered before the address is proven.
        self.assertIsNone(a11y.find_text(main, f"invited to {ORGANIZATION}"))

        # The newest link, clicked in the mail: the running Quorum verifies.
        self.gio_open(self.server.app_link(VERA, "verify"))
        window = a11y.wait_until(lambda: a11y.frame(app, "Verify E-mail Address"),
                                 what="the verification window", timeout=30)
        a11y.wait_until(lambda: a11y.find(window, pyatspi.ROLE_LABEL, "E-mail Address Verified"),
                        what="the verified page")
        a11y.wait_until(lambda: a11y.quorum_pids() == [first_pid], what="a single Quorum process")
        self.assertIn("POST /v1/email-verifications 200", self.server.log())

        # The banner goes; the invitation is offered.
        a11y.wait_until(lambda: a11y.find_text(main, f"invited to {ORGANIZATION}"),
                        what="the invitation offered", timeout=30)
        a11y.wait_until(lambda: a11y.find_text(main, "Verify your e-mail address to see invitations") is None,
                        what="the banner to go")

    def test_reset_link_while_running(self):
        self.server.signup(name="Rex Forgetful", email="rex@example.com", organization_name="Rex Rentals")
        app, main = self.sign_in("rex@example.com", "not the password")
        a11y.wait_until(lambda: a11y.find_text(main, "The e-mail address or the password is wrong."),
                        what="the refused sign-in")

        # Forgot Password? on the sign-in page: the address stays, a link is mailed.
        a11y.click(a11y.find(main, pyatspi.ROLE_PUSH_BUTTON, "Forgot Password?", clickable=True))
        send = a11y.wait_until(lambda: a11y.find(main, pyatspi.ROLE_PUSH_BUTTON, "Send Reset Link", clickable=True),
                               what="Send Reset Link")
        a11y.click(send)
        a11y.wait_until(lambda: a11y.find_text(main, "If an account exists for rex@example.com"),
                        what="the answer to the reset request")
        link = self.server.app_link("rex@example.com", "reset")

        self.gio_open(link)
        window = a11y.wait_until(lambda: a11y.frame(app, "Choose a New Password"),
                                 what="the new-password window", timeout=30)
        # No account on this server yet in Quorum: asked first, as for invitations.
        host = self.server.url.split("://", 1)[1]
        a11y.wait_until(lambda: a11y.find_text(window, host, "a server you have no account on"),
                        what="the unknown-server warning naming the host")
        self.assertTrue(a11y.stays_false(lambda: "/v1/password-resets/confirm" in self.server.log(), 1.0))
        a11y.click(a11y.find(window, pyatspi.ROLE_PUSH_BUTTON, "Continue", clickable=True))

        a11y.wait_until(lambda: a11y.password_field(window, "Confirm New Password"), what="the new-password form")
        a11y.set_text(a11y.password_field(window, "New Password"), NEW_PASSWORD)
        a11y.set_text(a11y.password_field(window, "Confirm New Password"), NEW_PASSWORD)
        confirm = a11y.find(window, pyatspi.ROLE_PUSH_BUTTON, "Set Password and Sign In", clickable=True)
        a11y.wait_until(lambda: a11y.sensitive(confirm), what="Set Password and Sign In to become available")
        a11y.click(confirm)
        a11y.wait_until(lambda: a11y.find(window, pyatspi.ROLE_LABEL, "Password Changed"),
                        what="the password-changed page", timeout=30)

        # Signed in with the new session; the new password works, the old one not.
        a11y.wait_until(lambda: a11y.find(main, pyatspi.ROLE_LABEL, "Rex Rentals"),
                        what="the account opened in the main window", timeout=30)
        self.assertEqual(self.server.post("/v1/sessions", {"email": "rex@example.com",
                                                           "password": NEW_PASSWORD}).status, 201)
        self.assertEqual(self.server.post("/v1/sessions", {"email": "rex@example.com",
                                                           "password": DEFAULT_PASSWORD}).status, 401)


if __name__ == "__main__":
    unittest.main(verbosity=2)
