# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Writes every planned resource in bulk, one resource type at a time, in one transaction."""


def write(session, plans, services):
    services.user.create(session, plans)
    services.extension.create(session, new_extensions(plans))
    services.line.create(session, plans)
    services.incall.create(session, plans)
    services.voicemail.create(session, plans)
    services.call_permission.create(session, plans)


def write_updates(session, plans, services):
    services.user.update(session, plans)
    services.extension.update(session, edited_extensions(plans))
    services.extension.create(session, new_extensions(plans))
    services.line.update(session, plans)
    services.incall.update(session, plans)
    services.voicemail.update(session, plans)
    services.call_permission.update(session, plans)


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


def edited_extensions(plans):
    """Extensions that existed and whose number or context an update changes."""
    found = []
    for plan in plans:
        if plan.state is None:
            continue
        if plan.state.extension is not None and plan.extension != plan.state.extension:
            found.append(plan.extension)
        for planned in plan.incalls:
            if planned.current is not None and planned.extension != planned.current[1]:
                found.append(planned.extension)
    return found
