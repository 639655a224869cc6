# SPDX-License-Identifier: GPL-3.0-or-later
"""--smtp: invitation e-mails also go to an SMTP relay, best effort."""

import socket
import socketserver
import threading

from servertest import QuorumServer, ServerTestCase, main, poll_until


class FakeRelay(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(('127.0.0.1', 0), RelayHandler)
        self.messages = []


class RelayHandler(socketserver.StreamRequestHandler):
    def handle(self):
        envelope = {'rcpt': [], 'data': ''}
        self.wfile.write(b'220 fake relay\r\n')
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode().strip()
            upper = cmd.upper()
            if upper.startswith(('HELO', 'EHLO')):
                self.wfile.write(b'250 hello\r\n')
            elif upper.startswith('MAIL FROM:'):
                envelope['from'] = cmd[10:]
                self.wfile.write(b'250 ok\r\n')
            elif upper.startswith('RCPT TO:'):
                envelope['rcpt'].append(cmd[8:])
                self.wfile.write(b'250 ok\r\n')
            elif upper == 'DATA':
                self.wfile.write(b'354 go ahead\r\n')
                data = []
                while True:
                    l = self.rfile.readline().decode()
                    if l in ('.\r\n', '.\n', ''):
                        break
                    data.append(l[1:] if l.startswith('..') else l)
                envelope['data'] = ''.join(data)
                self.server.messages.append(envelope)
                self.wfile.write(b'250 queued\r\n')
            elif upper == 'QUIT':
                self.wfile.write(b'221 bye\r\n')
                return
            else:
                self.wfile.write(b'502 no\r\n')


class SmtpTests(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.relay = FakeRelay()
        threading.Thread(target=cls.relay.serve_forever, daemon=True).start()
        cls.server = QuorumServer('--smtp', f'127.0.0.1:{cls.relay.server_address[1]}')

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.relay.shutdown()
        cls.relay.server_close()

    def test_invitation_is_relayed(self):
        owner = self.server.signup(name='Mailer')
        inv = self.server.invite(owner['organization']['id'], owner['token'], 'relayed@example.com')
        relayed = lambda: [m for m in self.relay.messages if m['rcpt'] == ['<relayed@example.com>']]  # noqa: E731
        self.assertTrue(poll_until(relayed, 10, interval=0.02), 'nothing relayed')
        message = relayed()[0]
        token = self.server.invitation_token('relayed@example.com')
        self.assertIn(f'/invite/{token}', message['data'])
        self.assertIn(f'quorum://invite/{token}?server=', message['data'])
        self.assertIn('Subject: Mailer invited you', message['data'])
        # the outbox copy is the same e-mail
        self.assertEqual(self.server.outbox()[-1].replace('\r\n', '\n'), message['data'].replace('\r\n', '\n'))
        self.assertTrue(poll_until(lambda: f"smtp: invitation {inv['id']} relayed" in self.server.log(), 10,
                                   interval=0.02))
        self.assertNotIn(token, self.server.log())


class DeadRelayTests(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        # a port nobody listens on
        sock = socket.socket()
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
        sock.close()
        cls.server = QuorumServer('--smtp', f'127.0.0.1:{port}')

    def test_dead_relay_does_not_block_invitations(self):
        owner = self.server.signup()
        inv = self.server.invite(owner['organization']['id'], owner['token'], 'unrelayed@example.com')
        self.assertEqual(inv['status'], 'pending')
        self.assertEqual(len([t for t in self.server.outbox() if 'To: <unrelayed@example.com>' in t]), 1)
        self.assertTrue(poll_until(lambda: f"smtp: invitation {inv['id']} not relayed" in self.server.log(), 10,
                                   interval=0.02))


if __name__ == '__main__':
    main()
