# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real wazo-auth killed (-9) while an import inside the real confd (a child process)
makes its users, or while an update edits them: the job cannot undo them itself, answers 503
and writes nothing; once wazo-auth is back (restarted on the same database and port), the
plugin's relay deletes the users the job made, or puts back those it edited (the journal named
them before the calls), and the same file applies.
"""

import threading
import uuid

import pytest
import requests

from wazo_confd_users_csv_testing.child import ChildConfd
from wazo_confd_users_csv_testing.schema import clone, drop
from wazo_confd_users_csv_testing.standins import MASTER

from .test_auth_journal import journal, wait_for
from .test_confd_killed import RealSide

ROWS = 60  # with passwords: the real wazo-auth makes about ten a second


@pytest.fixture
def database(wazo_template):
    name = f'users_csv_wazo_{uuid.uuid4().hex[:10]}'
    clone(wazo_template, name)
    yield name
    drop(name)


def refused_when_killed(real, send, started):
    """send() on a thread; once started() holds, the real wazo-auth is killed: send's
    answer is a 503 that says nothing was written."""
    answers: list = []
    sender = threading.Thread(target=lambda: answers.append(send()), daemon=True)
    sender.start()
    wait_for(started, timeout=120)

    real.kill()  # the outage: connections refused from now on

    sender.join(120)
    assert len(answers) == 1
    response = answers[0]
    assert response.status_code == 503, response.text[:2000]
    assert 'nothing was written' in response.json()['errors'][0]['message']


def test_real_wazo_auth_down_mid_file(real_wazo_auth, database, confd_exchange):
    real = real_wazo_auth
    side = RealSide(real)
    prefix = f'outage{uuid.uuid4().hex[:6]}-'
    body = 'firstname,username,password\n' + ''.join(
        f'Outage{i},{prefix}{i},secret{i:04d}\n' for i in range(ROWS)
    )
    confd = ChildConfd(database, confd_exchange, real.port, auth_at_root=True)
    try:
        made: set = set()

        def started():
            made.update(user['uuid'] for user in side.users(prefix))
            return len(made) >= 5

        refused_when_killed(
            real, lambda: confd.post_csv(body, tenant=MASTER, token=real.token), started
        )
        assert confd.sql(
            "SELECT count(*) AS n FROM userfeatures WHERE firstname LIKE 'Outage%'"
        ) == [{'n': 0}]
        recorded = {entry['uuid'] for action, entry in journal(confd)}
        assert len(made) >= 5 and made <= recorded  # named before they were made

        real.restart()  # the fault is gone: the relay undoes the job

        side = RealSide(real)
        wait_for(lambda: side.users(prefix) == [] and journal(confd) == [], 120)
        response = confd.post_csv(body, tenant=MASTER, token=real.token)
        assert response.status_code == 201, response.text[:2000]
        assert len(side.users(prefix)) == ROWS
        assert journal(confd) == []
        assert confd.sql(
            "SELECT count(*) AS n FROM userfeatures WHERE firstname LIKE 'Outage%'"
        ) == [{'n': ROWS}]
    finally:
        confd.kill()
        if real.child.poll() is not None:
            real.restart()  # the session's: later tests need it


UPDATED = 200  # users of the update: the real wazo-auth edits them 8 at a time
PASSWORDS = 4  # of them with a password, before and after


def logins(side, prefix):
    """The wazo-auth users whose username starts with `prefix`, as the update edits them."""
    return {
        user['uuid']: (
            user['username'],
            user['firstname'],
            user['lastname'],
            sorted(email['address'] for email in user['emails']),
        )
        for user in side.users(prefix)
    }


def logs_in(real, username, password):
    response = requests.post(
        f'http://127.0.0.1:{real.port}/0.1/token',
        auth=(username, password),
        json={'expiration': 60},
        timeout=30,
    )
    assert response.status_code in (200, 401), response.text
    return response.status_code == 200


def test_real_wazo_auth_down_mid_update(real_wazo_auth, database, confd_exchange):
    """An update renames the users, moves their emails and usernames, and sets a password on
    a few; wazo-auth is killed once it has edited some: 503, confd's tables as they were, no
    password set (they come last); once wazo-auth is back the relay puts the edited users
    back, and the same update applies."""
    real = real_wazo_auth
    side = RealSide(real)
    tag = uuid.uuid4().hex[:6]
    old, new = f'before{tag}-', f'after{tag}-'
    body = 'firstname,lastname,email,username,password\n' + ''.join(
        f'Up{i},Old,{old}{i}@example.com,{old}{i},'
        + (f'old-secret{i:04d}' if i < PASSWORDS else '')
        + '\n'
        for i in range(UPDATED)
    )
    confd = ChildConfd(database, confd_exchange, real.port, auth_at_root=True)
    try:
        made = confd.post_csv(body, tenant=MASTER, token=real.token)
        assert made.status_code == 201, made.text[:2000]
        uuids = [entry['user_uuid'] for entry in made.json()['created']]
        assert len(uuids) == UPDATED
        update = 'uuid,firstname,lastname,email,username,password\n' + ''.join(
            f'{user_uuid},Moved{i},New,{new}{i}@example.org,{new}{i},'
            + (f'new-secret{i:04d}' if i < PASSWORDS else '')
            + '\n'
            for i, user_uuid in enumerate(uuids)
        )
        wazo_auth_before = logins(side, old)
        assert len(wazo_auth_before) == UPDATED

        def rows():
            return confd.sql(
                'SELECT uuid, firstname, lastname, email FROM userfeatures '
                "WHERE firstname LIKE 'Up%' OR firstname LIKE 'Moved%' ORDER BY uuid"
            )

        confd_before = rows()
        assert len(confd_before) == UPDATED

        refused_when_killed(
            real,
            lambda: confd.put_csv(update, tenant=MASTER, token=real.token),
            lambda: len(side.users(new)) >= 5,
        )
        assert rows() == confd_before
        recorded = {entry['uuid'] for action, entry in journal(confd)}
        assert {action for action, _ in journal(confd)} == {'edit'}
        assert 5 <= len(recorded) <= UPDATED

        real.restart()  # the fault is gone: the relay puts the edited users back

        side = RealSide(real)
        wait_for(
            lambda: logins(side, old) == wazo_auth_before and journal(confd) == [],
            120,
        )
        assert side.users(new) == []
        for i in range(PASSWORDS):  # never set: passwords come after every other edit
            assert logs_in(real, f'{old}{i}', f'old-secret{i:04d}')

        response = confd.put_csv(update, tenant=MASTER, token=real.token)
        assert response.status_code == 200, response.text[:2000]
        assert response.json()['summary']['users'] == {
            'updated': UPDATED,
            'unchanged': 0,
        }
        assert journal(confd) == []
        after = logins(side, new)
        assert sorted(after) == sorted(wazo_auth_before)
        assert after[uuids[7]] == (f'{new}7', 'Moved7', 'New', [f'{new}7@example.org'])
        assert side.users(old) == []
        for i in range(PASSWORDS):
            assert logs_in(real, f'{new}{i}', f'new-secret{i:04d}')
            assert not logs_in(real, f'{new}{i}', f'old-secret{i:04d}')
        assert {row['lastname'] for row in rows()} == {'New'}
    finally:
        confd.kill()
        if real.child.poll() is not None:
            real.restart()  # the session's: later tests need it
