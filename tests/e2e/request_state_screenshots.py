#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of the request states (issue 19) against the demo server:
still waiting, not answering (the server hung with SIGSTOP, as `kill -STOP`
does to ./run's server) and offline (the server gone). Not a test; run it in
a test session:

  for scheme in default prefer-dark; do
    ADW_DEBUG_COLOR_SCHEME=$scheme QUORUM_BUILD_ROOT=$PWD/build \\
    QUORUM_SERVER_BINARY=$PWD/build/src/server/quorum-server \\
    xvfb-run -a -s "-screen 0 1100x820x24" dbus-run-session -- \\
      tools/test-session python3 tests/e2e/request_state_screenshots.py docs/screenshots
  done

writes NAME.png (light) or NAME-dark.png (prefer-dark) for waiting,
not-answering and offline. QUORUM_APP_ID names the build's application id
(org.quorumdesk.Quorum.Devel, the development profile, by default).
"""
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))

import atspi_helpers as a11y  # noqa: E402
from quorum_server import QuorumServer  # noqa: E402
from state_screenshots import App  # noqa: E402

DEMO_EMAIL = "ada@demo.quorum.test"
DEMO_PASSWORD = "quorum-demo"
APP_ID = os.environ.get("QUORUM_APP_ID", "org.quorumdesk.Quorum.Devel")
STILL_WAITING_S = 3   # QUORUM_REQUEST_STILL_WAITING_MS
NOT_ANSWERING_S = 10  # QUORUM_REQUEST_NOT_ANSWERING_MS


def main():
    out_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    os.makedirs(out_dir, exist_ok=True)
    server = QuorumServer("--demo")
    app = App(tempfile.mkdtemp(prefix="quorum-shots-"))
    app_id_saved = None
    try:
        app.set_size(980, 760)
        frame = app.start(server)
        a11y.open_demo_members(frame, DEMO_EMAIL, DEMO_PASSWORD)
        time.sleep(2)  # the first page of members

        # Hung: the list is asked again; the banner over the page.
        server.pause()
        a11y.window_action(APP_ID, "retry")  # the organizations are fetched again
        # GTK 4.8 does not tell AT-SPI when the banner shows: nothing to
        # wait on but the thresholds themselves (shoot() settles 1.5 s more).
        started = time.monotonic()
        time.sleep(STILL_WAITING_S)
        a11y.shoot(out_dir, "waiting")
        time.sleep(max(0.0, NOT_ANSWERING_S - (time.monotonic() - started)))
        a11y.shoot(out_dir, "not-answering")
        server.resume()
        time.sleep(2)

        # Gone: nothing listens any more.
        server.stop()
        a11y.window_action(APP_ID, "retry")
        time.sleep(7)  # refused; the client itself tries 4 times (0.5, 1, 2 s apart) first
        a11y.shoot(out_dir, "offline")
    finally:
        if server.process and server.process.poll() is None:
            server.resume()
        app.stop()
        server.stop()
        server.close()


if __name__ == "__main__":
    main()
