# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the rows of a file refer to in the standalone store, in a few set-based queries."""

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
from ...imports.lookups import Lookups, incall_pairs, named, pairs, values
from ...sql import lowered_by_database


def fetch(session, rows, extra_contexts=(), extra_extensions=(), extra_voicemails=()):
    """rows: RowContext of every row of the file; extra_*: more names and pairs to look up
    (on update, those of the users' resources)."""
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
