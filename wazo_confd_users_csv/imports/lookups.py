# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Everything the rows of a file refer to, fetched in a few set-based queries."""

from dataclasses import dataclass, field

from ..columns import canonical_uuid
from ..database.dao import call_permission as call_permission_dao
from ..database.dao import context as context_dao
from ..database.dao import cti_profile as cti_profile_dao
from ..database.dao import endpoint_sip as endpoint_sip_dao
from ..database.dao import entity as entity_dao
from ..database.dao import extension as extension_dao
from ..database.dao import line as line_dao
from ..database.dao import user as user_dao
from ..database.dao import voicemail as voicemail_dao
from ..database.dao.helpers import lowered_by_database


@dataclass
class Lookups:
    entity_ids: set = field(default_factory=set)
    contexts: dict = field(default_factory=dict)
    cti_profiles: dict = field(default_factory=dict)
    call_permissions: dict = field(default_factory=dict)
    taken_uuids: set = field(default_factory=set)
    taken_emails: set = field(default_factory=set)
    # email -> its uniqueness key, lower() as the database computes it (see helpers)
    email_keys: dict = field(default_factory=dict)
    taken_usernames: set = field(default_factory=set)
    taken_sip_usernames: set = field(default_factory=set)
    taken_provisioning_codes: set = field(default_factory=set)
    extensions: dict = field(default_factory=dict)
    voicemails: dict = field(default_factory=dict)
    # (number, context) -> voicemail dict planned by an earlier row: later rows share it.
    planned_voicemails: dict = field(default_factory=dict)


def values(rows, name):
    return {row.get(name) for row in rows if row.get(name) is not None}


def pairs(rows, first, second):
    return {
        (row.get(first), row.get(second))
        for row in rows
        if row.get(first) is not None and row.get(second) is not None
    }


def incall_pairs(rows):
    found = set()
    for row in rows:
        found.update(
            (exten, context)
            for exten, context in zip(
                row.get('incall_exten') or (), row.get('incall_context') or ()
            )
            if exten is not None and context is not None
        )
    return found


def named(rows, extra_contexts=()):
    """(context names, call permission names) the rows refer to; extra_contexts: more names
    to look up (on update, the contexts of the resources the users already have)."""
    context_names = set(extra_contexts)
    for name in ('context', 'voicemail_context'):
        context_names |= values(rows, name)
    permission_names = set()
    for row in rows:
        context_names.update(name for name in row.get('incall_context') or () if name)
        permission_names.update(row.get('call_permissions') or ())
    return context_names, permission_names


def fetch(session, rows, extra_contexts=()):
    """rows: RowContext of every row of the file."""
    context_names, permission_names = named(rows, extra_contexts)
    email_keys = lowered_by_database(session, values(rows, 'email'))
    return Lookups(
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
            session, pairs(rows, 'exten', 'context') | incall_pairs(rows)
        ),
        voicemails=voicemail_dao.find_ids(
            session, pairs(rows, 'voicemail_number', 'voicemail_context')
        ),
    )
