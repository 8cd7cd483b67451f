# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import sqlalchemy as sa

from ...sql import select_in
from ..models import User
from .helpers import assign_ids, insert_many, update_many

TABLE = User.__table__


def find_taken_uuids(session, uuids):
    """{uuid: user id} for the uuids already in use."""
    rows = select_in(
        session,
        lambda c: sa.select(TABLE.c.uuid, TABLE.c.id).where(TABLE.c.uuid.in_(c)),
        uuids,
    )
    return {row.uuid: row.id for row in rows}


def find_taken_emails(session, keys):
    """{lower(email): user id} for keys lowered by the database (email is unique,
    case-insensitive, as the unique index on lower(email) says)."""
    lowered = sa.func.lower(TABLE.c.email)
    rows = select_in(
        session,
        lambda c: sa.select(lowered.label('email'), TABLE.c.id).where(lowered.in_(c)),
        keys,
    )
    return {row.email: row.id for row in rows}


def find_taken_usernames(session, usernames):
    """{lower-cased username: user id}: usernames are unique whatever their case (they are
    ASCII, where Python's lower() is the database's)."""
    lowered = sa.func.lower(TABLE.c.username)
    rows = select_in(
        session,
        lambda c: sa.select(lowered.label('username'), TABLE.c.id).where(
            lowered.in_(c)
        ),
        [username.lower() for username in usernames],
    )
    return {row.username: row.id for row in rows}


def find_by_uuids(session, uuids):
    """{uuid: the user's row as a dict}"""
    rows = select_in(
        session, lambda c: sa.select(TABLE).where(TABLE.c.uuid.in_(c)), uuids
    )
    return {row.uuid: dict(row._mapping) for row in rows}


def create_many(session, users):
    assign_ids(session, TABLE, users)
    insert_many(session, TABLE, users)


def update_many_full(session, users):
    update_many(session, TABLE, users)
