# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Call permissions: existing ones by name; on update, a present cell replaces the user's
permissions (empty: none), an absent one keeps them."""

import pytest

from wazo_confd_users_csv.services.call_permission import (
    CallPermissionService,
    permission_changes,
)

from .builders import UUID, Claims, RowPlan, errors, lookups, row, state, updating

service = CallPermissionService()


@pytest.mark.parametrize('cells', ['international;mobile', '', 'mobile;;mobile'])
def test_known_permissions_are_accepted(cells):
    context = row(firstname='Ann', call_permissions=cells)

    service.validator.validate(context, lookups(), Claims())

    assert errors(context) == []


def test_every_unknown_permission_is_named_in_one_error():
    context = row(call_permissions='mobile;gold;Premium')

    service.validator.validate(context, lookups(), Claims())

    assert errors(context) == [
        (
            'unknown_call_permission',
            'call_permissions',
            'call_permissions: no call permission is named "gold", "Premium": use names '
            'of existing call permissions, separated by ;',
        )
    ]


def test_an_update_is_checked_as_a_create():
    current = state()
    context = updating(row(uuid=UUID, call_permissions='gold'), current)

    service.validator.validate_update(context, current, lookups(), Claims())

    assert [error[0] for error in errors(context)] == ['unknown_call_permission']


def test_the_names_are_planned_as_ids_once_each():
    plan = RowPlan(row(call_permissions='mobile;international;mobile'))

    service.plan(plan, lookups())

    assert plan.call_permission_ids == [3, 1]


@pytest.mark.parametrize(
    'cells, planned, changes',
    [
        ({'call_permissions': 'mobile;premium'}, [3, 2], ([3], [1])),
        ({'call_permissions': ''}, [], ([], [1, 2])),
        ({'firstname': 'Anna'}, [1, 2], ([], [])),
        ({'call_permissions': 'premium;international'}, [2, 1], ([], [])),
    ],
)
def test_an_update_replaces_empties_or_keeps_the_permissions(cells, planned, changes):
    current = state(call_permission_ids=[1, 2])
    plan = RowPlan(updating(row(uuid=UUID, **cells), current), state=current)

    service.plan_update(plan, lookups())

    assert plan.call_permission_ids == planned
    assert permission_changes(plan) == changes
