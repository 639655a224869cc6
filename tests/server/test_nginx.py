# SPDX-License-Identifier: GPL-3.0-or-later
"""The nginx configuration docs/server.md gives ("Operating on PostgreSQL",
"nginx"), run as written -- only the ports, the certificate and the paths a
test's nginx needs are filled in -- in front of two instances on one
PostgreSQL database (of the test process's throw-away cluster, whatever
QUORUM_TEST_STORE says), each started as the docs say (--trusted-proxy
127.0.0.1). Clients connect from 127.0.0.2 and 127.0.0.3, as two machines
would."""
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from servertest import DEFAULT_PASSWORD, SOURCE_ROOT, QuorumServer, main
import quorum_postgres  # after servertest, which puts tests/common on the path

NGINX = shutil.which('nginx') or ('/usr/sbin/nginx' if os.access('/usr/sbin/nginx', os.X_OK) else None)


def documented_config():
    """The nginx block of docs/server.md, as written."""
    with open(os.path.join(SOURCE_ROOT, 'docs', 'server.md'), encoding='utf-8') as f:
        text = f.read()
    return text[text.index('### nginx'):].split('```nginx\n', 1)[1].split('```', 1)[0]


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def fill_in(config, replacements):
    for old, new in replacements:
        if old not in config:
            raise AssertionError(f'docs/server.md\'s nginx config no longer has {old!r}: update this test')
        config = config.replace(old, new)
    return config


@unittest.skipUnless(NGINX, 'nginx is not installed (tools/install-deps test installs it)')
class NginxTests(unittest.TestCase):
    def setUp(self):
        cluster = quorum_postgres.cluster()
        database = cluster.create_database()
        self.addCleanup(cluster.drop_database, database)
        url = cluster.url(database)
        self.instances = []
        for _ in range(2):
            server = QuorumServer('--database', url, '--trusted-proxy', '127.0.0.1', '--signin-rate-limit', '3',
                                  '--signin-client-limit', '0', '--auth-rate-limit', '0', rate_limits=True)
            self.addCleanup(server.close)
            self.instances.append(server)

        # nginx's workers run as nobody when the test runs as root: they
        # must reach the directory (temporary files of request bodies).
        self.dir = tempfile.mkdtemp(prefix='quorum-nginx-test-')
        self.addCleanup(shutil.rmtree, self.dir, True)
        os.chmod(self.dir, 0o755)
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
                        '-subj', '/CN=quorum.example.org', '-keyout', os.path.join(self.dir, 'key.pem'),
                        '-out', os.path.join(self.dir, 'cert.pem')], check=True, capture_output=True)
        self.port = free_port()
        first, second = (s.url.rsplit(':', 1)[1] for s in self.instances)
        site = fill_in(documented_config(), [
            ('server 127.0.0.1:8081 ', f'server 127.0.0.1:{first} '),
            ('server 127.0.0.1:8082 ', f'server 127.0.0.1:{second} '),
            ('listen 443 ssl http2;', f'listen 127.0.0.1:{self.port} ssl http2;'),
            ('# ssl_certificate …; ssl_certificate_key …;',
             f'ssl_certificate {self.dir}/cert.pem; ssl_certificate_key {self.dir}/key.pem;'),
        ])
        with open(os.path.join(self.dir, 'quorum.conf'), 'w', encoding='utf-8') as f:
            f.write(site)
        paths = ' '.join(f'{kind}_temp_path {self.dir}/{kind};'
                         for kind in ('client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'))
        with open(os.path.join(self.dir, 'nginx.conf'), 'w', encoding='utf-8') as f:
            f.write(f'daemon off;\npid {self.dir}/nginx.pid;\nerror_log {self.dir}/error.log;\nevents {{}}\n'
                    f'http {{\n  access_log off;\n  {paths}\n  include {self.dir}/quorum.conf;\n}}\n')
        self.nginx = subprocess.Popen([NGINX, '-p', self.dir, '-c', os.path.join(self.dir, 'nginx.conf'),
                                       '-e', os.path.join(self.dir, 'error.log')],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.addCleanup(self.stop_nginx)
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(('127.0.0.1', self.port), timeout=1).close()
                break
            except OSError:
                if self.nginx.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f'nginx did not start: {self.nginx.stderr.read()}')
                time.sleep(0.05)

    def stop_nginx(self):
        if self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait()
        self.nginx.stderr.close()

    def request(self, method, path, body=None, client='127.0.0.2', headers=None):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection('127.0.0.1', self.port, context=context, timeout=30,
                                                 source_address=(client, 0))
        try:
            data = json.dumps(body).encode() if body is not None else None
            connection.request(method, path, body=data,
                               headers={'Content-Type': 'application/json', **(headers or {})})
            response = connection.getresponse()
            payload = response.read()
            return response.status, response.getheader('Content-Type'), payload
        finally:
            connection.close()

    def sign_up(self, email):
        status, _, payload = self.request('POST', '/v1/users', {'name': 'Owner', 'email': email,
                                                                'password': DEFAULT_PASSWORD})
        self.assertEqual(status, 201, payload)

    def sign_in(self, email, password, client='127.0.0.2', headers=None):
        return self.request('POST', '/v1/sessions', {'email': email, 'password': password}, client, headers)[0]

    def test_served_through_nginx_with_the_servers_own_errors(self):
        status, _, payload = self.request('GET', '/health')
        self.assertEqual((status, json.loads(payload)['status']), (200, 'ok'))
        self.sign_up('through@example.com')
        self.assertEqual(self.sign_in('through@example.com', DEFAULT_PASSWORD), 201)
        # A body past the server's cap: its 413 problem document, not
        # nginx's HTML page.
        status, kind, payload = self.request('POST', '/v1/sessions',
                                             {'email': 'through@example.com', 'password': 'x' * (2 << 20)})
        self.assertEqual((status, kind), (413, 'application/problem+json'), payload[:200])

    def test_clients_behind_nginx_are_counted_apart(self):
        self.sign_up('owner@example.com')
        # A stranger guesses, writing other addresses into X-Forwarded-For.
        for i in range(3):
            self.assertEqual(self.sign_in('owner@example.com', 'a guess',
                                          headers={'X-Forwarded-For': f'203.0.113.{i}'}), 401)
        self.assertEqual(self.sign_in('owner@example.com', DEFAULT_PASSWORD), 429)
        # The owner, on another machine, is not held back.
        self.assertEqual(self.sign_in('owner@example.com', DEFAULT_PASSWORD, client='127.0.0.3'), 201)

    def test_the_other_instance_serves_when_one_dies(self):
        self.sign_up('failover@example.com')
        first = self.instances[0]
        first.process.kill()
        first.process.wait()
        status, _, _ = self.request('GET', '/health')
        self.assertEqual(status, 200)
        self.assertEqual(self.sign_in('failover@example.com', DEFAULT_PASSWORD, client='127.0.0.3'), 201)


if __name__ == '__main__':
    main()
