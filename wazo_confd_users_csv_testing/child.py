# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real wazo-confd in a child process, on a database that exists, with wazo-auth at a port
of the parent's choosing (its stand-in, or the real one): a test can kill it (-9) in the middle
of a request and start another on the same database, as a PBX restarts confd.

    python -m wazo_confd_users_csv_testing.child --database NAME --exchange NAME \\
        --auth-port N [--auth-at-root] [--settings JSON]

prints `serving URL` once it serves, then serves until its standard input closes.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

from .confd import ConfdClient
from .schema import REPO


class RemoteAuth:
    """wazo-auth in another process: confd needs its port (and its prefix: the real one is
    served at its root, the stand-in also under wazo_auth_client's default /api/auth).
    """

    def __init__(self, port, at_root):
        self.port = port
        if at_root:
            self.prefix = None

    def stop(self):
        pass


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument('--database', required=True)
    parser.add_argument('--exchange', required=True)
    parser.add_argument('--auth-port', type=int, required=True)
    parser.add_argument('--auth-at-root', action='store_true')
    parser.add_argument('--settings', default='{}', help="users_csv's, in JSON")
    args = parser.parse_args(argv)
    from .confd import Confd

    workdir = tempfile.mkdtemp(prefix='users-csv-child-confd-')
    try:
        confd = Confd(
            workdir,
            args.exchange,
            args.database,
            auth=RemoteAuth(args.auth_port, args.auth_at_root),
            settings=json.loads(args.settings),
            broker_proxy=False,
        )
        confd.use_database(args.database)
        print(f'serving {confd.url}', flush=True)
        sys.stdin.read()
        confd.stop()
        confd.release_database()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


class ChildConfd(ConfdClient):
    """The parent's side: start, kill -9, stop."""

    def __init__(
        self,
        database,
        exchange,
        auth_port,
        auth_at_root=False,
        timeout=120,
        settings=None,
    ):
        command = [
            sys.executable,
            '-m',
            'wazo_confd_users_csv_testing.child',
            '--database',
            database,
            '--exchange',
            exchange,
            '--auth-port',
            str(auth_port),
        ]
        if auth_at_root:
            command.append('--auth-at-root')
        if settings:
            command += ['--settings', json.dumps(settings)]
        self.child = subprocess.Popen(
            command,
            cwd=REPO,
            env=dict(os.environ, PYTHONPATH=REPO),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = []
        served = []

        def read():
            for line in self.child.stdout:
                self.lines.append(line)
                if line.startswith('serving ') and not served:
                    served.append(line.split()[1])

        threading.Thread(target=read, daemon=True).start()
        waited = threading.Event()
        for _ in range(int(timeout * 10)):
            if served or self.child.poll() is not None:
                break
            waited.wait(0.1)
        if not served:
            self.kill()
            raise RuntimeError('confd did not start:\n' + ''.join(self.lines[-50:]))
        super().__init__(served[0], database)

    def kill(self):
        """SIGKILL: no handler, no clean-up, as a crash or the OOM killer."""
        if self.child.poll() is None:
            self.child.send_signal(signal.SIGKILL)
        self.child.wait()

    def stop(self):
        if self.child.poll() is None:
            self.child.stdin.close()
            try:
                self.child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


if __name__ == '__main__':
    sys.exit(main())
