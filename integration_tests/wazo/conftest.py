# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real wazo-confd, in this process, with the plugin loaded the way the package loads it
(wazo_confd_users_csv_testing: confd's own configuration and Controller behind cheroot, a
real Wazo `asterisk` schema built once as a template and cloned for every test, RabbitMQ on a
private exchange behind a TCP proxy a test can cut, loopback stand-ins for wazo-auth, sysconfd
and provd).

The wheels and data come from ../shared/wazo (WAZO_WHEELHOUSE / WAZO_DATA): without them these
tests are collected and skipped, with one line saying how to get them, unless
USERS_CSV_REQUIRE_WAZO=1 (CI) makes that an error. So no module here may import the Wazo
libraries at its top.
"""

import os
import time
import uuid

import kombu
import pytest
import sqlalchemy as sa

from wazo_confd_users_csv_testing import schema
from wazo_confd_users_csv_testing.confd import AMQP_URL, Confd
from wazo_confd_users_csv_testing.schema import clone, drop

HERE = os.path.dirname(os.path.abspath(__file__))
SKIPPED = pytest.StashKey()  # (how many, why)


def _wazo_ui_missing():
    try:
        import wazo_ui  # noqa: F401
        import wazo_ui_users_csv  # noqa: F401
    except ImportError as exc:
        return f'the real wazo-ui is not installed ({exc}): see UI_WHEELHOUSE in docs/wazo-ui.md'
    return schema.wazo_missing()


def pytest_collection_modifyitems(config, items):
    for missing, wanted, counted in (
        (schema.wazo_missing(), lambda path: path.startswith(HERE), True),
        (_wazo_ui_missing(), lambda path: path.endswith('test_wazo_ui.py'), False),
    ):
        if missing is None:
            continue
        if os.environ.get('USERS_CSV_REQUIRE_WAZO') == '1':
            raise pytest.UsageError(missing)
        skip = pytest.mark.skip(reason=missing)
        skipped = [item for item in items if wanted(str(item.fspath))]
        for item in skipped:
            item.add_marker(skip)
        if counted:
            config.stash[SKIPPED] = len(skipped), missing


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Marks a test whose call failed (item.failed_call): a fixture may then keep what the
    browser showed."""
    outcome = yield
    if call.when == 'call' and outcome.get_result().failed:
        item.failed_call = True


def pytest_terminal_summary(terminalreporter, config):
    """One line, whatever the verbosity, rather than a reason per test."""
    if SKIPPED in config.stash:
        count, missing = config.stash[SKIPPED]
        terminalreporter.write_line(
            f'{count} tests against the real wazo-confd skipped: {missing}', yellow=True
        )


@pytest.fixture(scope='session')
def wazo_template():
    name = f'users_csv_wazo_tpl_{uuid.uuid4().hex[:8]}'
    schema.create(name)
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
    confd_session.release_database()
    drop(name)


def relayed(client, timeout=10.0):
    """Waits until the outbox of the client's database is empty (or was never made)."""
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


@pytest.fixture(scope='session')
def real_wazo_auth(tmp_path_factory):
    """The real wazo-auth (../shared/wazo/auth, in its own virtualenv: make wazo-auth) in a
    child process on a database of its own, for the whole session: `port`, `token` (ACL #),
    `prefix` (None: it is served at its root). Skipped when it is not built, unless
    USERS_CSV_REQUIRE_WAZO=1 (CI builds it)."""
    from wazo_confd_users_csv_testing.realauth import RealAuth, find_venv

    venv = find_venv()
    if venv is None:
        why = 'the real wazo-auth is not built: make wazo-auth (or set WAZO_AUTH_VENV)'
        if os.environ.get('USERS_CSV_REQUIRE_WAZO') == '1':
            pytest.fail(why)
        pytest.skip(why)
    auth = RealAuth(
        venv, str(tmp_path_factory.mktemp('wazo-auth')), uuid.uuid4().hex[:8]
    )
    yield auth
    auth.stop()


@pytest.fixture
def bus(confd_session):
    capture = BusCapture(confd_session.exchange)
    yield capture
    capture.close()
