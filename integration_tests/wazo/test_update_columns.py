# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Each column of an update on its own inside the real wazo-confd, as the standalone host's
test_update.py checks them (test_each_column_edited_on_its_own, test_empty_cell_unsets_defaults
_and_keeps_secrets, test_an_empty_password_keeps_the_password...): the export shows the new
value and nothing else changed, the answer names that column alone, and the events sent are
the ones the summary counts. One database, one column after the other."""

import csv
import io
import time

from wazo_confd_users_csv_testing.standins import MASTER

from .test_update import export_text, import_full

# new values for Alice (FULL's), in this order (voicemail_delete_messages needs the email)
EDITS = {
    'subscription_type': '1',
    'firstname': 'Alicia',
    'lastname': 'Doe',
    'email': 'new@example.com',
    'mobile_phone_number': '+1555',
    'outgoing_caller_id': 'anonymous',
    'language': 'fr_FR',
    'call_permission_password': '999',
    'enabled': '0',
    'ring_seconds': '45',
    'simultaneous_calls': '9',
    'supervision_enabled': '0',
    'call_transfer_enabled': '1',
    'dtmf_hangup_enabled': '1',
    'call_record_outgoing_external_enabled': '1',
    'call_record_outgoing_internal_enabled': '1',
    'call_record_incoming_external_enabled': '1',
    'call_record_incoming_internal_enabled': '1',
    'online_call_record_enabled': '1',
    'userfield': 'uf-b',
    'voicemail_name': 'Renamed',
    'voicemail_number': '1050',
    'voicemail_password': '9876',
    'voicemail_email': 'vm@example.com',
    'voicemail_attach_audio': '1',
    'voicemail_delete_messages': '1',
    'voicemail_ask_password': '0',
    'provisioning_code': '123456',
    'sip_username': 'alicenew',
    'sip_secret': 'newsecret',
    'exten': '1010',
    'incall_exten': '1050',
    'incall_ring_seconds': '15',
    'call_permissions': 'internal',
    'username': 'alice2',
}


USER = ['user_edited']
VOICEMAIL = ['voicemail_edited', 'user_voicemail_edited']
EVENTS = dict(
    {column: USER for column in list(EDITS)[:20]},
    **{column: VOICEMAIL for column in EDITS if column.startswith('voicemail_')},
    provisioning_code=['line_edited'],
    sip_username=['sip_endpoint_edited'],
    sip_secret=['sip_endpoint_edited'],
    exten=['extension_edited'],
    incall_exten=['extension_edited'],
    incall_ring_seconds=['incall_edited'],
    call_permissions=['user_call_permission_dissociated'],
    username=[],  # a login of wazo-auth only: confd sends nothing
)


def action_of(event_name):
    resource, _, action = event_name.rpartition('_')
    return {'edited': 'updated'}.get(action, action), resource


def alice_of(confd):
    [row] = [
        row
        for row in csv.DictReader(io.StringIO(export_text(confd)))
        if row['firstname'] in ('Alice', 'Alicia')
    ]
    return row


def put_one(confd, row):
    out = io.StringIO()
    writer = csv.DictWriter(out, list(row), lineterminator='\n')
    writer.writeheader()
    writer.writerow(row)
    response = confd.put_csv(out.getvalue(), tenant=MASTER)
    assert response.status_code == 200, response.text
    return response.json()


def test_each_column_edited_on_its_own_then_emptied_cells(confd, bus):
    import_full(confd, bus)
    before = alice_of(confd)
    uuid = before['uuid']
    assert list(EVENTS) == list(EDITS)

    for column, value in EDITS.items():
        assert before[column] != value, column
        answer = put_one(confd, {'uuid': uuid, column: value})

        after = alice_of(confd)
        assert after == dict(before, **{column: value}), column
        [entry] = answer['updated']
        assert (entry['outcome'], entry['changed']) == ('updated', [column]), column
        summary = answer['summary']
        assert summary['users'] == {'updated': 1, 'unchanged': 0}, column
        assert summary['events'] == len(EVENTS[column]), column
        names = [
            headers['name']
            for headers, _ in bus.drain(expected=len(EVENTS[column]), timeout=5)
        ]
        bus.messages.clear()
        assert names == EVENTS[column], column
        # the summary counts what the events announce
        assert sorted(
            (action, resource)
            for action in ('created', 'updated', 'associated', 'dissociated')
            for resource, count in summary.get(action, {}).items()
            for _ in range(count)
        ) == sorted(action_of(name) for name in names), (column, summary)
        before = after
    login = confd.auth.auth_users[uuid]
    assert (login['username'], login['firstname'], login['lastname']) == (
        'alice2',
        'Alicia',
        'Doe',
    )
    assert login['emails'][0]['address'] == 'new@example.com'

    # an empty cell: the default or no value; an empty secret keeps the secret
    resets = confd.auth.password_resets
    answer = put_one(
        confd,
        {
            'uuid': uuid,
            'lastname': '',
            'email': '',
            'ring_seconds': '',
            'enabled': '',
            'voicemail_password': '',
            'sip_secret': '',
            'password': '',
        },
    )

    [entry] = answer['updated']
    assert entry['changed'] == ['lastname', 'email', 'ring_seconds', 'enabled']
    after = alice_of(confd)
    assert after == dict(before, lastname='', email='', ring_seconds='30', enabled='1')
    assert (after['voicemail_password'], after['sip_secret']) == ('9876', 'newsecret')
    assert confd.auth.password_resets == resets
    assert confd.auth.auth_users[uuid]['emails'] == []
    time.sleep(1.5)  # the relay's interval: anything more sent would be here
    assert [headers['name'] for headers, _ in bus.drain()] == ['user_edited']
