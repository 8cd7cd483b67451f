# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the differential tests compare: the rows of every table an import touched, confd's REST
views of every imported user, and the events; each normalised so that what is generated
(ids, uuids, secrets, names drawn at random, provisioning codes, timestamps) compares equal."""

import contextlib
import json
import os
import re
import subprocess
import sys
import uuid

import kombu
import sqlalchemy as sa

from wazo_confd_users_csv_testing.confd import AMQP_URL, ConfdClient
from wazo_confd_users_csv_testing.schema import PG, clone, drop

from .conftest import BusCapture

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class BuiltinConfd(ConfdClient):
    """confd with its built-in import in a child process (builtin.py), one for a whole suite:
    each case gets a fresh clone of `template` (`fresh()`), the child's wazo-auth emptied.
    """

    def __init__(self, template):
        self.template = template
        self.exchange = f'users-csv-builtin-{uuid.uuid4().hex[:8]}'
        name = self._clone()
        self.bus = BusCapture(self.exchange)
        self.child = subprocess.Popen(
            [
                sys.executable,
                '-m',
                'integration_tests.wazo.builtin',
                name,
                self.exchange,
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.child.stdout.readline()
        if not line.startswith('READY '):
            self.close()
            raise AssertionError(f'the built-in confd did not start: {line!r}')
        super().__init__(line.split()[1], name)

    def _clone(self):
        name = f'users_csv_builtin_{uuid.uuid4().hex[:10]}'
        clone(self.template, name)
        return name

    def command(self, line):
        self.child.stdin.write(line + '\n')
        self.child.stdin.flush()
        return self.child.stdout.readline().strip()

    def fresh(self):
        """The next case: a fresh clone, nothing left on the bus."""
        old, self.db_name = self.db_name, self._clone()
        assert self.command(f'use {self.db_name}') == 'OK'
        drop(old)
        self.bus.drain()
        self.bus.messages.clear()
        return self

    def auth_users(self):
        """{uuid: body} of the wazo-auth users the built-in made in this case."""
        return json.loads(self.command('users'))

    def add_auth_user(self, uuid_, username):
        assert self.command(f'add_user {uuid_} {username}') == 'OK'

    def close(self):
        try:
            if self.child.poll() is None:
                self.child.stdin.close()
                self.child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.child.kill()
            self.child.wait()
        finally:
            self.bus.close()
            with kombu.Connection(AMQP_URL) as connection:
                kombu.Exchange(self.exchange, type='headers')(connection).delete()
            if getattr(self, 'db_name', None):
                drop(self.db_name)


@contextlib.contextmanager
def builtin_confd(template):
    """confd with its built-in import, in a child process, on a fresh clone of `template`."""
    client = BuiltinConfd(template)
    try:
        yield client
    finally:
        client.close()


UUID = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
# Not the import's business: plugin tables and what differs by when it ran.
SKIPPED_TABLES = {'alembic_version'}
CLOCK_COLUMNS = {('userfeatures', 'created_at')}


def snapshot(client):
    """{table: [row, ...]} of every table of confd's database but the plugin's own."""
    engine = sa.create_engine(f'{PG}/{client.db_name}')
    try:
        with engine.connect() as connection:
            names = connection.execute(
                sa.text(
                    "SELECT table_name FROM information_schema.tables WHERE "
                    "table_schema = 'public' AND table_type = 'BASE TABLE'"
                )
            ).scalars()
            return {
                name: [
                    dict(row._mapping)
                    for row in connection.execute(sa.text(f'SELECT * FROM "{name}"'))
                ]
                for name in list(names)
                if not name.startswith('users_csv_') and name not in SKIPPED_TABLES
            }
    finally:
        engine.dispose()


class Normaliser:
    """Masks what an import may generate: a uuid that did not exist before, or a value no cell
    of the file holds where the column is a name, secret or code confd draws at random.
    """

    GENERATED = {
        ('linefeatures', 'name'),
        ('linefeatures', 'provisioningid'),
        ('endpoint_sip', 'name'),
        ('sccpline', 'name'),
    }

    def __init__(self, before, file_text):
        self.known = {
            str(value)
            for rows in before.values()
            for row in rows
            for value in row.values()
            if isinstance(value, uuid.UUID)
            or isinstance(value, str)
            and UUID.match(value)
        }
        self.cells = {
            cell for line in file_text.splitlines() for cell in line.split(',')
        }
        self.drawn_values = (
            set()
        )  # what was masked in the tables, to mask in the views too

    def value(self, value):
        if isinstance(
            value, uuid.UUID
        ):  # psycopg2 gives them so once something registered it
            value = str(value)
        if isinstance(value, str) and UUID.match(value) and value not in self.known:
            return '<new uuid>'
        return value

    def key(self, key):
        return ':'.join(self.value(part) for part in key.split(':', 1))

    def drawn(self, value):
        if str(value) in self.cells:
            return value
        self.drawn_values.add(str(value))
        return '<drawn>'

    def row(self, table, row):
        out = {}
        for column, value in row.items():
            if (table, column) in CLOCK_COLUMNS:
                continue
            if (table, column) in self.GENERATED or (
                table == 'endpoint_sip_section_option'
                and column == 'value'
                and row['key'] in ('username', 'password')
            ):
                value = self.drawn(value)
            out[column] = self.value(value)
        return out

    def new_rows(self, before, after):
        """{table: sorted normalised rows} of the rows `after` has and `before` had not."""
        changed = {}
        for table, rows in after.items():
            old = [
                json.dumps(row, sort_keys=True, default=str)
                for row in before.get(table, [])
            ]
            new = [
                row
                for row in rows
                if json.dumps(row, sort_keys=True, default=str) not in old
            ]
            if new:
                changed[table] = sorted(
                    json.dumps(self.row(table, row), sort_keys=True, default=str)
                    for row in new
                )
        return changed

    def view(self, data):
        """A REST answer with new uuids, drawn values and clocks masked (recursively)."""
        if isinstance(data, dict):
            return {
                key: self.view(value)
                for key, value in data.items()
                if key not in ('created_at', 'links')
            }  # links: the server's address
        if isinstance(data, list):
            return [self.view(value) for value in data]
        if (
            isinstance(data, (str, int))
            and not isinstance(data, bool)
            and str(data) in self.drawn_values
        ):
            return '<drawn>'
        return self.value(data)


def keys(normaliser, data):
    """The shape of a payload: its keys, recursively (lists by their first item); a new uuid
    in a key (`user_uuid:<uuid>` headers) masked."""
    if isinstance(data, dict):
        return {
            normaliser.key(key): keys(normaliser, value) for key, value in data.items()
        }
    if isinstance(data, list):
        return [keys(normaliser, data[0])] if data else []
    return None


def views(client, tenant):
    """confd's REST views of every user of the tenant and of what hangs off them, by name."""
    found = {}
    users = client.get('/users?recurse=false', tenant=tenant).json()['items']
    for listed in users:
        user = client.get(f'/users/{listed["uuid"]}', tenant=tenant).json()
        parts = {'user': user, 'lines': [], 'incalls': []}
        for line in user['lines']:
            line = client.get(f'/lines/{line["id"]}', tenant=tenant).json()
            parts['lines'].append(line)
            if line['endpoint_sip']:
                parts['sip'] = client.get(
                    f'/endpoints/sip/{line["endpoint_sip"]["uuid"]}', tenant=tenant
                ).json()
            if line['endpoint_sccp']:
                parts['sccp'] = client.get(
                    f'/endpoints/sccp/{line["endpoint_sccp"]["id"]}', tenant=tenant
                ).json()
            parts['extensions'] = [
                client.get(f'/extensions/{extension["id"]}', tenant=tenant).json()
                for extension in line['extensions']
            ]
        if user['voicemail']:
            parts['voicemail'] = client.get(
                f'/voicemails/{user["voicemail"]["id"]}', tenant=tenant
            ).json()
        for incall in user['incalls']:
            parts['incalls'].append(
                client.get(f'/incalls/{incall["id"]}', tenant=tenant).json()
            )
        found[(user['firstname'], user['lastname'])] = parts
    return found
