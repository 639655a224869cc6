#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks a Flatpak manifest of Quorum without building it (Flatpak remotes are
# out of reach in CI): valid JSON, the application id and command, the GNOME
# runtime, exactly the sandbox holes the app needs, libsodium built from a
# pinned archive, and the app built from this checkout with meson options that
# exist in meson_options.txt.
#
#   check-flatpak-manifest.py MANIFEST MESON_OPTIONS_TXT
#   check-flatpak-manifest.py --self-test MANIFEST MESON_OPTIONS_TXT
#
# --self-test feeds the checker broken copies of MANIFEST and fails unless
# every one of them is rejected, so the check itself cannot silently pass.

import copy
import json
import os
import re
import sys

STABLE_ID = 'org.quorumdesk.Quorum'
DEVEL_ID = STABLE_ID + '.Devel'
FINISH_ARGS = {
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
}


class ManifestError(Exception):
    pass


def reject_duplicates(pairs):
    keys = [k for k, _ in pairs]
    for k in keys:
        if keys.count(k) > 1:
            raise ManifestError(f'duplicate key "{k}"')
    return dict(pairs)


def parse_json(text):
    try:
        return json.loads(text, object_pairs_hook=reject_duplicates)
    except json.JSONDecodeError as e:
        raise ManifestError(f'not valid JSON: {e}') from None


