# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Creates or upgrades the standalone store's schema with Alembic, in its own version table."""

import os

from alembic.runtime.migration import MigrationContext

from ..upgrades import upgrade_on
from .models import VERSION_TABLE

MIGRATIONS = os.path.join(os.path.dirname(__file__), 'migrations')


def upgrade(engine, revision='head', script_location=MIGRATIONS):
    with engine.begin() as connection:
        upgrade_on(connection, script_location, revision)


def current_revision(engine, version_table=VERSION_TABLE):
    """The schema's revision, or None when it was never made."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={'version_table': version_table}
        )
        return context.get_current_revision()
