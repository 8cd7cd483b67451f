# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every group of columns, alone and together, and partial groups."""

import uuid

from wazo_confd_users_csv.backends.standalone.passwords import matches

from .helpers import errors_of, make_csv, phone, user

EVERY_USER_FIELD = {
    'entity_id': '2',
    'firstname': 'Ann',
    'lastname': 'Lee',
    'email': 'Ann@Example.com',
    'language': 'fr_CA',
    'mobile_phone_number': '+15551234',
    'outgoing_caller_id': 'Ann L',
    'call_permission_password': '12#',
    'enabled': '0',
    'ring_seconds': '0',
    'simultaneous_calls': '20',
    'supervision_enabled': '0',
    'call_transfer_enabled': '1',
    'dtmf_hangup_enabled': '1',
}


def test_user_alone_gets_defaults(server):
    response = server.post(make_csv([user('Solo')]))

    assert response.status_code == 201, response.text
    [row] = server.rows('user')
    assert (
        row['enabled'],
        row['supervision_enabled'],
        row['call_transfer_enabled'],
        row['dtmf_hangup_enabled'],
        row['simultaneous_calls'],
        row['ring_seconds'],
    ) == (True, True, False, False, 5, 30)
    assert str(uuid.UUID(row['uuid'])) == row['uuid']
    entry = response.json()['created'][0]
    assert entry == {
        'row_number': 1,
        'user_id': row['id'],
        'user_uuid': row['uuid'],
        'cti_profile_id': None,
        'line_id': None,
        'sip_id': None,
        'sip_uuid': None,
        'sccp_id': None,
        'extension_id': None,
        'incall_id': None,
        'incall_extension_id': None,
        'voicemail_id': None,
        'call_permission_ids': [],
        'reused': [],
        'incall_ids': [],
        'incall_extension_ids': [],
    }
    assert server.count('line') == 0


def test_every_user_field_is_stored(server):
    given = str(uuid.uuid4()).upper()
    response = server.post(make_csv([dict(EVERY_USER_FIELD, uuid=given)]))

    assert response.status_code == 201, response.text
    [row] = server.rows('user')
    assert row['uuid'] == given.lower()
    assert {key: row[key] for key in EVERY_USER_FIELD} == {
        'entity_id': 2,
        'firstname': 'Ann',
        'lastname': 'Lee',
        'email': 'Ann@Example.com',
        'language': 'fr_CA',
        'mobile_phone_number': '+15551234',
        'outgoing_caller_id': 'Ann L',
        'call_permission_password': '12#',
        'enabled': False,
        'ring_seconds': 0,
        'simultaneous_calls': 20,
        'supervision_enabled': False,
        'call_transfer_enabled': True,
        'dtmf_hangup_enabled': True,
    }


def test_cti_profile_enabled(server):
    response = server.post(
        make_csv(
            [
                user(
                    cti_profile_enabled='1',
                    username='jdoe',
                    password='s3cret',
                    cti_profile_name='Agent',
                )
            ]
        )
    )

    assert response.status_code == 201, response.text
    [row] = server.rows('user')
    assert (row['username'], row['cti_profile_id'], row['cti_profile_enabled']) == (
        'jdoe',
        2,
        True,
    )
    assert matches('s3cret', row['password'])  # stored hashed
    assert response.json()['created'][0]['cti_profile_id'] == 2


def test_cti_profile_given_without_enabled_is_assigned_but_disabled(server):
    response = server.post(
        make_csv([user(username='jdoe', password='s3cret', cti_profile_name='Client')])
    )

    assert response.status_code == 201, response.text
    [row] = server.rows('user')
    assert (row['cti_profile_id'], row['cti_profile_enabled']) == (1, False)


def test_cti_profile_enabled_needs_its_three_columns(server):
    response = server.post(make_csv([user(cti_profile_enabled='1', username='jdoe')]))

    assert response.status_code == 400
    assert {(row, column) for row, column, _ in errors_of(response)} == {
        (1, 'password'),
        (1, 'cti_profile_name'),
    }
    assert 'required when cti_profile_enabled is 1' in errors_of(response)[0][2]


def test_unknown_cti_profile(server):
    response = server.post(
        make_csv([user(username='jdoe', password='s3cret', cti_profile_name='Boss')])
    )
    assert errors_of(response) == [
        (
            1,
            'cti_profile_name',
            'cti_profile_name: no CTI profile '
            'is named "Boss": use the name of an existing CTI profile',
        )
    ]


def test_sip_phone_generates_username_secret_and_provisioning_code(server):
    response = server.post(make_csv([user(**phone('1000'))]))

    assert response.status_code == 201, response.text
    [sip] = server.rows('sip_endpoint')
    [line] = server.rows('line')
    assert (
        len(sip['username']) == 8
        and sip['username'].isalpha()
        and sip['username'].islower()
    )
    assert len(sip['secret']) >= 8
    assert len(line['provisioning_code']) == 6 and line['provisioning_code'][0] != '0'
    assert (line['name'], line['context'], line['sip_endpoint_id']) == (
        sip['username'],
        'default',
        sip['id'],
    )


