#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two server instances on one PostgreSQL database (issue 17), whatever
QUORUM_TEST_STORE says: seat limits, the one owner, the ledger and
idempotency keys hold when writes race through both, and when one is
killed with -9 in the middle of a write (InstanceRaceTests); what one
commits, the other's member index, usage answers and read cache show on
its very next request (CrossInstanceTests).

Races are made certain, not likely: a quorum_postgres.Gate holds every
transaction that reaches a given write until both instances' transactions
are inside (each past its checks, or waiting for the organization the
other holds), then lets them go. Every write a client saw succeed (2xx) is
then looked for in the database."""

import datetime
import sys
import time
import unittest
import urllib.parse

from servertest import DEFAULT_PASSWORD, QuorumServer, create_api_key, main, started
import quorum_postgres  # after servertest, which puts tests/common on the path
from quorum_round_robin import RoundRobin


def invitations(org):
    return f'/v1/organizations/{org}/invitations'


def member(email):
    """An invitation's body."""
    return {'email': email, 'role': 'member'}


def top_ups(org):
    return f'/v1/organizations/{org}/billing/top-ups'


@unittest.skipIf(quorum_postgres.available(), quorum_postgres.available())
class InstanceRaceTests(unittest.TestCase):
    def setUp(self):
        self.cluster = quorum_postgres.cluster()
        self.database = self.cluster.create_database()
        self.addCleanup(self.cluster.drop_database, self.database)
        url = self.cluster.url(self.database)
        # New organizations on Free: 5 seats.
        self.a, self.b = (self.instance(url) for _ in range(2))
        self.rr = RoundRobin([self.a, self.b])

    def instance(self, url):
        server = QuorumServer('--database', url, default_plan=None)
        self.addCleanup(server.close)
        return server

    def gate(self, table, event='INSERT', when=None):
        return quorum_postgres.Gate(self.cluster, self.database, table, event, when)

    def query(self, sql, params=()):
        return self.cluster.query(self.database, sql, params)

    def owner(self, server=None):
        user = (server or self.a).signup()
        return user['token'], user['organization']['id']

    def seats(self, org):
        """Members (active and suspended) and pending, unexpired invitations."""
        return self.query('SELECT (SELECT COUNT(*) FROM members WHERE org_id = ?) + (SELECT COUNT(*) FROM invitations'
                          " WHERE org_id = ? AND status = 'pending' AND expires_at > ?)",
                          (org, org, int(time.time())))[0][0]

    def seat_limit(self, org):
        return self.query('SELECT p.seat_limit FROM billing_accounts b JOIN plans p ON p.id = b.plan_id'
                          ' WHERE b.org_id = ?', (org,))[0][0]

    def owners(self, org):
        return [m for (m,) in self.query("SELECT id FROM members WHERE org_id = ? AND role = 'owner'", (org,))]

    def assert_ledger_adds_up(self, org):
        rows = self.query('SELECT amount_cents, balance_after FROM ledger_entries WHERE org_id = ? ORDER BY id', (org,))
        running = 0
        for amount, after in rows:
            running += amount
            self.assertEqual(after, running, rows)
        self.assertEqual(self.query('SELECT balance_cents FROM billing_accounts WHERE org_id = ?', (org,)),
                         [(running,)])

    def race(self, gate, *calls):
        """The calls in threads, held at gate until two transactions (one
        per instance) wait, then let go: their results."""
        join = started(*calls)
        gate.wait_for_waiting(2)
        gate.open()
        return join()

    def test_the_last_seat_asked_for_through_both_instances(self):
        token, org = self.owner()
        for i in range(3):  # the owner and 3 pending: 4 of 5 seats
            r = (self.a, self.b)[i % 2].post(invitations(org), {'email': f'seat{i}@example.com', 'role': 'member'}, token)
            self.assertEqual(r.status, 201, r)
        with self.gate('invitations') as gate:
            a, b = self.race(gate,
                             lambda: self.a.post(invitations(org), member('race-a@example.com'), token),
                             lambda: self.b.post(invitations(org), member('race-b@example.com'), token))
        self.assertEqual(sorted([a.status, b.status]), [201, 409], (a, b))
        self.assertEqual((a if a.status == 409 else b).json['code'], 'seat_limit_reached')
        self.assertEqual(self.seats(org), 5)

    def test_a_plan_change_down_and_an_invitation_through_both_instances(self):
        """On Team (25 seats) with 5 in use, one instance invites while the
        other moves to Free (5 seats): one of them wins, and the seats never
        exceed the plan's."""
        token, org = self.owner()
        self.query("UPDATE billing_accounts SET plan_id = 'pln_team' WHERE org_id = ?", (org,))
        for i in range(4):
            r = self.a.post(invitations(org), {'email': f'seat{i}@example.com', 'role': 'member'}, token)
            self.assertEqual(r.status, 201, r)
        with self.gate('invitations') as invite_gate, \
                self.gate('billing_accounts', 'UPDATE', 'OLD.plan_id IS DISTINCT FROM NEW.plan_id') as plan_gate:
            join = started(lambda: self.a.post(invitations(org), member('one-more@example.com'), token),
                           lambda: self.b.request('PUT', f'/v1/organizations/{org}/billing/plan',
                                                  {'plan_id': 'pln_free'}, token))
            invite_gate.wait_for_waiting(2)
            invite_gate.open()
            plan_gate.open()
            invite, plan = join()
        self.assertEqual(sorted([invite.status, plan.status]), [200, 409] if plan.status == 200 else [201, 409],
                         (invite, plan))
        self.assertLessEqual(self.seats(org), self.seat_limit(org))
        self.assertEqual(self.seat_limit(org), 5 if plan.status == 200 else 25)

    def test_transfers_through_both_instances_leave_one_owner(self):
        """The owner hands the organization to two members at once, one
        through each instance (as two tabs would): one transfer wins, the
        other finds its caller no longer the owner."""
        token, org = self.owner()
        targets = [self.a.add_member(org, token)[1] for _ in range(2)]
        with self.gate('members', 'UPDATE', 'OLD.role IS DISTINCT FROM NEW.role') as gate:
            results = self.race(gate, *[
                (lambda server, target: lambda: server.post(f'/v1/organizations/{org}/transfer-ownership',
                                                            {'member_id': target['id']}, token))(server, target)
                for server, target in zip((self.a, self.b), targets)])
        self.assertEqual(sorted(r.status for r in results), [200, 403], results)
        winner = targets[[r.status for r in results].index(200)]
        self.assertEqual(self.owners(org), [winner['id']])

    def test_one_invitation_key_sent_to_both_instances_at_once(self):
        """Both pass the look-up of the key before their transactions; the
        second finds the first's answer inside its own."""
        token, org = self.owner()
        headers = {'Idempotency-Key': 'invite-once'}
        with self.gate('invitations') as gate:
            results = self.race(gate, *[
                (lambda server: lambda: server.post(invitations(org), member('once@example.com'), token,
                                                    headers=headers))(server)
                for server in (self.a, self.b)])
        self.assertEqual([r.status for r in results], [201, 201], results)
        self.assertEqual(results[0].body, results[1].body)
        self.assertEqual(self.query('SELECT id FROM invitations WHERE org_id = ?', (org,)), [(results[0].json['id'],)])

    def test_one_invitation_accepted_through_both_instances(self):
        """The invitee accepts twice at once (two tabs, one per instance):
        one acceptance, the other finds the invitation used."""
        token, org = self.owner()
        invitee = self.b.signup()
        email = invitee['user']['email']
        self.assertEqual(self.a.post(invitations(org), member(email), token).status, 201)
        link = self.a.invitation_token(email)
        with self.gate('members') as gate:
            results = self.race(gate, *[
                (lambda server: lambda: server.post(f'/v1/invitations/{link}/accept', token=invitee['token']))(server)
                for server in (self.a, self.b)])
        self.assertEqual(sorted(r.status for r in results), [200, 410], results)
        self.assertEqual([r for r in results if r.status == 410][0].json['code'], 'invitation_used')
        self.assertEqual(self.query('SELECT COUNT(*) FROM members WHERE org_id = ? AND user_id = ?',
                                    (org, invitee['user']['id'])), [(1,)])

    def test_one_idempotency_key_sent_to_both_instances_at_once(self):
        token, org = self.owner()
        headers = {'Idempotency-Key': 'pay-once'}
        with self.gate('ledger_entries') as gate:
            a, b = self.race(gate, *[
                (lambda server: lambda: server.post(top_ups(org), {'amount_cents': 700}, token,
                                                    headers=headers))(server)
                for server in (self.a, self.b)])
        self.assertEqual((a.status, b.status), (201, 201), (a, b))
        self.assertEqual(a.body, b.body)
        self.assertEqual(self.query("SELECT amount_cents FROM ledger_entries WHERE org_id = ?", (org,)), [(700,)])
        self.assert_ledger_adds_up(org)

    def test_usage_recorded_by_two_processes_is_charged_in_full(self):
        """Two recorders (--record-usage, as a metering service would run
        them beside the instances) each add 30,000 credits of one month on
        Team (50,000 included, 2.00 per 1,000 beyond): each alone is within
        the included credits, together they are 10,000 past them."""
        token, org = self.owner()
        self.query("UPDATE billing_accounts SET plan_id = 'pln_team' WHERE org_id = ?", (org,))
        other = self.a.add_member(org, token)[1]['id']
        (mine,) = self.query("SELECT id FROM members WHERE org_id = ? AND role = 'owner'", (org,))[0]
        month = datetime.date.today().replace(day=1)
        days = [month, month + datetime.timedelta(days=1)]
        with self.gate('usage_records') as gate:
            self.race(gate, *[(lambda member, day: lambda: self.a.record_usage(f'{member},{day:%Y-%m-%d},30000,1'))(
                                  member, day) for member, day in zip((mine, other), days)])
        self.assertEqual(self.query("SELECT SUM(amount_cents) FROM ledger_entries WHERE org_id = ?"
                                    " AND kind = 'usage'", (org,)), [(-2000,)])
        self.assert_ledger_adds_up(org)

    def test_concurrent_writes_through_both_with_one_killed(self):
        """Invitations (more than the free seats), top-ups (each key sent to
        both instances at once), two transfers of ownership and a member
        leaving, all at once through both instances; instance b is killed
        with -9 while its transaction waits inside the database, and what
        may be sent again (a request with an Idempotency-Key) is sent to a,
        as a load balancer would. Then acceptances and more invitations
        through what is left. Every acknowledged write is in the database,
        the seats are within the plan's, there is one owner, the ledger adds
        up and no key was applied twice."""
        token, org = self.owner()
        m1, m2 = (self.a.add_member(org, token) for _ in range(2))  # 3 of 5 seats
        invitees = [(self.a, self.b)[i % 2].signup() for i in range(4)]
        emails = [u['user']['email'] for u in invitees]

        def invite(i, server):
            return self.rr.post(invitations(org), member(emails[i]), token,
                                headers={'Idempotency-Key': f'invite-{i}'}, retry=True, server=server)

        def top_up(j, server):
            return self.rr.post(top_ups(org), {'amount_cents': 1000 + j}, token,
                                headers={'Idempotency-Key': f'top-up-{j}'}, retry=True, server=server)

        def transfer(member, server):
            return self.rr.post(f'/v1/organizations/{org}/transfer-ownership', {'member_id': member['id']}, token,
                                server=server)

        calls = []
        # At most 10 requests in flight per instance: libsoup listens with
        # GLib's default backlog of 10, and an instance waiting inside the
        # database accepts no connection meanwhile.
        for i in range(4):
            calls += [(('invite', i), lambda i=i, s=s: invite(i, s)) for s in (self.a, self.b)]
        for j in range(3):
            calls += [(('top-up', j), lambda j=j, s=s: top_up(j, s)) for s in (self.a, self.b)]
        calls += [(('transfer', m1[1]['id']), lambda: transfer(m1[1], self.a)),
                  (('transfer', m2[1]['id']), lambda: transfer(m2[1], self.b)),
                  (('leave', m2[1]['id']), lambda: self.rr.post(f'/v1/organizations/{org}/leave', token=m2[0],
                                                                server=self.a))]
        with self.gate('ledger_entries') as gate:
            join = started(*[call for _, call in calls], timeout=120)
            # Both instances inside a transaction: b dies there.
            gate.wait_for_waiting(2)
            self.b.kill()
            self.rr.mark_down(self.b)
            gate.open()
            answers = list(zip([what for what, _ in calls], join()))
        self.assertTrue(any(a.failed for _, a in answers), 'no request reached the killed instance')

        ok = [(what, a) for what, a in answers if a.status is not None and 200 <= a.status < 300]
        # Two answers of one key are the same answer.
        by_key = {}
        for what, a in answers:
            if what[0] in ('invite', 'top-up') and a.status in (200, 201):
                by_key.setdefault(what, set()).add(a.response.body)
        self.assertEqual([k for k, bodies in by_key.items() if len(bodies) > 1], [])

        # Top-ups: each acknowledged key applied once, no key twice, and
        # nothing applied that no key records.
        applied = sorted(a for (a,) in self.query("SELECT amount_cents FROM ledger_entries WHERE org_id = ?"
                                                   " AND kind = 'top_up'", (org,)))
        keys = {k for (k,) in self.query("SELECT key FROM idempotency_keys WHERE org_id = ?"
                                          " AND key LIKE 'top-up-%'", (org,))}
        self.assertEqual(applied, sorted(1000 + int(k.rsplit('-', 1)[1]) for k in keys))
        self.assertLessEqual({f'top-up-{what[1]}' for what, _ in ok if what[0] == 'top-up'}, keys)
        self.assert_ledger_adds_up(org)

        # Invitations: each acknowledged one is there, once per key.
        invited = {}
        for what, a in ok:
            if what[0] == 'invite':
                invited[what[1]] = a.json['id']
        rows = dict(self.query('SELECT id, email FROM invitations WHERE org_id = ?', (org,)))
        for i, inv_id in invited.items():
            self.assertEqual(rows.get(inv_id), emails[i])
        self.assertEqual(sorted(rows.values()), sorted(set(rows.values())), 'an address invited twice')
        self.assertLessEqual(self.seats(org), 5)

        # The transfers: at most one acknowledged, one owner, the acknowledged
        # one's target if any; an acknowledged leave is gone.
        transfers = [what[1] for what, _ in ok if what[0] == 'transfer']
        self.assertLessEqual(len(transfers), 1, transfers)
        self.assertEqual(len(self.owners(org)), 1)
        if transfers:
            self.assertEqual(self.owners(org), transfers)
        if any(what[0] == 'leave' for what, _ in ok):
            self.assertEqual(self.query('SELECT COUNT(*) FROM members WHERE id = ?', (m2[1]['id'],)), [(0,)])

        # Acceptances (each by the invitee's session and the link in the
        # e-mail of whichever instance sent it; a rolled-back one's link
        # finds nothing) and more invitations, at once, through what is left.
        def accept(i):
            """The answers to the invitee's acceptances, one per link found."""
            tried = []
            for server in (self.a, self.b):
                link = server.newest_link_token(emails[i], 'invite')
                if link is not None:
                    tried.append(self.rr.post(f'/v1/invitations/{link}/accept', token=invitees[i]['token']))
                    if tried[-1].status == 200:
                        break
            return tried

        pending = [i for i in range(4) if self.query("SELECT COUNT(*) FROM invitations WHERE org_id = ?"
                                                     " AND email = ? AND status = 'pending'", (org, emails[i]))[0][0]]
        more = [lambda n=n: self.rr.post(invitations(org), member(f'later{n}@example.com'), token)
                for n in range(3)]
        results = started(*[lambda i=i: accept(i) for i in pending], *more, timeout=120)()
        accepted = [i for i, tried in zip(pending, results) if tried and tried[-1].status == 200]
        self.assertEqual(accepted, pending, results[:len(pending)])
        for i in accepted:
            self.assertEqual(self.query('SELECT COUNT(*) FROM members WHERE org_id = ? AND user_id = ?',
                                        (org, invitees[i]['user']['id'])), [(1,)])
        for r in results[len(pending):]:
            if r.status == 201:
                self.assertEqual(self.query('SELECT COUNT(*) FROM invitations WHERE id = ?', (r.json['id'],)), [(1,)])
            else:
                self.assertEqual((r.status, r.json['code']), (409, 'seat_limit_reached'), r)
        self.assertLessEqual(self.seats(org), 5)
        self.assertEqual(len(self.owners(org)), 1)
        self.assert_ledger_adds_up(org)



