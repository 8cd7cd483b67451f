# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import sqlalchemy as sa

from ...sql import select_in
from ..models import Extension, Line, LineExtension, SipEndpoint, UserLine
from .helpers import assign_ids, insert_many, update_many

TABLE = Line.__table__
USER_TABLE = UserLine.__table__
EXTENSION_TABLE = LineExtension.__table__
# Serialises, on PostgreSQL, the jobs that generate values, from the draw to their commit.
GENERATION_LOCK = 0x75637379  # 'ucsy'


def lock_generation(session):
    """Waits until no other job draws generated values, and holds that turn until this
    transaction ends (a transaction-level advisory lock; nothing on SQLite, whose writers are
    serialised).

    Why: a draw is checked against the committed lines only. Two jobs in flight could draw
    the same provisioning code (900,000 of them: 6 files of 3,000 have about 150 codes in
    common); the second's INSERT then waits for the first's commit and fails, or two such
    waits deadlock, and each retry draws into the same crowd. In turn, a job draws once the
    jobs before it committed, and its check sees their codes."""
    if session.get_bind().dialect.name == 'postgresql':
        session.execute(
            sa.text('SELECT pg_advisory_xact_lock(:key)'), {'key': GENERATION_LOCK}
        )


def find_taken_provisioning_codes(session, codes):
    """{provisioning code: line id}"""
    rows = select_in(
        session,
        lambda c: sa.select(TABLE.c.provisioning_code, TABLE.c.id).where(
            TABLE.c.provisioning_code.in_(c)
        ),
        codes,
    )
    return {row.provisioning_code: row.id for row in rows}


def find_main_by_user_ids(session, user_ids):
    """{user id: (line, sip endpoint or None, main extension or None)} as dicts."""
    sip, ext = SipEndpoint.__table__, Extension.__table__
    query = (
        sa.select(
            USER_TABLE.c.user_id,
            TABLE,
            sip.c.username.label('sip_username'),
            sip.c.secret.label('sip_secret'),
            ext.c.id.label('extension_id'),
            ext.c.exten,
            ext.c.context.label('extension_context'),
        )
        .select_from(
            USER_TABLE.join(TABLE, TABLE.c.id == USER_TABLE.c.line_id)
            .outerjoin(sip, sip.c.id == TABLE.c.sip_endpoint_id)
            .outerjoin(
                EXTENSION_TABLE,
                sa.and_(
                    EXTENSION_TABLE.c.line_id == TABLE.c.id,
                    EXTENSION_TABLE.c.main_extension.is_(True),
                ),
            )
            .outerjoin(ext, ext.c.id == EXTENSION_TABLE.c.extension_id)
        )
        .where(USER_TABLE.c.main_line.is_(True))
    )
    found = {}
    for row in select_in(
        session, lambda c: query.where(USER_TABLE.c.user_id.in_(c)), user_ids
    ):
        if row.user_id in found:
            continue
        line = {name: getattr(row, name) for name in (c.name for c in TABLE.columns)}
        endpoint = (
            {
                'id': row.sip_endpoint_id,
                'username': row.sip_username,
                'secret': row.sip_secret,
            }
            if row.sip_endpoint_id is not None
            else None
        )
        extension = (
            {
                'id': row.extension_id,
                'exten': row.exten,
                'context': row.extension_context,
            }
            if row.extension_id is not None
            else None
        )
        found[row.user_id] = (line, endpoint, extension)
    return found


def update_many_full(session, lines):
    update_many(session, TABLE, lines)


def create_many(session, lines):
    assign_ids(session, TABLE, lines)
    insert_many(session, TABLE, lines)


def associate_users(session, associations):
    """associations: dicts with user_id, line_id, main_user, main_line"""
    insert_many(session, USER_TABLE, associations)


def associate_extensions(session, associations):
    """associations: dicts with line_id, extension_id, main_extension"""
    insert_many(session, EXTENSION_TABLE, associations)
