# SPDX-License-Identifier: GPL-3.0-or-later
"""The client's address behind a reverse proxy (--trusted-proxy): what the
per-address limits count. Without the option every request through a proxy
comes from the proxy's address, and X-Forwarded-For, which any client can
write, is never read."""
from servertest import DEFAULT_PASSWORD, QuorumServer, ServerTestCase, main, run_server_command

LIMIT_ARGS = ('--signin-rate-limit', '3', '--signin-client-limit', '0', '--auth-rate-limit', '0')


class ProxyTestCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = QuorumServer(*cls.server_args, rate_limits=True)

    def sign_in(self, email, password, forwarded_for):
        return self.server.post('/v1/sessions', {'email': email, 'password': password},
                                headers={'X-Forwarded-For': forwarded_for})


class TrustedProxyTests(ProxyTestCase):
    # The test client connects from 127.0.0.1: it plays the proxy.
    server_args = LIMIT_ARGS + ('--trusted-proxy', '10.0.0.0/8,127.0.0.1')

    def test_a_strangers_failures_do_not_hold_back_the_owner(self):
        self.server.signup(email='owner@example.com')
        for _ in range(3):
            self.assertProblem(self.sign_in('owner@example.com', 'a guess', '198.51.100.1'), 401, 'invalid_credentials')
        # The stranger is held back, the right password or not...
        self.assertProblem(self.sign_in('owner@example.com', DEFAULT_PASSWORD, '198.51.100.1'), 429, 'rate_limited')
        # ...the owner, elsewhere behind the same proxy, is not.
        self.assertEqual(self.sign_in('owner@example.com', DEFAULT_PASSWORD, '198.51.100.2').status, 201)

    def test_a_client_cannot_choose_its_address(self):
        # Whatever a client writes into the header, the proxy appends the
        # address it came from, and that is the one counted.
        self.server.signup(email='target@example.com')
        for spoofed in ('203.0.113.1', '203.0.113.2', 'garbage'):
            self.assertProblem(self.sign_in('target@example.com', 'a guess', f'{spoofed}, 198.51.100.3'),
                               401, 'invalid_credentials')
        self.assertProblem(self.sign_in('target@example.com', DEFAULT_PASSWORD, '203.0.113.4, 198.51.100.3'),
                           429, 'rate_limited')

    def test_through_two_trusted_proxies(self):
        self.server.signup(email='chain@example.com')
        for _ in range(3):
            self.assertProblem(self.sign_in('chain@example.com', 'a guess', '198.51.100.5, 10.1.2.3'),
                               401, 'invalid_credentials')
        self.assertProblem(self.sign_in('chain@example.com', DEFAULT_PASSWORD, '198.51.100.5, 10.9.9.9'),
                           429, 'rate_limited')
        self.assertEqual(self.sign_in('chain@example.com', DEFAULT_PASSWORD, '198.51.100.6, 10.1.2.3').status, 201)


class UntrustedForwardedForTests(ProxyTestCase):
    server_args = LIMIT_ARGS

    def test_the_header_is_ignored_without_the_option(self):
        self.server.signup(email='plain@example.com')
        for i in range(3):
            self.assertProblem(self.sign_in('plain@example.com', 'a guess', f'198.51.100.{10 + i}'),
                               401, 'invalid_credentials')
        self.assertProblem(self.sign_in('plain@example.com', DEFAULT_PASSWORD, '198.51.100.20'), 429, 'rate_limited')


class OptionTests(ServerTestCase):
    def test_bad_values_refused(self):
        for value in ('nonsense', '10.0.0.0/33', '', '127.0.0.1,example.org'):
            r = run_server_command('--port', '0', '--data-dir', self.server.data_dir, '--trusted-proxy', value)
            self.assertEqual(r.returncode, 2, (value, r.stderr))
            self.assertIn('--trusted-proxy', r.stderr)


if __name__ == '__main__':
    main()
