# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad input gets the right 4xx and the server keeps serving; secrets never
reach the data dir or the log."""

import hashlib
import os
import re
import select
import socket
import time

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
        self.assertFieldError(r, 'name', 'invalid_characters')
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
        # chunked: refused as soon as the bytes read pass the limit
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

    def test_disguising_characters_in_every_name(self):
        """Bidi overrides, isolates, marks, line separators and C0/C1 controls
        are refused in every human-readable field, with the field named."""
        s = self.server
        member_token, _ = s.add_member(self.org, self.token)
        s.invite(self.org, self.token, f'disguise-{os.getpid()}@example.com')
        invite_token = s.invitation_token(f'disguise-{os.getpid()}@example.com')
        bad_names = ['Mallory\u202e nimdA', '\u2066Mallory\u2069', 'Mallory\u200f', 'Mallory\u2028(Owner)',
                     'Mallory\u2029', 'Mallory\u0085', 'Mallory\u009b', 'Mallory\x7f', 'Mallory\u061c']
        for bad in bad_names:
            with self.subTest(name=bad):
                n = s._counter = s._counter + 1
                signup = {'name': bad, 'email': f'bidi{n}-{os.getpid()}@example.com', 'password': DEFAULT_PASSWORD}
                self.assertFieldError(s.post('/v1/users', signup), 'name', 'invalid_characters')
                signup = dict(signup, name='Fine', organization_name=bad)
                self.assertFieldError(s.post('/v1/users', signup), 'organization_name', 'invalid_characters')
                self.assertFieldError(s.patch('/v1/me', {'name': bad}, member_token), 'name', 'invalid_characters')
                self.assertFieldError(s.post('/v1/organizations', {'name': bad}, self.token),
                                      'name', 'invalid_characters')
                self.assertFieldError(s.patch(f'/v1/organizations/{self.org}', {'name': bad}, self.token),
                                      'name', 'invalid_characters')
                self.assertFieldError(s.post(f'/v1/invitations/{invite_token}/setup',
                                             {'name': bad, 'password': DEFAULT_PASSWORD}),
                                      'name', 'invalid_characters')
                r = s.post(f'/v1/organizations/{self.org}/invitations',
                           {'email': f'x{bad}@example.com', 'role': 'member'}, self.token)
                self.assertFieldError(r, 'email', 'invalid_email')
        # nothing was stored: the names are unchanged
        self.assertEqual(s.get('/v1/me', member_token).json['name'].startswith('Member'), True)
        # right-to-left names need no marks and stay welcome, and so do joiners
        for good in ('\u05d0\u05d3\u05d4', '\u0639\u0644\u064a', '\U0001f469\u200d\U0001f4bb Ada'):
            r = s.patch('/v1/me', {'name': good}, member_token)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json['name'], good)

    def test_nul_is_refused_not_cut(self):
        """A \\u0000 escape used to cut the string short silently: "Ada\\u0000
        (admin)" was stored as "Ada"."""
        r = self.server.request('POST', '/v1/organizations', raw=b'{"name": "Acme\\u0000 Evil"}',
                                token=self.token)
        self.assertFieldError(r, 'body', 'invalid_characters')
        raw = (b'{"name": "Ada\\u0000", "email": "nul-%d@example.com", "password": "%s"}'
               % (os.getpid(), DEFAULT_PASSWORD.encode()))
        self.assertFieldError(self.server.request('POST', '/v1/users', raw=raw), 'body', 'invalid_characters')
        # a password with NUL would be cut to its first characters: refused too
        raw = b'{"email": "x@example.com", "password": "abc\\u0000defghijklmn"}'
        self.assertFieldError(self.server.request('POST', '/v1/sessions', raw=raw), 'body', 'invalid_characters')
        # an escaped backslash followed by "u0000" is ordinary text
        r = self.server.request('POST', '/v1/organizations', raw=b'{"name": "Acme \\\\u0000"}',
                                token=self.token)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json['name'], 'Acme \\u0000')

    def test_million_brackets_do_not_crash(self):
        """1,000,000 nested '[' used to exhaust json-glib's stack and kill the
        server; the depth guard refuses them before parsing."""
        deep = b'[' * 1000000
        for path in ('/v1/sessions', '/v1/users'):
            r = self.server.request('POST', path, raw=deep)
            self.assertProblem(r, 400, 'malformed_json')
            self.assertIn('nested deeper than 64', r.json['detail'])
        deep = b'{"name": ' + b'[' * 64 + b']' * 64 + b'}'
        r = self.server.request('POST', '/v1/organizations', raw=deep, token=self.token)
        self.assertProblem(r, 400, 'malformed_json')
        # 64 levels in all is still JSON, read as usual
        ok = b'{"name": ' + b'[' * 63 + b']' * 63 + b'}'
        self.assertFieldError(self.server.request('POST', '/v1/organizations', raw=ok, token=self.token),
                              'name', 'invalid_type')

    def test_huge_numbers_and_deep_nesting(self):
        r = self.server.request('POST', '/v1/organizations', raw=b'{"name": 1e999999}', token=self.token)
        self.assertIn(r.status, (400, 422))
        deep = b'[' * 5000 + b']' * 5000
        r = self.server.request('POST', '/v1/organizations', raw=deep, token=self.token)
        self.assertIn(r.status, (400, 422))


def vm_kib(pid, field):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise AssertionError(f'no {field} for {pid}')


