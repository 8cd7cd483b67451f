# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Update (PUT /1.1/users/import) inside the real wazo-confd: Wazo's own users, by uuid,
within the request's tenant; read back through confd's REST API and its bus."""

import csv
import io
import time

from wazo_confd_users_csv_testing.standins import MASTER, SUB

from .differential import snapshot
from .test_export import exported  # noqa: F401  (a fixture)
from .test_import import FULL, permissions


def export_text(confd, tenant=MASTER):
    response = confd.request(
        'GET',
        '/users/export',
        tenant=tenant,
        headers={'Accept': 'text/csv; charset=utf-8'},
    )
    assert response.status_code == 200, response.text
    return response.text


def edited(text, changes, columns=None):
    """The export `text` with {firstname: {column: value}} applied (and only `columns`)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    names = columns or list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, names, extrasaction='ignore', lineterminator='\n')
    writer.writeheader()
    for row in rows:
        row.update(changes.get(row['firstname'], {}))
        writer.writerow(row)
    return out.getvalue()


def import_full(confd, bus=None):
    permissions(confd, 'internal', 'international')
    assert confd.post_csv(FULL, tenant=MASTER).status_code == 201
    if bus is not None:
        # the import's 31 and the 2 call_permission_created: they may come in any order
        bus.drain(expected=33, timeout=10)
        bus.messages.clear()
    return export_text(confd)


def user_by_name(confd, firstname, tenant=MASTER):
    found = [
        user
        for user in confd.get('/users?recurse=false', tenant=tenant).json()['items']
        if user['firstname'] == firstname
    ]
    assert len(found) == 1, found
    return confd.get(f'/users/{found[0]["uuid"]}', tenant=tenant).json()


def test_an_export_put_back_unchanged_changes_nothing_and_sends_nothing(confd, bus):
    text = import_full(confd, bus)
    before = snapshot(confd)
    confd.sysconfd.requests.clear()
    confd.auth.requests.clear()

    response = confd.put_csv(text, tenant=MASTER)

    assert response.status_code == 200, response.text
    assert [
        (entry['row_number'], entry['outcome'], entry['changed'])
        for entry in response.json()['updated']
    ] == [(n, 'unchanged', []) for n in (1, 2, 3, 4)]
    summary = response.json()['summary']
    assert (summary['users'], summary['updated'], summary['events']) == (
        {'updated': 0, 'unchanged': 4},
        {},
        0,
    )
    assert snapshot(confd) == before
    time.sleep(1.5)  # the relay's interval: anything sent would be here
    assert bus.drain() == []
    assert confd.sysconfd.requests == []
    assert [
        request[0] for request in confd.auth.requests if '/users' in request[1]
    ] == [
        'GET'
    ]  # the logins are read, never written


def test_changes_reach_confd_views_and_send_confd_events_for_what_changed(confd, bus):
    text = import_full(confd, bus)
    ids = {
        item['name']: item['id']
        for item in confd.get('/callpermissions', tenant=MASTER).json()['items']
    }
    confd.sysconfd.requests.clear()

    response = confd.put_csv(
        edited(
            text,
            {
                'Alice': {
                    'firstname': 'Alicia',
                    'exten': '1010',
                    'sip_secret': 'newsecret',
                    'voicemail_name': 'Alicia VM',
                    'incall_ring_seconds': '30',
                    'call_permissions': 'internal',
                },
                'Carol': {'provisioning_code': '654321'},
            },
        ),
        tenant=MASTER,
    )

    assert response.status_code == 200, response.text
    alicia = user_by_name(confd, 'Alicia')
    line = confd.get(f'/lines/{alicia["lines"][0]["id"]}', tenant=MASTER).json()
    assert line['extensions'][0]['exten'] == '1010'
    sip = confd.get(
        f'/endpoints/sip/{line["endpoint_sip"]["uuid"]}', tenant=MASTER
    ).json()
    assert ['password', 'newsecret'] in sip['auth_section_options']
    assert ['callerid', '"Alicia Smith" <1010>'] in sip['endpoint_section_options']
    assert alicia['caller_id'] == '"Alicia Smith"'
    voicemail = confd.get(
        f'/voicemails/{alicia["voicemail"]["id"]}', tenant=MASTER
    ).json()
    assert voicemail['name'] == 'Alicia VM'
    incall = confd.get(f'/incalls/{alicia["incalls"][0]["id"]}', tenant=MASTER).json()
    assert incall['destination']['ring_time'] == 30
    holders = {
        name: [
            user['uuid']
            for user in confd.get(f'/callpermissions/{cp_id}', tenant=MASTER).json()[
                'users'
            ]
        ]
        for name, cp_id in ids.items()
    }
    assert holders == {'internal': [alicia['uuid']], 'international': []}
    carol = user_by_name(confd, 'Carol')
    assert (
        confd.get(f'/lines/{carol["lines"][0]["id"]}', tenant=MASTER).json()[
            'provisioning_code'
        ]
        == '654321'
    )
    names = bus.names(expected=8, timeout=10)
    assert names == [
        'user_edited',
        'sip_endpoint_edited',
        'extension_edited',
        'voicemail_edited',
        'user_voicemail_edited',
        'incall_edited',
        'user_call_permission_dissociated',
        'line_edited',
    ]
    changed = {
        entry['row_number']: entry['changed'] for entry in response.json()['updated']
    }
    assert changed == {
        1: [
            'firstname',
            'voicemail_name',
            'sip_secret',
            'exten',  # file order
            'call_permissions',
            'incall_ring_seconds',
        ],
        2: [],
        3: ['provisioning_code'],
        4: [],
    }
    summary = response.json()['summary']
    assert summary['users'] == {'updated': 2, 'unchanged': 2}
    assert summary['updated'] == {
        'extension': 1,
        'incall': 1,
        'line': 1,
        'sip_endpoint': 1,
        'user': 1,
        'user_voicemail': 1,
        'voicemail': 1,
    }
    assert summary['dissociated'] == {'user_call_permission': 1}
    handlers = [
        request[3]
        for request in confd.sysconfd.requests
        if request[1].endswith('/exec_request_handlers')
    ]
    assert len(handlers) == 1  # one reload request for the file
    assert set(handlers[0]['ipbx']) >= {
        'dialplan reload',
        'voicemail reload',
        'module reload res_pjsip.so',
    }


