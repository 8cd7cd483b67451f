# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The same files through confd's built-in import (a child process) and through ours, each on a
fresh clone of the same database: the same rows, the same REST views, the same events (names,
order, headers and payload keys), the same wazo-auth users; and every error the built-in
reports on a bad file, ours reports too (with more detail). See differential.py."""

import pytest

from wazo_confd_users_csv_testing.standins import MASTER

from .differential import Normaliser, builtin_confd, keys, snapshot, views

# Only the built-in's own columns; every group, both SIP kinds, SCCP, a user alone.
FILE = (
    'firstname,lastname,email,language,outgoing_caller_id,mobile_phone_number,userfield,'
    'enabled,supervision_enabled,call_transfer_enabled,dtmf_hangup_enabled,'
    'call_record_outgoing_external_enabled,call_record_incoming_internal_enabled,'
    'online_call_record_enabled,ring_seconds,simultaneous_calls,subscription_type,'
    'call_permission_password,username,password,context,line_protocol,sip_username,'
    'sip_secret,exten,voicemail_name,voicemail_number,voicemail_context,voicemail_password,'
    'voicemail_email,voicemail_attach_audio,voicemail_delete_messages,voicemail_ask_password,'
    'incall_exten,incall_context,incall_ring_seconds,call_permissions\n'
    'Alice,Smith,alice@example.com,en_US,"""Alice"" <1000>",5551234,uf-a,1,1,1,1,1,0,1,25,3,'
    '2,1234,alice,secret12,default,sip,alicesip,alicesecret,1000,Alice VM,1000,default,4321,'
    'alice.vm@example.com,1,0,1,1000,from-extern,25,internal;international\n'
    'Bob,Webrtc,,fr_FR,,,,0,0,0,0,0,0,0,15,5,0,,,,default,webrtc,,,1001,Bob VM,1001,'
    'default,,,0,0,0,1001,from-extern,,internal\n'
    'Carol,Sccp,,,,,,1,1,1,1,0,1,0,,,0,,carol,secret34,default,sccp,,,1002,,,,,,,,,'
    ',,,\n'
    'Dave,Nophone,dave@example.com,,,,,,,,,0,0,,,,0,,,,,,,,,,,,,,,,,,,,\n'
    'Erin,Samevm,,,,,,,,,,0,0,,,,0,,,,default,sip,,,1003,Shared VM,1000,default,,,0,0,0,,,'
    ',\n'
)
# The built-in refuses an empty cell in a boolean column ("Field may not be null"), where
# ours takes the default: this file fills them, so that both accept it.
EVENTS = 46


def permissions(client):
    for name in ('internal', 'international'):
        response = client.request(
            'POST', '/callpermissions', tenant=MASTER, json={'name': name}
        )
        assert response.status_code == 201, response.text


@pytest.fixture
def builtin(wazo_template):
    with builtin_confd(wazo_template) as client:
        yield client


def run(client, bus, body, expected_events):
    permissions(client)
    bus.drain(expected=2)
    bus.messages.clear()
    before = snapshot(client)
    response = client.post_csv(body, tenant=MASTER)
    events = bus.drain(expected=expected_events, timeout=15) if expected_events else []
    return response, before, snapshot(client), events


def test_the_same_file_writes_the_same_users_and_sends_the_same_events(
    confd, bus, builtin
):
    theirs, their_before, their_after, their_events = run(
        builtin, builtin.bus, FILE, EVENTS
    )
    ours, our_before, our_after, our_events = run(confd, bus, FILE, EVENTS)

    assert theirs.status_code == 201, theirs.text
    assert ours.status_code == 201, ours.text
    their_norm, our_norm = Normaliser(their_before, FILE), Normaliser(our_before, FILE)
    their_rows = their_norm.new_rows(their_before, their_after)
    our_rows = our_norm.new_rows(our_before, our_after)
    assert sorted(our_rows) == sorted(their_rows)
    for table in their_rows:
        assert our_rows[table] == their_rows[table], table
    their_views = their_norm.view(views(builtin, MASTER))
    our_views = our_norm.view(views(confd, MASTER))
    assert sorted(our_views) == sorted(their_views)
    for name in their_views:
        for part in their_views[name]:
            assert our_views[name][part] == their_views[name][part], (name, part)
    assert [h['name'] for h, _ in our_events] == [h['name'] for h, _ in their_events]
    for (our_headers, our_body), (their_headers, their_body) in zip(
        our_events, their_events
    ):
        name = our_headers['name']
        assert keys(our_norm, our_headers) == keys(their_norm, their_headers), name
        assert keys(our_norm, our_body) == keys(their_norm, their_body), name
    assert len(our_events) == EVENTS


