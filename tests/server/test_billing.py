# SPDX-License-Identifier: GPL-3.0-or-later
"""Billing: plans, the billing account, roles on every billing route, seats
and their races, top-ups (bounds, Idempotency-Key), the ledger under
concurrent top-ups and charges, plan changes, low-balance events, audit
rows, usage (grouping, bounds), invoices and their PDF."""

import base64
import datetime
import re
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse

from servertest import QuorumServer, ServerTestCase, main, parallel, wait_until
import quorum_postgres  # after servertest, which puts tests/common on the path
from quorum_server import test_store


def today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def epoch_day(date):
    """The day number of date (days since 1970-01-01), as the store keeps days."""
    return date.toordinal() - datetime.date(1970, 1, 1).toordinal()


def month_end():
    """The Unix time the current UTC month ends at: a renewed plan's paid_through."""
    first = datetime.date(today().year, today().month, 1)
    next_month = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return int(datetime.datetime(next_month.year, next_month.month, 1, tzinfo=datetime.timezone.utc).timestamp())


def window_records(m1, m2):
    """Usage of two members as (member, days ago, credits, requests): on
    the days that enter and leave the 30- and 90-day windows as they roll."""
    return [(m1, 0, 5, 1), (m1, 29, 7, 1), (m1, 30, 11, 1), (m1, 89, 13, 1), (m1, 90, 17, 1),
            (m2, 1, 100, 9), (m2, 60, 1000, 9), (m2, 95, 10000, 9)]


def record(server, records):
    """Records window_records()-style usage through `--record-usage`."""
    server.record_usage(*[f'{m},{today() - datetime.timedelta(days=ago)},{c},{r}' for m, ago, c, r in records])


def window_sums(records, days):
    """The window of the last `days` days by member, from records, in the
    API's order: what usage_windows must hold once rolled to today."""
    sums = {}
    for m, ago, c, r in records:
        if ago < days:
            credits, requests = sums.get(m, (0, 0))
            sums[m] = (credits + c, requests + r)
    return sorted(({'key': m, 'credits': c, 'requests': r} for m, (c, r) in sums.items()),
                  key=lambda i: (-i['credits'], i['key']))


def stale_windows(execute, org, ago):
    """Puts org's usage_windows back to what they held `ago` days ago
    (portable SQL, through execute: a server's or a cluster's); returns
    that day, which the caller sets as window_as_of to make the roll due."""
    t = epoch_day(today()) - ago
    for days in (30, 90):
        execute('DELETE FROM usage_windows WHERE org_id = ? AND days = ?', (org, days))
        execute('INSERT INTO usage_windows (org_id, days, member_id, credits, requests)'
                ' SELECT org_id, ?, member_id, SUM(credits), SUM(requests) FROM usage_records'
                ' WHERE org_id = ? AND day BETWEEN ? AND ? GROUP BY org_id, member_id', (days, org, t - days + 1, t))
    return t


class BillingTestCase(ServerTestCase):
    def owner(self, **kw):
        user = self.server.signup(**kw)
        return user['token'], user['organization']['id']

    def billing(self, org, token):
        r = self.server.get(f'/v1/organizations/{org}/billing', token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def top_up(self, org, token, amount, key=None):
        headers = {'Idempotency-Key': key} if key else None
        return self.server.post(f'/v1/organizations/{org}/billing/top-ups', {'amount_cents': amount}, token,
                                headers=headers)

    def set_balance(self, org, token, cents):
        """Tops up so that the balance is exactly cents (from below)."""
        balance = self.billing(org, token)['balance_cents']
        self.assertLess(balance, cents)
        r = self.top_up(org, token, cents - balance)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json['balance_cents'], cents)

    def member_id(self, org, token):
        me = self.server.get('/v1/me', token).json
        return self.server.query('SELECT id FROM members WHERE org_id = ? AND user_id = ?', (org, me['id']))[0][0]

    def ledger_is_consistent(self, org, token):
        """The balance recomputed from the ledger alone, entry by entry, is
        every entry's balance_after and the balance the API reports."""
        rows = self.server.query('SELECT amount_cents, balance_after FROM ledger_entries WHERE org_id = ?'
                                 ' ORDER BY id', (org,))
        running = 0
        for amount, after in rows:
            running += amount
            self.assertEqual(after, running)
        self.assertEqual(self.billing(org, token)['balance_cents'], running)
        self.assertEqual(self.server.query('SELECT balance_cents FROM billing_accounts WHERE org_id = ?',
                                           (org,))[0][0], running)
        return rows


class PlanTests(BillingTestCase):
    def test_plans_are_public_cheapest_first(self):
        r = self.server.get('/v1/plans')
        self.assertEqual(r.status, 200, r)
        self.assertEqual([p['id'] for p in r.json['items']], ['pln_free', 'pln_team', 'pln_business'])
        self.assertEqual(r.json['total'], 3)
        self.assertIsNone(r.json['next_cursor'])
        free, team, business = r.json['items']
        self.assertEqual(free, {'id': 'pln_free', 'name': 'Free', 'price_cents': 0, 'currency': 'EUR',
                                'seat_limit': 5, 'included_credits': 1000})
        self.assertEqual((team['price_cents'], team['seat_limit']), (2900, 25))
        self.assertIsNone(business['seat_limit'])
        prices = [p['price_cents'] for p in r.json['items']]
        self.assertEqual(prices, sorted(prices))

    def test_billing_summary(self):
        token, org = self.owner()
        r = self.server.get(f'/v1/organizations/{org}/billing', token)
        self.assertEqual(r.status, 200)
        b = r.json
        self.assertEqual(b['plan']['id'], 'pln_business')  # the test helper's --default-plan
        self.assertEqual((b['balance_cents'], b['currency'], b['seats_used']), (0, 'EUR', 1))
        self.assertIsNone(b['seat_limit'])
        self.assertEqual(b['payment_method'], {'type': 'card', 'brand': 'visa', 'last4': '4242'})
        self.assertRegex(b['next_invoice_at'], r'^\d{4}-\d{2}-01T00:00:00Z$')
        self.assertIsNone(b['low_balance_alert_cents'])
        self.assertTrue(r.headers['etag'].startswith('"b'))

    def test_patch_alert_if_match_and_bounds(self):
        token, org = self.owner()
        path = f'/v1/organizations/{org}/billing'
        etag = self.server.get(path, token).headers['etag']
        r = self.server.patch(path, {'low_balance_alert_cents': 2500}, token, headers={'If-Match': etag})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['low_balance_alert_cents'], 2500)
        self.assertNotEqual(r.headers['etag'], etag)
        self.assertProblem(self.server.patch(path, {'low_balance_alert_cents': 1}, token,
                                             headers={'If-Match': etag}), 412, 'precondition_failed')
        for bad, code in ((-1, 'out_of_range'), (100000001, 'out_of_range'), ('5', 'invalid_type'),
                          (2.5, 'invalid_type'), (True, 'invalid_type')):
            self.assertFieldError(self.server.patch(path, {'low_balance_alert_cents': bad}, token),
                                  'low_balance_alert_cents', code)
        r = self.server.patch(path, {'low_balance_alert_cents': None}, token)
        self.assertIsNone(r.json['low_balance_alert_cents'])
        self.assertEqual(self.server.patch(path, {}, token).status, 200)
        self.assertFieldError(self.server.patch(path, [], token), 'body', 'invalid_type')
        self.assertProblem(self.server.request('PATCH', path, raw=b'{', token=token), 400, 'malformed_json')


