# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""outbox in Wazo's database: confd events of committed imports, until the broker has them

Revision ID: w0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = 'w0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'users_csv_wazo_outbox',
        sa.Column('id', sa.BigInteger, primary_key=True),
        # JSON: [[routing key, body], ...], up to 1,000 events in publishing order
        sa.Column('messages', sa.Text, nullable=False),
        sa.Column(
            'created_at',
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
    )


def downgrade():
    op.drop_table('users_csv_wazo_outbox')
