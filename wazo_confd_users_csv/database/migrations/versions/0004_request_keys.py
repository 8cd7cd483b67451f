# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""request keys: each Idempotency-Key of the last 24 hours, with the answer its job got

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'users_csv_request_keys',
        sa.Column('scope', sa.String(64), primary_key=True),
        sa.Column('key', sa.String(255), primary_key=True),
        sa.Column('fingerprint', sa.String(64), nullable=False),
        sa.Column('status', sa.Integer),
        sa.Column('answer', sa.LargeBinary),
        sa.Column('created_at', sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table('users_csv_request_keys')
