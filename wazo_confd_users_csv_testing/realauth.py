# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real wazo-auth in a child process of its own virtualenv (`make wazo-auth` builds it):
../shared/wazo/auth/run_wazo_auth.py migrates a database of its own, serves wazo-auth on a
loopback port, makes the two tenants of confd's test seed and confd's service user, and writes
a JSON line saying the port and an admin token. Everything it made is dropped by `stop()`.
"""

import json
import os
import signal
import subprocess
import time

import kombu

from .confd import AMQP_URL
from .schema import REPO, WAZO_DATA, drop

AUTH_DIR = os.path.join(os.path.dirname(WAZO_DATA), 'auth')
VENV = os.path.join(REPO, '.venv-auth')  # make wazo-auth's default WAZO_AUTH_VENV


def find_venv():
    """The real wazo-auth's virtualenv (WAZO_AUTH_VENV, else make wazo-auth's), or None
    when it is not built."""
    venv = os.environ.get('WAZO_AUTH_VENV') or VENV
    return venv if os.path.exists(os.path.join(venv, '.installed')) else None


class RealAuth:
    prefix = None  # served at its root, not behind nginx's /api/auth

    def __init__(self, venv, workdir, suffix, timeout=180):
        # run_wazo_auth.py makes and drops only names of these shapes
        self.database = f'wazo_auth_bench_confd_{suffix}'
        self.exchange = f'wazo-auth-bench-confd-{suffix}'
        self.venv = venv
        self.workdir = workdir
        self.timeout = timeout
        self.log = os.path.join(workdir, 'wazo-auth.out')
        self._launch(['--fresh'])

    def _launch(self, extra):
        info = os.path.join(self.workdir, 'wazo-auth.json')
        if os.path.exists(info):
            os.unlink(info)
        with open(self.log, 'ab') as log:
            self.child = subprocess.Popen(
                [
                    os.path.join(self.venv, 'bin', 'python'),
                    os.path.join(AUTH_DIR, 'run_wazo_auth.py'),
                    '--db',
                    self.database,
                    '--exchange',
                    self.exchange,
                    '--workdir',
                    self.workdir,
                    '--info',
                    info,
                    *extra,
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + self.timeout
        while not os.path.exists(info) or not os.path.getsize(info):
            if self.child.poll() is not None or time.monotonic() > deadline:
                self.stop()
                with open(self.log, encoding='utf-8', errors='replace') as stream:
                    tail = stream.read()[-2000:]
                raise RuntimeError(f'wazo-auth did not start:\n{tail}')
            time.sleep(0.2)
        with open(info, encoding='utf-8') as stream:
            self.info = json.load(stream)
        self.port = self.info['port']
        self.token = self.info['admin_token']
        self.admin = self.info['admin_user']  # [username, password]

    def kill(self):
        """SIGKILL: wazo-auth gone at once (a crash), its database left as it was."""
        if self.child.poll() is None:
            self.child.kill()
        self.child.wait()

    def restart(self):
        """wazo-auth again, on the same database and port (its users, tenants and tokens
        are kept: run_wazo_auth.py's set-up only adds what is missing)."""
        self.kill()
        self._launch(['--port', str(self.port)])

    def stop(self):
        """Idempotent: the launcher and confd may both ask."""
        if self.child.poll() is None:
            self.child.send_signal(signal.SIGTERM)
            try:
                self.child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.child.kill()
                self.child.wait()
        drop(self.database)
        with kombu.Connection(AMQP_URL) as connection:
            kombu.Exchange(self.exchange, type='headers')(connection).delete()
