#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A screenshot of the Developers tab of the demo's Acme Robotics (API keys,
a webhook, the audit log), driven through AT-SPI like the e2e tests. Not a
test; run it in a test session:

  for scheme in default prefer-dark; do
    ADW_DEBUG_COLOR_SCHEME=$scheme QUORUM_BUILD_ROOT=$PWD/build \\
    QUORUM_SERVER_BINARY=$PWD/build/src/server/quorum-server \\
    xvfb-run -a -s "-screen 0 1100x1000x24" dbus-run-session -- \\
      tools/test-session python3 tests/e2e/developers_screenshots.py docs/screenshots
  done

writes developers.png (or developers-dark.png): the app's window alone
(atspi_helpers.shoot). The keys, the webhook and the changes the audit log
shows are made through the API first, as Ada (the webhook points at this
computer, which --allow-insecure-webhooks permits).
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
ORG = "Acme Robotics"


def prepare(server):
    r = server.post("/v1/sessions", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert r.status in (200, 201), r
    token = r.json["token"]
    orgs = {o["name"]: o for o in server.get("/v1/organizations", token).json["items"]}
    org = orgs[ORG]["id"]
    for name, scopes in (("Billing export", ["billing:read"]),
                         ("CI deploys", ["members:read", "invitations:write"])):
        r = server.post(f"/v1/organizations/{org}/api-keys", {"name": name, "scopes": scopes}, token)
        assert r.status == 201, r
    r = server.post(f"/v1/organizations/{org}/webhooks",
                    {"url": "http://127.0.0.1:8099/quorum", "events": ["member.added", "member.removed"],
                     "description": "Sync the staff directory"}, token)
    assert r.status == 201, r
    r = server.post(f"/v1/organizations/{org}/invitations",
                    {"email": "grace@navy.example", "role": "admin"}, token)
    assert r.status == 201, r


def main():
    out_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    os.makedirs(out_dir, exist_ok=True)
    server = QuorumServer("--demo", "--allow-insecure-webhooks", default_plan=None)
    proc = None
    try:
        prepare(server)
        proc = a11y.launch(["--server", server.url])
        _, frame = a11y.main_window(proc.pid)
        a11y.fill_sign_in(frame, DEMO_EMAIL, DEMO_PASSWORD)
        a11y.click(a11y.find(frame, pyatspi.ROLE_PUSH_BUTTON, "Sign In", clickable=True))
        a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_LABEL, ORG),
                        what="the demo organization", timeout=60)
        a11y.click(a11y.wait_until(lambda: a11y.find(frame, pyatspi.ROLE_PAGE_TAB, "Developers"),
                                   what="Developers"))
        a11y.wait_until(lambda: a11y.find(frame, name="CI deploys"), what="the keys", timeout=30)
        a11y.wait_until(lambda: a11y.find_text(frame, "invited grace@navy.example"), what="the audit log",
                        timeout=30)
        a11y.shoot(out_dir, "developers")
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
        server.stop()
        server.close()


if __name__ == "__main__":
    main()
