#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Billing tab as a keyboard and screen reader user meets it, against the
demo server: the owner of Acme Robotics sees the plan and seats, tops up the
balance (the server's balance moves too), sees the invoices and saves one as a
PDF through the file chooser; a plain member of Initech has no Billing tab."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import pyatspi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))

import atspi_helpers as a11y  # noqa: E402
from quorum_server import QuorumServer  # noqa: E402

DEMO_EMAIL = "ada@demo.quorum.test"
DEMO_PASSWORD = "quorum-demo"
OWNED = "Acme Robotics"
MEMBER_ONLY = "Initech"
SMALL = "Northwind Traders"
TOP_UP_CENTS = 2500


def digits(text):
    return re.sub(r"[^0-9]", "", text)


def label_texts(root):
    out = []
    for node in a11y.descendants(root):
        try:
            if node.getRole() == pyatspi.ROLE_LABEL:
                out.append(node.name or a11y.text_of(node))
        except Exception:
            continue
    return out


class BillingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # As ./run starts it: the server's own default plan (Free) for new organizations.
        cls.server = QuorumServer("--demo", default_plan=None)
        r = cls.server.post("/v1/sessions", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
        assert r.status in (200, 201), r
        cls.token = r.json["token"]
        # A new organization of Ada's own, on Free: seats against a limit
        # (the demo's Acme Robotics is on Business, which has none).
        r = cls.server.post("/v1/organizations", {"name": SMALL}, cls.token)
        assert r.status == 201, r
        orgs = cls.server.get("/v1/organizations", cls.token).json["items"]
        cls.orgs = {o["name"]: o for o in orgs}

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.close()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="quorum-billing-e2e-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.proc = a11y.launch(["--server", self.server.url])
        self.addCleanup(self.stop)
        self.app, self.frame = a11y.main_window(self.proc.pid)
        a11y.fill_sign_in(self.frame, DEMO_EMAIL, DEMO_PASSWORD)
        a11y.click(a11y.wait_until(lambda: a11y.find(self.frame, pyatspi.ROLE_PUSH_BUTTON, "Sign In",
                                                     clickable=True), what="Sign In"))
        a11y.wait_until(lambda: a11y.find(self.frame, pyatspi.ROLE_LABEL, OWNED),
                        what="the demo organization in the switcher", timeout=60)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def billing(self):
        r = self.server.get(f"/v1/organizations/{self.orgs[OWNED]['id']}/billing", self.token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def billing_tab(self):
        return a11y.find(self.frame, pyatspi.ROLE_PAGE_TAB, "Billing")

    def open_billing_by_keyboard(self):
        tab = a11y.wait_until(lambda: (t := self.billing_tab()) is not None and a11y.shown(t) and t,
                              what="the Billing tab")
        a11y.focus_by_key(tab, what="the Billing tab")
        a11y.press(a11y.KEY_SPACE)
        a11y.wait_until(lambda: tab.getState().contains(pyatspi.STATE_SELECTED)
                        or tab.getState().contains(pyatspi.STATE_CHECKED),
                        what="the Billing tab to be the visible one")
        return tab

    def row_subtitle(self, title):
        """The words under the row titled `title` (an AdwActionRow's subtitle
        label, a sibling of its title in the row's box)."""
        row = a11y.find(self.frame, name=title)
        if row is None:
            return None
        for text in label_texts(row):
            if text and text != title:
                return text
        return None

    def choose_organization(self, org):
        switcher = a11y.find(self.frame, name=f"Switch Organization, current: {OWNED}", clickable=True)
        self.assertIsNotNone(switcher, "the switcher")
        a11y.choose_organization(switcher, org)
        a11y.wait_until(lambda: a11y.find(self.frame, name=f"Switch Organization, current: {org}"),
                        what=f"{org} to become the current organization", timeout=30)

    def test_owner_tops_up_and_saves_an_invoice(self):
        server_billing = self.billing()
        self.open_billing_by_keyboard()

        # The plan and the seats, as the server has them.
        plan = server_billing["plan"]["name"]
        a11y.wait_until(lambda: a11y.find(self.frame, name=f"{plan} Plan"), what=f"the {plan} Plan row",
                        timeout=30)
        used, limit = server_billing["seats_used"], server_billing["seat_limit"]
        words = f"{used} seats, no limit" if limit is None else f"{used} of {limit} seats"
        a11y.wait_until(lambda: a11y.find_text(self.frame, words), what=repr(words))

        # Top up: the balance changes in the tab and on the server.
        before_cents = server_billing["balance_cents"]
        before_words = a11y.wait_until(lambda: self.row_subtitle("Prepaid Balance"), what="the balance")
        self.assertEqual(digits(before_words), str(abs(before_cents)) if before_cents else "000",
                         f"the tab shows the server's balance: {before_words!r} for {before_cents} cents")
        # The balance row's own button (the low-balance banner has one too,
        # inside a revealer that is closed).
        top_up = a11y.button_starting(a11y.find(self.frame, name="Prepaid Balance"), "Top Up…")
        a11y.click(top_up)
        # An AdwMessageDialog: a window without a title, holding the amount entry.
        label = f"Amount in {server_billing['currency']}"
        dialog = a11y.wait_until(lambda: next((w for w in self.app if w is not None and w is not self.frame
                                               and a11y.find(w, pyatspi.ROLE_TEXT, label)), None),
                                 what="the Top Up Balance dialog")
        self.assertIsNotNone(a11y.find_text(dialog, "Top Up Balance"), "the dialog's heading")
        amount = a11y.find(dialog, pyatspi.ROLE_TEXT, label)
        a11y.set_text(amount, f"{TOP_UP_CENTS // 100}.{TOP_UP_CENTS % 100:02d}")
        send = a11y.wait_until(lambda: (b := a11y.button_starting(dialog, "Top Up")) is not None
                               and a11y.sensitive(b) and b, what="Top Up to accept the amount")
        a11y.click(send)
        after_cents = before_cents + TOP_UP_CENTS
        a11y.wait_until(lambda: self.billing()["balance_cents"] == after_cents,
                        what=f"the server's balance to become {after_cents} cents")
        a11y.wait_until(lambda: digits(self.row_subtitle("Prepaid Balance") or "") == str(abs(after_cents)),
                        what=f"the tab to show a balance of {after_cents} cents")

        # The invoices, newest first, each with its own Save PDF… button.
        invoices = self.server.get(f"/v1/organizations/{self.orgs[OWNED]['id']}/billing/invoices",
                                   self.token).json["items"]
        self.assertTrue(invoices, "the demo organization has invoices")
        number = invoices[0]["number"]
        listing = a11y.wait_until(lambda: a11y.find(self.frame, pyatspi.ROLE_LIST, "Invoices"),
                                  what="the invoices list")
        a11y.wait_until(lambda: a11y.find_text(listing, number), what=f"invoice {number} in the list")
        save = a11y.wait_until(lambda: a11y.button_starting(listing, f"Save invoice {number} as PDF"),
                               what=f"Save PDF… of {number}")
        a11y.click(save)

        # Without a portal, GtkFileChooserNative shows GTK's own dialog.
        chooser = a11y.wait_until(lambda: next((w for w in self.app if w is not None and w.name == "Save Invoice"),
                                               None), what="the Save Invoice file chooser")
        # The name entry: the one holding the proposed name, the invoice's number.
        def name_entry():
            for node in a11y.descendants(chooser):
                try:
                    if node.getRole() == pyatspi.ROLE_TEXT and a11y.text_of(node) == f"{number}.pdf":
                        return node
                except Exception:
                    continue
            return None
        name = a11y.wait_until(name_entry, what=f"the file name entry proposing {number}.pdf")
        path = os.path.join(self.tmp, f"{number}.pdf")
        a11y.set_text(name, path)
        a11y.click(a11y.wait_until(lambda: a11y.button_starting(chooser, "Save"), what="Save"))
        # A new file is written in place: whole once it ends with %%EOF.
        def written():
            try:
                with open(path, "rb") as f:
                    return f.read().rstrip().endswith(b"%%EOF")
            except OSError:
                return False
        a11y.wait_until(written, what=f"{path} to be written to its end", timeout=30)
        with open(path, "rb") as f:
            self.assertEqual(f.read(5), b"%PDF-", "the saved file is a PDF")
        text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
        self.assertIn(number, text, "the PDF is the chosen invoice")

    def test_seats_against_the_plan_limit(self):
        self.choose_organization(SMALL)
        self.open_billing_by_keyboard()
        a11y.wait_until(lambda: a11y.find(self.frame, name="Free Plan"), what="the Free Plan row", timeout=30)
        r = self.server.get(f"/v1/organizations/{self.orgs[SMALL]['id']}/billing", self.token)
        used, limit = r.json["seats_used"], r.json["seat_limit"]
        self.assertEqual((used, limit), (1, 5))
        a11y.wait_until(lambda: a11y.find_text(self.frame, "1 of 5 seats"), what="'1 of 5 seats'")

    def test_member_has_no_billing_tab(self):
        self.assertEqual(self.orgs[MEMBER_ONLY]["role"], "member")
        # The owner's organization first: the tab is there, and shown...
        self.open_billing_by_keyboard()
        # ...and a plain member's has none, and Billing is not the visible page.
        self.choose_organization(MEMBER_ONLY)
        tab = self.billing_tab()
        a11y.wait_until(lambda: tab is None or not a11y.shown(tab), what="the Billing tab to go")
        self.assertTrue(a11y.stays_false(lambda: (t := self.billing_tab()) is not None and a11y.shown(t), 1.0),
                        "a member of Initech sees a Billing tab")
        # The page shown is not Billing's (its page would still report visible:
        # the switcher's tabs say which page is shown).
        general = a11y.find(self.frame, pyatspi.ROLE_PAGE_TAB, "General")
        a11y.wait_until(lambda: general.getState().contains(pyatspi.STATE_SELECTED)
                        or general.getState().contains(pyatspi.STATE_CHECKED), what="General to be the page shown")


if __name__ == "__main__":
    unittest.main(verbosity=2)
