# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Idempotency-Key inside the real wazo-confd (its own table in confd's database), as the
standalone host's test_request_keys.py checks it: a key is one file and one verb, a dry run
or a refused file keeps no key, an update is replayed with its answer, a malformed key is a
clear 400, and two requests with one key at once apply the file once."""

import threading
import uuid

from wazo_confd_users_csv_testing.standins import MASTER

from .test_import import users


def send(confd, body, key=None, method='POST', dry_run=False):
    headers = {'Content-Type': 'text/csv; charset=utf-8'}
    if key is not None:
        headers['Idempotency-Key'] = key
    path = '/users/import' + ('?dry_run=true' if dry_run else '')
    return confd.request(
        method, path, tenant=MASTER, data=body.encode(), headers=headers
    )


def test_a_key_is_one_file_and_one_verb_and_only_an_applied_file_keeps_it(confd):
    key = str(uuid.uuid4())
    assert send(confd, 'firstname\nDi\n', key).status_code == 201

    for response in (
        send(confd, 'firstname\nEd\n', key),
        send(confd, 'firstname\nDi\n', key, method='PUT'),
    ):
        assert response.status_code == 422, response.text
        assert 'a new file needs a new key' in response.json()['errors'][0]['message']
    for malformed in ('', 'has space', 'x' * 256, 'é'.encode().decode('latin-1')):
        response = send(confd, 'firstname\nHal\n', malformed)
        assert response.status_code == 400, (malformed, response.text)
        assert (
            'Idempotency-Key must be 1 to 255 printable ASCII'
            in response.json()['errors'][0]['message']
        )
    other = str(uuid.uuid4())
    assert send(confd, 'firstname,ring_seconds\nFay,x\n', other).status_code == 400
    assert send(confd, 'firstname\nFay\n', other, dry_run=True).status_code == 200
    applied = send(confd, 'firstname\nFay\n', other)  # the key is still free
    assert applied.status_code == 201, applied.text
    assert 'Idempotent-Replayed' not in applied.headers
    # without a key, or with another one, the same file is applied again
    assert send(confd, 'firstname\nFay\n').status_code == 201
    assert send(confd, 'firstname\nFay\n', str(uuid.uuid4())).status_code == 201
    assert sorted(user['firstname'] for user in users(confd)) == [
        'Di',
        'Fay',
        'Fay',
        'Fay',
    ]

    [fay] = [
        u
        for u in users(confd)
        if u['uuid'] == applied.json()['created'][0]['user_uuid']
    ]
    body = f'uuid,lastname\n{fay["uuid"]},Renamed\n'
    update_key = str(uuid.uuid4())
    first = send(confd, body, update_key, method='PUT')
    again = send(confd, body, update_key, method='PUT')
    assert first.status_code == again.status_code == 200, first.text
    assert first.json()['updated'][0]['changed'] == ['lastname']
    assert again.json() == first.json()  # not "unchanged": the first answer, as it was
    assert again.headers['Idempotent-Replayed'] == 'true'


def test_two_requests_with_one_key_at_once_apply_it_once_and_both_get_its_answer(confd):
    body = 'firstname\n' + ''.join(f'Twin{n}\n' for n in range(100))
    key = str(uuid.uuid4())
    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(send(confd, body, key)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answer.status_code for answer in answers) == [201, 201], [
        answer.text[:300] for answer in answers
    ]
    assert answers[0].json() == answers[1].json()
    assert sorted(
        answer.headers.get('Idempotent-Replayed', '') for answer in answers
    ) == ['', 'true']
    assert len(users(confd)) == 100
    assert len(confd.auth.auth_users) == 100
