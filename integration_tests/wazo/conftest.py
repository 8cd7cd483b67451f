# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real wazo-confd, in this process, with the plugin loaded the way the package loads it.

* confd's own configuration loading (config.yml + conf.d holding the package's own
  debian/conf/50-users-csv.yml), `Controller(config)` (its plugins loaded by stevedore) and its
  Flask app served by cheroot on a real socket;
* a real Wazo `asterisk` schema on PostgreSQL: xivo-dao's models, populate.sql and the seed of
  confd's own integration tests (two tenants, contexts, ranges), built once as a template and
  cloned for every test;
* RabbitMQ on a private exchange, reached through a TCP proxy a test can cut (broker outage);
  loopback stand-ins for wazo-auth, sysconfd and provd.

The wheels and data come from ../shared/wazo (WAZO_WHEELHOUSE / WAZO_DATA): without them these
tests skip, unless USERS_CSV_REQUIRE_WAZO=1 (CI) makes that an error.
"""

import os
import shutil
import threading
import uuid

import kombu
import pytest
import requests
import sqlalchemy as sa
import yaml

from ..proxy import Proxy
from .standins import StandIn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
WAZO_DATA = os.environ.get('WAZO_DATA') or os.path.join(
    REPO, '..', 'shared', 'wazo', 'data'
)
PG = os.environ.get('USERS_CSV_TEST_PG_SERVER', 'postgresql://postgres@127.0.0.1:5432')
AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672//'
XIVO_UUID = '25a8940f-b563-4537-81d0-ccd40c841a2c'
SNIPPET = os.path.join(REPO, 'debian', 'conf', '50-users-csv.yml')


def _wazo_missing():
    try:
        import wazo_confd  # noqa: F401
        import xivo_dao  # noqa: F401
    except ImportError as exc:
        return f'the real wazo-confd is not installed ({exc}): see WAZO_WHEELHOUSE in README'
    if not os.path.exists(os.path.join(WAZO_DATA, 'populate.sql')):
        return f'no Wazo schema data in {WAZO_DATA}: set WAZO_DATA'
    return None


def _wazo_ui_missing():
    try:
        import wazo_ui  # noqa: F401
        import wazo_ui_users_csv  # noqa: F401
    except ImportError as exc:
        return f'the real wazo-ui is not installed ({exc}): see UI_WHEELHOUSE in docs/wazo-ui.md'
    return _wazo_missing()


def pytest_collection_modifyitems(config, items):
    for missing, wanted in (
        (_wazo_missing(), lambda path: path.startswith(HERE)),
        (_wazo_ui_missing(), lambda path: path.endswith('test_wazo_ui.py')),
    ):
        if missing is None:
            continue
        if os.environ.get('USERS_CSV_REQUIRE_WAZO') == '1':
            raise pytest.UsageError(missing)
        for item in items:
            if wanted(str(item.fspath)):
                item.add_marker(pytest.mark.skip(reason=missing))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Marks a test whose call failed (item.failed_call): a fixture may then keep what the
    browser showed."""
    outcome = yield
    if call.when == 'call' and outcome.get_result().failed:
        item.failed_call = True


def psql_admin():
    return sa.create_engine(f'{PG}/postgres', isolation_level='AUTOCOMMIT')


def build_template(name):
    """The `asterisk` schema as xivo-manage-db's init builds it, with confd's test seed."""
    import xivo_dao.alchemy.all  # noqa: F401  every model, as the schema initialisation does
    from xivo_dao.helpers.db_manager import Base

    admin = psql_admin()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    engine = sa.create_engine(f'{PG}/{name}')
    with engine.begin() as connection:
        for extension in ('pgcrypto', 'uuid-ossp', 'unaccent'):
            connection.exec_driver_sql(f'CREATE EXTENSION IF NOT EXISTS "{extension}"')
    Base.metadata.create_all(bind=engine)
    with open(os.path.join(WAZO_DATA, 'populate.sql'), encoding='utf-8') as stream:
        populate = stream.read()
    with open(
        os.path.join(WAZO_DATA, 'confd-test-seed.sql'), encoding='utf-8'
    ) as stream:
        seed = '\n'.join(
            line
            for line in stream.read().splitlines()
            if not line.startswith('ALTER ROLE')
        )  # no such role here
    with engine.begin() as connection:
        connection.execute(sa.text(populate))
        connection.execute(
            sa.text('UPDATE infos SET uuid = :uuid'), {'uuid': XIVO_UUID}
        )
        connection.exec_driver_sql(seed)
        # Room for big generated files (benchmarks, scale tests).
        connection.exec_driver_sql(
            "INSERT INTO contextnumbers (context, type, numberbeg, numberend, didlength) VALUES "
            "('default', 'user', '100000', '199999', 0), "
            "('from-extern', 'incall', '200000', '299999', 0)"
        )
    engine.dispose()


