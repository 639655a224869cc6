# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives the running app through AT-SPI, the way a screen reader sees it."""
import os
import re
import subprocess
import sys
import time

import pyatspi

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))

from quorum_wait import stays_false  # noqa: E402,F401
from quorum_wait import wait_until as _wait_until  # noqa: E402

BUILD_ROOT = os.environ["QUORUM_BUILD_ROOT"]
APP_BINARY = os.path.join(BUILD_ROOT, "src", "quorum")


def app_env(extra=None):
    env = dict(os.environ)
    # The tests' default environment turns accessibility off; here we need it.
    env.pop("NO_AT_BRIDGE", None)
    env.pop("GTK_A11Y", None)
    env["GSETTINGS_SCHEMA_DIR"] = os.path.join(BUILD_ROOT, "data")
    env.setdefault("GSETTINGS_BACKEND", "memory")
    if extra:
        env.update(extra)
    return env


def launch(args=(), extra_env=None):
    # Start the accessibility bus and registry before the app, so the app finds
    # them when it starts rather than racing their activation.
    pyatspi.Registry.getDesktop(0).childCount  # noqa: B018
    return subprocess.Popen([APP_BINARY, *args], env=app_env(extra_env))


def wait_until(predicate, timeout=20.0, what="condition"):
    """predicate's first true value, looked at every 0.1 s; fails naming
    what it waited for after timeout seconds."""
    return _wait_until(predicate, timeout, what, interval=0.1)


def quorum_pids():
    """Processes running the built binary."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.readlink(f"/proc/{entry}/exe") == os.path.realpath(APP_BINARY):
                    pids.append(int(entry))
            except OSError:
                continue
    return pids


def quorum_apps():
    desktop = pyatspi.Registry.getDesktop(0)
    apps = []
    for app in desktop:
        try:
            if app is not None and app.get_process_id() in quorum_pids():
                apps.append(app)
        except Exception:  # an application that went away meanwhile
            continue
    return apps


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:  # an application that went away meanwhile
            continue
    return None


def has_click(node):
    try:
        action = node.queryAction()
    except NotImplementedError:
        return False
    return any(action.getName(i) in ("click", "press", "activate") for i in range(action.nActions))


def find(root, role=None, name=None, clickable=False):
    """The first descendant with this role and accessible name (GTK 4.8 does not
    report the showing state of children, so hidden widgets match too)."""
    def match(node):
        try:
            if role is not None and node.getRole() != role:
                return False
            if name is not None and node.name != name:
                return False
            if clickable and not has_click(node):
                return False
            return True
        except Exception:
            return False

    return pyatspi.findDescendant(root, match, breadth_first=True)


def button_starting(root, prefix):
    """A push button whose accessible name starts with `prefix` (GTK 4.8
    appends a button's own label to the name it is given, mnemonic and all:
    "_Top Up… Top Up…")."""
    return pyatspi.findDescendant(
        root, lambda n: n is not None and n.getRole() == pyatspi.ROLE_PUSH_BUTTON
        and n.name.replace("_", "").startswith(prefix))


def main_window(pid):
    """(app, frame): the process pid on the AT-SPI bus, and its Quorum window."""
    app = wait_until(lambda: find_app(pid), what="the app on the AT-SPI bus")
    frame = wait_until(lambda: find(app, pyatspi.ROLE_FRAME, "Quorum"), what="the Quorum window")
    return app, frame


def frames(app, name):
    return [w for w in app if w is not None and w.getRole() == pyatspi.ROLE_FRAME and w.name == name]


def frame(app, name):
    """The first of frames(), or None."""
    return next(iter(frames(app, name)), None)


def find_text(root, *parts):
    """A descendant whose name, or text, holds all of these."""
    def match(node):
        try:
            text = node.name or ""
            if not text and node.getRole() == pyatspi.ROLE_LABEL:
                text = text_of(node)
            return all(p in text for p in parts)
        except Exception:
            return False
    return pyatspi.findDescendant(root, match, breadth_first=True)


def password_field(root, name):
    """A password entry: GTK 4.8 gives it the password-text role, later
    versions plain text."""
    return find(root, pyatspi.ROLE_PASSWORD_TEXT, name) or find(root, pyatspi.ROLE_TEXT, name)


def set_text(node, text):
    node.queryEditableText().setTextContents(text)


def text_of(node):
    t = node.queryText()
    return t.getText(0, t.characterCount)


def sensitive(node):
    return node.getState().contains(pyatspi.STATE_SENSITIVE)


def fill_sign_in(root, email, password, what="the sign-in form"):
    """Waits for the sign-in view's E-mail field in root, and types email and
    password."""
    email_field = wait_until(lambda: find(root, pyatspi.ROLE_TEXT, "E-mail"), what=what)
    set_text(email_field, email)
    set_text(password_field(root, "Password"), password)


def click(node):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "press", "activate"):
            action.doAction(i)
            return
    raise AssertionError(f"{node.name!r} has no click action")


def open_demo_members(frame, email, password):
    """Signs in through the sign-in view in frame as a person of the demo
    data (`quorum-server --demo`), waits for Acme Robotics and opens its
    Members tab (the first page of members may still be on its way)."""
    fill_sign_in(frame, email, password)
    click(find(frame, pyatspi.ROLE_PUSH_BUTTON, "Sign In", clickable=True))
    wait_until(lambda: find(frame, pyatspi.ROLE_LABEL, "Acme Robotics"),
               what="the demo organization", timeout=60)
    click(wait_until(lambda: find(frame, name="Members", clickable=True), what="the Members tab"))


def window_action(app_id, action):
    """Activates the action win.<action> of the app's first window through
    org.gtk.Actions on the session bus, as the window's own button would
    (e.g. "retry": the banner's Retry)."""
    subprocess.run(["gdbus", "call", "--session", "--dest", app_id,
                    "--object-path", "/" + app_id.replace(".", "/") + "/window/1",
                    "--method", "org.gtk.Actions.Activate", action, "[]", "{}"],
                   check=True, stdout=subprocess.DEVNULL)


# -- screenshots ---------------------------------------------------------

SETTLE_SECONDS = 1.5  # for animations to end before a picture, nothing else waits on it

_XWININFO_LINE = re.compile(r'^\s*(0x[0-9a-f]+) "(.*)": \(.*\)\s+(\d+)x(\d+)\+-?\d+\+-?\d+\s+\+(-?\d+)\+(-?\d+)\s*$')


def window_geometry(title, exclude=()):
    """(id, width, height, x, y) of the largest top-level X window named
    `title` whose id is not in `exclude`, from xwininfo (no window manager:
    the app's own windows are children of the root)."""
    out = subprocess.run(["xwininfo", "-root", "-children"], capture_output=True, text=True,
                         check=True).stdout
    found = []
    for line in out.splitlines():
        m = _XWININFO_LINE.match(line)
        if m and m.group(2) == title and m.group(1) not in exclude:
            wid, w, h, x, y = m.group(1), int(m.group(3)), int(m.group(4)), int(m.group(5)), int(m.group(6))
            found.append((w * h, (wid, w, h, x, y)))
    if not found:
        raise AssertionError(f"no X window named {title!r} in:\n{out}")
    return max(found)[1]


def grab(path, title="Quorum", exclude=()):
    """What is on screen where the window titled `title` is, to `path`."""
    wid, width, height, x, y = window_geometry(title, exclude)
    subprocess.run(["import", "-window", "root", "-crop", f"{width}x{height}+{x}+{y}", "+repage", path],
                   check=True)
    return wid, width, height


def shoot(out_dir, name, title="Quorum", under=None, exclude=()):
    """Writes NAME.png (NAME-dark.png with ADW_DEBUG_COLOR_SCHEME=prefer-dark):
    the window titled `title` alone, at its own size and place — what is on
    screen there, so a dialog or popover over it is in the picture, and no
    part of the root window around it is. Xvfb has no compositing manager, so
    a popover's shadow is drawn pure black: with `under` (a grab() of the
    window before the popover opened) the window shows through there.
    `exclude` holds ids of windows with the same title to leave out (the
    main window, for another window also titled "Quorum")."""
    suffix = "-dark" if os.environ.get("ADW_DEBUG_COLOR_SCHEME") == "prefer-dark" else ""
    time.sleep(SETTLE_SECONDS)
    path = os.path.join(out_dir, f"{name}{suffix}.png")
    wid, width, height = grab(path, title, exclude)
    if under is not None:
        subprocess.run(["convert", under, "(", path, "-transparent", "black", ")", "-composite", path],
                       check=True)
    print("wrote", path, f"({title!r}, window {wid}, {width}x{height})")
    return path


# -- keyboard ------------------------------------------------------------

KEY_TAB = 0xff09
KEY_RETURN = 0xff0d
KEY_DOWN = 0xff54
KEY_SPACE = 0x20


def press(keysym):
    """One key press and release, through XTest, to the window with the focus."""
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)


