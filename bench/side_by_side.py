# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""confd's built-in import and ours, one after the other on the same machine, on the same full
file (user, SIP line, extension, voicemail, incall; optionally username/password), each into a
fresh clone of the real asterisk schema.

    WAZO_DATA=../shared/wazo/data .venv/bin/python bench/side_by_side.py 2000 [--logins]

The built-in runs through ../shared/wazo/bench/upstream_import.py (confd's test client, its
stand-ins in the same process); ours through bench/confd_import.py (cheroot on a socket,
wazo-auth's stand-in in its own process). Prints both times and the ratio.
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
    args = parser.parse_args()
    theirs = builtin(args.rows, args.logins)
    for mode in args.auth_users:
        report(args, theirs, mode, ours(args.rows, args.logins, mode))


def ours(rows, logins, mode):
    """bench/confd_import.py in a child process: confd's Flask app is one per process."""
    done = subprocess.run(
        [
            sys.executable,
            os.path.join(HERE, 'confd_import.py'),
            str(rows),
            '--auth-users',
            mode,
        ]
        + (['--logins'] if logins else []),
        capture_output=True,
        text=True,
    )
    found = re.search(
        r'seconds=([\d.]+) .*sql_per_row=([\d.]+) ' r'events_on_broker_after=([\d.]+)',
        done.stdout,
    )
    if not found:
        sys.exit(f'our import failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}')
    return {
        'seconds': float(found.group(1)),
        'sql_per_row': float(found.group(2)),
        'relayed': float(found.group(3)),
    }


def report(args, theirs, mode, ours):
    print(
        f'rows={args.rows} logins={args.logins} auth_users={mode} builtin={theirs:.1f}s '
        f'({theirs / args.rows * 1000:.0f} ms/row) ours={ours["seconds"]:.2f}s '
        f'({ours["seconds"] / args.rows * 1000:.2f} ms/row, sql/row '
        f'{ours["sql_per_row"]:.3f}, events on the broker after {ours["relayed"]:.1f}s) '
        f'speedup={theirs / ours["seconds"]:.0f}x'
    )


if __name__ == '__main__':
    main()
