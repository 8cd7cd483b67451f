# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Phones: SIP-only columns, unique SIP usernames and provisioning codes, the line's
extension; on update, a protocol that cannot change and a number that may."""

import pytest

from wazo_confd_users_csv.services.extension import ExtensionService
from wazo_confd_users_csv.services.line import LineService

from .builders import (
    EXTENSION,
    LINE,
    SIP,
    UUID,
    Claims,
    ExtensionUse,
    RowPlan,
    errors,
    lookups,
    row,
    rows,
    state,
    updating,
    with_phone,
)

service = LineService(ExtensionService())
validator = service.validator
PHONE = {'line_protocol': 'sip', 'context': 'default', 'exten': '1000'}


def check(context, found=None, claims=None):
    validator.validate(context, found or lookups(), claims or Claims())
    return errors(context)


def test_a_sip_phone_is_accepted_and_a_row_without_a_phone_checks_nothing():
    assert check(row(**PHONE, sip_username='ann', sip_secret='s3cret')) == []
    assert check(row(firstname='Ann', line_protocol='', context='', exten='')) == []


@pytest.mark.parametrize('column', ['sip_username', 'sip_secret'])
def test_an_sccp_line_has_no_sip_columns(column):
    cells = dict(PHONE, line_protocol='sccp', **{column: 'x1'})

    assert check(row(**cells)) == [
        (
            'sip_only',
            column,
            f'{column}: only a sip line has a SIP username and secret: leave it empty '
            'for an sccp line',
        )
    ]


def test_an_sccp_line_with_empty_sip_columns_is_accepted():
    assert (
        check(row(**dict(PHONE, line_protocol='sccp'), sip_username='', sip_secret=''))
        == []
    )


@pytest.mark.parametrize(
    'column, value, taken, what',
    [
        ('sip_username', 'ann-sip', 'taken_sip_usernames', 'SIP usernames'),
        (
            'provisioning_code',
            '123456',
            'taken_provisioning_codes',
            'provisioning codes',
        ),
    ],
)
def test_a_sip_username_or_provisioning_code_is_unique(column, value, taken, what):
    context = row(**PHONE, **{column: value})

    owner = 'used by an existing SIP endpoint (another line)'
    if column == 'provisioning_code':
        owner = 'the provisioning code of another line'
    assert check(context, lookups(**{taken: {value: 99}})) == [
        (
            'taken',
            column,
            f'{column}: {value} is already {owner}: {what} are unique; give another one '
            'or leave it empty to get one',
        )
    ]
    first, second = rows(
        dict(PHONE, **{column: value}), dict(PHONE, exten='1001', **{column: value})
    )
    claims = Claims()
    assert check(first, claims=claims) == []
    assert check(second, claims=claims) == [
        (
            'duplicate_in_file',
            column,
            f'{column}: {value} is already used on row 1 of this file: {what} are unique',
        )
    ]


def test_the_extension_is_checked_in_the_phone_s_context():
    assert check(row(**dict(PHONE, exten='3000'))) == [
        (
            'out_of_range',
            'exten',
            'exten: 3000 is outside the user ranges of context default (1000-1999)',
        )
    ]
    assert check(row(**dict(PHONE, context='from-extern'))) == [
        (
            'wrong_context_type',
            'context',
            'context: context "from-extern" is of type incall: an internal context is '
            'needed here',
        )
    ]


def test_a_phone_in_another_entity_s_context_is_refused():
    assert check(row(entity_id='1', **dict(PHONE, context='branch', exten='3000'))) == [
        (
            'wrong_entity',
            'context',
            'context: context "branch" belongs to entity 2, not to the user\'s entity 1',
        )
    ]


# ---- update -------------------------------------------------------------------------------


def check_update(current, found=None, claims=None, **cells):
    context = updating(row(uuid=UUID, **cells), current)
    validator.validate_update(context, current, found or lookups(), claims or Claims())
    return errors(context)


def test_a_line_keeps_its_protocol():
    assert check_update(with_phone(), line_protocol='sccp') == [
        (
            'protocol_change',
            'line_protocol',
            "line_protocol: the user's line is sip: a line's protocol cannot change "
            '(keep sip, or give the line to a new user)',
        )
    ]
    assert check_update(with_phone(), line_protocol='sip') == []


def test_an_sccp_line_gets_no_sip_columns_on_update_either():
    current = state(
        line=dict(LINE, protocol='sccp', sip_endpoint_id=None, sccp_endpoint_id=2),
        extension=EXTENSION,
    )

    assert [error[:2] for error in check_update(current, sip_username='x1')] == [
        ('sip_only', 'sip_username')
    ]


def test_a_line_keeps_its_own_sip_username_and_code_but_cannot_take_others():
    found = lookups(
        taken_sip_usernames={'ann-sip': 4, 'bob-sip': 5},
        taken_provisioning_codes={'123456': 3, '654321': 6},
    )

    assert (
        check_update(
            with_phone(), found, sip_username='ann-sip', provisioning_code='123456'
        )
        == []
    )
    assert [
        error[:2]
        for error in check_update(
            with_phone(), found, sip_username='bob-sip', provisioning_code='654321'
        )
    ] == [('taken', 'sip_username'), ('taken', 'provisioning_code')]


def test_a_new_number_is_checked_and_the_same_one_is_not():
    found = lookups(
        extensions={
            ('1000', 'default'): ExtensionUse(5, line_id=3),
            ('1001', 'default'): ExtensionUse(12),
        }
    )

    assert check_update(with_phone(), found, exten='1000', context='default') == []
    assert check_update(with_phone(), found, exten='1002') == []
    assert [error[:2] for error in check_update(with_phone(), found, exten='1001')] == [
        ('taken', 'exten')
    ]
    assert [error[:2] for error in check_update(with_phone(), found, exten='5000')] == [
        ('out_of_range', 'exten')
    ]


def test_a_new_context_alone_moves_the_number_and_is_checked():
    # the user is moved to entity 2 in the same row: branch is its entity's context
    assert check_update(with_phone(), entity_id='2', context='branch') == [
        (
            'out_of_range',
            'exten',
            'exten: 1000 is outside the user ranges of context branch (3000-3999)',
        )
    ]
    assert (
        check_update(with_phone(), entity_id='2', context='branch', exten='3000') == []
    )


def test_a_user_without_a_line_is_checked_as_on_create():
    assert check_update(
        state(), **dict(PHONE, line_protocol='sccp'), sip_secret='x'
    ) == [
        (
            'sip_only',
            'sip_secret',
            'sip_secret: only a sip line has a SIP username and secret: leave it empty for '
            'an sccp line',
        )
    ]
    assert check_update(state(), firstname='Anna') == []


# ---- the planner --------------------------------------------------------------------------


def planned(found=None, **cells):
    plan = RowPlan(row(**cells))
    service.plan(plan, found or lookups())
    return plan


def test_a_sip_phone_plans_a_line_an_endpoint_and_a_new_extension():
    plan = planned(**PHONE, sip_username='ann-sip')

    assert (plan.line, plan.sip, plan.sccp, plan.extension, plan.reused) == (
        {'protocol': 'sip', 'context': 'default', 'provisioning_code': None},
        {'username': 'ann-sip', 'secret': None},
        None,
        {'exten': '1000', 'context': 'default'},
        [],
    )


def test_an_sccp_phone_is_named_after_its_number_and_reuses_an_unused_extension():
    plan = planned(
        lookups(extensions={('1000', 'default'): ExtensionUse(5)}),
        **dict(PHONE, line_protocol='sccp'),
    )

    assert (plan.line['name'], plan.sip, plan.sccp) == ('1000', None, {})
    assert (plan.extension, plan.reused) == (
        {'id': 5, 'exten': '1000', 'context': 'default'},
        ['extension'],
    )


def test_no_phone_no_plan():
    plan = planned(firstname='Ann', line_protocol='')

    assert (plan.line, plan.sip, plan.sccp, plan.extension) == (None,) * 4


def planned_update(current, **cells):
    plan = RowPlan(updating(row(uuid=UUID, **cells), current), state=current)
    service.plan_update(plan, lookups())
    return plan


def test_an_update_keeps_what_empty_sip_cells_and_code_leave():
    plan = planned_update(
        with_phone(), sip_username='', sip_secret='', provisioning_code='', exten='1001'
    )

    assert plan.sip == SIP
    assert plan.line == LINE
    assert plan.extension == dict(EXTENSION, exten='1001')


def test_an_update_renames_the_line_after_its_new_sip_username():
    plan = planned_update(with_phone(), sip_username='ann2', sip_secret='n3w')

    assert plan.sip == dict(SIP, username='ann2', secret='n3w')
    assert plan.line['name'] == 'ann2'


def test_an_sccp_line_follows_its_new_number():
    current = state(
        line=dict(
            LINE, protocol='sccp', name='1000', sip_endpoint_id=None, sccp_endpoint_id=2
        ),
        extension=EXTENSION,
    )

    plan = planned_update(current, exten='1002')

    assert (plan.sccp, plan.line['name'], plan.extension['exten']) == (
        {'id': 2},
        '1002',
        '1002',
    )


def test_a_user_without_a_line_gets_one_by_update():
    plan = planned_update(state(), **PHONE)

    assert plan.line == {
        'protocol': 'sip',
        'context': 'default',
        'provisioning_code': None,
    }
    assert plan.extension == {'exten': '1000', 'context': 'default'}
