#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of the invitation window: the preview, the newcomer's set-up
form and the expired-invitation page. Not a test; run it in a test session:

  for scheme in default prefer-dark; do
    ADW_DEBUG_COLOR_SCHEME=$scheme QUORUM_BUILD_ROOT=$PWD/build \\
    QUORUM_SERVER_BINARY=$PWD/build/src/server/quorum-server \\
    xvfb-run -a -s "-screen 0 1100x820x24" dbus-run-session -- \\
      tools/test-session python3 tests/e2e/invitation_screenshots.py docs/screenshots
  done

writes invitation, invitation-setup and invitation-expired (NAME.png, or
NAME-dark.png with prefer-dark).
"""
import os
import sqlite3
import sys

import pyatspi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))

import atspi_helpers as a11y  # noqa: E402
from quorum_server import QuorumServer  # noqa: E402
from test_invite_link import invite_link  # noqa: E402

ORGANIZATION = "Lighthouse Labs"


def main():
    out_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    os.makedirs(out_dir, exist_ok=True)
    server = QuorumServer()
    proc = None
    try:
        owner = server.signup(name="Olivia Owner", email="olivia@example.com", organization_name=ORGANIZATION)
        org_id = owner["organization"]["id"]
        server.invite(org_id, owner["token"], "nina@example.com")
        server.invite(org_id, owner["token"], "late@example.com")
        with sqlite3.connect(os.path.join(server.data_dir, "quorum.db")) as db:
            db.execute("UPDATE invitations SET expires_at = 1 WHERE email = 'late@example.com'")

        proc = a11y.launch(["--server", server.url, invite_link(server, "nina@example.com")])
        app = a11y.wait_until(lambda: a11y.find_app(proc.pid), what="the app")
        window = a11y.wait_until(lambda: a11y.frame(app, "Invitation"), what="the invitation window")
        a11y.click(a11y.wait_until(lambda: a11y.find(window, pyatspi.ROLE_PUSH_BUTTON, "Continue", clickable=True),
                                   what="Continue"))
        a11y.wait_until(lambda: a11y.find(window, pyatspi.ROLE_LABEL, f"Join {ORGANIZATION}"), what="the preview")
        a11y.shoot(out_dir, "invitation", title="Invitation")

        a11y.click(a11y.find(window, pyatspi.ROLE_PUSH_BUTTON, "Create Account", clickable=True))
        a11y.set_text(a11y.find(window, pyatspi.ROLE_TEXT, "Your Name"), "Nina Newcomer")
        for field in ("Password", "Confirm Password"):
            a11y.set_text(a11y.password_field(window, field), "lighthouse keeper 7")
        a11y.shoot(out_dir, "invitation-setup", title="Invitation")
        a11y.click(a11y.find(window, pyatspi.ROLE_PUSH_BUTTON, "Close", clickable=True))
        a11y.wait_until(lambda: not a11y.frames(app, "Invitation"), what="the window to close")

        # The second link goes to the running app.
        second = a11y.launch([invite_link(server, "late@example.com")])
        second.wait(timeout=20)
        window = a11y.wait_until(lambda: a11y.frame(app, "Invitation"), what="the invitation window")
        a11y.click(a11y.wait_until(lambda: a11y.find(window, pyatspi.ROLE_PUSH_BUTTON, "Continue", clickable=True),
                                   what="Continue"))
        a11y.wait_until(lambda: server.log().count("GET /v1/invitations/") >= 2, what="the preview request")
        a11y.shoot(out_dir, "invitation-expired", title="Invitation")
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
        server.close()


if __name__ == "__main__":
    main()
