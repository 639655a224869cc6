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
(atspi_helpers.shoot); then the Developers tab's dialogs, each alone:
create-key.png (Create API Key, a name typed and two scopes chosen),
key-secret.png (the new key's secret, shown once) and
webhook-deliveries.png (the webhook's tries: a ping delivered and one the
receiver failed with HTTP 500). The keys, the webhook, its pings and the
changes the audit log shows are made through the API first, as Ada (the
webhook points at a receiver on this computer, port 8099, which
--allow-insecure-webhooks permits).
"""
import os
import sys

import pyatspi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))
sys.path.insert(0, os.path.join(HERE, "..", "server"))

import atspi_helpers as a11y  # noqa: E402
from quorum_server import QuorumServer  # noqa: E402
from servertest import WebhookReceiver  # noqa: E402

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
    hook = r.json["id"]
    # Two pings, the first delivered, the second answered 500 (the receiver's answers).
    for n in (1, 2):
        r = server.post(f"/v1/organizations/{org}/webhooks/{hook}/test", None, token)
        assert r.status == 202, r
        a11y.wait_until(lambda: len([d for d in server.get(f"/v1/organizations/{org}/webhooks/{hook}/deliveries",
                                                           token).json["items"]
                                     if d["status"] != "pending"]) == n,
                        what=f"ping {n} tried", timeout=30)
    r = server.post(f"/v1/organizations/{org}/invitations",
                    {"email": "grace@navy.example", "role": "admin"}, token)
    assert r.status == 201, r


def window(app, title):
    """The app's window titled `title`, or None (a window going away meanwhile
    is skipped)."""
    for w in app:
        try:
            if w is not None and w.name == title:
                return w
        except Exception:
            continue
    return None


def main():
    out_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    os.makedirs(out_dir, exist_ok=True)
    server = QuorumServer("--demo", "--allow-insecure-webhooks", default_plan=None)
    receiver = WebhookReceiver(port=8099)
    receiver.answers = [200, 500]
    proc = None
    try:
        prepare(server)
        proc = a11y.launch(["--server", server.url])
        app, frame = a11y.main_window(proc.pid)
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

        # Create Key…: a name and two scopes, then the secret shown once.
        a11y.click(a11y.button_starting(frame, "Create Key…"))
        dialog = a11y.wait_until(lambda: window(app, "Create API Key"), what="the Create API Key dialog")
        name = a11y.wait_until(lambda: a11y.find(dialog, pyatspi.ROLE_TEXT, "Name")
                               or a11y.find(dialog, pyatspi.ROLE_ENTRY, "Name"), what="the Name field")
        a11y.set_text(name, "Nightly report")
        for scope in ("Read members", "Read billing"):
            # A check box has no click action in GTK 4.8: the keyboard, as test_developers does.
            a11y.focus_by_key(a11y.find(dialog, pyatspi.ROLE_CHECK_BOX, scope), what=scope)
            a11y.press(a11y.KEY_SPACE)
        create = a11y.find(dialog, pyatspi.ROLE_PUSH_BUTTON, "Create")
        a11y.wait_until(lambda: a11y.sensitive(create), what="Create to be ready")
        a11y.shoot(out_dir, "create-key", title="Create API Key")
        a11y.click(create)
        secret_title = "Copy the Key “Nightly report”"
        a11y.wait_until(lambda: window(app, secret_title), what="the secret", timeout=30)
        a11y.shoot(out_dir, "key-secret", title=secret_title)
        a11y.click(a11y.wait_until(lambda: a11y.button_starting(app, "Done"), what="Done"))

        # The webhook's menu (GTK 4.8 gives the menu button no click action:
        # its toggle inside has one), then Deliveries… (clicked, or reached
        # with the arrows and Enter where it has no click action either).
        menu = a11y.wait_until(lambda: a11y.find(frame, name="Actions for http://127.0.0.1:8099/quorum"),
                               what="the webhook's menu")
        toggle = menu if a11y.has_click(menu) else next(n for n in a11y.descendants(menu) if a11y.has_click(n))
        a11y.click(toggle)
        item = a11y.wait_until(lambda: next((n for n in a11y.descendants(menu)
                                             if (n.name or "").replace("_", "").startswith("Deliveries")), None),
                               what="Deliveries… in the menu")
        if a11y.has_click(item):
            a11y.click(item)
        else:
            a11y.focus_by_key(item, a11y.KEY_DOWN, presses=10, what="Deliveries…")
            a11y.press(a11y.KEY_RETURN)
        deliveries = a11y.wait_until(lambda: window(app, "Deliveries"), what="the Deliveries dialog")
        a11y.wait_until(lambda: a11y.find_text(deliveries, "ping — failed"), what="the deliveries", timeout=30)
        a11y.shoot(out_dir, "webhook-deliveries", title="Deliveries")
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
        server.stop()
        server.close()
        receiver.close()


if __name__ == "__main__":
    main()