def test_sip_phone_keeps_given_username_secret_and_code(server):
    response = server.post(
        make_csv(
            [
                user(
                    **phone(
                        '1000',
                        sip_username='desk-1',
                        sip_secret='pa ss',
                        provisioning_code='123456',
                    )
                )
            ]
        )
    )

    assert response.status_code == 201, response.text
    [sip] = server.rows('sip_endpoint')
    [line] = server.rows('line')
    assert (
        sip['username'],
        sip['secret'],
        line['provisioning_code'],
        line['name'],
    ) == ('desk-1', 'pa ss', '123456', 'desk-1')


def test_sccp_phone_is_named_after_its_exten(server):
    response = server.post(make_csv([user(**phone('1002', 'sccp'))]))

    assert response.status_code == 201, response.text
    [line] = server.rows('line')
    assert (line['protocol'], line['name'], line['sip_endpoint_id']) == (
        'sccp',
        '1002',
        None,
    )
    assert server.count('sccp_endpoint') == 1


def test_sip_columns_on_an_sccp_line_are_errors(server):
    response = server.post(
        make_csv([user(**phone('1002', 'sccp', sip_username='x', sip_secret='y'))])
    )
    assert [(row, column) for row, column, _ in errors_of(response)] == [
        (1, 'sip_username'),
        (1, 'sip_secret'),
    ]
    assert 'only a sip line' in errors_of(response)[0][2]


def test_incall_without_phone(server):
    response = server.post(
        make_csv(
            [
                user(
                    incall_exten='15552050',
                    incall_context='from-extern',
                    incall_ring_seconds='15',
                )
            ]
        )
    )

    assert response.status_code == 201, response.text
    entry = response.json()['created'][0]
    assert entry['line_id'] is None
    [incall] = server.rows('incall')
    assert (incall['user_id'], incall['ring_seconds']) == (entry['user_id'], 15)


def test_voicemail_with_every_field(server):
    response = server.post(
        make_csv(
            [
                user(
                    voicemail_name='Box',
                    voicemail_number='5000',
                    voicemail_context='default',
                    voicemail_password='12#',
                    voicemail_email='box@example.com',
                    voicemail_attach_audio='1',
                    voicemail_delete_messages='1',
                    voicemail_ask_password='0',
                )
            ]
        )
    )

    assert response.status_code == 201, response.text
    [vm] = server.rows('voicemail')
    assert {k: vm[k] for k in vm if k != 'id'} == {
        'name': 'Box',
        'number': '5000',
        'context': 'default',
        'password': '12#',
        'email': 'box@example.com',
        'attach_audio': True,
        'delete_messages': True,
        'ask_password': False,
    }


def test_existing_voicemail_is_reused_and_left_unchanged(server):
    first = server.post(
        make_csv(
            [
                user(
                    'A',
                    voicemail_name='Shared',
                    voicemail_number='5000',
                    voicemail_context='default',
                )
            ]
        )
    )
    second = server.post(
        make_csv(
            [
                user(
                    'B',
                    voicemail_name='Other name',
                    voicemail_number='5000',
                    voicemail_context='default',
                    voicemail_password='99',
                )
            ]
        )
    )

    assert second.status_code == 201, second.text
    entry = second.json()['created'][0]
    assert entry['reused'] == ['voicemail']
    assert entry['voicemail_id'] == first.json()['created'][0]['voicemail_id']
    [vm] = server.rows('voicemail')
    assert (vm['name'], vm['password']) == ('Shared', None)
    assert server.count('user_voicemail') == 2


def test_two_rows_naming_one_voicemail_share_it(server):
    box = {
        'voicemail_name': 'Team',
        'voicemail_number': '5001',
        'voicemail_context': 'default',
    }
    response = server.post(make_csv([user('A', **box), user('B', **box)]))

    assert response.status_code == 201, response.text
    first, second = response.json()['created']
    assert first['voicemail_id'] == second['voicemail_id']
    assert (first['reused'], second['reused']) == ([], ['voicemail'])
    assert server.count('voicemail') == 1


def test_unused_existing_extension_is_reused(server):
    with server.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO users_csv_extension (exten, context) VALUES ('1500', 'default')"
        )
    [existing] = server.rows('extension')

    response = server.post(make_csv([user(**phone('1500'))]))

    assert response.status_code == 201, response.text
    entry = response.json()['created'][0]
    assert (entry['extension_id'], entry['reused']) == (existing['id'], ['extension'])
    assert server.count('extension') == 1


def test_call_permissions_by_name_counted_once(server):
    response = server.post(
        make_csv([user(call_permissions='international;;mobile;international')])
    )

    assert response.status_code == 201, response.text
    entry = response.json()['created'][0]
    names = {row['id']: row['name'] for row in server.rows('call_permission')}
    assert [names[i] for i in entry['call_permission_ids']] == [
        'international',
        'mobile',
    ]
    assert server.count('user_call_permission') == 2


