# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import sqlalchemy as sa

from ...sql import select_in
from ..models import CallPermission, UserCallPermission
from .helpers import delete_pairs, ids_by_name, insert_many

TABLE = CallPermission.__table__
USER_TABLE = UserCallPermission.__table__


def find_ids_by_names(session, names):
    return ids_by_name(session, TABLE, names)


def associate_users(session, pairs):
    """pairs: [(user_id, call_permission_id)]"""
    insert_many(
        session,
        USER_TABLE,
        [{'user_id': user_id, 'call_permission_id': cp_id} for user_id, cp_id in pairs],
    )


def find_ids_by_user_ids(session, user_ids):
    """{user id: [call permission id, ...]}"""
    found: dict[int, list] = {}
    for row in select_in(
        session,
        lambda c: sa.select(USER_TABLE)
        .where(USER_TABLE.c.user_id.in_(c))
        .order_by(USER_TABLE.c.call_permission_id),
        user_ids,
    ):
        found.setdefault(row.user_id, []).append(row.call_permission_id)
    return found


def dissociate_users(session, pairs):
    """pairs: [(user_id, call_permission_id)]"""
    delete_pairs(session, USER_TABLE, 'user_id', 'call_permission_id', pairs)
