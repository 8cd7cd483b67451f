# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Import inside the real wazo-confd: Wazo's own users, read back through confd's REST API."""

import os
import time

from wazo_confd_users_csv_testing.standins import MASTER, SUB

EXAMPLES = os.path.join(os.path.dirname(__file__), '..', '..', 'examples')

FULL = (
    'firstname,lastname,email,username,password,language,ring_seconds,userfield,'
    'subscription_type,exten,context,line_protocol,sip_username,sip_secret,voicemail_name,'
    'voicemail_number,voicemail_context,voicemail_password,incall_exten,incall_context,'
    'incall_ring_seconds,call_permissions\n'
    'Alice,Smith,alice@example.com,alice,secret12,en_US,25,uf-a,2,1000,default,sip,'
    'alicesip,alicesecret,Alice VM,1000,default,4321,1000,from-extern,25,'
    'internal;international\n'
    'Bob,Webrtc,,,,,,,,1001,default,webrtc,,,,,,,,,,\n'
    'Carol,Sccp,,,,,,,,1002,default,sccp,,,,,,,,,,\n'
    'Dave,,,,,,,,,,,,,,,,,,,,,\n'
)

FULL_EVENTS = [
    'user_created',
    'voicemail_created',
    'line_created',
    'extension_created',
    'extension_created',
    'incall_created',
    'sip_endpoint_created',
    'sip_endpoint_edited',
    'user_voicemail_associated',
    'line_endpoint_sip_associated',
    'user_line_associated',
    'line_extension_associated',
    'incall_extension_associated',
    'user_call_permission_associated',
    'user_call_permission_associated',
    'user_created',
    'line_created',
    'extension_created',
    'sip_endpoint_created',
    'sip_endpoint_edited',
    'line_endpoint_sip_associated',
    'user_line_associated',
    'line_extension_associated',
    'user_created',
    'line_created',
    'extension_created',
    'sccp_endpoint_created',
    'line_endpoint_sccp_associated',
    'user_line_associated',
    'line_extension_associated',
    'user_created',
]


def read(name):
    with open(os.path.join(EXAMPLES, name), 'rb') as stream:
        return stream.read()


def permissions(confd, *names, tenant=MASTER):
    return {
        name: confd.request(
            'POST', '/callpermissions', tenant=tenant, json={'name': name}
        ).json()['id']
        for name in names
    }


def users(confd, tenant=MASTER):
    return confd.get('/users?recurse=false', tenant=tenant).json()['items']


def test_seed_phones_become_wazo_users_with_lines(confd, bus):
    response = confd.post_csv(read('seed-phones.csv'), tenant=MASTER)

    assert response.status_code == 201, response.text
    body = response.json()
    assert [entry['row_number'] for entry in body['created']] == [1, 2, 3]
    # entity_id is not silently ignored: the answer says what it meant
    assert body['warnings'][0]['code'] == 'entity_as_tenant'
    listed = {user['firstname']: user for user in users(confd)}
    assert set(listed) == {'John', 'George', 'Bill'}
    john = listed['John']
    line = confd.get(f'/lines/{john["lines"][0]["id"]}', tenant=MASTER).json()
    assert line['context'] == 'default'
    assert [e['exten'] for e in line['extensions']] == ['1000']
    assert line['endpoint_sip'] is not None
    sip = confd.get(
        f'/endpoints/sip/{line["endpoint_sip"]["uuid"]}', tenant=MASTER
    ).json()
    assert sip['name'] == line['name']
    assert [t['label'] for t in sip['templates']] == ['global']
    bill_line = confd.get(
        f'/lines/{listed["Bill"]["lines"][0]["id"]}', tenant=MASTER
    ).json()
    assert bill_line['endpoint_sccp'] is not None
    assert bill_line['protocol'] == 'sccp'
    assert len(bus.names(expected=23)) == 23  # 8 per SIP phone, 7 for the SCCP one


def test_voicemail_and_incall_examples(confd):
    assert confd.post_csv(read('seed-voicemail.csv'), tenant=MASTER).status_code == 201
    voicemails = confd.get('/voicemails', tenant=MASTER).json()['items']
    assert [(v['number'], v['context'], v['name']) for v in voicemails] == [
        ('1000', 'default', 'Voicemail for John Doe')
    ]
    assert voicemails[0]['users'][0]['firstname'] == 'John'


def test_incall_example(confd):
    assert confd.post_csv(read('seed-incall.csv'), tenant=MASTER).status_code == 201
    incalls = confd.get('/incalls', tenant=MASTER).json()['items']
    assert len(incalls) == 1
    assert incalls[0]['destination']['type'] == 'user'
    assert [(e['exten'], e['context']) for e in incalls[0]['extensions']] == [
        ('2050', 'from-extern')
    ]


