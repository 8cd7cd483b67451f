# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import sqlalchemy as sa

from ...sql import select_in
from ..models import Extension, Incall
from .helpers import assign_ids, insert_many, update_many

TABLE = Incall.__table__
EXTENSIONS = Extension.__table__


def create_many(session, incalls):
    """incalls: dicts with user_id, ring_seconds, extension_id"""
    assign_ids(session, TABLE, incalls)
    insert_many(session, TABLE, incalls)


def find_by_user_ids(session, user_ids):
    """{user id: [(incall, extension)]} ordered by exten, then context."""
    query = sa.select(TABLE, EXTENSIONS.c.exten, EXTENSIONS.c.context).select_from(
        TABLE.join(EXTENSIONS, EXTENSIONS.c.id == TABLE.c.extension_id)
    )
    found: dict[int, list] = {}
    for row in select_in(
        session, lambda c: query.where(TABLE.c.user_id.in_(c)), user_ids
    ):
        incall = {
            'id': row.id,
            'user_id': row.user_id,
            'ring_seconds': row.ring_seconds,
            'extension_id': row.extension_id,
        }
        extension = {'id': row.extension_id, 'exten': row.exten, 'context': row.context}
        found.setdefault(row.user_id, []).append((incall, extension))
    for incalls in found.values():
        incalls.sort(key=lambda pair: (pair[1]['exten'], pair[1]['context']))
    return found


def update_many_full(session, incalls):
    update_many(session, TABLE, incalls)
