#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of the window a quorum://org/… link opens when it has
something to say: a link to an organization none of the accounts belongs to
("You Are Not a Member of umbrella-corp"), and a link to one that two of
the accounts belong to ("Open With Which Account?"), driven through AT-SPI
like the e2e tests. Not a test; run it in a test session:

  for scheme in default prefer-dark; do
    ADW_DEBUG_COLOR_SCHEME=$scheme QUORUM_BUILD_ROOT=$PWD/build \\
    QUORUM_SERVER_BINARY=$PWD/build/src/server/quorum-server \\
    xvfb-run -a -s "-screen 0 1100x820x24" dbus-run-session -- \\
      tools/test-session python3 tests/e2e/org_link_screenshots.py docs/screenshots
  done

writes org-link-not-member.png and org-link-choose.png (or -dark.png): the
link's window alone (atspi_helpers.shoot; it is titled "Quorum" like the
main window, which is left out by its id). QUORUM_APP_ID names the build's
application id (org.quorumdesk.Quorum.Devel by default), whose
win.add-account signs in the second account.
"""
import os
import sys
import urllib.parse

import pyatspi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))

import atspi_helpers as a11y  # noqa: E402
from quorum_server import DEFAULT_PASSWORD, QuorumServer  # noqa: E402
from test_account_links import sign_in_with_form  # noqa: E402

APP_ID = os.environ.get("QUORUM_APP_ID", "org.quorumdesk.Quorum.Devel")
DEMO_EMAIL = "ada@demo.quorum.test"
DEMO_PASSWORD = "quorum-demo"
OTHER_EMAIL = "bea.nakamura@example.com"
OTHER_ORGANIZATION = "Harbour Works"


def org_link(server, slug, path=""):
    query = urllib.parse.urlencode({"server": server.url}, quote_via=urllib.parse.quote)
    return f"quorum://org/{slug}{path}?{query}"


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    server = QuorumServer("--demo")
    procs = []
    try:
        # Bea's organization, which Ada joins: both accounts are members.
        bea = server.signup(name="Bea Nakamura", email=OTHER_EMAIL, organization_name=OTHER_ORGANIZATION)
        server.invite(bea["organization"]["id"], bea["token"], DEMO_EMAIL)
        r = server.post("/v1/sessions", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
        assert r.status in (200, 201), r
        r = server.post(f"/v1/invitations/{server.invitation_token(DEMO_EMAIL)}/accept", None, r.json["token"])
        assert r.status in (200, 201), r

        procs.append(a11y.launch(["--server", server.url]))
        app, frame = a11y.main_window(procs[0].pid)
        sign_in_with_form(frame, DEMO_EMAIL, DEMO_PASSWORD)
        a11y.wait_until(lambda: a11y.find(frame, name="Switch Organization, current: Acme Robotics"),
                        what="Acme Robotics open", timeout=60)
        main_window = a11y.window_geometry("Quorum")[0]

        # A link to an organization none of the accounts is in.
        procs.append(a11y.launch([org_link(server, "umbrella-corp", "/members")]))
        a11y.wait_until(lambda: a11y.find(app, name="You Are Not a Member of umbrella-corp"),
                        what="the not-a-member page", timeout=30)
        a11y.shoot(out_dir, "org-link-not-member", exclude=(main_window,))
        first_link_window = a11y.window_geometry("Quorum", exclude=(main_window,))[0]

        # Bea as a second account, then a link to her organization.
        a11y.window_action(APP_ID, "add-account")
        sign_in_with_form(frame, OTHER_EMAIL, DEFAULT_PASSWORD)
        a11y.wait_until(lambda: a11y.find(frame, name=f"Switch Organization, current: {OTHER_ORGANIZATION}"),
                        what=f"{OTHER_ORGANIZATION} open", timeout=60)
        procs.append(a11y.launch([org_link(server, bea["organization"]["slug"], "/members")]))
        a11y.wait_until(lambda: a11y.find(app, pyatspi.ROLE_LIST, "Accounts")
                        and a11y.find_text(app, "Several of your accounts"),
                        what="the choice of account", timeout=30)
        a11y.shoot(out_dir, "org-link-choose", exclude=(main_window, first_link_window))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)
        server.stop()
        server.close()


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
