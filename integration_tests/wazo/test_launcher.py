# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""`make confd` as a person runs it: it starts, its printed curl line imports the example into
the real confd, and Ctrl-C (SIGINT to the terminal's process group) stops it and drops the
database and the exchange it made."""

import json
import os
import signal
import subprocess
import threading

import kombu
import pytest

from wazo_confd_users_csv_testing import schema
from wazo_confd_users_csv_testing.confd import AMQP_URL, ConfdClient
from wazo_confd_users_csv_testing.standins import MASTER

ROOT = schema.REPO


def read_until(stream, prefix, lines, timeout=180):
    """The first line starting with `prefix` (stripped), every line read kept in `lines`."""
    found = []

    def read():
        for line in stream:
            lines.append(line)
            if line.strip().startswith(prefix):
                found.append(line.strip())
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    assert found, f'no line starting with {prefix!r}:\n' + ''.join(lines)
    return found[0]


def test_make_confd_serves_imports_and_cleans_up_on_ctrl_c():
    child = subprocess.Popen(
        # the venv as it is (-o: not remade mid-run), wazo-auth's stand-in
        [
            'make',
            '--no-print-directory',
            '-o',
            '.venv/bin/.installed',
            'confd',
            'WAZO_AUTH_VENV=',
        ],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job
    )
    lines = []
    try:
        curl = read_until(child.stdout, 'curl ', lines)
        served = next(line for line in lines if 'serves http' in line).split()[-1]
        shown = {
            words[0]: words[1] for words in map(str.split, lines) if len(words) > 1
        }
        database, exchange = shown['database:'], shown['exchange:']
        assert schema.exists(database)

        done = subprocess.run(
            ['bash', '-c', curl], cwd=ROOT, capture_output=True, text=True, timeout=120
        )

        created = json.loads(done.stdout)['created']
        assert len(created) == 4, done.stdout
        confd = ConfdClient(served, database)
        names = {
            user['firstname']
            for user in confd.get('/users', tenant=MASTER).json()['items']
        }
        assert names == {'Alice', 'Bob', 'Carol', 'Dave'}
    finally:
        os.killpg(child.pid, signal.SIGINT)
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            raise
    rest = child.stdout.read()
    assert f'stopped; dropped the database {database}' in rest, ''.join(lines) + rest
    assert not schema.exists(database)
    with kombu.Connection(AMQP_URL) as connection:
        with pytest.raises(connection.channel_errors):  # 404: no such exchange
            kombu.Exchange(exchange, type='headers')(connection).declare(passive=True)
