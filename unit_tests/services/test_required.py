# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The rules before a resource's own (imports/plan.py): what every row and every group
needs, what an update may empty, and which user a row of an update selects."""

import pytest

from wazo_confd_users_csv.imports.plan import (
    check_required,
    check_required_update,
    find_user,
    plan_rows,
    plan_update_rows,
)
from wazo_confd_users_csv.services import build_services

from .builders import (
    INCALL,
    OTHER_UUID,
    UUID,
    VOICEMAIL,
    Claims,
    errors,
    lookups,
    read_rows,
    row,
    rows,
    state,
    with_phone,
)


def required(context):
    check_required(context)
    return errors(context)


def test_every_row_needs_an_entity_and_a_firstname():
    assert required(row(entity_id='', firstname='', lastname='Lee')) == [
        ('required', 'entity_id', 'entity_id: is required on every row'),
        ('required', 'firstname', 'firstname: is required on every row'),
    ]
    assert required(row(entity_id='1', firstname='Ann')) == []


@pytest.mark.parametrize(
    'cells, missing',
    [
        (
            {'voicemail_number': '1000', 'voicemail_password': '1234'},
            [
                (
                    'voicemail_name',
                    'is required for a voicemail (voicemail_name, voicemail_number, '
                    'voicemail_context), and this row fills voicemail_number, '
                    'voicemail_password',
                ),
                (
                    'voicemail_context',
                    'is required for a voicemail (voicemail_name, voicemail_number, '
                    'voicemail_context), and this row fills voicemail_number, '
                    'voicemail_password',
                ),
            ],
        ),
        (
            {'sip_secret': 's3cret', 'exten': '1000'},
            [
                (
                    name,
                    'is required for a phone (line_protocol, context, exten), and this '
                    'row fills sip_secret, exten',
                )
                for name in ('line_protocol', 'context')
            ],
        ),
        (
            {'incall_ring_seconds': '10'},
            [
                (
                    name,
                    'is required for an incoming call (incall_exten, incall_context), '
                    'and this row fills incall_ring_seconds',
                )
                for name in ('incall_exten', 'incall_context')
            ],
        ),
    ],
)
def test_a_group_with_a_value_needs_its_required_columns(cells, missing):
    assert required(row(entity_id='1', firstname='Ann', **cells)) == [
        ('required', name, f'{name}: {message}') for name, message in missing
    ]


def test_a_bad_cell_fills_its_group_but_is_not_reported_twice():
    (context,) = read_rows(
        ['entity_id', 'firstname', 'exten', 'context', 'line_protocol'],
        ['1', 'Ann', '1x00', 'default', 'sip'],
    )

    assert [error[:2] for error in required(context)] == [('invalid', 'exten')]


# ---- update -------------------------------------------------------------------------------


def required_update(current, **cells):
    context = row(uuid=UUID, **cells)
    check_required_update(context, current)
    return errors(context)


@pytest.mark.parametrize('column', ['entity_id', 'firstname'])
def test_a_user_s_own_required_columns_cannot_be_emptied(column):
    assert required_update(state(), **{column: ''}) == [
        ('required', column, f'{column}: cannot be emptied: every user has one')
    ]


@pytest.mark.parametrize(
    'current, column, label',
    [
        (with_phone(), 'exten', 'a phone'),
        (with_phone(), 'line_protocol', 'a phone'),
        (state(incalls=[INCALL]), 'incall_context', 'an incoming call'),
        (state(voicemail=VOICEMAIL), 'voicemail_name', 'a voicemail'),
    ],
)
def test_a_resource_the_user_has_keeps_its_required_columns(current, column, label):
    assert required_update(current, **{column: ''}) == [
        (
            'required',
            column,
            f'{column}: cannot be emptied while the user has {label}: give its current '
            'value to keep it',
        )
    ]


def test_emptying_what_the_user_does_not_have_is_fine_and_optional_columns_may_be_emptied():
    assert required_update(state(), exten='', voicemail_name='', incall_exten='') == []
    assert required_update(with_phone(), lastname='', sip_secret='', email='') == []


def test_a_resource_added_by_update_needs_its_whole_group():
    assert required_update(state(), exten='1000') == [
        (
            'required',
            name,
            f'{name}: is required for a phone (line_protocol, context, exten), and this '
            'row fills exten',
        )
        for name in ('line_protocol', 'context')
    ]
    # the user has a phone: one of its columns alone is an edit
    assert required_update(with_phone(), exten='1001') == []


# ---- find_user ----------------------------------------------------------------------------


def test_a_row_selects_its_user_by_uuid_whatever_its_case():
    current = {UUID: state()}
    context = row(uuid=UUID.upper(), firstname='Anna')

    assert find_user(context, current, Claims()) is current[UUID]
    assert errors(context) == []


def test_a_row_without_a_known_uuid_selects_no_user():
    empty, unknown = rows({'uuid': '', 'firstname': 'A'}, {'uuid': OTHER_UUID})
    (bad,) = read_rows(['uuid'], ['not-a-uuid'])
    claims = Claims()

    assert [
        find_user(context, {UUID: state()}, claims) for context in (empty, unknown, bad)
    ] == [None] * 3
    assert errors(empty, unknown) == [
        ('required', 'uuid', 'uuid: is required on update: it selects the user'),
        ('unknown_user', 'uuid', f'uuid: no user has uuid {OTHER_UUID}'),
    ]
    assert [error[:2] for error in errors(bad)] == [('invalid', 'uuid')]  # said once


def test_one_row_per_user():
    first, second = rows({'uuid': UUID}, {'uuid': UUID.upper()})
    current, claims = {UUID: state()}, Claims()

    assert find_user(first, current, claims) is current[UUID]
    assert find_user(second, current, claims) is None
    assert errors(second) == [
        (
            'duplicate_in_file',
            'uuid',
            'uuid: row 1 of this file already updates this user: merge the two rows '
            '(one row per user)',
        )
    ]


# ---- the rules together ---------------------------------------------------------------------


def test_a_file_is_planned_only_when_each_of_its_rows_passes_every_rule():
    contexts = rows(
        {
            'entity_id': '1',
            'firstname': 'Ann',
            'exten': '1000',
            'context': 'default',
            'line_protocol': 'sip',
        },
        {
            'entity_id': '1',
            'firstname': 'Bob',
            'exten': '1000',
            'context': 'default',
            'line_protocol': 'sip',
            'call_permissions': 'gold',
        },
        {'entity_id': '1', 'firstname': ''},
    )

    plans, _ = plan_rows(contexts, lookups(), build_services())

    assert [plan.row.row_number for plan in plans] == [1]
    assert [
        (error.row_number, error.code, error.column)
        for context in contexts
        for error in context.errors
    ] == [
        (2, 'duplicate_in_file', 'exten'),
        (2, 'unknown_call_permission', 'call_permissions'),
        (3, 'required', 'firstname'),
    ]


def test_an_update_row_takes_the_user_s_entity_when_it_has_no_entity_cell():
    current = {UUID: with_phone(entity_id=2)}
    (context,) = rows({'uuid': UUID, 'context': 'branch', 'exten': '3000'})

    plans, _ = plan_update_rows([context], lookups(), current, build_services())

    assert context.entity_id == 2 and errors(context) == []
    assert plans[0].line['context'] == 'branch'
    assert plans[0].extension == {'id': 5, 'exten': '3000', 'context': 'branch'}
