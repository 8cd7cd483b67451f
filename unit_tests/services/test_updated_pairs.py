# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What an update looks up besides its rows' own pairs: a number that a row changes while the
user's resource keeps its context (or the reverse) is looked up as the pair it becomes."""

from wazo_confd_users_csv.imports.lookups import updated_pairs

from .builders import INCALL, SECOND_INCALL, UUID, VOICEMAIL, rows, state, with_phone


def test_half_pairs_are_completed_by_what_the_user_keeps():
    current = with_phone()
    current.incalls = [INCALL, SECOND_INCALL]
    current.voicemail = dict(VOICEMAIL)
    (row,) = rows(
        {
            'uuid': UUID.upper(),
            'exten': '1001',
            'incall_exten': '2005;2006',
            'voicemail_context': 'branch',
        }
    )

    assert updated_pairs([row], {UUID: current}) == (
        {('1001', 'default'), ('2005', 'from-extern'), ('2006', 'from-extern')},
        {('1000', 'branch')},
    )


def test_a_row_without_those_columns_looks_up_what_the_user_has():
    (row,) = rows({'uuid': UUID, 'firstname': 'Anna'})

    assert updated_pairs([row], {UUID: with_phone()}) == ({('1000', 'default')}, set())


def test_nothing_for_unknown_users_empty_cells_or_users_without_those_resources():
    unknown, emptied, bare = rows(
        {'uuid': '0b6c3bb5-8f3e-4a3c-9a0e-6c5d2f1e0a11', 'exten': '1001'},
        {'uuid': UUID, 'exten': ''},
        {'uuid': '', 'exten': '1002'},
    )

    assert updated_pairs([unknown, emptied, bare], {UUID: with_phone()}) == (
        set(),
        set(),
    )
    assert updated_pairs([emptied], {UUID: state()}) == (set(), set())
