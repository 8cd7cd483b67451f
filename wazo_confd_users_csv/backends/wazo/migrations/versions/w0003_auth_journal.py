# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""wazo-auth journal in Wazo's database: what a running job is about to do in wazo-auth,
committed before it does it, so that a job that does not commit is undone even after a crash

Revision ID: w0003
Revises: w0002
"""

import sqlalchemy as sa
from alembic import op

revision = 'w0003'
down_revision = 'w0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'users_csv_wazo_auth_journal',
        sa.Column('id', sa.BigInteger, primary_key=True),
        # the job's number: while it runs, it holds an advisory lock on it
        sa.Column('job', sa.Integer, nullable=False, index=True),
        sa.Column('tenant_uuid', sa.String(36)),
        sa.Column('action', sa.String(8), nullable=False),  # create or edit
        # JSON: [{uuid, username}] to delete, or [{uuid, before, emails_before}] to put back
        sa.Column('entries', sa.Text, nullable=False),
        sa.Column(
            'created_at',
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
    )


def downgrade():
    op.drop_table('users_csv_wazo_auth_journal')
