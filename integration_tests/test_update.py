# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""PUT /1.1/users/import: every rule of the spec, each column on its own, round trips."""

import pytest
import requests

from wazo_confd_users_csv import columns
from wazo_confd_users_csv.backends.standalone.passwords import matches

from .conftest import TOKEN
from .helpers import errors_of, make_csv, phone
from .test_export import VARIED, export, parse


def put(server, body, token=TOKEN, dry_run=None):
    params = {} if dry_run is None else {'dry_run': dry_run}
    data = body.encode() if isinstance(body, str) else body
    return requests.put(
        server.url + '/users/import',
        data=data,
        params=params,
        timeout=120,
        headers={'X-Auth-Token': token, 'Content-Type': 'text/csv; charset=utf-8'},
    )


@pytest.fixture
def seeded(server):
    response = server.post(make_csv(VARIED))
    assert response.status_code == 201, response.text
    return {row['firstname']: row for row in parse(export(server).text)}


def names(messages):
    return [m['body']['name'] for m in messages]


def test_unchanged_export_changes_nothing_and_sends_nothing(server, seeded, bus):
    before = export(server).content

    response = put(server, before)

    assert response.status_code == 200, response.text
    entries = response.json()['updated']
    assert [(e['outcome'], e['changed']) for e in entries] == [('unchanged', [])] * 5
    summary = response.json()['summary']
    assert summary['users'] == {'updated': 0, 'unchanged': 5}
    assert (summary['updated'], summary['created'], summary['events']) == ({}, {}, 0)
    assert export(server).content == before
    assert bus.messages() == []


def test_multi_row_update(server, seeded, bus):
    rows = [
        {'uuid': seeded[name]['uuid'], 'lastname': f'New {name}'}
        for name in ('Alice', 'Carol', 'Eve')
    ]

    response = put(server, make_csv(rows))

    assert response.status_code == 200, response.text
    assert [e['row_number'] for e in response.json()['updated']] == [1, 2, 3]
    after = {row['uuid']: row for row in parse(export(server).text)}
    for row in rows:
        assert after[row['uuid']]['lastname'] == row['lastname']
    messages = bus.messages(expected=3)
    assert [(m['body']['name'], m['body']['data']['uuid']) for m in messages] == [
        ('user_edited', row['uuid']) for row in rows
    ]


def test_bad_last_row_leaves_database_and_bus_untouched(server, seeded, bus):
    before = export(server).content
    rows = [
        {'uuid': seeded['Alice']['uuid'], 'lastname': 'Changed', 'exten': '1500'},
        {'uuid': seeded['Carol']['uuid'], 'ring_seconds': '7'},
    ]

    response = put(server, make_csv(rows))

    assert errors_of(response) == [
        (
            2,
            'ring_seconds',
            'ring_seconds: must be a multiple of 5 ' 'between 0 and 60 (got 7)',
        )
    ]
    assert export(server).content == before
    assert bus.messages() == []


EDITS = {
    'entity_id': '2',
    'firstname': 'Alicia',
    'lastname': 'Doe',
    'email': 'new@example.com',
    'mobile_phone_number': '+1555',
    'outgoing_caller_id': 'Someone',
    'language': 'de_DE',
    'call_permission_password': '999',
    'enabled': '0',
    'ring_seconds': '45',
    'simultaneous_calls': '9',
    'supervision_enabled': '1',
    'call_transfer_enabled': '0',
    'dtmf_hangup_enabled': '0',
    'username': 'alice2',
    'password': 'n3wpass',
    'cti_profile_name': 'Agent',
    'cti_profile_enabled': '0',
    'voicemail_name': 'Renamed',
    'voicemail_number': '1150',
    'voicemail_context': 'default',
    'voicemail_password': '4321',
    'voicemail_email': 'vm@example.com',
    'voicemail_attach_audio': '0',
    'voicemail_delete_messages': '1',
    'voicemail_ask_password': '1',
    'line_protocol': 'sip',
    'provisioning_code': '654321',
    'context': 'default',
    'sip_username': 'alice-new',
    'sip_secret': 'new secret',
    'exten': '1150',
    'incall_exten': '2101;2102',
    'incall_context': 'from-extern;from-extern',
    'incall_ring_seconds': ';20',
    'call_permissions': 'premium',
}
# what each edit announces (beyond nothing)
EDIT_EVENTS = {
    'cti_profile_name': ['user_cti_profile_edited'],
    'cti_profile_enabled': ['user_cti_profile_edited'],
    'voicemail_name': ['voicemail_edited'],
    'voicemail_number': ['voicemail_edited'],
    'voicemail_password': ['voicemail_edited'],
    'voicemail_email': ['voicemail_edited'],
    'voicemail_attach_audio': ['voicemail_edited'],
    'voicemail_delete_messages': ['voicemail_edited'],
    'voicemail_ask_password': ['voicemail_edited'],
    'provisioning_code': ['line_edited'],
    'sip_username': ['line_edited', 'sip_endpoint_edited'],
    'sip_secret': ['sip_endpoint_edited'],
    'exten': ['extension_edited'],
    'call_permissions': [
        'user_call_permission_dissociated',
        'user_call_permission_dissociated',
        'user_call_permission_associated',
    ],
}
UNCHANGED_EDITS = {
    'voicemail_context',
    'line_protocol',
    'context',
    'incall_exten',
    'incall_context',
    'incall_ring_seconds',
}  # values Alice already has
# entity_id needs the contexts moved too: test_entity_change_needs_contexts_of_that_entity
ON_THEIR_OWN = [c for c in columns.EXPORT_ORDER if c not in ('uuid', 'entity_id')]


