# SPDX-License-Identifier: GPL-3.0-or-later
"""The whole role table of api-v1.md ("Roles and permissions"): every action
of the implemented sections × owner, admin, member, suspended member,
outsider and signed-out caller, each on a fresh organization."""

from servertest import ServerTestCase, main, png

ACTORS = ('owner', 'admin', 'member', 'suspended', 'outsider', 'signed_out')


class Fixture:
    def __init__(self, server):
        s = server
        owner = s.signup(name='Role Owner')
        self.owner = owner['token']
        self.org = owner['organization']['id']
        self.slug = owner['organization']['slug']
        self.admin, _ = s.add_member(self.org, self.owner, role='admin')
        self.member, _ = s.add_member(self.org, self.owner)
        self.suspended, suspended = s.add_member(self.org, self.owner, role='admin')
        _, self.target = s.add_member(self.org, self.owner)
        _, self.target_suspended = s.add_member(self.org, self.owner)
        for m in (suspended, self.target_suspended):
            r = s.patch(f"/v1/organizations/{self.org}/members/{m['id']}", {'status': 'suspended'}, self.owner)
            assert r.status == 200, r
        self.invitation = s.invite(self.org, self.owner, f'pending-{self.org}@example.com')
        self.outsider = s.signup()['token']
        self.signed_out = None

    def token(self, actor):
        return getattr(self, actor)


# action: (request, success status, expected per role: True allowed, or (status, code))
FORBIDDEN = (403, 'forbidden')


def actions():
    return {
        'view organization': (lambda s, f, t: s.get(f'/v1/organizations/{f.org}', t), 200,
                              {'owner': True, 'admin': True, 'member': True}),
        'list members': (lambda s, f, t: s.get(f'/v1/organizations/{f.org}/members', t), 200,
                         {'owner': True, 'admin': True, 'member': True}),
        'edit name': (lambda s, f, t: s.patch(f'/v1/organizations/{f.org}', {'name': 'Edited'}, t), 200,
                      {'owner': True, 'admin': True, 'member': FORBIDDEN}),
        'edit slug': (lambda s, f, t: s.patch(f'/v1/organizations/{f.org}', {'slug': f'edited-{f.org[4:]}'}, t), 200,
                      {'owner': True, 'admin': True, 'member': FORBIDDEN}),
        'upload logo': (lambda s, f, t: s.request('PUT', f'/v1/organizations/{f.org}/logo', raw=png(128), token=t,
                                                  content_type='image/png'), 200,
                        {'owner': True, 'admin': True, 'member': FORBIDDEN}),
        'delete organization': (lambda s, f, t: s.delete(f'/v1/organizations/{f.org}', {'confirm_slug': f.slug}, t), 204,
                                {'owner': True, 'admin': FORBIDDEN, 'member': FORBIDDEN}),
        'see invitations': (lambda s, f, t: s.get(f'/v1/organizations/{f.org}/invitations', t), 200,
                            {'owner': True, 'admin': True, 'member': FORBIDDEN}),
        'send invitation': (lambda s, f, t: s.post(f'/v1/organizations/{f.org}/invitations',
                                                   {'email': 'fresh@example.com', 'role': 'member'}, t), 201,
                            {'owner': True, 'admin': True, 'member': FORBIDDEN}),
        'resend invitation': (lambda s, f, t: s.post(f"/v1/organizations/{f.org}/invitations/{f.invitation['id']}/resend",
                                                     token=t), 200,
                              {'owner': True, 'admin': True, 'member': FORBIDDEN}),
        'revoke invitation': (lambda s, f, t: s.delete(f"/v1/organizations/{f.org}/invitations/{f.invitation['id']}",
                                                       token=t), 204,
                              {'owner': True, 'admin': True, 'member': FORBIDDEN}),
        'change role': (lambda s, f, t: s.patch(f"/v1/organizations/{f.org}/members/{f.target['id']}", {'role': 'admin'}, t),
                        200, {'owner': True, 'admin': True, 'member': FORBIDDEN}),
        'suspend member': (lambda s, f, t: s.patch(f"/v1/organizations/{f.org}/members/{f.target['id']}",
                                                   {'status': 'suspended'}, t), 200,
                           {'owner': True, 'admin': True, 'member': FORBIDDEN}),
        'reactivate member': (lambda s, f, t: s.patch(f"/v1/organizations/{f.org}/members/{f.target_suspended['id']}",
                                                      {'status': 'active'}, t), 200,
                              {'owner': True, 'admin': True, 'member': FORBIDDEN}),
        'remove member': (lambda s, f, t: s.delete(f"/v1/organizations/{f.org}/members/{f.target['id']}", token=t), 204,
                          {'owner': True, 'admin': True, 'member': FORBIDDEN}),
        'transfer ownership': (lambda s, f, t: s.post(f'/v1/organizations/{f.org}/transfer-ownership',
                                                      {'member_id': f.target['id']}, t), 200,
                               {'owner': True, 'admin': FORBIDDEN, 'member': FORBIDDEN}),
        'leave': (lambda s, f, t: s.post(f'/v1/organizations/{f.org}/leave', token=t), 204,
                  {'owner': (409, 'owner_cannot_leave'), 'admin': True, 'member': True}),
    }


class RoleTableTests(ServerTestCase):
    def check(self, name, actor):
        request, success, table = actions()[name]
        f = Fixture(self.server)
        r = request(self.server, f, f.token(actor))
        if actor == 'suspended':
            expected = (403, 'member_suspended')
        elif actor == 'outsider':
            expected = (404, 'organization_not_found')
        elif actor == 'signed_out':
            expected = (401, 'unauthenticated')
        else:
            expected = table[actor]
        with self.subTest(action=name, actor=actor):
            if expected is True:
                self.assertEqual(r.status, success, f'{name} as {actor}: {r!r}')
            else:
                self.assertProblem(r, *expected)
                # a refused action changed nothing the owner can see
                self.assertEqual(self.server.get(f'/v1/organizations/{f.org}', f.owner).status, 200)


def make_test(name, actor):
    def test(self):
        self.check(name, actor)
    return test


for _name in actions():
    for _actor in ACTORS:
        setattr(RoleTableTests, f"test_{_name.replace(' ', '_')}__{_actor}", make_test(_name, _actor))


if __name__ == '__main__':
    main()
