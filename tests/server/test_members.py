# SPDX-License-Identifier: GPL-3.0-or-later
import urllib.parse

from servertest import ServerTestCase, main


class MemberTests(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.owner = s.signup(name='Zed Owner', organization_name='Members Inc')
        cls.token = cls.owner['token']
        cls.org = cls.owner['organization']['id']
        cls.people = {}
        for name, role in (('alice Smith', 'member'), ('Bob Stone', 'admin'), ('carol_100%', 'member'),
                           ('Alice Smith', 'member'), ('Dave Ng', 'member'), ('Émile Zola', 'member')):
            token, member = s.add_member(cls.org, cls.token, role=role, name=name)
            cls.people.setdefault(name, []).append((token, member))
        # Suspend Dave: suspended members come last.
        dave = cls.people['Dave Ng'][0][1]
        s.patch(f"/v1/organizations/{cls.org}/members/{dave['id']}", {'status': 'suspended'}, cls.token)

    def members(self, query='', token=None):
        return self.server.get(f'/v1/organizations/{self.org}/members{query}', token or self.token)

    def test_order_and_shape(self):
        r = self.members()
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['total'], 7)
        names = [m['name'] for m in r.json['items']]
        # active first, then case-insensitive name, then id; suspended last
        self.assertEqual(names[-1], 'Dave Ng')
        self.assertEqual(r.json['items'][-1]['status'], 'suspended')
        active = names[:-1]
        # same name but for case: ordered by id
        self.assertEqual(sorted(active[:2]), ['Alice Smith', 'alice Smith'])
        self.assertLess(r.json['items'][0]['id'], r.json['items'][1]['id'])
        self.assertEqual(active[2:], ['Bob Stone', 'carol_100%', 'Zed Owner', 'Émile Zola'])
        m = r.json['items'][0]
        self.assertEqual(set(m), {'id', 'user_id', 'name', 'email', 'role', 'status', 'joined_at', 'last_active_at'})
        self.assertTrue(m['id'].startswith('mem_'))
        self.assertTrue(m['user_id'].startswith('usr_'))

    def test_pagination_with_cursor(self):
        seen = []
        cursor = None
        pages = 0
        while True:
            q = '?limit=2' + (f'&cursor={urllib.parse.quote(cursor)}' if cursor else '')
            r = self.members(q)
            self.assertEqual(r.status, 200, r)
            self.assertLessEqual(len(r.json['items']), 2)
            self.assertEqual(r.json['total'], 7)
            seen += [m['id'] for m in r.json['items']]
            pages += 1
            cursor = r.json['next_cursor']
            if cursor is None or pages > 10:
                break
        self.assertEqual(pages, 4)
        self.assertEqual(seen, [m['id'] for m in self.members().json['items']])

    def test_offset_is_a_position_in_the_list(self):
        everyone = [m['id'] for m in self.members().json['items']]
        for offset in range(0, 9):
            r = self.members(f'?offset={offset}&limit=2')
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json['total'], 7)
            self.assertEqual([m['id'] for m in r.json['items']], everyone[offset:offset + 2], offset)
        # next_cursor goes on from the page at an offset
        r = self.members('?offset=3&limit=2')
        nxt = self.members('?limit=2&cursor=' + urllib.parse.quote(r.json['next_cursor']))
        self.assertEqual([m['id'] for m in nxt.json['items']], everyone[5:7])
        self.assertIsNone(self.members('?offset=5&limit=2').json['next_cursor'])
        # past the end: nothing, total still right; at the cap too
        r = self.members('?offset=10000000')
        self.assertEqual((r.status, r.json['items'], r.json['total']), (200, [], 7))

    def test_offset_with_filters_and_sort(self):
        # positions count the matches only, in the order asked for
        for query in ('?role=member', '?status=active', '?query=smith', '?sort=last_active',
                      '?role=member&sort=last_active', '?inactive_days=1&role=member'):
            matches = self.members(query)
            self.assertEqual(matches.status, 200, matches)
            ids = [m['id'] for m in matches.json['items']]
            for offset in range(0, len(ids) + 1):
                r = self.members(f'{query}&offset={offset}&limit=2')
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json['total'], len(ids), query)
                self.assertEqual([m['id'] for m in r.json['items']], ids[offset:offset + 2], (query, offset))

    def test_offset_caps_and_validation(self):
        for bad in ('-1', '10000001', 'abc', '1e3', '99999999999999999999999'):
            self.assertFieldError(self.members('?offset=' + urllib.parse.quote(bad)), 'offset')
        cursor = self.members('?limit=2').json['next_cursor']
        self.assertFieldError(self.members('?offset=1&cursor=' + urllib.parse.quote(cursor)), 'offset')

    def test_search_filters_and_validation(self):
        names = lambda r: sorted(m['name'] for m in r.json['items'])  # noqa: E731
        self.assertEqual(names(self.members('?query=ALICE')), ['Alice Smith', 'alice Smith'])
        self.assertEqual(names(self.members('?query=' + urllib.parse.quote('émile'))), ['Émile Zola'])
        # e-mail matches too
        email = self.people['Bob Stone'][0][1]['email']
        self.assertEqual(names(self.members('?query=' + urllib.parse.quote(email.upper()))), ['Bob Stone'])
        # % and _ are literal characters, not wildcards
        self.assertEqual(names(self.members('?query=' + urllib.parse.quote('_100%'))), ['carol_100%'])
        self.assertEqual(self.members('?query=' + urllib.parse.quote('%')).json['total'], 1)
        self.assertEqual(names(self.members("?query=" + urllib.parse.quote("' OR 1=1 --"))), [])
        self.assertEqual(names(self.members('?role=admin')), ['Bob Stone'])
        self.assertEqual(names(self.members('?status=suspended')), ['Dave Ng'])
        self.assertEqual(self.members('?role=member&status=active').json['total'], 4)
        self.assertFieldError(self.members('?role=king'), 'role', 'invalid_choice')
        self.assertFieldError(self.members('?status=gone'), 'status', 'invalid_choice')
        self.assertFieldError(self.members('?limit=0'), 'limit')
        self.assertFieldError(self.members('?limit=abc'), 'limit')
        self.assertFieldError(self.members('?cursor=garbage!!'), 'cursor')
        self.assertEqual(len(self.members('?limit=500').json['items']), 7)

    def test_role_and_status_changes(self):
        token, member = self.server.add_member(self.org, self.token, name='Changeable')
        path = f"/v1/organizations/{self.org}/members/{member['id']}"
        r = self.server.patch(path, {'role': 'admin'}, self.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['role'], 'admin')
        self.assertEqual(self.server.get(f'/v1/organizations/{self.org}', token).json['role'], 'admin')
        self.assertFieldError(self.server.patch(path, {'role': 'owner'}, self.token), 'role', 'invalid_choice')
        self.assertFieldError(self.server.patch(path, {'status': 'gone'}, self.token), 'status', 'invalid_choice')
        r = self.server.patch(path, {'status': 'suspended'}, self.token)
        self.assertEqual(r.json['status'], 'suspended')
        # the suspended member's token stops working for this organization at once
        self.assertProblem(self.server.get(f'/v1/organizations/{self.org}', token), 403, 'member_suspended')
        self.assertProblem(self.server.get(f'/v1/organizations/{self.org}/members', token), 403, 'member_suspended')
        self.assertNotIn(self.org, [o['id'] for o in self.server.get('/v1/organizations', token).json['items']])
        self.assertEqual(self.server.get('/v1/me', token).status, 200)
        self.assertEqual(self.server.patch(path, {'status': 'active'}, self.token).json['status'], 'active')
        self.assertEqual(self.server.get(f'/v1/organizations/{self.org}', token).status, 200)
        self.server.delete(path, token=self.token)

    def test_get_member_with_etag_and_if_match(self):
        token, member = self.server.add_member(self.org, self.token, name='Etag Member')
        path = f"/v1/organizations/{self.org}/members/{member['id']}"
        got = self.server.get(path, token)
        self.assertEqual(got.status, 200, got)
        self.assertEqual(got.json, member)
        etag = got.headers['etag']
        r = self.server.patch(path, {'role': 'admin'}, self.token, headers={'If-Match': etag})
        self.assertEqual(r.status, 200, r)
        self.assertNotEqual(r.headers['etag'], etag)
        self.assertProblem(self.server.patch(path, {'role': 'member'}, self.token, headers={'If-Match': etag}),
                           412, 'precondition_failed')
        self.assertEqual(self.server.get(path, self.token).json['role'], 'admin')
        self.assertProblem(self.server.get(f'/v1/organizations/{self.org}/members/mem_unknown', self.token),
                           404, 'member_not_found')
        self.server.delete(path, token=self.token)

    def test_owner_and_self_are_protected(self):
        owner_member = [m for m in self.members().json['items'] if m['role'] == 'owner'][0]
        admin_token, admin = self.people['Bob Stone'][0]
        owner_path = f"/v1/organizations/{self.org}/members/{owner_member['id']}"
        self.assertProblem(self.server.patch(owner_path, {'role': 'member'}, admin_token), 409, 'owner_immutable')
        self.assertProblem(self.server.patch(owner_path, {'status': 'suspended'}, admin_token), 409, 'owner_immutable')
        self.assertProblem(self.server.delete(owner_path, token=admin_token), 409, 'owner_immutable')
        self.assertProblem(self.server.patch(owner_path, {'role': 'admin'}, self.token), 409, 'owner_immutable')
        self_path = f"/v1/organizations/{self.org}/members/{admin['id']}"
        self.assertProblem(self.server.patch(self_path, {'role': 'member'}, admin_token), 409, 'cannot_modify_self')
        self.assertProblem(self.server.patch(self_path, {'status': 'suspended'}, admin_token), 409, 'cannot_modify_self')
        self.assertProblem(self.server.patch(f'/v1/organizations/{self.org}/members/mem_unknown', {'role': 'admin'},
                                             self.token), 404, 'member_not_found')

    def test_remove_member_keeps_their_invitations(self):
        token, member = self.server.add_member(self.org, self.token, role='admin', name='Leaving Admin')
        self.server.invite(self.org, token, 'invited-by-leaver@example.com')
        path = f"/v1/organizations/{self.org}/members/{member['id']}"
        self.assertEqual(self.server.delete(path, token=self.token).status, 204)
        self.assertProblem(self.server.get(f'/v1/organizations/{self.org}', token), 404, 'organization_not_found')
        self.assertProblem(self.server.delete(path, token=self.token), 404, 'member_not_found')
        invs = self.server.get(f'/v1/organizations/{self.org}/invitations', self.token).json['items']
        mine = [i for i in invs if i['email'] == 'invited-by-leaver@example.com']
        self.assertEqual(mine[0]['invited_by']['name'], 'Leaving Admin')



