# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Conflicts, all-or-nothing, and what every error says."""

import pytest
import requests

from .conftest import TOKEN
from .helpers import bare, errors_of, make_csv, phone, user

IMPORT_TABLES = (
    'user',
    'line',
    'sip_endpoint',
    'sccp_endpoint',
    'extension',
    'incall',
    'voicemail',
    'user_line',
    'line_extension',
    'user_voicemail',
    'user_call_permission',
)


def counts(server):
    return {table: server.count(table) for table in IMPORT_TABLES}


@pytest.fixture
def existing(server):
    """One user holding each unique value, imported beforehand."""
    response = server.post(
        make_csv(
            [
                user(
                    'Existing',
                    uuid='6f0a9c1e-4f4b-4f5e-9a53-0b1a2c3d4e5f',
                    email='taken@example.com',
                    username='taken',
                    password='s3cret',
                    **phone(
                        '1000', sip_username='taken-sip', provisioning_code='111111'
                    ),
                    incall_exten='2000',
                    incall_context='from-extern',
                )
            ]
        )
    )
    assert response.status_code == 201, response.text
    return response.json()['created'][0]


def test_conflicts_with_the_database_are_all_reported(server, existing):
    before = counts(server)
    response = server.post(
        make_csv(
            [
                user(
                    'New',
                    uuid='6F0A9C1E-4F4B-4F5E-9A53-0B1A2C3D4E5F',
                    email='TAKEN@example.com',
                    username='taken',
                    password='s3cret',
                    **phone(
                        '1000', sip_username='taken-sip', provisioning_code='111111'
                    ),
                    incall_exten='2000',
                    incall_context='from-extern',
                )
            ]
        )
    )

    assert response.status_code == 400
    assert {column: message for _, column, message in errors_of(response)} == {
        'uuid': 'uuid: 6f0a9c1e-4f4b-4f5e-9a53-0b1a2c3d4e5f is already the uuid of '
        'Existing (1000): to change that user, send the file as an update (PUT); to create a '
        'new user, leave uuid empty',
        'email': 'email: TAKEN@example.com is already the email of Existing (1000): emails '
        'are unique (whatever their case); give another one or leave it empty',
        'username': 'username: taken is already the username of Existing (1000): usernames '
        'are unique whatever their case',
        'sip_username': 'sip_username: taken-sip is already used by an existing SIP endpoint '
        '(the line of Existing (1000)): SIP usernames are unique; give another one or leave '
        'it empty to get one',
        'provisioning_code': 'provisioning_code: 111111 is already the provisioning code of '
        'the line of Existing (1000): provisioning codes are unique; give another one or '
        'leave it empty to get one',
        'exten': 'exten: 1000@default is already used by the line of Existing (1000): '
        'choose a free number',
        'incall_exten': 'incall_exten: 2000@from-extern is already used by an incall to '
        'Existing (1000): choose a free number',
    }
    # the first message stands alone: what it is, what to do, how many more; a row's says
    # where and who
    first, second = response.json()['errors'][:2]
    assert first['message'] == (
        'these users already exist (1 of the 1 rows name the uuid of an existing user): '
        'this file looks like an export; to change them send it as an update (PUT '
        '/1.1/users/import, or Update in the page); to create new users, leave uuid empty '
        '\u2014 1 of 8 errors, also line 2 uuid, line 2 email, line 2 username and 4 more'
    )
    assert second['message'].startswith('line 2 (New), uuid: 6f0a9c1e-')
    assert counts(server) == before


