# SPDX-License-Identifier: GPL-3.0-or-later
"""The audit log: every write operation of docs/api/openapi.yaml that
changes an organization leaves exactly one audit record naming its actor
(user, API key or invitee), in the transaction of the change; the webhook
events of the actions that are EventTypes; GET …/audit-events (newest
first, cursor paging, filters, caps, who may read it)."""

import json
import os

from servertest import ALL_SCOPES, ServerTestCase, create_api_key, main, png, spec_operation_scopes

WRITE_METHODS = ('POST', 'PUT', 'PATCH', 'DELETE')

# Write operations of the spec that leave no audit record, and why.
SKIPPED = {
    # The account, not an organization: the audit log belongs to one organization.
    ('POST', '/v1/sessions'): 'signing in changes no organization',
    ('DELETE', '/v1/sessions/current'): 'signing out changes no organization',
    ('PATCH', '/v1/me'): "the user's own name, in no one organization",
    ('POST', '/v1/me/password'): 'the account, not an organization',
    ('POST', '/v1/me/verification-email'): 'sends an e-mail, changes no organization',
    ('POST', '/v1/email-verifications'): 'the account, not an organization',
    ('POST', '/v1/password-resets'): 'the account, not an organization',
    ('POST', '/v1/password-resets/confirm'): 'the account, not an organization',
    ('POST', '/verify/{token}'): 'the account, not an organization (HTML form)',
    ('POST', '/reset/{token}'): 'the account, not an organization (HTML form)',
}


