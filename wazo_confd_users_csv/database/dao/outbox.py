# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import json
from contextlib import contextmanager

import sqlalchemy as sa

from ..models import OutboxMessage
from .helpers import assign_ids, insert_many

TABLE = OutboxMessage.__table__
# Serialises relays of several processes on PostgreSQL (any constant shared by them).
RELAY_LOCK = 0x75637376  # 'ucsv'


def add_many(session, messages):
    """messages: [(routing key, headers, body)], in the order they must be published.

    The standalone host's events are routed by their name, kept in the `name` column."""
    rows = [
        {'name': name, 'headers': json.dumps(headers), 'body': json.dumps(body)}
        for name, headers, body in messages
    ]
    assign_ids(session, TABLE, rows)
    insert_many(session, TABLE, rows)


def lock_relay(session):
    """True when this session may relay (always on SQLite, whose writers are serialised)."""
    if session.get_bind().dialect.name != 'postgresql':
        return True
    return session.execute(
        sa.text('SELECT pg_try_advisory_xact_lock(:key)'), {'key': RELAY_LOCK}
    ).scalar()


def pending(session, limit):
    rows = session.execute(sa.select(TABLE).order_by(TABLE.c.id).limit(limit)).all()
    # the body stays JSON text: the publisher sends it as is
    return [(row.id, row.name, json.loads(row.headers), row.body) for row in rows]


def delete(session, ids):
    session.execute(TABLE.delete().where(TABLE.c.id.in_(ids)))


def count(session):
    return session.execute(sa.select(sa.func.count()).select_from(TABLE)).scalar()


class Store:
    """The standalone host's outbox table, as the relay (bus.outbox.Outbox) uses it."""

    def __init__(self, database):
        self.database = database

    add = staticmethod(add_many)
    lock_relay = staticmethod(lock_relay)
    pending = staticmethod(pending)
    delete = staticmethod(delete)

    @contextmanager
    def transaction(self):
        with self.database.session() as session, session.begin():
            yield session
