# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Incoming calls routed to the user, each with its extension in an incall context.

The incall columns may hold several values separated by ; (aligned), which is how the export
writes a user with several incalls: the file then re-imports unchanged.
"""

from .. import columns
from ..imports.plan import IncallPlan
from .extension import INCALL_RANGE

COLUMNS = ('incall_exten', 'incall_context')
GROUP = ('incall_exten', 'incall_context', 'incall_ring_seconds')


def final_values(row, current):
    """[(exten, context, ring_seconds)] after an update: cells given, else what the user has.

    None when the columns do not align.
    """

    def column(name, pick):
        if row.present(name):
            return row.get(name)
        return [pick(pair) for pair in current]

    extens = column('incall_exten', lambda pair: pair[1]['exten']) or []
    contexts = column('incall_context', lambda pair: pair[1]['context']) or []
    rings = column('incall_ring_seconds', lambda pair: pair[0]['ring_seconds'])
    if rings is None or (
        not row.present('incall_ring_seconds') and len(rings) != len(extens)
    ):
        # no ring column: the user's rings fit only as many incalls as the user has
        rings = [None] * len(extens)
    if not len(extens) == len(contexts) == len(rings):
        return None
    return list(zip(extens, contexts, rings))


def current_values(current):
    return [
        (ext['exten'], ext['context'], incall['ring_seconds'])
        for incall, ext in current
    ]


def incall_values(row):
    """[(exten, context, ring_seconds)] of the row, or None when the columns do not align."""
    extens = row.get('incall_exten') or []
    contexts = row.get('incall_context') or []
    rings = row.get('incall_ring_seconds')
    if rings is None:
        rings = [None] * len(extens)
    if not len(extens) == len(contexts) == len(rings):
        return None
    return list(zip(extens, contexts, rings))


class IncallValidator:
    def __init__(self, extension_validator):
        self.extension_validator = extension_validator

    def validate(self, row, lookups, claims):
        if not row.has_group(columns.INCALL) or row.is_bad(*COLUMNS):
            return
        values = incall_values(row)
        if values is None:
            self._misaligned(row)
            return
        seen = set()
        for exten, context, _ in values:
            for column, value in zip(COLUMNS, (exten, context)):
                if value is None and row.filled(COLUMNS[0]) and row.filled(COLUMNS[1]):
                    row.error(
                        'required',
                        'one of the incalls has no value here: remove the ' 'extra ;',
                        column,
                    )
            # the file's claims are per row: a number twice in one row is caught here
            if exten is not None and (exten, context) in seen:
                row.error(
                    'duplicate_in_file',
                    f'{exten}@{context} is given twice in this row: each incall needs '
                    'its own number',
                    'incall_exten',
                )
                continue
            seen.add((exten, context))
            self.extension_validator.validate(
                row, exten, context, COLUMNS, INCALL_RANGE, 'incall', lookups, claims
            )

    def validate_update(self, row, state, lookups, claims):
        if not any(row.present(name) for name in GROUP) or row.is_bad(*GROUP):
            return
        current = state.incalls
        if not current:
            return self.validate(row, lookups, claims)
        if any(row.present(name) and not row.filled(name) for name in COLUMNS):
            return  # emptied: reported by the required checks
        values = final_values(row, current)
        if values is None:
            self._misaligned(row)
            return
        if values == current_values(current):
            return
        if len(current) > 1 or len(values) > 1:
            row.error(
                'several_incalls',
                f'the user has {len(current)} incall(s): an incall '
                'cannot be updated when the user has more than one, nor become several '
                '(send the cells as exported to leave them unchanged)',
                'incall_exten',
            )
            return
        (exten, context, _), (_, extension) = values[0], current[0]
        if (exten, context) != (extension['exten'], extension['context']):
            self.extension_validator.validate(
                row,
                exten,
                context,
                COLUMNS,
                INCALL_RANGE,
                'incall',
                lookups,
                claims,
                current_id=extension['id'],
            )

    @staticmethod
    def _misaligned(row):
        counts = ', '.join(
            f'{name} has {len(row.get(name) or [])}'
            for name in GROUP
            if row.get(name) is not None
        )
        row.error(
            'misaligned',
            f'several incalls need one value per incall in each incall '
            f'column, separated by ; ({counts})',
            'incall_context',
        )


class IncallService:
    def __init__(self, extension_service):
        self.extension_service = extension_service
        self.validator = IncallValidator(extension_service.validator)

    def plan(self, plan, lookups):
        if not plan.row.has_group(columns.INCALL):
            return
        for exten, context, ring_seconds in incall_values(plan.row):
            extension, reused = self.extension_service.plan(exten, context, lookups)
            plan.incalls.append(
                IncallPlan({'ring_seconds': ring_seconds}, extension, reused)
            )
        if any(planned.reused for planned in plan.incalls):
            plan.reused.append('incall_extension')

    def plan_update(self, plan, lookups):
        current = plan.state.incalls
        if not current:
            if any(plan.row.present(name) for name in GROUP):
                self.plan(plan, lookups)
            return
        values = (
            final_values(plan.row, current)
            if any(plan.row.present(name) for name in GROUP)
            else current_values(current)
        )
        for (exten, context, ring_seconds), (incall, extension) in zip(values, current):
            edited = dict(incall, ring_seconds=ring_seconds)
            plan.incalls.append(
                IncallPlan(
                    edited,
                    self.extension_service.edit(extension, exten, context),
                    False,
                    current=(incall, extension),
                )
            )
