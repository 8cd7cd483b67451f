# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa

from ..models import Extension, Incall, LineExtension
from .helpers import assign_ids, insert_many, select_pairs, update_many

TABLE = Extension.__table__
LINES = LineExtension.__table__
INCALLS = Incall.__table__


@dataclass
class ExtensionUse:
    id: int
    line_id: Optional[int] = None
    incall_id: Optional[int] = None

    @property
    def used_by(self):
        if self.line_id is not None:
            return f'line {self.line_id}'
        if self.incall_id is not None:
            return f'incall {self.incall_id}'
        return None


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
