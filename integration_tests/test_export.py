# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""GET /1.1/users/export: columns, formatting, streaming, and the lossless round trip."""

import csv
import io
import subprocess
import sys

import pytest
import requests
import yaml

from wazo_confd_users_csv import columns
from wazo_confd_users_csv.backends.standalone.passwords import matches

from .conftest import TOKEN, Server, make_config
from .helpers import make_csv, phone, user

VARIED = [
    user(
        'Alice',
        lastname='Martin',
        email='alice@example.com',
        language='fr_FR',
        mobile_phone_number='+33600000001',
        outgoing_caller_id='"Alice" <1100>',
        call_permission_password='12#',
        enabled='1',
        ring_seconds='0',
        simultaneous_calls='1',
        supervision_enabled='0',
        call_transfer_enabled='1',
        dtmf_hangup_enabled='1',
        username='alice',
        password='s3cret!',
        cti_profile_name='Client',
        cti_profile_enabled='1',
        **phone(
            '1100',
            sip_username='alice-desk',
            sip_secret='p w',
            provisioning_code='123456',
        ),
        incall_exten='2102;2101',
        incall_context='from-extern;from-extern',
        incall_ring_seconds='20;',
        voicemail_name='Alice box',
        voicemail_number='1100',
        voicemail_context='default',
        voicemail_password='0000',
        voicemail_email='a@b.cd',
        voicemail_attach_audio='1',
        voicemail_delete_messages='0',
        voicemail_ask_password='0',
        call_permissions='mobile;international',
    ),
    user(
        'Bob\nthe "second"',
        lastname='=SUM(A1:A9)',
        username='bob',
        password='s3cret',
        cti_profile_name='Agent',
        **phone('1101', 'sccp'),
        voicemail_name='Team',
        voicemail_number='1199',
        voicemail_context='default',
    ),
    user(
        'Carol',
        lastname='Zoë, Jr',
        voicemail_name='Team',
        voicemail_number='1199',
        voicemail_context='default',
        incall_exten='2200',
        incall_context='from-extern',
    ),
    user('Dave', entity_id='2', **phone('3000', context='branch')),
    user('Eve', cti_profile_enabled='0'),
]


def export(server, token=TOKEN):
    response = server.get('/users/export', token=token)
    assert response.status_code == 200, response.text
    return response


def parse(text):
    return list(csv.DictReader(io.StringIO(text, newline='')))


def test_export_needs_its_acl(server):
    assert server.get('/users/export', token=None).status_code == 401
    assert server.get('/users/export', token='import-only').status_code == 401


def test_empty_database_exports_the_header(server):
    response = export(server)
    assert response.headers['Content-Type'] == 'text/csv; charset=utf-8'
    assert response.content == ','.join(columns.EXPORT_ORDER).encode() + b'\r\n'