class AuditCoverageTests(ServerTestCase):
    """One recipe per write operation. A recipe sets up what the operation
    needs and returns (org_id, actor id, call); call performs the operation
    once and returns its response (and, for operations that make the
    organization, that organization's id). The records made by the set-up
    are counted first, so exactly one new record must follow the call."""

    def count(self, org_id):
        return self.server.query('SELECT COUNT(*) FROM audit_events WHERE org_id = ?', (org_id,))[0][0]

    def records(self, org_id):
        return self.server.query('SELECT action, actor_kind, actor_id, actor_name FROM audit_events'
                                 ' WHERE org_id = ? ORDER BY created_at, seq', (org_id,))

    def fresh(self):
        owner = self.server.signup()
        return owner, owner['organization']['id'], owner['token']

    def member(self, org_id, token, role='member'):
        return self.server.add_member(org_id, token, role=role)

    def invitee(self, org_id, token):
        """An invitation to a signed-up, verified account: (the link's token,
        the invitation, the invitee's session, user id)."""
        invitee = self.server.signup()
        email = invitee['user']['email']
        self.server.verify_email(email)
        inv = self.server.invite(org_id, token, email)
        return self.server.invitation_token(email), inv, invitee['token'], invitee['user']['id']

    def recipes(self):
        s = self.server
        o = '/v1/organizations'
        n = iter(range(10**6))

        def as_owner(op):
            """op(server, org_id, owner token, owner) → call; the owner acts."""
            def setup():
                owner, org_id, token = self.fresh()
                return org_id, owner['user']['id'], op(org_id, token, owner)
            return setup

        def as_key(scopes, op):
            """op(org_id, owner token, key secret) → call; an API key acts."""
            def setup():
                _, org_id, token = self.fresh()
                key = create_api_key(s, org_id, token, scopes)
                return org_id, key['id'], op(org_id, token, key['secret'])
            return setup

        def signup():
            body = {'name': 'New Owner', 'email': f'new-owner-{next(n)}-{os.getpid()}@example.com',
                    'password': 'correct horse battery', 'organization_name': 'Fresh Org'}

            def call():
                r = s.post('/v1/users', body)
                return r, r.json['organization']['id']
            return None, lambda r: r.json['user']['id'], call

        def create_org():
            owner, _, token = self.fresh()

            def call():
                r = s.post(o, {'name': 'Another'}, token)
                return r, r.json['id']
            return None, owner['user']['id'], call

        def leave():
            _, org_id, token = self.fresh()
            member_token, _ = self.member(org_id, token)
            user_id = s.get('/v1/me', member_token).json['id']
            return org_id, user_id, lambda: s.post(f'{o}/{org_id}/leave', None, member_token)

        def answer(verb, by_token):
            def setup():
                _, org_id, token = self.fresh()
                link, inv, session, user_id = self.invitee(org_id, token)
                if by_token and verb == 'decline':
                    # Nobody signed in: the invitee, named by the invitation.
                    return org_id, inv['id'], lambda: s.post(f'/v1/invitations/{link}/decline')
                path = f'/v1/invitations/{link}/{verb}' if by_token else f'/v1/me/invitations/{inv["id"]}/{verb}'
                return org_id, user_id, lambda: s.post(path, None, session)
            return setup

        def setup_account():
            _, org_id, token = self.fresh()
            email = f'setup-{next(n)}-{os.getpid()}@example.com'
            s.invite(org_id, token, email)
            link = s.invitation_token(email)
            body = {'name': 'Set Up', 'password': 'correct horse battery'}
            return org_id, lambda r: r.json['user']['id'], lambda: s.post(f'/v1/invitations/{link}/setup', body)

        def new_invitation(org_id, token):
            return s.invite(org_id, token, f'invitee-{next(n)}-{os.getpid()}@example.com')['id']

        def new_member(org_id, token):
            return self.member(org_id, token)[1]['id']

        def new_webhook(org_id, token):
            # a public literal address: saved without DNS; its tries fail, which is not audited
            r = s.post(f'{o}/{org_id}/webhooks', {'url': 'https://93.184.216.34/hook', 'events': ['member.added']},
                       token)
            assert r.status == 201, r
            return r.json['id']

        def new_delivery(org_id, token):
            hook = new_webhook(org_id, token)
            return hook, s.post(f'{o}/{org_id}/webhooks/{hook}/test', None, token).json['id']

        return {
            ('POST', '/v1/users'): (signup, 'organization.created', 'user'),
            ('POST', '/v1/organizations'): (create_org, 'organization.created', 'user'),
            ('PATCH', '/v1/organizations/{org_id}'): (as_key(
                ['org:write'], lambda org, t, k: lambda: s.patch(f'{o}/{org}', {'name': 'Renamed'}, k)),
                'organization.updated', 'api_key'),
            ('DELETE', '/v1/organizations/{org_id}'): (as_owner(
                lambda org, t, u: lambda: s.delete(f'{o}/{org}', {'confirm_slug': u['organization']['slug']}, t)),
                'organization.deleted', 'user'),
            ('PUT', '/v1/organizations/{org_id}/logo'): (as_key(
                ['org:write'], lambda org, t, k: lambda: s.request('PUT', f'{o}/{org}/logo', raw=png(128), token=k,
                                                                   content_type='image/png')),
                'organization.logo_updated', 'api_key'),
            ('POST', '/v1/organizations/{org_id}/transfer-ownership'): (as_owner(
                lambda org, t, u: (lambda m: lambda: s.post(f'{o}/{org}/transfer-ownership', {'member_id': m}, t))(
                    new_member(org, t))),
                'organization.ownership_transferred', 'user'),
            ('POST', '/v1/organizations/{org_id}/leave'): (leave, 'member.left', 'user'),
            ('PATCH', '/v1/organizations/{org_id}/members/{member_id}'): (as_owner(
                lambda org, t, u: (lambda m: lambda: s.patch(f'{o}/{org}/members/{m}', {'role': 'admin'}, t))(
                    new_member(org, t))),
                'member.updated', 'user'),
            ('DELETE', '/v1/organizations/{org_id}/members/{member_id}'): (as_key(
                ['members:write'], lambda org, t, k: (lambda m: lambda: s.delete(f'{o}/{org}/members/{m}', token=k))(
                    new_member(org, t))),
                'member.removed', 'api_key'),
            ('POST', '/v1/organizations/{org_id}/invitations'): (as_key(
                ['invitations:write'],
                lambda org, t, k: lambda: s.post(f'{o}/{org}/invitations',
                                                 {'email': f'by-key-{next(n)}@example.com', 'role': 'member'}, k)),
                'invitation.created', 'api_key'),
            ('DELETE', '/v1/organizations/{org_id}/invitations/{invitation_id}'): (as_owner(
                lambda org, t, u: (lambda i: lambda: s.delete(f'{o}/{org}/invitations/{i}', token=t))(
                    new_invitation(org, t))),
                'invitation.revoked', 'user'),
            ('POST', '/v1/organizations/{org_id}/invitations/{invitation_id}/resend'): (as_key(
                ['invitations:write'],
                lambda org, t, k: (lambda i: lambda: s.post(f'{o}/{org}/invitations/{i}/resend', None, k))(
                    new_invitation(org, t))),
                'invitation.resent', 'api_key'),
            ('PATCH', '/v1/organizations/{org_id}/billing'): (as_key(
                ['billing:write'],
                lambda org, t, k: lambda: s.patch(f'{o}/{org}/billing', {'low_balance_alert_cents': 500}, k)),
                'billing.updated', 'api_key'),
            ('PUT', '/v1/organizations/{org_id}/billing/plan'): (as_owner(
                lambda org, t, u: lambda: s.request('PUT', f'{o}/{org}/billing/plan', {'plan_id': 'pln_team'}, t)),
                'billing.plan_changed', 'user'),
            ('POST', '/v1/organizations/{org_id}/billing/top-ups'): (as_key(
                ['billing:write'],
                lambda org, t, k: lambda: s.post(f'{o}/{org}/billing/top-ups', {'amount_cents': 1000}, k)),
                'billing.topped_up', 'api_key'),
            ('POST', '/v1/organizations/{org_id}/api-keys'): (as_owner(
                lambda org, t, u: lambda: s.post(f'{o}/{org}/api-keys', {'name': 'k', 'scopes': ['org:read']}, t)),
                'api_key.created', 'user'),
            ('DELETE', '/v1/organizations/{org_id}/api-keys/{api_key_id}'): (as_owner(
                lambda org, t, u: (lambda i: lambda: s.delete(f'{o}/{org}/api-keys/{i}', token=t))(
                    create_api_key(s, org, t)['id'])),
                'api_key.revoked', 'user'),
            ('POST', '/v1/organizations/{org_id}/api-keys/{api_key_id}/rotate'): (as_owner(
                lambda org, t, u: (lambda i: lambda: s.post(f'{o}/{org}/api-keys/{i}/rotate',
                                                             {'old_expires_in_seconds': 0}, t))(
                    create_api_key(s, org, t)['id'])),
                'api_key.rotated', 'user'),
            ('POST', '/v1/organizations/{org_id}/webhooks'): (as_owner(
                lambda org, t, u: lambda: s.post(f'{o}/{org}/webhooks', {'url': 'https://93.184.216.34/hook',
                                                                         'events': ['member.added']}, t)),
                'webhook.created', 'user'),
            ('PATCH', '/v1/organizations/{org_id}/webhooks/{webhook_id}'): (as_key(
                ['webhooks:write'], lambda org, t, k: (lambda h: lambda: s.patch(f'{o}/{org}/webhooks/{h}',
                                                                                 {'enabled': False}, k))(
                    new_webhook(org, t))),
                'webhook.updated', 'api_key'),
            ('DELETE', '/v1/organizations/{org_id}/webhooks/{webhook_id}'): (as_owner(
                lambda org, t, u: (lambda h: lambda: s.delete(f'{o}/{org}/webhooks/{h}', token=t))(
                    new_webhook(org, t))),
                'webhook.deleted', 'user'),
            ('POST', '/v1/organizations/{org_id}/webhooks/{webhook_id}/test'): (as_key(
                ['webhooks:write'], lambda org, t, k: (lambda h: lambda: s.post(f'{o}/{org}/webhooks/{h}/test', None,
                                                                                k))(new_webhook(org, t))),
                'webhook.tested', 'api_key'),
            ('POST', '/v1/organizations/{org_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/resend'): (as_key(
                ['webhooks:write'], lambda org, t, k: (lambda hd: lambda: s.post(
                    f'{o}/{org}/webhooks/{hd[0]}/deliveries/{hd[1]}/resend', None, k))(new_delivery(org, t))),
                'webhook.delivery_resent', 'api_key'),
            ('POST', '/v1/organizations/{org_id}/webhooks/{webhook_id}/roll-secret'): (as_owner(
                lambda org, t, u: (lambda h: lambda: s.post(f'{o}/{org}/webhooks/{h}/roll-secret', None, t))(
                    new_webhook(org, t))),
                'webhook.secret_rolled', 'user'),
            ('POST', '/v1/invitations/{token}/accept'): (answer('accept', True), 'invitation.accepted', 'user'),
            ('POST', '/v1/me/invitations/{invitation_id}/accept'): (answer('accept', False), 'invitation.accepted',
                                                                    'user'),
            ('POST', '/v1/invitations/{token}/decline'): (answer('decline', True), 'invitation.declined', 'invitee'),
            ('POST', '/v1/me/invitations/{invitation_id}/decline'): (answer('decline', False), 'invitation.declined',
                                                                     'user'),
            ('POST', '/v1/invitations/{token}/setup'): (setup_account, 'invitation.accepted', 'user'),
        }

    def test_every_write_operation_leaves_one_record(self):
        spec = {op for op in spec_operation_scopes() if op[0] in WRITE_METHODS}
        recipes = self.recipes()
        self.assertEqual(set(SKIPPED) - spec, set(), 'skipped but not in the spec')
        self.assertEqual(set(SKIPPED) & set(recipes), set(), 'both skipped and covered')
        self.assertEqual(spec - set(SKIPPED) - set(recipes), set(), 'write operations with no audit recipe')
        self.assertEqual(set(recipes) - spec, set(), 'recipes for operations the spec does not have')
        for op, (setup, action, kind) in recipes.items():
            with self.subTest(op=op):
                org_id, actor, call = setup()
                before = self.count(org_id) if org_id is not None else 0
                result = call()
                r, org_id = result if isinstance(result, tuple) else (result, org_id)
                self.assertLess(r.status, 300, r)
                if callable(actor):
                    actor = actor(r)
                rows = self.records(org_id)[before:]
                self.assertEqual([row[:3] for row in rows], [(action, kind, actor)], rows)
                self.assertTrue(rows[0][3], rows)

    def test_refusals_and_no_ops_leave_none(self):
        owner, org_id, token = self.fresh()
        before = self.count(org_id)
        o = f'/v1/organizations/{org_id}'
        self.assertEqual(self.server.patch(o, {}, token).status, 200)
        self.assertEqual(self.server.post(f'{o}/api-keys', {'name': '', 'scopes': []}, token).status, 422)
        self.assertEqual(self.server.post(f'{o}/invitations', {'email': 'bad'}, token).status, 422)
        self.assertEqual(self.server.delete(o, {'confirm_slug': 'wrong'}, token).status, 422)
        self.assertEqual(self.count(org_id), before)
        # A replayed creation (same Idempotency-Key and body) is one change.
        body = {'email': f'replayed-{os.getpid()}@example.com', 'role': 'member'}
        for _ in range(2):
            r = self.server.post(f'{o}/invitations', body, token, headers={'Idempotency-Key': 'audit-replay'})
            self.assertEqual(r.status, 201, r)
        self.assertEqual(self.count(org_id), before + 1)
        _, member = self.member(org_id, token)
        before = self.count(org_id)
        self.assertEqual(self.server.patch(f'{o}/members/{member["id"]}', {'role': 'member'}, token).status, 200)
        self.assertEqual(self.count(org_id), before)


