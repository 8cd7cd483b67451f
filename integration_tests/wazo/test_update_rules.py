# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The rules of an update inside the real wazo-confd, as the standalone host's test_update.py
checks them: the uuid column and its rows, what cannot be emptied, values other users hold,
several incalls, shared voicemails, and what an update may do (keep its own values, replace,
empty or keep call permissions, take an existing voicemail). Many requests per database."""

import csv
import io
import time

from wazo_confd_users_csv_testing.standins import MASTER

from .differential import snapshot
from .test_update import export_text, import_full, user_by_name

# beside FULL's Alice, Bob, Carol and Dave: a user with two incalls, two sharing a voicemail
MORE = (
    'firstname,incall_exten,incall_context,voicemail_name,voicemail_number,'
    'voicemail_context\n'
    'Eve,1100;1101,from-extern;from-extern,,,\n'
    'Gus,,,Team,1099,default\n'
    'Hal,,,Team,1099,default\n'
)


def codes_of(response):
    return [
        (e['details'].get('row_number'), e['details']['column'], e['details']['code'])
        for e in response.json()['errors']
    ]


def setup_users(confd, bus):
    import_full(confd, bus)
    assert confd.post_csv(MORE, tenant=MASTER).status_code == 201
    bus.drain(expected=14, timeout=10)
    bus.messages.clear()
    text = export_text(confd)
    return text, {row['firstname']: row for row in csv.DictReader(io.StringIO(text))}


def file_of(*rows, exported=None):
    """A file of these rows; a column a row lacks holds that user's exported value (as an
    export edited in a spreadsheet would), or nothing."""
    header = list(dict.fromkeys(name for row in rows for name in row))
    by_uuid = {row['uuid']: row for row in (exported or {}).values()}
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator='\n', extrasaction='ignore')
    writer.writeheader()
    for row in rows:
        writer.writerow(dict(by_uuid.get(row.get('uuid'), {}), **row))
    return out.getvalue()


def test_every_refusal_of_an_update_names_its_row_and_nothing_is_written(confd, bus):
    _, exported = setup_users(confd, bus)
    alice, eve = exported['Alice'], exported['Eve']
    before = snapshot(confd)
    logins = {uuid: dict(user) for uuid, user in confd.auth.auth_users.items()}

    def uuid(name, **cells):
        return dict({'uuid': exported[name]['uuid']}, **cells)

    def rows_csv(*rows):
        return file_of(*rows, exported=exported)

    refused = {
        'uuid rules': (
            rows_csv(
                {'uuid': '', 'firstname': 'A'},
                {'uuid': '0b6c3bb5-8f3e-4a3c-9a0e-6c5d2f1e0a11', 'firstname': 'B'},
                uuid('Eve', firstname='C'),
                {'uuid': eve['uuid'].upper(), 'firstname': 'D'},
            ),
            [
                (1, 'uuid', 'required'),
                (2, 'uuid', 'unknown_user'),
                (4, 'uuid', 'duplicate_in_file'),
            ],
        ),
        'several incalls': (
            rows_csv(
                uuid(
                    'Eve',
                    incall_exten='1100;1102',
                    incall_context='from-extern;from-extern',
                ),
                # one incall that would become two, without the ring column
                uuid(
                    'Alice',
                    incall_exten='1000;1005',
                    incall_context='from-extern;from-extern',
                ),
                uuid('Eve', incall_exten='1100', incall_context='from-extern'),
            ),
            [
                (1, 'incall_exten', 'several_incalls'),
                (2, 'incall_exten', 'several_incalls'),
                (3, 'uuid', 'duplicate_in_file'),
            ],
        ),
        # the ring times alone of a user with several incalls: refused as well
        'several incalls, ring times only': (
            rows_csv(uuid('Eve', incall_ring_seconds='5;5')),
            [(1, 'incall_exten', 'several_incalls')],
        ),
        'misaligned': (
            rows_csv(uuid('Eve', incall_exten='1100;1101;1102')),
            [(1, 'incall_context', 'misaligned')],
        ),
        'values of other users': (
            rows_csv(
                uuid(
                    'Carol',
                    email='ALICE@example.com',
                    username='ALICE',
                    exten='1000',
                    provisioning_code=alice['provisioning_code'],
                    sip_secret='x',
                ),
            ),
            [
                (1, 'email', 'taken'),
                (1, 'username', 'taken'),
                (1, 'sip_secret', 'sip_only'),
                (1, 'provisioning_code', 'taken'),
                (1, 'exten', 'taken'),
            ],
        ),
        'a SIP username of another user': (
            rows_csv(uuid('Bob', sip_username=alice['sip_username'])),
            [(1, 'sip_username', 'taken')],
        ),
        'voicemails': (
            rows_csv(
                uuid('Gus', voicemail_name='Sales'),
                uuid('Hal', voicemail_name='Support'),
                uuid('Alice', voicemail_number='1099', voicemail_delete_messages='1'),
            ),
            [
                (2, 'voicemail_name', 'conflict_in_file'),
                (3, 'voicemail_delete_messages', 'email_required'),
                (3, 'voicemail_number', 'taken'),
            ],
        ),
        'contexts, ranges and names': (
            rows_csv(
                uuid('Alice', exten='5000', call_permissions='gold'),
                uuid('Bob', context='from-extern'),
                uuid('Carol', line_protocol='sip'),
            ),
            [
                (1, 'exten', 'out_of_range'),
                (1, 'call_permissions', 'unknown_call_permission'),
                (2, 'context', 'wrong_context_type'),
                (3, 'line_protocol', 'protocol_change'),
            ],
        ),
    }
    refused.update(
        {
            f'{column} emptied': (
                rows_csv(uuid('Alice', **{column: ''})),
                [(1, column, 'required')],
            )
            for column in (
                'firstname',
                'exten',
                'context',
                'line_protocol',
                'voicemail_name',
                'voicemail_number',
                'voicemail_context',
                'incall_exten',
                'incall_context',
            )
        }
    )

    for case, (body, expected) in refused.items():
        response = confd.put_csv(body, tenant=MASTER)
        assert response.status_code == 400, (case, response.text)
        assert codes_of(response) == expected, case
        if case.endswith('emptied'):
            assert 'cannot be emptied' in response.json()['errors'][0]['message']
    no_uuid = confd.put_csv('firstname\nX\n', tenant=MASTER)
    assert no_uuid.status_code == 400
    assert 'an update needs a uuid column' in no_uuid.json()['errors'][0]['message']
    not_allowed = confd.put_csv(
        rows_csv(uuid('Dave', lastname='X')), token='import-token', tenant=MASTER
    )
    assert not_allowed.status_code == 401

    assert snapshot(confd) == before
    assert confd.auth.auth_users == logins
    time.sleep(1.5)  # the relay's interval: anything sent would be here
    assert bus.drain() == []


def test_what_an_update_may_do_with_its_own_values_permissions_and_voicemails(
    confd, bus
):
    _, exported = setup_users(confd, bus)
    alice = exported['Alice']

    def put(*rows):
        response = confd.put_csv(file_of(*rows), tenant=MASTER)
        assert response.status_code == 200, response.text
        return response.json()['updated']

    def permissions_of(name):
        return sorted(p['name'] for p in user_by_name(confd, name)['call_permissions'])

    # a user keeps its own values, in any case
    own = {
        'uuid': alice['uuid'],
        'username': 'Alice',
        'exten': '1000',
        'sip_username': alice['sip_username'],
        'provisioning_code': alice['provisioning_code'],
    }
    assert put(own)[0]['outcome'] in ('updated', 'unchanged')
    # call permissions: absent kept, present replaced, empty cleared
    put({'uuid': alice['uuid'], 'lastname': 'Smith'})
    assert permissions_of('Alice') == ['internal', 'international']
    put({'uuid': alice['uuid'], 'call_permissions': 'international'})
    assert permissions_of('Alice') == ['international']
    put({'uuid': alice['uuid'], 'call_permissions': ''})
    assert permissions_of('Alice') == []
    # an empty cell: the default, or no value
    [entry] = put({'uuid': alice['uuid'], 'ring_seconds': '', 'lastname': ''})
    assert entry['changed'] == ['ring_seconds', 'lastname']
    view = user_by_name(confd, 'Alice')
    assert (view['ring_seconds'], view['lastname']) == (30, None)
    # two users of one voicemail may edit it the same way
    bus.drain(timeout=2)
    bus.messages.clear()
    put(
        {'uuid': exported['Gus']['uuid'], 'voicemail_name': 'Sales'},
        {'uuid': exported['Hal']['uuid'], 'voicemail_name': 'Sales'},
    )
    assert bus.names(expected=3).count('voicemail_edited') == 1
    # a user without a voicemail takes an existing one by its number
    [dave] = put(
        {
            'uuid': exported['Dave']['uuid'],
            'voicemail_name': 'ignored',
            'voicemail_number': '1099',
            'voicemail_context': 'default',
        }
    )
    assert dave['reused'] == ['voicemail']
    assert user_by_name(confd, 'Dave')['voicemail']['name'] == 'Sales'
    # several incalls sent back as exported are left as they are
    [eve] = put(
        {
            key: exported['Eve'][key]
            for key in ('uuid', 'incall_exten', 'incall_context', 'incall_ring_seconds')
        }
    )
    assert (eve['outcome'], eve['changed']) == ('unchanged', [])
