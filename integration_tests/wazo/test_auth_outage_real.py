# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real wazo-auth killed (-9) while an import inside the real confd (a child process)
makes its users: the job cannot undo them itself, answers 503 and writes nothing; once
wazo-auth is back (restarted on the same database and port), the plugin's relay deletes the
users the job made (the journal named them before they were made), and the same file imports.
"""

import threading
import uuid

import pytest

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


def test_real_wazo_auth_down_mid_file(real_wazo_auth, database, confd_exchange):
    real = real_wazo_auth
    side = RealSide(real)
    prefix = f'outage{uuid.uuid4().hex[:6]}-'
    body = 'firstname,username,password\n' + ''.join(
        f'Outage{i},{prefix}{i},secret{i:04d}\n' for i in range(ROWS)
    )
    confd = ChildConfd(database, confd_exchange, real.port, auth_at_root=True)
    try:
        answers: list = []
        sender = threading.Thread(
            target=lambda: answers.append(
                confd.post_csv(body, tenant=MASTER, token=real.token)
            ),
            daemon=True,
        )
        sender.start()
        wait_for(lambda: len(side.users(prefix)) >= 5, timeout=120)
        made = {user['uuid'] for user in side.users(prefix)}

        real.kill()  # the outage: connections refused from now on

        sender.join(120)
        assert len(answers) == 1
        response = answers[0]
        assert response.status_code == 503, response.text[:2000]
        assert 'nothing was written' in response.json()['errors'][0]['message']
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
