# SPDX-License-Identifier: GPL-3.0-or-later
"""Access reviews: last activity (throttled writes), the inactive filter and
the sort by last activity of the members list, and the members export (CSV,
streamed)."""
import calendar
import csv
import http.client
import io
import time
import urllib.parse

from servertest import ServerTestCase, WriteCounter, create_api_key, main, wait_until, without_asan_quarantine

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

        def stored(name):
            return s.query('SELECT last_active_at FROM members WHERE id = ?', (self.people[name][1]['id'],))[0][0]

        token = self.people['Stale Sam'][0]
        path = f'/v1/organizations/{self.org}'
        counter = WriteCounter(s)
        try:
            self.assertEqual(s.get(path, token).status, 200)
            self.assertTrue(counter.wrote(), 'a member last active more than 5 minutes ago is written')
        finally:
            counter.close()
        written = stored('Stale Sam')
        self.assertGreater(written, self.set_at['Stale Sam'])
        # quick succession: no second write
        counter = WriteCounter(s)
        try:
            for p in (path, path + '/members', path + '/members?inactive_days=1'):
                self.assertEqual(s.get(p, token).status, 200)
            self.assertFalse(counter.wrote(), 'requests within 5 minutes of the last write wrote again')
            # active 4 minutes ago: a read stays a read
            self.assertEqual(s.get(path, self.people['Fresh Face'][0]).status, 200)
            self.assertFalse(counter.wrote(), 'a member active 4 minutes ago was written')
        finally:
            counter.close()
        self.assertEqual(stored('Stale Sam'), written)
        self.assertEqual(stored('Fresh Face'), self.set_at['Fresh Face'])
        s.restart()
        members = self.by_name()
        self.assertEqual(members['Stale Sam']['last_active_at'], rfc3339(written))
        self.assertEqual(members['Fresh Face']['last_active_at'], rfc3339(self.set_at['Fresh Face']))

    def test_api_key_counts_for_its_creator(self):
        # An admin creates a key and is not seen for 10 days; the key's
        # requests make its creator active again (once per 5 minutes).
        s = self.server
        maker_token, maker = s.add_member(self.org, self.token, role='admin', name='Key Maker')
        key = create_api_key(s, self.org, maker_token, ['members:read'])
        s.execute('UPDATE members SET last_active_at = ? WHERE id = ?', (self.now - 10 * DAY, maker['id']))
        s.restart()  # the index is built from the table
        try:
            self.assertIn('Key Maker', self.names('?inactive_days=5'))
            counter = WriteCounter(s)
            try:
                self.assertEqual(s.get(f'/v1/organizations/{self.org}/members', key['secret']).status, 200)
                self.assertTrue(counter.wrote())
            finally:
                counter.close()
            self.assertNotIn('Key Maker', self.names('?inactive_days=5'))
            self.assertGreaterEqual(parse(self.by_name()['Key Maker']['last_active_at']), self.now)
        finally:
            s.delete(f"/v1/organizations/{self.org}/members/{maker['id']}", token=self.token)

HEADER = ['name', 'email', 'role', 'status', 'joined_at', 'last_active_at']


