# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Runs Alembic migrations in the caller's transaction: the standalone store's schema and,
inside wazo-confd, the plugin's own tables (outbox, request keys) beside Wazo's."""

from alembic import command
from alembic.config import Config


def upgrade_on(connection, script_location, revision='head'):
    """Runs the migrations of `script_location` (whose env.py names its version table)."""
    config = Config()
    config.set_main_option('script_location', script_location)
    config.attributes['connection'] = connection
    command.upgrade(config, revision)