@pytest.mark.parametrize('column', ON_THEIR_OWN)
def test_each_column_edited_on_its_own(server, seeded, bus, column):
    alice = seeded['Alice']
    response = put(server, make_csv([{'uuid': alice['uuid'], column: EDITS[column]}]))

    assert response.status_code == 200, response.text
    after = next(
        row for row in parse(export(server).text) if row['uuid'] == alice['uuid']
    )
    expected = dict(alice, **{column: EDITS[column]})  # raw: as stored
    if column == 'sip_username':
        expected['sip_username'] = 'alice-new'
    if column == 'call_permissions':
        expected['call_permissions'] = 'premium'
    if column == 'password':  # stored hashed, never exported
        expected['password'] = ''
        stored = [
            row['password']
            for row in server.rows('user')
            if row['uuid'] == alice['uuid']
        ]
        assert matches(EDITS['password'], stored[0])
    assert after == expected
    expected_events = (
        [] if column in UNCHANGED_EDITS else EDIT_EVENTS.get(column, ['user_edited'])
    )
    assert names(bus.messages(expected=len(expected_events) or None)) == expected_events
    # the answer says which column changed, and counts what the events announce
    [entry] = response.json()['updated']
    changed = [] if column in UNCHANGED_EDITS else [column]
    assert (entry['outcome'], entry['changed']) == (
        'updated' if changed else 'unchanged',
        changed,
    )
    summary = response.json()['summary']
    assert summary['users'] == {'updated': len(changed), 'unchanged': 1 - len(changed)}
    assert summary['events'] == len(expected_events)
    counted = [
        (action, resource)
        for action, found in summary.items()
        if action in ('created', 'updated', 'associated', 'dissociated')
        for resource, count in found.items()
        for _ in range(count)
    ]
    assert sorted(counted) == sorted(_action_of(name) for name in expected_events)


def _action_of(event_name):
    resource, _, action = event_name.rpartition('_')
    return {'edited': 'updated'}.get(action, action), resource


def test_entity_change_needs_contexts_of_that_entity(server, seeded):
    dave = seeded['Dave']  # entity 2, line in context branch
    response = put(server, make_csv([{'uuid': dave['uuid'], 'entity_id': '1'}]))
    assert errors_of(response) == [
        (
            1,
            'entity_id',
            'entity_id: the user keeps resources in '
            'context branch of entity 2: move them in the same row, or '
            'keep the entity',
        )
    ]

    moved = put(
        server,
        make_csv(
            [
                {
                    'uuid': dave['uuid'],
                    'entity_id': '1',
                    'exten': '1400',
                    'context': 'default',
                }
            ]
        ),
    )
    assert moved.status_code == 200, moved.text
    after = next(r for r in parse(export(server).text) if r['uuid'] == dave['uuid'])
    assert (after['entity_id'], after['exten'], after['context']) == (
        '1',
        '1400',
        'default',
    )


def test_empty_cell_unsets_defaults_and_keeps_secrets(server, seeded, bus):
    alice = seeded['Alice']
    response = put(
        server,
        make_csv(
            [
                {
                    'uuid': alice['uuid'],
                    'lastname': '',
                    'email': '',
                    'ring_seconds': '',
                    'enabled': '',
                    'voicemail_password': '',
                }
            ]
        ),
    )

    assert response.status_code == 200, response.text
    after = next(r for r in parse(export(server).text) if r['uuid'] == alice['uuid'])
    # an empty secret keeps the secret: exports leave secrets out (csv-format.md, Export)
    assert (
        after['lastname'],
        after['email'],
        after['ring_seconds'],
        after['enabled'],
        after['voicemail_password'],
    ) == ('', '', '30', '1', '0000')
    assert names(bus.messages(expected=1)) == ['user_edited']


