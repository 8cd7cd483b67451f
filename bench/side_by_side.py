# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""confd's built-in import and ours, one after the other on the same machine, on the same full
file (user, SIP line, extension, voicemail, incall; optionally username/password), each into a
fresh clone of the real asterisk schema.

    WAZO_DATA=../shared/wazo/data .venv/bin/python bench/side_by_side.py 2000 [--logins]
        [--builtin-rows 500] [--wazo-auth VENV | --stand-in]

With the real wazo-auth (bench/confd_import.py finds its virtualenv, as `make wazo-auth`
builds it): both imports run through bench/confd_import.py, the real confd behind cheroot and
the real wazo-auth each in their own process, a fresh stack each. `--builtin-rows N` times the
built-in on N rows (it takes minutes) and compares rates a row. With `--logins`, wazo-auth's
own rate for the same users (wazo_auth_client, as many in flight as ours) is measured first
in the same stack: the line says ours against it.
With the stand-in: the built-in runs through ../shared/wazo/bench/upstream_import.py (confd's
test client, its stand-ins in the same process); ours through bench/confd_import.py.
Prints which wazo-auth, both times and the ratio.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import confd_import  # noqa: E402  (the file's shape)

# next to the data: ../shared/wazo/{data,bench}
UPSTREAM = os.path.join(
    os.environ.get(
        'WAZO_DATA', os.path.join(HERE, '..', '..', 'shared', 'wazo', 'data')
    ),
    '..',
    'bench',
    'upstream_import.py',
)


def builtin(rows, logins):
    path = os.path.join(tempfile.mkdtemp(), 'full.csv')
    with open(path, 'wb') as stream:
        stream.write(confd_import.full_file(rows, logins))
    script = os.environ.get('WAZO_UPSTREAM_IMPORT', UPSTREAM)
    done = subprocess.run(
        [sys.executable, script, path, '--db', 'users_csv_bench_builtin'],
        capture_output=True,
        text=True,
    )
    found = re.search(r'UPSTREAM rows=(\d+) seconds=([\d.]+)', done.stdout)
    if not found or done.returncode != 0:
        sys.exit(
            f'the built-in import failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}'
        )
    print(done.stdout.strip().splitlines()[1][:300])
    return float(found.group(2))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('rows', type=int)
    parser.add_argument('--logins', action='store_true')
    parser.add_argument(
        '--auth-users',
        nargs='+',
        choices=('all', 'logins'),
        default=['all'],
        help='users_csv.auth_users modes to run ours in, one after the other',
    )
    parser.add_argument(
        '--builtin-rows', type=int, help='rows of the built-in\'s run (default: rows)'
    )
    parser.add_argument('--wazo-auth', help='the real wazo-auth\'s virtualenv')
    parser.add_argument('--stand-in', action='store_true')
    args = parser.parse_args()
    venv = (
        None if args.stand_in else (args.wazo_auth or confd_import.default_wazo_auth())
    )
    print(f'wazo-auth: {confd_import.about(venv)}', flush=True)
    theirs_rows = args.builtin_rows or args.rows
    if venv:
        theirs = child(theirs_rows, args.logins, 'all', venv, '--builtin')['seconds']
    else:
        theirs = builtin(theirs_rows, args.logins)
    for mode in args.auth_users:
        extra = ('--direct',) if venv and args.logins and mode == 'all' else ()
        ran = child(args.rows, args.logins, mode, venv, *extra)
        report(args, theirs_rows, theirs, mode, ran)
        if ran['direct']:
            direct_rate = args.rows / ran['direct']
            ours_rate = args.rows / ran['seconds']
            print(
                f'with logins: wazo-auth alone makes the same {args.rows} users at '
                f'{direct_rate:.1f}/s ({ran["workers"]} in flight); ours imports them at '
                f'{ours_rate:.1f} rows/s: {ours_rate / direct_rate:.0%} of wazo-auth\'s '
                'own rate',
                flush=True,
            )


def child(rows, logins, mode, venv, *extra):
    """bench/confd_import.py in a child process: confd's Flask app is one per process."""
    done = subprocess.run(
        [
            sys.executable,
            os.path.join(HERE, 'confd_import.py'),
            str(rows),
            '--auth-users',
            mode,
        ]
        + (['--logins'] if logins else [])
        + (['--wazo-auth', venv] if venv else ['--stand-in'])
        + list(extra),
        capture_output=True,
        text=True,
    )
    found = re.search(
        r'(?:OURS|BUILTIN) .*workers=(\d+) seconds=([\d.]+) .*sql_per_row=([\d.]+) '
        r'events_on_broker_after=([\d.]+)',
        done.stdout,
    )
    if not found:
        sys.exit(f'the import failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}')
    direct = re.search(r'DIRECT .* seconds=([\d.]+)', done.stdout)
    return {
        'workers': int(found.group(1)),
        'seconds': float(found.group(2)),
        'sql_per_row': float(found.group(3)),
        'relayed': float(found.group(4)),
        'direct': float(direct.group(1)) if direct else None,
    }


def report(args, theirs_rows, theirs, mode, ours):
    theirs_row = theirs / theirs_rows
    ours_row = ours['seconds'] / args.rows
    print(
        f'rows={args.rows} logins={args.logins} auth_users={mode} '
        f'builtin={theirs:.1f}s on {theirs_rows} rows ({theirs_row * 1000:.0f} ms/row) '
        f'ours={ours["seconds"]:.2f}s on {args.rows} rows ({ours_row * 1000:.2f} ms/row, '
        f'sql/row {ours["sql_per_row"]:.3f}, events on the broker after '
        f'{ours["relayed"]:.1f}s) speedup={theirs_row / ours_row:.0f}x (a row each)',
        flush=True,
    )


if __name__ == '__main__':
    main()
