# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Per row: check every rule, then decide what to create, reuse and associate."""

import time
from dataclasses import dataclass, field
from typing import Optional

from .. import columns
from .rows import Claims

GROUP_LABELS = {
    columns.PHONE: 'a phone',
    columns.INCALL: 'an incoming call',
    columns.VOICEMAIL: 'a voicemail',
}
HAS_GROUP = {
    columns.PHONE: lambda state: state.line is not None,
    columns.INCALL: lambda state: bool(state.incalls),
    columns.VOICEMAIL: lambda state: state.voicemail is not None,
}
# A column whose resource is not its group's: a line may be without an extension (inside
# wazo-confd), whose exten then stays empty.
HAS_OWNER = {'exten': lambda state: state.extension is not None}


@dataclass(slots=True)
class IncallPlan:
    """An incall of a row: created, or edited (`current`) on update."""

    incall: dict
    extension: dict
    reused: bool
    current: Optional[tuple] = None  # (incall, extension) before an update


@dataclass(slots=True)  # one per row of a big file
class RowPlan:
    row: object
    state: Optional[object] = None  # UserState on update: what the user has now
    user: Optional[dict] = None
    line: Optional[dict] = None
    sip: Optional[dict] = None
    sccp: Optional[dict] = None
    extension: Optional[dict] = None
    incalls: list = field(default_factory=list)  # IncallPlan
    voicemail: Optional[dict] = None
    call_permission_ids: list = field(default_factory=list)
    reused: list = field(default_factory=list)


def _always_required(catalogue, found={}):  # noqa: B006 - a cache per catalogue
    names = found.get(catalogue)
    if names is None:
        names = found[catalogue] = tuple(
            column.name
            for column in catalogue.columns
            if column.required == columns.ALWAYS
        )
    return names


def _in_group(catalogue, group, found={}):  # noqa: B006 - a cache per catalogue
    names = found.get((catalogue, group))
    if names is None:
        names = found[catalogue, group] = catalogue.required_in_group(group)
    return names


def check_required(row, catalogue=columns.CATALOGUES[columns.OWN]):
    for name in _always_required(catalogue):
        if not row.filled(name):
            row.error('required', 'is required on every row', name)
    for group in GROUP_LABELS:
        check_group_required(row, group, catalogue)


def check_group_required(row, group, catalogue=columns.CATALOGUES[columns.OWN]):
    """A group with some values must have all its required columns."""
    if not row.has_group(group):
        return
    required = _in_group(catalogue, group)
    missing = [name for name in required if not row.filled(name)]
    if not missing:
        return
    filled = [c.name for c in columns.group_columns(group) if row.filled(c.name)]
    for name in missing:
        row.error(
            'required',
            f'is required for {GROUP_LABELS[group]} '
            f'({", ".join(required)}), and this row fills {", ".join(filled)}',
            name,
        )


def plan_rows(
    rows,
    lookups,
    services,
    catalogue=columns.CATALOGUES[columns.OWN],
    tick=None,
    phases=None,
):
    """Checks every row; returns the plans of the rows without errors and the file's claims.
    tick: called with the count of rows checked (imports.progress.ticker); phases: a Phases
    to add the time of the checks and of the plans to."""
    claims = Claims(rows)
    plans = []
    checking = planning = 0.0
    clock = time.perf_counter
    for done, row in enumerate(rows, 1):
        if tick is not None:
            tick(done)
        started = clock()
        check_required(row, catalogue)
        for service in services.row_services:
            service.validator.validate(row, lookups, claims)
        checked = clock()
        checking += checked - started
        if row.failed:
            continue
        plan = RowPlan(row)
        for service in services.row_services:
            service.plan(plan, lookups)
        plans.append(plan)
        planning += clock() - checked
    if phases is not None:
        phases.add('check', checking)
        phases.add('plan', planning)
    return plans, claims


def check_required_update(row, state, catalogue=columns.CATALOGUES[columns.OWN]):
    """Present and empty: null, except in columns a resource the user has cannot be without."""
    for column in catalogue.columns:
        name = column.name
        if not column.not_nullable or not row.present(name) or row.filled(name):
            continue
        if column.group == columns.USER:
            row.error('required', 'cannot be emptied: every user has one', name)
        elif HAS_OWNER.get(name, HAS_GROUP[column.group])(state):
            row.error(
                'required',
                f'cannot be emptied while the user has '
                f'{GROUP_LABELS[column.group]}: give its current value to keep it',
                name,
            )
    for group, has in HAS_GROUP.items():
        if not has(state):
            check_group_required(row, group, catalogue)


def find_user(row, current, claims):
    """The UserState a row updates, or None (and an error)."""
    if row.is_bad('uuid'):
        return None
    uuid = row.get('uuid')
    if uuid is None:
        row.error('required', 'is required on update: it selects the user', 'uuid')
        return None
    uuid = columns.canonical_uuid(uuid)
    state = current.get(uuid)
    if state is None:
        row.error('unknown_user', f'no user has uuid {uuid}', 'uuid')
        return None
    row.name_user(state.user)
    earlier = claims.claim('uuid', uuid, row.row_number)
    if earlier is not None:
        row.error(
            'duplicate_in_file',
            f'{claims.where(earlier)} already updates this user: merge the two rows '
            '(one row per user)',
            'uuid',
        )
        return None
    return state


def plan_update_rows(
    rows,
    lookups,
    current,
    services,
    catalogue=columns.CATALOGUES[columns.OWN],
    tick=None,
    phases=None,
):
    """Checks every row of an update; returns the plans of the rows without errors."""
    claims = Claims(rows)
    plans = []
    checking = planning = 0.0
    clock = time.perf_counter
    for done, row in enumerate(rows, 1):
        if tick is not None:
            tick(done)
        started = clock()
        state = find_user(row, current, claims)
        if state is not None:
            if not row.present('entity_id'):
                row.entity_id = state.user['entity_id']
            check_required_update(row, state, catalogue)
            for service in services.row_services:
                service.validator.validate_update(row, state, lookups, claims)
        checked = clock()
        checking += checked - started
        if state is None or row.failed:
            continue
        plan = RowPlan(row, state=state)
        for service in services.row_services:
            service.plan_update(plan, lookups)
        plans.append(plan)
        planning += clock() - checked
    if phases is not None:
        phases.add('check', checking)
        phases.add('plan', planning)
    return plans, claims