def test_every_group_and_what_confd_sends(confd, bus):
    ids = permissions(confd, 'internal', 'international')
    bus.drain(expected=2)  # the permissions' own events
    bus.messages.clear()

    response = confd.post_csv(FULL, tenant=MASTER)

    assert response.status_code == 201, response.text
    entries = response.json()['created']
    alice = confd.get(f'/users/{entries[0]["user_uuid"]}', tenant=MASTER).json()
    assert (
        alice['email'],
        alice['language'],
        alice['ring_seconds'],
        alice['userfield'],
        alice['subscription_type'],
    ) == ('alice@example.com', 'en_US', 25, 'uf-a', 2)
    assert alice['voicemail']['id'] == entries[0]['voicemail_id']
    assert sorted(p['id'] for p in alice['call_permissions']) == sorted(ids.values())
    assert alice['incalls'][0]['extensions'][0]['exten'] == '1000'
    incall = confd.get(f'/incalls/{alice["incalls"][0]["id"]}', tenant=MASTER).json()
    assert incall['destination'] == {
        'type': 'user',
        'user_id': alice['id'],
        'ring_time': 25.0,
        'user_firstname': 'Alice',
        'user_lastname': 'Smith',
        'moh_uuid': None,
    }
    sip = confd.get(f'/endpoints/sip/{entries[0]["sip_uuid"]}', tenant=MASTER).json()
    assert ['username', 'alicesip'] in sip['auth_section_options']
    assert ['password', 'alicesecret'] in sip['auth_section_options']
    assert ['callerid', '"Alice Smith" <1000>'] in sip['endpoint_section_options']
    webrtc = confd.get(f'/endpoints/sip/{entries[1]["sip_uuid"]}', tenant=MASTER).json()
    assert [t['label'] for t in webrtc['templates']] == ['global', 'webrtc']
    extension = confd.get(
        f'/extensions/{entries[0]["extension_id"]}', tenant=MASTER
    ).json()
    assert extension['lines'][0]['id'] == entries[0]['line_id']

    names = bus.names(expected=len(FULL_EVENTS))
    assert names == FULL_EVENTS
    headers, body = bus.messages[0]
    assert headers['tenant_uuid'] == MASTER and headers['user_uuid:*'] is True
    assert body['data']['uuid'] == entries[0]['user_uuid']
    user_line = next(h for h, _ in bus.messages if h['name'] == 'user_line_associated')
    assert user_line[f'user_uuid:{entries[0]["user_uuid"]}'] is True
    # one reload request for the whole file
    reloads = confd.sysconfd.calls('POST', '/exec_request_handlers')
    assert len(reloads) == 1
    assert set(reloads[0][3]['ipbx']) == {
        'dialplan reload',
        'module reload res_pjsip.so',
        'module reload chan_sccp.so',
        'module reload app_queue.so',
        'voicemail reload',
    }
    # Every user gets a wazo-auth user with its uuid, as confd's import makes them; the
    # username is the login, else the email, else the uuid
    auth = confd.auth.auth_users[entries[0]['user_uuid']]
    assert (auth['username'], auth['password_set'], auth['tenant_uuid']) == (
        'alice',
        True,
        MASTER,
    )
    dave = confd.auth.auth_users[entries[3]['user_uuid']]
    assert (dave['username'], dave['password_set']) == (entries[3]['user_uuid'], False)
    assert len(confd.auth.auth_users) == 4


def test_dry_run_writes_and_sends_nothing(confd, bus):
    response = confd.post_csv(
        read('seed-phones.csv'), path='/users/import?dry_run=true', tenant=MASTER
    )

    assert response.status_code == 200
    assert response.json()['summary']['created']['user'] == 3
    assert users(confd) == []
    assert bus.names(timeout=1) == []
    assert confd.sysconfd.requests == []


def test_errors_are_all_reported_and_nothing_is_written(confd, bus):
    body = (
        'firstname,exten,context,line_protocol,call_permissions\n'
        'Ann,1000,default,sip,\n'
        'Ben,5000,default,sip,\n'
        ',1001,default,sip,\n'
        'Cid,1000,default,sccp,nope\n'
    )

    response = confd.post_csv(body, tenant=MASTER)

    assert response.status_code == 400
    found = [
        (e['details']['row_number'], e['details']['column'], e['details']['code'])
        for e in response.json()['errors']
    ]
    assert found == [
        (2, 'exten', 'out_of_range'),
        (3, 'firstname', 'required'),
        (4, 'exten', 'duplicate_in_file'),
        (4, 'call_permissions', 'unknown_call_permission'),
    ]
    assert users(confd) == []
    assert (
        confd.sql('SELECT count(*) AS n FROM extensions WHERE typeval <> \'0\'')[0]['n']
        == 0
    )
    assert bus.names(timeout=1) == []
    assert confd.sysconfd.requests == []


