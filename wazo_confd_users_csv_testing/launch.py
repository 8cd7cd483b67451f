# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""`make confd`: the real wazo-confd with this plugin, in one process, until Ctrl-C.

    python -m wazo_confd_users_csv_testing.launch [--port N] [--wazo-auth VENV]

A fresh database with Wazo's schema and the two tenants of confd's test seed on the local
PostgreSQL, RabbitMQ on a private exchange, loopback stand-ins for wazo-auth, sysconfd and
provd (or the real wazo-auth, when VENV holds it: `make wazo-auth`). It prints the URLs, a
token and a curl line that imports an example; Ctrl-C (or SIGTERM) stops it and drops all it
made. Another launcher (wazo-ui's) calls `start_confd` on its own ExitStack, then starts its
daemon and prints its own lines under `banner`'s.
"""

import argparse
import contextlib
import logging
import os
import shlex
import shutil
import signal
import sys
import tempfile
import time
import uuid

import kombu

from . import schema
from .confd import AMQP_URL, Confd
from .standins import MASTER, SUB

EXAMPLE = os.path.join(schema.REPO, 'examples', 'wazo', 'users.csv')


class Running:
    """What `start_confd` started: the confd, the token to use, what to drop at the end."""

    def __init__(self, confd, token, database, exchange, auth, workdir):
        self.confd = confd
        self.workdir = workdir  # a scratch directory, removed at the end
        self.token = token
        self.database = database
        self.exchange = exchange
        self.auth = auth  # a line about wazo-auth


def start_confd(stack, port=0, wazo_auth_venv=None, out=print):
    """Starts everything, each undo pushed on `stack` (contextlib.ExitStack) as it is made."""
    suffix = uuid.uuid4().hex[:8]
    database = f'users_csv_confd_{suffix}'
    exchange = f'users-csv-confd-{suffix}'
    stack.callback(
        out, f'stopped; dropped the database {database} and the exchange {exchange}'
    )
    workdir = tempfile.mkdtemp(prefix='users-csv-confd-')
    stack.callback(shutil.rmtree, workdir, ignore_errors=True)
    stack.callback(_delete_exchange, exchange)
    out(f'building Wazo\'s schema in the database {database} ...')
    stack.callback(schema.drop, database)
    schema.create(database)
    auth, token = None, 'admin-token'
    about_auth = (
        'wazo-auth: a loopback stand-in; admin-token has ACL confd.# on both tenants, '
        'sub-token only on the second'
    )
    if wazo_auth_venv:
        from .realauth import RealAuth

        out(f'starting the real wazo-auth from {wazo_auth_venv} ...')
        auth = RealAuth(wazo_auth_venv, workdir, suffix)
        stack.callback(auth.stop)
        token = auth.token
        about_auth = (
            f'wazo-auth: the real one on port {auth.port}; the token has ACL # '
            f'(user {auth.admin[0]}, password {auth.admin[1]})'
        )
    out('starting wazo-confd ...')
    confd = Confd(workdir, exchange, database, auth=auth, broker_proxy=False, port=port)
    stack.callback(_close, confd)
    confd.use_database(database)
    return Running(confd, token, database, exchange, about_auth, workdir)


def banner(running):
    """The lines a person needs: where, with what token, and a first import."""
    url = running.confd.url
    example = _shown_path(EXAMPLE)
    curl = (
        f"curl -sS -X POST -H 'X-Auth-Token: {running.token}' "
        f"-H 'Wazo-Tenant: {MASTER}' -H 'Content-Type: text/csv' "
        f'--data-binary @{shlex.quote(example)} {url}/users/import'
    )
    return [
        f'wazo-confd with the users_csv plugin serves {url}',
        f'  the page:  {url}/users/csv/  (log in with the token)',
        f'  columns:   {url}/users/import/columns',
        f'  token:     {running.token}',
        f'  tenants:   {MASTER} (contexts default, from-extern), {SUB}',
        f'  {running.auth}',
        f'  database:  {running.database} (PostgreSQL 127.0.0.1:5432)',
        f'  exchange:  {running.exchange} (RabbitMQ 127.0.0.1:5672: the events)',
        '  import an example (examples/wazo/; a second time, its users exist: 400):',
        f'    {curl}',
        'Ctrl-C stops confd and drops the database and the exchange.',
    ]


def serve_until_stopped(start, lines):
    """Runs `start(stack)`, prints `lines(started)`, waits for Ctrl-C or SIGTERM, then undoes
    everything `start` pushed on the stack, in reverse order. Returns the exit status.
    """
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, _interrupt)
    with contextlib.ExitStack() as stack:
        try:
            started = start(stack)
            for line in lines(started):
                say(line)
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            for number in (signal.SIGINT, signal.SIGTERM):  # let the clean-up finish
                signal.signal(number, signal.SIG_IGN)
            say('stopping ...')
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--port', type=int, default=0, help='0: a free port (the default)'
    )
    parser.add_argument(
        '--wazo-auth',
        metavar='VENV',
        help='the real wazo-auth\'s virtualenv (make wazo-auth), used when it exists',
    )
    args = parser.parse_args(argv)
    missing = schema.wazo_missing()
    if missing:
        print(f'make confd: {missing}', file=sys.stderr)
        return 2
    venv = args.wazo_auth
    if venv and not os.path.exists(os.path.join(venv, 'bin', 'python')):
        venv = None
    return serve_until_stopped(
        lambda stack: start_confd(stack, args.port, venv, out=say), banner
    )


def _interrupt(*_):
    raise KeyboardInterrupt


def _close(confd):
    confd.stop()
    confd.release_database()
    # the plugin's relay thread lives until the process ends: its next pass would only say
    # that the database it polls was dropped
    logging.getLogger('wazo_confd_users_csv').setLevel(logging.CRITICAL)


def _delete_exchange(name):
    with kombu.Connection(AMQP_URL) as connection:
        kombu.Exchange(name, type='headers')(connection).delete()


def _shown_path(path):
    relative = os.path.relpath(path)
    return path if relative.startswith('..') else relative


def say(line):
    print(line, flush=True)


if __name__ == '__main__':
    sys.exit(main())
