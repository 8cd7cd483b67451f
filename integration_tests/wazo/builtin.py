# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""confd's own built-in import (`user_import`), served in a child process: the oracle of the
differential tests. confd's Flask app is one per process, so the package's confd and the
built-in's cannot share the test process.

    python -m integration_tests.wazo.builtin DATABASE EXCHANGE

Prints `READY <url>` once it serves on DATABASE (publishing on EXCHANGE), then answers one line
per command read on its stdin, so that one child serves a whole suite:

* `use NAME`: serve on the database NAME from now on (a fresh clone), wazo-auth emptied: `OK`;
* `users`: the wazo-auth users it was asked to create, as one JSON line;
* `add_user UUID USERNAME`: a wazo-auth user that exists already (a taken login): `OK`.

When its stdin closes it prints the wazo-auth users one last time and stops.
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
    for line in sys.stdin:
        command, _, argument = line.strip().partition(' ')
        if command == 'use':
            confd.use_database(argument)
            confd.auth.reset_users()
            answer = 'OK'
        elif command == 'add_user':
            confd.auth.add_user(*argument.split(' ', 1))
            answer = 'OK'
        elif command == 'users':
            answer = json.dumps(confd.auth.auth_users)
        else:
            answer = f'unknown command {command!r}'
        print(answer, flush=True)
    print(json.dumps({'auth_users': confd.auth.auth_users}), flush=True)
    confd.stop()


if __name__ == '__main__':
    main()
