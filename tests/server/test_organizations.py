# SPDX-License-Identifier: GPL-3.0-or-later
import struct
import zlib

from servertest import ServerTestCase, main


def png(width, height):
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
    raw = b''.join(b'\x00' + b'\x00\x00\x00' * width for _ in range(height))
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))


def jpeg(width, height):
    sof = b'\xff\xc0' + struct.pack('>HBHHB', 11, 8, height, width, 1) + b'\x01\x11\x00'
    return b'\xff\xd8\xff\xe0' + struct.pack('>H', 16) + b'JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00' + sof + b'\xff\xd9'


class OrganizationTests(ServerTestCase):
    def setUp(self):
        self.owner = self.server.signup()
        self.token = self.owner['token']

    def create(self, body, token=None):
        return self.server.post('/v1/organizations', body, token or self.token)

    def test_create_list_get(self):
        r = self.create({'name': 'Ünïcode Société!'})
        self.assertEqual(r.status, 201, r)
        org = r.json
        self.assertTrue(org['id'].startswith('org_'))
        self.assertEqual(org['slug'], 'unicode-societe')
        self.assertEqual(org['role'], 'owner')
        self.assertEqual(org['member_count'], 1)
        self.assertIsNone(org['logo_url'])
        self.assertIn('etag', r.headers)
        # derived slugs get -2, -3 when taken
        self.assertEqual(self.create({'name': 'Ünicode société'}).json['slug'], 'unicode-societe-2')
        self.assertEqual(self.create({'name': 'unicode   SOCIETE'}).json['slug'], 'unicode-societe-3')
        listed = self.server.get('/v1/organizations', self.token).json
        self.assertEqual(listed['total'], 4)
        self.assertIsNone(listed['next_cursor'])
        self.assertIn(org['id'], [o['id'] for o in listed['items']])
        got = self.server.get(f"/v1/organizations/{org['id']}", self.token)
        self.assertEqual(got.status, 200)
        self.assertEqual(got.json, org)
        self.assertEqual(got.headers['etag'], r.headers['etag'])

    def test_slug_rules(self):
        self.assertEqual(self.create({'name': 'Given', 'slug': 'given-slug-x'}).json['slug'], 'given-slug-x')
        self.assertProblem(self.create({'name': 'Again', 'slug': 'given-slug-x'}), 409, 'slug_taken')
        for bad in ('ab', 'Upper', '-lead', 'trail-', 'dou--ble', 'x' * 49, 'sp ace'):
            self.assertFieldError(self.create({'name': 'Bad', 'slug': bad}), 'slug')
        self.assertFieldError(self.create({'name': ' '}), 'name', 'blank')
        self.assertFieldError(self.create({}), 'name', 'required')
        self.assertFieldError(self.create({'name': 'Logo', 'logo_url': 'javascript:alert(1)'}), 'logo_url', 'invalid_url')
        r = self.create({'name': 'Logo', 'logo_url': 'https://example.com/logo.png'})
        self.assertEqual(r.json['logo_url'], 'https://example.com/logo.png')

    def test_patch_with_if_match(self):
        org = self.create({'name': 'Patchable'})
        etag = org.headers['etag']
        path = f"/v1/organizations/{org.json['id']}"
        r = self.server.patch(path, {'name': 'Renamed'}, self.token, headers={'If-Match': etag})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['name'], 'Renamed')
        self.assertNotEqual(r.headers['etag'], etag)
        stale = self.server.patch(path, {'name': 'Lost update'}, self.token, headers={'If-Match': etag})
        self.assertProblem(stale, 412, 'precondition_failed')
        self.assertEqual(self.server.get(path, self.token).json['name'], 'Renamed')
        r = self.server.patch(path, {'slug': 'patched-slug', 'logo_url': None}, self.token,
                              headers={'If-Match': r.headers['etag']})
        self.assertEqual(r.json['slug'], 'patched-slug')
        other = self.create({'name': 'Other', 'slug': 'other-slug'})
        self.assertProblem(self.server.patch(path, {'slug': 'other-slug'}, self.token), 409, 'slug_taken')
        self.assertFieldError(self.server.patch(path, {'name': 7}, self.token), 'name', 'invalid_type')
        # without If-Match the last write wins
        self.assertEqual(self.server.patch(path, {'name': 'No precondition'}, self.token).status, 200)
        self.assertEqual(other.status, 201)

    def test_delete_needs_confirm_slug(self):
        org = self.create({'name': 'Doomed', 'slug': 'doomed-org'}).json
        path = f"/v1/organizations/{org['id']}"
        member_token, _ = self.server.add_member(org['id'], self.token)
        self.assertFieldError(self.server.delete(path, {'confirm_slug': 'wrong'}, self.token), 'confirm_slug', 'mismatch')
        self.assertFieldError(self.server.delete(path, {}, self.token), 'confirm_slug', 'required')
        self.assertEqual(self.server.delete(path, {'confirm_slug': 'doomed-org'}, self.token).status, 204)
        self.assertProblem(self.server.get(path, self.token), 404, 'organization_not_found')
        self.assertProblem(self.server.get(path, member_token), 404, 'organization_not_found')
        self.assertNotIn(org['id'], [o['id'] for o in self.server.get('/v1/organizations', member_token).json['items']])
        # the slug is free again
        self.assertEqual(self.create({'name': 'Reborn', 'slug': 'doomed-org'}).status, 201)

    def test_outsider_sees_404(self):
        org = self.create({'name': 'Private'}).json
        stranger = self.server.signup()['token']
        for method, suffix in (('GET', ''), ('PATCH', ''), ('GET', '/members'), ('GET', '/invitations')):
            r = self.server.request(method, f"/v1/organizations/{org['id']}{suffix}", body={}, token=stranger)
            self.assertProblem(r, 404, 'organization_not_found')
        self.assertProblem(self.server.get('/v1/organizations/org_doesnotexist00', stranger), 404,
                           'organization_not_found')

    def test_transfer_ownership_and_leave(self):
        org = self.create({'name': 'Handover'}).json
        oid = org['id']
        admin_token, admin = self.server.add_member(oid, self.token, role='admin')
        member_token, member = self.server.add_member(oid, self.token)
        self.assertProblem(self.server.post(f'/v1/organizations/{oid}/leave', token=self.token), 409, 'owner_cannot_leave')
        self.assertProblem(self.server.post(f'/v1/organizations/{oid}/transfer-ownership', {'member_id': 'mem_nope'},
                                            self.token), 404, 'member_not_found')
        r = self.server.post(f'/v1/organizations/{oid}/transfer-ownership', {'member_id': admin['id']}, self.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['role'], 'admin')
        self.assertEqual(self.server.get(f'/v1/organizations/{oid}', admin_token).json['role'], 'owner')
        self.assertEqual(self.server.get(f'/v1/organizations/{oid}', self.token).json['role'], 'admin')
        # the old owner can now leave; the member too
        self.assertEqual(self.server.post(f'/v1/organizations/{oid}/leave', token=self.token).status, 204)
        self.assertProblem(self.server.get(f'/v1/organizations/{oid}', self.token), 404, 'organization_not_found')
        self.assertEqual(self.server.post(f'/v1/organizations/{oid}/leave', token=member_token).status, 204)
        self.assertEqual(self.server.get(f'/v1/organizations/{oid}', admin_token).json['member_count'], 1)

    def test_transfer_to_suspended_member_refused(self):
        oid = self.create({'name': 'Suspended heir'}).json['id']
        _, member = self.server.add_member(oid, self.token)
        self.server.patch(f"/v1/organizations/{oid}/members/{member['id']}", {'status': 'suspended'}, self.token)
        r = self.server.post(f'/v1/organizations/{oid}/transfer-ownership', {'member_id': member['id']}, self.token)
        self.assertProblem(r, 409, 'member_not_active')

    def test_logo_upload(self):
        org = self.create({'name': 'Logo Co'}).json
        path = f"/v1/organizations/{org['id']}/logo"
        image = png(200, 150)
        r = self.server.request('PUT', path, raw=image, token=self.token, content_type='image/png')
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json['logo_url'], self.server.url + path)
        got = self.server.get(path)
        self.assertEqual(got.status, 200)
        self.assertEqual(got.headers['content-type'], 'image/png')
        self.assertEqual(got.body, image)
        self.assertEqual(got.headers['cache-control'], 'no-cache')
        self.assertEqual(self.server.get(path, headers={'If-None-Match': got.headers['etag']}).status, 304)
        r = self.server.request('PUT', path, raw=jpeg(300, 300), token=self.token, content_type='image/jpeg')
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.server.get(path).headers['content-type'], 'image/jpeg')
        svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
        self.assertEqual(self.server.request('PUT', path, raw=svg, token=self.token,
                                             content_type='image/svg+xml').status, 200)
        self.assertIn("sandbox", self.server.get(path).headers['content-security-policy'])
        self.assertFieldError(self.server.request('PUT', path, raw=png(100, 300), token=self.token,
                                                  content_type='image/png'), 'body', 'invalid_dimensions')
        self.assertFieldError(self.server.request('PUT', path, raw=png(1801, 200), token=self.token,
                                                  content_type='image/png'), 'body', 'invalid_dimensions')
        self.assertProblem(self.server.request('PUT', path, raw=b'GIF89a....', token=self.token,
                                               content_type='image/gif'), 415, 'unsupported_media_type')
        self.assertProblem(self.server.request('PUT', path, raw=png(200, 200), token=self.token,
                                               content_type=None), 415, 'unsupported_media_type')
        # the bytes must be what the Content-Type says
        self.assertFieldError(self.server.request('PUT', path, raw=png(200, 200), token=self.token,
                                                  content_type='image/jpeg'), 'body', 'unsupported_format')
        self.assertFieldError(self.server.request('PUT', path, raw=b'not an image at all', token=self.token,
                                                  content_type='image/png'), 'body', 'unsupported_format')
        status, answer = self.server.raw(
            f'PUT {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {self.token}\r\n'
            f'Content-Type: image/png\r\nContent-Length: {2 * 1024 * 1024 + 1}\r\n\r\n'.encode())
        self.assertEqual(status, 413)
        self.assertIn(b'payload_too_large', answer)
        # a body between 1 and 2 MiB is fine for logos
        ok = png(200, 200) + b'\x00' * (1536 * 1024)
        self.assertEqual(self.server.request('PUT', path, raw=ok, token=self.token, content_type='image/png').status, 200)
        self.assertProblem(self.server.get('/v1/organizations/org_nologo0000000000/logo'), 404, 'not_found')


if __name__ == '__main__':
    main()
