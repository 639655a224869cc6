# SPDX-License-Identifier: GPL-3.0-or-later
"""Answers longer than 1 KiB go gzipped to clients that send
Accept-Encoding: gzip (the app's SoupSession does), with Vary:
Accept-Encoding; short answers and clients that do not take gzip get the
bytes as they are (quorum-server-http.c)."""

from servertest import ServerTestCase, main


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


if __name__ == '__main__':
    main()
