# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

from .helpers import errors_of, make_csv, phone, user


def test_dry_run_checks_everything_writes_nothing_sends_nothing(server, bus):
    box = {
        'voicemail_name': 'Team',
        'voicemail_number': '5001',
        'voicemail_context': 'default',
    }
    response = server.post(
        make_csv(
            [
                user('A', **phone('1000'), **box),
                user('B', **phone('1001', 'sccp'), **box, call_permissions='mobile'),
            ]
        ),
        dry_run='true',
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body['dry_run'] is True
    assert [entry['row_number'] for entry in body['created']] == [1, 2]
    assert body['created'][1]['reused'] == ['voicemail']
    assert body['summary'] == {
        'rows': 2,
        'created': {
            'user': 2,
            'line': 2,
            'sip_endpoint': 1,
            'sccp_endpoint': 1,
            'extension': 2,
            'voicemail': 1,
            'call_permission_association': 1,
        },
        'reused': {'voicemail': 1},
        'events': 16,
    }
    assert server.count('user') == 0
    assert server.count('voicemail') == 0
    assert bus.messages() == []


def test_dry_run_of_an_invalid_file_is_the_usual_400(server):
    response = server.post(make_csv([user(ring_seconds='3')]), dry_run='true')
    assert response.status_code == 400
    assert errors_of(response)[0][1] == 'ring_seconds'


def test_dry_run_then_real_import(server):
    body = make_csv([user(**phone('1000'))])
    assert server.post(body, dry_run='true').status_code == 200
    response = server.post(body)
    assert response.status_code == 201
    assert server.count('user') == 1
