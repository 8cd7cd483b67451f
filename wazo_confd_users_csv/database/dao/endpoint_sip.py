# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import sqlalchemy as sa

from ...sql import select_in
from ..models import SipEndpoint
from .helpers import assign_ids, insert_many, update_many

TABLE = SipEndpoint.__table__


def find_taken_usernames(session, usernames):
    """{username: endpoint id}"""
    rows = select_in(
        session,
        lambda c: sa.select(TABLE.c.username, TABLE.c.id).where(
            TABLE.c.username.in_(c)
        ),
        usernames,
    )
    return {row.username: row.id for row in rows}


def update_many_full(session, endpoints):
    update_many(session, TABLE, endpoints)


def create_many(session, endpoints):
    assign_ids(session, TABLE, endpoints)
    insert_many(session, TABLE, endpoints)