class AuditTransactionTests(ServerTestCase):
    def test_change_and_record_are_one_transaction(self):
        """When the record cannot be written, the change is not made either
        (a trigger refusing audit rows, as a full disk would)."""
        owner = self.server.signup()
        org_id, token = owner['organization']['id'], owner['token']
        o = f'/v1/organizations/{org_id}'
        _, member = self.server.add_member(org_id, token)
        if self.server.pg_database is None:
            self.server.execute("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events"
                                " BEGIN SELECT RAISE (ABORT, 'refused'); END")
            drop = 'DROP TRIGGER refuse_audit'
        else:
            self.server.execute("CREATE FUNCTION refuse_audit () RETURNS trigger LANGUAGE plpgsql AS"
                                " $$ BEGIN RAISE EXCEPTION 'refused'; END $$;"
                                " CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events"
                                " FOR EACH ROW EXECUTE FUNCTION refuse_audit ()")
            drop = 'DROP TRIGGER refuse_audit ON audit_events; DROP FUNCTION refuse_audit ()'
        try:
            self.assertEqual(self.server.patch(o, {'name': 'Not Renamed'}, token).status, 500)
            self.assertEqual(self.server.delete(f'{o}/members/{member["id"]}', token=token).status, 500)
            self.assertEqual(self.server.post(f'{o}/api-keys', {'name': 'k', 'scopes': ['org:read']}, token).status,
                             500)
        finally:
            self.server.execute(drop)
        self.assertEqual(self.server.get(o, token).json['name'], owner['organization']['name'])
        self.assertEqual(self.server.get(f'{o}/members/{member["id"]}', token).status, 200)
        self.assertEqual(self.server.get(f'{o}/api-keys', token).json['total'], 0)
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM events WHERE org_id = ? AND type IN"
                                           " ('organization.updated', 'member.removed', 'api_key.created')",
                                           (org_id,))[0][0], 0)


