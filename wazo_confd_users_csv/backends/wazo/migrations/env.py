# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Alembic environment of the plugin's tables in Wazo's database: its own version table, so
Wazo's own migrations (alembic_version) never see them."""

from alembic import context

from wazo_confd_users_csv.backends.wazo.outbox import VERSION_TABLE

connection = context.config.attributes['connection']
context.configure(connection=connection, version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
