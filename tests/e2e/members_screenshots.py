#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of the Members tab of the demo's Acme Robotics: the list with
each member's last activity, and the list filtered to those inactive for 90
days, driven through AT-SPI like the e2e tests. Not a test; run it in a test
session:

  for scheme in default prefer-dark; do
    ADW_DEBUG_COLOR_SCHEME=$scheme QUORUM_BUILD_ROOT=$PWD/build \\
    QUORUM_SERVER_BINARY=$PWD/build/src/server/quorum-server \\
    xvfb-run -a -s "-screen 0 1100x820x24" dbus-run-session -- \\
      tools/test-session python3 tests/e2e/members_screenshots.py docs/screenshots
  done

writes members.png and members-inactive.png (or -dark.png): the app's
window alone (atspi_helpers.shoot). take_screenshots.py takes members.png
the same way among the others.
"""
import os
import sys
import time

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
    server = QuorumServer("--demo")
    proc = None
    try:
        proc = a11y.launch(["--server", server.url])
        _, frame = a11y.main_window(proc.pid)
        a11y.open_demo_members(frame, DEMO_EMAIL, DEMO_PASSWORD)
        a11y.wait_until(lambda: a11y.find(frame, name="Search members"), what="the member search")
        time.sleep(2)  # the first page of members
        a11y.shoot(out_dir, "members")

        toggle = a11y.wait_until(lambda: a11y.find(frame, name="Inactive for 90 days", clickable=True),
                                 what="the inactive filter")
        a11y.click(toggle)
        time.sleep(2)  # the filtered first page
        a11y.shoot(out_dir, "members-inactive")
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
        server.stop()
        server.close()


if __name__ == "__main__":
    main()