def test_taken_numbers_and_names_are_refused(confd):
    assert (
        confd.post_csv(
            'firstname,exten,context,line_protocol,sip_username\n'
            'Ann,1000,default,sip,annsip\n',
            tenant=MASTER,
        ).status_code
        == 201
    )
    response = confd.post_csv(
        'firstname,exten,context,line_protocol,sip_username\n'
        'Ben,1000,default,sip,annsip\n',
        tenant=MASTER,
    )
    assert response.status_code == 400
    assert {e['details']['column'] for e in response.json()['errors']} == {
        'exten',
        'sip_username',
    }
    # the SIP name of a template (another tenant's, even) is taken too
    response = confd.post_csv(
        'firstname,exten,context,line_protocol,sip_username\n'
        'Cid,1001,default,sip,sdfgalwe\n',
        tenant=MASTER,
    )
    assert response.status_code == 400


def test_tenants_are_confds(confd):
    # the sub-tenant's token cannot import into the master tenant (confd's 401)
    response = confd.post_csv(read('seed-phones.csv'), tenant=MASTER, token='sub-token')
    assert response.status_code == 401
    # within its tenant, another tenant's context does not exist
    response = confd.post_csv(
        'firstname,exten,context,line_protocol\nAnn,1000,default,sip\n',
        token='sub-token',
    )
    assert response.status_code == 400
    assert response.json()['errors'][0]['details']['code'] == 'unknown_context'
    response = confd.post_csv(
        'firstname,exten,context,line_protocol\n' 'Ann,1000,default-subtenant,sip\n',
        token='sub-token',
    )
    assert response.status_code == 201, response.text
    assert [u['firstname'] for u in users(confd, tenant=SUB)] == ['Ann']
    assert users(confd, tenant=MASTER) == []
    # a token without the ACL
    assert (
        confd.post_csv(
            'firstname\nAnn\n', tenant=MASTER, token='lines-token'
        ).status_code
        == 401
    )


def test_entity_ids_of_several_entities_are_refused(confd):
    response = confd.post_csv('entity_id,firstname\n1,Ann\n2,Ben\n', tenant=MASTER)
    assert response.status_code == 400
    assert response.json()['errors'][0]['details']['code'] == 'entity_mismatch'


def test_cti_profile_name_is_a_warning(confd):
    response = confd.post_csv(
        'firstname,username,password,cti_profile_name,cti_profile_enabled\n'
        'Ann,ann,secret12,Client,0\n',
        tenant=MASTER,
    )
    assert response.status_code == 201
    assert [w['code'] for w in response.json()['warnings']] == ['cti_profile_ignored']
    assert [u['enabled'] for u in confd.auth.auth_users.values()] == [False]


def test_wazo_auth_failing_midway_leaves_nothing(confd, bus):
    confd.auth.fail_users_after = 2
    body = 'firstname,username,password\n' + ''.join(
        f'U{i},user{i},secret{i:04d}\n' for i in range(6)
    )

    response = confd.post_csv(body, tenant=MASTER)

    assert response.status_code == 503
    assert users(confd) == []
    assert confd.auth.auth_users == {}  # the ones created were deleted again
    assert bus.names(timeout=1) == []


def test_wazo_auth_unavailable_from_the_start_writes_nothing(confd, bus):
    confd.auth.users_down = True

    response = confd.post_csv(read('seed-phones.csv'), tenant=MASTER)

    assert response.status_code == 503
    assert 'wazo-auth' in response.json()['errors'][0]['message']
    assert users(confd) == []
    assert confd.sql("SELECT count(*) AS n FROM linefeatures")[0]['n'] == 0
    assert bus.names(timeout=1) == []
    assert confd.sysconfd.requests == []


def test_a_taken_login_is_an_error_of_its_row(confd):
    confd.auth.add_user('x', 'taken')
    response = confd.post_csv(
        'firstname,username,password\nAnn,ann,secret12\n' 'Ben,taken,secret12\n',
        tenant=MASTER,
    )
    assert response.status_code == 400
    error = response.json()['errors'][0]
    assert (
        error['details']['row_number'],
        error['details']['column'],
        error['details']['code'],
    ) == (2, 'username', 'taken')
    assert users(confd) == []
    assert set(confd.auth.auth_users) == {'x'}
    # found with the other checks: no wazo-auth user was made, then deleted
    assert confd.auth.calls('POST', '/users') == []


