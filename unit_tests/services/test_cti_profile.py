# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The client account of the standalone host: what an enabled profile needs, known profiles,
usernames unique whatever their case; on update, what may be emptied."""

import pytest

from wazo_confd_users_csv.services.cti_profile import (
    Clear,
    CtiProfileService,
    CtiProfileValidator,
)

from .builders import UUID, Claims, RowPlan, errors, lookups, row, rows, state, updating

validator = CtiProfileValidator()
NEEDS = (
    'required when cti_profile_enabled is 1 (the client account needs username, '
    'password and cti_profile_name)'
)


def test_an_enabled_profile_needs_username_password_and_profile():
    context = row(
        cti_profile_enabled='1', username='', password='', cti_profile_name=''
    )

    validator.validate(context, lookups(), Claims())

    assert errors(context) == [
        ('required', name, f'{name}: {NEEDS}')
        for name in ('username', 'password', 'cti_profile_name')
    ]


@pytest.mark.parametrize('enabled', ['1', '0', ''])
def test_a_complete_profile_is_accepted_enabled_or_not(enabled):
    context = row(
        cti_profile_enabled=enabled,
        username='ann',
        password='s3cret',
        cti_profile_name='Client',
    )

    validator.validate(context, lookups(), Claims())

    assert errors(context) == []


def test_a_disabled_profile_needs_nothing():
    context = row(cti_profile_enabled='0', username='ann')

    validator.validate(context, lookups(), Claims())

    assert errors(context) == []


def test_an_unknown_profile_is_named():
    context = row(cti_profile_name='Boss')

    validator.validate(context, lookups(), Claims())

    assert errors(context) == [
        (
            'unknown_cti_profile',
            'cti_profile_name',
            'cti_profile_name: no CTI profile is named "Boss": use the name of an '
            'existing CTI profile',
        )
    ]


def test_a_username_taken_in_another_case_is_refused():
    context = row(username='ANN')

    validator.validate(context, lookups(taken_usernames={'ann': 3}), Claims())

    assert errors(context) == [
        (
            'taken',
            'username',
            'username: ANN is already the username of another user: usernames are '
            'unique whatever their case',
        )
    ]


def test_one_username_twice_in_the_file_whatever_its_case_names_the_earlier_row():
    first, second, third = rows(
        {'username': 'Bob'}, {'username': 'eve'}, {'username': 'bob'}
    )
    claims = Claims()
    for context in (first, second, third):
        validator.validate(context, lookups(), claims)

    assert errors(first, second) == []
    assert errors(third) == [
        (
            'duplicate_in_file',
            'username',
            'username: bob is already used on row 1 of this file: usernames are unique '
            'whatever their case',
        )
    ]


# ---- update -------------------------------------------------------------------------------


def check_update(current, **cells):
    context = updating(row(uuid=UUID, **cells), current)
    validator.validate_update(
        context, current, lookups(taken_usernames={'ann': 7}), Claims()
    )
    return errors(context)


@pytest.mark.parametrize('column', ['username', 'cti_profile_name'])
def test_an_enabled_profile_cannot_lose_a_column_it_needs(column):
    assert check_update(state(), **{column: ''}) == [
        (
            'required',
            column,
            f'{column}: cannot be emptied while cti_profile_enabled is 1 (the client '
            'account needs username, password and cti_profile_name)',
        )
    ]


def test_enabling_a_profile_the_user_lacks_names_what_is_missing():
    current = state(
        user={'username': None, 'cti_profile_id': None, 'cti_profile_enabled': False}
    )

    assert check_update(current, cti_profile_enabled='1', password='s3cret') == [
        (
            'required',
            name,
            f'{name}: is required while cti_profile_enabled is 1 (the client account '
            'needs username, password and cti_profile_name)',
        )
        for name in ('username', 'cti_profile_name')
    ]


@pytest.mark.parametrize(
    'cells',
    [
        {'password': ''},  # an empty password keeps the password
        {'cti_profile_enabled': '0', 'username': '', 'cti_profile_name': ''},
        {'username': 'Ann'},  # its own username, in another case
        {'firstname': 'Anna'},  # no column of the profile: nothing to check
    ],
)
def test_what_an_update_may_do_to_the_profile(cells):
    assert check_update(state(), **cells) == []


def test_on_update_a_username_of_another_user_is_refused():
    assert [
        error[:2] for error in check_update(state(user={'id': 8}), username='ann')
    ] == [('taken', 'username')]


# ---- the planner --------------------------------------------------------------------------


def planned(**cells):
    plan = RowPlan(row(**cells))
    plan.user = {}
    CtiProfileService().plan(plan, lookups())
    return plan.user


def test_a_profile_is_planned_with_its_id_and_a_password_to_hash():
    user = planned(
        username='ann',
        password='s3cret',
        cti_profile_name='Agent',
        cti_profile_enabled='',
    )

    assert user == {
        'username': 'ann',
        'password': 's3cret',
        'cti_profile_id': 2,
        'cti_profile_enabled': False,
    }
    assert isinstance(user['password'], Clear)


def test_a_row_without_a_profile_plans_none():
    assert planned(firstname='Ann', cti_profile_enabled='') == {}


def test_an_update_changes_what_is_present_and_an_empty_password_keeps_it():
    current = state()
    plan = RowPlan(
        updating(row(uuid=UUID, password='', cti_profile_name='Agent'), current),
        state=current,
    )
    plan.user = dict(current.user)

    CtiProfileService().plan_update(plan, lookups())

    assert plan.user == dict(current.user, cti_profile_id=2)


def test_an_update_may_unset_the_profile_and_set_a_new_password():
    current = state()
    plan = RowPlan(
        updating(row(uuid=UUID, password='n3wpass', cti_profile_name=''), current),
        state=current,
    )
    plan.user = dict(current.user)

    CtiProfileService().plan_update(plan, lookups())

    assert (plan.user['cti_profile_id'], plan.user['password']) == (None, 'n3wpass')
    assert isinstance(plan.user['password'], Clear)
