# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import sqlalchemy as sa

from ...imports.lookups import ContextInfo
from ...sql import select_in
from ..models import Context, ContextRange

TABLE = Context.__table__
RANGES = ContextRange.__table__


def find_by_names(session, names):
    """{name: ContextInfo} with the ranges of each context, in two queries per chunk."""
    found = {}
    for row in select_in(
        session, lambda chunk: sa.select(TABLE).where(TABLE.c.name.in_(chunk)), names
    ):
        found[row.name] = ContextInfo(row.name, row.type, row.entity_id)
    by_id = {
        row.id: row.name
        for row in select_in(
            session,
            lambda chunk: sa.select(TABLE.c.id, TABLE.c.name).where(
                TABLE.c.name.in_(chunk)
            ),
            list(found),
        )
    }
    ranges = select_in(
        session,
        lambda chunk: sa.select(RANGES)
        .where(RANGES.c.context_id.in_(chunk))
        .order_by(RANGES.c.id),
        list(by_id),
    )
    for row in ranges:
        found[by_id[row.context_id]].ranges.setdefault(row.kind, []).append(
            (row.start, row.end, row.did_length)
        )
    return found
