# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""No secrets oracle: for a token without the secrets ACL, what an update says (changed
columns, events, errors) is the same whether a secret cell holds the stored secret or not.
With the ACL, a secret given again is no change."""

import pytest

from wazo_confd_users_csv.backends.standalone import events, passwords
from wazo_confd_users_csv.imports import unseen
from wazo_confd_users_csv.imports.changes import changed_columns
from wazo_confd_users_csv.imports.plan import plan_update_rows
from wazo_confd_users_csv.services import build_services

from .services.builders import (
    EXTENSION,
    LINE,
    SIP,
    UUID,
    VOICEMAIL,
    errors,
    lookups,
    rows,
    state,
)

PIN = '4321'  # the stored call permission password
STORED = {
    'sip_secret': SIP['secret'],
    'voicemail_password': VOICEMAIL['password'],
    'call_permission_password': PIN,
}
WRONG = {
    'sip_secret': 'n0tit',
    'voicemail_password': '9999',
    'call_permission_password': '1111',
}


def current():
    return {
        UUID: state(
            {'call_permission_password': PIN},
            line=LINE,
            sip=SIP,
            extension=EXTENSION,
            voicemail=VOICEMAIL,
        )
    }


def update(cells, reads_secrets):
    """(changed columns, event names, errors) of a one-row update of the user."""
    found = rows(dict({'uuid': UUID}, **cells))
    states = current()
    if not reads_secrets:
        unseen.blind(states)
    plans, _ = plan_update_rows(found, lookups(), states, build_services())
    if not plans:
        return None, None, errors(*found)
    passwords.hash_all(plans)
    return (
        changed_columns(plans[0], list(found[0].header)),
        [event.name for event in events.updated(plans)],
        [],
    ), plans[0]


@pytest.mark.parametrize('column', sorted(STORED))
def test_without_the_acl_the_stored_secret_and_another_answer_alike(column):
    right, right_plan = update({column: STORED[column]}, reads_secrets=False)
    wrong, wrong_plan = update({column: WRONG[column]}, reads_secrets=False)

    assert right == wrong
    assert right[0] == [column]  # a given secret is a change, whatever it holds
    assert right[1]  # and it is written and announced
    # what is written is the cell (the stored secret again, or the new one)
    assert _written(right_plan, column) == STORED[column]
    assert _written(wrong_plan, column) == WRONG[column]


@pytest.mark.parametrize('column', sorted(STORED))
def test_with_the_acl_the_stored_secret_again_changes_nothing(column):
    (changed, names, _), _ = update({column: STORED[column]}, reads_secrets=True)
    assert changed == [] and names == []
    (changed, names, _), _ = update({column: WRONG[column]}, reads_secrets=True)
    assert changed == [column] and names


@pytest.mark.parametrize('reads_secrets', [True, False])
def test_an_empty_secret_cell_keeps_the_secret_and_changes_nothing(reads_secrets):
    cells = dict.fromkeys(STORED, '')
    (changed, names, _), plan = update(cells, reads_secrets)
    assert changed == [] and names == []
    for column, stored in STORED.items():
        assert _written(plan, column) == stored


def test_a_kept_secret_beside_a_change_is_written_back_as_it_was():
    (changed, names, _), plan = update(
        {'firstname': 'Anne', 'call_permission_password': ''}, reads_secrets=False
    )
    assert changed == ['firstname'] and names == ['user_edited']
    assert _written(plan, 'call_permission_password') == PIN


def test_without_the_acl_the_login_password_is_hashed_anew():
    stored = passwords.hashed('letmein')
    for reads_secrets, expected in ((True, []), (False, ['password'])):
        found = rows({'uuid': UUID, 'password': 'letmein'})
        states = {UUID: state({'password': stored})}
        if not reads_secrets:
            unseen.blind(states)
        plans, _ = plan_update_rows(found, lookups(), states, build_services())
        passwords.hash_all(plans)
        assert changed_columns(plans[0], ['uuid', 'password']) == expected
        assert passwords.matches('letmein', plans[0].user['password'])


def test_rows_sharing_a_voicemail_conflict_alike_whatever_the_password():
    # two users of one voicemail: one row gives a password, the other leaves it empty
    def conflicts(password, reads_secrets):
        found = rows(
            {'uuid': UUID, 'voicemail_password': password},
            {'uuid': UUID.replace('6f', '7f', 1), 'voicemail_password': ''},
        )
        states = current()
        states[UUID.replace('6f', '7f', 1)] = state(
            {'id': 8, 'uuid': UUID.replace('6f', '7f', 1)}, voicemail=VOICEMAIL
        )
        if not reads_secrets:
            unseen.blind(states)
        plan_update_rows(found, lookups(), states, build_services())
        return [code for code, _, _ in errors(*found)]

    assert conflicts('1234', reads_secrets=False) == conflicts('9999', False)
    assert conflicts('1234', False) == ['conflict_in_file']
    assert conflicts('1234', reads_secrets=True) == []  # the same values: no conflict


def test_a_stored_secret_equals_only_a_stored_secret():
    assert unseen.Unseen('1234') == unseen.Unseen('1234')
    assert unseen.Unseen('1234') != '1234' and '1234' != unseen.Unseen('1234')
    assert not unseen.Unseen('1234') == '1234'
    assert {'a': unseen.Unseen('1')} != {'a': '1'}
    assert str(unseen.Unseen('1234')) == '1234'


def _written(plan, column):
    resource, key = unseen.PLACES[column]
    return str(getattr(plan, resource)[key])
