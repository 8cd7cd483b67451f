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
        info = os.path.join(workdir, 'wazo-auth.json')
        self.log = os.path.join(workdir, 'wazo-auth.out')
        with open(self.log, 'wb') as log:
            self.child = subprocess.Popen(
                [
                    os.path.join(venv, 'bin', 'python'),
                    os.path.join(AUTH_DIR, 'run_wazo_auth.py'),
                    '--db',
                    self.database,
                    '--fresh',
                    '--exchange',
                    self.exchange,
                    '--workdir',
                    workdir,
                    '--info',
                    info,
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
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
