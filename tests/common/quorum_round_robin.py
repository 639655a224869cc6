# SPDX-License-Identifier: GPL-3.0-or-later
"""Requests spread over several quorum-server instances in turn, as a load
balancer in front of them would (issue 17: instances on one database).

An instance that refuses connections (nothing listens: killed) is skipped
from then on. When an instance does not answer (refused, or the connection
reset or closed first), a request that may be sent again (retry=True: it
carries an Idempotency-Key, or only reads) goes to the next instance; any
other gets no answer (None), since whether it was applied is unknown. Thread-safe: tests drive it from
many threads at once."""

import http.client
import itertools
import threading


class Answer:
    """A request's outcome: the Response (None when no instance answered),
    the instance that answered, and the instances that failed to."""

    def __init__(self, response, server, failed):
        self.response, self.server, self.failed = response, server, failed

    @property
    def status(self):
        return self.response.status if self.response is not None else None

    @property
    def json(self):
        return self.response.json

    def __repr__(self):
        return f'<Answer {self.response!r} from {self.server.port if self.server else None}>'


class RoundRobin:
    def __init__(self, servers):
        self.servers = list(servers)
        self._turn = itertools.count()
        self._lock = threading.Lock()
        self._down = set()

    def _next(self, skip):
        with self._lock:
            alive = [s for s in self.servers if id(s) not in self._down and s not in skip]
            if not alive:
                return None
            return alive[next(self._turn) % len(alive)]

    def mark_down(self, server):
        with self._lock:
            self._down.add(id(server))

    def request(self, method, path, body=None, token=None, headers=None, retry=False, server=None):
        """server: this instance first (as a client pinned to it would)."""
        failed = []
        while True:
            target = server if server is not None and not failed else self._next(failed)
            if target is None:
                return Answer(None, None, failed)
            try:
                return Answer(target.request(method, path, body, token, headers=headers), target, failed)
            except ConnectionRefusedError:
                # Nothing listens there any more.
                failed.append(target)
                self.mark_down(target)
                if not retry:
                    return Answer(None, None, failed)
            except (OSError, http.client.HTTPException):
                # Reset or closed before the answer: the instance died with
                # it, or turned the connection away (a blocked instance's
                # listen backlog is short).
                failed.append(target)
                if not retry:
                    return Answer(None, None, failed)

    def get(self, path, token=None, **kw):
        return self.request('GET', path, token=token, retry=True, **kw)

    def post(self, path, body=None, token=None, **kw):
        return self.request('POST', path, body, token, **kw)

    def patch(self, path, body=None, token=None, **kw):
        return self.request('PATCH', path, body, token, **kw)

    def delete(self, path, body=None, token=None, **kw):
        return self.request('DELETE', path, body, token, **kw)