@pytest.mark.parametrize(
    'column',
    [
        'firstname',
        'entity_id',
        'exten',
        'context',
        'line_protocol',
        'voicemail_name',
        'voicemail_number',
        'voicemail_context',
        'incall_exten',
        'incall_context',
    ],
)
def test_emptying_a_column_a_resource_needs_is_an_error(server, seeded, column):
    before = export(server).content
    response = put(server, make_csv([{'uuid': seeded['Alice']['uuid'], column: ''}]))

    assert response.status_code == 400
    [(row, where, message)] = errors_of(response)
    assert (row, where) == (1, column)
    assert 'cannot be emptied' in message
    assert export(server).content == before


def test_an_empty_password_keeps_the_password_and_the_same_one_changes_nothing(
    server, seeded, bus
):
    alice = seeded['Alice']
    before = [
        row['password'] for row in server.rows('user') if row['uuid'] == alice['uuid']
    ]

    for password in ('', 's3cret!'):  # empty; the one she has (VARIED's)
        response = put(
            server, make_csv([{'uuid': alice['uuid'], 'password': password}])
        )
        assert response.status_code == 200, response.text
        assert response.json()['updated'][0]['changed'] == []

    assert [
        row['password'] for row in server.rows('user') if row['uuid'] == alice['uuid']
    ] == before
    assert bus.messages() == []


@pytest.mark.parametrize('column', ['username', 'cti_profile_name'])
def test_profile_columns_cannot_be_emptied_while_enabled(server, seeded, column):
    response = put(server, make_csv([{'uuid': seeded['Alice']['uuid'], column: ''}]))
    assert errors_of(response) == [
        (
            1,
            column,
            f'{column}: cannot be emptied while '
            'cti_profile_enabled is 1 (the client account needs '
            'username, password and cti_profile_name)',
        )
    ]


def test_profile_can_be_disabled_and_emptied_in_one_row(server, seeded, bus):
    response = put(
        server,
        make_csv(
            [
                {
                    'uuid': seeded['Alice']['uuid'],
                    'cti_profile_enabled': '0',
                    'cti_profile_name': '',
                }
            ]
        ),
    )
    assert response.status_code == 200, response.text
    [message] = bus.messages(expected=1)
    assert message['body']['data'] == {
        'user_uuid': seeded['Alice']['uuid'],
        'cti_profile_id': None,
        'enabled': False,
    }


def test_protocol_cannot_change(server, seeded):
    response = put(
        server, make_csv([{'uuid': seeded['Alice']['uuid'], 'line_protocol': 'sccp'}])
    )
    assert errors_of(response) == [
        (
            1,
            'line_protocol',
            "line_protocol: the user's line is sip: "
            "a line's protocol cannot change (keep sip, or give the line "
            'to a new user)',
        )
    ]


def test_an_incall_cannot_be_updated_when_the_user_has_several(server, seeded):
    alice = seeded['Alice']  # two incalls
    response = put(
        server,
        make_csv(
            [
                {
                    'uuid': alice['uuid'],
                    'incall_exten': '2101;2103',
                    'incall_context': 'from-extern;from-extern',
                }
            ]
        ),
    )
    assert errors_of(response)[0][:2] == (1, 'incall_exten')
    assert (
        'cannot be updated when the user has more than one' in errors_of(response)[0][2]
    )

    only_ring = put(
        server, make_csv([{'uuid': alice['uuid'], 'incall_ring_seconds': '5;5'}])
    )
    assert only_ring.status_code == 400


def test_single_incall_is_edited(server, seeded, bus):
    carol = seeded['Carol']  # one incall, 2200
    response = put(
        server,
        make_csv(
            [
                {
                    'uuid': carol['uuid'],
                    'incall_exten': '2250',
                    'incall_ring_seconds': '15',
                }
            ]
        ),
    )

    assert response.status_code == 200, response.text
    after = next(r for r in parse(export(server).text) if r['uuid'] == carol['uuid'])
    assert (after['incall_exten'], after['incall_ring_seconds']) == ('2250', '15')
    assert names(bus.messages(expected=2)) == ['incall_edited', 'extension_edited']
    assert response.json()['updated'][0]['changed'] == [
        'incall_exten',
        'incall_ring_seconds',
    ]
    assert response.json()['summary']['updated'] == {'extension': 1, 'incall': 1}


