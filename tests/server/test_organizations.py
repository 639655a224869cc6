# SPDX-License-Identifier: GPL-3.0-or-later
import struct
import zlib

import gi
gi.require_version('GdkPixbuf', '2.0')
from gi.repository import GdkPixbuf, GLib  # noqa: E402

from servertest import ServerTestCase, main, png, png_chunk  # noqa: E402


def jpeg(width, height):
    """A real baseline JPEG, encoded by gdk-pixbuf."""
    pixbuf = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, False, 8, width, height)
    pixbuf.fill(0x3584e4ff)
    ok, data = pixbuf.save_to_bufferv('jpeg', ['quality'], ['90'])
    assert ok
    return bytes(data)


def decode(data):
    """(width, height, pixels) of an image, or raises GLib.Error."""
    loader = GdkPixbuf.PixbufLoader()
    loader.write(data)
    loader.close()
    pixbuf = loader.get_pixbuf()
    return pixbuf.get_width(), pixbuf.get_height(), pixbuf.get_pixels()


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
        self.assertEqual(decode(got.body), decode(image))
        self.assertEqual(got.headers['cache-control'], 'no-cache')
        self.assertEqual(self.server.get(path, headers={'If-None-Match': got.headers['etag']}).status, 304)
        r = self.server.request('PUT', path, raw=jpeg(300, 300), token=self.token, content_type='image/jpeg')
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.server.get(path).headers['content-type'], 'image/jpeg')
        # SVG is not taken: it is a document, not an image to decode
        svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"/>'
        self.assertProblem(self.server.request('PUT', path, raw=svg, token=self.token,
                                               content_type='image/svg+xml'), 415, 'unsupported_media_type')
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

    def test_logo_is_decoded_and_stored_reencoded(self):
        """Only magic bytes used to be checked: a truncated PNG was stored,
        and whatever followed the image was served back as it came."""
        org = self.create({'name': 'Decoded Co'}).json
        path = f"/v1/organizations/{org['id']}/logo"

        def put(data, content_type='image/png'):
            return self.server.request('PUT', path, raw=data, token=self.token, content_type=content_type)

        image = png(240, 160)
        for cut in (len(image) // 2, len(image) - 12, 40):
            with self.subTest(truncated_at=cut):
                self.assertFieldError(put(image[:cut]), 'body', 'unsupported_format')
        real_jpeg = jpeg(300, 200)
        self.assertFieldError(put(real_jpeg[:len(real_jpeg) // 2], 'image/jpeg'), 'body', 'unsupported_format')
        # a corrupt IDAT (bad checksum) does not decode either
        broken = bytearray(image)
        broken[-20] ^= 0xFF
        self.assertFieldError(put(bytes(broken)), 'body', 'unsupported_format')
        self.assertEqual(self.server.get(path).status, 404)  # nothing was stored

        # a valid PNG carrying a text chunk and a trailing HTML payload: the
        # pixels are kept, the rest is not served back
        payload = b'<html><script>alert(document.cookie)</script></html>'
        smuggler = png(240, 160, png_chunk(b'tEXt', b'Comment\x00' + payload)) + payload
        r = put(smuggler)
        self.assertEqual(r.status, 200, r)
        got = self.server.get(path)
        self.assertEqual(got.headers['content-type'], 'image/png')
        self.assertNotIn(payload, got.body)
        self.assertNotIn(b'tEXt', got.body)
        self.assertTrue(got.body.endswith(png_chunk(b'IEND', b'')))
        self.assertEqual(decode(got.body), decode(image))

        # a JPEG comes back as a JPEG of the same size, made by the encoder
        r = put(real_jpeg + payload, 'image/jpeg')
        self.assertEqual(r.status, 200, r)
        got = self.server.get(path)
        self.assertEqual(got.headers['content-type'], 'image/jpeg')
        self.assertNotIn(payload, got.body)
        self.assertTrue(got.body.startswith(b'\xff\xd8') and got.body.endswith(b'\xff\xd9'))
        self.assertEqual(decode(got.body)[:2], (300, 200))

    def test_decompression_bomb_refused_before_decoding(self):
        """A tiny file that declares a huge image is refused from its header,
        without allocating its pixels."""
        org = self.create({'name': 'Bomb Co'}).json
        path = f"/v1/organizations/{org['id']}/logo"
        pid = self.server.process.pid
        with open(f'/proc/{pid}/status') as f:
            before = int(next(line for line in f if line.startswith('VmHWM:')).split()[1])
        header = png_chunk(b'IHDR', struct.pack('>IIBBBBB', 60000, 60000, 8, 6, 0, 0, 0))
        # 60000 rows of zeros compress to a few hundred KiB but decode to 13 GiB
        row = b'\x00' * (60000 * 4 + 1)
        compressor = zlib.compressobj(9)
        idat = b''.join(compressor.compress(row) for _ in range(2000)) + compressor.flush()
        bomb = b'\x89PNG\r\n\x1a\n' + header + png_chunk(b'IDAT', idat) + png_chunk(b'IEND', b'')
        self.assertLess(len(bomb), 2 * 1024 * 1024)
        self.assertFieldError(self.server.request('PUT', path, raw=bomb, token=self.token,
                                                  content_type='image/png'), 'body', 'invalid_dimensions')
        # the same in a JPEG header (SOF0 of 65000×65000)
        good = jpeg(200, 200)
        sof = good.index(b'\xff\xc0')
        huge = good[:sof + 5] + struct.pack('>HH', 65000, 65000) + good[sof + 9:]
        self.assertFieldError(self.server.request('PUT', path, raw=huge, token=self.token,
                                                  content_type='image/jpeg'), 'body', 'invalid_dimensions')
        with open(f'/proc/{pid}/status') as f:
            after = int(next(line for line in f if line.startswith('VmHWM:')).split()[1])
        self.assertLess(after - before, 16 * 1024)
        self.assertEqual(self.server.get(path).status, 404)


if __name__ == '__main__':
    main()
