#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks what desktop-file-validate and appstreamcli cannot know: that the
# built desktop file, metainfo, GSettings schema and icons agree with each
# other, with the application id of this build and with the project version,
# and that the desktop file opens quorum:// links.
#
#   check-data.py APP_ID VERSION DESKTOP_FILE METAINFO_FILE SCHEMA_DIR ICONS_DIR

import configparser
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

errors = []


def expect(condition, message):
    if not condition:
        errors.append(message)


def check_desktop(path, app_id):
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str
    with open(path, encoding='utf-8') as f:
        entry.read_file(f)
    d = entry['Desktop Entry']
    expect(d.get('Type') == 'Application', 'desktop: Type is not Application')
    expect(d.get('Name') == 'Quorum', f'desktop: Name is {d.get("Name")!r}')
    # %U: invitation links arrive as URIs on the command line (or through
    # GApplication's open when the app already runs).
    expect(d.get('Exec') == 'quorum %U', f'desktop: Exec is {d.get("Exec")!r}, expected "quorum %U"')
    expect(d.get('Icon') == app_id, f'desktop: Icon is {d.get("Icon")!r}, expected {app_id}')
    mime = d.get('MimeType', '').split(';')
    expect('x-scheme-handler/quorum' in mime, 'desktop: does not handle x-scheme-handler/quorum')
    expect(d.get('Terminal', 'false') == 'false', 'desktop: Terminal must be false')
    expect(d.get('DBusActivatable', 'false') == 'false',
           'desktop: DBusActivatable needs a D-Bus service file the app does not install')


def check_metainfo(path, app_id, version):
    root = ET.parse(path).getroot()
    expect(root.tag == 'component' and root.get('type') == 'desktop-application',
           'metainfo: not a desktop-application component')
    expect(root.findtext('id') == app_id, f'metainfo: id is {root.findtext("id")!r}, expected {app_id}')
    launchables = [(l.get('type'), l.text) for l in root.findall('launchable')]
    expect(('desktop-id', app_id + '.desktop') in launchables,
           f'metainfo: no launchable desktop-id {app_id}.desktop')
    binaries = [b.text for b in root.findall('provides/binary')]
    expect('quorum' in binaries, 'metainfo: does not provide the binary quorum')
    expect(root.findtext('project_license') == 'GPL-3.0-or-later', 'metainfo: project_license')
    expect(root.findtext('metadata_license') == 'CC0-1.0', 'metainfo: metadata_license')
    expect(root.findtext('translation[@type="gettext"]') == 'quorum',
           'metainfo: translation domain is not quorum')
    rating = root.find('content_rating')
    expect(rating is not None and rating.get('type') == 'oars-1.1', 'metainfo: no oars-1.1 content rating')
    releases = root.findall('releases/release')
    expect(releases and releases[0].get('version') == version,
           f'metainfo: newest release is not the project version {version}')
    dates = [r.get('date', '') for r in releases]
    expect(all(re.fullmatch(r'\d{4}-\d{2}-\d{2}', d) for d in dates), 'metainfo: a release without a date')
    expect(dates == sorted(dates, reverse=True), 'metainfo: releases are not newest first')
    images = [i.text for i in root.findall('screenshots/screenshot/image')]
    expect(images, 'metainfo: no screenshots')
    for url in images:
        expect(re.fullmatch(r'https://quorumdesk\.org/screenshots/[a-z0-9-]+\.png', url or ''),
               f'metainfo: screenshot {url!r} is not under https://quorumdesk.org/screenshots/')
        # The published images are the ones kept in docs/screenshots/.
        local = os.path.join(os.environ['QUORUM_SOURCE_ROOT'], 'docs', 'screenshots',
                             (url or '').rsplit('/', 1)[-1])
        expect(os.path.isfile(local), f'metainfo: screenshot {url!r} has no file {local}')
    default = root.findall('screenshots/screenshot[@type="default"]')
    expect(len(default) == 1, 'metainfo: there must be exactly one default screenshot')


def check_schema(schema_dir, app_id):
    env = dict(os.environ, GSETTINGS_BACKEND='memory')

    def gsettings(*args):
        r = subprocess.run(['gsettings', '--schemadir', schema_dir] + list(args),
                           capture_output=True, text=True, env=env, check=False)
        if r.returncode != 0:
            errors.append(f'schema: gsettings {" ".join(args)}: {r.stderr.strip()}')
            return None
        return r.stdout.strip()

    keys = gsettings('list-keys', app_id)
    if keys is None:
        return
    expected = {
        'window-width': ('i', '960'),
        'window-height': ('i', '720'),
        'window-maximized': ('b', 'false'),
        'accounts': ('a(sss)', '@a(sss) []'),
        'last-organizations': ('a{ss}', '@a{ss} {}'),
        'insecure-servers': ('as', '@as []'),
    }
    expect(sorted(keys.split()) == sorted(expected), f'schema: keys are {sorted(keys.split())}')
    for key, (vtype, default) in expected.items():
        rng = gsettings('range', app_id, key)
        expect(rng == f'type {vtype}', f'schema: {key} has {rng!r}, expected type {vtype}')
        value = gsettings('get', app_id, key)
        expect(value == default, f'schema: {key} defaults to {value!r}, expected {default!r}')
    # The description must tell readers that no secret lives here.
    desc = gsettings('describe', app_id, 'accounts') or ''
    expect('not stored here' in desc.lower() or 'nothing secret' in desc.lower(),
           'schema: accounts description does not say tokens are not stored there')


def check_icons(icons_dir):
    svg = '{http://www.w3.org/2000/svg}'
    app = os.path.join(icons_dir, 'hicolor/scalable/apps/org.quorumdesk.Quorum.svg')
    sym = os.path.join(icons_dir, 'hicolor/symbolic/apps/org.quorumdesk.Quorum-symbolic.svg')
    for path in (app, sym):
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as e:
            errors.append(f'icon: {path}: {e}')
            continue
        expect(root.tag == svg + 'svg', f'icon: {path} is not SVG')
        size = 128 if path == app else 16
        expect(root.get('viewBox') == f'0 0 {size} {size}', f'icon: {path} viewBox is not {size}x{size}')
        if path == sym:
            colors = set(re.findall(r'#[0-9a-fA-F]{3,8}\b', open(path, encoding='utf-8').read()))
            expect(colors == {'#2e3436'}, f'icon: symbolic icon uses colors {sorted(colors)}')
            expect(not list(root.iter(svg + 'linearGradient')), 'icon: symbolic icon has a gradient')
            expect(not list(root.iter(svg + 'image')), 'icon: symbolic icon embeds a bitmap')
        else:
            expect(not list(root.iter(svg + 'image')), 'icon: app icon embeds a bitmap')


def main(argv):
    if len(argv) != 7:
        print('usage: check-data.py APP_ID VERSION DESKTOP_FILE METAINFO_FILE SCHEMA_DIR ICONS_DIR',
              file=sys.stderr)
        return 2
    app_id, version, desktop, metainfo, schema_dir, icons_dir = argv[1:]
    check_desktop(desktop, app_id)
    check_metainfo(metainfo, app_id, version)
    check_schema(schema_dir, app_id)
    check_icons(icons_dir)
    for e in errors:
        print(e, file=sys.stderr)
    if not errors:
        print('desktop file, metainfo, schema and icons agree')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