def test_call_permissions_replace_empty_and_absent(server, seeded, bus):
    alice = seeded['Alice']  # international;mobile
    assert (
        put(server, make_csv([{'uuid': alice['uuid'], 'lastname': 'X'}])).status_code
        == 200
    )
    assert (
        next(r for r in parse(export(server).text) if r['uuid'] == alice['uuid'])[
            'call_permissions'
        ]
        == 'international;mobile'
    )
    bus.messages(expected=1)

    assert (
        put(
            server,
            make_csv([{'uuid': alice['uuid'], 'call_permissions': 'mobile;premium'}]),
        ).status_code
        == 200
    )
    assert (
        next(r for r in parse(export(server).text) if r['uuid'] == alice['uuid'])[
            'call_permissions'
        ]
        == 'mobile;premium'
    )
    assert names(bus.messages(expected=2)) == [
        'user_call_permission_dissociated',
        'user_call_permission_associated',
    ]

    assert (
        put(
            server, make_csv([{'uuid': alice['uuid'], 'call_permissions': ''}])
        ).status_code
        == 200
    )
    assert (
        next(r for r in parse(export(server).text) if r['uuid'] == alice['uuid'])[
            'call_permissions'
        ]
        == ''
    )
    assert names(bus.messages(expected=2)) == ['user_call_permission_dissociated'] * 2


def test_bare_user_gets_phone_voicemail_incall_and_profile(server, seeded, bus):
    eve = seeded['Eve']
    response = put(
        server,
        make_csv(
            [
                {
                    'uuid': eve['uuid'],
                    'username': 'eve',
                    'password': 's3cret',
                    'cti_profile_name': 'Client',
                    'cti_profile_enabled': '1',
                    **phone('1160', 'sccp'),
                    'incall_exten': '2160',
                    'incall_context': 'from-extern',
                    'voicemail_name': 'Eve',
                    'voicemail_number': '1160',
                    'voicemail_context': 'default',
                }
            ]
        ),
    )

    assert response.status_code == 200, response.text
    entry = response.json()['updated'][0]
    assert all(
        entry[key] is not None
        for key in ('line_id', 'sccp_id', 'extension_id', 'incall_id', 'voicemail_id')
    )
    after = next(r for r in parse(export(server).text) if r['uuid'] == eve['uuid'])
    assert (
        after['exten'],
        after['incall_exten'],
        after['voicemail_number'],
        after['cti_profile_enabled'],
    ) == ('1160', '2160', '1160', '1')
    assert entry['changed'] == [  # every cell but the uuid: she had none of them
        'username',
        'password',
        'cti_profile_name',
        'cti_profile_enabled',
        'exten',
        'context',
        'line_protocol',
        'incall_exten',
        'incall_context',
        'voicemail_name',
        'voicemail_number',
        'voicemail_context',
    ]
    summary = response.json()['summary']
    assert summary['created'] == {
        'extension': 2,
        'incall': 1,
        'line': 1,
        'sccp_endpoint': 1,
        'voicemail': 1,
    }
    assert summary['associated'] == {
        'incall_extension': 1,
        'line_extension': 1,
        'user_line': 1,
        'user_voicemail': 1,
    }
    assert names(bus.messages(expected=12)) == [
        'user_edited',
        'user_cti_profile_edited',
        'line_created',
        'sccp_endpoint_created',
        'extension_created',
        'user_line_associated',
        'line_extension_associated',
        'incall_created',
        'extension_created',
        'incall_extension_associated',
        'voicemail_created',
        'user_voicemail_associated',
    ]


def test_user_without_voicemail_is_given_an_existing_one(server, seeded, bus):
    eve = seeded['Eve']
    response = put(
        server,
        make_csv(
            [
                {
                    'uuid': eve['uuid'],
                    'voicemail_name': 'ignored',
                    'voicemail_number': '1199',
                    'voicemail_context': 'default',
                }
            ]
        ),
    )

    assert response.status_code == 200, response.text
    entry = response.json()['updated'][0]
    assert entry['reused'] == ['voicemail']
    assert names(bus.messages(expected=1)) == ['user_voicemail_associated']
    after = next(r for r in parse(export(server).text) if r['uuid'] == eve['uuid'])
    assert after['voicemail_name'] == 'Team'


