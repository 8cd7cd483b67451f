# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Each group's create-or-reuse rule of an import inside the real wazo-confd, as the
standalone host's test_import_groups.py checks them: a user alone and its defaults, every
user column stored, generated SIP credentials, an incall without a phone, a voicemail with
every column, an existing voicemail reused and left as it was, call permissions named twice,
empty groups, several incalls, awkward text. Read back through the export and confd's REST
API; one database, one file after the other."""

import csv
import io
import re

from wazo_confd_users_csv_testing.standins import MASTER

from ..helpers import make_csv
from .test_import import permissions
from .test_update import export_text

GIVEN_UUID = '0B6C3BB5-8F3E-4A3C-9A0E-6C5D2F1E0A11'
EVERY_USER_FIELD = {
    'uuid': GIVEN_UUID,
    'subscription_type': '3',
    'firstname': 'Ann',
    'lastname': 'Lee',
    'email': 'ann@example.com',
    'mobile_phone_number': '+15551234',
    'outgoing_caller_id': 'anonymous',
    'language': 'fr_CA',
    'call_permission_password': '1234',
    'enabled': '0',
    'ring_seconds': '0',
    'simultaneous_calls': '20',
    'supervision_enabled': '0',
    'call_transfer_enabled': '1',
    'dtmf_hangup_enabled': '1',
    'call_record_outgoing_external_enabled': '1',
    'call_record_outgoing_internal_enabled': '1',
    'call_record_incoming_external_enabled': '1',
    'call_record_incoming_internal_enabled': '1',
    'online_call_record_enabled': '1',
    'userfield': 'uf',
    'username': 'annlee',
}


def post(confd, rows):
    response = confd.post_csv(make_csv(rows), tenant=MASTER)
    assert response.status_code == 201, response.text
    return response.json()['created']


def exported(confd):
    return {
        row['firstname']: row for row in csv.DictReader(io.StringIO(export_text(confd)))
    }


def get(confd, path):
    response = confd.get(path, tenant=MASTER)
    assert response.status_code == 200, response.text
    return response.json()


EMPTY_ENTRY = {
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


def test_each_group_is_created_or_reused_as_the_standalone_host_does(confd):
    ids = permissions(confd, 'internal', 'international')

    # a user alone, and a user whose group cells are all empty: a user, nothing else
    solo, empty = post(
        confd,
        [
            {'firstname': 'Solo'},
            {
                'firstname': 'Empty',
                'exten': '',
                'context': '',
                'line_protocol': '',
                'voicemail_name': '',
                'incall_exten': '',
                'call_permissions': '',
            },
        ],
    )
    for entry in (solo, empty):
        assert {
            key: value
            for key, value in entry.items()
            if key not in ('user_id', 'user_uuid', 'row_number')
        } == EMPTY_ENTRY
        view = get(confd, f'/users/{entry["user_uuid"]}')
        assert (view['lines'], view['incalls'], view['voicemail']) == ([], [], None)
    row = exported(confd)['Solo']
    assert (
        row['enabled'],
        row['supervision_enabled'],
        row['call_transfer_enabled'],
        row['dtmf_hangup_enabled'],
        row['simultaneous_calls'],
        row['ring_seconds'],
    ) == ('1', '1', '0', '0', '5', '30')

    # every user column, stored as given (the uuid in its lower case)
    [ann] = post(confd, [EVERY_USER_FIELD])
    assert ann['user_uuid'] == GIVEN_UUID.lower()
    assert exported(confd)['Ann'] == {
        **{column: '' for column in exported(confd)['Solo']},
        **EVERY_USER_FIELD,
        'uuid': GIVEN_UUID.lower(),
    }

    # a SIP phone keeps the credentials given, one without them gets them; an incall alone;
    # a voicemail with every column; call permissions named twice, or with an empty name
    # between, count once
    given, sip, incall_only, boxed, allowed = post(
        confd,
        [
            {
                'firstname': 'Given',
                'exten': '1001',
                'context': 'default',
                'line_protocol': 'sip',
                'sip_username': 'givensip',
                'sip_secret': 'givensecret',
                'provisioning_code': '222222',
            },
            {
                'firstname': 'Sip',
                'exten': '1000',
                'context': 'default',
                'line_protocol': 'sip',
            },
            {
                'firstname': 'Incall',
                'incall_exten': '2050',
                'incall_context': 'from-extern',
                'incall_ring_seconds': '15',
            },
            {
                'firstname': 'Boxed',
                'voicemail_name': 'Box',
                'voicemail_number': '1500',
                'voicemail_context': 'default',
                'voicemail_password': '1234',
                'voicemail_email': 'box@example.com',
                'voicemail_attach_audio': '1',
                'voicemail_delete_messages': '1',
                'voicemail_ask_password': '0',
            },
            {
                'firstname': 'Allowed',
                'call_permissions': 'international;;internal;international',
            },
        ],
    )
    row = exported(confd)['Sip']
    assert re.fullmatch('[a-z]{8}', row['sip_username']), row
    assert re.fullmatch('[A-Za-z0-9]{16}', row['sip_secret']), row
    assert re.fullmatch('[1-9][0-9]{5}', row['provisioning_code']), row
    line = get(confd, f'/lines/{sip["line_id"]}')
    assert (line['name'], line['context'], line['provisioning_code']) == (
        row['sip_username'],
        'default',
        row['provisioning_code'],
    )
    endpoint = get(confd, f'/endpoints/sip/{sip["sip_uuid"]}')
    assert ['username', row['sip_username']] in endpoint['auth_section_options']
    assert ['password', row['sip_secret']] in endpoint['auth_section_options']

    row = exported(confd)['Given']
    assert (row['sip_username'], row['sip_secret'], row['provisioning_code']) == (
        'givensip',
        'givensecret',
        '222222',
    )
    assert get(confd, f'/lines/{given["line_id"]}')['name'] == 'givensip'

    assert incall_only['line_id'] is None
    incall = get(confd, f'/incalls/{incall_only["incall_id"]}')
    assert (incall['destination']['user_id'], incall['destination']['ring_time']) == (
        incall_only['user_id'],
        15.0,
    )
    assert [(e['exten'], e['context']) for e in incall['extensions']] == [
        ('2050', 'from-extern')
    ]

    box = get(confd, f'/voicemails/{boxed["voicemail_id"]}')
    assert (
        box['name'],
        box['number'],
        box['context'],
        box['password'],
        box['email'],
        box['attach_audio'],
        box['delete_messages'],
        box['ask_password'],
    ) == ('Box', '1500', 'default', '1234', 'box@example.com', True, True, False)

    assert allowed['call_permission_ids'] == [ids['international'], ids['internal']]
    view = get(confd, f'/users/{allowed["user_uuid"]}')
    assert sorted(p['id'] for p in view['call_permissions']) == sorted(ids.values())

    # a voicemail already in the database: reused by its number and context, left as it was
    [again] = post(
        confd,
        [
            {
                'firstname': 'Again',
                'voicemail_name': 'Other name',
                'voicemail_number': '1500',
                'voicemail_context': 'default',
                'voicemail_password': '9999',
            }
        ],
    )
    assert (again['voicemail_id'], again['reused']) == (
        boxed['voicemail_id'],
        ['voicemail'],
    )
    shared = get(confd, f'/voicemails/{boxed["voicemail_id"]}')
    assert (shared['name'], shared['password']) == ('Box', '1234')
    assert sorted(u['firstname'] for u in shared['users']) == ['Again', 'Boxed']
    assert len(get(confd, '/voicemails')['items']) == 1

    # several incalls: one value per incall in each column, an empty ring time the default
    [several] = post(
        confd,
        [
            {
                'firstname': 'Several',
                'incall_exten': '2001;2002;2003',
                'incall_context': 'from-extern;from-extern;from-extern',
                'incall_ring_seconds': '10;;20',
            }
        ],
    )
    assert len(several['incall_ids']) == 3
    assert several['incall_id'] == several['incall_ids'][0]
    found = [get(confd, f'/incalls/{n}') for n in several['incall_ids']]
    assert [
        (i['extensions'][0]['exten'], i['destination']['ring_time']) for i in found
    ] == [('2001', 10.0), ('2002', None), ('2003', 20.0)]
    assert [i['extensions'][0]['id'] for i in found] == several['incall_extension_ids']

    # awkward text is stored exactly (inside confd a name is one line, without a tab)
    awkward = {
        'firstname': 'Zoë Ünïcode',
        'lastname': 'back\\slash \\N and \\t "quoted", O\'Neil',
        'email': "o'neil@example.com",
        'userfield': ' spaced\t; semi ',
    }
    [odd] = post(confd, [awkward])
    view = get(confd, f'/users/{odd["user_uuid"]}')
    assert {key: view[key] for key in awkward} == awkward