class ListFollowsChangesTests(ServerTestCase):
    """The list is served from an in-memory index: every change shows at once."""

    def test_list_after_each_change(self):
        s = self.server
        owner = s.signup(name='Index Owner')
        org, token = owner['organization']['id'], owner['token']
        base = f'/v1/organizations/{org}/members'

        def names(query=''):
            r = s.get(base + query, token)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json['total'], len(r.json['items']))
            return [m['name'] for m in r.json['items']]

        self.assertEqual(names(), ['Index Owner'])
        t1, m1 = s.add_member(org, token, name='Mia Early')
        t2, m2 = s.add_member(org, token, name='Bo Late')
        self.assertEqual(names(), ['Bo Late', 'Index Owner', 'Mia Early'])
        self.assertEqual(s.get(f'/v1/organizations/{org}', token).json['member_count'], 3)
        s.patch(f"{base}/{m2['id']}", {'status': 'suspended'}, token)
        self.assertEqual(names(), ['Index Owner', 'Mia Early', 'Bo Late'])
        self.assertEqual(names('?status=suspended'), ['Bo Late'])
        s.patch(f"{base}/{m1['id']}", {'role': 'admin'}, token)
        self.assertEqual(names('?role=admin'), ['Mia Early'])
        s.patch('/v1/me', {'name': 'Aaron Renamed'}, t1)
        self.assertEqual(names('?query=renamed'), ['Aaron Renamed'])
        self.assertEqual(names('?query=mia'), [])
        self.assertEqual(names(), ['Aaron Renamed', 'Index Owner', 'Bo Late'])
        s.delete(f"{base}/{m2['id']}", token=token)
        self.assertEqual(names(), ['Aaron Renamed', 'Index Owner'])
        s.post(f'/v1/organizations/{org}/leave', token=t1)
        self.assertEqual(names(), ['Index Owner'])
        self.assertEqual(s.get(f'/v1/organizations/{org}', token).json['member_count'], 1)
        s.add_member(org, token, name='After Restart')
        s.restart()
        self.assertEqual(names(), ['After Restart', 'Index Owner'])
        # deleting the organization and making another keeps lists apart
        slug = s.get(f'/v1/organizations/{org}', token).json['slug']
        self.assertEqual(s.delete(f'/v1/organizations/{org}', {'confirm_slug': slug}, token).status, 204)
        other = s.post('/v1/organizations', {'name': 'Fresh'}, token).json['id']
        self.assertEqual([m['name'] for m in s.get(f'/v1/organizations/{other}/members', token).json['items']],
                         ['Index Owner'])


if __name__ == '__main__':
    main()
