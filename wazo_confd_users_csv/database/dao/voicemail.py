# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import sqlalchemy as sa

from ...sql import select_in, select_pairs
from ..models import UserVoicemail, Voicemail
from .helpers import assign_ids, insert_many, update_many

TABLE = Voicemail.__table__
USER_TABLE = UserVoicemail.__table__


def find_ids(session, pairs):
    """{(number, context): id} for the voicemails that exist."""
    rows = select_pairs(
        session,
        lambda: sa.select(TABLE.c.id, TABLE.c.number, TABLE.c.context),
        TABLE.c.number,
        TABLE.c.context,
        pairs,
    )
    return {(row.number, row.context): row.id for row in rows}


def create_many(session, voicemails):
    assign_ids(session, TABLE, voicemails)
    insert_many(session, TABLE, voicemails)


def associate_users(session, pairs):
    """pairs: [(user_id, voicemail_id)]"""
    insert_many(
        session,
        USER_TABLE,
        [{'user_id': user_id, 'voicemail_id': vm_id} for user_id, vm_id in pairs],
    )


def find_by_user_ids(session, user_ids):
    """{user id: voicemail dict}"""
    query = sa.select(USER_TABLE.c.user_id, TABLE).select_from(
        USER_TABLE.join(TABLE, TABLE.c.id == USER_TABLE.c.voicemail_id)
    )
    rows = select_in(
        session, lambda c: query.where(USER_TABLE.c.user_id.in_(c)), user_ids
    )
    return {
        row.user_id: {c.name: getattr(row, c.name) for c in TABLE.columns}
        for row in rows
    }


def update_many_full(session, voicemails):
    update_many(session, TABLE, voicemails)
