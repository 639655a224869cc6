# SPDX-License-Identifier: GPL-3.0-or-later
"""A small HTTP/1.1 fault proxy for tests: listens on a free loopback port,
forwards to a real quorum-server, and can be switched at run time between

  pass       forward every request and answer as they are
  hang       take the request and never answer (the connection stays open)
  delay N    forward, but hold each answer back N seconds
  garbage    answer 200 with a body that is not JSON (nothing reaches the server)
  close      reset the connection (RST) instead of answering

The mode is looked at for each request, so keep-alive connections the client
already has follow a switch too. When the server cannot be reached the proxy
resets the client's connection, as a refused connection would end it.

In a Python test:

    proxy = FaultProxy(server.host, server.port)   # starts listening
    proxy.set_mode('delay', 3)
    ...
    proxy.close()

As a process (for C tests):

    python3 quorum_fault_proxy.py --upstream 127.0.0.1:PORT --control FILE

prints "quorum-fault-proxy listening on http://127.0.0.1:PORT" on its first
line, then reads its mode from FILE ("pass", "hang", "delay 3", "garbage",
"close") each time it gets SIGUSR1.
"""

import argparse
import os
import random
import select
import signal
import socket
import struct
import sys
import threading
import time

MODES = ('pass', 'hang', 'delay', 'garbage', 'close')

GARBAGE_BODIES = (
    b'{"items": oops, "next_cursor": null',
    b'<html><body>502 Bad Gateway</body></html>',
    b'\x00\xff\xfe garbage \x80\x81',
)


class _Closed(Exception):
    pass


def _reset(sock):
    """Closes sock with a TCP reset, as a crashed peer would."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class _Reader:
    """Buffered reads of HTTP/1.1 messages from a socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b''

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise _Closed()
        self.buf += chunk

    def until(self, marker):
        while marker not in self.buf:
            self._fill()
        end = self.buf.index(marker) + len(marker)
        out, self.buf = self.buf[:end], self.buf[end:]
        return out

    def exactly(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def rest(self):
        """Everything until the peer closes."""
        try:
            while True:
                self._fill()
        except (_Closed, OSError):
            pass
        out, self.buf = self.buf, b''
        return out

    def head(self):
        """(raw head bytes, first line, {lower-case name: value})."""
        raw = self.until(b'\r\n\r\n')
        lines = raw.decode('latin-1').split('\r\n')
        headers = {}
        for line in lines[1:]:
            if ':' in line:
                name, value = line.split(':', 1)
                headers[name.strip().lower()] = value.strip()
        return raw, lines[0], headers

    def body(self, headers, until_close=False):
        """The body's raw bytes as framed by headers (chunked or
        Content-Length; until close when neither and until_close)."""
        if 'chunked' in headers.get('transfer-encoding', '').lower():
            out = b''
            while True:
                size_line = self.until(b'\r\n')
                out += size_line
                size = int(size_line.split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    out += self.until(b'\r\n')  # no trailers from our server
                    return out
                out += self.exactly(size + 2)
        if 'content-length' in headers:
            return self.exactly(int(headers['content-length']))
        return self.rest() if until_close else b''


class FaultProxy:
    def __init__(self, upstream_host, upstream_port, mode='pass', delay=0.0):
        self.upstream = (upstream_host, upstream_port)
        self._lock = threading.Lock()
        self._mode = mode
        self._delay = float(delay)
        self._changed = threading.Condition(self._lock)
        self._clients = set()
        self._closing = False
        self.requests = []  # (mode, request line) of every request met
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen(64)
        self.host, self.port = self.listener.getsockname()
        self.url = f'http://{self.host}:{self.port}'
        self._thread = threading.Thread(target=self._accept_loop, name='fault-proxy', daemon=True)
        self._thread.start()

    # -- control ----------------------------------------------------------

    @property
    def mode(self):
        with self._lock:
            return self._mode

    def set_mode(self, mode, delay=None):
        """Switches every later request (and those hanging now, when the mode
        leaves 'hang': they are forwarded then)."""
        if mode not in MODES:
            raise ValueError(f'unknown mode {mode!r}')
        with self._lock:
            self._mode = mode
            if delay is not None:
                self._delay = float(delay)
            elif mode == 'delay' and self._delay <= 0:
                self._delay = 3.0
            self._changed.notify_all()

    def set_upstream(self, host, port):
        with self._lock:
            self.upstream = (host, port)

    def close(self):
        with self._lock:
            self._closing = True
            self._changed.notify_all()
            clients = list(self._clients)
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        for sock in clients:
            _reset(sock)
        self._thread.join(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- serving ----------------------------------------------------------

    def _accept_loop(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self._lock:
                if self._closing:
                    _reset(client)
                    return
                self._clients.add(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _wait_while_hanging(self):
        """Blocks while the mode is 'hang'; returns (mode, delay) after."""
        with self._lock:
            while self._mode == 'hang' and not self._closing:
                self._changed.wait()
            if self._closing:
                raise _Closed()
            return self._mode, self._delay

    def _serve(self, client):
        upstream = None
        up_reader = None
        reader = _Reader(client)
        try:
            while True:
                raw_head, request_line, headers = reader.head()
                body = reader.body(headers)
                with self._lock:
                    mode = self._mode
                    self.requests.append((mode, request_line))
                mode, delay = self._wait_while_hanging()
                if mode == 'close':
                    _reset(client)
                    return
                if mode == 'garbage':
                    payload = random.choice(GARBAGE_BODIES)
                    client.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n'
                                   b'Content-Length: %d\r\n\r\n' % len(payload) + payload)
                    continue
                if upstream is None:
                    try:
                        upstream = socket.create_connection(self.upstream, timeout=None)
                    except OSError:
                        _reset(client)  # refused: the client meets a closed connection
                        return
                    up_reader = _Reader(upstream)
                upstream.sendall(raw_head + body)
                raw, status_line, up_headers = up_reader.head()
                parts = status_line.split(' ')
                status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
                method = request_line.split(' ', 1)[0]
                no_body = method == 'HEAD' or status in (204, 304) or 100 <= status < 200
                answer = raw + (b'' if no_body else up_reader.body(up_headers, until_close=True))
                if mode == 'delay' and delay > 0:
                    time.sleep(delay)
                client.sendall(answer)
                if up_headers.get('connection', '').lower() == 'close':
                    _reset(upstream)
                    upstream = None
        except (_Closed, OSError, ValueError, IndexError):
            pass
        finally:
            with self._lock:
                self._clients.discard(client)
            for sock in (client, upstream):
                if sock is not None:
                    try:
                        sock.close()
                    except OSError:
                        pass


def _main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--upstream', required=True, help='HOST:PORT of the real server')
    parser.add_argument('--control', help='file holding the mode, read again on SIGUSR1')
    parser.add_argument('--mode', default='pass')
    args = parser.parse_args()
    host, port = args.upstream.rsplit(':', 1)
    words = args.mode.split()
    proxy = FaultProxy(host, int(port), words[0], float(words[1]) if len(words) > 1 else 0.0)

    def reread(*_):
        if args.control and os.path.exists(args.control):
            with open(args.control, encoding='utf-8') as f:
                words = f.read().split()
            if words:
                proxy.set_mode(words[0], float(words[1]) if len(words) > 1 else None)

    signal.signal(signal.SIGUSR1, reread)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f'quorum-fault-proxy listening on {proxy.url}', flush=True)
    try:
        while True:
            select.select([], [], [], 3600)
    finally:
        proxy.close()


if __name__ == '__main__':
    _main()
