# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""`make wazo-ui`: the real wazo-ui and the real wazo-confd, each with this project's plugin,
in one process on the local PostgreSQL and RabbitMQ, as the tests run them.

A fresh database with Wazo's schema and confd's test seed (tenants master and sub), a private
bus exchange, loopback stand-ins for wazo-auth (the logins of standins.LOGINS), sysconfd and
provd. Prints the URL and a username and password; Ctrl-C stops everything and drops what it
made.

    WAZO_DATA=../shared/wazo/data .venv/bin/python -m integration_tests.wazo.wazo_ui_demo
"""

import logging
import shutil
import signal
import tempfile
import threading
import uuid

import kombu

from wazo_confd_users_csv_testing.confd import AMQP_URL, Confd
from wazo_confd_users_csv_testing.schema import create, drop
from wazo_confd_users_csv_testing.standins import LOGINS

from .wazo_ui_server import WazoUi


def stop(signum, frame):
    raise KeyboardInterrupt


def main():
    logging.basicConfig(level=logging.ERROR)
    # Ctrl-C, and a plain kill: both clean up (a process started in the background has
    # SIGINT ignored, and Python then leaves it so)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    suffix = uuid.uuid4().hex[:8]
    database = f'users_csv_wazo_ui_demo_{suffix}'
    exchange = f'users-csv-wazo-ui-demo-{suffix}'
    workdir = tempfile.mkdtemp(prefix='users-csv-wazo-ui-')
    confd = ui = None
    print(f'building {database}: Wazo\'s schema, tenants master and sub…', flush=True)
    create(database)
    try:
        confd = Confd(workdir, exchange, database)
        confd.use_database(database)
        ui = WazoUi(workdir, confd)
        username = 'admin'
        print(
            f'\nwazo-ui:   {ui.url}/login/   username {username}, '
            f'password {LOGINS[username][0]}\n'
            f'           then Telephony > User Management > Users CSV\n'
            f'wazo-confd: {confd.url} (token admin-token; the page: {confd.url}/users/csv/)\n'
            'Ctrl-C stops both and drops the database.',
            flush=True,
        )
        threading.Event().wait()
    except KeyboardInterrupt:
        print('\nstopping…', flush=True)
    finally:
        for server in (ui, confd):
            if server is not None:
                server.stop()
        if confd is not None:
            from xivo_dao.helpers import db_manager

            db_manager.Session.remove()
            db_manager.Session.get_bind().dispose()
        drop(database)
        with kombu.Connection(AMQP_URL) as connection:
            kombu.Exchange(exchange, type='headers')(connection).delete()
        shutil.rmtree(workdir, ignore_errors=True)
        print(f'dropped {database} and the exchange {exchange}', flush=True)


if __name__ == '__main__':
    main()
