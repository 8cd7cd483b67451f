# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Engines and sessions for PostgreSQL (production) and SQLite (the embedded default)."""

import threading
from typing import Optional

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

from ..errors import Unavailable

APPLICATION_NAME = 'wazo-confd-users-csv'  # how PostgreSQL lists our connections


def create_engine(uri):
    if uri.startswith('sqlite'):
        engine = sa.create_engine(uri, future=True, connect_args={'timeout': 30})
        _make_sqlite_transactional(engine)
        return engine
    # values_plus_batch: UPDATE and DELETE executemany go out in pages too, not row by row.
    return sa.create_engine(
        uri,
        future=True,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        executemany_mode='values_plus_batch',
        connect_args={'application_name': APPLICATION_NAME},
    )


def _make_sqlite_transactional(engine):
    # pysqlite defers BEGIN until the first write, so two imports could both read "free" and
    # then write. Taking the write lock at BEGIN serialises writers like a row lock would.
    @event.listens_for(engine, 'connect')
    def on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA foreign_keys=ON')
        cursor.close()

    @event.listens_for(engine, 'begin')
    def on_begin(connection):
        connection.exec_driver_sql('BEGIN IMMEDIATE')


class Database:
    """Binds lazily: confd loads plugins before its database is reachable."""

    def __init__(self, uri):
        self.uri = uri
        self._engine = None
        self._sessions: Optional[sessionmaker] = None
        self._bind_lock = threading.Lock()

    @property
    def engine(self):
        if self.uri is None:
            raise Unavailable(
                'the plugin has no database: set users_csv.db_uri in the '
                'configuration'
            )
        if self._engine is None:
            # The first requests may arrive together: bind once, and publish the engine last.
            with self._bind_lock:
                if self._engine is None:
                    engine = create_engine(self.uri)
                    self._sessions = sessionmaker(bind=engine, future=True)
                    self._engine = engine
        return self._engine

    @property
    def is_postgresql(self):
        return self.engine.dialect.name == 'postgresql'

    def session(self):
        self.engine  # noqa: B018 - binds on first use
        assert self._sessions is not None
        return self._sessions()

    def dispose(self):
        if self._engine is not None:
            self._engine.dispose()