def test_the_same_wazo_auth_users(confd, bus, wazo_template):
    with builtin_confd(wazo_template) as builtin:
        theirs = builtin.post_csv(FILE, tenant=MASTER)
        assert theirs.status_code == 400  # no call permissions in this database
        permissions(builtin)
        assert builtin.post_csv(FILE, tenant=MASTER).status_code == 201
    permissions(confd)
    assert confd.post_csv(FILE, tenant=MASTER).status_code == 201

    def shape(users):
        """Without the uuid, and a username that is the uuid said so."""
        return sorted(
            (
                {
                    key: '<uuid>' if value == user['uuid'] else value
                    for key, value in user.items()
                    if key != 'uuid'
                }
                for user in users.values()
            ),
            key=lambda user: user['firstname'],
        )

    assert shape(confd.auth.auth_users) == shape(builtin.auth_users)
    assert len(builtin.auth_users) == 5  # one per user, login or not


# One fault per row, each one the built-in refuses (and a good row between them).
BAD = (
    'firstname,lastname,email,ring_seconds,supervision_enabled,language,context,line_protocol,'
    'sip_username,exten,voicemail_name,voicemail_number,voicemail_context,voicemail_email,'
    'voicemail_delete_messages,incall_exten,incall_context,call_permissions\n'
    'Good,Row,,,,,default,sip,,1000,,,,,,,,\n'
    'Out,Ofrange,,,,,default,sip,,5000,,,,,,,,\n'
    'No,Context,,,,,nowhere,sip,,1001,,,,,,,,\n'
    'Same,Exten,,,,,default,sip,,1000,,,,,,,,\n'
    'Bad,Email,not-an-email,,,,,,,,,,,,,,,\n'
    'Bad,Permission,,,,,,,,,,,,,,,,nope\n'
    'Vm,Nomail,,,,,,,,,VM,1010,default,,1,,,\n'
    'Bad,Ring,,abc,,,,,,,,,,,,,,\n'
    'Bad,Bool,,,2,,,,,,,,,,,,,\n'
    'Bad,Protocol,,,,,default,iax,,1002,,,,,,,,\n'
    'Bad,Incall,,,,,,,,,,,,,,99,from-extern,\n'
    ',Nofirstname,,,,,,,,,,,,,,,,\n'
    'Same,Sip,,,,,default,sip,alicesip,1003,,,,,,,,\n'
    'Same,Sip2,,,,,default,sip,alicesip,1004,,,,,,,,\n'
)


def test_every_error_the_builtin_reports_ours_reports(confd, bus, builtin):
    permissions(builtin)
    permissions(confd)

    theirs = builtin.post_csv(BAD, tenant=MASTER)
    ours = confd.post_csv(BAD, tenant=MASTER)

    assert (theirs.status_code, ours.status_code) == (400, 400), theirs.text
    their_rows = {error['details']['row_number'] for error in theirs.json()['errors']}
    our_errors = ours.json()['errors']
    our_rows = {error['details']['row_number'] for error in our_errors}
    assert their_rows - our_rows == set(), (theirs.json(), our_errors)
    # every bad row, not the good one; of two rows wanting one SIP name, the second
    assert our_rows == set(range(2, 13)) | {14}
    for error in our_errors:  # and ours say where and what
        assert (
            error['details']['column'] and error['details']['line'] and error['message']
        )
    assert confd.get('/users?recurse=false', tenant=MASTER).json()['total'] == 0
