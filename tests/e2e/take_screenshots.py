#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of the sign-in view, the General tab, the organization
switcher and the Create Organization dialog, with the demo data, driven
through AT-SPI like the e2e tests. Not a test; run it in a test session:

  for scheme in default prefer-dark; do
    ADW_DEBUG_COLOR_SCHEME=$scheme QUORUM_BUILD_ROOT=$PWD/build \\
    QUORUM_SERVER_BINARY=$PWD/build/src/server/quorum-server \\
    xvfb-run -a -s "-screen 0 1100x820x24" dbus-run-session -- \\
      tools/test-session python3 tests/e2e/take_screenshots.py docs/screenshots
  done

writes NAME.png (light) or NAME-dark.png (prefer-dark) for sign-in, general,
main-window (the same as general), switcher and create-organization.
"""
import os
import shutil
import subprocess
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
SETTLE_SECONDS = 1.5  # for animations to end before a picture, nothing else waits on it


def shoot(out_dir, name):
    suffix = "-dark" if os.environ.get("ADW_DEBUG_COLOR_SCHEME") == "prefer-dark" else ""
    time.sleep(SETTLE_SECONDS)
    path = os.path.join(out_dir, f"{name}{suffix}.png")
    subprocess.run(["import", "-window", "root", "-crop", "980x760+0+0", "+repage", path], check=True)
    print("wrote", path)
    return path


def main():
    out_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    os.makedirs(out_dir, exist_ok=True)
    server = QuorumServer("--demo")
    proc = None
    try:
        proc = a11y.launch(["--server", server.url])
        app = a11y.wait_until(lambda: a11y.find_app(proc.pid), what="the app")
        frame = a11y.wait_until(lambda: a11y.find(app, pyatspi.ROLE_FRAME, "Quorum"), what="the window")
        email = a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_TEXT, "E-mail"), what="E-mail")
        password = a11y.find(frame, pyatspi.ROLE_PASSWORD_TEXT, "Password") or \
            a11y.find(frame, pyatspi.ROLE_TEXT, "Password")
        email.queryEditableText().setTextContents(DEMO_EMAIL)
        password.queryEditableText().setTextContents(DEMO_PASSWORD)
        shoot(out_dir, "sign-in")

        a11y.click(a11y.find(frame, pyatspi.ROLE_PUSH_BUTTON, "Sign In", clickable=True))
        a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_LABEL, "Acme Robotics"),
                        what="the demo organization", timeout=60)
        general = shoot(out_dir, "general")
        shutil.copyfile(general, general.replace("general", "main-window"))

        switcher = a11y.find(frame, name="Switch Organization, current: Acme Robotics", clickable=True)
        a11y.click(switcher)
        popover = a11y.wait_until(lambda: a11y.find(switcher.parent, name="GtkPopover"),
                                  what="the open switcher")
        create = a11y.find(popover, pyatspi.ROLE_PUSH_BUTTON, "Create Organization…")
        shoot(out_dir, "switcher")

        a11y.click(create)
        dialog = a11y.wait_until(
            lambda: [w for w in app if w is not None and w.name == "Create Organization"
                     and a11y.find(w, pyatspi.ROLE_TEXT, "Name")],
            what="the Create Organization dialog")[0]
        name = a11y.wait_until(lambda: a11y.find(dialog, pyatspi.ROLE_TEXT, "Name"), what="Name")
        name.queryEditableText().setTextContents("Northwind Traders")
        shoot(out_dir, "create-organization")
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
        server.stop()
        server.close()


if __name__ == "__main__":
    main()
