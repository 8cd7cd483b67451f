# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the rows of a file refer to in the standalone store, in a few set-based queries."""

import sqlalchemy as sa

from ...columns import canonical_uuid
from ...database.dao import call_permission as call_permission_dao
from ...database.dao import context as context_dao
from ...database.dao import cti_profile as cti_profile_dao
from ...database.dao import endpoint_sip as endpoint_sip_dao
from ...database.dao import entity as entity_dao
from ...database.dao import extension as extension_dao
from ...database.dao import line as line_dao
from ...database.dao import user as user_dao
from ...database.dao import voicemail as voicemail_dao
from ...database.models import Extension, Incall, Line, LineExtension, User, UserLine
from ...imports.lookups import (
    Lookups,
    incall_pairs,
    line_label,
    named,
    owners_to_name,
    pairs,
    user_label,
    values,
)
from ...sql import lowered_by_database, select_in

USER, LINE, USER_LINE = User.__table__, Line.__table__, UserLine.__table__
EXTENSION, LINE_EXTENSION = Extension.__table__, LineExtension.__table__
INCALL = Incall.__table__


def fetch(session, rows, extra_contexts=(), extra_extensions=(), extra_voicemails=()):
    """rows: RowContext of every row of the file; extra_*: more names and pairs to look up
    (on update, those of the users' resources)."""
    context_names, permission_names = named(rows, extra_contexts)
    email_keys = lowered_by_database(session, values(rows, 'email'))
    found = Lookups(
        email_keys=email_keys,
        entity_ids=entity_dao.find_existing_ids(session, values(rows, 'entity_id')),
        contexts=context_dao.find_by_names(session, context_names),
        cti_profiles=cti_profile_dao.find_ids_by_names(
            session, values(rows, 'cti_profile_name')
        ),
        call_permissions=call_permission_dao.find_ids_by_names(
            session, permission_names
        ),
        taken_uuids=user_dao.find_taken_uuids(
            session, {canonical_uuid(value) for value in values(rows, 'uuid')}
        ),
        taken_emails=user_dao.find_taken_emails(session, set(email_keys.values())),
        taken_usernames=user_dao.find_taken_usernames(
            session, values(rows, 'username')
        ),
        taken_sip_usernames=endpoint_sip_dao.find_taken_usernames(
            session, values(rows, 'sip_username')
        ),
        taken_provisioning_codes=line_dao.find_taken_provisioning_codes(
            session, values(rows, 'provisioning_code')
        ),
        extensions=extension_dao.find(
            session,
            pairs(rows, 'exten', 'context')
            | incall_pairs(rows)
            | set(extra_extensions),
        ),
        voicemails=voicemail_dao.find_ids(
            session,
            pairs(rows, 'voicemail_number', 'voicemail_context')
            | set(extra_voicemails),
        ),
    )
    name_owners(session, found)
    return found


def name_owners(session, found):
    """Names the owners of what the rows would take, in a few queries: messages never show
    a database id."""
    wanted = owners_to_name(found)
    used = [use for use in found.extensions.values() if use.used_by is not None]
    lines = wanted['line'] | {use.line_id for use in used if use.line_id is not None}
    line_users = dict(
        select_in(
            session,
            lambda chunk: sa.select(USER_LINE.c.line_id, USER_LINE.c.user_id)
            .where(USER_LINE.c.main_user.is_(True))
            .where(USER_LINE.c.line_id.in_(chunk)),
            lines,
        )
    )
    sip_users = dict(
        select_in(
            session,
            lambda chunk: sa.select(LINE.c.sip_endpoint_id, USER_LINE.c.user_id)
            .select_from(
                LINE.outerjoin(
                    USER_LINE,
                    (USER_LINE.c.line_id == LINE.c.id)
                    & USER_LINE.c.main_user.is_(True),
                )
            )
            .where(LINE.c.sip_endpoint_id.in_(chunk)),
            wanted['sip'],
        )
    )
    incall_users = dict(
        select_in(
            session,
            lambda chunk: sa.select(INCALL.c.id, INCALL.c.user_id).where(
                INCALL.c.id.in_(chunk)
            ),
            {use.incall_id for use in used if use.incall_id is not None},
        )
    )
    users = user_labels(
        session,
        wanted['user']
        | set(line_users.values())
        | {user for user in sip_users.values() if user is not None}
        | set(incall_users.values()),
    )
    owners = found.owners
    for user_id in wanted['user']:
        owners[('user', user_id)] = users.get(user_id)
    for line_id in wanted['line']:
        owners[('line', line_id)] = line_label(users.get(line_users.get(line_id)))
    for sip in wanted['sip']:
        user = users.get(sip_users.get(sip))
        owners[('sip', sip)] = f'the line of {user}' if user else 'a line of no user'
    for use in used:
        if use.line_id is not None:
            use.description = line_label(users.get(line_users.get(use.line_id)))
        else:
            user = users.get(incall_users.get(use.incall_id))
            use.description = f'an incall to {user}' if user else 'an incall'


def user_labels(session, user_ids):
    """{user id: "Dan Diaz (1003)"} with each user's main number."""

    def query(chunk):
        return (
            sa.select(USER.c.id, USER.c.firstname, USER.c.lastname, EXTENSION.c.exten)
            .select_from(
                USER.outerjoin(
                    USER_LINE,
                    (USER_LINE.c.user_id == USER.c.id)
                    & USER_LINE.c.main_line.is_(True),
                )
                .outerjoin(
                    LINE_EXTENSION,
                    (LINE_EXTENSION.c.line_id == USER_LINE.c.line_id)
                    & LINE_EXTENSION.c.main_extension.is_(True),
                )
                .outerjoin(EXTENSION, EXTENSION.c.id == LINE_EXTENSION.c.extension_id)
            )
            .where(USER.c.id.in_(chunk))
        )

    return {
        row.id: user_label(row.firstname, row.lastname, row.exten)
        for row in select_in(session, query, user_ids)
    }
