# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The benchmark suite: imports, update, export and dry run through the real HTTP server on
PostgreSQL, next to the floor (the same rows written with plain batched SQL).

    .venv/bin/python bench/run.py            # every scenario (a few minutes)
    .venv/bin/python bench/run.py --quick    # 1,000 and 10,000 rows only
    .venv/bin/python bench/run.py --limit    # and an import at the 100,000-row limit (memory)

Prints a table and writes bench/results/latest.json.
"""

import argparse
import csv
import io
import json
import os
import sys
import time

import requests

sys.path.insert(0, os.path.dirname(__file__))
import floor  # noqa: E402
import harness  # noqa: E402

RESULTS = os.path.join(os.path.dirname(__file__), 'results', 'latest.json')


def call(server, method, path, body=None, params=None):
    headers = {'X-Auth-Token': harness.TOKEN, 'Content-Type': 'text/csv; charset=utf-8'}
    started = time.monotonic()
    response = requests.request(
        method,
        server.url + path,
        data=body,
        params=params,
        headers=headers,
        timeout=1800,
    )
    seconds = time.monotonic() - started
    assert response.status_code in (200, 201), response.text[:500]
    return seconds, response


def record(results, name, rows, seconds, server=None, **extra):
    result = {
        'scenario': name,
        'rows': rows,
        'seconds': round(seconds, 3),
        'rows_per_second': round(rows / seconds) if seconds else None,
    }
    if server is not None:
        result['server_peak_rss_mib'] = round(server.memory_kib('VmHWM') / 1024, 1)
        if not name.startswith('export'):
            result['phases'] = server.last_phases()
    result.update(extra)
    results.append(result)
    multiple = extra.get('floor_multiple')
    hashed = extra.get('hashed_floor_multiple')
    print(
        f'{name:<34} {rows:>7} rows {result["seconds"]:>8.2f} s {result["rows_per_second"]:>8} '
        f'rows/s  {result.get("server_peak_rss_mib", ""):>7} MiB  '
        + (f'{multiple:.2f}x the floor' if multiple else '')
        + (f', {hashed:.2f}x the floor with hashing' if hashed else ''),
        flush=True,
    )
    for phase, seconds in result.get('phases', {}).items():
        # where the server's time went: a regression shows in its phase
        print(
            f'    {phase:<10} {seconds:>8.3f} s {seconds / rows * 1e6:>8.0f} us/row',
            flush=True,
        )
    return result


def import_scenario(results, size, floors, passwords=True, hashed_floors=None):
    """Import into an empty database, with a fresh server process (clean peak memory)."""
    database = harness.Database()
    try:
        server = harness.ServerProcess(database)
        try:
            body = harness.full_rows_csv(size, passwords=passwords)
            seconds, _ = call(server, 'POST', '/users/import', body)
            extra = {}
            if size in floors:
                extra['floor_seconds'] = floors[size]
                extra['floor_multiple'] = round(seconds / floors[size], 2)
            if passwords and size in (hashed_floors or {}):
                extra['hashed_floor_seconds'] = hashed_floors[size]
                extra['hashed_floor_multiple'] = round(seconds / hashed_floors[size], 2)
            record(
                results,
                f'import {size:,} (empty database'
                + ('' if passwords else ', no password to hash')
                + ')',
                size,
                seconds,
                server,
                **extra,
            )
        finally:
            server.stop()
        return database
    except BaseException:
        database.drop()
        raise


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        '--quick', action='store_true', help='1,000 and 10,000 rows only'
    )
    parser.add_argument(
        '--limit',
        action='store_true',
        help='also import 100,000 rows (max_rows): its peak memory',
    )
    args = parser.parse_args()
    sizes = [1000, 10000] if args.quick else [1000, 10000, 50000]
    results = []

    floors, hashed_floors = {}, {}
    for size in sizes:
        database = harness.Database()
        try:
            floors[size] = floor.write(database.uri, size)
            record(results, f'floor: plain SQL {size:,}', size, floors[size])
        finally:
            database.drop()
        # the same rows, each password hashed as the host stores it: what storing them with
        # their hashes costs at least (the imports with passwords are compared with both)
        database = harness.Database()
        try:
            hashed_floors[size] = floor.write(database.uri, size, hashed=True)
            record(
                results,
                f'floor: hashed + SQL {size:,}',
                size,
                hashed_floors[size],
            )
        finally:
            database.drop()

    # the same rows without login passwords: the pipeline without the hashing (1,000 PBKDF2
    # rounds a password, most of the import's CPU time on a small machine)
    import_scenario(results, 10000, floors, passwords=False).drop()
    for size in sizes:
        database = import_scenario(results, size, floors, hashed_floors=hashed_floors)
        try:
            if size == 10000:
                update_and_dry_run(results, database)
            if size == sizes[-1]:
                big_database_scenarios(results, database, size)
        finally:
            database.drop()

    if args.limit:
        import_scenario(results, 100000, {}).drop()

    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, 'w') as stream:
        json.dump({'machine': harness.machine(), 'results': results}, stream, indent=2)


def update_and_dry_run(results, database):
    server = harness.ServerProcess(database)
    try:
        _, response = call(server, 'GET', '/users/export')
        rows = list(csv.reader(io.StringIO(response.text, newline='')))
        lastname = rows[0].index('lastname')
        for row in rows[1:]:
            row[lastname] += ' (edited)'
        out = io.StringIO()
        csv.writer(out, lineterminator='\r\n').writerows(rows)
        seconds, response = call(
            server, 'PUT', '/users/import', out.getvalue().encode()
        )
        record(results, 'update 10,000 (lastname)', len(rows) - 1, seconds, server)
        unchanged, _ = call(server, 'PUT', '/users/import', out.getvalue().encode())
        record(results, 'update 10,000 (no change)', len(rows) - 1, unchanged, server)
        body = harness.full_rows_csv(10000, start=20000)
        seconds, _ = call(
            server, 'POST', '/users/import', body, params={'dry_run': 'true'}
        )
        record(results, 'dry run 10,000', 10000, seconds, server)
    finally:
        server.stop()


def big_database_scenarios(results, database, size):
    server = harness.ServerProcess(database)
    try:
        seconds, response = call(server, 'GET', '/users/export')
        record(results, f'export {size:,}', size, seconds, server)
        body = harness.full_rows_csv(1000, start=size)
        seconds, _ = call(server, 'POST', '/users/import', body)
        empty = next(
            r for r in results if r['scenario'] == 'import 1,000 (empty database)'
        )
        record(
            results,
            f'import 1,000 into {size:,} users',
            1000,
            seconds,
            server,
            rate_vs_empty=round(empty['seconds'] / seconds, 2),
        )
    finally:
        server.stop()


if __name__ == '__main__':
    main()
