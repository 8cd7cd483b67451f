# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Our import inside the real wazo-confd: N full rows (user, SIP line, extension, voicemail,
incall) through confd's HTTP stack on a fresh clone of a real asterisk schema.

    WAZO_DATA=../shared/wazo/data .venv/bin/python bench/confd_import.py 2000 [--logins]
        [--preload 50000] [--wazo-auth VENV | --stand-in] [--direct] [--builtin]

Prints the seconds of the request, the SQL statements per row and when the last event was on
the broker, and which wazo-auth answered. wazo-auth runs in its own process, as on a PBX: the
real one (wazo-platform/wazo-auth, from ../shared/wazo/auth/) when its virtualenv exists
(`--wazo-auth VENV`, else $WAZO_AUTH_VENV, else .venv-auth: `make wazo-auth`), else the
loopback stand-in (`--stand-in` forces it).
`--preload N` first imports N other users (not timed): the rate into a full database.
`--direct` first times wazo-auth alone making the same users (wazo_auth_client, as many in
flight as ours), then deletes them (not timed): our rate against wazo-auth's own.
`--builtin` times confd's built-in import instead of ours, on the same stack.
bench/side_by_side.py runs both.
"""

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from wazo_confd_users_csv.backends.wazo.auth_users import (  # noqa: E402
    _keep_alive,
    workers_for,
)
from wazo_confd_users_csv_testing.confd import Confd  # noqa: E402
from wazo_confd_users_csv_testing.schema import clone, create, drop  # noqa: E402
from wazo_confd_users_csv_testing.standins import MASTER  # noqa: E402

WAZO_AUTH_COMMIT = 'f1c4e527'  # ../shared/wazo/auth/README.md: the wheel's commit


def default_wazo_auth():
    """The real wazo-auth's virtualenv when one is built, else None (the stand-in)."""
    venv = os.environ.get('WAZO_AUTH_VENV') or os.path.join(ROOT, '.venv-auth')
    return venv if os.path.exists(os.path.join(venv, 'bin', 'wazo-auth')) else None


def about(auth_venv):
    if auth_venv:
        return f'real wazo-auth {WAZO_AUTH_COMMIT} (one process, PostgreSQL)'
    return 'wazo-auth stand-in (loopback, about 1,000 users/s)'


def full_file(rows, logins, start=0):
    """The shape of ../shared/wazo/bench/gen_full_csv.py, from user `start` on."""
    header = (
        'firstname,lastname,exten,context,line_protocol,voicemail_name,voicemail_number,'
        'voicemail_context,incall_exten,incall_context'
    )
    lines = [header + (',username,password' if logins else '')]
    for i in range(start, start + rows):
        line = (
            f'First{i},Last{i},{100000 + i},default,sip,VM {i},{100000 + i},default,'
            f'{200000 + i},from-extern'
        )
        lines.append(line + (f',user{i},secret{i:06d}' if logins else ''))
    return ('\n'.join(lines) + '\n').encode()


class AuthProcess:
    """wazo-auth's stand-in in a child process."""

    def __init__(self):
        self.child = subprocess.Popen(
            [sys.executable, '-m', 'wazo_confd_users_csv_testing.standins', 'auth'],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.port = int(self.child.stdout.readline())

    def stop(self):
        self.child.stdin.close()
        self.child.wait(timeout=30)


def wait_relayed(confd):
    """When the outbox is empty: every event of the import is on the broker."""
    while confd.sql('SELECT count(*) AS n FROM users_csv_wazo_outbox')[0]['n']:
        time.sleep(0.05)
    return time.perf_counter()


@contextlib.contextmanager
def bench_confd(auth_venv=None, builtin=False, **settings):
    """The real confd with the plugin (or its built-in import) on a fresh clone of the real
    schema, wazo-auth (real or stand-in) in its own process; everything dropped afterwards.
    Yields (confd, auth, token)."""
    suffix = uuid.uuid4().hex[:8]
    template, db = f'users_csv_bench_tpl_{suffix}', f'users_csv_bench_{suffix}'
    create(template)
    clone(template, db)
    workdir = tempfile.mkdtemp()
    if auth_venv:
        from wazo_confd_users_csv_testing.realauth import RealAuth

        auth = RealAuth(auth_venv, workdir, suffix)
        token = auth.token
    else:
        auth, token = AuthProcess(), 'admin-token'
    try:
        confd = Confd(
            workdir,
            f'users-csv-bench-{suffix}',
            template,
            auth=auth,
            builtin=builtin,
            settings=settings,
        )
    except BaseException:
        auth.stop()
        raise
    confd.use_database(db)
    try:
        yield confd, auth, token
    finally:
        confd.stop()
        confd.release_database()
        drop(db)
        drop(template)


def auth_bodies(rows, logins, prefix):
    """What our import asks wazo-auth to make for each row (backends/wazo/backend._auth_body)."""
    for i in range(rows):
        user_uuid = str(uuid.uuid4())
        yield {
            'uuid': user_uuid,
            'firstname': f'First{i}',
            'lastname': f'Last{i}',
            'email_address': None,
            'username': f'{prefix}{i}' if logins else user_uuid,
            'password': f'secret{i:06d}' if logins else None,
            'enabled': True,
            'tenant_uuid': MASTER,
        }


def direct(auth, rows, logins, workers):
    """Seconds wazo-auth takes to make the users of `rows` rows itself (wazo_auth_client,
    `workers` in flight, a kept-alive connection each, as ours); they are deleted after.
    """
    from wazo_auth_client import Client

    local = threading.local()

    def client():
        if not hasattr(local, 'client'):
            local.client = _keep_alive(
                Client(
                    '127.0.0.1',
                    port=auth.port,
                    prefix=None,
                    https=False,
                    token=auth.token,
                )
            )
        return local.client

    bodies = list(auth_bodies(rows, logins, 'direct'))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda body: client().users.new(**body), bodies))
    seconds = time.perf_counter() - started
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda body: client().users.delete(body['uuid']), bodies))
    return seconds