def test_shared_voicemail_edited_the_same_way_by_two_rows(server, seeded, bus):
    rows = [
        {'uuid': seeded[name]['uuid'], 'voicemail_name': 'Sales'}
        for name in ('Bob\nthe "second"', 'Carol')
    ]
    response = put(server, make_csv(rows))
    assert response.status_code == 200, response.text
    assert names(bus.messages(expected=1)) == ['voicemail_edited']

    rows[1]['voicemail_name'] = 'Support'
    response = put(server, make_csv(rows))
    assert errors_of(response) == [
        (
            2,
            'voicemail_name',
            'voicemail_name: line 2 (Bob\nthe "second" =SUM(A1:A9)) edits the same '
            'shared voicemail with other values: give both rows the same voicemail cells',
        )
    ]


def test_uniqueness_against_other_users(server, seeded):
    alice, carol = seeded['Alice'], seeded['Carol']
    response = put(
        server,
        make_csv(
            [
                {
                    'uuid': carol['uuid'],
                    'email': 'ALICE@example.com',
                    'username': 'alice',
                    **phone('1100'),
                }
            ]
        ),
    )

    assert {column for _, column, _ in errors_of(response)} == {
        'email',
        'username',
        'exten',
    }
    # a number alone, in the context the user's resource keeps: looked up as that pair
    # (it once passed the checks and failed the write with a 409 naming no row)
    halves = [
        {'uuid': seeded['Bob\nthe "second"']['uuid'], 'exten': '1100'},
        {'uuid': carol['uuid'], 'incall_exten': '2101'},
        {'uuid': alice['uuid'], 'voicemail_number': '1199'},
    ]
    assert [errors_of(put(server, make_csv([row]))) for row in halves] == [
        [
            (
                1,
                'exten',
                'exten: 1100@default is already used by the line of Alice Martin (1100): '
                'choose a free number',
            )
        ],
        [
            (
                1,
                'incall_exten',
                'incall_exten: 2101@from-extern is already used by an incall to Alice '
                'Martin (1100): choose a free number',
            )
        ],
        [
            (
                1,
                'voicemail_number',
                "voicemail_number: voicemail 1199@default already exists: the user's "
                'voicemail cannot take its number',
            )
        ],
    ]
    # a user keeps its own values without conflict
    same = put(
        server,
        make_csv(
            [
                {
                    'uuid': alice['uuid'],
                    'email': alice['email'],
                    'username': 'alice',
                    'exten': '1100',
                    'sip_username': 'alice-desk',
                    'provisioning_code': '123456',
                }
            ]
        ),
    )
    assert same.status_code == 200, same.text


def test_uuid_rules(server, seeded):
    no_column = put(server, make_csv([{'firstname': 'X'}]))
    assert no_column.status_code == 400
    assert 'an update needs a uuid column' in no_column.json()['errors'][0]['message']

    response = put(
        server,
        make_csv(
            [
                {'uuid': '', 'firstname': 'A'},
                {'uuid': '6f0a9c1e-4f4b-4f5e-9a53-0b1a2c3d4e5f', 'firstname': 'B'},
                {'uuid': seeded['Eve']['uuid'], 'firstname': 'C'},
                {'uuid': seeded['Eve']['uuid'].upper(), 'firstname': 'D'},
            ]
        ),
    )
    assert errors_of(response) == [
        (1, 'uuid', 'uuid: is required on update: it selects the user'),
        (2, 'uuid', 'uuid: no user has uuid 6f0a9c1e-4f4b-4f5e-9a53-0b1a2c3d4e5f'),
        (
            4,
            'uuid',
            'uuid: line 4 (C) already updates this user: merge the two rows (one row per '
            'user)',
        ),
    ]


def test_update_needs_its_acl(server, seeded):
    body = make_csv([{'uuid': seeded['Eve']['uuid'], 'lastname': 'X'}])
    assert put(server, body, token='import-only').status_code == 401
    assert put(server, body, token='').status_code == 401


def test_dry_run_update(server, seeded, bus):
    before = export(server).content
    response = put(
        server,
        make_csv([{'uuid': seeded['Eve']['uuid'], 'lastname': 'X'}]),
        dry_run='true',
    )

    assert response.status_code == 200, response.text
    assert response.json()['dry_run'] is True
    assert len(response.json()['updated']) == 1
    assert export(server).content == before
    assert bus.messages() == []


def test_round_trip_on_sqlite(lite):
    assert lite.post(make_csv(VARIED)).status_code == 201
    before = lite.get('/users/export').content
    response = put(lite, before)
    assert response.status_code == 200, response.text
    assert lite.get('/users/export').content == before
