# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Voicemails: an internal context of the user's entity, an email when messages are deleted
once emailed, sharing by number@context; on update, moves that cannot take a number and
rows sharing a voicemail that must agree on it."""

import pytest

from wazo_confd_users_csv.services.voicemail import VoicemailService, VoicemailValidator

from .builders import (
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
)

validator = VoicemailValidator()
BOX = {
    'voicemail_name': 'Ann',
    'voicemail_number': '1000',
    'voicemail_context': 'default',
}
EMAIL_REQUIRED = (
    'email_required',
    'voicemail_delete_messages',
    'voicemail_delete_messages: 1 deletes each message once it '
    'is emailed: give voicemail_email too, or set it to 0',
)


def check(context, found=None):
    validator.validate(context, found or lookups(), Claims())
    return errors(context)


@pytest.mark.parametrize(
    'cells',
    [
        BOX,
        dict(BOX, voicemail_delete_messages='1', voicemail_email='ann@example.com'),
        dict(BOX, voicemail_delete_messages='0'),
        {'firstname': 'Ann', 'voicemail_name': ''},
    ],
)
def test_a_voicemail_in_an_internal_context_is_accepted(cells):
    assert check(row(**cells)) == []


def test_deleting_emailed_messages_needs_an_email():
    assert check(row(**BOX, voicemail_delete_messages='1')) == [EMAIL_REQUIRED]


@pytest.mark.parametrize(
    'context, code, message',
    [
        (
            'nowhere',
            'unknown_context',
            'voicemail_context: no context is named "nowhere": use an existing internal '
            'context',
        ),
        (
            'from-extern',
            'wrong_context_type',
            'voicemail_context: context "from-extern" is of type incall: an internal '
            'context is needed here',
        ),
        (
            'branch',
            'wrong_entity',
            'voicemail_context: context "branch" belongs to entity 2, not to the user\'s '
            'entity 1',
        ),
    ],
)
def test_a_voicemail_context_is_an_internal_one_of_the_user_s_entity(
    context, code, message
):
    cells = dict(BOX, entity_id='1', voicemail_context=context)

    assert check(row(**cells)) == [(code, 'voicemail_context', message)]


# ---- update -------------------------------------------------------------------------------


def check_update(current, found=None, claims=None, **cells):
    context = updating(row(uuid=UUID, **cells), current)
    validator.validate_update(context, current, found or lookups(), claims or Claims())
    return errors(context)


def with_voicemail(**fields):
    return state(voicemail=dict(VOICEMAIL, **fields))


def test_emptying_the_email_of_a_voicemail_that_deletes_messages_is_refused():
    assert check_update(with_voicemail(delete_messages=True), voicemail_email='') == [
        EMAIL_REQUIRED
    ]
    assert check_update(with_voicemail(), voicemail_delete_messages='1') == []
    assert check_update(with_voicemail(email=None), voicemail_delete_messages='1') == [
        EMAIL_REQUIRED
    ]


def test_a_voicemail_moves_to_a_free_number_but_not_a_taken_one():
    found = lookups(voicemails={('1000', 'default'): 11, ('1001', 'default'): 12})

    assert check_update(with_voicemail(), found, voicemail_number='1002') == []
    assert check_update(with_voicemail(), found, voicemail_number='1000') == []
    assert check_update(with_voicemail(), found, voicemail_number='1001') == [
        (
            'taken',
            'voicemail_number',
            "voicemail_number: voicemail 1001@default already exists: the user's "
            'voicemail cannot take its number',
        )
    ]


def test_a_voicemail_moving_context_needs_a_context_that_fits():
    assert [
        error[:2]
        for error in check_update(with_voicemail(), voicemail_context='from-extern')
    ] == [('wrong_context_type', 'voicemail_context')]
    assert (
        check_update(with_voicemail(), entity_id='2', voicemail_context='branch') == []
    )


def test_an_emptied_number_or_context_is_left_to_the_required_checks():
    assert check_update(with_voicemail(), voicemail_number='') == []


def test_rows_sharing_a_voicemail_may_edit_it_the_same_way_only():
    # two users of one voicemail (id 11): the second row must say what the first says
    first, same, other = rows(
        {'uuid': UUID, 'voicemail_name': 'Shared'},
        {'uuid': UUID, 'voicemail_name': 'Shared'},
        {'uuid': UUID, 'voicemail_name': 'Other'},
    )
    claims = Claims()
    for context in (first, same, other):
        current = with_voicemail()
        validator.validate_update(
            updating(context, current), current, lookups(), claims
        )

    assert errors(first, same) == []
    assert errors(other) == [
        (
            'conflict_in_file',
            'voicemail_name',
            'voicemail_name: row 1 of this file edits the same shared voicemail with other '
            'values: give both rows the same voicemail cells',
        )
    ]


def test_rows_editing_different_voicemails_do_not_conflict():
    first, second = rows(
        {'uuid': UUID, 'voicemail_name': 'One'}, {'uuid': UUID, 'voicemail_name': 'Two'}
    )
    claims = Claims()
    for context, voicemail_id in ((first, 11), (second, 12)):
        current = with_voicemail(id=voicemail_id)
        validator.validate_update(
            updating(context, current), current, lookups(), claims
        )

    assert errors(first, second) == []


def test_a_user_without_a_voicemail_is_checked_as_on_create():
    assert check_update(state(), **BOX, voicemail_delete_messages='1') == [
        EMAIL_REQUIRED
    ]


# ---- the planner --------------------------------------------------------------------------


def test_a_new_voicemail_gets_the_defaults_and_later_rows_share_it():
    first, second = rows(BOX, dict(BOX, voicemail_name='Other'))
    found = lookups()
    plans = [RowPlan(first), RowPlan(second)]
    for plan in plans:
        VoicemailService().plan(plan, found)

    assert plans[0].voicemail == {
        'name': 'Ann',
        'number': '1000',
        'context': 'default',
        'password': None,
        'email': None,
        'attach_audio': False,
        'delete_messages': False,
        'ask_password': True,
    }
    assert (plans[0].reused, plans[1].reused) == ([], ['voicemail'])
    assert plans[1].voicemail is plans[0].voicemail  # one voicemail, written once


def test_an_existing_voicemail_is_reused_as_it_is():
    plan = RowPlan(row(**BOX, voicemail_password='9999'))

    VoicemailService().plan(plan, lookups(voicemails={('1000', 'default'): 11}))

    assert (plan.voicemail, plan.reused) == (
        {'id': 11, 'number': '1000', 'context': 'default'},
        ['voicemail'],
    )


def test_an_update_keeps_an_emptied_secret_and_defaults_an_emptied_flag():
    current = with_voicemail(attach_audio=True)
    plan = RowPlan(
        updating(
            row(
                uuid=UUID,
                voicemail_password='',
                voicemail_attach_audio='',
                voicemail_email='',
            ),
            current,
        ),
        state=current,
    )

    VoicemailService().plan_update(plan, lookups())

    assert plan.voicemail == dict(VOICEMAIL, attach_audio=False, email=None)
