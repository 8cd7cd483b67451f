# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a file names, looked up in Wazo's tables in a few set-based queries, within a tenant.

Contexts, call permissions and voicemails are the tenant's; uniqueness (uuids, emails, SIP
names incl. trunks and templates, provisioning codes, extensions) is checked across tenants,
as confd's own validators do, because the database enforces it that way.
"""

import uuid as uuid_module

import sqlalchemy as sa
from xivo_dao.alchemy.conference import Conference
from xivo_dao.alchemy.context import Context
from xivo_dao.alchemy.contextnumbers import ContextNumbers
from xivo_dao.alchemy.dialaction import Dialaction
from xivo_dao.alchemy.endpoint_sip import EndpointSIP
from xivo_dao.alchemy.extension import Extension
from xivo_dao.alchemy.groupfeatures import GroupFeatures
from xivo_dao.alchemy.line_extension import LineExtension
from xivo_dao.alchemy.linefeatures import LineFeatures
from xivo_dao.alchemy.parking_lot import ParkingLot
from xivo_dao.alchemy.queuefeatures import QueueFeatures
from xivo_dao.alchemy.rightcall import RightCall
from xivo_dao.alchemy.user_line import UserLine
from xivo_dao.alchemy.userfeatures import UserFeatures
from xivo_dao.alchemy.voicemail import Voicemail

from ...columns import canonical_uuid
from ...imports.lookups import (
    ContextInfo,
    ExtensionUse,
    Lookups,
    incall_pairs,
    line_label,
    named,
    owners_to_name,
    pairs,
    user_label,
    values,
)
from ...sql import lowered_by_database, select_in, select_pairs

CONTEXT = Context.__table__
RANGES = ContextNumbers.__table__
RIGHTCALL = RightCall.__table__
USER = UserFeatures.__table__
SIP = EndpointSIP.__table__
LINE = LineFeatures.__table__
EXTENSION = Extension.__table__
VOICEMAIL = Voicemail.__table__
PARKING = ParkingLot.__table__


class WazoExtensionUse(ExtensionUse):
    """An existing extension: free when confd would reuse it (type user, typeval 0)."""

    def __init__(self, id, type_, typeval):
        super().__init__(id)
        self.type = type_
        self.typeval = typeval

    @property
    def used_by(self):
        if self.type == 'user' and self.typeval in ('0', '', None):
            return None
        return self.description or f'a {self.type}'


# The resources an extension may serve, by their name: type -> (table, label).
NAMED_TYPES = {
    'group': (GroupFeatures.__table__, 'group'),
    'queue': (QueueFeatures.__table__, 'queue'),
    'conference': (Conference.__table__, 'conference'),
    'parking': (PARKING, 'parking lot'),
}


def fetch(
    session,
    rows,
    tenant_uuid,
    extra_contexts=(),
    extra_extensions=(),
    extra_voicemails=(),
):
    context_names, permission_names = named(rows, extra_contexts)
    contexts = find_contexts(session, tenant_uuid, context_names)
    extension_pairs = (
        pairs(rows, 'exten', 'context') | incall_pairs(rows) | set(extra_extensions)
    )
    email_keys = lowered_by_database(session, values(rows, 'email'))
    found = Lookups(
        email_keys=email_keys,
        contexts=contexts,
        call_permissions=find_call_permissions(session, tenant_uuid, permission_names),
        taken_uuids=owners(
            session,
            USER.c.uuid,
            USER.c.id,
            {canonical_uuid(value) for value in values(rows, 'uuid')},
        ),
        taken_emails=find_emails(session, set(email_keys.values())),
        taken_sip_usernames=owners(
            session, SIP.c.name, SIP.c.uuid, values(rows, 'sip_username')
        ),
        taken_provisioning_codes=find_provisioning_codes(
            session, values(rows, 'provisioning_code')
        ),
        extensions=find_extensions(session, extension_pairs, contexts),
        voicemails=find_voicemails(
            session,
            pairs(rows, 'voicemail_number', 'voicemail_context')
            | set(extra_voicemails),
        ),
        foreign_contexts=find_foreign_contexts(
            session, tenant_uuid, set(context_names) - set(contexts)
        ),
    )
    name_owners(session, found)
    return found


def find_foreign_contexts(session, tenant_uuid, names):
    """{name: tenant uuid} of the names that are contexts of other tenants only."""
    rows = select_in(
        session,
        lambda chunk: sa.select(CONTEXT.c.name, CONTEXT.c.tenant_uuid)
        .where(CONTEXT.c.tenant_uuid != tenant_uuid)
        .where(CONTEXT.c.name.in_(chunk)),
        names,
    )
    return {row.name: str(row.tenant_uuid) for row in rows}


USER_LINE = UserLine.__table__
LINE_EXTENSION = LineExtension.__table__
DIALACTION = Dialaction.__table__


def name_owners(session, found):
    """Names the owners of what the rows would take (users, lines, SIP endpoints, what uses
    an extension), a few queries for the whole file: messages never show a database id.
    """
    wanted = owners_to_name(found)
    used = [use for use in found.extensions.values() if use.used_by is not None]
    incalls = {int(use.typeval) for use in used if use.type == 'incall'}
    incall_users = dict(
        select_in(
            session,
            lambda chunk: sa.select(
                sa.cast(DIALACTION.c.categoryval, sa.Integer),
                sa.cast(DIALACTION.c.actionarg1, sa.Integer),
            )
            .where(DIALACTION.c.category == 'incall')
            .where(DIALACTION.c.action == 'user')
            .where(DIALACTION.c.categoryval.in_([str(id_) for id_ in chunk])),
            incalls,
        )
    )
    line_users = dict(
        select_in(
            session,
            lambda chunk: sa.select(USER_LINE.c.line_id, USER_LINE.c.user_id)
            .where(USER_LINE.c.main_user.is_(True))
            .where(USER_LINE.c.line_id.in_(chunk)),
            wanted['line'],
        )
    )
    sip_users = dict(
        select_in(
            session,
            lambda chunk: sa.select(LINE.c.endpoint_sip_uuid, USER_LINE.c.user_id)
            .select_from(
                LINE.outerjoin(
                    USER_LINE,
                    (USER_LINE.c.line_id == LINE.c.id)
                    & USER_LINE.c.main_user.is_(True),
                )
            )
            .where(LINE.c.endpoint_sip_uuid.in_(chunk)),
            wanted['sip'],
        )
    )
    sip_users = {str(key): user for key, user in sip_users.items()}
    user_ids = (
        wanted['user']
        | set(line_users.values())
        | {user for user in sip_users.values() if user is not None}
        | set(incall_users.values())
        | {int(use.typeval) for use in used if use.type == 'user'}
    )
    users = user_labels(session, user_ids)
    owners = found.owners
    for user_id in wanted['user']:
        owners[('user', user_id)] = users.get(user_id)
    for line_id in wanted['line']:
        owners[('line', line_id)] = line_label(users.get(line_users.get(line_id)))
    for sip in wanted['sip']:
        user = users.get(sip_users.get(sip))
        owners[('sip', sip)] = (
            f'the line of {user}'
            if user
            else 'a trunk, a template or a line of no user'
        )
    names = {}
    for kind, (table, _) in NAMED_TYPES.items():
        ids = {int(use.typeval) for use in used if use.type == kind}
        names[kind] = dict(
            select_in(
                session,
                lambda chunk, table=table: sa.select(table.c.id, table.c.name).where(
                    table.c.id.in_(chunk)
                ),
                ids,
            )
        )
    for use in used:
        if use.type == 'user':
            use.description = line_label(users.get(int(use.typeval)))
        elif use.type == 'incall':
            user = users.get(incall_users.get(int(use.typeval)))
            use.description = f'an incall to {user}' if user else 'an incall'
        elif use.type in NAMED_TYPES:
            label = NAMED_TYPES[use.type][1]
            name = names[use.type].get(int(use.typeval))
            use.description = f'{label} {name}' if name else f'a {label}'


def user_labels(session, user_ids):
    """{user id: "Dan Diaz (1003)"} with each user's main number."""
    if not user_ids:
        return {}

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


