# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a file names, looked up in Wazo's tables in a few set-based queries, within a tenant.

Contexts, call permissions and voicemails are the tenant's; uniqueness (uuids, emails, SIP
names incl. trunks and templates, provisioning codes, extensions) is checked across tenants,
as confd's own validators do, because the database enforces it that way.
"""

import uuid as uuid_module

import sqlalchemy as sa
from xivo_dao.alchemy.context import Context
from xivo_dao.alchemy.contextnumbers import ContextNumbers
from xivo_dao.alchemy.endpoint_sip import EndpointSIP
from xivo_dao.alchemy.extension import Extension
from xivo_dao.alchemy.linefeatures import LineFeatures
from xivo_dao.alchemy.parking_lot import ParkingLot
from xivo_dao.alchemy.rightcall import RightCall
from xivo_dao.alchemy.userfeatures import UserFeatures
from xivo_dao.alchemy.voicemail import Voicemail

from ...columns import canonical_uuid
from ...imports.lookups import (
    ContextInfo,
    ExtensionUse,
    Lookups,
    incall_pairs,
    named,
    pairs,
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
        return f'{self.type} {self.typeval}'


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
    return Lookups(
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
    )


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