def test_every_column_is_formatted_as_the_spec_says(server):
    created = server.post(make_csv(VARIED))
    assert created.status_code == 201, created.text
    uuids = [entry['user_uuid'] for entry in created.json()['created']]
    sips = {row['username']: row['secret'] for row in server.rows('sip_endpoint')}

    rows = parse(export(server).text)

    assert [row['uuid'] for row in rows] == uuids  # ordered by id
    alice, bob, carol, dave, eve = rows
    assert alice == {
        'uuid': uuids[0],
        'entity_id': '1',
        'firstname': 'Alice',
        'lastname': 'Martin',
        'email': 'alice@example.com',
        'mobile_phone_number': '+33600000001',  # raw: as stored
        'outgoing_caller_id': '"Alice" <1100>',
        'language': 'fr_FR',
        'call_permission_password': '12#',
        'enabled': '1',
        'ring_seconds': '0',
        'simultaneous_calls': '1',
        'supervision_enabled': '0',
        'call_transfer_enabled': '1',
        'dtmf_hangup_enabled': '1',
        'username': 'alice',
        'password': '',  # kept hashed
        'cti_profile_name': 'Client',
        'cti_profile_enabled': '1',
        'voicemail_name': 'Alice box',
        'voicemail_number': '1100',
        'voicemail_context': 'default',
        'voicemail_password': '0000',
        'voicemail_email': 'a@b.cd',
        'voicemail_attach_audio': '1',
        'voicemail_delete_messages': '0',
        'voicemail_ask_password': '0',
        'line_protocol': 'sip',
        'provisioning_code': '123456',
        'context': 'default',
        'sip_username': 'alice-desk',
        'sip_secret': 'p w',
        'exten': '1100',
        'incall_exten': '2101;2102',
        'incall_context': 'from-extern;from-extern',
        'incall_ring_seconds': ';20',
        'call_permissions': 'international;mobile',
    }
    assert (bob['firstname'], bob['lastname']) == ('Bob\nthe "second"', '=SUM(A1:A9)')
    assert (
        bob['line_protocol'],
        bob['sip_username'],
        bob['sip_secret'],
        bob['exten'],
    ) == ('sccp', '', '', '1101')
    assert (bob['cti_profile_name'], bob['cti_profile_enabled']) == ('Agent', '0')
    assert bob['voicemail_number'] == carol['voicemail_number'] == '1199'
    assert (bob['voicemail_attach_audio'], bob['voicemail_ask_password']) == ('0', '1')
    assert (
        carol['line_protocol'],
        carol['exten'],
        carol['incall_exten'],
        carol['incall_ring_seconds'],
    ) == ('', '', '2200', '')
    assert (dave['entity_id'], dave['context'], dave['sip_secret']) == (
        '2',
        'branch',
        sips[dave['sip_username']],
    )
    assert eve['call_permissions'] == ''
    for name in columns.EXPORT_ORDER:
        if name not in (
            'uuid',
            'entity_id',
            'firstname',
            'enabled',
            'ring_seconds',
            'simultaneous_calls',
            'supervision_enabled',
            'call_transfer_enabled',
            'dtmf_hangup_enabled',
            'cti_profile_enabled',
        ):
            assert eve[name] == '', name
    assert (eve['ring_seconds'], eve['cti_profile_enabled'], eve['username']) == (
        '30',
        '0',
        '',
    )


def with_passwords(exported):
    """The export with the login passwords filled again (never exported: the spec's round trip
    asks for them back on rows whose login is enabled)."""
    given = {row['firstname']: row.get('password') for row in VARIED}
    rows = parse(exported.decode('utf-8'))
    for row in rows:
        row['password'] = given.get(row['firstname']) or ''
    return make_csv(rows)


def test_export_reimports_into_an_empty_database_identically(server):
    assert server.post(make_csv(VARIED)).status_code == 201
    first = export(server).content
    server.clean()

    response = server.post(with_passwords(first))

    assert response.status_code == 201, response.text
    assert export(server).content == first


def test_export_reimports_on_sqlite_too(lite):
    assert lite.post(make_csv(VARIED)).status_code == 201
    first = lite.get('/users/export').content
    lite.clean()

    assert lite.post(with_passwords(first)).status_code == 201
    assert lite.get('/users/export').content == first


def test_login_passwords_are_stored_hashed_and_never_exported(server):
    assert server.post(make_csv(VARIED)).status_code == 201

    stored = {row['username']: row['password'] for row in server.rows('user')}
    exported = parse(export(server).text)

    assert matches('s3cret!', stored['alice']) and stored['alice'].startswith(
        'pbkdf2_sha256$'
    )
    assert all(row['password'] == '' for row in exported)
    assert b's3cret!' not in export(server).content


def test_cli_export_writes_the_same_bytes(lite, tmp_path):
    assert lite.post(make_csv(VARIED)).status_code == 201
    config = tmp_path / 'host.yml'
    config.write_text(yaml.safe_dump({'db_uri': lite.config['users_csv']['db_uri']}))
    output = tmp_path / 'out.csv'
    cli = [
        sys.executable,
        '-m',
        'wazo_confd_users_csv.host.cli',
        '-c',
        str(config),
        'export',
    ]

    subprocess.run(cli + ['-o', str(output)], check=True, timeout=120, cwd=tmp_path)
    to_stdout = subprocess.run(
        cli, check=True, timeout=120, cwd=tmp_path, capture_output=True
    )

    http = lite.get('/users/export').content
    assert output.read_bytes() == http
    assert to_stdout.stdout == http