def clone(template, name):
    admin = psql_admin()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    admin.dispose()


def drop(name):
    admin = psql_admin()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


class ConfdClient:
    """HTTP and SQL access to a confd serving `url` on the database `db_name`."""

    def __init__(self, url, db_name):
        self.url = url
        self.db_name = db_name

    def request(self, method, path, token='admin-token', tenant=None, **kwargs):
        headers = dict(kwargs.pop('headers', {}))
        if token is not None:
            headers['X-Auth-Token'] = token
        if tenant is not None:
            headers['Wazo-Tenant'] = tenant
        return requests.request(
            method, self.url + path, headers=headers, timeout=600, **kwargs
        )

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post_csv(self, body, path='/users/import', **kwargs):
        if isinstance(body, str):
            body = body.encode('utf-8')
        headers = {'Content-Type': 'text/csv; charset=utf-8'}
        return self.request('POST', path, data=body, headers=headers, **kwargs)

    def put_csv(self, body, path='/users/import', **kwargs):
        if isinstance(body, str):
            body = body.encode('utf-8')
        headers = {'Content-Type': 'text/csv; charset=utf-8'}
        return self.request('PUT', path, data=body, headers=headers, **kwargs)

    def sql(self, statement, **params):
        engine = sa.create_engine(f'{PG}/{self.db_name}')
        try:
            with engine.connect() as connection:
                return [
                    dict(row._mapping)
                    for row in connection.execute(sa.text(statement), params)
                ]
        finally:
            engine.dispose()


class Confd(ConfdClient):
    """The real confd app served by cheroot, and what the tests need around it."""

    def __init__(
        self, workdir, exchange, template, builtin=False, auth=None, settings=None
    ):
        self.settings = dict(
            {'relay_interval': 0.5}, **(settings or {})
        )  # users_csv: ...
        self.builtin = (
            builtin  # confd's own user_import instead of the package (builtin.py)
        )
        self.template = template
        self.exchange = exchange
        self.auth = auth or StandIn('auth')  # benches pass one in its own process
        self.sysconfd = StandIn('sysconfd')
        self.provd = StandIn('provd')
        self.broker = Proxy(5672).start()
        self.db_name = None
        self.config_file = self._write_config(workdir)
        self._build()

    def _write_config(self, workdir):
        conf_d = os.path.join(workdir, 'conf.d')
        os.makedirs(conf_d, exist_ok=True)
        if not self.builtin:
            shutil.copy(SNIPPET, conf_d)  # the package's own snippet: what a PBX gets
        main = {
            'extra_config_files': conf_d + '/',
            'log_filename': os.path.join(workdir, 'confd.log'),
            'db_uri': f'{PG}/{self.template}',
            'uuid': XIVO_UUID,
            'auth': {
                'host': '127.0.0.1',
                'port': self.auth.port,
                'https': False,
                'username': 'confd-service',
                'password': 'confd-password',
            },
            'bus': {
                'host': '127.0.0.1',
                'port': self.broker.port,
                'username': 'guest',
                'password': 'guest',
                'exchange_name': self.exchange,
                'exchange_type': 'headers',
            },
            'provd': {
                'host': '127.0.0.1',
                'port': self.provd.port,
                'prefix': None,
                'https': False,
            },
            'sysconfd': {'host': '127.0.0.1', 'port': self.sysconfd.port},
            'pjsip_config_doc_filename': os.path.join(WAZO_DATA, 'pjsip.json.gz'),
            'users_csv': self.settings,
        }
        if self.builtin:
            main['enabled_plugins'] = {'user_import': True, 'users_csv': False}
        path = os.path.join(workdir, 'config.yml')
        with open(path, 'w') as stream:
            yaml.safe_dump(main, stream)
        return path

    def _build(self):
        from cheroot import wsgi
        from wazo_confd.config import load as load_config
        from wazo_confd.controller import Controller
        from wazo_confd.http_server import app

        self.config = load_config(['-c', self.config_file])
        self.controller = Controller(self.config)
        self.app = app
        self.server = wsgi.Server(('127.0.0.1', 0), app, numthreads=8)
        self.server.prepare()
        self.url = f'http://127.0.0.1:{self.server.bind_addr[1]}/1.1'
        threading.Thread(target=self.server.serve, daemon=True, name='confd').start()

    def use_database(self, name):
        """Points xivo-dao (and so confd and the plugin) at another database."""
        from xivo_dao.helpers import db_manager

        # the factory's engine: Session.get_bind() would make this thread a session that
        # stays bound to the old engine
        old = (
            db_manager.Session.session_factory.kw.get('bind') if self.db_name else None
        )
        db_manager.Session.remove()
        db_manager.init_db(f'{PG}/{name}', pool_size=4)
        if old is not None:
            old.dispose()
        self.db_name = name

    def stop(self):
        self.server.stop()
        self.broker.stop()
        for standin in (self.auth, self.sysconfd, self.provd):
            standin.stop()