class RoleTests(BillingTestCase):
    """Every billing route × owner, admin, member, stranger, no auth."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        owner = s.signup(name='Billing Owner')
        cls.tokens = {'owner': owner['token']}
        cls.org = owner['organization']['id']
        cls.tokens['admin'], _ = s.add_member(cls.org, cls.tokens['owner'], role='admin')
        cls.tokens['member'], _ = s.add_member(cls.org, cls.tokens['owner'])
        cls.tokens['stranger'] = s.signup()['token']
        cls.tokens['none'] = None
        # An invoice to fetch: moving to Team charges the rest of the month.
        r = s.request('PUT', f'/v1/organizations/{cls.org}/billing/plan', {'plan_id': 'pln_team'},
                      cls.tokens['owner'])
        assert r.status == 200, r
        r = s.get(f'/v1/organizations/{cls.org}/billing/invoices', cls.tokens['owner'])
        cls.invoice = r.json['items'][0]['id']

    def routes(self):
        o = f'/v1/organizations/{self.org}'
        s = self.server
        return {
            'get billing': (lambda t: s.get(f'{o}/billing', t), 200),
            'patch billing': (lambda t: s.patch(f'{o}/billing', {'low_balance_alert_cents': 100}, t), 200),
            'change plan': (lambda t: s.request('PUT', f'{o}/billing/plan', {'plan_id': 'pln_team'}, t), 200),
            'top up': (lambda t: s.post(f'{o}/billing/top-ups', {'amount_cents': 100}, t), 201),
            'list invoices': (lambda t: s.get(f'{o}/billing/invoices', t), 200),
            'ledger': (lambda t: s.get(f'{o}/billing/ledger', t), 200),
            'invoice pdf': (lambda t: s.get(f'{o}/billing/invoices/{self.invoice}/pdf', t), 200),
            'usage': (lambda t: s.get(f'{o}/usage', t), 200),
        }

    def test_every_route_every_role(self):
        expected = {'owner': None, 'admin': None, 'member': (403, 'forbidden'),
                    'stranger': (404, 'organization_not_found'), 'none': (401, 'unauthenticated')}
        for name, (call, ok) in self.routes().items():
            for role, refusal in expected.items():
                with self.subTest(route=name, role=role):
                    r = call(self.tokens[role])
                    if refusal is None:
                        self.assertEqual(r.status, ok, r)
                    else:
                        self.assertProblem(r, *refusal)

    def test_refused_calls_change_nothing(self):
        before = self.server.query('SELECT COUNT(*) FROM ledger_entries WHERE org_id = ?', (self.org,))
        self.assertProblem(self.top_up(self.org, self.tokens['member'], 500), 403, 'forbidden')
        after = self.server.query('SELECT COUNT(*) FROM ledger_entries WHERE org_id = ?', (self.org,))
        self.assertEqual(before, after)

    def test_plans_need_no_auth(self):
        self.assertEqual(self.server.get('/v1/plans').status, 200)


class SeatTests(BillingTestCase):
    # New organizations on the server's own default: Free, 5 seats.
    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer(default_plan=None)

    def invite(self, org, token, email):
        return self.server.post(f'/v1/organizations/{org}/invitations', {'email': email, 'role': 'member'}, token)

    def test_two_racing_invitations_for_the_last_seat(self):
        for attempt in range(3):
            token, org = self.owner()
            self.assertEqual(self.billing(org, token)['plan']['id'], 'pln_free')
            for i in range(3):  # owner + 3 pending = 4 of 5 seats
                self.assertEqual(self.invite(org, token, f'seat{i}-{org}@example.com').status, 201)
            a, b = parallel(lambda: self.invite(org, token, f'race-a-{org}@example.com'),
                            lambda: self.invite(org, token, f'race-b-{org}@example.com'))
            self.assertEqual(sorted([a.status, b.status]), [201, 409], (a, b))
            self.assertProblem(a if a.status == 409 else b, 409, 'seat_limit_reached')
            self.assertEqual(self.billing(org, token)['seats_used'], 5)
            pending = self.server.query("SELECT COUNT(*) FROM invitations WHERE org_id = ? AND status = 'pending'",
                                        (org,))[0][0]
            self.assertEqual(pending, 4)

    def test_members_suspended_and_pending_count(self):
        token, org = self.owner()
        _, m = self.server.add_member(org, token)
        r = self.server.patch(f"/v1/organizations/{org}/members/{m['id']}", {'status': 'suspended'}, token)
        self.assertEqual(r.status, 200)
        self.assertEqual(self.invite(org, token, f'p1-{org}@example.com').status, 201)
        self.assertEqual(self.billing(org, token)['seats_used'], 3)  # owner, suspended, pending
        self.assertEqual(self.invite(org, token, f'p2-{org}@example.com').status, 201)
        self.assertEqual(self.invite(org, token, f'p3-{org}@example.com').status, 201)
        self.assertProblem(self.invite(org, token, f'p4-{org}@example.com'), 409, 'seat_limit_reached')
        # A revoked invitation frees its seat.
        inv = self.server.get(f'/v1/organizations/{org}/invitations?status=pending', token).json['items'][0]
        self.assertEqual(self.server.delete(f"/v1/organizations/{org}/invitations/{inv['id']}", token=token).status, 204)
        self.assertEqual(self.invite(org, token, f'p4-{org}@example.com').status, 201)

    def test_plan_change_below_seats_in_use_is_refused(self):
        token, org = self.owner()
        path = f'/v1/organizations/{org}/billing/plan'
        self.set_balance(org, token, 100000)
        r = self.server.request('PUT', path, {'plan_id': 'pln_team'}, token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json['plan']['id'], r.json['seat_limit']), ('pln_team', 25))
        for i in range(5):
            self.assertEqual(self.invite(org, token, f'big{i}-{org}@example.com').status, 201)
        before = self.server.query('SELECT COUNT(*) FROM ledger_entries WHERE org_id = ?', (org,))
        r = self.server.request('PUT', path, {'plan_id': 'pln_free'}, token)
        self.assertProblem(r, 409, 'seat_limit_exceeded')
        self.assertIn('6 seats', r.json['detail'])
        self.assertEqual(self.billing(org, token)['plan']['id'], 'pln_team')
        self.assertEqual(before, self.server.query('SELECT COUNT(*) FROM ledger_entries WHERE org_id = ?', (org,)))
        # Choosing the current plan changes nothing, charges nothing.
        r = self.server.request('PUT', path, {'plan_id': 'pln_team'}, token)
        self.assertEqual(r.status, 200)
        self.assertEqual(before, self.server.query('SELECT COUNT(*) FROM ledger_entries WHERE org_id = ?', (org,)))
        for body, code in (({'plan_id': 'pln_gold'}, 'not_found'), ({'plan_id': 'x' * 100000}, 'not_found'),
                           ({}, 'required'), ({'plan_id': 7}, 'invalid_type')):
            self.assertFieldError(self.server.request('PUT', path, body, token), 'plan_id', code)

    def test_plan_change_charges_the_rest_of_the_month(self):
        token, org = self.owner()
        r = self.server.request('PUT', f'/v1/organizations/{org}/billing/plan', {'plan_id': 'pln_team'}, token)
        self.assertEqual(r.status, 200)
        rows = self.ledger_is_consistent(org, token)
        self.assertEqual(len(rows), 1)
        self.assertLess(rows[0][0], 0)
        self.assertGreaterEqual(rows[0][0], -2900)


class TopUpTests(BillingTestCase):
    def test_amount_bounds(self):
        token, org = self.owner()
        for amount in (0, -5, 100000001, 10 ** 30):
            self.assertFieldError(self.top_up(org, token, amount), 'amount_cents', None)
        for amount in ('100', 1.5, None, [100], True):
            self.assertFieldError(self.top_up(org, token, amount), 'amount_cents', 'invalid_type')
        self.assertFieldError(self.server.post(f'/v1/organizations/{org}/billing/top-ups', {}, token),
                              'amount_cents', 'required')
        self.assertEqual(self.top_up(org, token, 1).json['balance_cents'], 1)
        self.assertEqual(self.top_up(org, token, 100000000).json['balance_cents'], 100000001)
        self.assertEqual(len(self.ledger_is_consistent(org, token)), 2)

    def test_idempotency_key(self):
        token, org = self.owner()
        first = self.top_up(org, token, 5000, key='topup-1')
        self.assertEqual(first.status, 201)
        again = self.top_up(org, token, 5000, key='topup-1')
        self.assertEqual((again.status, again.body), (first.status, first.body))
        self.assertEqual(self.billing(org, token)['balance_cents'], 5000)
        self.assertProblem(self.top_up(org, token, 6000, key='topup-1'), 422, 'idempotency_key_reused')
        # Parallel replays of a new key: still one top-up.
        results = parallel(*[lambda: self.top_up(org, token, 700, key='topup-2')] * 6)
        self.assertEqual({r.status for r in results}, {201})
        self.assertEqual({r.body for r in results}, {results[0].body})
        self.assertEqual(self.billing(org, token)['balance_cents'], 5700)
        self.assertEqual(len(self.ledger_is_consistent(org, token)), 2)
        for key in ('k' * 256, 'has space', 'tab\tkey', 'é'.encode().decode('latin-1')):
            with self.subTest(key=key):
                self.assertFieldError(self.top_up(org, token, 100, key=key), 'Idempotency-Key', 'invalid')
        self.assertEqual(self.top_up(org, token, 100, key='k' * 255).status, 201)

    def test_key_is_per_caller(self):
        token, org = self.owner()
        admin, _ = self.server.add_member(org, token, role='admin')
        self.assertEqual(self.top_up(org, token, 100, key='shared').status, 201)
        self.assertEqual(self.top_up(org, admin, 100, key='shared').status, 201)
        self.assertEqual(self.billing(org, token)['balance_cents'], 200)

    def test_failed_validation_is_not_remembered(self):
        token, org = self.owner()
        self.assertEqual(self.top_up(org, token, 0, key='retry').status, 422)
        self.assertEqual(self.top_up(org, token, 300, key='retry').status, 201)

    def test_concurrent_top_ups_and_charges_keep_the_ledger(self):
        token, org = self.owner()
        r = self.server.request('PUT', f'/v1/organizations/{org}/billing/plan', {'plan_id': 'pln_team'}, token)
        self.assertEqual(r.status, 200)
        member = self.member_id(org, token)
        day = today().isoformat()
        # 50,000 credits are included; each further 5,000 costs 10.00.
        self.server.record_usage(f'{member},{day},50000,10')
        top_ups = [lambda i=i: self.top_up(org, token, 1000 + i) for i in range(12)]
        charges = [lambda: self.server.record_usage(*[f'{member},{day},5000,3'] * 3) for _ in range(4)]
        results = parallel(*(top_ups + charges))
        self.assertEqual([r.status for r in results[:12]], [201] * 12)
        rows = self.ledger_is_consistent(org, token)
        kinds = dict(self.server.query('SELECT kind, COUNT(*) FROM ledger_entries WHERE org_id = ? GROUP BY kind',
                                       (org,)))
        self.assertEqual(kinds, {'plan': 1, 'top_up': 12, 'usage': 12})
        usage = self.server.query("SELECT SUM(amount_cents) FROM ledger_entries WHERE org_id = ? AND kind = 'usage'",
                                  (org,))[0][0]
        self.assertEqual(usage, -12 * 1000)
        self.assertEqual(sum(a for a, _ in rows if a > 0), sum(1000 + i for i in range(12)))

    def test_deleting_the_organization_deletes_its_ledger_keeps_its_audit(self):
        user = self.server.signup()
        token, org = user['token'], user['organization']['id']
        self.assertEqual(self.top_up(org, token, 500).status, 201)
        self.assertEqual(self.server.request('PUT', f'/v1/organizations/{org}/billing/plan', {'plan_id': 'pln_team'},
                                             token).status, 200)
        r = self.server.delete(f'/v1/organizations/{org}', {'confirm_slug': user['organization']['slug']}, token=token)
        self.assertEqual(r.status, 204)
        for table in ('ledger_entries', 'billing_accounts', 'invoices'):
            self.assertEqual(self.server.query(f'SELECT COUNT(*) FROM {table} WHERE org_id = ?', (org,)), [(0,)])
        self.assertEqual(self.server.query('SELECT action FROM audit_events WHERE org_id = ? ORDER BY created_at, seq',
                                           (org,)),
                         [('organization.created',), ('billing.topped_up',), ('billing.plan_changed',),
                          ('organization.deleted',)])

    def test_ledger_is_append_only(self):
        token, org = self.owner()
        self.top_up(org, token, 100)
        # The schema refuses, whoever writes (sqlite3.IntegrityError, or
        # psql's error on PostgreSQL).
        for sql in ('UPDATE ledger_entries SET amount_cents = 1000000 WHERE org_id = ?',
                    'DELETE FROM ledger_entries WHERE org_id = ?'):
            with self.assertRaisesRegex(Exception, 'ledger entries are append-only'):
                self.server.execute(sql, (org,))
        self.assertEqual(self.server.query('SELECT COUNT(*), SUM(amount_cents) FROM ledger_entries WHERE org_id = ?',
                                           (org,)), [(1, 100)])


class LedgerTests(BillingTestCase):
    """GET …/billing/ledger: newest first, cursor pages, every entry's
    balance_after the running sum of the amounts before it."""

    def ledger_path(self, org):
        return f'/v1/organizations/{org}/billing/ledger'

    def test_entries_are_the_ledger_newest_first(self):
        token, org = self.owner()
        r = self.server.get(self.ledger_path(org), token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {'items': [], 'next_cursor': None})
        self.assertEqual(self.server.request('PUT', f'/v1/organizations/{org}/billing/plan',
                                             {'plan_id': 'pln_team'}, token).status, 200)
        member = self.member_id(org, token)
        self.assertEqual(self.top_up(org, token, 12345).status, 201)
        self.server.record_usage(f'{member},{today().isoformat()},60000,10')   # 10,000 past the included: -20.00
        self.assertEqual(self.top_up(org, token, 1).status, 201)
        items = self.server.all_items(self.ledger_path(org), token)
        self.assertEqual([i['kind'] for i in items], ['top_up', 'usage', 'top_up', 'plan'])
        self.assertEqual(items[0]['amount_cents'], 1)
        self.assertEqual(items[1]['amount_cents'], -2000)
        self.assertEqual(items[2]['amount_cents'], 12345)
        self.assertLess(items[3]['amount_cents'], 0)
        for i in items:
            self.assertEqual(set(i), {'id', 'kind', 'amount_cents', 'balance_after_cents', 'currency',
                                      'description', 'created_at'})
            self.assertRegex(i['id'], r'^led_[0-9]+$')
            self.assertRegex(i['created_at'], r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$')
            self.assertEqual(i['currency'], 'EUR')
            self.assertTrue(i['description'])
        # Oldest to newest, each balance_after is the running sum, and the
        # newest is the balance; the same rows as the table, in reverse.
        running = 0
        for i in reversed(items):
            running += i['amount_cents']
            self.assertEqual(i['balance_after_cents'], running)
        self.assertEqual(self.billing(org, token)['balance_cents'], running)
        rows = self.ledger_is_consistent(org, token)
        self.assertEqual([(i['amount_cents'], i['balance_after_cents']) for i in reversed(items)], rows)

    def test_pages_with_a_cursor(self):
        token, org = self.owner()
        for amount in range(1, 8):
            self.assertEqual(self.top_up(org, token, amount).status, 201)
        whole = self.server.get(self.ledger_path(org) + '?limit=100', token).json
        self.assertIsNone(whole['next_cursor'])
        self.assertEqual([i['amount_cents'] for i in whole['items']], [7, 6, 5, 4, 3, 2, 1])
        seen, cursor = [], None
        while True:
            path = self.ledger_path(org) + '?limit=3'
            if cursor:
                path += '&cursor=' + urllib.parse.quote(cursor)
            page = self.server.get(path, token)
            self.assertEqual(page.status, 200, page)
            self.assertLessEqual(len(page.json['items']), 3)
            seen += page.json['items']
            cursor = page.json['next_cursor']
            if cursor is None:
                break
        self.assertEqual(seen, whole['items'])
        self.assertEqual(len(self.server.get(self.ledger_path(org), token).json['items']), 7)  # default 50
        # Another organization's ledger is not reached through a cursor.
        other_token, other_org = self.owner()
        self.top_up(other_org, other_token, 999)
        first = self.server.get(self.ledger_path(org) + '?limit=1', token).json
        r = self.server.get(self.ledger_path(other_org) + '?limit=5&cursor=' + urllib.parse.quote(first['next_cursor']),
                            other_token)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(all(i['amount_cents'] == 999 for i in r.json['items']))

    def test_bad_cursor_and_limit(self):
        token, org = self.owner()
        self.top_up(org, token, 100)
        self.top_up(org, token, 200)
        good = self.server.get(self.ledger_path(org) + '?limit=1', token).json['next_cursor']
        self.assertIsNotNone(good)

        def cursor(text):
            return base64.urlsafe_b64encode(text.encode()).decode().rstrip('=')

        for bad in ('x', 'led_1', good + 'x', cursor('1234\nled_abc'), cursor('1234\nivc_1'),
                    cursor('1234\nled_0'), cursor('1234\nled_'), cursor('-5\nled_1'), cursor('1234'),
                    cursor('1234\nled_1x')):
            with self.subTest(cursor=bad):
                self.assertFieldError(self.server.get(f'{self.ledger_path(org)}?cursor={urllib.parse.quote(bad)}',
                                                      token), 'cursor', 'invalid')
        for limit in ('0', '-1', 'many', '1.5'):
            with self.subTest(limit=limit):
                self.assertFieldError(self.server.get(f'{self.ledger_path(org)}?limit={limit}', token),
                                      'limit', 'invalid')
        # Above 200 is read as 200, as on every paged route.
        self.assertEqual(len(self.server.get(f'{self.ledger_path(org)}?limit=1000', token).json['items']), 2)
        far = cursor('9999999999\nled_999999')
        self.assertEqual(self.server.get(f'{self.ledger_path(org)}?cursor={far}', token).json['items'][0]['amount_cents'],
                         200)


class LowBalanceAndAuditTests(BillingTestCase):
    def events(self, org):
        return self.server.query("SELECT data FROM events WHERE org_id = ? AND type = 'billing.low_balance'"
                                 ' ORDER BY created_at, id', (org,))

    def test_low_balance_once_per_crossing(self):
        token, org = self.owner()
        path = f'/v1/organizations/{org}/billing'
        self.assertEqual(self.server.request('PUT', f'{path}/plan', {'plan_id': 'pln_team'}, token).status, 200)
        self.set_balance(org, token, 10000)
        self.assertEqual(self.server.patch(path, {'low_balance_alert_cents': 5000}, token).status, 200)
        member = self.member_id(org, token)
        day = today().isoformat()
        self.server.record_usage(f'{member},{day},50000,1')          # included: no charge
        self.server.record_usage(f'{member},{day},15000,1')          # -30.00 → 70.00
        self.assertEqual(self.events(org), [])
        self.server.record_usage(f'{member},{day},15000,1')          # -30.00 → 40.00: crossing
        self.assertEqual(len(self.events(org)), 1)
        self.assertIn('"balance_cents":4000', self.events(org)[0][0])
        self.assertIn('"low_balance_alert_cents":5000', self.events(org)[0][0])
        self.server.record_usage(f'{member},{day},5000,1')           # -10.00 → 30.00: still below
        self.assertEqual(len(self.events(org)), 1)
        self.assertEqual(self.top_up(org, token, 5000).status, 201)  # 80.00: above again
        self.assertEqual(len(self.events(org)), 1)
        self.server.record_usage(f'{member},{day},20000,1')          # -40.00 → 40.00: second crossing
        self.assertEqual(len(self.events(org)), 2)
        self.assertEqual(self.billing(org, token)['balance_cents'], 4000)
        self.ledger_is_consistent(org, token)

    def test_every_billing_change_is_audited(self):
        token, org = self.owner(name='Audit Owner')
        admin, _ = self.server.add_member(org, token, role='admin', name='Audit Admin')
        path = f'/v1/organizations/{org}/billing'
        self.assertEqual(self.top_up(org, admin, 1234).status, 201)
        self.assertEqual(self.server.patch(path, {'low_balance_alert_cents': 100}, token).status, 200)
        self.assertEqual(self.server.request('PUT', f'{path}/plan', {'plan_id': 'pln_team'}, token).status, 200)
        # Refused and replayed requests write nothing.
        self.assertEqual(self.server.request('PUT', f'{path}/plan', {'plan_id': 'pln_team'}, token).status, 200)
        self.assertEqual(self.top_up(org, admin, 0).status, 422)
        rows = self.server.query('SELECT actor_id, actor_name, actor_kind, action, target_type, target_id, data,'
                                 ' created_at FROM audit_events WHERE org_id = ? AND action LIKE \'billing.%\''
                                 ' ORDER BY created_at, seq', (org,))
        self.assertEqual([r[3] for r in rows], ['billing.topped_up', 'billing.updated', 'billing.plan_changed'])
        self.assertEqual([r[1] for r in rows], ['Audit Admin', 'Audit Owner', 'Audit Owner'])
        for actor_id, _, kind, _, target_type, target_id, _, created_at in rows:
            self.assertTrue(actor_id.startswith('usr_'))
            self.assertEqual((kind, target_type, target_id), ('user', 'organization', org))
            self.assertGreater(created_at, 1700000000)
        self.assertEqual(rows[0][6], '{"amount_cents":1234}')
        self.assertEqual(rows[2][6], '{"from":"pln_business","to":"pln_team"}')


class RenewalTests(BillingTestCase):
    # The purge's timer charges the plans that are due, every second here.
    server_args = ('--purge-interval', '1')

    def test_a_due_plan_is_charged_once_for_the_month(self):
        token, org = self.owner()
        free_token, free_org = self.owner()
        self.assertEqual(self.server.request('PUT', f'/v1/organizations/{org}/billing/plan',
                                             {'plan_id': 'pln_team'}, token).status, 200)
        self.assertEqual(self.server.request('PUT', f'/v1/organizations/{free_org}/billing/plan',
                                             {'plan_id': 'pln_free'}, free_token).status, 200)
        first = datetime.date(today().year, today().month, 1)
        paid = self.server.query('SELECT paid_through FROM billing_accounts WHERE org_id = ?', (org,))[0][0]
        self.assertEqual(paid, month_end())  # the change paid for the rest of this month
        # As if the month had turned: both accounts are due.
        self.server.execute('UPDATE billing_accounts SET paid_through = 0 WHERE org_id IN (?, ?)', (org, free_org))
        wait_until(lambda: self.server.query('SELECT paid_through FROM billing_accounts WHERE org_id = ?',
                                             (org,))[0][0] == month_end(), 10, 'the renewal')
        wait_until(lambda: self.server.query('SELECT paid_through FROM billing_accounts WHERE org_id = ?',
                                             (free_org,))[0][0] == month_end(), 10, 'the free plan marked paid')
        plan_charges = self.server.query("SELECT amount_cents, description FROM ledger_entries WHERE org_id = ?"
                                         " AND kind = 'plan' ORDER BY id", (org,))
        self.assertEqual(len(plan_charges), 2)
        self.assertEqual(plan_charges[1], (-2900, f'Team plan, {first:%Y-%m}'))
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM ledger_entries WHERE org_id = ?",
                                           (free_org,))[0][0], 0)
        audit = self.server.query("SELECT actor_kind, action, data FROM audit_events WHERE org_id = ?"
                                  " AND action = 'billing.plan_renewed'", (org,))
        self.assertEqual(audit, [('system', 'billing.plan_renewed',
                                  f'{{"amount_cents":2900,"month":"{first:%Y-%m}"}}')])
        self.ledger_is_consistent(org, token)


class WindowTests(BillingTestCase):
    """The last 30 and 90 days by member come from kept per-member sums
    (usage_windows), rolled forward with the day on the purge's timer."""
    server_args = ('--purge-interval', '1')

    def setUp(self):
        s = self.server
        self.token, self.org = self.owner()
        _, m2 = s.add_member(self.org, self.token)
        self.m1 = self.member_id(self.org, self.token)
        self.m2 = m2['id']
        self.records = window_records(self.m1, self.m2)
        record(s, self.records)

    def expected(self, days):
        return window_sums(self.records, days)

    def by_member(self, days):
        first = today() - datetime.timedelta(days=days - 1)
        return self.server.all_items(f'/v1/organizations/{self.org}/usage?group_by=member&from={first}'
                                     f'&to={today()}', self.token)

    def window_rows(self, days):
        return self.server.query('SELECT member_id, credits, requests FROM usage_windows WHERE org_id = ?'
                                 ' AND days = ? ORDER BY member_id', (self.org, days))

    def total(self, days):
        first = today() - datetime.timedelta(days=days - 1)
        return self.server.get(f'/v1/organizations/{self.org}/usage?group_by=member&from={first}&to={today()}'
                               '&limit=1', self.token).json['total']

    def test_last_30_and_90_days_from_the_windows(self):
        for days in (30, 90):
            self.assertEqual(self.by_member(days), self.expected(days), days)
            self.assertEqual(len(self.window_rows(days)), len(self.expected(days)))
            self.assertEqual(self.total(days), len(self.expected(days)))
        # A 31-day range is summed from the records instead: the same rules.
        self.assertEqual(self.by_member(31), self.expected(31))

    def test_windows_roll_forward_with_the_day(self):
        t = epoch_day(today())
        # The windows as they were two days ago, as if the server had slept.
        self.server.execute('UPDATE billing_accounts SET window_as_of = ? WHERE org_id = ?',
                            (stale_windows(self.server.execute, self.org, 2), self.org))
        wait_until(lambda: self.server.query('SELECT window_as_of FROM billing_accounts WHERE org_id = ?',
                                             (self.org,))[0][0] == t, 10, 'the roll')
        for days in (30, 90):
            rows = [{'key': m, 'credits': c, 'requests': r} for m, c, r in self.window_rows(days)]
            self.assertEqual(sorted(rows, key=lambda i: (-i['credits'], i['key'])), self.expected(days), days)
            self.assertEqual(self.total(days), len(self.expected(days)))
        # Summed again from nothing when the whole window is stale.
        self.server.execute('UPDATE billing_accounts SET window_as_of = -1 WHERE org_id = ?', (self.org,))
        self.server.execute('DELETE FROM usage_windows WHERE org_id = ?', (self.org,))
        wait_until(lambda: self.server.query('SELECT window_as_of FROM billing_accounts WHERE org_id = ?',
                                             (self.org,))[0][0] == t, 10, 'the rebuild')
        self.assertEqual(self.by_member(90), self.expected(90))


