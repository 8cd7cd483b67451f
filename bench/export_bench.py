# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Export time and server memory at 1,000, 10,000 and 50,000 fully loaded users.

    .venv/bin/python bench/export_bench.py [--sizes 1000 10000 50000]

Each size gets a fresh PostgreSQL database filled through the CLI import, then a fresh server
process; the export is read as a client would, streamed. Peak RSS (VmHWM) is the server's.
"""

import argparse
import json
import os
import sys
import time

import requests

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

RESULTS = os.path.join(os.path.dirname(__file__), 'results', 'export.json')


def measure(size):
    database = harness.Database()
    try:
        database.import_file(harness.full_rows_csv(size))
        server = harness.ServerProcess(database)
        try:
            rss_before = server.memory_kib('VmRSS')
            started = time.monotonic()
            response = requests.get(
                server.url + '/users/export',
                stream=True,
                timeout=600,
                headers={'X-Auth-Token': harness.TOKEN},
            )
            lines = size_bytes = 0
            for chunk in response.iter_content(chunk_size=65536):
                lines += chunk.count(b'\n')  # bench rows hold no quoted line breaks
                size_bytes += len(chunk)
            seconds = time.monotonic() - started
            assert response.status_code == 200 and lines == size + 1, (
                response.status_code,
                lines,
            )
            return {
                'users': size,
                'seconds': round(seconds, 3),
                'users_per_second': round(size / seconds),
                'megabytes': round(size_bytes / 1e6, 1),
                'server_rss_before_mib': round(rss_before / 1024, 1),
                'server_peak_rss_mib': round(server.memory_kib('VmHWM') / 1024, 1),
            }
        finally:
            server.stop()
    finally:
        database.drop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--sizes', type=int, nargs='+', default=[1000, 10000, 50000])
    args = parser.parse_args()
    results = []
    print(
        f'{"users":>8} {"seconds":>8} {"users/s":>9} {"MB":>6} {"RSS before":>11} {"peak RSS":>9}'
    )
    for size in args.sizes:
        result = measure(size)
        results.append(result)
        print(
            f'{result["users"]:>8} {result["seconds"]:>8} {result["users_per_second"]:>9} '
            f'{result["megabytes"]:>6} {result["server_rss_before_mib"]:>10}M '
            f'{result["server_peak_rss_mib"]:>8}M',
            flush=True,
        )
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, 'w') as stream:
        json.dump({'machine': harness.machine(), 'results': results}, stream, indent=2)


if __name__ == '__main__':
    main()