class ExportTests(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        owner = s.signup(name='Export Owner', organization_name='Export Inc')
        cls.token, cls.org = owner['token'], owner['organization']['id']
        cls.slug = owner['organization']['slug']
        cls.people = {}
        for name, role in (('Comma, Carla', 'member'), ('Quote "Q" Quinn', 'admin'), ('=SUM(A1:A9)', 'member'),
                           ('+Plus Person', 'member'), ('-Minus Person', 'member'), ('@At Person', 'member'),
                           ('Plain Paula', 'member'), ('Émile Ünïcode', 'member')):
            cls.people[name] = s.add_member(cls.org, cls.token, role=role, name=name)
        s.patch(f"/v1/organizations/{cls.org}/members/{cls.people['Plain Paula'][1]['id']}",
                {'status': 'suspended'}, cls.token)
        # Names the API refuses today but older rows may hold: line breaks and
        # a leading tab or CR. Written behind the server's back; the export
        # reads names from the table.
        for uid, name in ((cls.people['Comma, Carla'][1]['user_id'], 'Comma, Carla\nSecond line'),
                          (cls.people['@At Person'][1]['user_id'], '\tTab Person'),
                          (cls.people['Émile Ünïcode'][1]['user_id'], '\rCR Émile Ünïcode')):
            s.execute('UPDATE users SET name = ? WHERE id = ?', (name, uid))

    def export(self, query='', token=None):
        return self.server.get(f'/v1/organizations/{self.org}/members/export{query}', token or self.token)

    def rows(self, response):
        self.assertEqual(response.status, 200, response)
        text = response.body.decode('utf-8')
        rows = list(csv.reader(io.StringIO(text, newline='')))
        self.assertEqual(rows[0], HEADER)
        return rows[1:]

    def listed(self, query=''):
        sep = '&' if query else '?'
        r = self.server.get(f'/v1/organizations/{self.org}/members{query}{sep}limit=200', self.token)
        self.assertEqual(r.status, 200, r)
        return r.json['items']

    def test_headers_and_line_ends(self):
        r = self.export()
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers['content-type'], 'text/csv; charset=utf-8; header=present')
        self.assertEqual(r.headers['content-disposition'], f'attachment; filename="{self.slug}-members.csv"')
        self.assertEqual(r.headers.get('transfer-encoding'), 'chunked')
        self.assertEqual(r.headers['cache-control'], 'no-store')
        self.assertTrue(r.body.startswith(b'name,email,role,status,joined_at,last_active_at\r\n'))
        self.assertTrue(r.body.endswith(b'\r\n'))
        # every record ends in CRLF; a bare LF appears only inside a quoted name
        self.assertEqual(r.body.count(b'\r\n'), len(self.listed()) + 1)
        head = self.server.request('HEAD', f'/v1/organizations/{self.org}/members/export', token=self.token)
        self.assertEqual(head.status, 200, head)
        self.assertEqual(head.body, b'')

    def test_rows_match_the_list_and_quoting_round_trips(self):
        rows = self.rows(self.export())
        members = self.listed()
        self.assertEqual([r[0] for r in rows], [
            ("'" + m['name']) if m['name'][:1] in ('=', '+', '-', '@', '\t', '\r') else m['name'] for m in members])
        for row, m in zip(rows, members):
            self.assertEqual(row[1:], [m['email'], m['role'], m['status'], m['joined_at'], m['last_active_at'] or ''])
        names = {r[0] for r in rows}
        self.assertIn('Comma, Carla\nSecond line', names)
        self.assertIn('Quote "Q" Quinn', names)
        self.assertIn("'\rCR Émile Ünïcode", names)
        raw = self.export().body.decode('utf-8')
        self.assertIn('"Comma, Carla\nSecond line"', raw)
        self.assertIn('"Quote ""Q"" Quinn"', raw)
        self.assertIn('"\'\rCR Émile Ünïcode"', raw)

    def test_formula_injection_is_neutralized(self):
        rows = self.rows(self.export())
        names = [r[0] for r in rows]
        for dangerous in ('=SUM(A1:A9)', '+Plus Person', '-Minus Person', '\tTab Person'):
            self.assertIn("'" + dangerous, names)
            self.assertNotIn(dangerous, names)
        # no cell of any row starts with a formula character
        for row in rows:
            for cell in row:
                self.assertFalse(cell[:1] in ('=', '+', '-', '@', '\t', '\r'), row)

    def test_filters_and_sort_are_the_lists(self):
        for query in ('?role=admin', '?status=suspended', '?query=person', '?inactive_days=1',
                      '?sort=last_active', '?sort=last_active&status=active&query=e'):
            rows = self.rows(self.export(query))
            self.assertEqual([r[1] for r in rows], [m['email'] for m in self.listed(query)], query)
        self.assertEqual(self.rows(self.export('?role=admin'))[0][1], self.people['Quote "Q" Quinn'][1]['email'])
        self.assertEqual(self.rows(self.export('?query=nobody-at-all')), [])
        self.assertFieldError(self.export('?inactive_days=0'), 'inactive_days', 'out_of_range')
        self.assertFieldError(self.export('?sort=email'), 'sort', 'invalid_choice')
        self.assertFieldError(self.export('?role=king'), 'role', 'invalid_choice')

    def test_owners_and_admins_only(self):
        admin_token = self.people['Quote "Q" Quinn'][0]
        self.assertEqual(self.export(token=admin_token).status, 200)
        member_token = self.people['+Plus Person'][0]
        self.assertProblem(self.export(token=member_token), 403, 'forbidden')
        outsider = self.server.signup(name='Out Sider')
        self.assertProblem(self.export(token=outsider['token']), 404, 'organization_not_found')
        self.assertEqual(self.server.get(f'/v1/organizations/{self.org}/members/export').status, 401)
        # "export" is the export's path, never a member id
        self.assertProblem(self.server.patch(f'/v1/organizations/{self.org}/members/export', {'role': 'admin'},
                                             self.token), 405, 'method_not_allowed')