def find_contexts(session, tenant_uuid, names):
    """{name: ContextInfo} of the tenant's contexts, with their user and incall ranges."""
    found = {}
    for row in select_in(
        session,
        lambda chunk: sa.select(CONTEXT.c.name, CONTEXT.c.contexttype)
        .where(CONTEXT.c.tenant_uuid == tenant_uuid)
        .where(CONTEXT.c.name.in_(chunk)),
        names,
    ):
        found[row.name] = ContextInfo(row.name, row.contexttype, None)
    for row in select_in(
        session,
        lambda chunk: sa.select(RANGES)
        .where(RANGES.c.context.in_(chunk))
        .order_by(RANGES.c.numberbeg),
        list(found),
    ):
        end = row.numberend or row.numberbeg  # an empty end: a range of one number
        found[row.context].ranges.setdefault(row.type, []).append(
            (row.numberbeg, end, row.didlength or None)
        )
    return found


def find_call_permissions(session, tenant_uuid, names):
    rows = select_in(
        session,
        lambda chunk: sa.select(RIGHTCALL.c.id, RIGHTCALL.c.name)
        .where(RIGHTCALL.c.tenant_uuid == tenant_uuid)
        .where(RIGHTCALL.c.name.in_(chunk)),
        names,
    )
    return {row.name: row.id for row in rows}


