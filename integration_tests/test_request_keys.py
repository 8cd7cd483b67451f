# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Idempotency-Key: an import or update whose answer was lost can be sent again with the same
key; it is applied once, and the second request gets the first answer."""

import threading
import uuid

import requests

from .conftest import TOKEN
from .helpers import make_csv, phone, user
from .test_export import export, parse


def send(server, body, key=None, method='POST', dry_run=None):
    headers = {'X-Auth-Token': TOKEN, 'Content-Type': 'text/csv; charset=utf-8'}
    if key is not None:
        headers['Idempotency-Key'] = key
    params = {} if dry_run is None else {'dry_run': dry_run}
    return requests.request(
        method,
        server.url + '/users/import',
        data=body.encode(),
        headers=headers,
        params=params,
        timeout=120,
    )


def test_the_same_key_and_file_again_is_answered_as_the_first_time_and_applied_once(
    server, bus
):
    body = make_csv([user('Ann', **phone('1000')), user('Bo')])
    key = str(uuid.uuid4())

    first = send(server, body, key)
    assert first.status_code == 201, first.text
    assert (
        len(bus.messages(expected=7)) == 7
    )  # 2 users, a line, its endpoint and extension
    again = send(server, body, key)

    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers['Idempotent-Replayed'] == 'true'
    assert 'Idempotent-Replayed' not in first.headers
    assert server.count('user') == 2  # not twice
    assert bus.messages() == []  # nothing announced again


def test_without_a_key_or_with_another_the_file_is_applied_again(server):
    body = make_csv([user('Cy')])  # no unique column: nothing stops a second copy
    assert send(server, body, 'key-1').status_code == 201
    assert send(server, body, 'key-2').status_code == 201
    assert send(server, body).status_code == 201
    assert server.count('user') == 3


def test_a_key_sent_with_another_file_or_verb_is_refused(server):
    key = str(uuid.uuid4())
    assert send(server, make_csv([user('Di')]), key).status_code == 201

    other_file = send(server, make_csv([user('Ed')]), key)
    other_verb = send(server, make_csv([user('Di')]), key, method='PUT')

    for response in (other_file, other_verb):
        assert response.status_code == 422, response.text
        assert 'a new file needs a new key' in response.json()['errors'][0]['message']
    assert server.count('user') == 1


def test_a_dry_run_or_a_refused_file_remembers_nothing(server):
    key = str(uuid.uuid4())
    bad = make_csv([user('Fay', ring_seconds='7')])
    assert send(server, bad, key).status_code == 400
    assert send(server, make_csv([user('Fay')]), key, dry_run='true').status_code == 200

    applied = send(server, make_csv([user('Fay')]), key)  # the key is still free

    assert applied.status_code == 201, applied.text
    assert 'Idempotent-Replayed' not in applied.headers
    assert server.count('user') == 1


def test_an_update_is_replayed_with_its_answer(server):
    assert send(server, make_csv([user('Gil')])).status_code == 201
    [gil] = parse(export(server).text)
    body = make_csv([{'uuid': gil['uuid'], 'lastname': 'Renamed'}])
    key = str(uuid.uuid4())

    first = send(server, body, key, method='PUT')
    again = send(server, body, key, method='PUT')

    assert first.status_code == again.status_code == 200
    assert first.json()['updated'][0]['changed'] == ['lastname']
    assert again.json() == first.json()  # not "unchanged": the first answer, as it was
    assert again.headers['Idempotent-Replayed'] == 'true'


def test_two_requests_with_one_key_at_once_apply_it_once_and_both_get_its_answer(
    server,
):
    body = make_csv([user(f'Twin{n}') for n in range(300)])
    key = str(uuid.uuid4())
    answers = []

    threads = [
        threading.Thread(target=lambda: answers.append(send(server, body, key)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answer.status_code for answer in answers) == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert sorted(
        answer.headers.get('Idempotent-Replayed', '') for answer in answers
    ) == ['', 'true']
    assert server.count('user') == 300


def test_a_malformed_key_is_a_clear_400(server):
    for key in ('', 'has space', 'x' * 256, 'é'.encode().decode('latin-1')):
        response = send(server, make_csv([user('Hal')]), key)
        assert response.status_code == 400, (key, response.text)
        assert (
            'Idempotency-Key must be 1 to 255 printable ASCII'
            in response.json()['errors'][0]['message']
        )
    assert server.count('user') == 0


def test_keys_work_on_sqlite_too(lite):
    body = make_csv([user('Ivy')])
    first = send(lite, body, 'sqlite-key')
    again = send(lite, body, 'sqlite-key')

    assert (first.status_code, again.status_code) == (201, 201)
    assert (
        again.json() == first.json() and again.headers['Idempotent-Replayed'] == 'true'
    )
    assert lite.count('user') == 1
