#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""./run with QUORUM_PORT: the sign-in page suggests the server ./run started,
on that port, not the default 8080."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import unittest

import pyatspi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import atspi_helpers as a11y  # noqa: E402

SOURCE_ROOT = os.environ.get("QUORUM_SOURCE_ROOT", os.path.join(HERE, "..", ".."))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


class RunScriptTest(unittest.TestCase):
    def setUp(self):
        self.port = free_port()
        self.data_dir = tempfile.mkdtemp(prefix="quorum-run-test-")
        self.addCleanup(shutil.rmtree, self.data_dir, True)
        pyatspi.Registry.getDesktop(0).childCount  # noqa: B018
        env = a11y.app_env({"QUORUM_PORT": str(self.port),
                            "QUORUM_DEMO_DIR": self.data_dir,
                            "QUORUM_BUILDDIR": a11y.BUILD_ROOT,
                            "QUORUM_RUN_NO_BUILD": "1"})
        self.proc = subprocess.Popen([os.path.join(SOURCE_ROOT, "run")], env=env,
                                     start_new_session=True)
        self.addCleanup(self.stop)

    def stop(self):
        if self.proc.poll() is None:
            # The app and ./run's server with it.
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)

    def app(self):
        for pid in children_of(self.proc.pid):
            app = a11y.find_app(pid)
            if app is not None:
                return app
        return None

    def test_sign_in_suggests_the_started_server(self):
        app = a11y.wait_until(self.app, timeout=40, what="the app started by ./run")
        frame = a11y.wait_until(lambda: a11y.find(app, pyatspi.ROLE_FRAME, "Quorum"), what="the window")
        server = a11y.wait_until(lambda: a11y.find(frame, name="Server", role=pyatspi.ROLE_TEXT)
                                 or a11y.find(frame, name="Server", role=pyatspi.ROLE_ENTRY),
                                 what="the Server field")
        self.assertEqual(a11y.text_of(server), f"http://127.0.0.1:{self.port}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
