# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import sqlalchemy as sa

from ...imports.lookups import ExtensionUse
from ...sql import select_pairs
from ..models import Extension, Incall, LineExtension
from .helpers import assign_ids, insert_many, update_many

TABLE = Extension.__table__
LINES = LineExtension.__table__
INCALLS = Incall.__table__


def find(session, pairs):
    """{(exten, context): ExtensionUse} for the pairs that exist, with what uses each."""
    query = sa.select(
        TABLE.c.id,
        TABLE.c.exten,
        TABLE.c.context,
        LINES.c.line_id,
        INCALLS.c.id.label('incall_id'),
    ).select_from(
        TABLE.outerjoin(LINES, LINES.c.extension_id == TABLE.c.id).outerjoin(
            INCALLS, INCALLS.c.extension_id == TABLE.c.id
        )
    )
    rows = select_pairs(session, lambda: query, TABLE.c.exten, TABLE.c.context, pairs)
    return {
        (row.exten, row.context): ExtensionUse(row.id, row.line_id, row.incall_id)
        for row in rows
    }


def create_many(session, extensions):
    assign_ids(session, TABLE, extensions)
    insert_many(session, TABLE, extensions)


def update_many_full(session, extensions):
    update_many(session, TABLE, extensions)
