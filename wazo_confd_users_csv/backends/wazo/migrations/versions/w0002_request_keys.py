# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""request keys in Wazo's database: each Idempotency-Key of the last 24 hours, per tenant,
with the answer its job got

Revision ID: w0002
Revises: w0001
"""

import sqlalchemy as sa
from alembic import op

revision = 'w0002'
down_revision = 'w0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'users_csv_wazo_request_keys',
        sa.Column('scope', sa.String(64), primary_key=True),  # the tenant's uuid
        sa.Column('key', sa.String(255), primary_key=True),
        sa.Column('fingerprint', sa.String(64), nullable=False),
        sa.Column('status', sa.Integer),
        sa.Column('answer', sa.LargeBinary),
        sa.Column('created_at', sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table('users_csv_wazo_request_keys')
