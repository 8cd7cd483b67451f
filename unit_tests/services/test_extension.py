# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Extensions for phones and incalls: ranges (an incall range may compare only the last
did_length digits), taken numbers, reuse of an unused one, one number per file."""

import pytest

from wazo_confd_users_csv.services.extension import (
    INCALL_RANGE,
    USER_RANGE,
    ExtensionService,
    ExtensionValidator,
    describe_ranges,
    in_ranges,
)

from .builders import Claims, ExtensionUse, errors, lookups, read_rows, row, rows

COLUMNS = ('exten', 'context')


@pytest.mark.parametrize(
    'exten, inside',
    [
        ('1000', True),
        ('1999', True),
        ('0999', False),
        ('2000', False),
        ('100', False),  # shorter than the range's numbers
        ('01000', False),  # longer: a leading zero is another number
    ],
)
def test_a_user_range_compares_the_whole_number(exten, inside):
    assert in_ranges(exten, [('1000', '1999', None)]) is inside


@pytest.mark.parametrize(
    'exten, inside',
    [
        ('2000', True),
        ('33142002999', True),  # a DID with its prefix: the last 4 digits count
        ('0033142002500', True),
        ('33142001999', False),
        ('33142003000', False),
        ('999', False),  # fewer digits than did_length
    ],
)
def test_an_incall_range_with_did_length_compares_the_last_digits(exten, inside):
    assert in_ranges(exten, [('2000', '2999', 4)]) is inside


def test_a_number_in_any_of_several_ranges_is_inside():
    ranges = [('1000', '1099', None), ('1200', '1299', None)]

    assert [in_ranges(exten, ranges) for exten in ('1050', '1150', '1250')] == [
        True,
        False,
        True,
    ]
    assert describe_ranges(ranges) == '1000-1099, 1200-1299'
    assert describe_ranges([]) == 'none'


def check(context, exten, context_name, found=None, claims=None, current_id=None):
    ExtensionValidator().validate(
        context,
        exten,
        context_name,
        COLUMNS,
        USER_RANGE,
        'internal',
        found or lookups(),
        claims or Claims(),
        current_id=current_id,
    )
    return errors(context)


def test_a_free_number_in_range_is_accepted():
    assert check(row(exten='1000', context='default'), '1000', 'default') == []


def test_a_number_outside_the_ranges_names_them():
    assert check(row(exten='2000', context='default'), '2000', 'default') == [
        (
            'out_of_range',
            'exten',
            'exten: 2000 is outside the user ranges of context default (1000-1999)',
        )
    ]


def test_a_context_without_ranges_of_the_kind_says_none():
    context = row(incall_exten='2000', incall_context='default')

    ExtensionValidator().validate(
        context,
        '2000',
        'default',
        ('incall_exten', 'incall_context'),
        INCALL_RANGE,
        'internal',
        lookups(),
        Claims(),
    )

    assert errors(context) == [
        (
            'out_of_range',
            'incall_exten',
            'incall_exten: 2000 is outside the incall ranges of context default (none)',
        )
    ]


@pytest.mark.parametrize(
    'use, used_by',
    [
        (ExtensionUse(5, line_id=3), 'a line'),
        (ExtensionUse(6, incall_id=4), 'an incall'),
    ],
)
def test_a_number_in_use_is_taken(use, used_by):
    found = lookups(extensions={('1000', 'default'): use})

    assert check(row(exten='1000', context='default'), '1000', 'default', found) == [
        (
            'taken',
            'exten',
            f'exten: 1000@default is already used by {used_by}: choose a free number',
        )
    ]


def test_an_unused_number_is_accepted_and_reused():
    found = lookups(extensions={('1000', 'default'): ExtensionUse(5)})

    assert check(row(exten='1000', context='default'), '1000', 'default', found) == []
    assert ExtensionService().plan('1000', 'default', found) == (
        {'id': 5, 'exten': '1000', 'context': 'default'},
        True,
    )
    assert ExtensionService().plan('1001', 'default', found) == (
        {'exten': '1001', 'context': 'default'},
        False,
    )


def test_an_edited_number_may_stay_but_not_take_an_unused_one():
    found = lookups(
        extensions={
            ('1000', 'default'): ExtensionUse(5, line_id=3),
            ('1001', 'default'): ExtensionUse(6),
        }
    )

    assert check(row(exten='1000'), '1000', 'default', found, current_id=5) == []
    assert check(row(exten='1001'), '1001', 'default', found, current_id=5) == [
        (
            'taken',
            'exten',
            'exten: 1001@default already exists, unassigned: an edited number cannot '
            'take an existing extension; choose a free number',
        )
    ]


def test_one_number_twice_in_the_file_names_the_earlier_row():
    first, second, third = rows(
        {'exten': '1000', 'context': 'default'},
        {'exten': '1001', 'context': 'default'},
        {'exten': '1000', 'context': 'default'},
    )
    claims = Claims()

    assert check(first, '1000', 'default', claims=claims) == []
    assert check(second, '1001', 'default', claims=claims) == []
    assert check(third, '1000', 'default', claims=claims) == [
        (
            'duplicate_in_file',
            'exten',
            'exten: 1000@default is already used on row 1 of this file: '
            'choose a free number',
        )
    ]


def test_an_unused_number_is_still_one_row_s():
    found = lookups(extensions={('1000', 'default'): ExtensionUse(5)})
    first, second = rows({'exten': '1000'}, {'exten': '1000'})
    claims = Claims()

    assert check(first, '1000', 'default', found, claims) == []
    assert [e[0] for e in check(second, '1000', 'default', found, claims)] == [
        'duplicate_in_file'
    ]


def test_nothing_more_is_said_past_a_bad_context_or_a_bad_or_empty_number():
    (bad,) = read_rows(['exten', 'context'], ['1x00', 'default'])
    invalid = errors(bad)

    assert [error[:2] for error in invalid] == [('invalid', 'exten')]
    assert check(bad, '1x00', 'default') == invalid  # never compared to a range
    assert check(row(context='default'), None, 'default') == []
    assert [error[0] for error in check(row(exten='9999'), '9999', 'nowhere')] == [
        'unknown_context'
    ]
