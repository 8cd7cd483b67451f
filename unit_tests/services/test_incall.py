# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Incalls: aligned lists (as the export writes several), incall contexts and ranges, one
number per file; on update, a single incall may change, several may only stay as they are."""

import pytest

from wazo_confd_users_csv.imports.plan import IncallPlan
from wazo_confd_users_csv.services.extension import ExtensionService
from wazo_confd_users_csv.services.incall import IncallService

from .builders import (
    INCALL,
    SECOND_INCALL,
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
)

service = IncallService(ExtensionService())
validator = service.validator


def check(context, found=None, claims=None):
    validator.validate(context, found or lookups(), claims or Claims())
    return errors(context)


@pytest.mark.parametrize(
    'cells',
    [
        {'incall_exten': '2000', 'incall_context': 'from-extern'},
        {
            'incall_exten': '33142002999',
            'incall_context': 'from-extern',
        },  # did_length 4
        {
            'incall_exten': '2000;2001',
            'incall_context': 'from-extern;from-extern',
            'incall_ring_seconds': '10;',
        },
        {
            'firstname': 'A',
            'incall_exten': '',
            'incall_context': '',
            'incall_ring_seconds': '',
        },
    ],
)
def test_incalls_in_range_aligned_or_none_are_accepted(cells):
    assert check(row(**cells)) == []


@pytest.mark.parametrize(
    'cells, counts',
    [
        (
            {'incall_exten': '2000;2001', 'incall_context': 'from-extern'},
            'incall_exten has 2, incall_context has 1',
        ),
        (
            {
                'incall_exten': '2000',
                'incall_context': 'from-extern',
                'incall_ring_seconds': '10;20',
            },
            'incall_exten has 1, incall_context has 1, incall_ring_seconds has 2',
        ),
    ],
)
def test_misaligned_lists_give_the_count_of_each_column(cells, counts):
    assert check(row(**cells)) == [
        (
            'misaligned',
            'incall_context',
            'incall_context: several incalls need one value per incall in each incall '
            f'column, separated by ; ({counts})',
        )
    ]


def test_an_empty_place_in_a_list_is_an_extra_semicolon():
    assert check(
        row(incall_exten='2000;', incall_context='from-extern;from-extern')
    ) == [
        (
            'required',
            'incall_exten',
            'incall_exten: one of the incalls has no value here: remove the extra ;',
        )
    ]


@pytest.mark.parametrize(
    'exten, context, code, column, message',
    [
        (
            '1999',
            'from-extern',
            'out_of_range',
            'incall_exten',
            'incall_exten: 1999 is outside the incall ranges of context from-extern '
            '(2000-2999)',
        ),
        (
            '33142001999',
            'from-extern',
            'out_of_range',
            'incall_exten',
            'incall_exten: 33142001999 is outside the incall ranges of context '
            'from-extern (2000-2999)',
        ),
        (
            '1000',
            'default',
            'wrong_context_type',
            'incall_context',
            'incall_context: context "default" is of type internal: an incall context is '
            'needed here',
        ),
        (
            '4000',
            'branch-extern',
            'wrong_entity',
            'incall_context',
            'incall_context: context "branch-extern" belongs to entity 2, not to the '
            "user's entity 1",
        ),
        (
            '2000',
            'nowhere',
            'unknown_context',
            'incall_context',
            'incall_context: no context is named "nowhere": use an existing incall context',
        ),
    ],
)
def test_an_incall_needs_a_number_in_the_ranges_of_an_incall_context_of_its_entity(
    exten, context, code, column, message
):
    context = row(entity_id='1', incall_exten=exten, incall_context=context)

    assert check(context) == [(code, column, message)]


def test_each_incall_of_a_row_is_checked():
    assert [
        error[:2]
        for error in check(
            row(
                incall_exten='2000;1999;2001',
                incall_context='from-extern;from-extern;default',
            )
        )
    ] == [('out_of_range', 'incall_exten'), ('wrong_context_type', 'incall_context')]


def test_a_number_taken_by_a_line_or_twice_in_the_file_is_refused():
    found = lookups(extensions={('2000', 'from-extern'): ExtensionUse(6, line_id=3)})
    assert check(row(incall_exten='2000', incall_context='from-extern'), found) == [
        (
            'taken',
            'incall_exten',
            'incall_exten: 2000@from-extern is already used by a line: choose a free '
            'number',
        )
    ]
    first, second = rows(
        {'incall_exten': '2001', 'incall_context': 'from-extern'},
        {'incall_exten': '2002;2001', 'incall_context': 'from-extern;from-extern'},
    )
    claims = Claims()
    assert check(first, claims=claims) == []
    assert check(second, claims=claims) == [
        (
            'duplicate_in_file',
            'incall_exten',
            'incall_exten: 2001@from-extern is already used on row 1 of this file: '
            'choose a free number',
        )
    ]


def test_one_number_twice_in_one_row_is_refused():
    context = row(
        incall_exten='2001;2002;2001',
        incall_context='from-extern;from-extern;from-extern',
    )

    assert check(context) == [
        (
            'duplicate_in_file',
            'incall_exten',
            'incall_exten: 2001@from-extern is given twice in this row: each incall needs '
            'its own number',
        )
    ]


# ---- update -------------------------------------------------------------------------------


def check_update(current, found=None, **cells):
    context = updating(row(uuid=UUID, **cells), current)
    validator.validate_update(context, current, found or lookups(), Claims())
    return errors(context)


SEVERAL = (
    'several_incalls',
    'incall_exten',
    'incall_exten: the user has {} incall(s): an incall cannot be updated when the user '
    'has more than one, nor become several (send the cells as exported to leave them '
    'unchanged)',
)


def several(count):
    return [SEVERAL[:2] + (SEVERAL[2].format(count),)]


def test_several_incalls_may_only_come_back_as_exported():
    current = state(incalls=[INCALL, SECOND_INCALL])

    assert (
        check_update(
            current,
            incall_exten='2000;2001',
            incall_context='from-extern;from-extern',
            incall_ring_seconds=';15',
        )
        == []
    )
    assert check_update(current, incall_ring_seconds='5;15') == several(2)
    assert check_update(current, incall_exten='2000;2002') == several(2)


def test_a_single_incall_cannot_become_several():
    assert check_update(
        state(incalls=[INCALL]),
        incall_exten='2000;2001',
        incall_context='from-extern;from-extern',
    ) == several(1)


def test_several_incalls_cannot_become_one():
    assert check_update(
        state(incalls=[INCALL, SECOND_INCALL]),
        incall_exten='2000',
        incall_context='from-extern',
    ) == several(2)


def test_a_single_incall_may_change_its_number_within_the_rules():
    current = state(incalls=[INCALL])
    found = lookups(
        extensions={
            ('2000', 'from-extern'): ExtensionUse(6, incall_id=9),
            ('2005', 'from-extern'): ExtensionUse(13),
        }
    )

    assert check_update(current, found, incall_exten='2001') == []
    assert check_update(current, found, incall_ring_seconds='20') == []
    assert [
        error[:2] for error in check_update(current, found, incall_exten='2005')
    ] == [('taken', 'incall_exten')]
    assert [
        error[:2] for error in check_update(current, found, incall_exten='1999')
    ] == [('out_of_range', 'incall_exten')]


def test_an_update_that_misaligns_with_the_current_incall_is_refused():
    assert check_update(state(incalls=[INCALL]), incall_exten='2001;2002') == [
        (
            'misaligned',
            'incall_context',
            'incall_context: several incalls need one value per incall in each incall '
            'column, separated by ; (incall_exten has 2)',
        )
    ]


def test_an_emptied_incall_is_left_to_the_required_checks():
    assert check_update(state(incalls=[INCALL]), incall_exten='') == []


def test_a_user_without_an_incall_is_checked_as_on_create():
    assert [
        error[:2]
        for error in check_update(
            state(), incall_exten='1999', incall_context='from-extern'
        )
    ] == [('out_of_range', 'incall_exten')]


# ---- the planner --------------------------------------------------------------------------


def test_each_incall_is_planned_and_an_unused_number_reused():
    plan = RowPlan(
        row(
            incall_exten='2000;2001',
            incall_context='from-extern;from-extern',
            incall_ring_seconds='10;',
        )
    )

    service.plan(plan, lookups(extensions={('2001', 'from-extern'): ExtensionUse(13)}))

    assert plan.incalls == [
        IncallPlan(
            {'ring_seconds': 10}, {'exten': '2000', 'context': 'from-extern'}, False
        ),
        IncallPlan(
            {'ring_seconds': None},
            {'id': 13, 'exten': '2001', 'context': 'from-extern'},
            True,
        ),
    ]
    assert plan.reused == ['incall_extension']


def test_an_update_edits_the_incalls_in_place():
    current = state(incalls=[INCALL])
    plan = RowPlan(
        updating(row(uuid=UUID, incall_exten='2001'), current), state=current
    )

    service.plan_update(plan, lookups())

    assert plan.incalls == [
        IncallPlan(
            dict(INCALL[0], ring_seconds=None),
            dict(INCALL[1], exten='2001'),
            False,
            current=INCALL,
        )
    ]


def test_an_update_without_incall_cells_keeps_them():
    current = state(incalls=[INCALL, SECOND_INCALL])
    plan = RowPlan(updating(row(uuid=UUID, firstname='Anna'), current), state=current)

    service.plan_update(plan, lookups())

    assert [(p.incall, p.extension, p.current) for p in plan.incalls] == [
        (INCALL[0], INCALL[1], INCALL),
        (SECOND_INCALL[0], SECOND_INCALL[1], SECOND_INCALL),
    ]
