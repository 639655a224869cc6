#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Invitation links clicked on the desktop: `gio open 'quorum://invite/...'`
finds Quorum through its installed desktop file, a newcomer sets up an
account and lands in the organization, and a second link while Quorum runs
goes to the running instance, where Accept works."""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import pyatspi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))

import atspi_helpers as a11y  # noqa: E402
from quorum_server import QuorumServer  # noqa: E402

NEWCOMER = "nina.newcomer@example.com"
NEWCOMER_PASSWORD = "Tr0ub4dor & 3 horses!"
FIRST_ORG = "Lighthouse Labs"
SECOND_ORG = "Harbour Works"


def invite_link(server, email):
    """The quorum:// link of the newest e-mail to this address, from the outbox."""
    link = server.newest_app_link(email, "invite")
    if link is None:
        raise AssertionError(f"no invitation e-mail to {email}")
    return link


class DesktopLinkTestCase(unittest.TestCase):
    """A server, and the built desktop file installed as the handler of
    quorum: links for gio, as after installing Quorum. No tests of its own."""

    server_args = ()  # for the server: "--demo", say

    def setUp(self):
        self.assertEqual(a11y.quorum_pids(), [], "another Quorum is already running")
        self.server = QuorumServer(*self.server_args)
        self.addCleanup(self.server.close)

        # Install the built desktop file, Exec pointing at the built binary,
        # and make it the handler of quorum: links for gio.
        self.xdg = tempfile.mkdtemp(prefix="quorum-xdg-")
        self.addCleanup(shutil.rmtree, self.xdg, ignore_errors=True)
        data_home = os.path.join(self.xdg, "data")
        config_home = os.path.join(self.xdg, "config")
        applications = os.path.join(data_home, "applications")
        os.makedirs(applications)
        os.makedirs(config_home)
        built = glob.glob(os.path.join(a11y.BUILD_ROOT, "data", "*.desktop"))
        self.assertEqual(len(built), 1, f"one built desktop file expected, found {built}")
        desktop_id = os.path.basename(built[0])
        with open(built[0], encoding="utf-8") as f:
            entry = f.read()
        self.assertIn("MimeType=x-scheme-handler/quorum;", entry)
        entry = re.sub(r"^Exec=\S+", "Exec=" + a11y.APP_BINARY, entry, flags=re.MULTILINE)
        with open(os.path.join(applications, desktop_id), "w", encoding="utf-8") as f:
            f.write(entry)
        subprocess.run(["update-desktop-database", applications], check=True, timeout=30)
        with open(os.path.join(config_home, "mimeapps.list"), "w", encoding="utf-8") as f:
            f.write(f"[Default Applications]\nx-scheme-handler/quorum={desktop_id}\n")
        self.env = a11y.app_env({"XDG_DATA_HOME": data_home, "XDG_CONFIG_HOME": config_home})

        # The accessibility bus first, so the app finds it when it starts.
        pyatspi.Registry.getDesktop(0).childCount  # noqa: B018
        self.addCleanup(self.stop_apps)

    def stop_apps(self):
        for pid in a11y.quorum_pids():
            try:
                os.kill(pid, 15)
            except OSError:
                pass
        a11y.wait_until(lambda: not a11y.quorum_pids(), timeout=10, what="Quorum to exit")

    def gio_open(self, link):
        # The app gio starts inherits gio's output: a file, not a pipe that
        # would stay open as long as the app runs.
        with tempfile.TemporaryFile() as errors:
            result = subprocess.run(["gio", "open", link], env=self.env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=errors, timeout=30, check=False)
            errors.seek(0)
            self.assertEqual(result.returncode, 0, f"gio open failed: {errors.read().decode(errors='replace')}")