def test_the_built_in_import_is_replaced(confd):
    # the package's conf.d snippet disables confd's user_import: our answers carry row details
    response = confd.post_csv('firstname,ring_seconds\nAnn,x\n', tenant=MASTER)
    assert response.status_code == 400
    assert response.json()['errors'][0]['details']['column'] == 'ring_seconds'
    assert confd.config['enabled_plugins']['user_import'] is False


def test_existing_extension_and_shared_voicemail_are_reused(confd, bus):
    free = confd.request(
        'POST',
        '/extensions',
        tenant=MASTER,
        json={'exten': '1005', 'context': 'default'},
    ).json()
    bus.drain(expected=1)
    bus.messages.clear()
    body = (
        'firstname,exten,context,line_protocol,voicemail_name,voicemail_number,'
        'voicemail_context\n'
        'Ann,1005,default,sip,Team,1099,default\n'
        'Ben,1006,default,sip,Team,1099,default\n'
    )

    response = confd.post_csv(body, tenant=MASTER)

    assert response.status_code == 201, response.text
    ann, ben = response.json()['created']
    assert ann['extension_id'] == free['id'] and ann['reused'] == ['extension']
    assert ben['reused'] == ['voicemail'] and ann['voicemail_id'] == ben['voicemail_id']
    extension = confd.get(f'/extensions/{free["id"]}', tenant=MASTER).json()
    assert [line['id'] for line in extension['lines']] == [ann['line_id']]
    voicemails = confd.get('/voicemails', tenant=MASTER).json()['items']
    assert len(voicemails) == 1
    assert sorted(u['firstname'] for u in voicemails[0]['users']) == ['Ann', 'Ben']
    names = bus.names(expected=18)
    assert len(names) == 18
    assert names.count('voicemail_created') == 1
    assert names.count('extension_created') == 1  # Ben's; Ann's existed
    assert names.count('user_voicemail_associated') == 2


def test_a_tenant_without_its_webrtc_template_yet_refuses_webrtc_lines(confd):
    confd.sql(
        "UPDATE tenant SET webrtc_sip_template_uuid = NULL WHERE uuid = :uuid "
        "RETURNING uuid",
        uuid=SUB,
    )

    response = confd.post_csv(
        'firstname,exten,context,line_protocol\n'
        'Ann,1000,default-subtenant,sip\n'
        'Ben,1001,default-subtenant,webrtc\n',
        tenant=SUB,
    )

    assert response.status_code == 400
    [error] = response.json()['errors']
    assert (
        error['details']['code'],
        error['details']['row_number'],
        error['details']['column'],
    ) == ('no_sip_template', 2, 'line_protocol')
    assert users(confd, tenant=SUB) == []


def test_a_request_key_sent_again_replays_the_answer_per_tenant(confd, bus):
    body = 'firstname,exten,context,line_protocol\nKey,1000,default,sip\n'
    key = {'Idempotency-Key': 'lost-answer-1'}

    first = confd.request(
        'POST',
        '/users/import',
        tenant=MASTER,
        data=body.encode(),
        headers=dict(key, **{'Content-Type': 'text/csv'}),
    )
    assert first.status_code == 201, first.text
    assert len(bus.names(expected=8)) == 8
    bus.messages.clear()
    logins = len(confd.auth.auth_users)
    again = confd.request(
        'POST',
        '/users/import',
        tenant=MASTER,
        data=body.encode(),
        headers=dict(key, **{'Content-Type': 'text/csv'}),
    )

    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    assert again.headers['Idempotent-Replayed'] == 'true'
    assert [u['firstname'] for u in users(confd)] == ['Key']  # once
    assert len(confd.auth.auth_users) == logins  # no second wazo-auth user
    time.sleep(1.5)  # the relay's interval: anything sent would be here
    assert bus.drain() == []
    # the same key in another tenant is another key (and the tenant's own context)
    other = confd.request(
        'POST',
        '/users/import',
        token='sub-token',
        headers=dict(key, **{'Content-Type': 'text/csv'}),
        data=b'firstname,exten,context,line_protocol\nKey,1000,default-subtenant,sip\n',
    )
    assert other.status_code == 201, other.text
    assert 'Idempotent-Replayed' not in other.headers
    assert [u['firstname'] for u in users(confd, tenant=SUB)] == ['Key']
