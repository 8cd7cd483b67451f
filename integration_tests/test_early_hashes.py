# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""An import's login passwords are hashed by worker processes while its rows are checked and
written (backends/standalone/passwords.EarlyHashes): each user gets the hash of its own
password, with its own salt; a refused file stops the workers."""

import time

from wazo_confd_users_csv.backends.standalone import passwords
from wazo_confd_users_csv.backends.standalone.passwords import (
    DRY_RUN_HASH,
    EarlyHashes,
    matches,
)
from wazo_confd_users_csv.schemas import Values

from .helpers import errors_of, make_csv, user

ROWS = 2100  # EARLY_FROM or more: the workers hash them


def logins(count, bad_row=None):
    rows = []
    for i in range(count):
        rows.append(
            user(
                f'U{i}',
                cti_profile_enabled='1',
                username=f'login{i}',
                password=f'secret-{i:04d}',
                cti_profile_name='Unknown' if i == bad_row else 'Agent',
            )
        )
    return make_csv(rows)


def test_every_user_gets_the_hash_of_its_own_password(server):
    assert ROWS >= passwords.EARLY_FROM

    response = server.post(logins(ROWS))

    assert response.status_code == 201, response.text
    stored = {row['username']: row['password'] for row in server.rows('user')}
    assert len(stored) == ROWS
    for i in range(ROWS):
        assert matches(f'secret-{i:04d}', stored[f'login{i}']), i
    assert not matches('secret-0001', stored['login0'])
    salts = {value.split('$')[2] for value in stored.values()}
    assert len(salts) == ROWS  # a salt each


def test_a_refused_file_writes_nothing_and_the_next_one_imports(server):
    refused = server.post(logins(ROWS, bad_row=ROWS - 1))

    assert refused.status_code == 400, refused.text
    [(row_number, column, _)] = errors_of(refused)
    assert (row_number, column) == (ROWS, 'cti_profile_name')
    assert server.count('user') == 0
    again = server.post(logins(ROWS))
    assert again.status_code == 201, again.text
    assert server.count('user') == ROWS


class Row:
    def __init__(self, password):
        self.values = Values({'password': 0}, [password])

    def get(self, name):
        return self.values.get(name)


def test_cancel_stops_the_workers_after_their_batch():
    """20,000 hashes take seconds of CPU; once cancelled, the workers end with the batch they
    hash (BATCH of them), not the file. The pool itself is let go, as a job lets it go.
    """
    rows = [Row(f'pw{i}') for i in range(20000)]
    early = EarlyHashes(rows)
    early._starting.join()
    workers = list(early._pool._processes.values())
    assert workers
    started = time.monotonic()
    early.cancel()
    for worker in workers:
        worker.join(timeout=30)
    assert all(not worker.is_alive() for worker in workers)
    # all of them would take 20,000 x 0.35 ms of CPU at least, on 2 cores 3.5 s
    assert time.monotonic() - started < 2.0


def test_taken_hashes_match_and_a_changed_password_is_not_taken():
    rows = [Row(f'pw{i}') for i in range(passwords.EARLY_FROM)] + [Row(None)]
    early = EarlyHashes(rows)
    early._starting.join()  # the workers are there (else take leaves it to hash_all)
    try:
        assert matches('pw7', early.take(rows[7], 'pw7'))
        assert early.take(rows[7], 'another') is None
        assert early.take(rows[-1], 'pw1') is None  # no password cell: not started
        assert early.take(rows[3], 'pw3') != DRY_RUN_HASH
    finally:
        early.close()
