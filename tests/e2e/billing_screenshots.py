#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A screenshot of the Billing tab of the demo's Acme Robotics (plan, seats,
balance, the usage chart), driven through AT-SPI like
the e2e tests. Not a test; run it in a test session:

  for scheme in default prefer-dark; do
    ADW_DEBUG_COLOR_SCHEME=$scheme QUORUM_BUILD_ROOT=$PWD/build \\
    QUORUM_SERVER_BINARY=$PWD/build/src/server/quorum-server \\
    xvfb-run -a -s "-screen 0 1100x820x24" dbus-run-session -- \\
      tools/test-session python3 tests/e2e/billing_screenshots.py docs/screenshots
  done

writes billing.png (or billing-dark.png): the app's window alone
(atspi_helpers.shoot). The Top Up dialog is not taken: without a window
manager its AdwMessageDialog is drawn at the screen's top left corner, over
the window's edge and with no title to find it by.
"""
import os
import sys

import pyatspi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))

import atspi_helpers as a11y  # noqa: E402
from quorum_server import QuorumServer  # noqa: E402

DEMO_EMAIL = "ada@demo.quorum.test"
DEMO_PASSWORD = "quorum-demo"


def main():
    out_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    os.makedirs(out_dir, exist_ok=True)
    # As ./run starts it (no --default-plan).
    server = QuorumServer("--demo", default_plan=None)
    proc = None
    try:
        proc = a11y.launch(["--server", server.url])
        _, frame = a11y.main_window(proc.pid)
        a11y.fill_sign_in(frame, DEMO_EMAIL, DEMO_PASSWORD)
        a11y.click(a11y.find(frame, pyatspi.ROLE_PUSH_BUTTON, "Sign In", clickable=True))
        a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_LABEL, "Acme Robotics"),
                        what="the demo organization", timeout=60)
        a11y.click(a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_PAGE_TAB, "Billing"), what="Billing"))
        a11y.wait_until(lambda: a11y.find(frame, name="Business Plan"), what="the plan", timeout=30)
        a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_LIST, "Invoices"), what="the invoices")
        a11y.shoot(out_dir, "billing")

    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
        server.stop()
        server.close()


if __name__ == "__main__":
    main()
