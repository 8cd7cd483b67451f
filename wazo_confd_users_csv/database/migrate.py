# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Creates or upgrades a schema with Alembic, in the plugin's own version table."""

import os

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from .models import VERSION_TABLE

MIGRATIONS = os.path.join(os.path.dirname(__file__), 'migrations')


def upgrade(engine, revision='head', script_location=MIGRATIONS):
    with engine.begin() as connection:
        upgrade_on(connection, revision, script_location)


def upgrade_on(connection, revision='head', script_location=MIGRATIONS):
    """Runs the migrations of `script_location` (whose env.py names its version table) in the
    caller's transaction."""
    config = Config()
    config.set_main_option('script_location', script_location)
    config.attributes['connection'] = connection
    command.upgrade(config, revision)


def current_revision(engine, version_table=VERSION_TABLE):
    """The schema's revision, or None when it was never made."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={'version_table': version_table}
        )
        return context.get_current_revision()
