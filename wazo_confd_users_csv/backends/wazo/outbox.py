# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The outbox inside wazo-confd: an import's events are written to `users_csv_wazo_outbox` in
Wazo's database, in the import's own transaction, and the relay (bus.outbox.Outbox) sends them
to confd's broker after the commit. A broker outage delays them; it never loses them.

The table is the plugin's own, made on first use by its own Alembic migrations, whose version
table (`users_csv_wazo_alembic_version`) Wazo's migrations never read.
"""

import json
import os
import threading
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa

from ...bus.publisher import BusPublisher
from ...sql import copy_rows
from ...upgrades import upgrade_on

VERSION_TABLE = 'users_csv_wazo_alembic_version'
MIGRATIONS = os.path.join(os.path.dirname(__file__), 'migrations')
# pg advisory lock keys, shared by every process relaying from this database.
RELAY_LOCK = 0x75637377  # 'ucsw'
SCHEMA_LOCK = 0x75637378
# held from a job's draw of generated values to its commit (backend.WazoJob.generate)
GENERATION_LOCK = 0x7563737A

GROUP = 1000  # events per outbox row: a file of 2,000 users is 26 rows, not 26,000
TABLE = sa.Table(
    'users_csv_wazo_outbox',
    sa.MetaData(),
    sa.Column('id', sa.BigInteger, primary_key=True),
    sa.Column('messages', sa.Text, nullable=False),  # JSON [[routing key, body], ...]
)


class Store:
    """The outbox table as the job (add) and the relay (the rest) use it."""

    def __init__(self, engine_of):
        self.engine_of = (
            engine_of  # xivo-dao's engine, looked up each time (it can change)
        )
        self._ready = set()
        self._lock = threading.Lock()

    def ensure_schema(self, engine):
        key = (engine.url.host, engine.url.port, engine.url.database)
        with self._lock:
            if key in self._ready:
                return
            with engine.begin() as connection:
                connection.execute(
                    sa.text('SELECT pg_advisory_xact_lock(:key)'), {'key': SCHEMA_LOCK}
                )
                upgrade_on(connection, MIGRATIONS)
            self._ready.add(key)

    def add(self, session, messages):
        """In the job's transaction; messages: [(routing key, headers, body)] in order.

        Only the body is kept: confd's body holds every header, plus `data`."""
        if not messages:
            return
        self.ensure_schema(session.get_bind())
        # COPY keeps the order: the serial ids follow the rows as they come
        copy_rows(
            session,
            TABLE,
            ['messages'],
            [
                {
                    'messages': json.dumps(
                        [
                            [routing_key, body]
                            for routing_key, _, body in messages[start : start + GROUP]
                        ]
                    )
                }
                for start in range(0, len(messages), GROUP)
            ],
        )

    @contextmanager
    def transaction(self):
        engine = self.engine_of()
        self.ensure_schema(engine)
        with engine.begin() as connection:
            yield connection

    @staticmethod
    def lock_relay(connection):
        return connection.execute(
            sa.text('SELECT pg_try_advisory_xact_lock(:key)'), {'key': RELAY_LOCK}
        ).scalar()

    @staticmethod
    def pending(connection, limit):
        """[(row id, routing key, headers, body)] of the oldest rows, about `limit` events."""
        rows = connection.execute(
            sa.select(TABLE).order_by(TABLE.c.id).limit(max(1, limit // GROUP))
        ).all()
        return [
            (row.id, routing_key, _headers(body), body)
            for row in rows
            for routing_key, body in json.loads(row.messages)
        ]

    @staticmethod
    def delete(connection, ids):
        connection.execute(TABLE.delete().where(TABLE.c.id.in_(set(ids))))


def _headers(body):
    return {key: value for key, value in body.items() if key != 'data'}


class WazoPublisher(BusPublisher):
    """Publishes on confd's broker and exchange what confd's own publisher would send for a
    wazo-bus event: the event's headers plus name, origin, timestamp and the required
    access/ACL; the body is those headers plus `data`; routed by the event's routing key.
    """

    def message(self, event):
        routing_key = (
            event.routing_key
        )  # formatted once: it costs (130,000 for 10,000 users)
        headers = dict(event.headers)
        headers['required_access'] = event.required_access
        # wazo-bus: the ACL's own format when the event has one, else events.<routing key>
        headers['required_acl'] = (
            event.required_acl
            if hasattr(event, 'required_acl_fmt')
            else f'events.{routing_key}'
        )
        headers.update(
            name=event.name,
            origin_uuid=self.origin_uuid,
            timestamp=datetime.now().isoformat(),
        )
        return routing_key, headers, dict(headers, data=event.marshal())


def engine_of_confd():
    """xivo-dao's engine, which confd binds after loading its plugins.

    Read from the session factory: the relay thread keeps no scoped session of its own, which
    would stay bound to whatever was configured when it was made."""
    from xivo_dao.helpers.db_manager import Session

    engine = Session.session_factory.kw.get('bind')
    if engine is None:
        raise LookupError('confd has not bound its database yet')
    return engine