class AuditEventsTests(ServerTestCase):
    def test_webhook_events_carry_the_target(self):
        owner = self.server.signup()
        org_id, token = owner['organization']['id'], owner['token']
        _, member = self.server.add_member(org_id, token)
        r = self.server.patch(f'/v1/organizations/{org_id}/members/{member["id"]}', {'status': 'suspended'}, token)
        self.assertEqual(r.status, 200, r)
        key = create_api_key(self.server, org_id, token, ['org:read'])
        self.server.patch(f'/v1/organizations/{org_id}', {'name': 'Events Org'}, token)
        self.server.delete(f'/v1/organizations/{org_id}/api-keys/{key["id"]}', token=token)
        events = {}
        for kind, data in self.server.query('SELECT type, data FROM events WHERE org_id = ?', (org_id,)):
            events.setdefault(kind, []).append(json.loads(data))
        # One event of each kind (so each is the one the step made: events
        # have no order of their own within a second).
        self.assertEqual({k: len(v) for k, v in events.items() if len(v) != 1}, {})
        self.assertEqual(events['member.updated'][-1]['id'], member['id'])
        self.assertEqual(events['member.updated'][-1]['status'], 'suspended')
        self.assertEqual(events['member.added'][-1]['id'], member['id'])
        self.assertEqual(events['invitation.created'][-1]['email'], member['email'])
        self.assertEqual(events['invitation.accepted'][-1]['status'], 'accepted')
        self.assertEqual(events['organization.updated'][-1]['name'], 'Events Org')
        self.assertEqual(events['api_key.created'][-1]['id'], key['id'])
        self.assertNotIn('secret', events['api_key.created'][-1])
        self.assertEqual(events['api_key.revoked'][-1]['id'], key['id'])
        self.assertNotIn('invitation.resent', events)


