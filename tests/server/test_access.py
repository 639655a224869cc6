# SPDX-License-Identifier: GPL-3.0-or-later
"""Access reviews: last activity (throttled writes), the inactive filter and
the sort by last activity of the members list."""
import calendar
import os
import sqlite3
import time
import urllib.parse

from servertest import ServerTestCase, main

DAY = 86400


def rfc3339(t):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t))


def parse(text):
    return calendar.timegm(time.strptime(text, '%Y-%m-%dT%H:%M:%SZ'))


class LastActiveTests(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        owner = s.signup(name='Owner Person', organization_name='Review Inc')
        cls.token, cls.org = owner['token'], owner['organization']['id']
        cls.people = {}
        for name, role in (('Never Seen', 'member'), ('Old Timer', 'admin'), ('Recent Visitor', 'member'),
                           ('Fresh Face', 'member'), ('Stale Sam', 'member'), ('Sus Pended', 'member')):
            cls.people[name] = s.add_member(cls.org, cls.token, role=role, name=name)
        s.patch(f"/v1/organizations/{cls.org}/members/{cls.people['Sus Pended'][1]['id']}",
                {'status': 'suspended'}, cls.token)
        # States the API cannot make (days pass), written while the server is
        # stopped, so that its in-memory index is built from them.
        s.stop()
        now = int(time.time())
        cls.now = now
        cls.set_at = {'Never Seen': None, 'Old Timer': now - 200 * DAY, 'Recent Visitor': now - 10 * DAY,
                      'Fresh Face': now - 240, 'Stale Sam': now - 400, 'Sus Pended': now - 100 * DAY}
        for name, value in cls.set_at.items():
            s.execute('UPDATE members SET last_active_at = ? WHERE id = ?', (value, cls.people[name][1]['id']))
        s.start()

    def members(self, query=''):
        r = self.server.get(f'/v1/organizations/{self.org}/members{query}', self.token)
        self.assertEqual(r.status, 200, r)
        return r

    def names(self, query=''):
        return [m['name'] for m in self.members(query).json['items']]

    def by_name(self):
        return {m['name']: m for m in self.members('?limit=200').json['items']}

    def test_never_active_is_null_and_values_are_rfc3339(self):
        members = self.by_name()
        self.assertIsNone(members['Never Seen']['last_active_at'])
        self.assertEqual(members['Old Timer']['last_active_at'], rfc3339(self.set_at['Old Timer']))
        got = self.server.get(f"/v1/organizations/{self.org}/members/{self.people['Never Seen'][1]['id']}",
                              self.token)
        self.assertIsNone(got.json['last_active_at'])

    def test_inactive_filter_and_sort(self):
        never, old, recent = 'Never Seen', 'Old Timer', 'Recent Visitor'
        r = self.members('?inactive_days=90')
        self.assertEqual(sorted(m['name'] for m in r.json['items']), sorted([never, old, 'Sus Pended']))
        self.assertEqual(r.json['total'], 3)
        # the default order still holds: active by name, then suspended
        self.assertEqual(self.names('?inactive_days=90'), [never, old, 'Sus Pended'])
        self.assertEqual(self.names('?inactive_days=5&sort=last_active'), [never, old, 'Sus Pended', recent])
        # combined with the other filters
        self.assertEqual(self.names('?inactive_days=90&role=admin'), [old])
        self.assertEqual(self.names('?inactive_days=90&status=suspended'), ['Sus Pended'])
        self.assertEqual(self.names('?inactive_days=90&status=active&sort=last_active'), [never, old])
        self.assertEqual(self.names('?inactive_days=5&query=' + urllib.parse.quote('VISIT')), [recent])
        self.assertEqual(self.names('?inactive_days=3650&query=old'), [])
        # the whole list by last activity: never first, then the longest inactive
        everyone = self.members('?sort=last_active&limit=200').json['items']
        self.assertEqual([m['name'] for m in everyone[:4]], [never, old, 'Sus Pended', recent])
        stamps = [parse(m['last_active_at']) for m in everyone[1:]]
        self.assertEqual(stamps, sorted(stamps))
        # paging by cursor in that order, with a filter: the same members, each once
        seen, cursor, pages = [], None, 0
        while pages < 10:
            q = '?sort=last_active&inactive_days=5&limit=1' + (f'&cursor={urllib.parse.quote(cursor)}' if cursor else '')
            r = self.members(q)
            self.assertEqual(r.json['total'], 4)
            seen += [m['name'] for m in r.json['items']]
            pages += 1
            cursor = r.json['next_cursor']
            if cursor is None:
                break
        self.assertEqual(seen, [never, old, 'Sus Pended', recent])
        # unfiltered paging by last activity walks the whole list
        seen, cursor = [], None
        for _ in range(20):
            r = self.members('?sort=last_active&limit=2' + (f'&cursor={urllib.parse.quote(cursor)}' if cursor else ''))
            seen += [m['id'] for m in r.json['items']]
            cursor = r.json['next_cursor']
            if cursor is None:
                break
        self.assertEqual(seen, [m['id'] for m in everyone])

    def test_using_the_organization_moves_a_member(self):
        # Old Timer comes back: out of the inactive filter, to the end of the order,
        # at once (the index follows the write).
        token = self.people['Old Timer'][0]
        self.assertEqual(self.server.get(f'/v1/organizations/{self.org}', token).status, 200)
        self.assertNotIn('Old Timer', self.names('?inactive_days=90'))
        order = self.names('?sort=last_active&limit=200')
        self.assertGreater(order.index('Old Timer'), order.index('Fresh Face'))
        self.assertGreaterEqual(parse(self.by_name()['Old Timer']['last_active_at']), self.now)

    def test_validation(self):
        for bad in ('0', '3651', '99999999999999999999'):
            self.assertFieldError(self.server.get(f'/v1/organizations/{self.org}/members?inactive_days={bad}',
                                                  self.token), 'inactive_days', 'out_of_range')
        for bad in ('abc', '1.5', '-1', '%20'):
            self.assertFieldError(self.server.get(f'/v1/organizations/{self.org}/members?inactive_days={bad}',
                                                  self.token), 'inactive_days')
        self.assertEqual(self.members('?inactive_days=3650').status, 200)
        self.assertEqual(self.names('?inactive_days='), self.names())  # empty: no filter, like query
        self.assertFieldError(self.server.get(f'/v1/organizations/{self.org}/members?sort=joined', self.token),
                              'sort', 'invalid_choice')
        self.assertEqual(self.names('?sort=name'), self.names())
        # a cursor of one order is not taken by the other
        by_name = self.members('?limit=1').json['next_cursor']
        by_active = self.members('?limit=1&sort=last_active').json['next_cursor']
        self.assertFieldError(self.server.get(f'/v1/organizations/{self.org}/members?sort=last_active&cursor='
                                              + urllib.parse.quote(by_name), self.token), 'cursor', 'invalid')
        self.assertFieldError(self.server.get(f'/v1/organizations/{self.org}/members?cursor='
                                              + urllib.parse.quote(by_active), self.token), 'cursor', 'invalid')

    def test_writes_are_throttled_and_survive_restart(self):
        s = self.server
        db = sqlite3.connect(f'file:{os.path.join(s.data_dir, "quorum.db")}?mode=ro', uri=True, timeout=10)

        def version():
            # PRAGMA data_version moves when another connection (the server) commits.
            return db.execute('PRAGMA data_version').fetchone()[0]

        def stored(name):
            return db.execute('SELECT last_active_at FROM members WHERE id = ?',
                              (self.people[name][1]['id'],)).fetchone()[0]

        try:
            token = self.people['Stale Sam'][0]
            path = f'/v1/organizations/{self.org}'
            v0 = version()
            self.assertEqual(s.get(path, token).status, 200)
            v1 = version()
            self.assertNotEqual(v1, v0, 'a member last active more than 5 minutes ago is written')
            written = stored('Stale Sam')
            self.assertGreater(written, self.set_at['Stale Sam'])
            # quick succession: no second write
            for p in (path, path + '/members', path + '/members?inactive_days=1'):
                self.assertEqual(s.get(p, token).status, 200)
            self.assertEqual(version(), v1, 'requests within 5 minutes of the last write wrote again')
            self.assertEqual(stored('Stale Sam'), written)
            # active 4 minutes ago: a read stays a read
            fresh = self.people['Fresh Face'][0]
            self.assertEqual(s.get(path, fresh).status, 200)
            self.assertEqual(version(), v1)
            self.assertEqual(stored('Fresh Face'), self.set_at['Fresh Face'])
        finally:
            db.close()
        s.restart()
        members = self.by_name()
        self.assertEqual(members['Stale Sam']['last_active_at'], rfc3339(written))
        self.assertEqual(members['Fresh Face']['last_active_at'], rfc3339(self.set_at['Fresh Face']))


if __name__ == '__main__':
    main()
