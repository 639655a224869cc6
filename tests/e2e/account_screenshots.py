#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of the e-mail verification banner and of the window a
password reset link opens, each window alone. Not a test; run it in a test
session, once per colour scheme:

  for scheme in default prefer-dark; do
    ADW_DEBUG_COLOR_SCHEME=$scheme QUORUM_BUILD_ROOT=$PWD/build \\
    QUORUM_SERVER_BINARY=$PWD/build/src/server/quorum-server \\
    xvfb-run -a -s "-screen 0 1100x820x24" dbus-run-session -- \\
      tools/test-session python3 tests/e2e/account_screenshots.py docs/screenshots
  done

writes verify-banner.png and new-password.png (-dark with prefer-dark).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))

import atspi_helpers as a11y  # noqa: E402
from quorum_server import DEFAULT_PASSWORD, QuorumServer  # noqa: E402
from test_account_links import sign_in_with_form  # noqa: E402

EMAIL = "vera.lindqvist@example.com"


def main(out_dir):
    server = QuorumServer()
    procs = []
    try:
        owner = server.signup(name="Olivia Owner", email="olivia@example.com", organization_name="Lighthouse Labs")
        server.signup(name="Vera Lindqvist", email=EMAIL, organization_name="Harbour Works")
        server.invite(owner["organization"]["id"], owner["token"], EMAIL)

        procs.append(a11y.launch(["--server", server.url]))
        app = a11y.wait_until(lambda: a11y.find_app(procs[0].pid), what="the app")
        window = a11y.wait_until(lambda: a11y.frame(app, "Quorum"), what="the window")
        sign_in_with_form(window, EMAIL, DEFAULT_PASSWORD)
        a11y.wait_until(lambda: a11y.find_text(window, "Verify your e-mail address to see invitations sent to"),
                        what="the verification banner", timeout=30)
        a11y.shoot(out_dir, "verify-banner")

        # A reset link, opened while Quorum runs: the running instance asks
        # for the new password.
        r = server.post("/v1/password-resets", {"email": EMAIL})
        assert r.status == 202, r
        procs.append(a11y.launch([server.app_link(EMAIL, "reset")]))
        dialog = a11y.wait_until(lambda: next((w for w in app if w is not None and w.name == "Choose a New Password"),
                                              None),
                                 what="the new-password window", timeout=30)
        a11y.wait_until(lambda: a11y.password_field(dialog, "Confirm New Password"), what="the new-password form")
        a11y.set_text(a11y.password_field(dialog, "New Password"), "Tr0ub4dor & 3 horses!")
        a11y.set_text(a11y.password_field(dialog, "Confirm New Password"), "Tr0ub4dor & 3 horses!")
        a11y.shoot(out_dir, "new-password", title="Choose a New Password")
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)
        server.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "docs", "screenshots"))
