# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""outbox: events written with the data they describe, published after commit

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'users_csv_outbox',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('name', sa.String(64), nullable=False),
        sa.Column('headers', sa.Text, nullable=False),
        sa.Column('body', sa.Text, nullable=False),
    )


def downgrade():
    op.drop_table('users_csv_outbox')