class InviteLinkTest(DesktopLinkTestCase):
    def organization_with_invitation(self, owner_name, owner_email, org_name, email):
        owner = self.server.signup(name=owner_name, email=owner_email, organization_name=org_name)
        org_id = owner["organization"]["id"]
        self.server.invite(org_id, owner["token"], email)
        return owner["token"], org_id

    def is_member(self, org_id, owner_token, email):
        r = self.server.get(f"/v1/organizations/{org_id}/members?query={email}", owner_token)
        self.assertEqual(r.status, 200, r)
        return any(m["email"] == email for m in r.json["items"])

    def test_newcomer_then_existing_user_while_running(self):
        # 1. A newcomer clicks the link: Quorum starts on the invitation.
        owner_token, org_id = self.organization_with_invitation(
            "Olivia Owner", "olivia@example.com", FIRST_ORG, NEWCOMER)
        link = invite_link(self.server, NEWCOMER)
        self.assertTrue(link.startswith("quorum://invite/"), link)
        self.gio_open(link)

        app = a11y.wait_until(lambda: (a11y.quorum_apps() or [None])[0], what="Quorum on the AT-SPI bus")
        window = a11y.wait_until(lambda: a11y.frame(app, "Invitation"), what="the invitation window")

        # The server is named before anything is sent there (GTK 4.8 does not
        # report which stack page shows, so ask the server's log).
        host = self.server.url.split("://", 1)[1]
        a11y.wait_until(lambda: a11y.find_text(window, host, "a server you have no account on"),
                        what="the unknown-server warning naming the host")
        self.assertTrue(a11y.stays_false(lambda: "GET /v1/invitations/" in self.server.log(), 1.0),
                        "the preview was fetched before Continue")
        a11y.click(a11y.find(window, pyatspi.ROLE_PUSH_BUTTON, "Continue", clickable=True))
        a11y.wait_until(lambda: "GET /v1/invitations/" in self.server.log(), what="the preview request")

        # The preview names the organization, the inviter and the server.
        a11y.wait_until(lambda: a11y.find(window, pyatspi.ROLE_LABEL, f"Join {FIRST_ORG}"),
                        what="the invitation preview")
        self.assertIsNotNone(a11y.find(window, name=f"Olivia Owner invited you to join {FIRST_ORG} as Member."))
        self.assertTrue(a11y.find(window, name=self.server.url) or a11y.find(window, name=host),
                        "the server is shown")
        a11y.click(a11y.find(window, pyatspi.ROLE_PUSH_BUTTON, "Create Account", clickable=True))

        name = a11y.wait_until(lambda: a11y.find(window, pyatspi.ROLE_TEXT, "Your Name"), what="the set-up form")
        password = a11y.find(window, pyatspi.ROLE_PASSWORD_TEXT, "Password") or \
            a11y.find(window, pyatspi.ROLE_TEXT, "Password")
        confirm = a11y.find(window, pyatspi.ROLE_PASSWORD_TEXT, "Confirm Password") or \
            a11y.find(window, pyatspi.ROLE_TEXT, "Confirm Password")
        self.assertIsNotNone(password, "no Password field")
        self.assertIsNotNone(confirm, "no Confirm Password field")
        a11y.set_text(name, "Nina Newcomer")
        a11y.set_text(password, NEWCOMER_PASSWORD)
        a11y.set_text(confirm, NEWCOMER_PASSWORD)
        create = a11y.find(window, pyatspi.ROLE_PUSH_BUTTON, "Create Account and Join", clickable=True)
        a11y.wait_until(lambda: a11y.sensitive(create), what="Create Account and Join to become available")
        a11y.click(create)

        a11y.wait_until(lambda: a11y.find(window, pyatspi.ROLE_LABEL, f"Welcome to {FIRST_ORG}"),
                        what="the welcome page", timeout=30)
        self.assertTrue(self.is_member(org_id, owner_token, NEWCOMER), "the newcomer is a member on the server")
        # The main window opened the new account on that organization.
        main = a11y.wait_until(lambda: a11y.frame(app, "Quorum"), what="the main window")
        a11y.wait_until(lambda: a11y.find(main, pyatspi.ROLE_LABEL, FIRST_ORG),
                        what="the organization in the main window", timeout=30)

        # 2. While Quorum runs, a link for an existing account arrives.
        first_pid = app.get_process_id()
        owner2_token, org2_id = self.organization_with_invitation(
            "Hugo Harbour", "hugo@example.com", SECOND_ORG, NEWCOMER)
        self.gio_open(invite_link(self.server, NEWCOMER))

        second = a11y.wait_until(
            lambda: [w for w in a11y.frames(app, "Invitation")
                     if a11y.find(w, pyatspi.ROLE_LABEL, f"Join {SECOND_ORG}")],
            what="the second invitation in the running Quorum", timeout=30)[0]
        # One process: the one gio started handed the link over and exited.
        a11y.wait_until(lambda: a11y.quorum_pids() == [first_pid], what="a single Quorum process")
        self.assertEqual([a.get_process_id() for a in a11y.quorum_apps()], [first_pid])
        self.assertTrue(second.getState().contains(pyatspi.STATE_SHOWING), "the invitation window is shown")

        # The account is known, so no warning and straight to Accept.
        accept = a11y.wait_until(lambda: a11y.find(second, pyatspi.ROLE_PUSH_BUTTON, "Accept", clickable=True),
                                 what="the Accept button")
        self.assertFalse(self.is_member(org2_id, owner2_token, NEWCOMER))
        a11y.click(accept)
        a11y.wait_until(lambda: a11y.find(second, pyatspi.ROLE_LABEL, f"Welcome to {SECOND_ORG}"),
                        what="the welcome page", timeout=30)
        self.assertTrue(self.is_member(org2_id, owner2_token, NEWCOMER), "Accept made them a member")


if __name__ == "__main__":
    unittest.main(verbosity=2)
