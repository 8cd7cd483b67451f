# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""wazo-confd killed (-9) while an import makes its wazo-auth users: confd runs in a child
process, wazo-auth outlives it (the stand-in in this process, or the real wazo-auth). Once
another confd starts on the same database, the plugin's relay deletes the users the dead job
made (the journal named them before they were made), and the same file imports."""

import threading
import uuid

import pytest
import requests

from wazo_confd_users_csv_testing.child import ChildConfd
from wazo_confd_users_csv_testing.schema import clone, drop
from wazo_confd_users_csv_testing.standins import MASTER, StandIn

from .test_auth_journal import journal, wait_for


class StandInSide:
    """wazo-auth's stand-in, slowed down so that the kill lands among its creations."""

    at_root = False
    token = 'admin-token'

    def __init__(self):
        self.standin = StandIn('auth')
        self.standin.user_delay = self.standin.edit_delay = 0.1
        self.port = self.standin.port

    def users(self, prefix):
        return [
            user
            for user in list(self.standin.auth_users.values())
            if (user.get('username') or '').startswith(prefix)
        ]

    def stop(self):
        self.standin.stop()


class RealSide:
    """The real wazo-auth, read through its REST API."""

    at_root = True

    def __init__(self, real):
        self.port = real.port
        self.token = real.token

    def users(self, prefix):
        found = requests.get(
            f'http://127.0.0.1:{self.port}/0.1/users',
            params={'recurse': 'true', 'search': prefix, 'limit': 100000},
            headers={'X-Auth-Token': self.token},
            timeout=30,
        )
        found.raise_for_status()
        return [
            user
            for user in found.json()['items']
            if (user.get('username') or '').startswith(prefix)
        ]

    def stop(self):
        pass  # the session's


@pytest.fixture(params=['stand-in', 'real wazo-auth'])
def wazo_auth_side(request):
    if request.param == 'stand-in':
        side = StandInSide()
    else:
        side = RealSide(request.getfixturevalue('real_wazo_auth'))
    yield side
    side.stop()


@pytest.fixture
def database(wazo_template):
    name = f'users_csv_wazo_{uuid.uuid4().hex[:10]}'
    clone(wazo_template, name)
    yield name
    drop(name)


def _send(confd, body, token, answers):
    try:
        answers.append(confd.post_csv(body, tenant=MASTER, token=token).status_code)
    except requests.ConnectionError:
        answers.append('cut')


def test_confd_killed_while_it_makes_wazo_auth_users(
    wazo_auth_side, database, confd_exchange
):
    side = wazo_auth_side
    prefix = f'killed{uuid.uuid4().hex[:6]}-'
    rows = 300
    body = 'firstname,username\n' + ''.join(
        f'Killed{i},{prefix}{i}\n' for i in range(rows)
    )
    children = []

    def start():
        child = ChildConfd(database, confd_exchange, side.port, side.at_root)
        children.append(child)
        return child

    try:
        first = start()
        answers: list = []
        sender = threading.Thread(
            target=_send, args=(first, body, side.token, answers), daemon=True
        )
        sender.start()
        wait_for(lambda: len(side.users(prefix)) >= 10, timeout=120)

        first.kill()

        sender.join(30)
        assert answers == ['cut']  # killed before it could answer
        left = {user['uuid'] for user in side.users(prefix)}
        assert 10 <= len(left) < rows
        recorded = {entry['uuid'] for action, entry in journal(first)}
        assert left <= recorded  # named before they were made
        assert first.sql(
            "SELECT count(*) AS n FROM userfeatures WHERE firstname LIKE 'Killed%'"
        ) == [{'n': 0}]

        second = start()  # confd restarted: its relay undoes the dead job

        wait_for(lambda: side.users(prefix) == [] and journal(second) == [], 60)
        response = second.post_csv(body, tenant=MASTER, token=side.token)
        assert response.status_code == 201, response.text[:2000]
        assert len(side.users(prefix)) == rows
        assert journal(second) == []
    finally:
        for child in children:
            child.kill()


def test_confd_killed_while_it_edits_wazo_auth_users(
    wazo_auth_side, database, confd_exchange
):
    side = wazo_auth_side
    prefix = f'edited{uuid.uuid4().hex[:6]}-'
    rows = 300
    first = ChildConfd(database, confd_exchange, side.port, side.at_root)
    children = [first]
    try:
        made = first.post_csv(
            'firstname,username\n'
            + ''.join(f'Edited{i},{prefix}{i}\n' for i in range(rows)),
            tenant=MASTER,
            token=side.token,
        )
        assert made.status_code == 201, made.text[:2000]
        before = {user['uuid']: user['username'] for user in side.users(prefix)}
        assert len(before) == rows
        body = 'uuid,username\n' + ''.join(
            f'{uuid_},{username}x\n' for uuid_, username in before.items()
        )
        answers: list = []
        sender = threading.Thread(
            target=lambda: answers.append(_put(first, body, side.token)), daemon=True
        )
        sender.start()

        def edited():
            return [
                user for user in side.users(prefix) if user['username'].endswith('x')
            ]

        wait_for(lambda: len(edited()) >= 10, timeout=120)

        first.kill()

        sender.join(30)
        assert answers == ['cut']
        assert 10 <= len(edited()) < rows  # left edited, for now
        second = ChildConfd(database, confd_exchange, side.port, side.at_root)
        children.append(second)

        wait_for(
            lambda: {user['uuid']: user['username'] for user in side.users(prefix)}
            == before
            and journal(second) == [],
            60,
        )
        response = second.put_csv(body, tenant=MASTER, token=side.token)
        assert response.status_code == 200, response.text[:2000]
        assert len(edited()) == rows
    finally:
        for child in children:
            child.kill()


def _put(confd, body, token):
    try:
        return confd.put_csv(body, tenant=MASTER, token=token).status_code
    except requests.ConnectionError:
        return 'cut'
