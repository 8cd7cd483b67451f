# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Extensions (exten@context) for phones and incalls: range checks, reuse of unused ones."""

from .context import check_context

USER_RANGE, INCALL_RANGE = 'user', 'incall'


def in_ranges(exten, ranges):
    for start, end, did_length in ranges:
        if did_length:
            # Incall ranges compare the trailing did_length digits (a DID with a prefix).
            if len(exten) >= did_length and int(start[-did_length:]) <= int(
                exten[-did_length:]
            ) <= int(end[-did_length:]):
                return True
        elif len(start) <= len(exten) <= len(end) and int(start) <= int(exten) <= int(
            end
        ):
            return True
    return False


def describe_ranges(ranges):
    return ', '.join(f'{start}-{end}' for start, end, _ in ranges) or 'none'


class ExtensionValidator:
    def validate(
        self,
        row,
        exten,
        context,
        columns,
        kind,
        context_type,
        lookups,
        claims,
        current_id=None,
    ):
        """columns: the (exten, context) column names that errors are reported on.

        current_id: the extension being edited (update); it may keep its own number, but may
        not take one that exists already, even unused.
        """
        exten_column, context_column = columns
        info = check_context(row, context_column, context, context_type, lookups)
        if info is None or exten is None or row.is_bad(exten_column):
            return
        ranges = info.ranges.get(kind, [])
        if not in_ranges(exten, ranges):
            row.error(
                'out_of_range',
                f'{exten} is outside the {kind} ranges of context '
                f'{info.name} ({describe_ranges(ranges)})',
                exten_column,
            )
            return
        key = (exten, info.name)
        existing = lookups.extensions.get(key)
        if existing is not None and existing.id != current_id:
            if existing.used_by is not None:
                row.error(
                    'taken',
                    f'{exten}@{info.name} is already used by '
                    f'{existing.used_by}: choose a free number',
                    exten_column,
                )
                return
            if current_id is not None:
                row.error(
                    'taken',
                    f'{exten}@{info.name} already exists, unassigned: an edited '
                    'number cannot take an existing extension; choose a free number',
                    exten_column,
                )
                return
        earlier = claims.claim('extension', key, row.row_number)
        if earlier is not None:
            row.error(
                'duplicate_in_file',
                f'{exten}@{info.name} is already used on {claims.where(earlier)}: '
                'choose a free number',
                exten_column,
            )


class ExtensionService:
    def __init__(self, validator=None):
        self.validator = validator or ExtensionValidator()

    def plan(self, exten, context, lookups):
        """(extension dict, reused): an unused existing extension is reused, else created."""
        existing = lookups.extensions.get((exten, context))
        if existing is not None:
            return {'id': existing.id, 'exten': exten, 'context': context}, True
        return {'exten': exten, 'context': context}, False

    @staticmethod
    def edit(current, exten, context):
        """The extension dict after an update that may change its number."""
        edited = dict(current)
        edited.update(exten=exten, context=context)
        return edited
