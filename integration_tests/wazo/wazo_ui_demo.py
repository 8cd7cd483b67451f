# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""`make wazo-ui`: the real wazo-ui and the real wazo-confd, each with this project's plugin,
in one process on the local PostgreSQL and RabbitMQ, as the tests run them.

`make confd`'s confd (wazo_confd_users_csv_testing.launch: a fresh database with Wazo's schema
and confd's test seed, tenants master and sub, a private bus exchange, loopback stand-ins for
wazo-auth with the logins of standins.LOGINS, sysconfd and provd), then wazo-ui on the same
stack. Prints the URL and a username and password; Ctrl-C (or a kill) stops everything and
drops what it made.

    WAZO_DATA=../shared/wazo/data .venv/bin/python -m integration_tests.wazo.wazo_ui_demo
"""

import logging
import sys

from wazo_confd_users_csv_testing import launch
from wazo_confd_users_csv_testing.standins import LOGINS

from .wazo_ui_server import WazoUi

USERNAME = 'admin'


def start(stack):
    running = launch.start_confd(
        stack, out=launch.say
    )  # wazo-ui logs in to the stand-in
    ui = WazoUi(running.workdir, running.confd)
    stack.callback(ui.stop)
    return running, ui


def lines(started):
    running, ui = started
    return [
        f'wazo-ui:   {ui.url}/login/   username {USERNAME}, password {LOGINS[USERNAME][0]}',
        '           then Telephony > User Management > Users CSV',
    ] + launch.banner(running)


def main():
    logging.basicConfig(level=logging.ERROR)
    return launch.serve_until_stopped(start, lines)


if __name__ == '__main__':
    sys.exit(main())
