# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The same changes made by confd's own single-resource requests (PUT /users, /extensions,
/endpoints/sip, /lines, /voicemails, /incalls, user call permissions) and by one CSV update,
each on a clone of the same database: the same rows in every table, the same REST views, the
same events (names, order, headers and payload keys).

Where they differ on purpose (docs/decisions.md), the test says so:
* a renamed user's default caller id follows the new name; confd keeps the old one unless the
  PUT also sends `caller_id`, which the confd side here does, as wazo-ui does;
* an incall's ring time is stored "30" (as imports store it), confd's incall PUT stores "30.0";
* a changed SIP auth option is updated in place; confd's PUT deletes and re-inserts the auth
  section's options under new uuids.
"""

import json
import time

from sqlalchemy.exc import OperationalError

from wazo_confd_users_csv_testing.schema import admin as psql_admin
from wazo_confd_users_csv_testing.schema import drop
from wazo_confd_users_csv_testing.standins import MASTER

from .differential import snapshot, views
from .test_differential import FILE, permissions
from .test_update import edited, export_text


def fork(confd, count):
    """`count` clones of confd's database as it is now."""
    source = confd.db_name
    names = [f'{source}_{n}' for n in range(count)]
    admin = psql_admin()
    try:
        for name in names:
            for attempt in range(20):  # the relay may connect again between the two
                with admin.connect() as connection:
                    connection.exec_driver_sql(
                        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                        f"WHERE datname = '{source}' AND pid <> pg_backend_pid()"
                    )
                    try:
                        connection.exec_driver_sql(
                            f'CREATE DATABASE "{name}" TEMPLATE "{source}"'
                        )
                        break
                    except OperationalError:
                        time.sleep(0.1)
            else:
                raise AssertionError(f'could not clone {source}')
    finally:
        admin.dispose()
    return names


def confd_requests(confd, users):
    """The changes of CHANGES, made as an administrator would with confd's own API, in the
    order the CSV update announces them (row by row)."""
    alice, bob, carol, dave = (
        users[name] for name in ('Alice', 'Bob', 'Carol', 'Dave')
    )

    def call(method, path, body=None):
        response = confd.request(method, path, tenant=MASTER, json=body)
        assert response.status_code in (200, 201, 204), (method, path, response.text)

    alice_line = alice['lines'][0]
    call(
        'PUT',
        f'/users/{alice["uuid"]}',
        {'firstname': 'Alicia', 'ring_seconds': 30, 'caller_id': '"Alicia Smith"'},
    )
    call(
        'PUT',
        f'/endpoints/sip/{alice_line["endpoint_sip"]["uuid"]}',
        {'auth_section_options': [['username', 'alicesip'], ['password', 'newsecret']]},
    )
    call(
        'PUT',
        f'/extensions/{alice_line["extensions"][0]["id"]}',
        {'exten': '1010', 'context': 'default'},
    )
    call('PUT', f'/voicemails/{alice["voicemail"]["id"]}', {'name': 'Alicia VM'})
    call(
        'PUT',
        f'/incalls/{alice["incalls"][0]["id"]}',
        {'destination': {'type': 'user', 'user_id': alice['id'], 'ring_time': 30}},
    )
    international = [
        p
        for p in confd.get('/callpermissions', tenant=MASTER).json()['items']
        if p['name'] == 'international'
    ][0]
    call('DELETE', f'/users/{alice["uuid"]}/callpermissions/{international["id"]}')
    bob_sip = bob['lines'][0]['endpoint_sip']['uuid']
    call(
        'PUT',
        f'/endpoints/sip/{bob_sip}',
        {
            'name': 'bobsip',
            'auth_section_options': [['username', 'bobsip'], ['password', 'bobsecret']],
        },
    )
    call('PUT', f'/lines/{carol["lines"][0]["id"]}', {'provisioning_code': '654321'})
    call(
        'PUT',
        f'/users/{dave["uuid"]}',
        {'mobile_phone_number': '5550000', 'call_transfer_enabled': True},
    )
    call('PUT', f'/users/{dave["uuid"]}/callpermissions/{international["id"]}')


