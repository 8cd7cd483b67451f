# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The standalone export's own cost, without HTTP: wall time and CPU time (PostgreSQL's
backend and this process) of `csv_chunks` on one database, run again and again.

    .venv/bin/python bench/export_query.py [--users 10000] [--runs 10] [--rounds 3]
        [--other PATH] [--analyze]

CPU time is what a loaded machine disturbs least. With --other PATH (a checkout's directory
holding another `wazo_confd_users_csv`, e.g. `git worktree add` or `git archive` of a commit)
each round runs that code, then this one, on the same database: a before/after in one
session. The database is filled through the CLI import as bench/export_bench.py does and is
left without statistics (the bench's autovacuum may not have run) unless --analyze.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

MEASURE = r'''
import json, os, sys, time
try:
    from wazo_confd_users_csv.backends.standalone import export
except ImportError:  # the code before issue 23's moves (e.g. 89ee5b6)
    from wazo_confd_users_csv import export
from wazo_confd_users_csv.database.session import Database

def backend_cpu(pid):
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')

database = Database(sys.argv[1])
found = []
for _ in range(int(sys.argv[2])):
    with database.engine.connect() as connection:  # the pooled connection the export takes
        pid = connection.exec_driver_sql('SELECT pg_backend_pid()').scalar()
    backend, own, started = backend_cpu(pid), time.process_time(), time.monotonic()
    size = sum(len(chunk) for chunk in export.csv_chunks(database))
    found.append({
        'wall': time.monotonic() - started,
        'postgresql_cpu': backend_cpu(pid) - backend,
        'python_cpu': time.process_time() - own,
        'chars': size,
    })
print(json.dumps({'code': export.__file__, 'runs': found}))
'''


def measure(uri, runs, path=None):
    env = dict(os.environ)
    if path:
        env['PYTHONPATH'] = path
    out = subprocess.run(
        [sys.executable, '-c', MEASURE, uri, str(runs)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd='/',
    )
    return json.loads(out.stdout)


def summary(label, found):
    median = statistics.median
    runs = found['runs']
    print(
        f'{label:<7} wall {median(r["wall"] for r in runs):.3f} s '
        f'(min {min(r["wall"] for r in runs):.3f})  CPU: PostgreSQL '
        f'{median(r["postgresql_cpu"] for r in runs):.3f} s, Python '
        f'{median(r["python_cpu"] for r in runs):.3f} s  ({runs[0]["chars"]:,} chars)',
        flush=True,
    )


def load():
    with open('/proc/loadavg') as stream:
        return stream.read().split()[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--users', type=int, default=10000)
    parser.add_argument('--runs', type=int, default=10)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument(
        '--other', help='a directory holding another wazo_confd_users_csv'
    )
    parser.add_argument('--analyze', action='store_true')
    args = parser.parse_args()
    database = harness.Database()
    try:
        database.import_file(harness.full_rows_csv(args.users))
        if args.analyze:
            with harness.sa.create_engine(database.uri).connect() as connection:
                connection.exec_driver_sql('ANALYZE')
        for number in range(1, args.rounds + 1):
            print(f'round {number}, load {load()}', flush=True)
            if args.other:
                summary('other', measure(database.uri, args.runs, args.other))
            summary('this', measure(database.uri, args.runs))
        print(f'load at the end {load()}')
    finally:
        database.drop()


if __name__ == '__main__':
    main()