def test_conflicts_inside_the_file_name_the_earlier_row(server):
    same = dict(
        uuid='6f0a9c1e-4f4b-4f5e-9a53-0b1a2c3d4e5f',
        email='a@example.com',
        username='dup',
        password='s3cret',
        incall_exten='2001',
        incall_context='from-extern',
        **phone('1001', sip_username='dup-sip', provisioning_code='222222'),
    )
    response = server.post(
        make_csv(
            [
                user('A', **same),
                user('B'),
                user('C', **dict(same, email='A@EXAMPLE.COM')),
            ]
        )
    )

    assert response.status_code == 400
    errors = errors_of(response)
    assert {row for row, _, _ in errors} == {3}
    assert {column for _, column, _ in errors} == {
        'uuid',
        'email',
        'username',
        'sip_username',
        'provisioning_code',
        'exten',
        'incall_exten',
    }
    assert all('on line 2 (A)' in message for _, _, message in errors)
    assert server.count('user') == 0


def test_phone_and_incall_cannot_share_one_extension_in_the_file(server):
    response = server.post(
        make_csv(
            [
                user('A', **phone('1001')),
                user('B', incall_exten='1001', incall_context='default'),
            ]
        )
    )
    # default is an internal context: the incall is refused for its context first
    assert errors_of(response) == [
        (
            2,
            'incall_context',
            'incall_context: context "default" is '
            'of type internal: an incall context is needed here',
        )
    ]


def test_context_rules(server):
    response = server.post(
        make_csv(
            [
                user('A', **phone('1000', context='nowhere')),
                user('B', **phone('1000', context='from-extern')),
                user('C', **phone('3000', context='branch')),
                user('D', **phone('2000')),
                user('E', incall_exten='1999', incall_context='from-extern'),
            ]
        )
    )

    assert errors_of(response) == [
        (
            1,
            'context',
            'context: no context is named "nowhere": use an existing internal '
            'context',
        ),
        (
            2,
            'context',
            'context: context "from-extern" is of type incall: an internal context '
            'is needed here',
        ),
        (
            3,
            'context',
            "context: context \"branch\" belongs to entity 2, not to the user's "
            'entity 1',
        ),
        (
            4,
            'exten',
            'exten: 2000 is outside the user ranges of context default (1000-1999)',
        ),
        (
            5,
            'incall_exten',
            'incall_exten: 1999 is outside the incall ranges of context '
            'from-extern (2000-2999)',
        ),
    ]


def test_incall_range_compares_the_last_did_length_digits(server):
    response = server.post(
        make_csv([user(incall_exten='33142002999', incall_context='from-extern')])
    )
    assert response.status_code == 201, response.text


def test_one_incall_number_twice_in_a_row_is_an_error_of_that_row(server):
    # it once passed every check and failed the write with a 409 naming no row
    response = server.post(
        make_csv(
            [
                user(
                    incall_exten='2001;2001',
                    incall_context='from-extern;from-extern',
                )
            ]
        )
    )

    assert response.status_code == 400
    assert errors_of(response) == [
        (
            1,
            'incall_exten',
            'incall_exten: 2001@from-extern is given twice in this row: each incall '
            'needs its own number',
        )
    ]
    assert server.count('incall') == 0


def test_bad_last_row_leaves_database_and_bus_untouched(server, bus):
    rows = [
        user(
            f'U{i}',
            **phone(str(1100 + i)),
            voicemail_name='B',
            voicemail_number=str(5100 + i),
            voicemail_context='default',
            call_permissions='mobile',
        )
        for i in range(50)
    ]
    rows.append(user('Bad', ring_seconds='7'))

    response = server.post(make_csv(rows))

    assert response.status_code == 400
    assert errors_of(response) == [
        (
            51,
            'ring_seconds',
            'ring_seconds: must be a multiple of 5 ' 'between 0 and 60 (got 7)',
        )
    ]
    assert all(count == 0 for count in counts(server).values())
    assert bus.messages() == []


