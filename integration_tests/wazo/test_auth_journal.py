# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The wazo-auth journal inside the real wazo-confd: a job that cannot undo its wazo-auth
changes itself (wazo-auth down before the undo) leaves its entries, and the plugin's relay
undoes them once wazo-auth is back; the same file then imports."""

import copy
import json
import time

import sqlalchemy as sa

from wazo_confd_users_csv_testing.standins import MASTER

from .test_import import users
from .test_update import edited, import_full

ROWS = 30
LOGINS = 'firstname,username,password\n' + ''.join(
    f'U{i},user{i},secret{i:04d}\n' for i in range(ROWS)
)


def journal(confd):
    """The journal's entries, as (action, entry) pairs."""
    try:
        rows = confd.sql(
            'SELECT action, entries FROM users_csv_wazo_auth_journal ORDER BY id'
        )
    except sa.exc.ProgrammingError:  # not made yet
        return []
    return [
        (row['action'], entry) for row in rows for entry in json.loads(row['entries'])
    ]


def errors(response):
    return [
        {key: value for key, value in error.items() if key != 'timestamp'}
        for error in response.json()['errors']
    ]


def wait_for(check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, 'not reached in time'
        time.sleep(0.1)


def test_wazo_auth_down_mid_file_leaves_no_user_once_it_is_back(confd, bus):
    confd.auth.down_after_posts = 5  # then down (once): the job's own undo fails too

    response = confd.post_csv(LOGINS, tenant=MASTER)

    assert response.status_code == 503, response.text
    assert 'nothing was written' in response.json()['errors'][0]['message']
    left = set(confd.auth.auth_users)
    # not undone yet: wazo-auth refuses the deletes (the calls in flight when it went
    # down may have made a few more)
    assert 5 <= len(left) < ROWS
    recorded = {entry['uuid'] for action, entry in journal(confd)}
    assert left <= recorded and len(recorded) == ROWS

    confd.auth.down = False  # the fault is gone: the relay undoes the job

    wait_for(lambda: confd.auth.auth_users == {} and journal(confd) == [])
    assert users(confd) == []
    response = confd.post_csv(LOGINS, tenant=MASTER)
    assert response.status_code == 201, response.text
    assert len(confd.auth.auth_users) == ROWS
    assert journal(confd) == []  # the commit cleared the job's entries
    assert len(users(confd)) == ROWS


def test_a_failure_undone_by_the_job_itself_clears_its_entries(confd):
    confd.auth.fail_users_after = 3  # 500 to creations: the deletes still work

    response = confd.post_csv(LOGINS, tenant=MASTER)

    assert response.status_code == 503, response.text
    assert confd.auth.auth_users == {}
    assert journal(confd) == []


def test_a_user_whose_answer_was_lost_is_deleted_too(confd):
    confd.auth.lose_answer_of = 3  # made, but confd never hears of it

    response = confd.post_csv(LOGINS, tenant=MASTER)

    assert response.status_code == 503, response.text
    assert confd.auth.user_posts >= 3
    assert confd.auth.auth_users == {}
    assert journal(confd) == []
    response = confd.post_csv(LOGINS, tenant=MASTER)
    assert response.status_code == 201, response.text


def test_a_dry_run_finds_a_login_taken_as_the_run_does(confd):
    confd.auth.add_user(
        'left-behind', 'user7'
    )  # as a job that was never undone left it

    checked = confd.post_csv(LOGINS, '/users/import?dry_run=true', tenant=MASTER)
    applied = confd.post_csv(LOGINS, tenant=MASTER)

    assert checked.status_code == applied.status_code == 400, checked.text
    assert errors(checked) == errors(applied)
    [error] = applied.json()['errors']
    assert (error['details']['row_number'], error['details']['code']) == (8, 'taken')
    assert confd.auth.calls('POST', '/users') == []


def test_a_failed_update_sets_no_password(confd, bus):
    text = import_full(confd, bus)
    confd.auth.fail_edits = True  # Bob's username cannot change

    response = confd.put_csv(
        edited(
            text,
            {'Alice': {'password': 'another-secret'}, 'Bob': {'username': 'bobby'}},
            columns=['uuid', 'firstname', 'username', 'password'],
        ),
        tenant=MASTER,
    )

    assert response.status_code == 503, response.text
    assert confd.auth.password_resets == 0  # Alice's would have stayed: never sent
    confd.auth.fail_edits = False  # Bob's login is put back (by the relay) and no more
    wait_for(lambda: journal(confd) == [])
    assert confd.auth.password_resets == 0


def test_wazo_auth_down_mid_update_leaves_no_login_edited_once_it_is_back(confd, bus):
    text = import_full(confd, bus)
    logins = copy.deepcopy(confd.auth.auth_users)
    change = edited(
        text, {'Alice': {'lastname': 'Jones'}, 'Bob': {'username': 'bobby'}}
    )
    confd.auth.down_after_edits = 1  # one login edited, then wazo-auth down

    response = confd.put_csv(change, tenant=MASTER)

    assert response.status_code == 503, response.text
    assert confd.auth.auth_users != logins  # edited, and not put back yet
    assert {action for action, _ in journal(confd)} == {'edit'}

    confd.auth.down = False

    wait_for(lambda: confd.auth.auth_users == logins and journal(confd) == [])
    response = confd.put_csv(change, tenant=MASTER)
    assert response.status_code == 200, response.text
    assert 'bobby' in {user['username'] for user in confd.auth.auth_users.values()}
    assert journal(confd) == []


def test_a_login_wazo_auth_refuses_to_put_back_is_left_and_not_tried_again(confd, bus):
    text = import_full(confd, bus)
    logins = copy.deepcopy(confd.auth.auth_users)
    confd.auth.down_after_edits = 1

    response = confd.put_csv(
        edited(text, {'Bob': {'username': 'bobby'}, 'Carol': {'username': 'caro'}}),
        tenant=MASTER,
    )

    assert response.status_code == 503, response.text
    [moved] = [
        uuid_
        for uuid_, user in confd.auth.auth_users.items()
        if user['username'] != logins[uuid_]['username']
    ]
    confd.auth.add_user('taker', logins[moved]['username'])  # its old username, taken
    confd.auth.down = False

    wait_for(lambda: journal(confd) == [])
    assert confd.auth.auth_users[moved]['username'] in ('bobby', 'caro')  # left
    tries = len(confd.auth.calls('PUT', f'/users/{moved}'))
    assert tries >= 3  # the edit, the job's undo (down), the relay's (refused)
    time.sleep(1.5)  # three passes of the relay
    assert len(confd.auth.calls('PUT', f'/users/{moved}')) == tries  # not tried again