class ExportStreamingTests(ServerTestCase):
    """100,000 rows stream through a bounded amount of server memory, and
    only so many exports run at once."""

    ROWS = 100000
    server_env = without_asan_quarantine()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        owner = s.signup(name='Big Owner', organization_name='Big Export')
        cls.token, cls.org = owner['token'], owner['organization']['id']
        # Long names and addresses (about 200 bytes a row, 20 MB of CSV), so
        # that holding the body or the list would show.
        s.seed_members(cls.org, cls.ROWS, name='Seeded Member {n:06d} ' + 'x' * 60,
                       email='seeded.member.{n:06d}.' + 'y' * 60 + '@seed.example')

    def test_100000_rows_with_bounded_memory(self):
        s, token, org = self.server, self.token, self.org
        first = s.get(f'/v1/organizations/{org}/members?limit=1', token)  # builds the member index
        self.assertEqual(first.json['total'], self.ROWS + 1)
        before = s.vm_hwm_kib()
        response, total, lines, tail = s.stream(f'/v1/organizations/{org}/members/export', token)
        after = s.vm_hwm_kib()
        self.assertEqual(response.status, 200)
        self.assertEqual(lines, self.ROWS + 2)  # header + owner + rows
        self.assertGreater(total, 20 * 1000 * 1000)
        self.assertIn(b'Seeded Member 099999', tail)  # the last row, whole
        self.assertTrue(tail.endswith(b'@seed.example,member,active,' + tail.split(b',')[-2] + b',\r\n'), tail[-200:])
        grown = (after - before) / 1024
        print(f'export: {total / 1e6:.1f} MB of CSV; server peak RSS {before / 1024:.1f} → {after / 1024:.1f} MiB '
              f'(+{grown:.1f} MiB)')
        self.assertLess(grown, 8, f'the server grew by {grown:.1f} MiB while streaming {total / 1e6:.1f} MB')

    def test_readers_that_leave_free_their_places(self):
        s, path = self.server, f'/v1/organizations/{self.org}/members/export'
        # Two readers that take the headers and stop reading: 20 MB cannot
        # fit in the sockets' buffers, so their exports stay running.
        held = []

        def hold():
            conn, response = s.stalled_reader(path, self.token)
            if response.status == 200:
                held.append(conn)
                return True
            conn.close()
            return False

        try:
            for _ in range(2):
                # An export another test read to its end may still be
                # finishing (at the latest, the stall time cuts it).
                wait_until(hold, 40, 'an export place')
            r = s.get(path, self.token)
            self.assertProblem(r, 503, 'server_busy')
            self.assertEqual(r.headers.get('retry-after'), '5')
            # the list itself is not held back
            self.assertEqual(s.get(f'/v1/organizations/{self.org}/members?limit=1', self.token).status, 200)
        finally:
            for conn in held:
                conn.close()
        # The readers went away: their exports end and free their places.
        wait_until(lambda: s.request('HEAD', path, token=self.token).status == 200, 30,
                   'an export place after the readers left')
        response, total, lines, _ = s.stream(path, self.token)
        self.assertEqual(response.status, 200)
        self.assertEqual(lines, self.ROWS + 2)

    def test_store_failure_cuts_the_body(self):
        # Runs last (it removes rows). A page of an export that is running
        # fails in the store: the client must see a body cut short, not a
        # complete-looking shorter list. On SQLite the last 1,000 members
        # are deleted by another process, behind the server's member index,
        # so the page that should hold them fails. On PostgreSQL the index
        # follows other connections' commits (the change log), so such a
        # delete is no failure there: the table is renamed away for a
        # moment instead (the next page's statement fails), then the same
        # 1,000 are deleted.
        s, path = self.server, f'/v1/organizations/{self.org}/members/export'
        delete = "DELETE FROM members WHERE id >= 'mem_seed000000099000' AND id LIKE 'mem_seed%'"
        wait_until(lambda: s.request('HEAD', path, token=self.token).status == 200, 40, 'an export place')
        conn = http.client.HTTPConnection(s.host, s.port, timeout=60)
        try:
            conn.request('GET', path, headers={'Authorization': 'Bearer ' + self.token})
            response = conn.getresponse()
            self.assertEqual(response.status, 200)
            self.assertGreater(len(response.read(65536)), 0)
            if s.pg_database is None:
                self.assertEqual(s.execute(delete), 1000)
            else:
                s.execute('ALTER TABLE members RENAME TO members_away')
            try:
                with self.assertRaises(http.client.IncompleteRead):
                    while response.read(65536):
                        pass
            finally:
                if s.pg_database is not None:
                    s.execute('ALTER TABLE members_away RENAME TO members')
                    self.assertEqual(s.execute(delete), 1000)
        finally:
            conn.close()
        # The server goes on, with an index built again from the table.
        response, total, lines, tail = s.stream(path, self.token)
        self.assertEqual(response.status, 200)
        self.assertEqual(lines, self.ROWS - 1000 + 2)
        self.assertIn(b'Seeded Member 098999', tail)

