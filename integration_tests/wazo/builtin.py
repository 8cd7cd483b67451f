# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""confd's own built-in import (`user_import`), served in a child process: the oracle of the
differential tests. confd's Flask app is one per process, so the package's confd and the
built-in's cannot share the test process.

    python -m integration_tests.wazo.builtin DATABASE EXCHANGE

Prints `READY <url>` once it serves on DATABASE (publishing on EXCHANGE), then serves until its
stdin closes; then prints the wazo-auth users it was asked to create, as one JSON line.
"""

import json
import sys
import tempfile


def main():
    database, exchange = sys.argv[1:3]
    from wazo_confd_users_csv_testing.confd import Confd

    confd = Confd(tempfile.mkdtemp(), exchange, database, builtin=True)
    confd.use_database(database)
    print('READY', confd.url, flush=True)
    sys.stdin.read()
    print(json.dumps({'auth_users': confd.auth.auth_users}), flush=True)
    confd.stop()


if __name__ == '__main__':
    main()