def test_export_of_twenty_thousand_users(server):
    rows = [
        user(
            f'U{i}',
            **(phone(str(1000 + i % 1000), context='default') if i < 1000 else {}),
        )
        for i in range(20000)
    ]
    response = server.post(make_csv(rows))
    assert response.status_code == 201, response.text[:300]

    exported = parse(export(server).text)

    assert len(exported) == 20000
    assert exported[0]['firstname'] == 'U0' and exported[-1]['firstname'] == 'U19999'
    assert sum(1 for row in exported if row['exten']) == 1000


def test_a_client_leaving_mid_export_leaves_the_server_fine(server):
    rows = [
        user(f'User number {i}', lastname='x' * 100, outgoing_caller_id='y' * 80)
        for i in range(6000)
    ]
    assert server.post(make_csv(rows)).status_code == 201
    expected = export(server).content
    assert len(expected) > 1_500_000  # more than the queue and the socket buffers hold

    for _ in range(3):
        response = requests.get(
            server.url + '/users/export',
            stream=True,
            timeout=30,
            headers={'X-Auth-Token': TOKEN},
        )
        chunks = response.iter_content(chunk_size=1024)
        assert next(chunks).startswith(b'uuid,entity_id,')
        assert b'User number' in next(chunks)
        response.close()  # hang up after the first rows

    assert export(server).content == expected


def test_json_for_clients_that_ask_for_it_as_confd_answers(server):
    assert (
        server.post(make_csv([user(firstname='Ann', lastname='Lee')])).status_code
        == 201
    )

    response = requests.get(
        server.url + '/users/export',
        timeout=30,
        headers={'X-Auth-Token': TOKEN, 'Accept': 'application/json'},
    )

    assert response.status_code == 200
    assert response.headers['Cache-Control'] == 'no-store'
    body = response.json()
    assert body['headers'] == list(columns.EXPORT_ORDER)
    assert [(row['firstname'], row['lastname']) for row in body['content']] == [
        ('Ann', 'Lee')
    ]
    as_csv = export(server)
    assert parse(as_csv.text) == body['content']  # the same cells either way
    assert as_csv.headers['Cache-Control'] == 'no-store'


def test_the_spreadsheet_form_on_request_and_the_import_reads_both_forms(server):
    assert server.post(make_csv(VARIED)).status_code == 201
    raw = export(server).content

    def get(**params):
        return requests.get(
            f'{server.url}/users/export',
            params=params,
            headers={'X-Auth-Token': TOKEN},
        )

    spreadsheet = get(spreadsheet='true')

    # raw: lines end with CRLF as confd's built-in export writes them; a line break inside a
    # quoted cell stays as it is
    assert b'"Bob\nthe ""second"""' in raw and raw.count(b'\r\n') == len(VARIED) + 1
    assert b',+33600000001,' in raw and b',=SUM(A1:A9),' in raw
    assert spreadsheet.headers['Content-Type'] == 'text/csv; charset=utf-8'
    assert spreadsheet.content == '\ufeff'.encode() + raw.replace(
        b',+33600000001,', b",'+33600000001,"
    ).replace(b',=SUM(A1:A9),', b",'=SUM(A1:A9),")
    assert get(bom='true').content == spreadsheet.content  # its earlier name
    assert get(spreadsheet='false', bom='true').content == raw
    for form in (raw, spreadsheet.content):
        put = requests.put(
            f'{server.url}/users/import',
            data=form,
            headers={'X-Auth-Token': TOKEN, 'Content-Type': 'text/csv'},
        )
        assert put.status_code == 200, put.text  # each read back: nothing changes
        assert {entry['outcome'] for entry in put.json()['updated']} == {'unchanged'}
        assert export(server).content == raw
    assert get(bom='maybe').status_code == 400
    assert get(spreadsheet='yes').status_code == 400