def test_one_tenant_only_and_a_sub_tenant_token_cannot_reach_the_other(confd, bus):
    assert confd.post_csv('firstname\nMia\n', tenant=MASTER).status_code == 201
    assert confd.post_csv('firstname\nSue\n', tenant=SUB).status_code == 201
    mia = user_by_name(confd, 'Mia')
    sue = user_by_name(confd, 'Sue', tenant=SUB)
    body = f'uuid,firstname\n{mia["uuid"]},Mia2\n{sue["uuid"]},Sue2\n'

    # the master tenant's request: Sue is another tenant's user, an error on her row
    response = confd.put_csv(body, tenant=MASTER)
    assert response.status_code == 400, response.text
    [error] = response.json()['errors']
    assert (
        error['details']['code'],
        error['details']['column'],
        error['details']['row_number'],
    ) == ('unknown_user', 'uuid', 2)
    # a sub-tenant token: the master tenant is refused as confd refuses it
    assert confd.put_csv(body, token='sub-token', tenant=MASTER).status_code == 401
    # within its own tenant, Mia does not exist
    response = confd.put_csv(body, token='sub-token', tenant=SUB)
    assert [e['details']['row_number'] for e in response.json()['errors']] == [1]
    # nothing was written by the refused files
    assert user_by_name(confd, 'Mia')['firstname'] == 'Mia'
    assert user_by_name(confd, 'Sue', tenant=SUB)['firstname'] == 'Sue'
    # its own user, with its own token
    response = confd.put_csv(
        f'uuid,firstname\n{sue["uuid"]},Sue2\n', token='sub-token', tenant=SUB
    )
    assert response.status_code == 200, response.text
    assert user_by_name(confd, 'Sue2', tenant=SUB)['uuid'] == sue['uuid']
    assert confd.put_csv(body, token='import-token', tenant=MASTER).status_code == 401


def test_every_problem_of_the_file_at_once_and_nothing_written(confd, bus):
    text = import_full(confd, bus)
    before = snapshot(confd)

    response = confd.put_csv(
        edited(
            text,
            {
                'Alice': {'line_protocol': 'sccp', 'firstname': 'Alicia'},
                'Bob': {'firstname': ''},
                'Carol': {'exten': '1000'},  # Alice's number
                'Dave': {'ring_seconds': 'often'},
            },
        ),
        tenant=MASTER,
    )

    assert response.status_code == 400, response.text
    found = [
        (e['details']['row_number'], e['details']['column'], e['details']['code'])
        for e in response.json()['errors']
    ]
    assert found == [
        (1, 'line_protocol', 'protocol_change'),
        (2, 'firstname', 'required'),
        (3, 'exten', 'taken'),
        (4, 'ring_seconds', 'invalid'),
    ]
    assert snapshot(confd) == before
    time.sleep(1.5)
    assert bus.drain() == []


def test_logins_follow_the_rows_in_wazo_auth(confd):
    text = import_full(confd)
    alice = user_by_name(confd, 'Alice')

    response = confd.put_csv(
        edited(
            text,
            {
                'Alice': {
                    'username': 'alice2',
                    'password': 'newpass12',
                    'email': 'alicia@example.com',
                    'lastname': 'Jones',
                },
            },
            columns=['uuid', 'firstname', 'lastname', 'email', 'username', 'password'],
        ),
        tenant=MASTER,
    )

    assert response.status_code == 200, response.text
    assert response.json()['updated'][0]['changed'] == [
        'lastname',
        'email',
        'username',
        'password',
    ]
    login = confd.auth.auth_users[alice['uuid']]
    assert (login['username'], login['lastname'], login['enabled']) == (
        'alice2',
        'Jones',
        True,
    )
    assert login['emails'] == [
        {'address': 'alicia@example.com', 'main': True, 'confirmed': True}
    ]
    assert (login['password_set'], confd.auth.password_resets) == (True, 1)
    assert confd.auth.user_edits == 1  # the other rows' logins are unchanged: not sent
    assert user_by_name(confd, 'Alice')['email'] == 'alicia@example.com'


