# SPDX-License-Identifier: GPL-3.0-or-later
import email
import email.policy
import os
import urllib.parse

from servertest import DEFAULT_PASSWORD, QuorumServer, ServerTestCase, main


class InvitationTests(ServerTestCase):
    server_args = ('--public-url', 'https://quorum.example.org/',
                   '--get-app-url', 'https://get.example.net/quorum?from=invite&x=1')

    def setUp(self):
        self.owner = self.server.signup(name='Olivia Owner')
        self.token = self.owner['token']
        self.org = self.owner['organization']['id']
        self.base = f'/v1/organizations/{self.org}/invitations'

    def expire(self, invitation_id):
        self.server.execute('UPDATE invitations SET expires_at = 1000 WHERE id = ?', (invitation_id,))

    def test_create_sends_email_with_both_links(self):
        r = self.server.post(self.base, {'email': ' New.Person@Example.com ', 'role': 'admin'}, self.token)
        self.assertEqual(r.status, 201, r)
        inv = r.json
        self.assertTrue(inv['id'].startswith('inv_'))
        self.assertEqual(inv['email'], 'new.person@example.com')
        self.assertEqual(inv['role'], 'admin')
        self.assertEqual(inv['status'], 'pending')
        self.assertEqual(inv['invited_by'], {'id': self.owner['user']['id'], 'name': 'Olivia Owner'})
        self.assertEqual(inv['send_count'], 1)
        for key in ('created_at', 'expires_at', 'last_sent_at'):
            self.assertRegex(inv[key], r'Z$')
        text = [t for t in self.server.outbox() if 'To: <new.person@example.com>' in t][-1]
        msg = email.message_from_string(text, policy=email.policy.default)
        for header in ('Date', 'From', 'To', 'Subject', 'Message-ID', 'MIME-Version'):
            self.assertIsNotNone(msg[header], header)
        self.assertEqual(msg.get_content_type(), 'text/plain')
        self.assertEqual(msg.get_content_charset(), 'utf-8')
        self.assertIn('Olivia Owner', msg['Subject'])
        body = msg.get_content()
        token = self.server.invitation_token('new.person@example.com')
        self.assertIn(f'https://quorum.example.org/invite/{token}', body)
        self.assertIn(f'quorum://invite/{token}?server=' + urllib.parse.quote('https://quorum.example.org', safe=''), body)
        self.assertGreaterEqual(len(token), 43)
        # no temporary files left behind
        self.assertEqual([n for n in os.listdir(os.path.join(self.server.data_dir, 'outbox')) if not n.endswith('.eml')], [])

    def test_conflicts_and_validation(self):
        self.server.invite(self.org, self.token, 'dup@example.com')
        self.assertProblem(self.server.post(self.base, {'email': 'DUP@example.com', 'role': 'member'}, self.token),
                           409, 'already_invited')
        owner_email = self.owner['user']['email']
        self.assertProblem(self.server.post(self.base, {'email': owner_email, 'role': 'member'}, self.token),
                           409, 'already_member')
        _, member = self.server.add_member(self.org, self.token)
        self.server.patch(f"/v1/organizations/{self.org}/members/{member['id']}", {'status': 'suspended'}, self.token)
        self.assertProblem(self.server.post(self.base, {'email': member['email'], 'role': 'member'}, self.token),
                           409, 'already_member')
        self.assertFieldError(self.server.post(self.base, {'email': 'x@example.com', 'role': 'owner'}, self.token),
                              'role', 'invalid_choice')
        self.assertFieldError(self.server.post(self.base, {'email': 'nope', 'role': 'member'}, self.token),
                              'email', 'invalid_email')
        self.assertFieldError(self.server.post(self.base, {'role': 'member'}, self.token), 'email', 'required')

    def test_list_and_status_filter(self):
        a = self.server.invite(self.org, self.token, 'list-a@example.com')
        b = self.server.invite(self.org, self.token, 'list-b@example.com')
        self.server.delete(f"{self.base}/{b['id']}", token=self.token)
        r = self.server.get(self.base, self.token)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json['total'], len(r.json['items']))
        self.assertIn('next_cursor', r.json)
        by_id = {i['id']: i for i in r.json['items']}
        self.assertEqual(by_id[a['id']]['status'], 'pending')
        self.assertEqual(by_id[b['id']]['status'], 'revoked')
        self.assertEqual([i['id'] for i in self.server.get(self.base + '?status=revoked', self.token).json['items']], [b['id']])
        self.assertNotIn(b['id'], [i['id'] for i in self.server.get(self.base + '?status=pending', self.token).json['items']])
        self.assertFieldError(self.server.get(self.base + '?status=odd', self.token), 'status', 'invalid_choice')

    def test_resend_rotates_token(self):
        inv = self.server.invite(self.org, self.token, 'resend@example.com')
        old = self.server.invitation_token('resend@example.com')
        r = self.server.post(f"{self.base}/{inv['id']}/resend", token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['send_count'], 2)
        new = self.server.invitation_token('resend@example.com')
        self.assertNotEqual(old, new)
        self.assertProblem(self.server.get(f'/v1/invitations/{old}'), 404, 'invitation_not_found')
        self.assertEqual(self.server.get(f'/v1/invitations/{new}').status, 200)
        # an expired invitation can be resent and lives again
        self.expire(inv['id'])
        self.assertProblem(self.server.get(f'/v1/invitations/{new}'), 410, 'invitation_expired')
        self.assertEqual(self.server.get(self.base + '?status=expired', self.token).json['items'][0]['id'], inv['id'])
        r = self.server.post(f"{self.base}/{inv['id']}/resend", token=self.token)
        self.assertEqual(r.json['status'], 'pending')
        self.assertEqual(self.server.get(f"/v1/invitations/{self.server.invitation_token('resend@example.com')}").status, 200)
        self.assertProblem(self.server.post(f'{self.base}/inv_unknown/resend', token=self.token), 404, 'invitation_not_found')

    def test_revoke(self):
        inv = self.server.invite(self.org, self.token, 'revoke@example.com')
        token = self.server.invitation_token('revoke@example.com')
        self.assertEqual(self.server.delete(f"{self.base}/{inv['id']}", token=self.token).status, 204)
        self.assertProblem(self.server.get(f'/v1/invitations/{token}'), 410, 'invitation_revoked')
        self.assertProblem(self.server.post(f'/v1/invitations/{token}/decline'), 410, 'invitation_revoked')
        self.assertProblem(self.server.delete(f"{self.base}/{inv['id']}", token=self.token), 409, 'invitation_not_pending')
        self.assertProblem(self.server.post(f"{self.base}/{inv['id']}/resend", token=self.token), 409, 'invitation_not_pending')
        self.assertProblem(self.server.delete(f'{self.base}/inv_unknown', token=self.token), 404, 'invitation_not_found')

    def test_public_view_and_accept_by_existing_account(self):
        invitee = self.server.signup(email='existing@example.com')
        self.server.verify_email('existing@example.com')
        self.server.invite(self.org, self.token, 'existing@example.com', role='admin')
        token = self.server.invitation_token('existing@example.com')
        r = self.server.get(f'/v1/invitations/{token}')
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['organization']['name'], self.owner['organization']['name'])
        self.assertEqual(r.json['organization']['slug'], self.owner['organization']['slug'])
        self.assertIn('logo_url', r.json['organization'])
        self.assertEqual(r.json['inviter_name'], 'Olivia Owner')
        self.assertEqual(r.json['email'], 'existing@example.com')
        self.assertEqual(r.json['role'], 'admin')
        self.assertTrue(r.json['account_exists'])
        self.assertIn('expires_at', r.json)
        # pending invitations addressed to me
        mine = self.server.get('/v1/me/invitations', invitee['token']).json
        self.assertEqual([i['organization']['id'] for i in mine['items']], [self.org])
        # set-up is for new accounts only
        self.assertProblem(self.server.post(f'/v1/invitations/{token}/setup', {'name': 'X', 'password': DEFAULT_PASSWORD}),
                           409, 'account_exists')
        # accept needs a token, of the right person
        self.assertProblem(self.server.post(f'/v1/invitations/{token}/accept'), 401, 'unauthenticated')
        stranger = self.server.signup()
        self.assertProblem(self.server.post(f'/v1/invitations/{token}/accept', token=stranger['token']), 403, 'email_mismatch')
        r = self.server.post(f'/v1/invitations/{token}/accept', token=invitee['token'])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['organization']['id'], self.org)
        self.assertEqual(r.json['organization']['role'], 'admin')
        self.assertEqual(r.json['member']['role'], 'admin')
        self.assertEqual(r.json['member']['email'], 'existing@example.com')
        # single use
        self.assertProblem(self.server.post(f'/v1/invitations/{token}/accept', token=invitee['token']), 410, 'invitation_used')
        self.assertProblem(self.server.get(f'/v1/invitations/{token}'), 410, 'invitation_used')
        self.assertEqual(self.server.get('/v1/me/invitations', invitee['token']).json['items'], [])

    def test_setup_creates_account(self):
        self.server.invite(self.org, self.token, 'brand.new@example.com')
        token = self.server.invitation_token('brand.new@example.com')
        self.assertFalse(self.server.get(f'/v1/invitations/{token}').json['account_exists'])
        self.assertFieldError(self.server.post(f'/v1/invitations/{token}/setup', {'name': 'B', 'password': 'short'}),
                              'password', 'too_short')
        r = self.server.post(f'/v1/invitations/{token}/setup', {'name': 'Brand New', 'password': DEFAULT_PASSWORD})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json['user']['email'], 'brand.new@example.com')
        self.assertEqual(r.json['organization']['role'], 'member')
        self.assertEqual(self.server.get(f'/v1/organizations/{self.org}', r.json['token']).status, 200)
        self.assertEqual(self.server.post('/v1/sessions', {'email': 'brand.new@example.com',
                                                           'password': DEFAULT_PASSWORD}).status, 201)
        self.assertProblem(self.server.post(f'/v1/invitations/{token}/setup', {'name': 'Again', 'password': DEFAULT_PASSWORD}),
                           410, 'invitation_used')

    def test_decline_and_unknown_tokens(self):
        inv = self.server.invite(self.org, self.token, 'decliner@example.com')
        token = self.server.invitation_token('decliner@example.com')
        self.assertEqual(self.server.post(f'/v1/invitations/{token}/decline').status, 204)
        self.assertProblem(self.server.get(f'/v1/invitations/{token}'), 410, 'invitation_used')
        listed = {i['id']: i for i in self.server.get(self.base, self.token).json['items']}
        self.assertEqual(listed[inv['id']]['status'], 'declined')
        for bad in ('A' * 43, 'short', '..%2F..%2Fetc', "x' OR '1'='1"):
            self.assertProblem(self.server.get('/v1/invitations/' + urllib.parse.quote(bad)), 404, 'invitation_not_found')

    def test_invite_page(self):
        self.server.signup(name='<script>alert(1)</script>', organization_name='Bad <b>Org</b>')
        s = self.server.signup(name='Tom & Jerry', organization_name='Cats <&> Mice')
        self.server.invite(s['organization']['id'], s['token'], 'page@example.com', role='admin')
        token = self.server.invitation_token('page@example.com')
        r = self.server.get(f'/invite/{token}')
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers['content-type'].startswith('text/html'))
        html = r.body.decode()
        self.assertIn('Cats &lt;&amp;&gt; Mice', html)
        self.assertIn('Tom &amp; Jerry', html)
        self.assertIn('an admin', html)
        self.assertIn('Already have Quorum?', html)
        self.assertIn('Open in Quorum', html)
        self.assertIn(f'href="quorum://invite/{token}?server=https%3A%2F%2Fquorum.example.org"', html)
        # the Get Quorum link is --get-app-url, escaped for the attribute
        self.assertIn('<a href="https://get.example.net/quorum?from=invite&amp;x=1">Get Quorum</a>', html)
        self.assertNotIn('<&>', html)
        # never framed, like every HTML page
        csp = r.headers['content-security-policy']
        for directive in ("default-src 'none'", "frame-ancestors 'none'"):
            self.assertIn(directive, csp)
        self.assertEqual(r.headers['x-frame-options'], 'DENY')
        dead = self.server.get('/invite/' + 'B' * 43)
        self.assertEqual(dead.status, 404)
        self.assertIn('not valid', dead.body.decode())
        self.server.post(f'/v1/invitations/{token}/decline')
        used = self.server.get(f'/invite/{token}')
        self.assertEqual(used.status, 410)
        self.assertNotIn('Open in Quorum', used.body.decode())

    def test_expired_link_cannot_be_accepted(self):
        invitee = self.server.signup(email='late@example.com')
        self.server.verify_email('late@example.com')
        inv = self.server.invite(self.org, self.token, 'late@example.com')
        token = self.server.invitation_token('late@example.com')
        self.expire(inv['id'])
        self.assertProblem(self.server.post(f'/v1/invitations/{token}/accept', token=invitee['token']),
                           410, 'invitation_expired')
        self.assertNotIn(self.org, [o['id'] for o in self.server.get('/v1/organizations', invitee['token']).json['items']])

    def test_expired_link_cannot_set_up_an_account(self):
        inv = self.server.invite(self.org, self.token, 'late.new@example.com')
        token = self.server.invitation_token('late.new@example.com')
        self.expire(inv['id'])
        self.assertProblem(self.server.post(f'/v1/invitations/{token}/setup',
                                            {'name': 'Late New', 'password': DEFAULT_PASSWORD}),
                           410, 'invitation_expired')
        self.assertEqual(self.server.post('/v1/sessions', {'email': 'late.new@example.com',
                                                           'password': DEFAULT_PASSWORD}).status, 401)
        page = self.server.get(f'/invite/{token}')
        self.assertEqual(page.status, 410)
        self.assertIn('expired', page.body.decode())

    def test_tokens_masked_in_log_on_any_spelling_of_the_path(self):
        self.server.invite(self.org, self.token, 'masked@example.com')
        token = self.server.invitation_token('masked@example.com')
        session = self.token
        paths = [f'//invite/{token}', f'/./invite/{token}', f'/%2Finvite/{token}',
                 f'/invite%2F{token}', f'/x/../invite/{token}', f'//v1//invitations/{token}',
                 f'/v1/invitations//{token}/decline', f'/v1/./invitations/{token}',
                 f'/%76%31/invitations/{token}', f'/verify/{token}', f'//reset/{token}',
                 f'/invite/%0d%0a{token}', f'/anything/{session}']
        for path in paths:
            status, _ = self.server.raw(f'GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'.encode())
            self.assertIsNotNone(status, path)
        log = self.server.wait_for_log('GET /anything/**** ')
        self.assertNotIn(token, log)
        self.assertNotIn(session, log)
        self.assertIn('GET /invite/**** 404', log)
        self.assertIn('GET /v1/invitations/**** ', log)
        self.assertIn('GET /v1/invitations/****/decline ', log)
        self.assertIn('GET /verify/**** ', log)
        self.assertIn('GET /reset/**** ', log)
        # Still useful: ids are not tokens.
        r = self.server.get(f'{self.base}?status=pending', self.token)
        inv_id = r.json['items'][0]['id']
        self.server.get(f'{self.base}/{inv_id}', self.token)
        self.server.wait_for_log(f'/invitations/{inv_id} ')

    def test_accept_and_decline_by_id_from_my_invitations(self):
        invitee = self.server.signup(email='by-id@example.com')
        self.server.verify_email('by-id@example.com')
        other_owner = self.server.signup(organization_name='Second Org')
        inv = self.server.invite(self.org, self.token, 'by-id@example.com', role='admin')
        inv2 = self.server.invite(other_owner['organization']['id'], other_owner['token'], 'by-id@example.com')
        mine = self.server.get('/v1/me/invitations', invitee['token']).json
        self.assertEqual({i['id'] for i in mine['items']}, {inv['id'], inv2['id']})
        self.assertEqual(mine['total'], 2)
        self.assertIsNone(mine['next_cursor'])
        item = [i for i in mine['items'] if i['id'] == inv['id']][0]
        self.assertEqual(item['organization']['id'], self.org)
        self.assertEqual(item['role'], 'admin')
        # someone else cannot use the id
        stranger = self.server.signup()
        self.server.verify_email(stranger['user']['email'])
        self.assertProblem(self.server.post(f"/v1/me/invitations/{inv['id']}/accept", token=stranger['token']),
                           404, 'invitation_not_found')
        self.assertProblem(self.server.post(f"/v1/me/invitations/{inv['id']}/accept"), 401, 'unauthenticated')
        r = self.server.post(f"/v1/me/invitations/{inv['id']}/accept", token=invitee['token'])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['organization']['role'], 'admin')
        self.assertEqual(r.json['member']['email'], 'by-id@example.com')
        self.assertProblem(self.server.post(f"/v1/me/invitations/{inv['id']}/accept", token=invitee['token']),
                           410, 'invitation_used')
        self.assertEqual(self.server.post(f"/v1/me/invitations/{inv2['id']}/decline", token=invitee['token']).status, 204)
        self.assertProblem(self.server.post(f"/v1/me/invitations/{inv2['id']}/decline", token=invitee['token']),
                           410, 'invitation_used')
        self.assertEqual(self.server.get('/v1/me/invitations', invitee['token']).json['items'], [])

    def test_invitation_list_pages_newest_first(self):
        owner = self.server.signup()
        org, token = owner['organization']['id'], owner['token']
        created = [self.server.invite(org, token, f'page{i}@example.com')['id'] for i in range(7)]
        seen, cursor, pages = [], None, 0
        while pages < 10:
            r = self.server.get(f'/v1/organizations/{org}/invitations?limit=3' +
                                (f'&cursor={cursor}' if cursor else ''), token)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json['total'], 7)
            seen += [i['id'] for i in r.json['items']]
            pages += 1
            cursor = r.json['next_cursor']
            if cursor is None:
                break
        self.assertEqual(pages, 3)
        self.assertEqual(sorted(seen), sorted(created))
        self.assertEqual(len(set(seen)), 7)
        stamps = [i['created_at'] for i in self.server.all_items(f'/v1/organizations/{org}/invitations', token)]
        self.assertEqual(stamps, sorted(stamps, reverse=True))
        self.assertFieldError(self.server.get(f'/v1/organizations/{org}/invitations?cursor=bogus', token), 'cursor', 'invalid')
        self.assertFieldError(self.server.get(f'/v1/organizations/{org}/invitations?limit=0', token), 'limit', 'invalid')

    def test_idempotency_key(self):
        body = {'email': 'idem@example.com', 'role': 'member'}
        first = self.server.post(self.base, body, self.token, headers={'Idempotency-Key': 'key-1'})
        self.assertEqual(first.status, 201)
        again = self.server.post(self.base, body, self.token, headers={'Idempotency-Key': 'key-1'})
        self.assertEqual(again.status, 201)
        self.assertEqual(again.json, first.json)
        self.assertEqual(len([t for t in self.server.outbox() if 'To: <idem@example.com>' in t]), 1)
        other = self.server.post(self.base, {'email': 'idem2@example.com', 'role': 'member'}, self.token,
                                 headers={'Idempotency-Key': 'key-1'})
        self.assertProblem(other, 409, 'idempotency_key_reused')
        self.assertFieldError(self.server.post(self.base, body, self.token, headers={'Idempotency-Key': 'x' * 256}),
                              'Idempotency-Key', 'invalid')
        # without the key, the same body is a real second attempt
        self.assertProblem(self.server.post(self.base, body, self.token), 409, 'already_invited')


