# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import sqlalchemy as sa

from ...sql import select_in
from ..models import Entity

TABLE = Entity.__table__


def find_existing_ids(session, ids):
    rows = select_in(
        session, lambda chunk: sa.select(TABLE.c.id).where(TABLE.c.id.in_(chunk)), ids
    )
    return {row.id for row in rows}