@unittest.skipIf(quorum_postgres.available(), quorum_postgres.available())
@unittest.skipIf(test_store() != 'postgresql', 'two instances on one PostgreSQL database: server-pg-billing runs it'
                 ' (an SQLite file has one writer at a time)')
class InstanceTimerTests(unittest.TestCase):
    """Two instances on one PostgreSQL database, their purge timers every
    second: each periodic job runs in one instance at a time (an advisory
    lock per job), and a plan's month is charged once and the usage
    windows rolled once also when two instances renew or roll the same
    account at the same moment (the conditional UPDATE that claims it).

    The races are made, not hoped for: a trigger the test installs makes
    the instance that first reaches a charge (or a window's row) wait on an
    advisory lock the test holds, and the test looks at pg_stat_activity
    for who waits on what before it lets go."""
    HOLD = 4242  # the test's advisory lock, apart from the server's (two-key) job locks

    def setUp(self):
        self.cluster = quorum_postgres.cluster()
        self.database = self.cluster.create_database()
        self.addCleanup(self.cluster.drop_database, self.database)
        self.url = self.cluster.url(self.database)

    def instance(self, *extra):
        server = QuorumServer('--purge-interval', '1', *extra, '--database', self.url)
        self.addCleanup(server.close)
        return server

    def query(self, sql, params=()):
        return self.cluster.query(self.database, sql, params)

    def execute(self, sql, params=()):
        return self.cluster.execute(self.database, sql, params)

    def account(self, org, column):
        return self.query(f'SELECT {column} FROM billing_accounts WHERE org_id = ?', (org,))[0][0]

    def team_owner(self, server):
        """A new organization moved to Team (which pays its rest of this
        month), once its usage windows are rolled to today."""
        owner = server.signup()
        token, org = owner['token'], owner['organization']['id']
        r = server.request('PUT', f'/v1/organizations/{org}/billing/plan', {'plan_id': 'pln_team'}, token)
        self.assertEqual(r.status, 200, r)
        wait_until(lambda: self.account(org, 'window_as_of') == epoch_day(today()), 10, 'the first roll')
        return token, org

    def with_usage(self, server, org, token):
        """Two members' usage (window_records) in org; returns it."""
        _, m2 = server.add_member(org, token)
        m1 = self.query("SELECT id FROM members WHERE org_id = ? AND role = 'owner'", (org,))[0][0]
        records = window_records(m1, m2['id'])
        record(server, records)
        return records

    def windows(self, org, days):
        return sorted(({'key': m, 'credits': c, 'requests': r} for m, c, r in self.query(
            'SELECT member_id, credits, requests FROM usage_windows WHERE org_id = ? AND days = ?', (org, days))),
            key=lambda i: (-i['credits'], i['key']))

    def charges(self, org):
        """The plan charges and renewal audit events of org, and whether its
        balance is its ledger's sum."""
        plan = [a for a, in self.query("SELECT amount_cents FROM ledger_entries WHERE org_id = ? AND kind = 'plan'"
                                       ' ORDER BY id', (org,))]
        renewed = self.query("SELECT COUNT(*) FROM audit_events WHERE org_id = ? AND action = 'billing.plan_renewed'",
                             (org,))[0][0]
        balanced = self.query('SELECT CASE WHEN balance_cents = (SELECT SUM(amount_cents) FROM ledger_entries'
                              ' WHERE org_id = ?) THEN 1 ELSE 0 END FROM billing_accounts WHERE org_id = ?',
                              (org, org))[0][0]
        return plan, renewed, balanced

    def hold(self, table, when='true'):
        """Until release() (or the test's end), the first transaction to
        insert into table a row matching when waits inside the insert, on
        the test's advisory lock; so does every later one until then."""
        session = self.cluster.session(self.database)
        self.addCleanup(session.close)
        session.run(f'SELECT pg_advisory_lock ({self.HOLD})')
        self.cluster.psql(f'CREATE FUNCTION quorum_test_hold () RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN'
                          f' PERFORM pg_advisory_lock ({self.HOLD}); PERFORM pg_advisory_unlock ({self.HOLD});'
                          ' RETURN NEW; END $$;'
                          f'CREATE TRIGGER quorum_test_hold BEFORE INSERT ON {table} FOR EACH ROW WHEN ({when})'
                          ' EXECUTE FUNCTION quorum_test_hold ()', self.database)
        return lambda: session.run(f'SELECT pg_advisory_unlock ({self.HOLD})')

    def lock_waits(self):
        """What the database's sessions wait on: 'advisory' (the test's
        hold), 'transactionid' or 'tuple' (another transaction's row)."""
        return sorted(w for w, in self.query("SELECT wait_event FROM pg_stat_activity WHERE datname = ?"
                                             " AND wait_event_type = 'Lock'", (self.database,)))

    def renewals_logged(self, *servers):
        return sum(int(n) for server in servers for n in re.findall(r'billing: (\d+) plans renewed', server.log()))

    def test_jobs_run_once_whatever_instance_runs_them(self):
        """A due plan, windows two days stale and an expired session, all at
        once before two instances' timers: one charge, windows rolled once
        (a second roll would add the new days twice), the session gone."""
        a, b = self.instance(), self.instance()
        token, org = self.team_owner(a)
        records = self.with_usage(a, org, token)
        first_charges, _, _ = self.charges(org)
        other = b.signup()
        stale = stale_windows(self.execute, org, 2)
        self.execute('UPDATE sessions SET expires_at = 1 WHERE user_id = ?', (other['user']['id'],))
        self.execute('UPDATE billing_accounts SET paid_through = 0, window_as_of = ? WHERE org_id = ?', (stale, org))
        wait_until(lambda: self.account(org, 'paid_through') == month_end(), 20, 'the renewal')
        wait_until(lambda: self.account(org, 'window_as_of') == epoch_day(today()), 20, 'the roll')
        wait_until(lambda: self.query('SELECT COUNT(*) FROM sessions WHERE user_id = ?',
                                      (other['user']['id'],))[0][0] == 0, 20, 'the purge')
        self.assertEqual(a.get('/v1/me', other['token']).status, 401)
        a.stop()
        b.stop()  # no transaction of either is left open
        plan, renewed, balanced = self.charges(org)
        self.assertEqual(plan, first_charges + [-2900])
        self.assertEqual((renewed, balanced), (1, 1))
        self.assertEqual(self.renewals_logged(a, b), 1)
        for days in (30, 90):
            self.assertEqual(self.windows(org, days), window_sums(records, days), days)
        purged = [int(n) for server in (a, b) for n in re.findall(r'purge: (\d+) sessions', server.log())]
        self.assertEqual(sum(purged), 1, purged)

    def test_a_job_runs_in_one_instance_at_a_time(self):
        """While one instance's renewal is held inside its transaction, the
        other's timer skips the renewal (it does not wait for the held
        account) and goes on with its other jobs: it rolls another
        organization's windows meanwhile. Then one charge."""
        a, b = self.instance(), self.instance()
        token, org = self.team_owner(a)
        _, elsewhere = self.team_owner(b)
        first_charges, _, _ = self.charges(org)
        release = self.hold('ledger_entries', "NEW.kind = 'plan'")
        self.execute('UPDATE billing_accounts SET paid_through = 0 WHERE org_id = ?', (org,))
        wait_until(lambda: 'advisory' in self.lock_waits(), 20, 'an instance to hold the charge')
        # The held instance's timer is stuck in its renewal: only the other
        # one can roll these windows, and only once it got past the renewal.
        self.execute('UPDATE billing_accounts SET window_as_of = -1 WHERE org_id = ?', (elsewhere,))
        wait_until(lambda: self.account(elsewhere, 'window_as_of') == epoch_day(today()), 20,
                   'the other instance to roll the windows')
        self.assertIn('purge: renew-plans skipped: another instance is running it', a.log() + b.log())
        self.assertEqual(self.lock_waits(), ['advisory'], 'nobody waits for the held account')
        release()
        wait_until(lambda: self.lock_waits() == [] and len(self.charges(org)[0]) > len(first_charges), 20,
                   'the held renewal to end')
        a.stop()
        b.stop()
        self.assertEqual(self.charges(org), (first_charges + [-2900], 1, 1))
        self.assertEqual(self.renewals_logged(a, b), 1)

    def test_two_instances_renewing_at_once_charge_once(self):
        """Both instances without their job locks (as an instance that does
        not take them, or an operator's script, would run): one holds the
        month's charge inside its transaction while the other's renewal
        waits for the account's row; let go, the month is charged once."""
        a, b = self.instance('--no-job-locks'), self.instance('--no-job-locks')
        token, org = self.team_owner(a)
        first_charges, _, _ = self.charges(org)
        release = self.hold('ledger_entries', "NEW.kind = 'plan'")
        self.execute('UPDATE billing_accounts SET paid_through = 0 WHERE org_id = ?', (org,))
        waits = wait_until(lambda: (lambda w: w if len(w) == 2 else None)(self.lock_waits()), 20,
                           'both instances inside the renewal')
        self.assertIn('advisory', waits)
        release()
        wait_until(lambda: self.lock_waits() == [], 20, 'both renewals to end')
        a.stop()
        b.stop()
        self.assertEqual(self.charges(org), (first_charges + [-2900], 1, 1))
        self.assertEqual(self.renewals_logged(a, b), 1)

    def test_two_instances_rolling_at_once_roll_once(self):
        """As above for the windows: one instance holds its roll inside its
        first insert into usage_windows while the other's roll waits for
        the account's row; let go, the windows hold each day once."""
        a, b = self.instance('--no-job-locks'), self.instance('--no-job-locks')
        token, org = self.team_owner(a)
        records = self.with_usage(a, org, token)
        stale = stale_windows(self.execute, org, 2)
        release = self.hold('usage_windows')
        self.execute('UPDATE billing_accounts SET window_as_of = ? WHERE org_id = ?', (stale, org))
        waits = wait_until(lambda: (lambda w: w if len(w) == 2 else None)(self.lock_waits()), 20,
                           'both instances inside the roll')
        self.assertIn('advisory', waits)
        release()
        wait_until(lambda: self.lock_waits() == [], 20, 'both rolls to end')
        a.stop()
        b.stop()
        self.assertEqual(self.account(org, 'window_as_of'), epoch_day(today()))
        for days in (30, 90):
            self.assertEqual(self.windows(org, days), window_sums(records, days), days)


