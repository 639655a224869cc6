#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of the Members tab of the demo's Acme Robotics: the list with
each member's last activity, the list filtered to those inactive for 90
days, three members selected (the bar with Suspend… and Remove…) and an
export on its way (its progress under the list, with Cancel), driven
through AT-SPI like the e2e tests. Not a test; run it in a test session:

  for scheme in default prefer-dark; do
    ADW_DEBUG_COLOR_SCHEME=$scheme QUORUM_BUILD_ROOT=$PWD/build \\
    QUORUM_SERVER_BINARY=$PWD/build/src/server/quorum-server \\
    xvfb-run -a -s "-screen 0 1100x820x24" dbus-run-session -- \\
      tools/test-session python3 tests/e2e/members_screenshots.py docs/screenshots
  done

writes members.png, members-inactive.png, members-selection.png and
members-export.png (or -dark.png): the app's window alone
(atspi_helpers.shoot). For the export the server holds 100,000 more members
(seed_members), so that the picture is taken while it runs. take_screenshots.py takes members.png
the same way among the others.
"""
import os
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
ORG = "Acme Robotics"
SEEDED = 100_000


def select_members(frame, count):
    """Selects the first `count` member rows (not invitations) through the
    list's AT-SPI selection, as Ctrl+click does."""
    listing = a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_LIST, "Members and invitations"),
                              what="the member list")
    chosen = []
    for i in range(listing.childCount):
        item = listing.getChildAtIndex(i)
        row = item.getChildAtIndex(0) if item is not None and item.childCount else None
        name = row.name if row is not None else ""
        if ", Member, " in name and "Invitation pending" not in name:
            chosen.append(i)
        if len(chosen) == count:
            break
    assert len(chosen) == count, f"{len(chosen)} member rows shown"
    selection = listing.querySelection()
    for i in chosen:
        selection.selectChild(i)
    a11y.wait_until(lambda: a11y.find_text(frame, f"{count} selected"), what=f"“{count} selected”")


def export(server, app, frame, out_dir):
    """Export… to a file in a temporary folder, through GTK's own file
    chooser (no portal here); the picture while rows are being written."""
    a11y.click(a11y.wait_until(lambda: a11y.button_starting(frame, "Export…"), what="Export…"))
    chooser = a11y.wait_until(lambda: next((w for w in app if w is not None and w.name == "Export Members"), None),
                              what="the Export Members file chooser")

    def name_entry():
        for node in a11y.descendants(chooser):
            try:
                if node.getRole() == pyatspi.ROLE_TEXT and a11y.text_of(node).endswith("-members.csv"):
                    return node
            except Exception:
                continue
        return None
    name = a11y.wait_until(name_entry, what="the file name entry")
    a11y.set_text(name, os.path.join(tempfile.mkdtemp(prefix="quorum-shots-"), "acme-members.csv"))
    # The server is held (SIGSTOP) while the export begins, then let go for
    # a moment (it sends 100,000 rows in about a second) and held again: the
    # picture shows rows being written. Timed, not watched: a search of the
    # window through AT-SPI takes longer than the export.
    server.pause()
    try:
        a11y.click(a11y.wait_until(lambda: a11y.button_starting(chooser, "Export"), what="Export"))
        time.sleep(0.5)
        server.resume()
        time.sleep(0.3)
        server.pause()
        a11y.shoot(out_dir, "members-export")
    finally:
        server.resume()


def token(server):
    r = server.post("/v1/sessions", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert r.status in (200, 201), r
    return r.json["token"]


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
        a11y.click(toggle)
        time.sleep(2)  # the whole list again

        select_members(frame, 3)
        a11y.shoot(out_dir, "members-selection")
        proc.terminate()
        proc.wait(timeout=10)

        org = next(o for o in server.get("/v1/organizations", token(server)).json["items"] if o["name"] == ORG)
        server.seed_members(org["id"], SEEDED)
        proc = a11y.launch(["--server", server.url])
        app, frame = a11y.main_window(proc.pid)
        a11y.open_demo_members(frame, DEMO_EMAIL, DEMO_PASSWORD)
        a11y.wait_until(lambda: a11y.find(frame, name="Search members"), what="the member search")
        time.sleep(2)  # the first page of members
        export(server, app, frame, out_dir)
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
        server.stop()
        server.close()


if __name__ == "__main__":
    main()
