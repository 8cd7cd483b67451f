# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Secrets on the standalone host: exported only to a token with the secrets ACL, and never
learnt through an update by a token without it (no oracle), which may still write them."""

import pytest
import requests

from .helpers import make_csv
from .test_export import VARIED, export, parse
from .test_update import put

SECRETS = ('sip_secret', 'voicemail_password', 'call_permission_password')
NO_SECRETS = 'no-secrets'  # import, update and export, no secrets ACL


@pytest.fixture
def alice(server):
    response = server.post(make_csv(VARIED))
    assert response.status_code == 201, response.text
    return next(
        row for row in parse(export(server).text) if row['firstname'] == 'Alice'
    )


def test_secrets_are_exported_only_to_a_token_with_the_secrets_acl(server, alice):
    assert [alice[name] for name in SECRETS] == ['p w', '0000', '12#']

    response = export(server, token=NO_SECRETS)
    assert response.headers['Users-Csv-Secrets'] == 'omitted'
    for row in parse(response.text):
        assert [row[name] for name in SECRETS] == ['', '', '']
    # the users list (a selection, JSON) too
    listed = requests.get(
        server.url + '/users/export',
        params={'search': 'alice', 'limit': 10},
        headers={'X-Auth-Token': NO_SECRETS, 'Accept': 'application/json'},
        timeout=30,
    )
    assert listed.status_code == 200, listed.text
    [item] = listed.json()['content']
    assert [item[name] for name in SECRETS] == ['', '', '']
    assert export(server).headers['Users-Csv-Secrets'] == 'included'


def test_an_export_without_secrets_sent_back_keeps_them(server, alice, bus):
    before = export(server).content
    text = export(server, token=NO_SECRETS).text

    response = put(server, text, token=NO_SECRETS)

    assert response.status_code == 200, response.text
    assert response.json()['summary']['users']['updated'] == 0
    assert export(server).content == before
    assert bus.messages() == []


@pytest.mark.parametrize(
    'column,right,wrong',
    [
        ('call_permission_password', '12#', '99#'),
        ('voicemail_password', '0000', '0001'),
        ('sip_secret', 'p w', 'p x'),
        ('password', 's3cret!', 's3cret~'),
    ],
)
def test_a_dry_run_without_the_acl_answers_alike_for_the_right_and_a_wrong_secret(
    server, alice, column, right, wrong
):
    def dry_run(value, token):
        body = make_csv([{'uuid': alice['uuid'], column: value}])
        response = put(server, body, token=token, dry_run='true')
        assert response.status_code == 200, response.text
        return response

    blind = [dry_run(value, NO_SECRETS) for value in (right, wrong)]
    assert blind[0].content == blind[1].content
    assert blind[0].json()['updated'][0]['changed'] == [column]

    # a token that may read secrets sees what changes
    assert (
        dry_run(right, 'valid-token-with-all-acls').json()['updated'][0]['changed']
        == []
    )
    assert dry_run(wrong, 'valid-token-with-all-acls').json()['updated'][0][
        'changed'
    ] == [column]


def test_a_token_without_the_acl_writes_a_secret_without_learning_it(
    server, alice, bus
):
    before = {row['uuid']: row for row in parse(export(server).text)}
    body = make_csv(
        [{'uuid': alice['uuid'], 'call_permission_password': '12#', 'firstname': 'Al'}]
    )

    response = put(server, body, token=NO_SECRETS)

    assert response.status_code == 200, response.text
    assert response.json()['updated'][0]['changed'] == [
        'call_permission_password',
        'firstname',
    ]
    after = {row['uuid']: row for row in parse(export(server).text)}
    assert after[alice['uuid']] == dict(before[alice['uuid']], firstname='Al')
    assert [m['body']['name'] for m in bus.messages(expected=1)] == ['user_edited']

    # a new one is written (and the others kept)
    body = make_csv([{'uuid': alice['uuid'], 'voicemail_password': '4242'}])
    assert put(server, body, token=NO_SECRETS).status_code == 200
    after = {row['uuid']: row for row in parse(export(server).text)}
    assert after[alice['uuid']]['voicemail_password'] == '4242'
    assert after[alice['uuid']]['sip_secret'] == 'p w'


def test_on_sqlite_a_kept_secret_is_written_back_as_it_was(lite):
    assert lite.post(make_csv(VARIED)).status_code == 201
    before = lite.get('/users/export').text
    alice = next(row for row in parse(before) if row['firstname'] == 'Alice')
    body = make_csv(
        [dict({'uuid': alice['uuid'], 'firstname': 'Al'}, **dict.fromkeys(SECRETS, ''))]
    )

    response = put(lite, body, token=NO_SECRETS)

    assert response.status_code == 200, response.text
    after = next(
        row
        for row in parse(lite.get('/users/export').text)
        if row['uuid'] == alice['uuid']
    )
    assert after == dict(alice, firstname='Al')


def test_a_request_key_never_replays_to_a_token_without_the_acl(server, alice):
    body = make_csv([{'uuid': alice['uuid'], 'call_permission_password': '12#'}])

    def send(token):
        return requests.put(
            server.url + '/users/import',
            data=body.encode(),
            timeout=60,
            headers={
                'X-Auth-Token': token,
                'Content-Type': 'text/csv; charset=utf-8',
                'Idempotency-Key': 'the-same-key',
            },
        )

    first = send('valid-token-with-all-acls')
    assert first.status_code == 200, first.text
    assert first.json()['updated'][0]['changed'] == []  # the stored PIN: no change

    # the answer that compared the PIN is not for a token that may not read it
    other = send(NO_SECRETS)
    assert other.status_code == 422, other.text
    assert 'Idempotent-Replayed' not in other.headers