class SeededExportsCase(ServerTestCase):
    """Five organizations, the first SEEDED of them with ROWS members each."""

    ROWS = 30000  # about 6 MB each: more than a stalled reader's buffers
    SEEDED = 4

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.orgs, cls.tokens = [], []
        for tag in 'abcde':
            owner = s.signup(name=f'Owner {tag}', organization_name=f'Limits {tag}')
            cls.orgs.append(owner['organization']['id'])
            cls.tokens.append(owner['token'])
        for i, tag in enumerate('abcd'[:cls.SEEDED]):
            s.seed_members(cls.orgs[i], cls.ROWS, name=f'Member {tag} {{n:06d}} ' + 'x' * 60,
                           email=f'member.{tag}.{{n:06d}}.' + 'y' * 60 + '@limits.example', id_prefix=f'lim{tag}')

    def path(self, i):
        return f'/v1/organizations/{self.orgs[i]}/members/export'

    def hold(self, i, held):
        conn, response = self.server.stalled_reader(self.path(i), self.tokens[i])
        held.append((conn, response))
        return response


class ExportLimitTests(SeededExportsCase):
    """At most two exports stream at once per organization and eight in
    all, so that one organization's stalled readers cannot hold everyone's
    exports (the stall time is the default 30 s here: the readers stay)."""

    def test_per_organization_and_in_all(self):
        s, held = self.server, []
        try:
            for i in range(4):
                for _ in range(2):
                    self.assertEqual(self.hold(i, held).status, 200)
                # The organization's third waits; others' exports still start.
                self.assertProblem(s.get(self.path(i), self.tokens[i]), 503, 'server_busy')
            # Eight in all: a fifth organization, with no export of its own, waits too.
            self.assertProblem(s.get(self.path(4), self.tokens[4]), 503, 'server_busy')
        finally:
            for conn, _ in held:
                conn.close()
        for i in range(5):
            wait_until(lambda: s.request('HEAD', self.path(i), token=self.tokens[i]).status == 200, 30,
                       'an export place after the readers left')

class ExportStallTests(SeededExportsCase):
    """A client that stops reading is cut after the stall time (here 2 s,
    --export-stall-timeout; 30 s by default) and its place freed, while it
    still holds the connection open."""

    SEEDED = 1
    server_args = ('--export-stall-timeout', '2')

    def test_a_stalled_reader_is_cut_and_frees_its_place(self):
        s, held = self.server, []
        try:
            for _ in range(2):
                self.assertEqual(self.hold(0, held).status, 200)
            # The places come back while both readers still hold their
            # connections: the server cut them.
            wait_until(lambda: s.request('HEAD', self.path(0), token=self.tokens[0]).status == 200, 30,
                       'an export place while its stalled readers are still connected')
            s.wait_for_log('the client read nothing for 2 s; cut')
            response, total, lines, _ = s.stream(self.path(0), self.tokens[0])
            self.assertEqual((response.status, lines), (200, self.ROWS + 2))
            # What a cut reader gets when it reads again: a body cut short.
            conn, response = held[0]
            with self.assertRaises((http.client.IncompleteRead, ConnectionError)):
                while response.read(65536):
                    pass
        finally:
            for conn, _ in held:
                conn.close()


if __name__ == '__main__':
    main()