def meson_options(path):
    """Returns {name: (type, choices or None)} from meson_options.txt."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    options = {}
    for m in re.finditer(r"option\(\s*'([^']+)'\s*,\s*type\s*:\s*'(\w+)'([^)]*)\)", text):
        name, kind, rest = m.group(1), m.group(2), m.group(3)
        choices = None
        c = re.search(r"choices\s*:\s*\[([^\]]*)\]", rest)
        if c:
            choices = re.findall(r"'([^']*)'", c.group(1))
        options[name] = (kind, choices)
    if not options:
        raise ManifestError(f'no options found in {path}')
    return options


def check_option(arg, options):
    m = re.fullmatch(r'-D([A-Za-z0-9_.:-]+)=(.*)', arg)
    if not m:
        raise ManifestError(f'config-opts entry "{arg}" is not -Dname=value')
    name, value = m.group(1), m.group(2)
    builtin = {'buildtype', 'prefix', 'libdir', 'b_lto', 'b_sanitize', 'werror', 'optimization'}
    if name in builtin:
        return name, value
    if name not in options:
        raise ManifestError(f'meson option "{name}" does not exist in meson_options.txt')
    kind, choices = options[name]
    if kind == 'boolean' and value not in ('true', 'false'):
        raise ManifestError(f'boolean option "{name}" given "{value}"')
    if kind == 'combo' and choices is not None and value not in choices:
        raise ManifestError(f'option "{name}" given "{value}", not one of {choices}')
    if kind == 'integer' and not re.fullmatch(r'-?[0-9]+', value):
        raise ManifestError(f'integer option "{name}" given "{value}"')
    return name, value


def check(m, options, manifest_dir):
    if not isinstance(m, dict):
        raise ManifestError('the manifest is not a JSON object')

    app_id = m.get('id', m.get('app-id'))
    if 'id' in m and 'app-id' in m:
        raise ManifestError('both "id" and "app-id" are set')
    if app_id not in (STABLE_ID, DEVEL_ID):
        raise ManifestError(f'application id is {app_id!r}, expected {STABLE_ID} or {DEVEL_ID}')

    if m.get('command') != 'quorum':
        raise ManifestError(f'command is {m.get("command")!r}, expected "quorum"')
    if m.get('runtime') != 'org.gnome.Platform' or m.get('sdk') != 'org.gnome.Sdk':
        raise ManifestError('runtime/sdk must be org.gnome.Platform/org.gnome.Sdk')
    version = m.get('runtime-version')
    if not isinstance(version, str) or not re.fullmatch(r'[0-9]+', version) or int(version) < 47:
        raise ManifestError(f'runtime-version {version!r} is not a current GNOME release')

    finish_args = m.get('finish-args')
    if not isinstance(finish_args, list) or not all(isinstance(a, str) for a in finish_args):
        raise ManifestError('finish-args must be a list of strings')
    for a in finish_args:
        if 'org.freedesktop.secrets' in a:
            raise ManifestError(f'"{a}": libsecret goes through the Secret portal in the sandbox')
    if len(finish_args) != len(set(finish_args)) or set(finish_args) != FINISH_ARGS:
        extra = sorted(set(finish_args) - FINISH_ARGS)
        missing = sorted(FINISH_ARGS - set(finish_args))
        raise ManifestError(f'finish-args differ: extra {extra}, missing {missing}, or duplicated')

    modules = m.get('modules')
    if not isinstance(modules, list) or not modules:
        raise ManifestError('no modules')
    for mod in modules:
        if not isinstance(mod, dict) or not isinstance(mod.get('name'), str):
            raise ManifestError('every module must be an object with a name')
        for src in mod.get('sources', []):
            if not isinstance(src, dict) or 'type' not in src:
                raise ManifestError(f'module {mod["name"]}: a source without a type')
            if src['type'] in ('archive', 'file') and 'url' in src:
                if not src['url'].startswith('https://'):
                    raise ManifestError(f'module {mod["name"]}: {src["url"]} is not https')
                if not re.fullmatch(r'[0-9a-f]{64}', str(src.get('sha256', ''))):
                    raise ManifestError(f'module {mod["name"]}: archive without a sha256')

    # libsodium is not part of the GNOME runtime.
    if not any(mod['name'] == 'libsodium' for mod in modules[:-1]):
        raise ManifestError('no libsodium module before the app')

    app = modules[-1]
    if app['name'] != 'quorum':
        raise ManifestError('the last module must be the app, "quorum"')
    if app.get('buildsystem') != 'meson':
        raise ManifestError('the app must be built with meson')
    sources = app.get('sources')
    if not isinstance(sources, list) or len(sources) != 1 or sources[0].get('type') != 'dir':
        raise ManifestError('the app must be built from a single "dir" source: this checkout')
    checkout = os.path.normpath(os.path.join(manifest_dir, sources[0].get('path', '')))
    try:
        with open(os.path.join(checkout, 'meson.build'), encoding='utf-8') as f:
            if not re.search(r"project\(\s*'quorum'", f.read()):
                raise ManifestError(f'{checkout} is not the Quorum checkout')
    except OSError:
        raise ManifestError(f'{checkout}/meson.build cannot be read') from None

    opts = app.get('config-opts', [])
    if not isinstance(opts, list):
        raise ManifestError('config-opts must be a list')
    given = dict(check_option(o, options) for o in opts)
    if given.get('app', 'true') != 'true':
        raise ManifestError('the Flatpak must build the app (-Dapp=true)')
    development = given.get('development', 'false') == 'true'
    if development != (app_id == DEVEL_ID):
        raise ManifestError(f'application id {app_id} does not match -Ddevelopment={str(development).lower()}')


def check_text(text, options, manifest_dir):
    check(parse_json(text), options, manifest_dir)


def self_test(text, options, manifest_dir):
    good = parse_json(text)
    check(good, options, manifest_dir)

    def mutate(fn):
        m = copy.deepcopy(good)
        fn(m)
        return json.dumps(m)

    def set_app(key, value):
        return mutate(lambda m: m['modules'][-1].__setitem__(key, value))

    broken = {
        'invalid JSON': text.rstrip().rstrip('}'),
        'duplicate key': text.replace('"command": "quorum"', '"command": "quorum", "command": "x"', 1),
        'wrong id': mutate(lambda m: m.__setitem__('id', 'org.example.Other')),
        'wrong command': mutate(lambda m: m.__setitem__('command', 'quorum-server')),
        'secrets talk-name': mutate(lambda m: m['finish-args'].append('--talk-name=org.freedesktop.secrets')),
        'home access': mutate(lambda m: m['finish-args'].append('--filesystem=home')),
        'no network': mutate(lambda m: m['finish-args'].remove('--share=network')),
        'old runtime': mutate(lambda m: m.__setitem__('runtime-version', '3.38')),
        'unknown option': set_app('config-opts', good['modules'][-1]['config-opts'] + ['-Dno_such_option=true']),
        'bad boolean': set_app('config-opts', ['-Dapp=yes']),
        'id/profile mismatch': set_app('config-opts', [o for o in good['modules'][-1]['config-opts']
                                                       if 'development' not in o]
                                       + ['-Ddevelopment=' + ('false' if 'Devel' in str(good.get('id')) else 'true')]),
        'not meson': set_app('buildsystem', 'cmake-ninja'),
        'other checkout': set_app('sources', [{'type': 'dir', 'path': '/nonexistent'}]),
        'no libsodium': mutate(lambda m: m.__setitem__('modules', m['modules'][-1:])),
        'unpinned archive': mutate(lambda m: m['modules'][0]['sources'][0].pop('sha256')),
    }
    failures = 0
    for what, bad in broken.items():
        try:
            check_text(bad, options, manifest_dir)
        except ManifestError as e:
            print(f'ok: {what}: rejected ({e})')
        else:
            print(f'FAIL: {what}: accepted')
            failures += 1
    return failures == 0


def main(argv):
    selftest = len(argv) > 1 and argv[1] == '--self-test'
    args = argv[2:] if selftest else argv[1:]
    if len(args) != 2:
        print('usage: check-flatpak-manifest.py [--self-test] MANIFEST MESON_OPTIONS_TXT',
              file=sys.stderr)
        return 2
    manifest, options_path = args
    with open(manifest, encoding='utf-8') as f:
        text = f.read()
    try:
        options = meson_options(options_path)
        manifest_dir = os.path.dirname(os.path.abspath(manifest))
        if selftest:
            return 0 if self_test(text, options, manifest_dir) else 1
        check_text(text, options, manifest_dir)
    except ManifestError as e:
        print(f'{manifest}: {e}', file=sys.stderr)
        return 1
    print(f'{manifest}: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
