# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The users list and the export's forms inside the real wazo-confd, as the standalone host's
tests check them (integration_tests/test_users_list.py, test_export.py): what a search looks
in, pages and their total, the JSON cells as the CSV's, line breaks inside cells, each
formula-like part escaped in the spreadsheet form, bad arguments."""

import csv
import io

from wazo_confd_users_csv_testing.standins import MASTER

from .test_export import exported
from .test_import import FULL, permissions

CSV = 'text/csv; charset=utf-8'


def get(confd, accept=CSV, **params):
    return confd.request(
        'GET', '/users/export', tenant=MASTER, params=params, headers={'Accept': accept}
    )


def listed(confd, **params):
    response = get(confd, 'application/json', **params)
    assert response.status_code == 200, response.text
    return response.json()


def names(found):
    return [row['firstname'] for row in found['content']]


def test_a_search_looks_in_names_email_number_sip_username_and_provisioning_code(confd):
    permissions(confd, 'internal', 'international')
    assert confd.post_csv(FULL, tenant=MASTER).status_code == 201
    [code] = [
        row['provisioning_code'] for row in listed(confd, search='alicesip')['content']
    ]

    assert names(listed(confd, search='SMITH')) == ['Alice']  # last name, any case
    assert names(listed(confd, search='ALICE@EXAMPLE')) == ['Alice']  # email
    assert names(listed(confd, search='1001')) == ['Bob']  # number
    assert code.isdigit()
    assert names(listed(confd, search=code)) == ['Alice']  # provisioning code
    assert listed(confd, search='nobody') == {
        'headers': listed(confd, search='')['headers'],
        'content': [],
        'total': 0,
    }
    everyone = list(csv.DictReader(io.StringIO(exported(confd)[1].text)))
    found = listed(confd, search='')  # no search: everyone, in id order
    assert names(found) == [row['firstname'] for row in everyone]
    assert found['total'] == len(everyone) == 4
    assert found['headers'] == list(everyone[0])
    # the JSON's cells are the CSV's (empty cells empty strings, flags 1 or 0)
    assert found['content'] == everyone


def test_pages_in_id_order_with_the_total(confd):
    rows = ''.join(f'U{n:02d},{1100 + n},default,sip\n' for n in range(25))
    made = confd.post_csv(
        'firstname,exten,context,line_protocol\n' + rows, tenant=MASTER
    )
    assert made.status_code == 201, made.text

    first = listed(confd, limit=10)
    third = listed(confd, limit=10, offset=20)
    beyond = listed(confd, limit=10, offset=30)
    searched = listed(confd, search='U1', limit=3, offset=3)

    assert names(first) == [f'U{n:02d}' for n in range(10)]
    assert names(third) == [f'U{n:02d}' for n in range(20, 25)]
    assert first['total'] == third['total'] == beyond['total'] == 25
    assert beyond['content'] == []
    assert names(searched) == ['U13', 'U14', 'U15']
    assert searched['total'] == 10
    # the users an import made, by their uuids in any spelling, with their generated values
    uuids = [entry['user_uuid'] for entry in made.json()['created']][:2]
    chosen = listed(confd, uuid=','.join(uuids).upper())
    assert names(chosen) == ['U00', 'U01'] and chosen['total'] == 2
    assert chosen['content'][0]['sip_username'] and chosen['content'][0]['sip_secret']


def test_a_carriage_return_inside_a_cell_is_quoted_and_the_export_imports_again(confd):
    from wazo_confd_users_csv.backends.wazo import (  # needs xivo-dao: not at the top
        export,
    )

    # inside confd a name is one line (the caller id): the user's free field holds them
    given = ['Car\rriage', 'Line\nfeed', 'Both\r\nends', '\rFirst']
    body = io.StringIO()
    writer = csv.writer(body, lineterminator='\r\n')  # quotes a cell with \r or \n
    writer.writerows(
        [['firstname', 'userfield']] + [[f'U{n}', text] for n, text in enumerate(given)]
    )
    made = confd.post_csv(body.getvalue(), tenant=MASTER)
    assert made.status_code == 201, made.text

    whole = exported(confd)[1].content
    for params in ({}, {'limit': '100'}, {'spreadsheet': 'true'}):
        response = get(confd, **params)
        assert response.status_code == 200, params
        if not params.get('spreadsheet'):
            assert response.content == whole, params
        rows = list(
            csv.reader(io.StringIO(response.content.decode('utf-8-sig'), newline=''))
        )
        assert len(rows) == len(given) + 1, params
        for row in rows:
            assert len(row) == len(export.COLUMNS), (params, row)
        put = confd.put_csv(response.content, tenant=MASTER)
        assert put.status_code == 200, (params, put.text)
        assert {entry['outcome'] for entry in put.json()['updated']} == {'unchanged'}
    stored = confd.sql('SELECT userfield FROM userfeatures ORDER BY id')
    assert [row['userfield'] for row in stored] == given


def test_each_formula_like_part_of_a_cell_is_escaped_in_the_spreadsheet_form(confd):
    body = 'firstname,lastname,userfield\nSemi,x;=1+1;y,a;-2;\'@b\n'
    assert confd.post_csv(body, tenant=MASTER).status_code == 201

    raw = get(confd)
    spreadsheet = get(confd, spreadsheet='true')
    no = get(confd, spreadsheet='false', bom='true')  # the newer name wins

    [row] = csv.DictReader(io.StringIO(raw.text))
    assert (row['lastname'], row['userfield']) == ('x;=1+1;y', "a;-2;'@b")
    assert spreadsheet.content.startswith('\ufeff'.encode())
    [escaped] = csv.DictReader(io.StringIO(spreadsheet.content.decode()[1:]))
    # a spreadsheet splitting at ';' would run each part: each gets its quote
    assert (escaped['lastname'], escaped['userfield']) == ("x;'=1+1;y", "a;'-2;''@b")
    assert no.content == raw.content
    for form in (raw.content, spreadsheet.content):
        answer = confd.put_csv(form, tenant=MASTER)
        assert answer.status_code == 200, answer.text
        assert [entry['outcome'] for entry in answer.json()['updated']] == ['unchanged']
    assert confd.sql('SELECT lastname, userfield FROM userfeatures') == [
        {'lastname': 'x;=1+1;y', 'userfield': "a;-2;'@b"}
    ]


def test_a_bad_form_argument_is_a_clear_400(confd):
    for params, name in (
        ({'spreadsheet': 'yes'}, 'spreadsheet'),
        ({'bom': 'maybe'}, 'bom'),
    ):
        for accept in (CSV, 'application/json'):
            response = get(confd, accept, **params)
            assert response.status_code == 400, (params, accept, response.text)
            assert response.json()['errors'][0]['message'] == (
                f'{name} must be true or false'
            )


def test_each_export_is_logged_with_a_hash_of_the_token_never_a_cell(confd, caplog):
    from wazo_confd_users_csv.auth import token_id

    caplog.set_level('INFO', logger='wazo_confd_users_csv')
    assert confd.post_csv('firstname\nSecretive\n', tenant=MASTER).status_code == 201

    assert get(confd).status_code == 200
    assert listed(confd, search='secret', limit=5)['total'] == 1
    response = get(confd, spreadsheet='true')
    assert response.status_code == 200
    assert (
        confd.request(
            'GET', '/users/export', token='no-secrets-token', tenant=MASTER
        ).headers['Users-Csv-Secrets']
        == 'omitted'
    )

    lines = [
        record.getMessage()
        for record in caplog.records
        if record.getMessage().startswith('users_csv job=export')
    ]
    who = token_id('admin-token')
    assert lines == [
        f'users_csv job=export who={who} format=csv selection=all secrets=included',
        f'users_csv job=export who={who} format=json selection=some secrets=included',
        f'users_csv job=export who={who} format=spreadsheet selection=all '
        'secrets=included',
        f'users_csv job=export who={token_id("no-secrets-token")} format=csv '
        'selection=all secrets=omitted',  # requests asks for */*: CSV
    ]
    assert 'Secretive' not in caplog.text and 'admin-token' not in caplog.text
