# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The standalone store's migrations on a database made by an earlier release."""

import sqlalchemy as sa

from wazo_confd_users_csv.backends.standalone.passwords import matches
from wazo_confd_users_csv.database import migrate

from .conftest import PG_ADMIN_URI, _suffix


def upgrade_a_0002_database(uri):
    engine = sa.create_engine(uri)
    try:
        migrate.upgrade(engine, '0002')
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO users_csv_entity (id, name) VALUES (1, 'e')"
            )
            connection.exec_driver_sql(
                "INSERT INTO users_csv_user (uuid, entity_id, firstname, enabled, ring_seconds, "
                "simultaneous_calls, supervision_enabled, call_transfer_enabled, "
                "dtmf_hangup_enabled, username, password) VALUES ('u-1', 1, 'Ann', true, 30, 5, "
                "true, false, false, 'ann', 'clear-text-1'), ('u-2', 1, 'Bob', true, 30, 5, true, "
                "false, false, NULL, NULL)"
            )
        assert migrate.current_revision(engine) == '0002'

        migrate.upgrade(engine)

        with engine.connect() as connection:
            stored = dict(
                connection.exec_driver_sql(
                    'SELECT uuid, password FROM users_csv_user'
                ).all()
            )
        assert (
            migrate.current_revision(engine) == '0005'
        )  # the head: later migrations apply too
    finally:
        engine.dispose()
    return stored


def test_clear_passwords_of_an_earlier_release_are_hashed_on_sqlite(tmp_path):
    stored = upgrade_a_0002_database(f'sqlite:///{tmp_path / "old.db"}')
    assert matches('clear-text-1', stored['u-1']) and stored['u-2'] is None


def test_clear_passwords_of_an_earlier_release_are_hashed_on_postgresql():
    admin = sa.create_engine(PG_ADMIN_URI, isolation_level='AUTOCOMMIT')
    name = f'users_csv_it_{_suffix()}'
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE {name}')
    try:
        stored = upgrade_a_0002_database(PG_ADMIN_URI.rsplit('/', 1)[0] + '/' + name)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        admin.dispose()
    assert matches('clear-text-1', stored['u-1']) and stored['u-2'] is None