def test_a_login_taken_by_another_user_is_an_error_on_its_row(confd):
    text = import_full(confd)

    response = confd.put_csv(
        edited(
            text,
            {'Bob': {'username': 'alice'}},
            columns=['uuid', 'firstname', 'username'],
        ),
        tenant=MASTER,
    )

    assert response.status_code == 400, response.text
    [error] = response.json()['errors']
    assert (
        error['details']['code'],
        error['details']['row_number'],
        error['details']['column'],
    ) == ('taken', 2, 'username')


def test_wazo_auth_failing_midway_leaves_everything_as_it_was(confd, bus):
    text = import_full(confd, bus)
    before = snapshot(confd)
    logins = {uuid: dict(user) for uuid, user in confd.auth.auth_users.items()}
    confd.auth.fail_edits = True

    response = confd.put_csv(
        edited(text, {'Alice': {'lastname': 'Jones'}, 'Bob': {'username': 'bobby'}}),
        tenant=MASTER,
    )

    assert response.status_code == 503, response.text
    assert snapshot(confd) == before
    assert confd.auth.auth_users == logins
    time.sleep(1.5)
    assert bus.drain() == []


def test_a_user_made_by_confd_itself_is_updated_from_the_export(confd):
    made = confd.request(
        'POST', '/users', tenant=MASTER, json={'firstname': 'Rest', 'lastname': 'Made'}
    ).json()
    text = export_text(confd)

    response = confd.put_csv(
        edited(
            text, {'Rest': {'lastname': 'Changed', 'mobile_phone_number': '+33123'}}
        ),
        tenant=MASTER,
    )

    assert response.status_code == 200, response.text
    view = confd.get(f'/users/{made["uuid"]}', tenant=MASTER).json()
    assert (view['lastname'], view['mobile_phone_number']) == ('Changed', '+33123')
    assert made['uuid'] not in confd.auth.auth_users  # no login asked: none made


def test_a_user_gets_a_phone_voicemail_and_incall_by_update(confd, bus):
    assert confd.post_csv('firstname\nDave\n', tenant=MASTER).status_code == 201
    dave = user_by_name(confd, 'Dave')
    bus.drain(expected=1, timeout=10)
    bus.messages.clear()

    response = confd.put_csv(
        'uuid,exten,context,line_protocol,voicemail_name,voicemail_number,voicemail_context,'
        'incall_exten,incall_context\n'
        f'{dave["uuid"]},1005,default,sip,Dave VM,1005,default,1005,from-extern\n',
        tenant=MASTER,
    )

    assert response.status_code == 200, response.text
    dave = user_by_name(confd, 'Dave')
    line = confd.get(f'/lines/{dave["lines"][0]["id"]}', tenant=MASTER).json()
    assert line['extensions'][0]['exten'] == '1005'
    assert line['endpoint_sip'] is not None
    assert dave['voicemail']['id'] is not None and len(dave['incalls']) == 1
    names = bus.names(expected=13, timeout=10)
    assert 'user_created' not in names and 'user_edited' not in names
    assert names[:3] == ['voicemail_created', 'line_created', 'extension_created']
    assert 'user_voicemail_associated' in names and 'user_line_associated' in names


def test_an_export_without_secrets_put_back_keeps_the_secrets(confd, bus):
    import_full(confd, bus)
    response = confd.request(
        'GET',
        '/users/export',
        token='export-token',
        tenant=MASTER,
        headers={'Accept': 'text/csv; charset=utf-8'},
    )
    rows = {row['firstname']: row for row in csv.DictReader(io.StringIO(response.text))}
    assert rows['Alice']['sip_secret'] == rows['Alice']['voicemail_password'] == ''
    before = snapshot(confd)

    response = confd.put_csv(response.text, tenant=MASTER)

    assert response.status_code == 200, response.text
    assert snapshot(confd) == before
    time.sleep(1.5)
    assert bus.drain() == []


def test_a_dry_run_checks_everything_and_writes_nothing(confd, bus):
    text = import_full(confd, bus)
    before = snapshot(confd)
    logins = {uuid: dict(user) for uuid, user in confd.auth.auth_users.items()}

    response = confd.request(
        'PUT',
        '/users/import?dry_run=true',
        tenant=MASTER,
        data=edited(
            text, {'Alice': {'lastname': 'Dry', 'username': 'dry', 'exten': '1011'}}
        ).encode(),
        headers={'Content-Type': 'text/csv; charset=utf-8'},
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body['dry_run'] is True and len(body['updated']) == 4
    assert snapshot(confd) == before
    assert confd.auth.auth_users == logins
    time.sleep(1.5)
    assert bus.drain() == []
