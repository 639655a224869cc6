# SPDX-License-Identifier: GPL-3.0-or-later
"""Billing: plans, the billing account, roles on every billing route, seats
and their races, top-ups (bounds, Idempotency-Key), the ledger under
concurrent top-ups and charges, plan changes, low-balance events, audit
rows, usage (grouping, bounds), invoices and their PDF."""

import datetime
import os
import shutil
import subprocess
import tempfile
import threading
import unittest
import urllib.parse

from servertest import QuorumServer, ServerTestCase, main


def today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def parallel(*calls):
    """Runs the calls at once (released together by a barrier); their
    results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


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
        inv = self.server.get(f'/v1/organizations/{org}/invitations', token).json['items'][0]
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

    def test_ledger_is_append_only(self):
        token, org = self.owner()
        self.top_up(org, token, 100)
        db_path = os.path.join(self.server.data_dir, 'quorum.db')
        import sqlite3
        db = sqlite3.connect(db_path, timeout=10)
        try:
            with self.assertRaises(sqlite3.DatabaseError):
                db.execute('UPDATE ledger_entries SET amount_cents = 1000000 WHERE org_id = ?', (org,))
            with self.assertRaises(sqlite3.DatabaseError):
                db.execute('DELETE FROM ledger_entries WHERE org_id = ?', (org,))
        finally:
            db.rollback()
            db.close()


class LowBalanceAndAuditTests(BillingTestCase):
    def events(self, org):
        return self.server.query("SELECT data FROM events WHERE org_id = ? AND type = 'billing.low_balance'"
                                 ' ORDER BY created_at, rowid', (org,))

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
                                 ' created_at FROM audit_events WHERE org_id = ? ORDER BY created_at, rowid', (org,))
        self.assertEqual([r[3] for r in rows], ['billing.topped_up', 'billing.updated', 'billing.plan_changed'])
        self.assertEqual([r[1] for r in rows], ['Audit Admin', 'Audit Owner', 'Audit Owner'])
        for actor_id, _, kind, _, target_type, target_id, _, created_at in rows:
            self.assertTrue(actor_id.startswith('usr_'))
            self.assertEqual((kind, target_type, target_id), ('user', 'organization', org))
            self.assertGreater(created_at, 1700000000)
        self.assertEqual(rows[0][6], '{"amount_cents":1234}')
        self.assertEqual(rows[2][6], '{"from":"pln_business","to":"pln_team"}')


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
        cls.m1 = s.query('SELECT id FROM members WHERE org_id = ? AND user_id = ?', (cls.org, me))[0][0]
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

    def test_record_usage_refuses_what_is_not_usage(self):
        for spec in ('mem_nobody,2026-10-01,1,1', f'{self.m1},2026-13-01,1,1', f'{self.m1},2026-10-01,-1,1',
                     f'{self.m1},2026-10-01,1', 'junk'):
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
            charges = self.server.query(
                "SELECT COALESCE(-SUM(amount_cents), 0) FROM ledger_entries WHERE org_id = ? AND amount_cents < 0"
                " AND created_at >= strftime('%s', ?) AND created_at < strftime('%s', ?)",
                (self.org, i['period_start'].rstrip('Z'), i['period_end'].rstrip('Z')))[0][0]
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
