# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Alembic environment: runs on the connection handed over by migrate.upgrade()."""

from alembic import context

from wazo_confd_users_csv.database.models import VERSION_TABLE

connection = context.config.attributes['connection']
context.configure(
    connection=connection, version_table=VERSION_TABLE, render_as_batch=True
)
with context.begin_transaction():
    context.run_migrations()