def test_every_row_error_has_row_number_line_column_and_row(server):
    body = (
        'entity_id,firstname,ring_seconds,password,sip_secret,voicemail_password,'
        'call_permission_password,exten,context,line_protocol\n'
        '1,"Multi\nLine",7,pw,"s3cr3t",12,99,1000,default,sccp\n'
        '\n'
        '1,B,x,p4ssword,,abc,,,,\n'
    )
    response = server.post(body)

    assert response.status_code == 400
    errors = response.json()['errors']
    assert {
        (e['details']['row_number'], e['details']['line'], e['details']['column'])
        for e in errors
    } == {
        (1, 2, 'ring_seconds'),
        (1, 2, 'password'),
        (1, 2, 'sip_secret'),
        (2, 5, 'ring_seconds'),
        (2, 5, 'voicemail_password'),
        # a voicemail password alone opens the voicemail group, which then lacks its keys
        (1, 2, 'voicemail_name'),
        (1, 2, 'voicemail_number'),
        (1, 2, 'voicemail_context'),
        (2, 5, 'voicemail_name'),
        (2, 5, 'voicemail_number'),
        (2, 5, 'voicemail_context'),
    }
    for error in errors:
        assert isinstance(error['timestamp'], int)
        # where it is, then the column: the message stands alone
        assert error['message'].startswith(f"line {error['details']['line']} (")
        assert bare(error).startswith(error['details']['column'] + ': ')
        row = error['details']['row']
        assert row['firstname'] in ('Multi\nLine', 'B')
        for secret in (
            'password',
            'sip_secret',
            'voicemail_password',
            'call_permission_password',
        ):
            assert row[secret] in ('********', '')
    assert 's3cr3t' not in response.text
    assert 'p4ssword' not in response.text
    assert 'abc' not in response.text


def test_a_row_with_the_wrong_number_of_cells_is_reported_with_the_others(server):
    response = server.post(
        'entity_id,firstname,ring_seconds\n1,A\n1,B,7\n1,C,5,extra\n'
    )

    assert response.status_code == 400
    assert [(row, column) for row, column, _ in errors_of(response)] == [
        (1, None),
        (2, 'ring_seconds'),
        (3, None),
    ]


@pytest.mark.parametrize(
    'body,status,fragment',
    [
        ('entity_id\tfirstname\n1\tA\n', 400, 'tab-separated'),
        (
            'entity_id,first_name\n1,A\n',
            400,
            '"first_name" is not a column: did you mean',
        ),
        ('entity_id,firstname,firstname\n1,A,B\n', 400, 'named twice: "firstname"'),
        ('entity_id,firstname\n1,"A\n', 400, 'never closed'),
        (b'entity_id,firstname\n1,\xff\xfe\n', 400, 'line 2 is not valid utf-8'),
    ],
)
def test_file_errors_have_no_row_number(server, body, status, fragment):
    response = server.post(body)

    assert response.status_code == status
    [error] = response.json()['errors']
    assert fragment in error['message']
    assert 'row_number' not in error['details']
    assert server.count('user') == 0


def test_files_the_built_in_accepts_with_nothing_to_do_are_201_with_a_warning(server):
    for body, code in (
        (b'', 'empty'),
        (b'\xef\xbb\xbf\r\n', 'empty'),
        (b'entity_id,firstname\r\n', 'no_rows'),
    ):
        response = server.post(body)
        assert response.status_code == 201, response.text
        assert response.json()['created'] == []
        assert [w['code'] for w in response.json()['warnings']] == [code]
        dry = server.post(body, dry_run='true')
        assert (dry.status_code, dry.json()['dry_run']) == (200, True)
        update = requests.put(
            server.url + '/users/import',
            data=body,
            headers={'X-Auth-Token': TOKEN, 'Content-Type': 'text/csv'},
        )
        assert update.status_code == 200, update.text
        assert update.json()['updated'] == []
    assert server.count('user') == 0


def test_unknown_columns_are_ignored_with_a_warning(server):
    response = server.post('entity_id,firstname,department,notes\n1,Ann,Sales,x\n')

    assert response.status_code == 201, response.text
    [warning] = response.json()['warnings']
    assert warning['code'] == 'ignored_columns'
    assert warning['message'].startswith(
        'line 1: "department", "notes" are not columns'
    )
    assert [row['firstname'] for row in server.rows('user')] == ['Ann']