class RangeSumTests(BillingTestCase):
    """Per-member sums over any range (not only the kept 30/90-day windows)
    equal a recomputation from the raw records, on every page, and stay
    equal right after more usage is recorded by another process: the
    server's in-memory sums never answer stale."""

    def setUp(self):
        s = self.server
        self.token, self.org = self.owner()
        self.members = [self.member_id(self.org, self.token)] + [s.add_member(self.org, self.token)[1]['id']
                                                                 for _ in range(3)]
        self.t = today()
        # Ties in credits (so the id decides), gaps, a day in the future.
        self.records = []
        for i in range(40):
            m = self.members[i % len(self.members)]
            self.records.append((m, self.t - datetime.timedelta(days=(i * 7) % 120), 10 * (i % 5) + 10, i % 3 + 1))
        self.records.append((self.members[0], self.t + datetime.timedelta(days=3), 5, 1))
        self.record(self.records)

    def record(self, records):
        self.server.record_usage(*[f'{m},{day},{c},{r}' for m, day, c, r in records])

    def expected(self, first, last):
        sums = {}
        for m, day, c, r in self.records:
            if first <= day <= last:
                credits, requests = sums.get(m, (0, 0))
                sums[m] = (credits + c, requests + r)
        return sorted(({'key': m, 'credits': c, 'requests': r} for m, (c, r) in sums.items()),
                      key=lambda i: (-i['credits'], i['key']))

    def ranges(self):
        d = lambda n: self.t - datetime.timedelta(days=n)
        return [(d(0), d(0)), (d(14), d(0)), (d(30), d(1)), (d(88), d(0)), (d(89), d(1)), (d(119), d(60)),
                (d(200), d(7)), (d(365), d(0)), (d(10), d(-5)), (d(-1), d(-10)), (d(500), d(400))]

    def check_ranges(self):
        for first, last in self.ranges():
            with self.subTest(first=first, last=last):
                path = f'/v1/organizations/{self.org}/usage?group_by=member&from={first}&to={last}'
                want = self.expected(first, last)
                self.assertEqual(self.server.all_items(path, self.token), want)
                # Pages of one: every cursor step, and the total.
                items, cursor = [], None
                for _ in range(len(want) + 1):
                    page = self.server.get(path + '&limit=1' + (f'&cursor={urllib.parse.quote(cursor)}'
                                                                if cursor else ''), self.token)
                    self.assertEqual(page.status, 200, page)
                    self.assertEqual(page.json['total'], len(want))
                    items += page.json['items']
                    cursor = page.json['next_cursor']
                    if cursor is None:
                        break
                self.assertEqual(items, want)

    def test_any_range_matches_the_records(self):
        self.check_ranges()

    def test_sums_follow_new_records(self):
        self.check_ranges()
        # More usage, recorded by another process after the sums were made:
        # on days inside and before the earliest, for a new member, and far
        # enough ahead that the server's days grow.
        _, newcomer = self.server.add_member(self.org, self.token)
        more = [(self.members[1], self.t, 1000, 1), (self.members[2], self.t - datetime.timedelta(days=50), 7, 7),
                (newcomer['id'], self.t - datetime.timedelta(days=1), 35, 2),
                (self.members[3], self.t + datetime.timedelta(days=9), 3, 3)]
        self.records += more
        self.record(more)
        self.check_ranges()
        earlier = [(self.members[2], self.t - datetime.timedelta(days=300), 9, 9)]
        self.records += earlier
        self.record(earlier)
        self.check_ranges()
        # One at a time, each seen by the very next query.
        for i in range(5):
            one = [(self.members[i % 4], self.t - datetime.timedelta(days=i), 1 + i, 1)]
            self.records += one
            self.record(one)
            first, last = self.t - datetime.timedelta(days=44), self.t
            self.assertEqual(self.server.all_items(f'/v1/organizations/{self.org}/usage?group_by=member'
                                                   f'&from={first}&to={last}', self.token),
                             self.expected(first, last))


