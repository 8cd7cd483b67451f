# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Secrets inside the real wazo-confd: the call permission password (a PIN) is a secret as the
SIP and voicemail passwords are; a token without confd.users.export.secrets.read never learns
through an update whether a secret cell equals the stored secret (no oracle), and may still
write it."""

import csv
import io
import time

import pytest

from wazo_confd_users_csv_testing.standins import MASTER

from .differential import snapshot

SECRETS = ('call_permission_password', 'sip_secret', 'voicemail_password')
PIN_USER = (
    'firstname,call_permission_password,exten,context,line_protocol,sip_secret,'
    'voicemail_name,voicemail_number,voicemail_context,voicemail_password\n'
    'Pam,1234,1000,default,sip,pamsecret1,Pam VM,1000,default,4321\n'
)
STORED = {
    'call_permission_password': '1234',
    'sip_secret': 'pamsecret1',
    'voicemail_password': '4321',
}
WRONG = {
    'call_permission_password': '1235',
    'sip_secret': 'pamsecret2',
    'voicemail_password': '4322',
}


def export_rows(confd, token='admin-token'):
    response = confd.request(
        'GET',
        '/users/export',
        token=token,
        tenant=MASTER,
        headers={'Accept': 'text/csv; charset=utf-8'},
    )
    assert response.status_code == 200, response.text
    return response, list(csv.DictReader(io.StringIO(response.text)))


@pytest.fixture
def pam(confd, bus):
    response = confd.post_csv(PIN_USER, tenant=MASTER)
    assert response.status_code == 201, response.text
    bus.drain(expected=10, timeout=10)
    time.sleep(0.5)
    bus.messages.clear()
    _, rows = export_rows(confd)
    [row] = rows
    return row


def dry_run(confd, token, column, value, uuid):
    response = confd.request(
        'PUT',
        '/users/import?dry_run=true',
        token=token,
        tenant=MASTER,
        data=f'uuid,{column}\n{uuid},{value}\n'.encode(),
        headers={'Content-Type': 'text/csv; charset=utf-8'},
    )
    assert response.status_code == 200, response.text
    return response


def test_the_pin_is_exported_only_with_the_secrets_acl(confd, pam):
    assert [pam[name] for name in SECRETS] == [STORED[name] for name in SECRETS]
    for token in ('export-token', 'no-secrets-token'):
        response, rows = export_rows(confd, token=token)
        assert response.headers['Users-Csv-Secrets'] == 'omitted'
        assert [rows[0][name] for name in SECRETS] == ['', '', '']
        # the users list (a selection, as JSON) too
        listed = confd.request(
            'GET',
            '/users/export?search=pam&limit=10',
            token=token,
            tenant=MASTER,
            headers={'Accept': 'application/json'},
        )
        assert listed.status_code == 200, listed.text
        [item] = listed.json()['content']
        assert [item[name] for name in SECRETS] == ['', '', '']


def test_an_export_without_secrets_sent_back_keeps_the_pin(confd, pam, bus):
    before = snapshot(confd)
    _, rows = export_rows(confd, token='no-secrets-token')
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator='\n')
    writer.writeheader()
    writer.writerows(rows)

    response = confd.put_csv(out.getvalue(), token='no-secrets-token', tenant=MASTER)

    assert response.status_code == 200, response.text
    assert response.json()['summary']['users'] == {'updated': 0, 'unchanged': 1}
    assert snapshot(confd) == before
    user = confd.get(f'/users/{pam["uuid"]}', tenant=MASTER).json()
    assert user['call_permission_password'] == '1234'
    time.sleep(1.5)
    assert bus.drain() == []


@pytest.mark.parametrize('column', SECRETS)
def test_a_dry_run_without_the_acl_answers_alike_for_the_right_and_a_wrong_secret(
    confd, pam, column
):
    right = dry_run(confd, 'no-secrets-token', column, STORED[column], pam['uuid'])
    wrong = dry_run(confd, 'no-secrets-token', column, WRONG[column], pam['uuid'])

    assert right.content == wrong.content
    assert right.json()['updated'][0]['changed'] == [column]

    # with the secrets ACL, the stored secret again is no change
    right = dry_run(confd, 'admin-token', column, STORED[column], pam['uuid'])
    wrong = dry_run(confd, 'admin-token', column, WRONG[column], pam['uuid'])
    assert right.json()['updated'][0]['changed'] == []
    assert right.json()['summary']['events'] == 0
    assert wrong.json()['updated'][0]['changed'] == [column]


def test_a_token_without_the_acl_writes_the_pin_without_learning_it(confd, pam, bus):
    response = confd.put_csv(
        f'uuid,call_permission_password,voicemail_password\n{pam["uuid"]},1234,4444\n',
        token='no-secrets-token',
        tenant=MASTER,
    )

    assert response.status_code == 200, response.text
    assert response.json()['updated'][0]['changed'] == [
        'call_permission_password',
        'voicemail_password',
    ]
    user = confd.get(f'/users/{pam["uuid"]}', tenant=MASTER).json()
    assert user['call_permission_password'] == '1234'
    _, [row] = export_rows(confd)
    assert (row['voicemail_password'], row['sip_secret']) == ('4444', 'pamsecret1')
    names = bus.names(expected=3, timeout=10)
    assert 'user_edited' in names and 'voicemail_edited' in names
