# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Real parts: PostgreSQL, RabbitMQ, the cheroot HTTP server; SQLite for the embedded default.

Each test session creates its own database and exchange and removes them at the end. Only
wazo-auth is faked (it is someone else's service).
"""

import contextlib
import os
import threading
import time
import uuid

import kombu
import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.orm import Session

from wazo_confd_users_csv.database import migrate
from wazo_confd_users_csv.database.models import Base
from wazo_confd_users_csv.database.session import create_engine
from wazo_confd_users_csv.host import config as config_module
from wazo_confd_users_csv.host import reference
from wazo_confd_users_csv.host.app import create_app, make_server

from .fake_auth import FakeAuthServer

PG_ADMIN_URI = os.environ.get(
    'USERS_CSV_TEST_PG', 'postgresql://postgres@127.0.0.1:5432/postgres'
)
AMQP = {'host': '127.0.0.1', 'port': 5672, 'username': 'guest', 'password': 'guest'}
TOKEN = 'valid-token-with-all-acls'
REFERENCE = os.path.join(os.path.dirname(__file__), '..', 'examples', 'reference.yml')
REFERENCE_TABLES = {
    'users_csv_entity',
    'users_csv_context',
    'users_csv_context_range',
    'users_csv_cti_profile',
    'users_csv_call_permission',
    'users_csv_alembic_version',
}
TOKENS = {
    TOKEN: ['confd.#'],
    'import-only': ['confd.users.import.create'],
    'columns-only': ['confd.users.import.*'],
    'other': ['confd.lines.#'],
    # import, update and export, without the secrets ACL (confd.users.export.secrets.read)
    'no-secrets': ['confd.users.import.#', 'confd.users.export.read'],
}


def _suffix():
    return uuid.uuid4().hex[:10]


@contextlib.contextmanager
def fresh_pg_database():
    """A new PostgreSQL database with the schema and the reference data, dropped at the end."""
    admin = sa.create_engine(PG_ADMIN_URI, isolation_level='AUTOCOMMIT')
    name = f'users_csv_it_{_suffix()}'
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE {name}')
    uri = PG_ADMIN_URI.rsplit('/', 1)[0] + '/' + name
    try:
        prepare_database(uri)
        yield uri
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope='session')
def pg_uri():
    with fresh_pg_database() as uri:
        yield uri


@pytest.fixture(scope='session')
def sqlite_uri(tmp_path_factory):
    uri = f'sqlite:///{tmp_path_factory.mktemp("sqlite") / "users_csv.db"}'
    prepare_database(uri)
    return uri


def prepare_database(uri):
    engine = create_engine(uri)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        reference.load(session, reference.read(REFERENCE))
    engine.dispose()


@pytest.fixture(scope='session')
def exchange_name():
    name = f'users-csv-test-{_suffix()}'
    yield name
    with kombu.Connection(amqp_url()) as connection:
        kombu.Exchange(name, type='headers')(connection).delete()


def amqp_url():
    return 'amqp://{username}:{password}@{host}:{port}//'.format(**AMQP)


def make_config(db_uri, exchange, auth=None, **rest_api):
    override = {
        'db_uri': db_uri,
        'rest_api': dict({'listen': '127.0.0.1', 'port': 0}, **rest_api),
        'auth': auth or {'backend': 'static', 'tokens': TOKENS},
        'bus': dict(
            AMQP,
            enabled=exchange is not None,
            exchange_name=exchange or 'unused',
            exchange_type='headers',
        ),
        'uuid': '11111111-2222-4333-8444-555555555555',
    }
    return config_module.complete(config_module.merge(config_module.DEFAULTS, override))


class Server:
    """The real cheroot server with the app of the standalone host, in a thread."""

    def __init__(self, config):
        self.config = config
        self.app = create_app(config)
        self.server = make_server(config, self.app, port=0)
        self.server.prepare()
        self.port = self.server.bind_addr[1]
        self.thread = threading.Thread(target=self.server.serve, daemon=True)
        self.thread.start()
        self.url = f'http://127.0.0.1:{self.port}/1.1'
        self.engine = create_engine(config['users_csv']['db_uri'])

    def stop(self):
        self.server.stop()
        self.engine.dispose()
        for extension in self.app.extensions['users_csv_plugins']:
            extension.obj.components.outbox.stop()
            extension.obj.components.database.dispose()

    def post(
        self,
        body,
        token=TOKEN,
        dry_run=None,
        content_type='text/csv; charset=utf-8',
        path='/users/import',
    ):
        headers = {}
        if token is not None:
            headers['X-Auth-Token'] = token
        if content_type is not None:
            headers['Content-Type'] = content_type
        params = {} if dry_run is None else {'dry_run': dry_run}
        data = body.encode('utf-8') if isinstance(body, str) else body
        return requests.post(
            self.url + path, data=data, headers=headers, params=params, timeout=120
        )

    def get(self, path, token=TOKEN):
        headers = {'X-Auth-Token': token} if token else {}
        return requests.get(self.url + path, headers=headers, timeout=60)

    def rows(self, table, order_by='id'):
        with self.engine.connect() as connection:
            return [
                dict(row._mapping)
                for row in connection.execute(
                    sa.text(f'SELECT * FROM users_csv_{table} ORDER BY {order_by}')
                )
            ]

    def count(self, table):
        with self.engine.connect() as connection:
            return connection.execute(
                sa.text(f'SELECT count(*) FROM users_csv_{table}')
            ).scalar()

    def drain(self, timeout=30):
        """Waits until the outbox relay has published everything pending."""
        deadline = time.monotonic() + timeout
        while self.count('outbox') and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.count('outbox') == 0, 'the outbox did not drain'

    def clean(self):
        """Removes what imports wrote, keeps the reference data."""
        if self.config['bus']['enabled']:
            self.drain()
        tables = [
            t.name
            for t in reversed(Base.metadata.sorted_tables)
            if t.name not in REFERENCE_TABLES
        ]
        with self.engine.begin() as connection:
            if self.engine.dialect.name == 'postgresql':
                connection.exec_driver_sql(
                    f'TRUNCATE {", ".join(tables)} RESTART IDENTITY CASCADE'
                )
            else:
                for table in tables:
                    connection.exec_driver_sql(f'DELETE FROM {table}')


@pytest.fixture(scope='session')
def pg_server(pg_uri, exchange_name):
    server = Server(make_config(pg_uri, exchange_name))
    yield server
    server.stop()


@pytest.fixture(scope='session')
def sqlite_server(sqlite_uri):
    server = Server(make_config(sqlite_uri, None))
    yield server
    server.stop()


@pytest.fixture
def server(pg_server):
    pg_server.clean()
    return pg_server


@pytest.fixture
def lite(sqlite_server):
    sqlite_server.clean()
    return sqlite_server


class BusListener:
    """An exclusive queue bound to the test exchange, that receives every event."""

    def __init__(self, exchange_name):
        self.connection = kombu.Connection(amqp_url())
        exchange = kombu.Exchange(exchange_name, type='headers', durable=True)
        self.queue = kombu.Queue(
            f'users-csv-listener-{_suffix()}',
            exchange=exchange,
            binding_arguments={'x-match': 'all'},
            exclusive=True,
            auto_delete=True,
        )
        self.queue = self.queue(self.connection)
        self.queue.declare()

    def messages(self, expected=None, timeout=5.0):
        """Collects messages until `expected` arrived or nothing came for a while."""
        found = []
        deadline = time.monotonic() + timeout
        quiet_until = time.monotonic() + (timeout if expected else 1.0)
        while time.monotonic() < min(deadline, quiet_until):
            message = self.queue.get(no_ack=True)
            if message is None:
                time.sleep(0.05)
                continue
            found.append(
                {
                    'headers': message.headers,
                    'body': message.decode(),
                    'content_type': message.content_type,
                }
            )
            if expected is not None and len(found) >= expected:
                # Wait a little more: an extra event would be a bug.
                quiet_until = time.monotonic() + 0.5
        return found

    def close(self):
        self.connection.close()


@pytest.fixture
def bus(pg_server, exchange_name):
    pg_server.drain()  # events of earlier imports must not reach this listener
    listener = BusListener(exchange_name)
    yield listener
    listener.close()


@pytest.fixture
def fake_auth():
    server = FakeAuthServer({TOKEN: ['confd.#'], 'reader': ['confd.users.import.read']})
    yield server
    server.stop()
