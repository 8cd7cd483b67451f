# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The user's rules: its entity, its uuid, its email (unique as the database's lower() judges
it), the contexts it keeps when it changes entity; and what the planner makes of a row."""

import uuid as uuid_module

from wazo_confd_users_csv.services.user import UserService, UserValidator

from .builders import (
    INCALL,
    LINE,
    OTHER_UUID,
    UUID,
    VOICEMAIL,
    Claims,
    RowPlan,
    errors,
    lookups,
    row,
    rows,
    state,
    updating,
    with_phone,
)

validator = UserValidator()


def test_a_known_entity_is_accepted_and_an_unknown_one_refused():
    good, bad = rows(
        {'entity_id': '2', 'firstname': 'A'}, {'entity_id': '9', 'firstname': 'B'}
    )
    claims = Claims()
    for context in (good, bad):
        validator.validate(context, lookups(), claims)

    assert errors(good) == []
    assert errors(bad) == [
        (
            'unknown_entity',
            'entity_id',
            'entity_id: no entity has id 9: use the id of an existing entity',
        )
    ]


def test_a_uuid_taken_in_the_database_is_refused_whatever_its_case():
    context = row(entity_id='1', firstname='A', uuid=UUID.upper())

    validator.validate(context, lookups(taken_uuids={UUID: 3}), Claims())

    assert errors(context) == [
        (
            'taken',
            'uuid',
            f'uuid: {UUID} is already the uuid of another user: to change that user, send '
            'the file as an update (PUT); to create a new user, leave uuid empty',
        )
    ]


def test_a_uuid_twice_in_the_file_names_the_earlier_row():
    first, second, third = rows(
        {'entity_id': '1', 'firstname': 'A', 'uuid': UUID},
        {'entity_id': '1', 'firstname': 'B', 'uuid': OTHER_UUID},
        {'entity_id': '1', 'firstname': 'C', 'uuid': UUID.upper()},
    )
    claims = Claims()
    for context in (first, second, third):
        validator.validate(context, lookups(), claims)

    assert errors(first, second) == []
    assert errors(third) == [
        (
            'duplicate_in_file',
            'uuid',
            f'uuid: {UUID} is already used on row 1 of this file: each user needs its '
            'own uuid',
        )
    ]


def test_an_email_is_judged_by_the_key_the_database_lowers_it_to():
    # PostgreSQL's lower() and Python's differ on some letters (a dotted capital I): the
    # database's key is the one compared, Python's only when the database gave none.
    dotted = 'İvan@example.com'
    context = row(entity_id='1', firstname='A', email=dotted)
    found = lookups(
        email_keys={dotted: 'ivan@example.com'},
        taken_emails={'ivan@example.com': 3},
    )

    validator.validate(context, found, Claims())

    assert dotted.lower() != 'ivan@example.com'
    assert errors(context) == [
        (
            'taken',
            'email',
            f'email: {dotted} is already the email of another user: emails are unique '
            '(whatever their case); give another one or leave it empty',
        )
    ]


def test_an_email_without_a_database_key_is_lowered_and_a_free_one_accepted():
    taken, free = rows(
        {'entity_id': '1', 'firstname': 'A', 'email': 'Ann@Example.com'},
        {'entity_id': '1', 'firstname': 'B', 'email': 'bob@example.com'},
    )
    claims = Claims()
    for context in (taken, free):
        validator.validate(
            context, lookups(taken_emails={'ann@example.com': 3}), claims
        )

    assert [error[0] for error in errors(taken)] == ['taken']
    assert errors(free) == []


def test_one_email_twice_in_the_file_whatever_its_case_names_the_earlier_row():
    first, second = rows(
        {'entity_id': '1', 'firstname': 'A', 'email': 'Ann@example.com'},
        {'entity_id': '1', 'firstname': 'B', 'email': 'ann@EXAMPLE.com'},
    )
    claims = Claims()
    for context in (first, second):
        validator.validate(context, lookups(), claims)

    assert errors(first) == []
    assert errors(second) == [
        (
            'duplicate_in_file',
            'email',
            'email: ann@EXAMPLE.com is already used on row 1 of this file: each user '
            'needs its own email',
        )
    ]


def test_on_update_a_user_keeps_its_own_email_but_cannot_take_another():
    current = state()
    own, other = (
        updating(row(uuid=UUID, email='ANN@example.com'), current),
        updating(row(uuid=UUID, email='bob@example.com'), current),
    )
    found = lookups(taken_emails={'ann@example.com': 7, 'bob@example.com': 8})

    validator.validate_update(own, current, found, Claims())
    validator.validate_update(other, current, found, Claims())

    assert errors(own) == []
    assert errors(other) == [
        (
            'taken',
            'email',
            'email: bob@example.com is already the email of another user: emails are '
            'unique (whatever their case); give another one or leave it empty',
        )
    ]


KEPT = (
    'entity_id: the user keeps resources in context default of entity 1: move them in '
    'the same row, or keep the entity'
)


def test_a_new_entity_refuses_the_contexts_the_row_leaves_in_the_old_one():
    current = state(line=LINE, incalls=[INCALL], voicemail=VOICEMAIL)
    context = updating(row(uuid=UUID, entity_id='2'), current)

    validator.validate_update(context, current, lookups(), Claims())

    # one error per kept context, by name: default (line and voicemail), from-extern (incall)
    assert errors(context) == [
        ('wrong_entity', 'entity_id', KEPT),
        ('wrong_entity', 'entity_id', KEPT.replace('default', 'from-extern')),
    ]


def test_a_new_entity_is_accepted_when_the_row_moves_every_resource_there():
    current = state(line=LINE, incalls=[INCALL], voicemail=VOICEMAIL)
    context = updating(
        row(
            uuid=UUID,
            entity_id='2',
            context='branch',
            voicemail_context='branch',
            incall_context='branch-extern',
        ),
        current,
    )

    validator.validate_update(context, current, lookups(), Claims())

    assert errors(context) == []


def test_a_resource_moved_only_partly_still_keeps_its_old_context():
    current = with_phone()
    current.voicemail = dict(VOICEMAIL)
    context = updating(row(uuid=UUID, entity_id='2', context='branch'), current)

    validator.validate_update(context, current, lookups(), Claims())

    assert errors(context) == [('wrong_entity', 'entity_id', KEPT)]


def test_the_same_entity_or_an_unknown_one_says_nothing_of_the_contexts():
    current = with_phone()
    same = updating(row(uuid=UUID, entity_id='1'), current)
    unknown = updating(row(uuid=UUID, entity_id='9'), current)

    validator.validate_update(same, current, lookups(), Claims())
    validator.validate_update(unknown, current, lookups(), Claims())

    assert errors(same) == []
    assert [error[0] for error in errors(unknown)] == ['unknown_entity']


def test_a_bare_user_changes_entity_freely():
    current = state()
    context = updating(row(uuid=UUID, entity_id='2'), current)

    validator.validate_update(context, current, lookups(), Claims())

    assert errors(context) == []


# ---- the planner --------------------------------------------------------------------------


def test_a_new_user_gets_the_catalogue_defaults_and_a_uuid():
    plan = RowPlan(row(entity_id='1', firstname='Ann', ring_seconds=''))

    UserService().plan(plan, lookups())

    user = plan.user
    assert uuid_module.UUID(user['uuid']).version == 4
    assert {
        name: user[name]
        for name in (
            'entity_id',
            'firstname',
            'lastname',
            'enabled',
            'ring_seconds',
            'simultaneous_calls',
            'supervision_enabled',
            'call_transfer_enabled',
            'dtmf_hangup_enabled',
            'username',
            'password',
            'cti_profile_id',
            'cti_profile_enabled',
        )
    } == {
        'entity_id': 1,
        'firstname': 'Ann',
        'lastname': None,
        'enabled': True,
        'ring_seconds': 30,
        'simultaneous_calls': 5,
        'supervision_enabled': True,
        'call_transfer_enabled': False,
        'dtmf_hangup_enabled': False,
        'username': None,
        'password': None,
        'cti_profile_id': None,
        'cti_profile_enabled': None,
    }


def test_a_given_uuid_is_kept_in_its_canonical_spelling():
    plan = RowPlan(row(entity_id='1', firstname='Ann', uuid=UUID.upper()))

    UserService().plan(plan, lookups())

    assert plan.user['uuid'] == UUID


def test_an_update_changes_the_present_cells_only_and_an_empty_one_means_the_default():
    current = state(user={'ring_seconds': 10, 'lastname': 'Lee'})
    plan = RowPlan(
        updating(row(uuid=UUID, firstname='Anna', ring_seconds=''), current),
        state=current,
    )

    UserService().plan_update(plan, lookups())

    assert plan.user == dict(current.user, firstname='Anna', ring_seconds=30)
    assert current.user['firstname'] == 'Ann'  # the state is left as it was