def test_unknown_call_permissions_are_named(server):
    response = server.post(
        make_csv([user(call_permissions='international;gold;silver')])
    )
    assert errors_of(response) == [
        (
            1,
            'call_permissions',
            'call_permissions: no call '
            'permission is named "gold", "silver": use names of '
            'existing call permissions, separated by ;',
        )
    ]


def test_every_group_at_once(server):
    response = server.post(
        make_csv(
            [
                user(
                    cti_profile_enabled='1',
                    username='full',
                    password='s3cret',
                    cti_profile_name='Client',
                    **phone('1200'),
                    incall_exten='2200',
                    incall_context='from-extern',
                    voicemail_name='Full',
                    voicemail_number='1200',
                    voicemail_context='default',
                    call_permissions='premium',
                )
            ]
        )
    )

    assert response.status_code == 201, response.text
    entry = response.json()['created'][0]
    assert all(
        entry[key] is not None
        for key in (
            'cti_profile_id',
            'line_id',
            'sip_id',
            'extension_id',
            'incall_id',
            'incall_extension_id',
            'voicemail_id',
        )
    )
    assert entry['sip_uuid'] == str(entry['sip_id'])  # confd's key, a string
    assert len(entry['call_permission_ids']) == 1


def test_partial_groups_name_the_missing_columns(server):
    response = server.post(
        make_csv(
            [
                user('A', exten='1000'),
                user('B', incall_context='from-extern'),
                user('C', voicemail_number='5000'),
            ]
        )
    )

    assert response.status_code == 400
    assert [(row, column) for row, column, _ in errors_of(response)] == [
        (1, 'line_protocol'),
        (1, 'context'),
        (2, 'incall_exten'),
        (3, 'voicemail_name'),
        (3, 'voicemail_context'),
    ]
    assert errors_of(response)[1][2] == (
        'context: is required for a phone (line_protocol, '
        'context, exten), and this row fills exten'
    )
    assert server.count('user') == 0


def test_empty_groups_create_nothing(server):
    response = server.post(
        make_csv(
            [
                user(
                    exten='',
                    context='',
                    line_protocol='',
                    voicemail_name='',
                    incall_exten='',
                    call_permissions='',
                )
            ]
        )
    )

    assert response.status_code == 201, response.text
    assert (
        server.count('line'),
        server.count('voicemail'),
        server.count('incall'),
    ) == (0, 0, 0)


def test_several_incalls_as_aligned_lists(server):
    response = server.post(
        make_csv(
            [
                user(
                    incall_exten='2001;2002;2003',
                    incall_context='from-extern;from-extern;from-extern',
                    incall_ring_seconds='10;;20',
                )
            ]
        )
    )

    assert response.status_code == 201, response.text
    entry = response.json()['created'][0]
    assert len(entry['incall_ids']) == 3
    assert entry['incall_id'] == entry['incall_ids'][0]
    incalls = server.rows('incall')
    assert [(i['id'], i['ring_seconds']) for i in incalls] == list(
        zip(entry['incall_ids'], [10, None, 20])
    )
    extensions = {ext['id']: ext['exten'] for ext in server.rows('extension')}
    assert [extensions[i] for i in entry['incall_extension_ids']] == [
        '2001',
        '2002',
        '2003',
    ]


def test_misaligned_incall_lists_are_an_error(server):
    response = server.post(
        make_csv(
            [
                user('A', incall_exten='2001;2002', incall_context='from-extern'),
                user(
                    'B',
                    incall_exten='2003;2004',
                    incall_context='from-extern;from-extern',
                    incall_ring_seconds='5',
                ),
                user(
                    'C', incall_exten='2005;', incall_context='from-extern;from-extern'
                ),
            ]
        )
    )

    assert errors_of(response) == [
        (
            1,
            'incall_context',
            'incall_context: several incalls need one value per incall in '
            'each incall column, separated by ; (incall_exten has 2, incall_context has 1)',
        ),
        (
            2,
            'incall_context',
            'incall_context: several incalls need one value per incall in '
            'each incall column, separated by ; (incall_exten has 2, incall_context has 2, '
            'incall_ring_seconds has 1)',
        ),
        (
            3,
            'incall_exten',
            'incall_exten: one of the incalls has no value here: remove the ' 'extra ;',
        ),
    ]


def test_awkward_text_is_stored_exactly(server):
    awkward = {
        'firstname': 'Tab\there',
        'lastname': 'back\\slash \\N and \\t',
        'outgoing_caller_id': 'line\r\nbreak',
        'email': 'o\'neil@example.com',
    }
    response = server.post(make_csv([user(**awkward)]))

    assert response.status_code == 201, response.text
    [row] = server.rows('user')
    assert {key: row[key] for key in awkward} == awkward
