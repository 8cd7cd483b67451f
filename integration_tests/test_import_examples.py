# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The three examples of the user documentation import as documented."""

import os

import pytest

EXAMPLES = os.path.join(os.path.dirname(__file__), '..', 'examples')


def example(name):
    with open(os.path.join(EXAMPLES, name), encoding='utf-8') as stream:
        return stream.read()


def test_three_users_with_sip_and_sccp_lines(server):
    response = server.post(example('seed-phones.csv'))

    assert response.status_code == 201, response.text
    created = response.json()['created']
    assert [entry['row_number'] for entry in created] == [1, 2, 3]
    users = server.rows('user')
    assert [(u['firstname'], u['lastname'], u['entity_id']) for u in users] == [
        ('John', 'Doe', 1),
        ('George', 'Clinton', 1),
        ('Bill', 'Bush', 1),
    ]
    lines = {line['id']: line for line in server.rows('line')}
    assert [lines[e['line_id']]['protocol'] for e in created] == ['sip', 'sip', 'sccp']
    assert [e['sip_id'] is not None for e in created] == [True, True, False]
    assert created[2]['sccp_id'] is not None
    extensions = {ext['id']: ext for ext in server.rows('extension')}
    assert [
        (
            extensions[e['extension_id']]['exten'],
            extensions[e['extension_id']]['context'],
        )
        for e in created
    ] == [('1000', 'default'), ('1001', 'default'), ('1002', 'default')]
    user_lines = {
        (ul['user_id'], ul['line_id']) for ul in server.rows('user_line', 'user_id')
    }
    assert user_lines == {(e['user_id'], e['line_id']) for e in created}
    line_extensions = {
        (le['line_id'], le['extension_id'])
        for le in server.rows('line_extension', 'line_id')
    }
    assert line_extensions == {(e['line_id'], e['extension_id']) for e in created}


def test_user_with_phone_and_voicemail(server):
    response = server.post(example('seed-voicemail.csv'))

    assert response.status_code == 201, response.text
    entry = response.json()['created'][0]
    [voicemail] = server.rows('voicemail')
    assert (
        voicemail['id'],
        voicemail['name'],
        voicemail['number'],
        voicemail['context'],
    ) == (entry['voicemail_id'], 'Voicemail for John Doe', '1000', 'default')
    assert (
        voicemail['attach_audio'],
        voicemail['delete_messages'],
        voicemail['ask_password'],
    ) == (False, False, True)
    assert server.rows('user_voicemail', 'user_id') == [
        {'user_id': entry['user_id'], 'voicemail_id': entry['voicemail_id']}
    ]
    assert entry['line_id'] is not None
    assert entry['reused'] == []


def test_user_with_internal_and_external_numbers(server):
    response = server.post(example('seed-incall.csv'))

    assert response.status_code == 201, response.text
    entry = response.json()['created'][0]
    [incall] = server.rows('incall')
    assert incall['id'] == entry['incall_id']
    assert incall['user_id'] == entry['user_id']
    assert incall['extension_id'] == entry['incall_extension_id']
    extensions = {
        ext['id']: (ext['exten'], ext['context']) for ext in server.rows('extension')
    }
    assert extensions[entry['incall_extension_id']] == ('2050', 'from-extern')
    assert extensions[entry['extension_id']] == ('1000', 'default')


@pytest.mark.parametrize(
    'name',
    ['seed-phones.csv', 'seed-voicemail.csv', 'seed-incall.csv', 'all-groups.csv'],
)
def test_examples_import_on_sqlite_too(lite, name):
    response = lite.post(example(name))

    assert response.status_code == 201, response.text
    assert lite.count('user') == len(response.json()['created'])
