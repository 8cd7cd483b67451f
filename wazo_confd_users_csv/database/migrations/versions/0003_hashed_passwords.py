# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""login passwords stored hashed: the column widens, and clear ones are hashed in place

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from wazo_confd_users_csv.backends.standalone.passwords import SCHEME, hashed

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

USER = sa.table(
    'users_csv_user', sa.column('id', sa.Integer), sa.column('password', sa.String)
)


def upgrade():
    with op.batch_alter_table('users_csv_user') as batch:
        batch.alter_column(  # type: ignore[attr-defined]
            'password', type_=sa.String(128), existing_type=sa.String(64)
        )
    connection = op.get_bind()
    clear = connection.execute(
        sa.select(USER.c.id, USER.c.password).where(USER.c.password.isnot(None))
    ).all()
    for user_id, password in clear:
        if not password.startswith(SCHEME + '$'):
            connection.execute(
                USER.update()
                .where(USER.c.id == user_id)
                .values(password=hashed(password))
            )


def downgrade():
    pass  # a hash cannot become a password again; the wider column is harmless