class AuditListTests(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.owner = s.signup(name='Audit Owner')
        cls.org_id = cls.owner['organization']['id']
        cls.token = cls.owner['token']
        cls.path = f'/v1/organizations/{cls.org_id}/audit-events'
        cls.admin_token, _ = s.add_member(cls.org_id, cls.token, role='admin')
        cls.member_token, _ = s.add_member(cls.org_id, cls.token, role='member')
        cls.key = create_api_key(s, cls.org_id, cls.token, ['org:read', 'org:write'], name='Audit key')
        for i in range(7):
            s.patch(f'/v1/organizations/{cls.org_id}', {'name': f'Name {i}'}, cls.key['secret'])

    def all_items(self, query='', token=None):
        items, path = [], f'{self.path}?limit=3{query}'
        while True:
            r = self.server.get(path, token or self.token)
            self.assertEqual(r.status, 200, r)
            items += r.json['items']
            if r.json['next_cursor'] is None:
                return items, r.json['total']
            path = f'{self.path}?limit=3{query}&cursor={r.json["next_cursor"]}'

    def test_newest_first_paged(self):
        items, total = self.all_items()
        self.assertEqual(total, len(items))
        self.assertEqual(len({i['id'] for i in items}), len(items))
        times = [i['created_at'] for i in items]
        self.assertEqual(times, sorted(times, reverse=True))
        # Within a second, too, in the reverse order of writing.
        renames = [i['target']['name'] for i in items if i['action'] == 'organization.updated']
        self.assertEqual(renames, [f'Name {i}' for i in range(6, -1, -1)])
        newest = items[0]
        self.assertEqual(newest['action'], 'organization.updated')
        self.assertEqual(newest['actor'], {'id': self.key['id'], 'name': 'Audit key', 'kind': 'api_key'})
        self.assertEqual(newest['target'], {'type': 'organization', 'id': self.org_id, 'name': 'Name 6'})
        self.assertEqual(items[-1]['action'], 'organization.created')

    def test_filters(self):
        items, total = self.all_items(f'&actor={self.key["id"]}')
        self.assertEqual((total, {i['action'] for i in items}), (7, {'organization.updated'}))
        items, total = self.all_items('&action=invitation.created')
        self.assertEqual(total, 2)
        self.assertEqual({i['actor']['id'] for i in items}, {self.owner['user']['id']})
        everything, _ = self.all_items()
        middle = everything[len(everything) // 2]['created_at']
        newer, _ = self.all_items(f'&from={middle}')
        older, _ = self.all_items(f'&to={middle}')
        self.assertEqual(len(newer) + len(older), len(everything))
        self.assertTrue(all(i['created_at'] >= middle for i in newer))
        self.assertTrue(all(i['created_at'] < middle for i in older))
        self.assertEqual(self.all_items('&actor=usr_nobody')[1], 0)

    def test_caps_and_bad_input(self):
        self.assertEqual(len(self.server.get(f'{self.path}?limit=100000', self.token).json['items']),
                         min(200, self.all_items()[1]))
        for query, field, code in (('limit=0', 'limit', 'invalid'), ('limit=x', 'limit', 'invalid'),
                                   ('cursor=garbage', 'cursor', 'invalid'),
                                   ('actor=' + 'u' * 65, 'actor', 'too_long'),
                                   ('action=' + 'a' * 5000, 'action', 'too_long'),
                                   ('from=yesterday', 'from', 'invalid'),
                                   ('to=2026-13-01T00:00:00Z', 'to', 'invalid')):
            with self.subTest(query=query):
                self.assertFieldError(self.server.get(f'{self.path}?{query}', self.token), field, code)

    def test_who_may_read(self):
        self.assertEqual(self.server.get(self.path, self.admin_token).status, 200)
        self.assertEqual(self.server.get(self.path, self.key['secret']).status, 200)
        self.assertProblem(self.server.get(self.path, self.member_token), 403, 'forbidden')
        outsider = self.server.signup()
        self.assertProblem(self.server.get(self.path, outsider['token']), 404, 'organization_not_found')
        other_key = create_api_key(self.server, outsider['organization']['id'], outsider['token'], ALL_SCOPES)
        self.assertProblem(self.server.get(self.path, other_key['secret']), 404, 'organization_not_found')
        no_scope = create_api_key(self.server, self.org_id, self.token, ['members:read'])
        self.assertProblem(self.server.get(self.path, no_scope['secret']), 403, 'insufficient_scope')
        self.assertProblem(self.server.get(self.path), 401, 'unauthenticated')


class AuditRedactionTests(ServerTestCase):
    """An API key reads the log with org:read, but sees a record's names and
    changes only for kinds its scopes let it read elsewhere: members
    (members:read), invitations (invitations:write), webhooks
    (webhooks:write); API keys never. What it may not read is null and named
    in `redacted`. Owners and admins (sessions) see everything."""

    HOOK_URL = 'https://93.184.216.34/hook-kept-from-org-read'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.owner = s.signup(name='Redaction Owner', organization_name='Redaction Org')
        cls.org_id = cls.owner['organization']['id']
        cls.token = cls.owner['token']
        o = f'/v1/organizations/{cls.org_id}'
        cls.path = f'{o}/audit-events?limit=200'
        cls.admin_token, cls.admin = s.add_member(cls.org_id, cls.token, role='admin', name='Ada Visible')
        _, cls.member = s.add_member(cls.org_id, cls.token, name='Mel Member')
        assert s.patch(f'{o}/members/{cls.member["id"]}', {'role': 'admin'}, cls.token).status == 200
        cls.pending = f'pending-{os.getpid()}@invitee.example'
        s.invite(cls.org_id, cls.token, cls.pending)
        cls.decliner = f'decliner-{os.getpid()}@invitee.example'
        s.invite(cls.org_id, cls.token, cls.decliner)
        assert s.post(f'/v1/invitations/{s.invitation_token(cls.decliner)}/decline').status in (200, 204)
        r = s.post(f'{o}/webhooks', {'url': cls.HOOK_URL, 'events': ['member.added']}, cls.token)
        assert r.status == 201, r
        assert s.patch(f'{o}/webhooks/{r.json["id"]}', {'url': cls.HOOK_URL + '/v2'}, cls.token).status == 200
        cls.key_name = 'Secretly named key'
        create_api_key(s, cls.org_id, cls.token, ['org:read'], name=cls.key_name)

    def read(self, scopes=None, token=None):
        if scopes is not None:
            token = create_api_key(self.server, self.org_id, self.token, scopes)['secret']
        r = self.server.get(self.path, token)
        self.assertEqual(r.status, 200, r)
        return r

    def of_type(self, items, kind):
        found = [i for i in items if i['target']['type'] == kind]
        self.assertTrue(found, kind)
        return found

    def assertHidden(self, items, kind):
        for item in self.of_type(items, kind):
            self.assertIsNone(item['target']['name'], item)
            self.assertIsNone(item['changes'], item)
            self.assertIn('target.name', item['redacted'], item)

    def assertShown(self, items, kind):
        for item in self.of_type(items, kind):
            self.assertIsNotNone(item['target']['name'], item)
            self.assertNotIn('target.name', item.get('redacted', []), item)

    def test_org_read_alone_sees_no_address_url_name_or_change(self):
        r = self.read(['org:read'])
        for text in (self.pending, self.decliner, self.HOOK_URL, 'Ada Visible', 'Mel Member',
                     'Redaction Owner', self.key_name):
            self.assertNotIn(text, r.body.decode(), text)
        items = r.json['items']
        for kind in ('invitation', 'webhook', 'member', 'api_key'):
            self.assertHidden(items, kind)
        for item in items:
            if item['actor']['kind'] != 'system':
                self.assertIsNone(item['actor']['name'], item)
                self.assertIn('actor.name', item['redacted'], item)
        # The organization's own records are what org:read is for.
        self.assertShown(items, 'organization')
        declined = [i for i in items if i['action'] == 'invitation.declined']
        self.assertEqual(declined[0]['actor']['kind'], 'invitee')

    def test_each_scope_opens_its_own_kind(self):
        items = self.read(['org:read', 'invitations:write']).json['items']
        self.assertShown(items, 'invitation')
        self.assertIn(self.pending, [i['target']['name'] for i in items])
        invitee = [i for i in items if i['actor']['kind'] == 'invitee'][0]
        self.assertEqual(invitee['actor']['name'], self.decliner)
        self.assertHidden(items, 'webhook')
        self.assertHidden(items, 'member')

        items = self.read(['org:read', 'webhooks:write']).json['items']
        self.assertShown(items, 'webhook')
        updated = [i for i in items if i['action'] == 'webhook.updated'][0]
        self.assertEqual(updated['changes']['url'], {'from': self.HOOK_URL, 'to': self.HOOK_URL + '/v2'})
        self.assertHidden(items, 'invitation')

        items = self.read(['org:read', 'members:read']).json['items']
        self.assertShown(items, 'member')
        promoted = [i for i in items if i['action'] == 'member.updated'][0]
        self.assertEqual(promoted['changes']['role'], {'from': 'member', 'to': 'admin'})
        self.assertEqual(promoted['target']['name'], 'Mel Member')
        self.assertEqual({i['actor']['name'] for i in items if i['actor']['kind'] == 'user'},
                         {'Redaction Owner', 'Ada Visible', 'Mel Member'})
        self.assertHidden(items, 'webhook')

        # No scope opens API keys' names to a key.
        self.assertHidden(self.read(list(ALL_SCOPES)).json['items'], 'api_key')

    def test_owners_and_admins_see_everything(self):
        for token in (self.token, self.admin_token):
            r = self.read(token=token)
            for text in (self.pending, self.decliner, self.HOOK_URL, 'Mel Member', self.key_name):
                self.assertIn(text, r.body.decode(), text)
            self.assertFalse([i for i in r.json['items'] if 'redacted' in i])


class AuditChangesTests(ServerTestCase):
    """Each update's record says what changed, from what to what (only the
    fields that differ), and no other record says anything; no secret."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.owner = s.signup(name='Changes Owner')
        cls.org_id = cls.owner['organization']['id']
        cls.token = cls.owner['token']
        cls.o = f'/v1/organizations/{cls.org_id}'

    def newest(self, action):
        r = self.server.get(f'{self.o}/audit-events?action={action}&limit=1', self.token)
        self.assertEqual(r.status, 200, r)
        return r.json['items'][0]

    def test_member_updated(self):
        _, member = self.server.add_member(self.org_id, self.token)
        path = f'{self.o}/members/{member["id"]}'
        self.assertEqual(self.server.patch(path, {'role': 'admin'}, self.token).status, 200)
        self.assertEqual(self.newest('member.updated')['changes'], {'role': {'from': 'member', 'to': 'admin'}})
        r = self.server.patch(path, {'role': 'admin', 'status': 'suspended'}, self.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.newest('member.updated')['changes'],
                         {'status': {'from': 'active', 'to': 'suspended'}})
        # The webhook events' payloads are still the member, nothing more:
        # one per change, each the member as it was then. (Events have no
        # order of their own within a second, so the two are matched as a
        # set.)
        payloads = [json.loads(d) for (d,) in self.server.query(
            "SELECT data FROM events WHERE org_id = ? AND type = 'member.updated'", (self.org_id,))]
        payloads = [p for p in payloads if p['id'] == member['id']]
        for data in payloads:
            self.assertNotIn('changes', data)
        self.assertEqual(sorted((p['role'], p['status']) for p in payloads),
                         [('admin', 'active'), ('admin', 'suspended')])

    def test_organization_updated(self):
        before = self.server.get(self.o, self.token).json
        r = self.server.patch(self.o, {'name': 'Renamed Org'}, self.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.newest('organization.updated')['changes'],
                         {'name': {'from': before['name'], 'to': 'Renamed Org'}})

    def test_plan_changed(self):
        before = self.server.get(f'{self.o}/billing', self.token).json['plan']['id']
        self.assertNotEqual(before, 'pln_team')
        r = self.server.request('PUT', f'{self.o}/billing/plan', {'plan_id': 'pln_team'}, self.token)
        self.assertLess(r.status, 300, r)
        self.assertEqual(self.newest('billing.plan_changed')['changes'],
                         {'plan': {'from': before, 'to': 'pln_team'}})

    def test_webhook_updated_without_secret(self):
        r = self.server.post(f'{self.o}/webhooks', {'url': 'https://93.184.216.34/hook', 'events': ['member.added']},
                             self.token)
        self.assertEqual(r.status, 201, r)
        hook = r.json
        self.assertIsNone(self.newest('webhook.created')['changes'])
        r = self.server.patch(f'{self.o}/webhooks/{hook["id"]}',
                              {'enabled': False, 'events': ['member.added', 'member.removed']}, self.token)
        self.assertEqual(r.status, 200, r)
        item = self.newest('webhook.updated')
        self.assertEqual(item['changes'], {'enabled': {'from': True, 'to': False},
                                           'events': {'from': ['member.added'],
                                                      'to': ['member.added', 'member.removed']}})
        self.assertNotIn('whsec_', json.dumps(item))

    def test_api_key_rotated_without_secret(self):
        key = create_api_key(self.server, self.org_id, self.token, ['org:read'], name='Rotated key')
        r = self.server.post(f'{self.o}/api-keys/{key["id"]}/rotate', {'old_expires_in_seconds': 3600}, self.token)
        self.assertEqual(r.status, 201, r)
        item = self.newest('api_key.rotated')
        self.assertEqual(list(item['changes']), ['expires_at'])
        self.assertIsNone(item['changes']['expires_at']['from'])
        self.assertTrue(item['changes']['expires_at']['to'].endswith('Z'), item)
        self.assertNotIn('qrm_k_', json.dumps(item))
        self.assertNotIn(r.json['secret'], json.dumps(item))

    def test_other_actions_have_none(self):
        items = self.server.get(f'{self.o}/audit-events?action=organization.created', self.token).json['items']
        self.assertEqual([i['changes'] for i in items], [None])

    def test_garbage_in_the_column_is_served_as_null(self):
        """A row whose changes is not an object (written by hand, or by a
        future server) is listed with changes null, not a 500."""
        _, member = self.server.add_member(self.org_id, self.token)
        self.server.patch(f'{self.o}/members/{member["id"]}', {'role': 'admin'}, self.token)
        newest = self.newest('member.updated')
        self.server.execute("UPDATE audit_events SET changes = '[1, 2' WHERE id = ?", (newest['id'],))
        self.assertIsNone(self.newest('member.updated')['changes'])


if __name__ == '__main__':
    main()
