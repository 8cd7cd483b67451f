# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""jobs in Wazo's database: each import or update asked with Prefer: respond-async, its
phase, counts and, at the end, the answer it got (kept users_csv.jobs_keep_hours)

Revision ID: w0004
Revises: w0003
"""

import sqlalchemy as sa
from alembic import op

revision = 'w0004'
down_revision = 'w0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'users_csv_wazo_jobs',
        sa.Column('uuid', sa.String(36), primary_key=True),
        sa.Column('tenant_uuid', sa.String(36), nullable=False, index=True),
        sa.Column('verb', sa.String(16), nullable=False),
        sa.Column('dry_run', sa.Boolean, nullable=False),
        sa.Column('phase', sa.String(16), nullable=False),
        sa.Column('counts', sa.Text, nullable=False),
        sa.Column('cancel_requested', sa.Boolean, nullable=False),
        sa.Column('process', sa.String(36), nullable=False),
        sa.Column('message', sa.Text),
        sa.Column('status', sa.Integer),
        sa.Column('answer', sa.LargeBinary),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('updated_at', sa.DateTime, nullable=False),
        sa.Column('finished_at', sa.DateTime),
    )


def downgrade():
    op.drop_table('users_csv_wazo_jobs')