def focused(node):
    return node.getState().contains(pyatspi.STATE_FOCUSED)


def shown(node):
    """GTK 4.8 marks a hidden widget (gtk_widget_set_visible FALSE) without
    the visible state; a widget inside a hidden parent still reports it."""
    return node.getState().contains(pyatspi.STATE_VISIBLE)


def focus_by_key(node, keysym=KEY_TAB, presses=40, what=None):
    """Presses keysym (Tab) until node has the keyboard focus, as a keyboard
    user moves through a window; fails if it never gets it."""
    for _ in range(presses):
        if focused(node):
            return node
        press(keysym)
        time.sleep(0.15)
    if not focused(node):
        raise AssertionError(f"could not move the keyboard focus to {what or node.name!r}")
    return node


def descendants(root):
    """Every node under root (root included), depth first."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        yield node
        try:
            stack.extend(reversed(list(node)))
        except Exception:
            continue


def choose_organization(switcher, org):
    """Opens the organization switcher (its button) and chooses org from its
    list. GTK 4.8 gives list rows no action: the keyboard goes to the open
    popover (it grabs it), arrows move the focus to the row, Enter activates
    it — as a keyboard user does."""
    click(switcher)
    popover = wait_until(lambda: find(switcher.parent, name="GtkPopover"), what="the open switcher")

    def row():
        return next((n for n in descendants(popover)
                     if n.getRole() == pyatspi.ROLE_LIST_ITEM and (n.name or "").startswith(org + ",")), None)
    item = wait_until(row, what=f"{org} in the switcher")
    focus_by_key(item, KEY_DOWN, presses=10, what=org)
    press(KEY_RETURN)
