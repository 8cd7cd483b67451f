# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""An update's writes to the standalone store: each table's changed rows in bulk, from the
plans and the users' state (never from the rows); the resources an update adds are made as
an import makes them (writer.py)."""

from ...database.dao import call_permission as call_permission_dao
from ...database.dao import endpoint_sip as sip_dao
from ...database.dao import extension as extension_dao
from ...database.dao import incall as incall_dao
from ...database.dao import line as line_dao
from ...database.dao import user as user_dao
from ...database.dao import voicemail as voicemail_dao
from ...services.call_permission import permission_changes
from . import passwords
from .writer import create_incalls, create_lines, create_voicemails, new_extensions


def write_updates(session, plans, dry_run=False):
    passwords.hash_all(plans, dry_run)  # compared with the users' hashes first
    user_dao.update_many_full(
        session, [plan.user for plan in plans if plan.user != plan.state.user]
    )
    extension_dao.update_many_full(session, edited_extensions(plans))
    extension_dao.create_many(session, new_extensions(plans))
    _update_lines(session, plans)
    _update_incalls(session, plans)
    _update_voicemails(session, plans)
    added, removed = [], []
    for plan in plans:
        plan_added, plan_removed = permission_changes(plan)
        added += [(plan.user['id'], cp_id) for cp_id in plan_added]
        removed += [(plan.user['id'], cp_id) for cp_id in plan_removed]
    call_permission_dao.dissociate_users(session, removed)
    call_permission_dao.associate_users(session, added)


def edited_extensions(plans):
    """Extensions that existed and whose number or context an update changes."""
    found = []
    for plan in plans:
        if plan.state.extension is not None and plan.extension != plan.state.extension:
            found.append(plan.extension)
        for planned in plan.incalls:
            if planned.current is not None and planned.extension != planned.current[1]:
                found.append(planned.extension)
    return found


def _update_lines(session, plans):
    create_lines(
        session, [p for p in plans if p.state.line is None and p.line is not None]
    )
    kept = [plan for plan in plans if plan.state.line is not None]
    sip_dao.update_many_full(
        session, [p.sip for p in kept if p.sip is not None and p.sip != p.state.sip]
    )
    line_dao.update_many_full(session, [p.line for p in kept if p.line != p.state.line])
    line_dao.associate_extensions(
        session,
        [
            {
                'line_id': p.line['id'],
                'extension_id': p.extension['id'],
                'main_extension': True,
            }
            for p in kept
            if p.state.extension is None and p.extension is not None
        ],
    )


def _update_incalls(session, plans):
    create_incalls(session, [plan for plan in plans if not plan.state.incalls])
    incall_dao.update_many_full(
        session,
        [
            planned.incall
            for plan in plans
            for planned in plan.incalls
            if planned.current is not None and planned.incall != planned.current[0]
        ],
    )


def _update_voicemails(session, plans):
    create_voicemails(session, [plan for plan in plans if plan.state.voicemail is None])
    edited = {
        plan.voicemail['id']: plan.voicemail
        for plan in plans
        if plan.state.voicemail is not None and plan.voicemail != plan.state.voicemail
    }
    voicemail_dao.update_many_full(session, list(edited.values()))