def test_accept_is_negotiated_as_confds_built_in_export(lite):
    assert (
        lite.post(make_csv([user('Ann', mobile_phone_number='+331')])).status_code
        == 201
    )

    def answer(accept):
        # None: no Accept at all (requests would send */*)
        headers = {'X-Auth-Token': TOKEN, 'Accept': accept}
        response = requests.get(f'{lite.url}/users/export', headers=headers)
        assert response.status_code == 200
        return response.headers['Content-Type'].split(';')[0]

    # confd declares one representation, text/csv; charset=utf-8; anything else is JSON
    for accept in ('text/csv; charset=utf-8', '*/*', 'text/*'):
        assert answer(accept) == 'text/csv', accept
    for accept in (None, 'text/csv', 'application/json', 'text/html'):
        assert answer(accept) == 'application/json', accept


def test_a_setting_makes_the_spreadsheet_form_the_default(sqlite_uri):
    config = make_config(sqlite_uri, None)
    config['users_csv']['export_form'] = 'spreadsheet'
    configured = Server(config)
    try:
        configured.clean()
        assert (
            configured.post(make_csv([user('Ann', lastname='-x')])).status_code == 201
        )
        default = configured.get('/users/export').content
        raw = configured.get('/users/export?spreadsheet=false').content
        as_json = requests.get(
            f'{configured.url}/users/export',
            headers={'X-Auth-Token': TOKEN, 'Accept': 'application/json'},
        ).json()
    finally:
        configured.clean()
        configured.stop()

    assert default.startswith('\ufeff'.encode()) and b",'-x," in default
    assert not raw.startswith('\ufeff'.encode()) and b',-x,' in raw
    assert as_json['content'][0]['lastname'] == '-x'  # JSON is for programs: raw


def test_a_semicolon_separated_file_imports_as_its_comma_twin(server):
    body = (
        'entity_id;firstname;lastname;call_permissions\n'
        '1;Ann;"Lee; Jr";"international;mobile"\n'
    )

    response = server.post(body.encode())

    assert response.status_code == 201, response.text
    row = parse(export(server).text)[0]
    assert (row['lastname'], row['call_permissions']) == (
        'Lee; Jr',
        'international;mobile',
    )


@pytest.mark.parametrize('host', ['server', 'lite'])
def test_a_carriage_return_inside_a_cell_is_quoted_and_the_export_imports_again(
    host, request
):
    """The whole export (COPY on PostgreSQL) and a selection (written by Python) alike."""
    server = request.getfixturevalue(host)
    names = ['Car\rriage', 'Line\nfeed', 'Both\r\nends', '\rFirst']
    body = io.StringIO()
    writer = csv.writer(body, lineterminator='\r\n')  # quotes a cell with \r or \n
    writer.writerows([['entity_id', 'firstname']] + [['1', name] for name in names])
    assert server.post(body.getvalue()).status_code == 201, body.getvalue()

    whole = export(server).content
    for params in ({}, {'limit': '100'}, {'spreadsheet': 'true'}):
        response = requests.get(
            f'{server.url}/users/export',
            params=params,
            headers={'X-Auth-Token': TOKEN},
        )
        assert response.status_code == 200, params
        if not params.get('spreadsheet'):
            assert response.content == whole, params
        for row in csv.reader(
            io.StringIO(response.content.decode('utf-8-sig'), newline='')
        ):
            assert len(row) == len(columns.EXPORT_ORDER), (params, row)
        put = requests.put(
            f'{server.url}/users/import',
            data=response.content,
            headers={'X-Auth-Token': TOKEN, 'Content-Type': 'text/csv'},
        )
        assert put.status_code == 200, (params, put.text)
        assert {entry['outcome'] for entry in put.json()['updated']} == {'unchanged'}
    assert sorted(row['firstname'] for row in server.rows('user')) == sorted(names)
