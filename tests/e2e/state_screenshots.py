#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of the states the main flows rarely show: the Members tab at
360 px wide, the offline banner and the keyring page, with the demo data,
driven through AT-SPI like the e2e tests. Not a test; run it in a test
session (it kills that session's gnome-keyring at the end):

  for scheme in default prefer-dark; do
    ADW_DEBUG_COLOR_SCHEME=$scheme QUORUM_BUILD_ROOT=$PWD/build \\
    QUORUM_SERVER_BINARY=$PWD/build/src/server/quorum-server \\
    xvfb-run -a -s "-screen 0 1100x820x24" dbus-run-session -- \\
      tools/test-session python3 tests/e2e/state_screenshots.py docs/screenshots
  done

writes NAME.png (light) or NAME-dark.png (prefer-dark) for narrow-members,
offline and keyring-unavailable.
"""
import os
import subprocess
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
APP_ID = "org.quorumdesk.Quorum.Devel"



class App:
    """The app with its settings in a key file, so the accounts and the window
    size outlive a restart."""

    def __init__(self, config_dir):
        self.config_dir = config_dir
        self.proc = None

    def set_size(self, width, height):
        path = os.path.join(self.config_dir, "glib-2.0", "settings", "keyfile")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        lines = []
        if os.path.exists(path):
            with open(path) as f:
                lines = [line for line in f.read().splitlines()
                         if not line.startswith(("window-width=", "window-height="))]
        group = "[" + APP_ID.replace(".", "/") + "]"
        if group not in lines:
            lines.append(group)
        at = lines.index(group) + 1
        lines[at:at] = [f"window-width={width}", f"window-height={height}"]
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")

    def start(self, server):
        self.proc = a11y.launch(["--server", server.url],
                                extra_env={"GSETTINGS_BACKEND": "keyfile",
                                           "XDG_CONFIG_HOME": self.config_dir})
        return a11y.main_window(self.proc.pid)[1]

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


BARE_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def start_bare_bus():
    """A session bus with no services to activate."""
    config = os.path.join(tempfile.mkdtemp(prefix="quorum-bus-"), "session.conf")
    with open(config, "w") as f:
        f.write(BARE_BUS_CONFIG)
    proc = subprocess.Popen(["dbus-daemon", "--nofork", "--print-address", f"--config-file={config}"],
                            stdout=subprocess.PIPE, text=True)
    return proc, proc.stdout.readline().strip()


def main():
    out_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    os.makedirs(out_dir, exist_ok=True)
    server = QuorumServer("--demo")
    app = App(tempfile.mkdtemp(prefix="quorum-shots-"))
    try:
        # 360 px wide: the view switcher moves to the bottom bar.
        app.set_size(360, 720)
        frame = app.start(server)
        a11y.open_demo_members(frame, DEMO_EMAIL, DEMO_PASSWORD)
        a11y.wait_until(lambda: a11y.find(frame, name="Search members"),
                        what="the member search")
        time.sleep(2)  # the first page of members
        a11y.shoot(out_dir, "narrow-members")
        app.stop()

        # Signed in again from the keyring; then the server goes away.
        app.set_size(980, 760)
        frame = app.start(server)
        a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_LABEL, "Acme Robotics"),
                        what="the restored account", timeout=60)
        server.stop()
        # What the banner's own Retry does, through the window's actions on
        # the session bus: the organizations are fetched again, and fail.
        a11y.window_action(APP_ID, "retry")
        time.sleep(3)  # the failed fetch; GTK 4.8 does not tell AT-SPI when the banner shows
        a11y.shoot(out_dir, "offline")
        app.stop()

        # No Secret Service: the app alone on a private bus where nothing
        # answers for org.freedesktop.secrets; the account is kept.
        bus = start_bare_bus()
        try:
            app.proc = subprocess.Popen([a11y.APP_BINARY, "--server", server.url],
                                        env=a11y.app_env({"GSETTINGS_BACKEND": "keyfile",
                                                          "XDG_CONFIG_HOME": app.config_dir,
                                                          "DBUS_SESSION_BUS_ADDRESS": bus[1],
                                                          "NO_AT_BRIDGE": "1", "GTK_A11Y": "none"}))
            time.sleep(4)  # no AT-SPI on that bus: nothing to wait on but time
            a11y.shoot(out_dir, "keyring")
        finally:
            app.stop()
            bus[0].terminate()
    finally:
        app.stop()
        server.stop()
        server.close()


if __name__ == "__main__":
    main()