def run(
    rows,
    logins=False,
    preload=0,
    auth_users='all',
    auth_venv=None,
    with_direct=False,
    builtin=False,
):
    """{'seconds', 'sql_per_row', 'relayed', 'export', 'direct', 'workers'} of one import of
    `rows` full rows."""
    statements = []
    with bench_confd(auth_venv, builtin, auth_users=auth_users) as (
        confd,
        auth,
        token,
    ):
        workers = workers_for({'host': '127.0.0.1'})  # as confd's plugin picks them
        seconds_direct = direct(auth, rows, logins, workers) if with_direct else None
        if preload:
            response = confd.post_csv(
                full_file(preload, logins, start=rows), tenant=MASTER, token=token
            )
            assert response.status_code == 201, response.text[:500]
            wait_relayed(confd)
        sa.event.listen(
            sa.engine.Engine,
            'before_cursor_execute',
            lambda *a, **k: statements.append(1),
        )
        body = full_file(rows, logins)
        started = time.perf_counter()
        response = confd.post_csv(body, tenant=MASTER, token=token)
        seconds = time.perf_counter() - started
        assert response.status_code in (200, 201), response.text[:500]
        sql = len(statements)
        relayed = 0.0 if builtin else wait_relayed(confd) - started
        result = {
            'seconds': seconds,
            'sql_per_row': sql / rows,
            'relayed': relayed,
            'direct': seconds_direct,
            'workers': workers,
        }
        started = time.perf_counter()
        exported = confd.request(
            'GET',
            '/users/export',
            tenant=MASTER,
            token=token,
            headers={'Accept': 'text/csv; charset=utf-8'},
            stream=True,
        )
        lines = sum(chunk.count(b'\n') for chunk in exported.iter_content(65536))
        result['export'] = (time.perf_counter() - started, lines - 1)
        return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('rows', type=int)
    parser.add_argument(
        '--logins', action='store_true', help='username/password columns'
    )
    parser.add_argument('--preload', type=int, default=0, help='users imported first')
    parser.add_argument(
        '--auth-users',
        choices=('all', 'logins'),
        default='all',
        help='users_csv.auth_users: which users get a wazo-auth user',
    )
    parser.add_argument('--wazo-auth', help='the real wazo-auth\'s virtualenv')
    parser.add_argument(
        '--stand-in',
        action='store_true',
        help='wazo-auth\'s stand-in, not the real one',
    )
    parser.add_argument(
        '--direct',
        action='store_true',
        help='first time wazo-auth alone making the same users',
    )
    parser.add_argument(
        '--builtin', action='store_true', help='confd\'s built-in import, not ours'
    )
    args = parser.parse_args()
    venv = None if args.stand_in else (args.wazo_auth or default_wazo_auth())
    print(f'wazo-auth: {about(venv)}', flush=True)
    result = run(
        args.rows,
        args.logins,
        args.preload,
        args.auth_users,
        venv,
        args.direct,
        args.builtin,
    )
    if result['direct'] is not None:
        print(
            f'DIRECT rows={args.rows} logins={args.logins} workers={result["workers"]} '
            f'seconds={result["direct"]:.2f} '
            f'users_per_s={args.rows / result["direct"]:.1f}'
        )
    print(
        f'{"BUILTIN" if args.builtin else "OURS"} rows={args.rows} logins={args.logins} '
        f'preload={args.preload} auth_users={args.auth_users} '
        f'wazo_auth={"real" if venv else "stand-in"} workers={result["workers"]} '
        f'seconds={result["seconds"]:.2f} rows_per_s={args.rows / result["seconds"]:.1f} '
        f'sql_per_row={result["sql_per_row"]:.3f} '
        f'events_on_broker_after={result["relayed"]:.2f} '
        f'export_users={result["export"][1]} export_seconds={result["export"][0]:.2f}'
    )


if __name__ == '__main__':
    main()
