# SPDX-License-Identifier: GPL-3.0-or-later
"""Answers longer than 1 KiB go gzipped to clients that send
Accept-Encoding: gzip (the app's SoupSession does), with Vary:
Accept-Encoding; short answers and clients that do not take gzip get the
bytes as they are (quorum-server-http.c). An answer that carries a secret
(a session token, an API key, a webhook signing secret) is never
compressed, whatever its length (BREACH)."""

from servertest import ALL_SCOPES, ServerTestCase, create_api_key, main


class CompressionTests(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        owner = cls.server.signup()
        cls.token = owner['token']
        cls.org = owner['organization']['id']
        for _ in range(12):
            cls.server.add_member(cls.org, cls.token)
        cls.path = f'/v1/organizations/{cls.org}/members'

    def get(self, path, accept=None):
        headers = {'Accept-Encoding': accept} if accept is not None else {}
        r = self.server.get(path, self.token, headers=headers)
        self.assertEqual(r.status, 200, r)
        return r

    def test_large_answer_gzipped_when_asked(self):
        plain = self.get(self.path)
        self.assertGreater(len(plain.body), 1024)
        self.assertNotIn('content-encoding', plain.headers)
        self.assertIn('Accept-Encoding', plain.headers.get('vary', ''))
        for accept in ('gzip', 'gzip, deflate', 'br;q=1.0, GZIP;q=0.5', '*;q=0.1, gzip'):
            with self.subTest(accept=accept):
                r = self.get(self.path, accept)
                self.assertEqual(r.headers.get('content-encoding'), 'gzip', r.headers)
                self.assertIn('Accept-Encoding', r.headers.get('vary', ''))
                self.assertEqual(r.headers.get('content-type'), 'application/json')
                self.assertEqual(int(r.headers['content-length']), len(r.wire_body))
                self.assertLess(len(r.wire_body), len(plain.body) / 3)
                self.assertEqual(r.json, plain.json)

    def test_not_gzipped_unless_taken(self):
        for accept in ('gzip;q=0', 'deflate', 'br', 'identity', ''):
            with self.subTest(accept=accept):
                r = self.get(self.path, accept)
                self.assertNotIn('content-encoding', r.headers)
                self.assertEqual(r.body, r.wire_body)
                self.assertEqual(r.json['total'], 13)

    def test_short_answer_never_gzipped(self):
        r = self.get(f'/v1/organizations/{self.org}', 'gzip')
        self.assertLess(len(r.body), 1024)
        self.assertNotIn('content-encoding', r.headers)
        self.assertNotIn('vary', r.headers)
        r = self.get('/health', 'gzip')
        self.assertNotIn('content-encoding', r.headers)

    def test_problem_documents_too(self):
        r = self.server.get(self.path + '?query=' + 'x' * 201 + '&role=nobody&status=maybe&limit=0',
                            self.token, headers={'Accept-Encoding': 'gzip'})
        self.assertProblem(r, 422, 'validation_failed')


# A name of 80 characters (the Names rules' cap) of 3 bytes each: answers
# naming it grow past QS_GZIP_MIN_SIZE where their fields allow it.
LONG_NAME = '\U0001F600' * 80
GZIP = {'Accept-Encoding': 'gzip'}


def long_email(tag):
    """An address of 251 bytes (the cap is 254)."""
    return f'{tag:p<64}@{"d" * 63}.{"d" * 63}.{"d" * 50}.example'


class SecretAnswerTests(ServerTestCase):
    """Every answer that holds a secret, asked for with Accept-Encoding: gzip
    and padded past 1 KiB with text the caller chose where its fields allow
    (webhooks: a long URL; keys: all scopes and a long name; sign-up: long
    names and address), is sent uncompressed."""
    server_args = ('--allow-insecure-webhooks',)

    def assertPlain(self, r, status, secret_field, padded=True):
        self.assertEqual(r.status, status, r)
        self.assertIn(secret_field, r.json)
        self.assertNotIn('content-encoding', r.headers)
        self.assertEqual(r.body, r.wire_body)
        if padded:
            # Long enough that any other answer would have been gzipped.
            self.assertGreater(len(r.body), 1024)

    def setUp(self):
        self.email = long_email(f'{self._testMethodName[5:25]}-{id(self)}')
        r = self.server.post('/v1/users', {'name': LONG_NAME, 'email': self.email,
                                           'password': 'correct horse 1',
                                           'organization_name': LONG_NAME}, headers=GZIP)
        self.assertPlain(r, 201, 'token')
        self.signup = r.json
        self.token = r.json['token']
        self.org = r.json['organization']['id']

    def test_control_a_long_answer_without_secret_is_gzipped(self):
        # What the tests below would see if the rule broke: a webhook's GET,
        # the same object as its creation's answer without the secret.
        r = self.server.post(f'/v1/organizations/{self.org}/webhooks',
                             {'url': 'http://127.0.0.1:9/' + 'a' * 1500, 'events': ['member.added']},
                             self.token, headers=GZIP)
        self.assertPlain(r, 201, 'secret')
        got = self.server.get(f'/v1/organizations/{self.org}/webhooks/{r.json["id"]}', self.token, headers=GZIP)
        self.assertEqual(got.headers.get('content-encoding'), 'gzip', got.headers)

    def test_webhook_create_and_roll_secret(self):
        path = f'/v1/organizations/{self.org}/webhooks'
        r = self.server.post(path, {'url': 'http://127.0.0.1:9/' + 'a' * 1500, 'events': ['member.added'],
                                    'description': LONG_NAME}, self.token, headers=GZIP)
        self.assertPlain(r, 201, 'secret')
        r = self.server.post(f'{path}/{r.json["id"]}/roll-secret', None, self.token, headers=GZIP)
        self.assertPlain(r, 200, 'secret')

    def test_api_key_create_and_rotate(self):
        path = f'/v1/organizations/{self.org}/api-keys'
        r = self.server.post(path, {'name': LONG_NAME, 'scopes': list(ALL_SCOPES)}, self.token, headers=GZIP)
        self.assertPlain(r, 201, 'secret')
        r = self.server.post(f'{path}/{r.json["id"]}/rotate', {'old_expires_in_seconds': 0}, self.token,
                             headers=GZIP)
        self.assertPlain(r, 201, 'secret')

    def test_sessions(self):
        # A user and a token stay under 1 KiB (80 characters, 254 bytes):
        # these check the header, the padded ones above the rule.
        r = self.server.post('/v1/sessions', {'email': self.email, 'password': 'correct horse 1'}, headers=GZIP)
        self.assertPlain(r, 201, 'token', padded=False)
        # A password reset's confirmation answers a session too.
        self.assertEqual(self.server.post('/v1/password-resets', {'email': self.email}).status, 202)
        reset = self.server.mail_token(self.email, 'reset')
        r = self.server.post('/v1/password-resets/confirm', {'token': reset, 'password': 'correct horse 2'},
                             headers=GZIP)
        self.assertPlain(r, 200, 'token', padded=False)

    def test_invitation_setup(self):
        invited = long_email(f'invited-{id(self)}')
        self.server.invite(self.org, self.token, invited)
        r = self.server.post(f'/v1/invitations/{self.server.invitation_token(invited)}/setup',
                             {'name': LONG_NAME, 'password': 'correct horse 1'}, headers=GZIP)
        self.assertPlain(r, 201, 'token')


if __name__ == '__main__':
    main()