class StreamingBodyTests(ServerTestCase):
    """The size limit holds while a body streams in: a hostile client that
    sends a huge chunked body gets 413 long before it is done, and the server
    never holds more than the limit."""

    def hostile_upload(self, head, total, chunk_size=64 * 1024):
        """Streams `total` bytes of chunked body after `head`, reading as it
        goes; returns (status or None, bytes of body sent before the answer)."""
        sock = socket.create_connection((self.server.host, self.server.port), timeout=10)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        chunk = f'{chunk_size:x}\r\n'.encode() + b'[' * chunk_size + b'\r\n'
        answer, sent = b'', 0
        try:
            sock.sendall(head)
            while sent < total:
                readable, writable, _ = select.select([sock], [sock], [], 10)
                if readable:
                    data = sock.recv(65536)
                    answer += data
                    if not data or b'\r\n\r\n' in answer:
                        break
                    continue
                if not writable:
                    break
                sock.sendall(chunk)
                sent += chunk_size
            deadline = time.monotonic() + 5
            while b'\r\n\r\n' not in answer and time.monotonic() < deadline:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
        except (ConnectionResetError, BrokenPipeError, socket.timeout):
            pass
        finally:
            sock.close()
        status = int(answer[9:12]) if answer.startswith(b'HTTP/1.1 ') else None
        return status, sent, answer

    def test_huge_chunked_body_is_cut_off_while_streaming(self):
        pid = self.server.process.pid
        owner = self.server.signup()
        org = owner['organization']['id']
        rss_before = vm_kib(pid, 'VmRSS')
        total = 200 * 1024 * 1024
        routes = [
            ('POST', '/v1/sessions', ''),  # no account needed
            ('POST', '/v1/users', ''),
            ('PATCH', f'/v1/organizations/{org}', f'Authorization: Bearer {owner["token"]}\r\n'),
            ('DELETE', '/v1/sessions/current', ''),  # a route that reads no body
            ('PUT', f'/v1/organizations/{org}/logo', f'Authorization: Bearer {owner["token"]}\r\n'),
        ]
        for method, path, extra in routes:
            with self.subTest(path=path):
                ctype = 'image/png' if path.endswith('/logo') else 'application/json'
                head = (f'{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\n{extra}'
                        'Transfer-Encoding: chunked\r\n\r\n').encode()
                status, sent, answer = self.hostile_upload(head, total)
                self.assertEqual(status, 413, answer[:300])
                self.assertIn(b'"code":"payload_too_large"', answer)
                # the answer came while the client was still sending, within
                # the limit plus what sockets buffer, far from 200 MiB
                self.assertLess(sent, 24 * 1024 * 1024, f'{sent} bytes sent before the 413')
        self.assertTrue(self.server.alive())
        self.assertEqual(self.server.get('/health').status, 200)
        # at most the limit was held at a time, never the 200 MiB of each body
        peak = vm_kib(pid, 'VmHWM')
        self.assertLess(peak - rss_before, 32 * 1024, f'VmHWM {peak} KiB, VmRSS before {rss_before} KiB')
        self.server.wait_for_log('POST /v1/sessions 413')

    def test_bodies_under_the_limit_still_arrive_chunked(self):
        owner = self.server.signup()
        body = b'{"name": "Chunked Org"}'
        chunked = (b'POST /v1/organizations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
                   b'Authorization: Bearer ' + owner['token'].encode() + b'\r\n'
                   b'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
                   b''.join(b'%x\r\n%s\r\n' % (1, body[i:i + 1]) for i in range(len(body))) + b'0\r\n\r\n')
        status, answer = self.server.raw(chunked)
        self.assertEqual(status, 201, answer)
        self.assertIn(b'"name":"Chunked Org"', answer)
        # the logo route has its own, larger limit: 1.5 MiB is read (and
        # refused as an image, not for its size), 1.5 MiB of JSON is not
        org = owner['organization']['id']
        blob = b'\x89PNG' + b'\0' * (1536 * 1024)
        for path, ctype, expected in ((f'/v1/organizations/{org}/logo', 'image/png', 422),
                                      (f'/v1/organizations/{org}', 'application/json', 413)):
            method = 'PUT' if path.endswith('/logo') else 'PATCH'
            request = (f'{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\n'
                       f'Authorization: Bearer {owner["token"]}\r\n'
                       'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n').encode()
            request += f'{len(blob):x}\r\n'.encode() + blob + b'\r\n0\r\n\r\n'
            status, answer = self.server.raw(request)
            self.assertEqual(status, expected, answer[:300])


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
        stored = []  # (name, bytes) of everything the server keeps but the e-mails
        for folder, _, files in os.walk(s.data_dir):
            for name in files:
                if folder == outbox:
                    continue  # the e-mail is the one place an invitation, verification or reset token must be
                with open(os.path.join(folder, name), 'rb') as f:
                    stored.append((name, f.read()))
        dump = s.database_dump()
        if dump is None:
            self.assertGreaterEqual(len(stored), 2)  # quorum.db and quorum.db-wal at least
        else:
            # PostgreSQL: the database is not in the data dir; its every row
            # as pg_dump writes them (text as it is, bytea as \x and hex).
            self.assertIn(b'COPY public.users ', dump)
            stored.append(('pg_dump', dump))
        for name, data in stored:
            for secret in secrets:
                self.assertNotIn(secret.encode(), data, f'{secret[:8]}… found in {name}')
                if dump is not None:
                    self.assertNotIn(secret.encode().hex().encode(), data, f'{secret[:8]}… found in {name}')
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
        hashes = [row[0] for row in s.query('SELECT password_hash FROM users')]
        # e-mail tokens as SHA-256 of the whole token, nothing else
        token_hashes = {row[0] for row in s.query('SELECT token_hash FROM email_tokens')}
        for token in email_tokens:
            self.assertIn(hashlib.sha256(token.encode()).digest(), token_hashes)
        self.assertTrue(all(h.startswith('$argon2id$') for h in hashes), hashes)
        self.assertTrue(re.search(r'\$argon2id\$v=19\$m=\d+,t=\d+', hashes[0]))


if __name__ == '__main__':
    main()