def test_bom_and_latin1_charset(server):
    response = server.post(b'\xef\xbb\xbfentity_id,firstname\n1,Jos\xc3\xa9\n')
    assert response.status_code == 201, response.text
    response = server.post(
        'entity_id,firstname\n1,Zoë\n'.encode('latin-1'),
        content_type='text/csv; charset=latin-1',
    )
    assert response.status_code == 201, response.text
    assert [row['firstname'] for row in server.rows('user')] == ['José', 'Zoë']


@pytest.mark.parametrize('content_type', ['text/plain', None])
def test_plain_text_and_missing_content_type_are_csv(server, content_type):
    response = server.post(make_csv([user()]), content_type=content_type)
    assert response.status_code == 201, response.text


def test_other_content_types_get_415(server):
    response = server.post('{"firstname": "A"}', content_type='application/json')
    assert response.status_code == 415
    assert 'Content-Type: text/csv' in response.json()['errors'][0]['message']


def test_unknown_charset_gets_400(server):
    response = server.post(make_csv([user()]), content_type='text/csv; charset=klingon')
    assert response.status_code == 400
    assert 'unknown charset' in response.json()['errors'][0]['message']


def test_bad_dry_run_value(server):
    response = server.post(make_csv([user()]), dry_run='maybe')
    assert response.status_code == 400
    assert 'dry_run must be true or false' in response.json()['errors'][0]['message']


def test_all_or_nothing_on_sqlite_too(lite):
    rows = [user(f'U{i}', **phone(str(1100 + i))) for i in range(20)]
    rows.append(user('Bad', **phone('1100')))

    response = lite.post(make_csv(rows))

    assert errors_of(response) == [
        (
            21,
            'exten',
            'exten: 1100@default is already used on line 2 (U0): choose a free number',
        )
    ]
    assert lite.count('user') == 0
    assert lite.count('line') == 0


@pytest.mark.parametrize(
    'first, second',
    [
        ('jos\u00e9@example.com', 'jose\u0301@example.com'),  # NFC and NFD
        ('ann@example.com', '\uff41nn@example.com'),  # fullwidth a
        ('Ann@Example.com', 'aNN@example.COM'),  # case
    ],
)
def test_look_alike_emails_are_one_email(server, first, second):
    response = server.post(make_csv([user('A', email=first), user('B', email=second)]))

    assert [(row, column) for row, column, _ in errors_of(response)] == [(2, 'email')]
    assert server.post(make_csv([user('A', email=first)])).status_code == 201
    response = server.post(make_csv([user('B', email=second)]))
    assert [
        (row, column, message.split(':')[0])
        for row, column, message in errors_of(response)
    ] == [(1, 'email', 'email')]
    assert 'is already the email of A: emails are unique' in errors_of(response)[0][2]


def test_a_dotted_capital_i_is_judged_as_the_database_judges_it(server):
    """Python lowers İ to i + a combining dot, the database's lower() may not: the unique index
    on lower(email) decides, so the checks ask the database: a row error or a success, never
    a 409 after the checks passed."""
    assert server.post(make_csv([user('A', email='ix@example.com')])).status_code == 201

    response = server.post(make_csv([user('B', email='\u0130x@example.com')]))

    assert response.status_code in (201, 400), response.text
    if response.status_code == 400:
        assert [(row, column) for row, column, _ in errors_of(response)] == [
            (1, 'email')
        ]


def test_usernames_differing_by_case_are_one_username(server):
    profile = {'cti_profile_name': 'Agent', 'password': 's3cret'}
    response = server.post(
        make_csv(
            [
                user('A', username='jdoe', **profile),
                user('B', username='JDoe', **profile),
            ]
        )
    )
    assert [(row, column) for row, column, _ in errors_of(response)] == [
        (2, 'username')
    ]

    assert (
        server.post(make_csv([user('A', username='jdoe', **profile)])).status_code
        == 201
    )
    response = server.post(make_csv([user('B', username='JDOE', **profile)]))
    assert [(row, column) for row, column, _ in errors_of(response)] == [
        (1, 'username')
    ]
