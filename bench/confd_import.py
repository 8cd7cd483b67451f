# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Our import inside the real wazo-confd: N full rows (user, SIP line, extension, voicemail,
incall) through confd's HTTP stack on a fresh clone of a real asterisk schema.

    WAZO_DATA=../shared/wazo/data .venv/bin/python bench/confd_import.py 2000 [--logins]
        [--preload 50000]

Prints the seconds of the request, the SQL statements per row and when the last event was on
the broker. wazo-auth's stand-in runs in its own process, as wazo-auth does on a PBX.
`--preload N` first imports N other users (not timed): the rate into a full database.
bench/side_by_side.py runs confd's built-in import on the same file.
"""

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import uuid

import sqlalchemy as sa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from wazo_confd_users_csv_testing.confd import Confd  # noqa: E402
from wazo_confd_users_csv_testing.schema import clone, create, drop  # noqa: E402
from wazo_confd_users_csv_testing.standins import MASTER  # noqa: E402


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
def bench_confd(**settings):
    """The real confd with the plugin on a fresh clone of the real schema, wazo-auth's stand-in
    in its own process; everything dropped afterwards."""
    suffix = uuid.uuid4().hex[:8]
    template, db = f'users_csv_bench_tpl_{suffix}', f'users_csv_bench_{suffix}'
    create(template)
    clone(template, db)
    confd = Confd(
        tempfile.mkdtemp(),
        f'users-csv-bench-{suffix}',
        template,
        auth=AuthProcess(),
        settings=settings,
    )
    confd.use_database(db)
    try:
        yield confd
    finally:
        confd.stop()
        confd.release_database()
        drop(db)
        drop(template)


def run(rows, logins=False, preload=0, auth_users='all'):
    """{'seconds', 'sql_per_row', 'relayed'} of one import of `rows` full rows."""
    statements = []
    with bench_confd(auth_users=auth_users) as confd:
        if preload:
            response = confd.post_csv(
                full_file(preload, logins, start=rows), tenant=MASTER
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
        response = confd.post_csv(body, tenant=MASTER)
        seconds = time.perf_counter() - started
        assert response.status_code == 201, response.text[:500]
        sql = len(statements)
        relayed = wait_relayed(confd) - started
        result = {'seconds': seconds, 'sql_per_row': sql / rows, 'relayed': relayed}
        started = time.perf_counter()
        exported = confd.request(
            'GET',
            '/users/export',
            tenant=MASTER,
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
    args = parser.parse_args()
    result = run(args.rows, args.logins, args.preload, args.auth_users)
    print(
        f'OURS rows={args.rows} logins={args.logins} preload={args.preload} '
        f'auth_users={args.auth_users} '
        f'seconds={result["seconds"]:.2f} rows_per_s={args.rows / result["seconds"]:.0f} '
        f'sql_per_row={result["sql_per_row"]:.3f} '
        f'events_on_broker_after={result["relayed"]:.2f} '
        f'export_users={result["export"][1]} export_seconds={result["export"][0]:.2f}'
    )


if __name__ == '__main__':
    main()
