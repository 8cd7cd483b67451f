# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Wazo's `asterisk` schema on PostgreSQL, as xivo-manage-db's `xivo-init-db --init` builds it:
xivo-dao's models, populate.sql, then the seed of confd's own integration tests (two tenants,
their SIP templates, contexts `default` 1000-1999, `from-extern` incalls, `to-extern`).

The data files come from WAZO_DATA (default ../shared/wazo/data beside the clone); the Wazo
libraries from the wheels the Makefile installs (WAZO_WHEELHOUSE). docs/development.md says
where both come from.
"""

import os

import sqlalchemy as sa

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WAZO_DATA = os.environ.get('WAZO_DATA') or os.path.normpath(
    os.path.join(REPO, '..', 'shared', 'wazo', 'data')
)
PG = os.environ.get('USERS_CSV_TEST_PG_SERVER', 'postgresql://postgres@127.0.0.1:5432')
XIVO_UUID = '25a8940f-b563-4537-81d0-ccd40c841a2c'
HOW = 'docs/development.md ("The real wazo-confd: where it comes from") says more'


def wazo_missing():
    """Why the real confd cannot run here (one line saying what to do), or None."""
    try:
        import wazo_confd  # noqa: F401
        import xivo_dao  # noqa: F401
    except ImportError as exc:
        return (
            f'the real wazo-confd is not installed ({exc}): put its wheels in '
            '../shared/wazo/wheelhouse (or set WAZO_WHEELHOUSE=DIR), then make test (or make '
            'confd) installs them; ' + HOW
        )
    missing = [
        name
        for name in ('populate.sql', 'confd-test-seed.sql', 'pjsip.json.gz')
        if not os.path.exists(os.path.join(WAZO_DATA, name))
    ]
    if missing:
        return (
            f'Wazo\'s schema data is not in {WAZO_DATA} (no {", ".join(missing)}): '
            'set WAZO_DATA=DIR; ' + HOW
        )
    return None


def admin():
    return sa.create_engine(f'{PG}/postgres', isolation_level='AUTOCOMMIT')


def create(name):
    """A new database `name` holding the schema, the data Wazo starts with and the seed."""
    import xivo_dao.alchemy.all  # noqa: F401  every model, as the schema initialisation does
    from xivo_dao.helpers.db_manager import Base

    _admin(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
    engine = sa.create_engine(f'{PG}/{name}')
    try:
        with engine.begin() as connection:
            for extension in ('pgcrypto', 'uuid-ossp', 'unaccent'):
                connection.exec_driver_sql(
                    f'CREATE EXTENSION IF NOT EXISTS "{extension}"'
                )
        Base.metadata.create_all(bind=engine)
        with engine.begin() as connection:
            connection.execute(sa.text(_read('populate.sql')))
            connection.execute(
                sa.text('UPDATE infos SET uuid = :uuid'), {'uuid': XIVO_UUID}
            )
            seed = _read('confd-test-seed.sql').splitlines()
            # its last line grants to a role that does not exist here
            connection.exec_driver_sql(
                '\n'.join(line for line in seed if not line.startswith('ALTER ROLE'))
            )
            # room for big generated files (benchmarks, scale tests)
            connection.exec_driver_sql(
                'INSERT INTO contextnumbers (context, type, numberbeg, numberend, didlength) '
                "VALUES ('default', 'user', '100000', '199999', 0), "
                "('from-extern', 'incall', '200000', '299999', 0)"
            )
    finally:
        engine.dispose()


def clone(template, name):
    _admin(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )


def drop(name):
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def exists(name):
    engine = admin()
    try:
        with engine.connect() as connection:
            return bool(
                connection.execute(
                    sa.text('SELECT 1 FROM pg_database WHERE datname = :name'),
                    {'name': name},
                ).first()
            )
    finally:
        engine.dispose()


def _admin(*statements):
    engine = admin()
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _read(name):
    with open(os.path.join(WAZO_DATA, name), encoding='utf-8') as stream:
        return stream.read()
