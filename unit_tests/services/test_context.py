# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The context check every resource naming a context shares: known, of the type needed, of
the user's entity (when the entity is known: an unknown one is its own error)."""

import pytest

from wazo_confd_users_csv.services.context import check_context

from .builders import errors, lookups, read_rows, row


@pytest.mark.parametrize('entity', ['1', ''])
def test_a_context_of_the_type_and_entity_needed_is_returned(entity):
    context = row(entity_id=entity, context='default')

    info = check_context(context, 'context', 'default', 'internal', lookups())

    assert (info.name, info.entity_id, errors(context)) == ('default', 1, [])


@pytest.mark.parametrize(
    'entity, name, expected_type, code, message',
    [
        (
            '1',
            'nowhere',
            'internal',
            'unknown_context',
            'context: no context is named "nowhere": use an existing internal context',
        ),
        (
            '1',
            'default',
            'incall',
            'wrong_context_type',
            'context: context "default" is of type internal: an incall context is needed '
            'here',
        ),
        (
            '2',
            'default',
            'internal',
            'wrong_entity',
            'context: context "default" belongs to entity 1, not to the user\'s entity 2',
        ),
    ],
)
def test_a_context_that_does_not_fit_is_refused(
    entity, name, expected_type, code, message
):
    context = row(entity_id=entity, context=name)

    assert check_context(context, 'context', name, expected_type, lookups()) is None
    assert errors(context) == [(code, 'context', message)]


def test_an_unknown_entity_leaves_the_entity_rule_to_the_entity_check():
    context = row(entity_id='9', context='default')

    assert (
        check_context(context, 'context', 'default', 'internal', lookups()) is not None
    )
    assert errors(context) == []


def test_no_context_or_a_bad_cell_is_not_checked_again():
    (bad,) = read_rows(['context'], ['x' * 100])
    before = errors(bad)

    assert check_context(bad, 'context', 'default', 'internal', lookups()) is None
    assert (
        check_context(
            row(firstname='A', context=''), 'context', None, 'internal', lookups()
        )
        is None
    )
    assert errors(bad) == before and [error[0] for error in before] == ['invalid']
