# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bus events: after commit, in row order, with the payloads and headers of the spec."""

from .helpers import make_csv, phone, user

ORIGIN = '11111111-2222-4333-8444-555555555555'


def test_full_row_sends_each_event_with_its_payload(server, bus):
    response = server.post(
        make_csv(
            [
                user(
                    username='ev',
                    password='s3cret',
                    cti_profile_name='Agent',
                    cti_profile_enabled='1',
                    **phone('1300', sip_username='ev-sip', provisioning_code='333333'),
                    incall_exten='2300',
                    incall_context='from-extern',
                    voicemail_name='Ev',
                    voicemail_number='1300',
                    voicemail_context='default',
                    call_permissions='international;mobile',
                )
            ]
        )
    )
    assert response.status_code == 201, response.text
    e = response.json()['created'][0]
    [user_row] = server.rows('user')
    cps = {row['name']: row['id'] for row in server.rows('call_permission')}

    messages = bus.messages(expected=16)

    assert [(m['body']['name'], m['body']['data']) for m in messages] == [
        ('user_created', {'id': e['user_id'], 'uuid': e['user_uuid'], 'entity_id': 1}),
        (
            'user_cti_profile_edited',
            {'user_uuid': e['user_uuid'], 'cti_profile_id': 2, 'enabled': True},
        ),
        (
            'line_created',
            {
                'id': e['line_id'],
                'protocol': 'sip',
                'name': 'ev-sip',
                'context': 'default',
                'provisioning_code': '333333',
            },
        ),
        (
            'sip_endpoint_created',
            {'id': e['sip_id'], 'username': 'ev-sip', 'line_id': e['line_id']},
        ),
        (
            'extension_created',
            {'id': e['extension_id'], 'exten': '1300', 'context': 'default'},
        ),
        (
            'user_line_associated',
            {
                'user_id': e['user_id'],
                'user_uuid': e['user_uuid'],
                'line_id': e['line_id'],
                'main_user': True,
                'main_line': True,
            },
        ),
        (
            'line_extension_associated',
            {'line_id': e['line_id'], 'extension_id': e['extension_id']},
        ),
        ('incall_created', {'id': e['incall_id']}),
        (
            'extension_created',
            {'id': e['incall_extension_id'], 'exten': '2300', 'context': 'from-extern'},
        ),
        (
            'incall_extension_associated',
            {'incall_id': e['incall_id'], 'extension_id': e['incall_extension_id']},
        ),
        (
            'voicemail_created',
            {'id': e['voicemail_id'], 'number': '1300', 'context': 'default'},
        ),
        (
            'user_voicemail_associated',
            {'user_uuid': e['user_uuid'], 'voicemail_id': e['voicemail_id']},
        ),
        (
            'user_call_permission_associated',
            {'user_uuid': user_row['uuid'], 'call_permission_id': cps['international']},
        ),
        (
            'user_call_permission_associated',
            {'user_uuid': user_row['uuid'], 'call_permission_id': cps['mobile']},
        ),
    ]
    for message in messages:
        name = message['body']['name']
        headers = message['headers']
        assert headers['name'] == name
        assert headers['origin_uuid'] == message['body']['origin_uuid'] == ORIGIN
        assert headers['required_access'] == f'event.{name}'
        assert headers['timestamp'] == message['body']['timestamp']
        assert message['content_type'] == 'application/json'


def test_events_follow_row_order_and_reuse_sends_no_created(server, bus):
    box = {
        'voicemail_name': 'Team',
        'voicemail_number': '5001',
        'voicemail_context': 'default',
    }
    response = server.post(make_csv([user('A', **box), user('B', **box), user('C')]))
    assert response.status_code == 201, response.text
    a, b, c = response.json()['created']

    messages = bus.messages(expected=6)

    assert [
        (
            m['body']['name'],
            m['body']['data'].get('id') or m['body']['data'].get('user_uuid'),
        )
        for m in messages
    ] == [
        ('user_created', a['user_id']),
        ('voicemail_created', a['voicemail_id']),
        ('user_voicemail_associated', a['user_uuid']),
        ('user_created', b['user_id']),
        ('user_voicemail_associated', b['user_uuid']),
        ('user_created', c['user_id']),
    ]


def test_sccp_line_sends_sccp_endpoint_created(server, bus):
    response = server.post(make_csv([user(**phone('1400', 'sccp'))]))
    e = response.json()['created'][0]

    names = [(m['body']['name'], m['body']['data']) for m in bus.messages(expected=6)]

    assert (
        'sccp_endpoint_created',
        {'id': e['sccp_id'], 'line_id': e['line_id']},
    ) in names
    assert not any(name == 'sip_endpoint_created' for name, _ in names)