CHANGES = {
    'Alice': {
        'firstname': 'Alicia',
        'ring_seconds': '30',
        'sip_secret': 'newsecret',
        'exten': '1010',
        'voicemail_name': 'Alicia VM',
        'incall_ring_seconds': '30',
        'call_permissions': 'internal',
    },
    'Bob': {'sip_username': 'bobsip', 'sip_secret': 'bobsecret'},
    'Carol': {'provisioning_code': '654321'},
    'Dave': {
        'mobile_phone_number': '5550000',
        'call_transfer_enabled': '1',
        'call_permissions': 'international',
    },
    'Erin': {
        'voicemail_name': 'Alicia VM'
    },  # she shares Alice's voicemail: the same cells
}


def normalised(tables):
    """Rows by table, the deliberate differences (module docstring) set aside."""
    out = {}
    for table, rows in tables.items():
        found = []
        for row in rows:
            row = dict(row)
            if table == 'endpoint_sip_section_option':
                row.pop('uuid')  # confd re-inserts a section's options under new uuids
            if (
                table == 'dialaction'
                and row['category'] == 'incall'
                and row['actionarg2']
            ):
                row['actionarg2'] = str(int(float(row['actionarg2'])))  # "30.0" is 30
            found.append(json.dumps(row, sort_keys=True, default=str))
        out[table] = sorted(found)
    return out


def test_a_csv_update_changes_what_confds_own_requests_change(confd, bus):
    permissions(confd)
    assert confd.post_csv(FILE, tenant=MASTER).status_code == 201
    # queue memberships follow a line's new SIP name and number (xivo-dao's LineFixes)
    queue = confd.request(
        'POST', '/queues', tenant=MASTER, json={'name': 'support'}
    ).json()
    for name in ('Alice', 'Bob'):
        uuid = [
            user['uuid']
            for user in confd.get('/users?recurse=false', tenant=MASTER).json()['items']
            if user['firstname'] == name
        ][0]
        response = confd.request(
            'PUT', f'/queues/{queue["id"]}/members/users/{uuid}', tenant=MASTER, json={}
        )
        assert response.status_code == 204, response.text
    text = export_text(confd)
    users = {
        user['firstname']: confd.get(f'/users/{user["uuid"]}', tenant=MASTER).json()
        for user in confd.get('/users?recurse=false', tenant=MASTER).json()['items']
    }
    bus.drain(expected=48, timeout=10)
    home = confd.db_name
    theirs, ours = fork(confd, 2)
    try:
        confd.use_database(theirs)
        bus.messages.clear()
        confd.sysconfd.requests.clear()
        confd_requests(confd, users)
        their_events = bus.drain(expected=12, timeout=10)
        their_reloads = {
            command
            for request in confd.sysconfd.requests
            for command in (request[3] or {}).get('ipbx', [])
        }
        their_tables, their_views = snapshot(confd), views(confd, MASTER)

        confd.use_database(ours)
        bus.messages.clear()
        confd.sysconfd.requests.clear()
        response = confd.put_csv(edited(text, CHANGES), tenant=MASTER)
        assert response.status_code == 200, response.text
        bus.drain(expected=len(their_events), timeout=10)
        time.sleep(1)  # anything more would be here
        our_events = bus.drain()
        our_reloads = {
            command
            for request in confd.sysconfd.requests
            for command in (request[3] or {}).get('ipbx', [])
        }
        our_tables, our_views = snapshot(confd), views(confd, MASTER)
    finally:
        confd.use_database(home)  # the fixture drops its own database
        for name in (theirs, ours):
            drop(name)

    assert sorted(row['interface'] for row in our_tables['queuemember']) == [
        'PJSIP/alicesip',
        'PJSIP/bobsip',
    ]
    their_rows, our_rows = normalised(their_tables), normalised(our_tables)
    for table in their_rows:
        assert our_rows[table] == their_rows[table], table
    assert our_views == their_views
    assert [h['name'] for h, _ in our_events] == [h['name'] for h, _ in their_events]
    for (our_headers, our_body), (their_headers, their_body) in zip(
        our_events, their_events
    ):
        name = our_headers['name']
        assert sorted(our_headers) == sorted(their_headers), name
        assert {key: our_headers[key] for key in our_headers if key != 'timestamp'} == {
            key: their_headers[key] for key in their_headers if key != 'timestamp'
        }, name
        assert our_body['data'] == their_body['data'], name
    assert len(our_events) == 12
    assert our_reloads == their_reloads