ROLE_B = 'quorum_instance_b'
# The statements a request runs to know who asks and to show a members
# page when the read cache does not hold them (quorum-store-identity.c,
# -api-keys.c, -organizations.c), and the one catch-up per request
# (quorum-store-pg-hooks.c, OTHERS_SQL).
LOOKUPS = ('%FROM sessions s%', '%FROM api_keys k%', '%FROM members m JOIN users u%')
CATCH_UP = 'SELECT pg_current_snapshot ()::text,%'


@unittest.skipIf(quorum_postgres.available(), quorum_postgres.available())
class CrossInstanceTests(unittest.TestCase):
    """The change log the hook triggers write, read once per request
    (docs/server.md, "PostgreSQL: state"). Instance B connects as another
    PostgreSQL role, so that A's statements can be counted apart
    (pg_stat_statements) and A's connections ended alone."""

    def setUp(self):
        self.cluster = quorum_postgres.cluster()
        self.database = self.cluster.create_database()
        self.addCleanup(self.cluster.drop_database, self.database)
        self.cluster.psql(f"DO $$ BEGIN CREATE ROLE {ROLE_B} LOGIN SUPERUSER;"
                          f" EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        self.a = self.instance(quorum_postgres.SUPERUSER)
        self.b = self.instance(ROLE_B)
        owner = self.a.signup()
        self.owner = owner['token']
        self.org = owner['organization']['id']
        self.org_path = f'/v1/organizations/{self.org}'

    def instance(self, user):
        server = QuorumServer('--database', self.cluster.url(self.database, user=user))
        self.addCleanup(server.close)
        return server

    def search(self, server, text):
        r = server.get(f'{self.org_path}/members?query={urllib.parse.quote(text)}', self.owner)
        self.assertEqual(r.status, 200, r)
        return [m['name'] for m in r.json['items']], r.json['total']

    def total(self, server):
        r = server.get(f'{self.org_path}/members?limit=200', self.owner)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len({m['id'] for m in r.json['items']}), len(r.json['items']), r.json['items'])
        return r.json['total']

    def a_calls(self, pattern):
        return self.cluster.statement_calls(self.database, quorum_postgres.SUPERUSER, pattern)

    def assertCacheKept(self, path, token, requests=3):
        """token's requests to A read nothing to know who asks (nor a
        members page's rows): one catch-up statement each, no look-up."""
        for _ in range(2):
            r = self.a.get(path, token)
            self.assertEqual(r.status, 200, r)
        if not self.cluster.has_statement_stats():
            # The rest of the test still runs; only the count is left out.
            print('pg_stat_statements not installed: statements not counted', file=sys.stderr)
            return
        lookups = [self.a_calls(p) for p in LOOKUPS]
        catch_ups = self.a_calls(CATCH_UP)
        for _ in range(requests):
            r = self.a.get(path, token)
            self.assertEqual(r.status, 200, r)
        self.assertEqual([self.a_calls(p) for p in LOOKUPS], lookups, 'A read again what its cache holds')
        self.assertEqual(self.a_calls(CATCH_UP) - catch_ups, requests, 'one catch-up a request')

    # (a) the member index
    def test_member_added_renamed_removed_through_b_is_searched_on_a(self):
        self.assertEqual(self.search(self.a, 'Zebulon'), ([], 0))  # A's index of the org is loaded
        self.assertEqual(self.total(self.a), 1)
        token, member = self.b.add_member(self.org, self.owner, name='Zebulon Quill')
        self.assertEqual(self.search(self.a, 'Zebulon'), (['Zebulon Quill'], 1))
        self.assertEqual(self.total(self.a), 2)
        r = self.b.patch('/v1/me', {'name': 'Yolanda Quill'}, token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.search(self.a, 'Zebulon'), ([], 0))
        self.assertEqual(self.search(self.a, 'Yolanda'), (['Yolanda Quill'], 1))
        r = self.b.delete(f"{self.org_path}/members/{member['id']}", token=self.owner)
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.search(self.a, 'Yolanda'), ([], 0))
        self.assertEqual(self.total(self.a), 1)

    # (b) the usage cube and sums
    def test_usage_recorded_beside_shows_on_a(self):
        _, member = self.b.add_member(self.org, self.owner)
        day = datetime.date.today() - datetime.timedelta(days=3)
        span = {'from': (day - datetime.timedelta(days=10)).isoformat(), 'to': day.isoformat()}

        def usage(server, **query):
            r = server.get(f'{self.org_path}/usage?{urllib.parse.urlencode(dict(span, **query))}', self.owner)
            self.assertEqual(r.status, 200, r)
            return {i['key']: (i['credits'], i['requests']) for i in r.json['items'] if i['credits']}

        for _ in range(2):  # the first waits for the cube's load; the second is served from it
            self.assertEqual(usage(self.a, group_by='member'), {})
        self.a.record_usage(f"{member['id']},{day.isoformat()},700,7")
        self.assertEqual(usage(self.a, group_by='member'), {member['id']: (700, 7)})
        self.assertEqual(usage(self.a), {day.isoformat(): (700, 7)})
        # And through B's API: a second record.
        self.b.record_usage(f"{member['id']},{day.isoformat()},300,3")
        self.assertEqual(usage(self.a, group_by='member'), {member['id']: (1000, 10)})

    # (c) the read cache, kept across requests, and the security rule
    def test_sign_out_through_b_refused_on_a(self):
        self.assertCacheKept(self.org_path, self.owner)
        r = self.b.delete('/v1/sessions/current', token=self.owner)
        self.assertEqual(r.status, 204, r)
        r = self.a.get(self.org_path, self.owner)
        self.assertEqual(r.status, 401, r)

    def test_suspension_and_role_change_through_b_on_as_next_request(self):
        token, member = self.a.add_member(self.org, self.owner, role='admin')
        self.assertCacheKept(f'{self.org_path}/invitations', token)
        r = self.b.patch(f"{self.org_path}/members/{member['id']}", {'role': 'member'}, self.owner)
        self.assertEqual(r.status, 200, r)
        r = self.a.get(f'{self.org_path}/invitations', token)
        self.assertEqual((r.status, r.code), (403, 'forbidden'), r)
        self.assertCacheKept(self.org_path, token)
        r = self.b.patch(f"{self.org_path}/members/{member['id']}", {'status': 'suspended'}, self.owner)
        self.assertEqual(r.status, 200, r)
        r = self.a.get(f'{self.org_path}/members', token)
        self.assertEqual((r.status, r.code), (403, 'member_suspended'), r)

    def test_api_key_revoked_through_b_refused_on_a(self):
        key = create_api_key(self.a, self.org, self.owner, ['org:read'])
        self.assertCacheKept(self.org_path, key['secret'])
        r = self.b.delete(f"{self.org_path}/api-keys/{key['id']}", token=self.owner)
        self.assertEqual(r.status, 204, r)
        r = self.a.get(self.org_path, key['secret'])
        self.assertEqual(r.status, 401, r)

    def test_change_pruned_before_as_next_look_still_refused(self):
        """The log's rows are deleted once old (quorum-store-pg-hooks.c,
        PRUNE_SQL): an instance whose last look is older than a prune does
        not know what it missed, and must take everything as changed."""
        self.assertCacheKept(self.org_path, self.owner)
        r = self.b.delete('/v1/sessions/current', token=self.owner)
        self.assertEqual(r.status, 204, r)
        # A prune as an instance makes it, with a snapshot taken after the
        # sign-out committed and before A looks again.
        self.cluster.psql('UPDATE qs_change_prune SET pending = pg_current_snapshot ()', self.database)
        self.cluster.psql('DELETE FROM qs_change_log WHERE pg_visible_in_snapshot (xid, (SELECT pending FROM'
                          ' qs_change_prune)); UPDATE qs_change_prune SET pruned = pending', self.database)
        self.assertEqual(self.cluster.query(self.database, 'SELECT COUNT(*) FROM qs_change_log'), [(0,)])
        r = self.a.get(self.org_path, self.owner)
        self.assertEqual(r.status, 401, r)

    def test_members_page_rows_kept_and_renamed_through_b(self):
        token, member = self.a.add_member(self.org, self.owner, name='Row Before')
        self.assertCacheKept(f'{self.org_path}/members', self.owner)
        r = self.b.patch('/v1/me', {'name': 'Row After'}, token)
        self.assertEqual(r.status, 200, r)
        r = self.a.get(f'{self.org_path}/members', self.owner)
        self.assertEqual({m['id']: m['name'] for m in r.json['items']}[member['id']], 'Row After')

    # (d) A's connection ended and made again
    def test_writes_seen_after_as_connection_is_made_again(self):
        """A's own last write, committed after its last catch-up, must not
        come back as another connection's once A's connection (its pid)
        is new; B's writes meanwhile must show."""
        for _ in range(2):  # the org's copy loaded, then settled
            self.assertEqual(self.search(self.a, 'Quill'), ([], 0))
        email = 'ada.quill@example.com'
        self.b.invite(self.org, self.owner, email)
        r = self.a.post(f'/v1/invitations/{self.b.invitation_token(email)}/setup',
                        {'name': 'Ada Quill', 'password': DEFAULT_PASSWORD})
        self.assertEqual(r.status, 201, r)  # A's last request: its own insert
        killed = self.cluster.psql(f"SELECT count(*) FROM (SELECT pg_terminate_backend (pid) FROM pg_stat_activity"
                                   f" WHERE datname = '{self.database}' AND usename = '{quorum_postgres.SUPERUSER}'"
                                   f" AND pid <> pg_backend_pid ()) AS t")
        self.assertGreaterEqual(int(killed[0][0]), 1, 'A had a connection to end')
        token, _ = self.b.add_member(self.org, self.owner, name='Bea Quill')
        self.assertEqual(self.search(self.a, 'Quill'), (['Ada Quill', 'Bea Quill'], 2))
        r = self.b.patch('/v1/me', {'name': 'Bea Renamed'}, token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.search(self.a, 'Quill'), (['Ada Quill'], 1))
        self.assertEqual(self.total(self.a), 3)
        self.assertIn('connection to PostgreSQL', self.a.log())

if __name__ == '__main__':
    main()
