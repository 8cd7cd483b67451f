# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Refusals of an import inside the real wazo-confd, as the standalone host's tests check them
(test_import_errors.py, test_hostile_input.py, test_dry_run.py): what is taken in the database
or earlier in the file, contexts and ranges, what every error says, files that cannot be read,
charsets and media types, capped errors, look-alike emails. Many cases per request, and many
requests per database: each test clones the Wazo schema once."""

import socket
from urllib.parse import urlparse

from wazo_confd_users_csv_testing.standins import MASTER

from ..helpers import bare, errors_of, make_csv
from ..test_hostile_input import MALFORMED
from .test_import import users

UUID = '6f0a9c1e-4f4b-4f5e-9a53-0b1a2c3d4e5f'


def codes_of(response):
    return [
        (e['details'].get('row_number'), e['details']['column'], e['details']['code'])
        for e in response.json()['errors']
    ]


def phone(exten, protocol='sip', context='default', **values):
    return dict(
        {'exten': exten, 'context': context, 'line_protocol': protocol}, **values
    )


def test_values_taken_in_the_database_or_earlier_in_the_file_are_named(confd, bus):
    existing = confd.post_csv(
        make_csv(
            [
                {
                    'firstname': 'Existing',
                    'uuid': UUID,
                    'email': 'taken@example.com',
                    'username': 'taken',
                    'password': 'secret12',
                    **phone(
                        '1000', sip_username='takensip', provisioning_code='111111'
                    ),
                    'incall_exten': '1000',
                    'incall_context': 'from-extern',
                }
            ]
        ),
        tenant=MASTER,
    )
    assert existing.status_code == 201, existing.text
    [made] = existing.json()['created']
    same = dict(
        uuid='0b6c3bb5-8f3e-4a3c-9a0e-6c5d2f1e0a11',
        email='a@example.com',
        username='dup',
        password='secret12',
        incall_exten='1001',
        incall_context='from-extern',
        **phone('1001', sip_username='dupsip', provisioning_code='222222'),
    )
    bus.drain(expected=9)
    bus.messages.clear()

    response = confd.post_csv(
        make_csv(
            [
                {
                    'firstname': 'New',
                    'uuid': UUID.upper(),
                    'email': 'TAKEN@example.com',
                    **phone(
                        '1000', sip_username='takensip', provisioning_code='111111'
                    ),
                    'incall_exten': '1000',
                    'incall_context': 'from-extern',
                },
                dict(same, firstname='A'),
                {'firstname': 'B'},
                dict(same, firstname='C', email='A@EXAMPLE.COM', username='DUP'),
            ]
        ),
        tenant=MASTER,
    )

    assert response.status_code == 400, response.text
    assert errors_of(response) == [
        (
            1,
            'uuid',
            f'uuid: {UUID} is already the uuid of Existing (1000): to change that user, '
            'send the file as an update (PUT); to create a new user, leave uuid empty',
        ),
        (
            1,
            'email',
            'email: TAKEN@example.com is already the email of Existing (1000): emails are '
            'unique (whatever their case); give another one or leave it empty',
        ),
        (
            1,
            'sip_username',
            'sip_username: takensip is already used by an existing SIP endpoint (the line '
            'of Existing (1000)): SIP usernames are unique; give another one or leave it '
            'empty to get one',
        ),
        (
            1,
            'provisioning_code',
            'provisioning_code: 111111 is already the provisioning code of the line of '
            'Existing (1000): provisioning codes are unique; give another one or leave it '
            'empty to get one',
        ),
        (
            1,
            'exten',
            'exten: 1000@default is already used by the line of Existing (1000): choose a '
            'free number',
        ),
        (
            1,
            'incall_exten',
            'incall_exten: 1000@from-extern is already used by an incall to Existing '
            '(1000): choose a free number',
        ),
    ] + [
        (4, column, message)
        for column, message in (
            (
                'uuid',
                'uuid: 0b6c3bb5-8f3e-4a3c-9a0e-6c5d2f1e0a11 is already used on line 3 (A): '
                'each user needs its own uuid',
            ),
            (
                'email',
                'email: A@EXAMPLE.COM is already used on line 3 (A): each user needs its '
                'own email',
            ),
            (
                'username',
                'username: DUP is already a login on line 3 (A): wazo-auth keeps usernames '
                'and emails unique together',
            ),
            (
                'sip_username',
                'sip_username: dupsip is already used on line 3 (A): SIP usernames are '
                'unique',
            ),
            (
                'provisioning_code',
                'provisioning_code: 222222 is already used on line 3 (A): provisioning '
                'codes are unique',
            ),
            (
                'exten',
                'exten: 1001@default is already used on line 3 (A): choose a free number',
            ),
            (
                'incall_exten',
                'incall_exten: 1001@from-extern is already used on line 3 (A): choose a '
                'free number',
            ),
        )
    ]
    assert [user['firstname'] for user in users(confd)] == ['Existing']
    assert list(confd.auth.auth_users) == [UUID]
    assert bus.names(timeout=1) == []


def test_contexts_must_be_the_tenant_s_of_the_right_type_and_numbers_in_their_ranges(
    confd,
):
    # an incall context whose range compares the last 4 digits of a DID
    confd.sql(
        "INSERT INTO context (name, displayname, contexttype, description, tenant_uuid) "
        "VALUES ('from-did', 'DIDs', 'incall', '', :tenant) RETURNING name",
        tenant=MASTER,
    )
    confd.sql(
        "INSERT INTO contextnumbers (context, type, numberbeg, numberend, didlength) "
        "VALUES ('from-did', 'incall', '2000', '2999', 4) RETURNING context"
    )

    response = confd.post_csv(
        make_csv(
            [
                {'firstname': 'A', **phone('1000', context='nowhere')},
                {'firstname': 'B', **phone('1000', context='from-extern')},
                {'firstname': 'C', **phone('1000', context='default-subtenant')},
                {'firstname': 'D', **phone('5000')},
                {
                    'firstname': 'E',
                    'incall_exten': '99',
                    'incall_context': 'from-extern',
                },
                {'firstname': 'F', 'incall_exten': '1000', 'incall_context': 'default'},
                {
                    'firstname': 'G',
                    'incall_exten': '33142001999',
                    'incall_context': 'from-did',
                },
                {
                    'firstname': 'H',
                    'voicemail_name': 'H',
                    'voicemail_number': '1000',
                    'voicemail_context': 'to-extern',
                },
            ]
        ),
        tenant=MASTER,
    )

    assert errors_of(response) == [
        (
            1,
            'context',
            'context: no context is named "nowhere": use an existing internal context',
        ),
        (
            2,
            'context',
            'context: context "from-extern" is of type incall: an internal context is '
            'needed here',
        ),
        (  # another tenant's context says so
            3,
            'context',
            'context: "default-subtenant" is a context of another tenant '
            '(eeeeeeee-eeee-eeee-eeee-eeeeeeeeeee2), not of the tenant this file is '
            'imported into: use an internal context of this tenant, or send the file to '
            'that tenant (choose it in the page, or its Wazo-Tenant header)',
        ),
        (
            4,
            'exten',
            'exten: 5000 is outside the user ranges of context default (1000-1999, '
            '100000-199999)',
        ),
        (
            5,
            'incall_exten',
            'incall_exten: 99 is outside the incall ranges of context from-extern '
            '(1000-9999, 200000-299999)',
        ),
        (
            6,
            'incall_context',
            'incall_context: context "default" is of type internal: an incall context is '
            'needed here',
        ),
        (
            7,
            'incall_exten',
            'incall_exten: 33142001999 is outside the incall ranges of context from-did '
            '(2000-2999)',
        ),
        (
            8,
            'voicemail_context',
            'voicemail_context: context "to-extern" is of type outcall: an internal '
            'context is needed here',
        ),
    ]
    assert users(confd) == []

    did = confd.post_csv(
        'firstname,incall_exten,incall_context\nG,33142002999,from-did\n', tenant=MASTER
    )
    assert did.status_code == 201, did.text


def test_every_row_error_says_where_and_never_shows_a_secret(confd):
    body = (
        'firstname,ring_seconds,password,sip_secret,voicemail_password,'
        'call_permission_password,exten,context,line_protocol\n'
        '"Multi\nLine",x,pw,"s3cr3t",12,99,1000,default,sccp\n'
        '\n'
        'B,-1,p4ssword,,abc,,,,\n'
        'C,5,extra,cells,,,,,,,,\n'
    )

    response = confd.post_csv(body, tenant=MASTER)

    assert response.status_code == 400
    errors = response.json()['errors']
    assert [
        (
            e['details']['row_number'],
            e['details']['line'],
            e['details']['column'],
            e['details']['code'],
        )
        for e in errors
    ] == [
        (1, 2, 'ring_seconds', 'invalid'),
        (1, 2, 'password', 'invalid'),
        # a voicemail password alone opens the voicemail group, which then lacks its keys
        (1, 2, 'voicemail_name', 'required'),
        (1, 2, 'voicemail_number', 'required'),
        (1, 2, 'voicemail_context', 'required'),
        # inside confd a name is one line: it becomes the caller id
        (1, 2, 'firstname', 'invalid'),
        (1, 2, 'sip_secret', 'sip_only'),
        (2, 5, 'ring_seconds', 'invalid'),
        (2, 5, 'voicemail_password', 'invalid'),
        (2, 5, 'voicemail_name', 'required'),
        (2, 5, 'voicemail_number', 'required'),
        (2, 5, 'voicemail_context', 'required'),
        (3, 6, None, 'row_shape'),
    ]
    for error in errors:
        assert isinstance(error['timestamp'], int)
        if error['details']['column']:
            assert bare(error).startswith(error['details']['column'] + ': ')
        assert error['message'].startswith(f"line {error['details']['line']} ")
        row = error['details']['row']
        for secret in ('password', 'sip_secret', 'voicemail_password'):
            assert row.get(secret) in ('********', '', None)
    for secret in ('s3cr3t', 'p4ssword', 'abc'):
        assert secret not in response.text
    assert users(confd) == []


FILE_ERRORS = [
    ('firstname\tlastname\nA\tB\n', 'tab-separated'),
    ('firstname,first_name\nA,B\n', '"first_name" is not a column: did you mean'),
    ('firstname,firstname\nA,B\n', 'named twice: "firstname"'),
    ('firstname,lastname\nA,"B\n', 'never closed'),
    (b'firstname,lastname\nA,\xff\xfe\n', 'line 2 is not valid utf-8'),
    (b'firstname,lastname\nA,\xed\xa0\x80\n', 'line 2 is not valid utf-8'),  # surrogate
]


def test_files_that_cannot_be_read_get_a_clear_4xx_and_write_nothing(confd, bus):
    for body, fragment in FILE_ERRORS:
        response = confd.post_csv(body, tenant=MASTER)
        assert response.status_code == 400, (body, response.text)
        [error] = response.json()['errors']
        assert fragment in error['message'], (body, error)
        assert 'row_number' not in error['details']
    for name, body in sorted(MALFORMED.items()):
        for method in ('POST', 'PUT'):
            response = confd.request(
                method,
                '/users/import',
                tenant=MASTER,
                data=body,
                headers={'Content-Type': 'text/csv'},
            )
            assert 400 <= response.status_code < 500, (name, response.text[:300])
            answer = response.json()
            assert answer['errors'] and all(e['message'] for e in answer['errors'])
            assert 'Traceback' not in response.text
    # an upload cut short of its Content-Length: confd's server refuses it (its own answer)
    assert truncated_upload(confd).startswith(b'HTTP/1.1 400')
    assert users(confd) == []
    assert bus.names(timeout=1) == []


def truncated_upload(confd):
    body = b'firstname\nCut\n'
    connection = socket.create_connection(('127.0.0.1', urlparse(confd.url).port))
    connection.sendall(
        f'POST /1.1/users/import HTTP/1.1\r\nHost: x\r\nX-Auth-Token: admin-token\r\n'
        f'Wazo-Tenant: {MASTER}\r\nContent-Type: text/csv\r\n'
        f'Content-Length: {len(body) + 100}\r\n\r\n'.encode() + body
    )
    connection.shutdown(socket.SHUT_WR)  # the rest never comes
    connection.settimeout(30)
    answer = b''
    try:
        while chunk := connection.recv(65536):
            answer += chunk
    except ConnectionResetError:
        pass
    connection.close()
    return answer


def test_charsets_media_types_and_dry_run_values(confd):
    def post(body, content_type, path='/users/import'):
        headers = {} if content_type is None else {'Content-Type': content_type}
        return confd.request('POST', path, tenant=MASTER, data=body, headers=headers)

    assert post(b'\xef\xbb\xbffirstname\nJos\xc3\xa9\n', 'text/csv').status_code == 201
    latin1 = post('firstname\nZoë\n'.encode('latin-1'), 'text/csv; charset=latin-1')
    assert latin1.status_code == 201, latin1.text
    assert post(b'firstname\nPlain\n', 'text/plain').status_code == 201
    semicolons = post(b'firstname;lastname\nSemi;Colon\n', 'text/csv')
    assert semicolons.status_code == 201, semicolons.text
    assert sorted((u['firstname'], u['lastname']) for u in users(confd)) == [
        ('José', None),
        ('Plain', None),
        ('Semi', 'Colon'),
        ('Zoë', None),
    ]

    json = post(b'{"firstname": "A"}', 'application/json')
    assert json.status_code == 415
    assert 'Content-Type: text/csv' in json.json()['errors'][0]['message']
    klingon = post(b'firstname\nK\n', 'text/csv; charset=klingon')
    assert klingon.status_code == 400
    assert 'unknown charset' in klingon.json()['errors'][0]['message']
    maybe = post(b'firstname\nM\n', 'text/csv', path='/users/import?dry_run=maybe')
    assert maybe.status_code == 400
    assert 'dry_run must be true or false' in maybe.json()['errors'][0]['message']
    assert len(users(confd)) == 4


def test_errors_are_capped_and_counted(confd):
    bad = {
        'ring_seconds': 'x',
        'simultaneous_calls': '99',
        'enabled': 'maybe',
        'language': 'xx',
        'email': 'not-an-email',
    }
    body = make_csv([dict({'firstname': f'U{n}'}, **bad) for n in range(400)])

    response = confd.post_csv(body, tenant=MASTER)

    assert response.status_code == 400
    answer = response.json()
    assert len(answer['errors']) == 1000
    summary = answer['error_summary']
    assert (summary['total'], summary['shown'], summary['more'], summary['rows']) == (
        2000,
        1000,
        1000,
        400,
    )
    assert {
        (group['column'], group['code'], group['count'])
        for group in summary['by_column']
    } == {(column, 'invalid', 400) for column in bad}
    assert len(response.content) < 1000 * 1000
    assert users(confd) == []


LOOK_ALIKES = [
    ('jos\u00e9@example.com', 'jose\u0301@example.com'),  # NFC and NFD
    ('ann@example.com', '\uff41nn@example.com'),  # fullwidth a
    ('Bob@Example.com', 'bOB@example.COM'),  # case
]


def test_look_alike_emails_and_logins_differing_by_case_are_one(confd):
    rows = [
        {'firstname': f'{side}{n}', 'email': email}
        for n, pair in enumerate(LOOK_ALIKES)
        for side, email in zip('AB', pair)
    ] + [
        {'firstname': 'L1', 'username': 'jdoe', 'password': 'secret12'},
        {'firstname': 'L2', 'username': 'JDoe', 'password': 'secret12'},
    ]

    in_the_file = confd.post_csv(make_csv(rows), tenant=MASTER)

    assert codes_of(in_the_file) == [
        (2, 'email', 'duplicate_in_file'),
        (4, 'email', 'duplicate_in_file'),
        (6, 'email', 'duplicate_in_file'),
        (8, 'username', 'duplicate_in_file'),
    ]
    firsts = [row for n, row in enumerate(rows[:6]) if n % 2 == 0]
    assert confd.post_csv(make_csv(firsts), tenant=MASTER).status_code == 201
    in_the_database = confd.post_csv(
        make_csv([row for n, row in enumerate(rows[:6]) if n % 2 == 1]), tenant=MASTER
    )
    assert codes_of(in_the_database) == [(n, 'email', 'taken') for n in (1, 2, 3)]
    # Python lowers İ to i + a combining dot, PostgreSQL's lower() may not: the database
    # judges, so the answer is a row error or a success, never a conflict after the checks
    confd.post_csv('firstname,email\nI,ix@example.com\n', tenant=MASTER)
    dotted = confd.post_csv('firstname,email\nJ,\u0130x@example.com\n', tenant=MASTER)
    assert dotted.status_code in (201, 400), dotted.text
    if dotted.status_code == 400:
        assert codes_of(dotted) == [(1, 'email', 'taken')]


def test_each_group_s_rules(confd):
    permissions_made = confd.request(
        'POST', '/callpermissions', tenant=MASTER, json={'name': 'mobile'}
    )
    assert permissions_made.status_code == 201
    rows = [
        {'firstname': 'A', 'exten': '1000'},
        {'firstname': 'B', 'voicemail_number': '1001', 'voicemail_password': '1234'},
        {'firstname': 'C', 'incall_ring_seconds': '10'},
        {'firstname': 'D', **phone('1002', 'sccp', sip_username='dsip')},
        {
            'firstname': 'E',
            'incall_exten': '1003;1004',
            'incall_context': 'from-extern',
        },
        {
            'firstname': 'F',
            'incall_exten': '1005;1005',
            'incall_context': 'from-extern;from-extern',
        },
        {'firstname': 'G', 'call_permissions': 'mobile;gold;Mobile'},
        {
            'firstname': 'H',
            'voicemail_name': 'H',
            'voicemail_number': '1006',
            'voicemail_context': 'default',
            'voicemail_delete_messages': '1',
        },
        {'firstname': 'I', 'cti_profile_enabled': '1', 'username': 'ivy'},
    ]

    response = confd.post_csv(make_csv(rows), tenant=MASTER)

    assert codes_of(response) == [
        (1, 'line_protocol', 'required'),
        (1, 'context', 'required'),
        (2, 'voicemail_name', 'required'),
        (2, 'voicemail_context', 'required'),
        (3, 'incall_exten', 'required'),
        (3, 'incall_context', 'required'),
        (4, 'sip_username', 'sip_only'),
        (5, 'incall_context', 'misaligned'),
        (6, 'incall_exten', 'duplicate_in_file'),
        (7, 'call_permissions', 'unknown_call_permission'),
        (8, 'voicemail_delete_messages', 'email_required'),
        (9, 'password', 'required'),
    ]
    messages = {row: message for row, _, message in errors_of(response)}
    assert messages[1] == (
        'context: is required for a phone (line_protocol, context), and this row '
        'fills exten'
    )
    assert messages[5] == (
        'incall_context: several incalls need one value per incall in each incall column, '
        'separated by ; (incall_exten has 2, incall_context has 1)'
    )
    assert messages[7] == (
        'call_permissions: no call permission is named "gold", "Mobile": use names of '
        'existing call permissions, separated by ;'
    )
    assert messages[9] == (
        'password: required when cti_profile_enabled is 1: the wazo-auth user needs a '
        'username and a password to log in'
    )
    assert users(confd) == []


def test_a_dry_run_of_a_bad_file_is_the_usual_400_and_of_a_good_one_changes_nothing(
    confd, bus
):
    bad = confd.post_csv(
        'firstname,ring_seconds\nA,x\n',
        path='/users/import?dry_run=true',
        tenant=MASTER,
    )
    assert codes_of(bad) == [(1, 'ring_seconds', 'invalid')]
    body = make_csv(
        [
            {
                'firstname': name,
                **phone(exten, protocol),
                'voicemail_name': 'Team',
                'voicemail_number': '1099',
                'voicemail_context': 'default',
            }
            for name, exten, protocol in (('A', '1000', 'sip'), ('B', '1001', 'sccp'))
        ]
    )

    dry = confd.post_csv(body, path='/users/import?dry_run=true', tenant=MASTER)

    assert dry.status_code == 200, dry.text
    answer = dry.json()
    assert answer['dry_run'] is True
    assert answer['created'][1]['reused'] == ['voicemail']
    assert (answer['summary']['rows'], answer['summary']['created']['voicemail']) == (
        2,
        1,
    )
    assert users(confd) == [] and confd.auth.auth_users == {}
    assert bus.names(timeout=1) == []
    real = confd.post_csv(body, tenant=MASTER)
    assert real.status_code == 201, real.text
    assert [entry['reused'] for entry in real.json()['created']] == [[], ['voicemail']]
    assert len(users(confd)) == 2


def cells(**values):
    return dict({'firstname': 'Row'}, **values)


# one file per row error code inside confd: (method, rows, expected (row, column, code))
EACH_CODE = {
    'invalid': ('POST', [cells(ring_seconds='x')], (1, 'ring_seconds')),
    'required': (
        'POST',
        [cells(lastname='A'), cells(firstname='', lastname='B')],
        (2, 'firstname'),
    ),
    # the caller id the names make is longer than Wazo's column
    'too_long': (
        'POST',
        [cells(firstname='N' * 100, lastname='L' * 100)],
        (1, 'lastname'),
    ),
    'duplicate_in_file': (
        'POST',
        [cells(email='d@example.com'), cells(email='d@example.com')],
        (2, 'email'),
    ),
    'taken': ('POST', [cells(email='taken@example.com')], (1, 'email')),
    'out_of_range': ('POST', [cells(**phone('5000'))], (1, 'exten')),
    'unknown_context': ('POST', [cells(**phone('1000', context='x'))], (1, 'context')),
    'wrong_context_type': (
        'POST',
        [cells(**phone('1000', context='from-extern'))],
        (1, 'context'),
    ),
    'entity_mismatch': (
        'POST',
        [cells(entity_id='1'), cells(entity_id='2')],
        (2, 'entity_id'),
    ),
    'unknown_call_permission': (
        'POST',
        [cells(call_permissions='gold')],
        (1, 'call_permissions'),
    ),
    'misaligned': (
        'POST',
        [cells(incall_exten='1100;1101', incall_context='from-extern')],
        (1, 'incall_context'),
    ),
    'sip_only': (
        'POST',
        [cells(**phone('1001', 'sccp', sip_secret='s3cr3t'))],
        (1, 'sip_secret'),
    ),
    'email_required': (
        'POST',
        [
            cells(
                voicemail_name='V',
                voicemail_number='1000',
                voicemail_context='default',
                voicemail_delete_messages='1',
            )
        ],
        (1, 'voicemail_delete_messages'),
    ),
    'row_shape': ('POST', [cells(), cells()], (2, None)),  # the second gets a cell more
    'unknown_user': ('PUT', [cells(uuid=UUID.replace('6f', '7f'))], (1, 'uuid')),
    'protocol_change': (
        'PUT',
        [cells(uuid=UUID, line_protocol='sccp')],
        (1, 'line_protocol'),
    ),
}


def test_each_row_error_code_says_where_masks_secrets_and_nothing_is_written(
    confd, bus
):
    existing = confd.post_csv(
        make_csv(
            [
                {
                    'firstname': 'Existing',
                    'uuid': UUID,
                    'email': 'taken@example.com',
                    'password': 'secret12',
                    'username': 'existing',
                    **phone('1000', sip_secret='oldsecret'),
                }
            ]
        ),
        tenant=MASTER,
    )
    assert existing.status_code == 201, existing.text
    bus.drain(expected=8)
    bus.messages.clear()
    before = {
        'users': users(confd),
        'lines': confd.get('/lines', tenant=MASTER).json()['items'],
        'extensions': confd.get('/extensions', tenant=MASTER).json()['items'],
        'voicemails': confd.get('/voicemails', tenant=MASTER).json()['items'],
        'incalls': confd.get('/incalls', tenant=MASTER).json()['items'],
        'logins': {k: dict(v) for k, v in confd.auth.auth_users.items()},
    }

    for code, (method, rows, (row_number, column)) in EACH_CODE.items():
        body = make_csv(rows)
        if code == 'row_shape':
            body = body.rstrip('\n') + ',extra\n'
        response = confd.request(
            method,
            '/users/import',
            tenant=MASTER,
            data=body.encode(),
            headers={'Content-Type': 'text/csv; charset=utf-8'},
        )
        assert response.status_code == 400, (code, response.text)
        assert len(response.json()['errors']) == 1, (code, codes_of(response))
        [error] = response.json()['errors']
        details = error['details']
        assert (details['row_number'], details['column'], details['code']) == (
            row_number,
            column,
            code,
        ), (code, error)
        # the file's line (the header is line 1), the row's name, then the column
        assert details['line'] == row_number + 1, code
        assert error['message'].startswith(f'line {row_number + 1} ('), code
        if column is not None:
            assert f'), {column}: ' in error['message'], (code, error['message'])
            assert bare(error).startswith(f'{column}: '), code
            assert len(bare(error)) > len(column) + 10, code  # says what is wrong
            sent = rows[row_number - 1]
            assert details['row'] == {
                key: '********' if key == 'sip_secret' and value else value
                for key, value in sent.items()
            }, code
        assert 's3cr3t' not in response.text
        summary = response.json()['error_summary']
        assert summary['by_column'] == [
            {'column': column, 'code': code, 'count': 1}
        ], code

    assert {
        'users': users(confd),
        'lines': confd.get('/lines', tenant=MASTER).json()['items'],
        'extensions': confd.get('/extensions', tenant=MASTER).json()['items'],
        'voicemails': confd.get('/voicemails', tenant=MASTER).json()['items'],
        'incalls': confd.get('/incalls', tenant=MASTER).json()['items'],
        'logins': confd.auth.auth_users,
    } == before
    assert bus.names(timeout=1.5) == []


def test_files_with_nothing_to_do_are_a_success_with_a_warning_whatever_the_method(
    confd, bus
):
    for body, code in (
        (b'', 'empty'),
        (b'\xef\xbb\xbf\r\n', 'empty'),
        (b'firstname,lastname\r\n', 'no_rows'),
        (b'uuid,firstname\r\n', 'no_rows'),
    ):
        for method, path, status, entries in (
            ('POST', '/users/import', 201, 'created'),
            ('POST', '/users/import?dry_run=true', 200, 'created'),
            ('PUT', '/users/import', 200, 'updated'),
            ('PUT', '/users/import?dry_run=true', 200, 'updated'),
        ):
            response = confd.request(
                method,
                path,
                tenant=MASTER,
                data=body,
                headers={'Content-Type': 'text/csv'},
            )
            assert response.status_code == status, (body, method, response.text)
            answer = response.json()
            assert answer[entries] == [], (body, method)
            assert [w['code'] for w in answer['warnings']] == [code], (body, method)
    assert users(confd) == [] and confd.auth.auth_users == {}
    assert bus.names(timeout=1) == []
