# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checks shared by the resources that name a context (phone, incall, voicemail)."""


def check_context(row, column, name, expected_type, lookups):
    """The ContextInfo named `name` (from `column`) when it fits the row, else None (and an
    error)."""
    if name is None or row.is_bad(column):
        return None
    info = lookups.contexts.get(name)
    if info is None and name in lookups.foreign_contexts:
        row.error(
            'unknown_context',
            f'"{name}" is a context of another tenant '
            f'({lookups.foreign_contexts[name]}), not of the tenant this file is imported '
            f'into: use an {expected_type} context of this tenant, or send the file to '
            'that tenant (choose it in the page, or its Wazo-Tenant header)',
            column,
        )
        return None
    if info is None:
        row.error(
            'unknown_context',
            f'no context is named "{name}": use an existing '
            f'{expected_type} context',
            column,
        )
        return None
    if info.type != expected_type:
        row.error(
            'wrong_context_type',
            f'context "{name}" is of type {info.type}: an '
            f'{expected_type} context is needed here',
            column,
        )
        return None
    entity_id = row.entity_id
    if entity_id in lookups.entity_ids and info.entity_id != entity_id:
        row.error(
            'wrong_entity',
            f'context "{name}" belongs to entity {info.entity_id}, not '
            f"to the user's entity {entity_id}",
            column,
        )
        return None
    return info
