# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Writes the plans into the standalone store's tables: one resource type at a time, in bulk,
in the job's transaction. Reads the plans only (the rules made them from the rows)."""

from ...database.dao import call_permission as call_permission_dao
from ...database.dao import endpoint_sccp as sccp_dao
from ...database.dao import endpoint_sip as sip_dao
from ...database.dao import extension as extension_dao
from ...database.dao import incall as incall_dao
from ...database.dao import line as line_dao
from ...database.dao import user as user_dao
from ...database.dao import voicemail as voicemail_dao
from ...database.dao.helpers import assign_ids, assign_ids_many, insert_many
from ...generated import fill_unique, provisioning_code, sip_secret, sip_username
from . import passwords


def generate(session, plans, claims):
    """Fills the SIP usernames, secrets and provisioning codes that the file left empty (the
    login passwords are hashed as the users are written: write, write_updates).
    Returns the unique values it generated (a concurrent job may draw the same one)."""
    lines = [plan.line for plan in plans if plan.line is not None]
    sips = [plan.sip for plan in plans if plan.sip is not None]
    if any(line['provisioning_code'] is None for line in lines) or any(
        sip['username'] is None for sip in sips
    ):
        # one job at a time draws, until its commit: no two jobs in flight draw alike
        line_dao.lock_generation(session)
    generated = fill_unique(
        session,
        [line for line in lines if line['provisioning_code'] is None],
        'provisioning_code',
        provisioning_code,
        claims.taken('provisioning_code'),
        line_dao.find_taken_provisioning_codes,
    )
    generated |= fill_unique(
        session,
        [sip for sip in sips if sip['username'] is None],
        'username',
        sip_username,
        claims.taken('sip_username'),
        sip_dao.find_taken_usernames,
    )
    for sip in sips:
        if sip['secret'] is None:
            sip['secret'] = sip_secret()
    for plan in plans:
        if plan.sip is not None:
            plan.line['name'] = plan.sip['username']
    return generated


def write(session, plans, dry_run=False, early=None):
    """The plans of new users: every table's ids in one query, then one COPY a table (on
    PostgreSQL handed to the COPY thread when the job started one: helpers.start_copies).
    The users' table comes last, after their login passwords are hashed (`early`: an
    import's hashes, started before its checks; a dry run hashes none): the tables the users'
    rows do not depend on are written while the last hashes are made.
    """
    phones = [plan for plan in plans if plan.line is not None]
    incalls = [
        (plan, planned.incall, planned.extension)
        for plan in plans
        for planned in plan.incalls
    ]
    with_voicemail = [plan for plan in plans if plan.voicemail is not None]
    users = [plan.user for plan in plans]
    extensions = new_extensions(plans)
    sips = [p.sip for p in phones if p.sip is not None]
    sccps = [p.sccp for p in phones if p.sccp is not None]
    voicemails = [
        plan.voicemail for plan in with_voicemail if 'voicemail' not in plan.reused
    ]
    assign_ids_many(
        session,
        [
            (user_dao.TABLE, users),
            (extension_dao.TABLE, extensions),
            (sip_dao.TABLE, sips),
            (sccp_dao.TABLE, sccps),
            (line_dao.TABLE, [p.line for p in phones]),
            (incall_dao.TABLE, [incall for _, incall, _ in incalls]),
            (voicemail_dao.TABLE, voicemails),
        ],
    )
    insert_many(session, extension_dao.TABLE, extensions)
    _insert_lines(session, phones)
    insert_many(session, voicemail_dao.TABLE, voicemails)
    passwords.hash_all(plans, dry_run, early)
    insert_many(session, user_dao.TABLE, users)
    _associate_users(session, phones)
    for plan, incall, extension in incalls:
        incall['user_id'] = plan.user['id']
        incall['extension_id'] = extension['id']
    insert_many(session, incall_dao.TABLE, [incall for _, incall, _ in incalls])
    voicemail_dao.associate_users(
        session, [(plan.user['id'], plan.voicemail['id']) for plan in with_voicemail]
    )
    call_permission_dao.associate_users(
        session,
        [
            (plan.user['id'], cp_id)
            for plan in plans
            for cp_id in plan.call_permission_ids
        ],
    )


def new_extensions(plans):
    """Extensions to insert: planned ones without an id (reused and edited ones have one)."""
    found = []
    for plan in plans:
        if plan.extension is not None and 'id' not in plan.extension:
            found.append(plan.extension)
        found += [
            planned.extension
            for planned in plan.incalls
            if 'id' not in planned.extension
        ]
    return found


def create_lines(session, plans):
    phones = [plan for plan in plans if plan.line is not None]
    assign_ids(session, sip_dao.TABLE, [p.sip for p in phones if p.sip is not None])
    assign_ids(session, sccp_dao.TABLE, [p.sccp for p in phones if p.sccp is not None])
    assign_ids(session, line_dao.TABLE, [p.line for p in phones])
    _insert_lines(session, phones)
    _associate_users(session, phones)


def _insert_lines(session, phones):
    """The lines of `phones` (plans with a line), their endpoints and lines having their ids:
    the endpoints, the lines and their extensions (their users: _associate_users)."""
    insert_many(session, sip_dao.TABLE, [p.sip for p in phones if p.sip is not None])
    insert_many(session, sccp_dao.TABLE, [p.sccp for p in phones if p.sccp is not None])
    for plan in phones:
        plan.line['sip_endpoint_id'] = plan.sip['id'] if plan.sip is not None else None
        plan.line['sccp_endpoint_id'] = (
            plan.sccp['id'] if plan.sccp is not None else None
        )
    insert_many(session, line_dao.TABLE, [p.line for p in phones])
    line_dao.associate_extensions(
        session,
        [
            {
                'line_id': p.line['id'],
                'extension_id': p.extension['id'],
                'main_extension': True,
            }
            for p in phones
        ],
    )


def _associate_users(session, phones):
    line_dao.associate_users(
        session,
        [
            {
                'user_id': p.user['id'],
                'line_id': p.line['id'],
                'main_user': True,
                'main_line': True,
            }
            for p in phones
        ],
    )


def create_incalls(session, plans):
    incalls = []
    for plan in plans:
        for planned in plan.incalls:
            planned.incall['user_id'] = plan.user['id']
            planned.incall['extension_id'] = planned.extension['id']
            incalls.append(planned.incall)
    incall_dao.create_many(session, incalls)


def create_voicemails(session, plans):
    with_voicemail = [plan for plan in plans if plan.voicemail is not None]
    voicemail_dao.create_many(
        session,
        [plan.voicemail for plan in with_voicemail if 'voicemail' not in plan.reused],
    )
    voicemail_dao.associate_users(
        session, [(plan.user['id'], plan.voicemail['id']) for plan in with_voicemail]
    )
