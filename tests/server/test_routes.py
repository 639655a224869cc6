# SPDX-License-Identifier: GPL-3.0-or-later
"""The route table (quorum-server --print-routes) against docs/api/openapi.yaml,
and what the server derives from it: 405 with Allow, OPTIONS, HEAD."""

import re
import unittest

from servertest import ServerTestCase, main, spec_operation_scopes, table_routes_full

# In the spec, not served yet. Implementing one means adding it to the route
# table and taking it off this list; the test fails until both are done.
NOT_YET_IMPLEMENTED = set()


def spec_operations():
    return set(spec_operation_scopes())


def table_routes():
    """[(METHOD, pattern, access, permission or None)] in the table's order."""
    return [(r['method'], r['path'], r['access'], r['permission']) for r in table_routes_full()]


def concrete(pattern):
    return re.sub(r'\{[^}]+\}', 'x', pattern)


class TableTests(unittest.TestCase):
    def test_table_matches_spec(self):
        spec = spec_operations()
        table = {(method, path) for method, path, _, _ in table_routes()}
        self.assertGreater(len(spec), 40)
        self.assertEqual(NOT_YET_IMPLEMENTED - spec, set(), 'listed as not yet implemented but not in the spec')
        self.assertEqual(table & NOT_YET_IMPLEMENTED, set(),
                         'implemented now: take these off NOT_YET_IMPLEMENTED')
        self.assertEqual(table - spec, set(), 'served but not in docs/api/openapi.yaml')
        self.assertEqual(spec - NOT_YET_IMPLEMENTED - table, set(),
                         'in the spec but not served (nor listed as not yet implemented)')

    def test_api_key_scopes_match_spec(self):
        """The scope each row asks of an API key is the one the spec's
        operation lists under `security: apiKey`; rows without one (and
        operations without an apiKey entry) are for signed-in users only."""
        spec = spec_operation_scopes()
        for route in table_routes_full():
            key = (route['method'], route['path'])
            self.assertIn(key, spec)
            self.assertEqual(route['scope'], spec[key], key)
        # What API keys may never do (CONTRACT.md) has no scope in the spec.
        for key in (('POST', '/v1/organizations/{org_id}/api-keys'),
                    ('GET', '/v1/organizations/{org_id}/api-keys'),
                    ('DELETE', '/v1/organizations/{org_id}/api-keys/{api_key_id}'),
                    ('POST', '/v1/organizations/{org_id}/api-keys/{api_key_id}/rotate'),
                    ('POST', '/v1/organizations/{org_id}/webhooks'),
                    ('DELETE', '/v1/organizations/{org_id}/webhooks/{webhook_id}'),
                    ('POST', '/v1/organizations/{org_id}/transfer-ownership'),
                    ('DELETE', '/v1/organizations/{org_id}')):
            self.assertIsNone(spec[key], key)

    def test_organization_routes_name_a_permission(self):
        for method, path, access, permission in table_routes():
            if path.startswith('/v1/organizations/{org_id}') and not (method == 'GET' and path.endswith('/logo')):
                self.assertEqual(access, 'session', (method, path))
                self.assertIsNotNone(permission, (method, path))


class DerivedTests(ServerTestCase):
    def allowed(self, path):
        return [m.strip() for m in self.server.request('OPTIONS', path).headers['allow'].split(',')]

    def test_options_lists_the_table_for_every_path(self):
        by_path = {}
        for method, pattern, _, _ in table_routes():
            by_path.setdefault(pattern, []).append(method)
        for pattern, methods in by_path.items():
            r = self.server.request('OPTIONS', concrete(pattern))
            self.assertEqual(r.status, 204, pattern)
            self.assertEqual(r.body, b'')
            expected = set(methods) | {'OPTIONS'} | ({'HEAD'} if 'GET' in methods else set())
            self.assertEqual(set(self.allowed(concrete(pattern))), expected, pattern)

    def test_allow_includes_head_and_options(self):
        self.assertEqual(self.allowed('/health'), ['GET', 'HEAD', 'OPTIONS'])
        self.assertEqual(self.allowed('/v1/me'), ['GET', 'HEAD', 'PATCH', 'OPTIONS'])
        self.assertEqual(self.allowed('/v1/organizations/org_x/members/mem_x'),
                         ['GET', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'])
        self.assertEqual(self.allowed('/verify/token'), ['GET', 'HEAD', 'POST', 'OPTIONS'])
        self.assertEqual(self.allowed('/v1/sessions'), ['POST', 'OPTIONS'])

    def test_method_not_in_table_is_405_with_allow(self):
        for method, path in (('PUT', '/v1/me'), ('DELETE', '/health'), ('GET', '/v1/users'),
                             ('POST', '/v1/organizations/org_x/members')):
            r = self.server.request(method, path)
            self.assertProblem(r, 405, 'method_not_allowed')
            self.assertIn('OPTIONS', r.headers['allow'])
            self.assertEqual(set(r.headers['allow'].replace(' ', '').split(',')), set(self.allowed(path)))

    def test_unknown_path_is_404_for_every_method(self):
        for method in ('GET', 'HEAD', 'OPTIONS', 'POST'):
            r = self.server.request(method, '/v1/organizations/org_x/nothing')
            self.assertEqual(r.status, 404, method)

    def head(self, path, token=None):
        """Raw HEAD: the whole answer, so a body sent by mistake would show."""
        auth = f'Authorization: Bearer {token}\r\n' if token else ''
        _, answer = self.server.raw(f'HEAD {path} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n'
                                    .encode())
        head, _, body = answer.partition(b'\r\n\r\n')
        return head.decode(), body

    def test_head_is_get_without_a_body(self):
        user = self.server.signup()
        token = user['token']
        org_id = user['organization']['id']
        for path in ('/health', '/v1/me', f'/v1/organizations/{org_id}', f'/v1/organizations/{org_id}/members'):
            get = self.server.request('GET', path, token=token)
            self.assertEqual(get.status, 200, path)
            head, body = self.head(path, token)
            self.assertRegex(head, r'^HTTP/1\.1 200 ', path)
            self.assertEqual(body, b'', path)
            self.assertIn('content-type: ' + get.headers['content-type'], head.lower())
            self.assertIn(f'content-length: {len(get.body)}', head.lower(), path)
        head, body = self.head('/v1/me')
        self.assertRegex(head, r'^HTTP/1\.1 401 ')
        self.assertEqual(body, b'')


if __name__ == '__main__':
    main()
