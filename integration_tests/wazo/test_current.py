# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What an update inside confd starts from: the state of Wazo users, read back in the shapes
the shared update planner compares cells with (groundwork of PUT, issue 12)."""

from wazo_confd_users_csv.imports.rows import RowContext
from wazo_confd_users_csv.reader import Row
from wazo_confd_users_csv_testing.standins import MASTER, SUB

from .test_import import FULL, permissions


def rows_for(*uuids):
    return [
        RowContext(Row(n, n + 1, {}), {'uuid': uuid}, ['uuid'])
        for n, uuid in enumerate(uuids, start=1)
    ]


def test_the_state_of_imported_users_is_what_the_file_said(confd):
    # here, not at the top: without the Wazo libraries the module is still collected
    from xivo_dao.helpers.db_manager import Session

    from wazo_confd_users_csv.backends.wazo import current

    ids = permissions(confd, 'internal', 'international')
    created = confd.post_csv(FULL, tenant=MASTER).json()['created']
    uuids = [entry['user_uuid'] for entry in created]
    other = confd.post_csv('firstname\nSue\n', tenant=SUB).json()['created'][0][
        'user_uuid'
    ]

    session = Session()
    try:
        states = current.fetch(
            session,
            rows_for(*uuids, other),
            MASTER,
            {uuids[0]: {'uuid': uuids[0], 'username': 'alice'}},
        )
    finally:
        Session.remove()

    assert set(states) == set(uuids)  # another tenant's user is not found
    assert states[uuids[0]].login == {'uuid': uuids[0], 'username': 'alice'}
    alice = states[uuids[0]]
    assert {
        key: alice.user[key]
        for key in (
            'firstname',
            'lastname',
            'email',
            'language',
            'ring_seconds',
            'userfield',
            'subscription_type',
            'enabled',
            'supervision_enabled',
            'username',
            'password',
        )
    } == {
        'firstname': 'Alice',
        'lastname': 'Smith',
        'email': 'alice@example.com',
        'language': 'en_US',
        'ring_seconds': 25,
        'userfield': 'uf-a',
        'subscription_type': 2,
        'enabled': True,
        'supervision_enabled': True,
        'username': 'alice',
        'password': None,
    }
    assert (alice.line['protocol'], alice.line['context'], alice.line['id']) == (
        'sip',
        'default',
        created[0]['line_id'],
    )
    assert alice.sip == {
        'id': created[0]['sip_uuid'],
        'username': 'alicesip',
        'secret': 'alicesecret',
    }
    assert (alice.extension['exten'], alice.extension['context']) == ('1000', 'default')
    assert [
        (incall['ring_seconds'], extension['exten'], extension['context'])
        for incall, extension in alice.incalls
    ] == [(25, '1000', 'from-extern')]
    assert {
        key: alice.voicemail[key] for key in ('name', 'number', 'context', 'password')
    } == {
        'name': 'Alice VM',
        'number': '1000',
        'context': 'default',
        'password': '4321',
    }
    assert alice.call_permission_ids == sorted(ids.values())
    assert alice.contexts() == {'default', 'from-extern'}
    bob, carol, dave = (states[uuid] for uuid in uuids[1:])
    assert (bob.line['protocol'], carol.line['protocol'], carol.sip) == (
        'webrtc',
        'sccp',
        None,
    )
    assert (dave.line, dave.voicemail, dave.incalls, dave.call_permission_ids) == (
        None,
        None,
        [],
        [],
    )