class SeatLimitTests(ServerTestCase):
    def test_no_seat_limit_without_plans(self):
        owner = self.server.signup()
        for i in range(30):
            self.server.invite(owner['organization']['id'], owner['token'], f'seat{i}@example.com')



class InvitePageDateTests(ServerTestCase):
    """The expiry date on /invite is the UTC date in English, whatever the
    server's time zone and locale (UTC+14 and German here)."""

    @classmethod
    def setUpClass(cls):
        saved = {k: os.environ.get(k) for k in ('TZ', 'LC_ALL')}
        os.environ['TZ'] = 'Pacific/Kiritimati'
        os.environ['LC_ALL'] = 'de_DE.UTF-8'
        try:
            super().setUpClass()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    def test_expiry_date_in_words(self):
        owner = self.server.signup()
        inv = self.server.invite(owner['organization']['id'], owner['token'], 'when@example.com')
        token = self.server.invitation_token('when@example.com')
        # 2026-12-13 23:30 UTC (already the 14th at UTC+14), then 2027-03-01 00:00 UTC
        for expires_at, words in ((1797204600, '13 December 2026'), (1803859200, '1 March 2027')):
            self.server.execute('UPDATE invitations SET expires_at = ? WHERE id = ?', (expires_at, inv['id']))
            html = self.server.get(f'/invite/{token}').body.decode()
            self.assertIn(f'<p>This invitation expires on {words}.</p>', html)
        # without --get-app-url, Get Quorum is the app's homepage (the metainfo's)
        self.assertIn('<a href="https://quorumdesk.org">Get Quorum</a>', html)


if __name__ == '__main__':
    main()
