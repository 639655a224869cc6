#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of the sign-in view, the General tab, the organization
switcher, the Create Organization dialog and the switcher offering a pending
invitation, with the demo data, driven through AT-SPI like the e2e tests. Not a test; run it in a test session:

  for scheme in default prefer-dark; do
    ADW_DEBUG_COLOR_SCHEME=$scheme QUORUM_BUILD_ROOT=$PWD/build \\
    QUORUM_SERVER_BINARY=$PWD/build/src/server/quorum-server \\
    xvfb-run -a -s "-screen 0 1100x820x24" dbus-run-session -- \\
      tools/test-session python3 tests/e2e/take_screenshots.py docs/screenshots
  done

writes NAME.png (light) or NAME-dark.png (prefer-dark) for sign-in, general,
main-window (the same as general), members, invite-member, switcher,
create-organization and switcher-invitations: each the app's window alone
(atspi_helpers.shoot).
"""
import os
import shutil
import sys
import tempfile
import time

import pyatspi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))

import atspi_helpers as a11y  # noqa: E402
from quorum_server import QuorumServer  # noqa: E402

DEMO_EMAIL = "ada@demo.quorum.test"
DEMO_PASSWORD = "quorum-demo"
INVITING_ORGANIZATION = "Lighthouse Labs"
TOAST_SECONDS = 11  # a toast's time-out and its hiding



def sign_in(server, proc):
    """Fills the sign-in view as Ada; returns (app, frame) once it is ready to send."""
    app, frame = a11y.main_window(proc.pid)
    a11y.fill_sign_in(frame, DEMO_EMAIL, DEMO_PASSWORD)
    return app, frame


def submit(frame):
    a11y.click(a11y.find(frame, pyatspi.ROLE_PUSH_BUTTON, "Sign In", clickable=True))
    a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_LABEL, "Acme Robotics"),
                    what="the demo organization", timeout=60)


def invitations(out_dir, server):
    """Ada is invited to another organization, then signs in: the toast offers
    it and its button opens the switcher with the invitation."""
    owner = server.signup(name="Olivia Owner", email="olivia@example.com",
                          organization_name=INVITING_ORGANIZATION)
    server.invite(owner["organization"]["id"], owner["token"], DEMO_EMAIL, role="admin")
    proc = a11y.launch(["--server", server.url])
    try:
        _, frame = sign_in(server, proc)
        submit(frame)
        # GTK 4.8 does not expose the toast to AT-SPI: the switcher is opened
        # directly, once the toast has timed out (10 s) and left a clean picture.
        time.sleep(TOAST_SECONDS)
        switcher = a11y.find(frame, name="Switch Organization, current: Acme Robotics", clickable=True)
        under = os.path.join(tempfile.mkdtemp(prefix="quorum-shots-"), "under.png")
        a11y.grab(under)
        a11y.click(switcher)
        popover = a11y.wait_until(lambda: a11y.find(switcher.parent, name="GtkPopover"),
                                  what="the open switcher")
        a11y.wait_until(lambda: a11y.find(popover, pyatspi.ROLE_PUSH_BUTTON,
                                          f"Accept invitation to {INVITING_ORGANIZATION}"),
                        what="the invitation")
        a11y.shoot(out_dir, "switcher-invitations", under=under)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)


def main():
    out_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    os.makedirs(out_dir, exist_ok=True)
    server = QuorumServer("--demo")
    proc = None
    try:
        proc = a11y.launch(["--server", server.url])
        app, frame = sign_in(server, proc)
        a11y.shoot(out_dir, "sign-in")

        submit(frame)
        general = a11y.shoot(out_dir, "general")
        shutil.copyfile(general, general.replace("general", "main-window"))

        a11y.click(a11y.find(frame, name="Members", clickable=True))
        a11y.wait_until(lambda: a11y.find(frame, name="Search members"), what="the member search")
        time.sleep(2)  # the first page of members
        a11y.shoot(out_dir, "members")

        a11y.click(a11y.button_starting(frame, "Invite"))
        dialog = a11y.wait_until(
            lambda: [w for w in app if w is not None and w.name == "Invite Member"
                     and a11y.find(w, pyatspi.ROLE_TEXT, "E-mail")],
            what="the Invite Member dialog")[0]
        a11y.set_text(a11y.find(dialog, pyatspi.ROLE_TEXT, "E-mail"), DEMO_EMAIL)
        a11y.click(a11y.button_starting(dialog, "Send Invitation"))
        time.sleep(2)  # the server's already_member answer, shown inline
        a11y.shoot(out_dir, "invite-member", title="Invite Member")
        a11y.click(a11y.button_starting(dialog, "Cancel"))
        a11y.click(a11y.find(frame, name="General", clickable=True))

        switcher = a11y.find(frame, name="Switch Organization, current: Acme Robotics", clickable=True)
        time.sleep(a11y.SETTLE_SECONDS)
        under = os.path.join(tempfile.mkdtemp(prefix="quorum-shots-"), "under.png")
        a11y.grab(under)
        a11y.click(switcher)
        popover = a11y.wait_until(lambda: a11y.find(switcher.parent, name="GtkPopover"),
                                  what="the open switcher")
        create = a11y.find(popover, pyatspi.ROLE_PUSH_BUTTON, "Create Organization…")
        a11y.shoot(out_dir, "switcher", under=under)

        a11y.click(create)
        dialog = a11y.wait_until(
            lambda: [w for w in app if w is not None and w.name == "Create Organization"
                     and a11y.find(w, pyatspi.ROLE_TEXT, "Name")],
            what="the Create Organization dialog")[0]
        name = a11y.wait_until(lambda: a11y.find(dialog, pyatspi.ROLE_TEXT, "Name"), what="Name")
        a11y.set_text(name, "Northwind Traders")
        a11y.shoot(out_dir, "create-organization")
        proc.terminate()
        proc.wait(timeout=10)

        invitations(out_dir, server)
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
        server.stop()
        server.close()


if __name__ == "__main__":
    main()