@pytest.fixture(scope='session')
def wazo_template():
    name = f'users_csv_wazo_tpl_{uuid.uuid4().hex[:8]}'
    build_template(name)
    yield name
    drop(name)


@pytest.fixture(scope='session')
def confd_exchange():
    name = f'users-csv-confd-{uuid.uuid4().hex[:8]}'
    yield name
    with kombu.Connection(AMQP_URL) as connection:
        kombu.Exchange(name, type='headers')(connection).delete()


@pytest.fixture(scope='session')
def confd_session(tmp_path_factory, wazo_template, confd_exchange):
    confd = Confd(str(tmp_path_factory.mktemp('confd')), confd_exchange, wazo_template)
    yield confd
    confd.stop()


@pytest.fixture
def confd(confd_session, wazo_template):
    """The confd app on a fresh clone of the Wazo schema; stand-ins' records cleared."""
    name = f'users_csv_wazo_{uuid.uuid4().hex[:10]}'
    clone(wazo_template, name)
    confd_session.use_database(name)
    for standin in (confd_session.auth, confd_session.sysconfd, confd_session.provd):
        standin.requests.clear()
        standin.down = False
    if confd_session.broker._server is None:  # a test cut the broker
        confd_session.broker.start()
    confd_session.auth.reset_users()
    yield confd_session
    relayed(confd_session)  # no event of this test may reach the next test's capture
    from xivo_dao.helpers import db_manager

    db_manager.Session.remove()
    db_manager.Session.get_bind().dispose()
    drop(name)


def relayed(client, timeout=10.0):
    """Waits until the outbox of the client's database is empty (or was never made)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if not client.sql('SELECT count(*) AS n FROM users_csv_wazo_outbox')[0][
                'n'
            ]:
                return
        except sa.exc.ProgrammingError:
            return
        time.sleep(0.05)


class BusCapture:
    """Every message published on the exchange while the capture is open."""

    def __init__(self, exchange):
        self.connection = kombu.Connection(AMQP_URL)
        self.queue = kombu.Queue(
            f'users-csv-capture-{uuid.uuid4().hex[:8]}',
            kombu.Exchange(exchange, type='headers'),
            binding_arguments={'x-match': 'all'},  # no header to match: every message
            auto_delete=True,
            exclusive=True,
        )
        self.queue = self.queue(self.connection)
        self.queue.declare()
        self.messages = []

    def drain(self, expected=None, timeout=5.0):
        """Messages received so far (waits for `expected` of them, up to `timeout`)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            message = self.queue.get(no_ack=True)
            if message is not None:
                self.messages.append((message.headers, message.payload))
                continue
            if (
                expected is None
                or len(self.messages) >= expected
                or time.monotonic() > deadline
            ):
                return self.messages
            time.sleep(0.05)

    def names(self, **kwargs):
        return [headers['name'] for headers, _ in self.drain(**kwargs)]

    def close(self):
        self.queue.delete()
        self.connection.release()


@pytest.fixture
def bus(confd_session):
    capture = BusCapture(confd_session.exchange)
    yield capture
    capture.close()