class UsageTests(BillingTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        owner = s.signup()
        cls.token = owner['token']
        cls.org = owner['organization']['id']
        _, cls.m2 = s.add_member(cls.org, cls.token)
        me = s.get('/v1/me', cls.token).json['id']
        owner_member = s.query('SELECT id FROM members WHERE org_id = ? AND user_id = ?', (cls.org, me))[0][0]
        # The member with more credits has the id that sorts last, so an
        # order by id alone is the wrong order.
        cls.m1, m2 = sorted([owner_member, cls.m2['id']])
        cls.m2 = {'id': m2}
        s.record_usage(f'{cls.m1},2026-10-01,100,10', f'{cls.m1},2026-10-03,50,5',
                       f"{cls.m2['id']},2026-10-03,400,40", f"{cls.m2['id']},2026-10-05,1,1",
                       f'{cls.m1},2026-10-03,7,1')

    def usage(self, **query):
        return self.server.get(f'/v1/organizations/{self.org}/usage?{urllib.parse.urlencode(query)}', self.token)

    def test_group_by_day_has_every_day(self):
        r = self.usage(**{'from': '2026-10-01', 'to': '2026-10-05'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['total'], 5)
        self.assertEqual(r.json['items'], [
            {'key': '2026-10-01', 'credits': 100, 'requests': 10},
            {'key': '2026-10-02', 'credits': 0, 'requests': 0},
            {'key': '2026-10-03', 'credits': 457, 'requests': 46},
            {'key': '2026-10-04', 'credits': 0, 'requests': 0},
            {'key': '2026-10-05', 'credits': 1, 'requests': 1},
        ])
        pages = self.server.all_items(f'/v1/organizations/{self.org}/usage?from=2026-10-01&to=2026-10-05', self.token)
        self.assertEqual(pages, r.json['items'])
        first = self.usage(**{'from': '2026-10-01', 'to': '2026-10-05', 'limit': 2})
        self.assertEqual([i['key'] for i in first.json['items']], ['2026-10-01', '2026-10-02'])
        second = self.usage(**{'from': '2026-10-01', 'to': '2026-10-05', 'limit': 2,
                               'cursor': first.json['next_cursor']})
        self.assertEqual([i['key'] for i in second.json['items']], ['2026-10-03', '2026-10-04'])

    def test_group_by_member(self):
        r = self.usage(**{'from': '2026-10-01', 'to': '2026-10-31', 'group_by': 'member'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['items'], [{'key': self.m2['id'], 'credits': 401, 'requests': 41},
                                           {'key': self.m1, 'credits': 157, 'requests': 16}])
        self.assertEqual(r.json['total'], 2)
        page = self.usage(**{'from': '2026-10-01', 'to': '2026-10-31', 'group_by': 'member', 'limit': 1})
        self.assertEqual(page.json['items'][0]['key'], self.m2['id'])
        rest = self.usage(**{'from': '2026-10-01', 'to': '2026-10-31', 'group_by': 'member', 'limit': 1,
                             'cursor': page.json['next_cursor']})
        self.assertEqual([i['key'] for i in rest.json['items']], [self.m1])
        self.assertIsNone(rest.json['next_cursor'])
        only = self.usage(**{'from': '2026-10-04', 'to': '2026-10-05', 'group_by': 'member'})
        self.assertEqual(only.json['items'], [{'key': self.m2['id'], 'credits': 1, 'requests': 1}])

    def test_defaults_to_the_last_30_days(self):
        r = self.usage()
        self.assertEqual(r.json['total'], 30)
        self.assertIsNone(r.json['next_cursor'])
        self.assertEqual(r.json['items'][-1]['key'], today().isoformat())
        self.assertEqual(r.json['items'][0]['key'], (today() - datetime.timedelta(days=29)).isoformat())

    def test_bounds(self):
        ok = self.usage(**{'from': '2025-10-01', 'to': '2026-10-01'})  # 366 days
        self.assertEqual((ok.status, ok.json['total']), (200, 366))
        cases = [
            ({'from': '2026-10-05', 'to': '2026-10-01'}, 'from', 'invalid'),
            ({'from': '2025-09-30', 'to': '2026-10-01'}, 'to', 'out_of_range'),
            ({'from': '2000-01-01', 'to': '2026-10-01'}, 'to', 'out_of_range'),
            ({'from': '2026-02-30'}, 'from', 'invalid'),
            ({'to': '2026-1-01'}, 'to', 'invalid'),
            ({'to': "2026-10-01' OR 1=1"}, 'to', 'invalid'),
            ({'from': '1969-12-31', 'to': '1970-01-05'}, 'from', 'invalid'),
            ({'to': '9999-99-99'}, 'to', 'invalid'),
            ({'group_by': 'week'}, 'group_by', 'invalid_choice'),
            ({'limit': '0'}, 'limit', 'invalid'),
            ({'limit': 'x'}, 'limit', 'invalid'),
            ({'cursor': 'garbage'}, 'cursor', 'invalid'),
            ({'group_by': 'member', 'cursor': self.usage().json['next_cursor'] or 'MAo'}, 'cursor', 'invalid'),
        ]
        for query, field, code in cases:
            with self.subTest(query=query):
                self.assertFieldError(self.usage(**query), field, code)
        self.assertEqual(len(self.usage(limit='100000').json['items']), 30)
        early = self.usage(to='1970-01-05')  # the default 30 days stop at 1970-01-01
        self.assertEqual((early.status, early.json['total'], early.json['items'][0]['key']), (200, 5, '1970-01-01'))

    def test_record_usage_refuses_what_is_not_usage(self):
        for spec in ('mem_nobody,2026-10-01,1,1', f'{self.m1},2026-13-01,1,1', f'{self.m1},2026-10-01,-1,1',
                     f'{self.m1},2026-10-01,1', f'{self.m1},2026-10-01,0,0', 'junk'):
            with self.subTest(spec=spec):
                with self.assertRaises(AssertionError):
                    self.server.record_usage(spec)


class InvoiceTests(BillingTestCase):
    # The demo data: 90 days of Acme Robotics' usage, plan charges and top-ups.
    server_args = ('--demo',)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.post('/v1/sessions', {'email': 'ada@demo.quorum.test', 'password': 'quorum-demo'})
        cls.token = r.json['token']
        orgs = cls.server.get('/v1/organizations', cls.token).json['items']
        cls.org = [o['id'] for o in orgs if o['slug'] == 'acme-robotics'][0]

    def test_demo_has_usage_and_billing(self):
        b = self.billing(self.org, self.token)
        self.assertEqual(b['plan']['id'], 'pln_business')
        self.assertEqual(b['low_balance_alert_cents'], 5000)
        days = self.server.all_items(f'/v1/organizations/{self.org}/usage?from='
                                     f'{today() - datetime.timedelta(days=89)}&to={today()}', self.token)
        self.assertEqual(len(days), 90)
        self.assertGreater(sum(1 for d in days if d['credits'] > 0), 60)
        members = self.server.get(f'/v1/organizations/{self.org}/usage?group_by=member&from='
                                  f'{today() - datetime.timedelta(days=89)}', self.token).json
        self.assertGreater(members['total'], 150)
        self.ledger_is_consistent(self.org, self.token)

    def test_one_invoice_a_month_numbered_without_gaps(self):
        items = self.server.all_items(f'/v1/organizations/{self.org}/billing/invoices', self.token)
        self.assertGreaterEqual(len(items), 3)
        starts = [i['period_start'] for i in items]
        self.assertEqual(starts, sorted(starts, reverse=True))
        self.assertEqual(len(set(starts)), len(starts))
        seqs = sorted(int(i['number'].rsplit('-', 1)[1]) for i in items)
        self.assertEqual(seqs, list(range(1, len(items) + 1)))
        for i in items:
            self.assertRegex(i['number'], r'^QRM-\d{4}-\d{6}$')
            self.assertEqual(i['number'][4:8], i['period_start'][:4])
            start, end = (int(datetime.datetime.strptime(i[k], '%Y-%m-%dT%H:%M:%SZ')
                              .replace(tzinfo=datetime.timezone.utc).timestamp()) for k in ('period_start', 'period_end'))
            charges = self.server.query(
                "SELECT COALESCE(-SUM(amount_cents), 0) FROM ledger_entries WHERE org_id = ? AND amount_cents < 0"
                " AND created_at >= ? AND created_at < ?", (self.org, start, end))[0][0]
            self.assertEqual(i['total_cents'], charges)
            self.assertEqual(i['currency'], 'EUR')
        self.assertEqual(items[0]['status'], 'draft')
        self.assertEqual({i['status'] for i in items[1:]}, {'paid'})
        page = self.server.get(f'/v1/organizations/{self.org}/billing/invoices?limit=1', self.token).json
        self.assertEqual((len(page['items']), page['total']), (1, len(items)))
        nxt = self.server.get(f"/v1/organizations/{self.org}/billing/invoices?limit=1&cursor="
                              f"{urllib.parse.quote(page['next_cursor'])}", self.token).json
        self.assertEqual(nxt['items'][0]['id'], items[1]['id'])
        self.assertFieldError(self.server.get(f'/v1/organizations/{self.org}/billing/invoices?cursor=x',
                                              self.token), 'cursor', 'invalid')

    @unittest.skipUnless(shutil.which('pdftotext'), 'pdftotext (poppler-utils) is not installed')
    def test_pdf_is_a_real_invoice(self):
        items = self.server.all_items(f'/v1/organizations/{self.org}/billing/invoices', self.token)
        invoice = items[1]
        r = self.server.get(f"/v1/organizations/{self.org}/billing/invoices/{invoice['id']}/pdf", self.token)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers['content-type'], 'application/pdf')
        self.assertEqual(r.headers['content-disposition'], f'attachment; filename="{invoice["number"]}.pdf"')
        self.assertTrue(r.body.startswith(b'%PDF-'))
        with tempfile.NamedTemporaryFile(suffix='.pdf') as f:
            f.write(r.body)
            f.flush()
            text = subprocess.run(['pdftotext', '-layout', f.name, '-'], capture_output=True, text=True,
                                  check=True).stdout
        start = datetime.datetime.fromisoformat(invoice['period_start'].rstrip('Z'))
        for expected in ('INVOICE', 'Quorum', invoice['number'], 'Acme Robotics', 'acme-robotics',
                         f"Period: 1 {start.strftime('%B')} {start.year}", 'Business plan', 'Total',
                         'Status: paid', f"€{invoice['total_cents'] // 100:,}.{invoice['total_cents'] % 100:02d}"):
            self.assertIn(expected, text)

    def test_pdf_of_another_organization_is_not_found(self):
        items = self.server.all_items(f'/v1/organizations/{self.org}/billing/invoices', self.token)
        token, other = self.owner()
        for invoice_id in (items[0]['id'], 'ivc_nothing', 'x' * 300, 'inv_x'):
            r = self.server.get(f'/v1/organizations/{other}/billing/invoices/{invoice_id}/pdf', token)
            self.assertProblem(r, 404, 'invoice_not_found')


if __name__ == '__main__':
    main()
