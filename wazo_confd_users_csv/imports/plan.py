"""Per row: check every rule, then decide what to create, reuse and associate."""
from dataclasses import dataclass, field
from typing import Optional

from .. import columns
from .rows import Claims

GROUP_LABELS = {columns.PHONE: 'a phone', columns.INCALL: 'an incoming call',
                columns.VOICEMAIL: 'a voicemail'}


@dataclass
class RowPlan:
    row: object
    user: Optional[dict] = None
    line: Optional[dict] = None
    sip: Optional[dict] = None
    sccp: Optional[dict] = None
    extension: Optional[dict] = None
    incalls: list = field(default_factory=list)  # IncallPlan
    voicemail: Optional[dict] = None
    call_permission_ids: list = field(default_factory=list)
    reused: list = field(default_factory=list)


def check_required(row):
    for column in columns.COLUMNS:
        if column.required == columns.ALWAYS and not row.filled(column.name):
            row.error('required', 'is required on every row', column.name)
    for group in GROUP_LABELS:
        check_group_required(row, group)


def check_group_required(row, group):
    """A group with some values must have all its required columns."""
    if not row.has_group(group):
        return
    required = columns.required_in_group(group)
    filled = [c.name for c in columns.group_columns(group) if row.filled(c.name)]
    for name in required:
        if not row.filled(name):
            row.error('required', f'is required for {GROUP_LABELS[group]} '
                      f'({", ".join(required)}), and this row fills {", ".join(filled)}', name)


def plan_rows(rows, lookups, services):
    """Checks every row; returns the plans of the rows without errors and the file's claims."""
    claims = Claims()
    plans = []
    for row in rows:
        check_required(row)
        for service in services.row_services:
            service.validator.validate(row, lookups, claims)
        if row.errors:
            continue
        plan = RowPlan(row)
        for service in services.row_services:
            service.plan(plan, lookups)
        plans.append(plan)
    return plans, claims