def owners(session, column, owner, keys):
    """{key: owner} for the keys of `column` that exist."""
    rows = select_in(
        session,
        lambda chunk: sa.select(column.label('key'), owner.label('owner')).where(
            column.in_(chunk)
        ),
        keys,
    )
    # a uuid owner as the states spell it (a string), so that a row may keep its own value
    return {
        row.key: (
            str(row.owner) if isinstance(row.owner, uuid_module.UUID) else row.owner
        )
        for row in rows
    }


def find_emails(session, keys):
    """{lower(email): user id} for keys lowered by the database: emails are unique whatever
    their case, as confd's validator and the database's lower() judge it."""
    lowered = sa.func.lower(USER.c.email)
    rows = select_in(
        session,
        lambda chunk: sa.select(lowered.label('email'), USER.c.id).where(
            lowered.in_(chunk)
        ),
        keys,
    )
    return {row.email: row.id for row in rows}


def find_provisioning_codes(session, codes):
    numbers = {int(code) for code in codes}
    rows = select_in(
        session,
        lambda chunk: sa.select(LINE.c.provisioningid, LINE.c.id).where(
            LINE.c.provisioningid.in_(chunk)
        ),
        numbers,
    )
    return {str(row.provisioningid): row.id for row in rows}


def find_extensions(session, wanted, contexts):
    """{(exten, context): WazoExtensionUse}; numbers inside a parking lot count as taken."""
    query = sa.select(
        EXTENSION.c.id,
        EXTENSION.c.exten,
        EXTENSION.c.context,
        EXTENSION.c.type,
        EXTENSION.c.typeval,
    )
    found = {
        (row.exten, row.context): WazoExtensionUse(row.id, row.type, row.typeval)
        for row in select_pairs(
            session, lambda: query, EXTENSION.c.exten, EXTENSION.c.context, wanted
        )
    }
    lots = session.execute(
        sa.select(
            EXTENSION.c.context,
            PARKING.c.id,
            PARKING.c.slots_start,
            PARKING.c.slots_end,
        )
        .select_from(
            PARKING.join(
                EXTENSION,
                sa.and_(
                    EXTENSION.c.type == 'parking',
                    EXTENSION.c.typeval == sa.cast(PARKING.c.id, sa.String),
                ),
            )
        )
        .where(EXTENSION.c.context.in_(list(contexts) or ['']))
    ).all()
    for exten, context in wanted:
        for lot in lots:
            if (
                lot.context == context
                and exten.isdigit()
                and int(lot.slots_start) <= int(exten) <= int(lot.slots_end)
                and len(lot.slots_start) <= len(exten)
            ):
                found.setdefault(
                    (exten, context), WazoExtensionUse(0, 'parking', str(lot.id))
                )
    return found


def find_voicemails(session, wanted):
    query = sa.select(VOICEMAIL.c.uniqueid, VOICEMAIL.c.mailbox, VOICEMAIL.c.context)
    return {
        (row.mailbox, row.context): row.uniqueid
        for row in select_pairs(
            session, lambda: query, VOICEMAIL.c.mailbox, VOICEMAIL.c.context, wanted
        )
    }


def name_logins(session, rows, found):
    """Names the Wazo users whose wazo-auth logins the rows would take."""
    owners = {
        found.taken_logins[value.lower()]
        for column in ('username', 'email')
        for value in values(rows, column)
        if value.lower() in found.taken_logins
    }
    if not owners:
        return
    ids = dict(
        select_in(
            session,
            lambda chunk: sa.select(USER.c.uuid, USER.c.id).where(
                USER.c.uuid.in_(chunk)
            ),
            owners,
        )
    )
    labels = user_labels(session, set(ids.values()))
    for uuid, user_id in ids.items():
        found.owners[('login', str(uuid))] = labels.get(user_id)
