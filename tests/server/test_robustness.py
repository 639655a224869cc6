# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad input gets the right 4xx and the server keeps serving; secrets never
reach the data dir or the log."""

import hashlib
import os
import re

from servertest import DEFAULT_PASSWORD, ServerTestCase, main


class BadInputTests(ServerTestCase):
    def setUp(self):
        self.owner = self.server.signup()
        self.token = self.owner['token']
        self.org = self.owner['organization']['id']

    def tearDown(self):
        # whatever the test sent, the server still serves
        self.assertTrue(self.server.alive())
        self.assertEqual(self.server.get('/health').status, 200)

    def test_malformed_json(self):
        for raw in (b'{', b'not json', b'{"name": }', b'[1, 2', b'', b'\x00\x00', b'{"a":1}garbage'):
            r = self.server.request('POST', '/v1/organizations', raw=raw, token=self.token)
            self.assertProblem(r, 400, 'malformed_json')

    def test_wrong_types(self):
        for raw in (b'[]', b'"string"', b'42', b'null', b'true'):
            r = self.server.request('POST', '/v1/organizations', raw=raw, token=self.token)
            self.assertFieldError(r, 'body', 'invalid_type')
        for value in (1, 1.5, True, [], {}, None):
            r = self.server.post('/v1/organizations', {'name': value}, self.token)
            self.assertProblem(r, 422, 'validation_failed')
        r = self.server.patch(f'/v1/organizations/{self.org}/members/mem_x', {'role': ['admin']}, self.token)
        self.assertFieldError(r, 'role', 'invalid_type')

    def test_invalid_utf8(self):
        r = self.server.request('POST', '/v1/organizations', raw=b'{"name": "\xff\xfe bad"}', token=self.token)
        self.assertProblem(r, 400, 'malformed_json')
        r = self.server.request('POST', '/v1/users', raw=b'{"name":"a\xc3","email":"x@y.example","password":"aaaaaaaaaaaa"}')
        self.assertProblem(r, 400, 'malformed_json')
        r = self.server.get(f'/v1/organizations/{self.org}/members?query=%FF%FE', self.token)
        self.assertFieldError(r, 'query', 'invalid')

    def test_control_characters_in_names(self):
        r = self.server.post('/v1/organizations', {'name': 'Evil\r\nBcc: victim@example.com'}, self.token)
        self.assertFieldError(r, 'name', 'invalid')
        r = self.server.post(f'/v1/organizations/{self.org}/invitations',
                             {'email': 'a@b.example\r\nBcc: c@d.example', 'role': 'member'}, self.token)
        self.assertFieldError(r, 'email', 'invalid_email')

    def test_wrong_content_type(self):
        r = self.server.request('POST', '/v1/organizations', raw=b'name=x', token=self.token,
                                content_type='application/x-www-form-urlencoded')
        self.assertProblem(r, 415, 'unsupported_media_type')

    def test_oversized_bodies(self):
        big = b'{"name": "' + b'x' * (1024 * 1024) + b'"}'
        # declared by Content-Length: refused before the body is read
        status, answer = self.server.raw(
            b'POST /v1/organizations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
            b'Content-Length: 50000000\r\n\r\n')
        self.assertEqual(status, 413)
        self.assertIn(b'"code":"payload_too_large"', answer)
        # chunked: refused after reading
        chunked = (b'POST /v1/organizations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
                   b'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
                   f'{len(big):x}\r\n'.encode() + big + b'\r\n0\r\n\r\n')
        status, answer = self.server.raw(chunked)
        self.assertEqual(status, 413)
        # just under the limit is parsed (and fails validation for the long name)
        ok = b'{"name": "' + b'x' * (1024 * 1024 - 20) + b'"}'
        r = self.server.request('POST', '/v1/organizations', raw=ok, token=self.token)
        self.assertFieldError(r, 'name', 'too_long')

    def test_oversized_headers(self):
        status, _ = self.server.raw(b'GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: ' + b'a' * 20000 +
                                    b'\r\nConnection: close\r\n\r\n')
        self.assertEqual(status, 431)
        r = self.server.get('/v1/me', headers={'Authorization': 'Bearer qrm_s_' + 'a' * 10000})
        self.assertProblem(r, 401, 'unauthenticated')

    def test_unknown_ids_and_odd_paths(self):
        for path in ('/v1/organizations/org_nope', "/v1/organizations/'%20OR%201=1--"):
            self.assertProblem(self.server.get(path, self.token), 404, 'organization_not_found')
        # libsoup itself refuses an encoded NUL or a path climbing out of the root
        for path in ('/v1/organizations/%00', '/v1/organizations/..%2F..'):
            self.assertEqual(self.server.get(path, self.token).status, 400)
        self.assertProblem(self.server.patch(f'/v1/organizations/{self.org}/members/mem_nope', {'role': 'admin'},
                                             self.token), 404, 'member_not_found')
        self.assertProblem(self.server.get('/v1/organizations/x/unknown-thing', self.token), 404, 'not_found')

    def test_sql_looking_strings_are_just_text(self):
        name = "Robert'); DROP TABLE users;--"
        r = self.server.post('/v1/organizations', {'name': name}, self.token)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json['name'], name)
        self.assertEqual(self.server.get(f"/v1/organizations/{r.json['id']}", self.token).json['name'], name)
        r = self.server.post('/v1/sessions', {'email': "' OR 1=1 --@x.example", 'password': "' OR '1'='1"})
        self.assertProblem(r, 401, 'invalid_credentials')
        self.assertEqual(self.server.get('/v1/me', self.token).status, 200)

    def test_huge_numbers_and_deep_nesting(self):
        r = self.server.request('POST', '/v1/organizations', raw=b'{"name": 1e999999}', token=self.token)
        self.assertIn(r.status, (400, 422))
        deep = b'[' * 5000 + b']' * 5000
        r = self.server.request('POST', '/v1/organizations', raw=deep, token=self.token)
        self.assertIn(r.status, (400, 422))


class SecretsTests(ServerTestCase):
    def test_no_secret_in_data_dir_or_log(self):
        s = self.server
        password = 'Sup3r-Secret-Passw0rd'
        owner = s.signup(email='secret-owner@example.com', password=password)
        session = s.post('/v1/sessions', {'email': 'secret-owner@example.com', 'password': password}).json['token']
        org = owner['organization']['id']
        s.invite(org, owner['token'], 'secret-invitee@example.com')
        invite_token = s.invitation_token('secret-invitee@example.com')
        s.get(f'/v1/invitations/{invite_token}')
        s.get(f'/invite/{invite_token}')
        setup = s.post(f'/v1/invitations/{invite_token}/setup', {'name': 'Invitee', 'password': 'Another-Secret-Pw'})
        self.assertEqual(setup.status, 201)
        s.post('/v1/me/password', {'current_password': password, 'new_password': 'Third-Secret-Pw'}, owner['token'])
        # e-mail verification (page and API) and a password reset (page and API)
        verify_token = s.mail_token('secret-owner@example.com', 'verify')
        s.get(f'/verify/{verify_token}')
        s.post(f'/verify/{verify_token}', raw=b'', content_type='application/x-www-form-urlencoded')
        s.post('/v1/email-verifications', {'token': verify_token})
        s.post('/v1/password-resets', {'email': 'secret-invitee@example.com'})
        page_reset_token = s.mail_token('secret-invitee@example.com', 'reset')
        s.get(f'/reset/{page_reset_token}')
        s.post(f'/reset/{page_reset_token}', raw=b'password=Fourth-Secret-Pw&password_confirm=Fourth-Secret-Pw',
               content_type='application/x-www-form-urlencoded')
        s.post('/v1/password-resets', {'email': 'secret-owner@example.com'})
        reset_token = s.mail_token('secret-owner@example.com', 'reset')
        reset = s.post('/v1/password-resets/confirm', {'token': reset_token, 'password': 'Fifth-Secret-Pw'})
        self.assertEqual(reset.status, 200)
        # checkpoint nothing: the WAL and shm files are checked as they are
        sessions = [owner['token'], session, setup.json['token'], reset.json['token']]
        not_in_mail = [password, 'Another-Secret-Pw', 'Third-Secret-Pw', 'Fourth-Secret-Pw', 'Fifth-Secret-Pw']
        not_in_mail += sessions + [t[len('qrm_s_'):] for t in sessions]
        email_tokens = [verify_token, page_reset_token, reset_token]
        secrets = not_in_mail + [invite_token] + email_tokens + [t[len('qrm_v_'):] for t in email_tokens]
        outbox = os.path.join(s.data_dir, 'outbox')
        checked = 0
        for folder, _, files in os.walk(s.data_dir):
            for name in files:
                path = os.path.join(folder, name)
                if folder == outbox:
                    continue  # the e-mail is the one place an invitation, verification or reset token must be
                with open(path, 'rb') as f:
                    data = f.read()
                checked += 1
                for secret in secrets:
                    self.assertNotIn(secret.encode(), data, f'{secret[:8]}… found in {name}')
        self.assertGreaterEqual(checked, 2)  # quorum.db and quorum.db-wal at least
        # the e-mails hold only invitation tokens, never a session token or password
        for text in s.outbox():
            for secret in not_in_mail:
                self.assertNotIn(secret, text)
        log = s.log()
        for secret in secrets:
            self.assertNotIn(secret, log)
        # one log line per request: method, masked path, status, milliseconds
        self.assertRegex(log, r'GET /v1/invitations/\*\*\*\* 200 \d+\.\dms')
        self.assertRegex(log, r'GET /invite/\*\*\*\* 200 \d+\.\dms')
        self.assertRegex(log, r'GET /verify/\*\*\*\* 200 \d+\.\dms')
        self.assertRegex(log, r'POST /verify/\*\*\*\* 200 \d+\.\dms')
        self.assertRegex(log, r'GET /reset/\*\*\*\* 200 \d+\.\dms')
        self.assertRegex(log, r'POST /reset/\*\*\*\* 200 \d+\.\dms')
        self.assertRegex(log, r'POST /v1/users 201 \d+\.\dms')
        # passwords are stored as Argon2id hashes
        import sqlite3
        db = sqlite3.connect(os.path.join(s.data_dir, 'quorum.db'))
        hashes = [row[0] for row in db.execute('SELECT password_hash FROM users')]
        # e-mail tokens as SHA-256 of the whole token, nothing else
        stored = {row[0] for row in db.execute('SELECT token_hash FROM email_tokens')}
        db.close()
        for token in email_tokens:
            self.assertIn(hashlib.sha256(token.encode()).digest(), stored)
        self.assertTrue(all(h.startswith('$argon2id$') for h in hashes), hashes)
        self.assertTrue(re.search(r'\$argon2id\$v=19\$m=\d+,t=\d+', hashes[0]))


if __name__ == '__main__':
    main()
