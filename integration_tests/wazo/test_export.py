# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Export inside the real wazo-confd: the tenant's Wazo users, whoever made them."""

import csv
import io
import time

from wazo_confd_users_csv_testing.standins import MASTER, SUB

from .test_import import FULL, permissions


def exported(
    confd, token='admin-token', tenant=MASTER, accept='text/csv; charset=utf-8'
):
    response = confd.request(
        'GET', '/users/export', token=token, tenant=tenant, headers={'Accept': accept}
    )
    assert response.status_code == 200, response.text
    assert response.headers['Content-Type'].startswith('text/csv')
    rows = list(csv.DictReader(io.StringIO(response.text)))
    return {row['firstname']: row for row in rows}, response


def test_every_group_exports_as_it_was_imported(confd):
    from wazo_confd_users_csv.backends.wazo import (  # needs xivo-dao: not at the top
        export,
    )

    permissions(confd, 'internal', 'international')
    assert confd.post_csv(FULL, tenant=MASTER).status_code == 201

    rows, response = exported(confd)

    assert response.text.splitlines()[0].split(',') == list(export.COLUMNS)
    assert list(export.COLUMNS[: len(export.BUILTIN_COLUMNS)]) == list(
        export.BUILTIN_COLUMNS
    )
    assert set(rows) == {'Alice', 'Bob', 'Carol', 'Dave'}
    alice = rows['Alice']
    assert {
        key: alice[key]
        for key in (
            'lastname',
            'email',
            'username',
            'language',
            'ring_seconds',
            'userfield',
            'subscription_type',
            'exten',
            'context',
            'line_protocol',
            'sip_username',
            'sip_secret',
            'voicemail_name',
            'voicemail_number',
            'voicemail_context',
            'voicemail_password',
            'incall_exten',
            'incall_context',
            'incall_ring_seconds',
            'call_permissions',
            'enabled',
        )
    } == {
        'lastname': 'Smith',
        'email': 'alice@example.com',
        'username': 'alice',
        'language': 'en_US',
        'ring_seconds': '25',
        'userfield': 'uf-a',
        'subscription_type': '2',
        'exten': '1000',
        'context': 'default',
        'line_protocol': 'sip',
        'sip_username': 'alicesip',
        'sip_secret': 'alicesecret',
        'voicemail_name': 'Alice VM',
        'voicemail_number': '1000',
        'voicemail_context': 'default',
        'voicemail_password': '4321',
        'incall_exten': '1000',
        'incall_context': 'from-extern',
        'incall_ring_seconds': '25',
        'call_permissions': 'internal;international',
        'enabled': '1',
    }
    assert len(alice['provisioning_code']) == 6
    assert (rows['Bob']['line_protocol'], rows['Carol']['line_protocol']) == (
        'webrtc',
        'sccp',
    )
    assert rows['Dave']['line_protocol'] == rows['Dave']['exten'] == ''
    assert rows['Dave']['username'] == rows['Dave']['uuid']  # wazo-auth's name for him
    assert response.headers['Cache-Control'] == 'no-store'


def test_a_user_made_by_confd_itself_is_exported(confd):
    made = confd.request(
        'POST', '/users', tenant=MASTER, json={'firstname': 'Rest', 'lastname': 'Made'}
    ).json()

    rows, _ = exported(confd)

    assert rows['Rest']['uuid'] == made['uuid']
    assert rows['Rest']['username'] == ''  # confd's POST /users makes no wazo-auth user


def test_secrets_need_their_own_acl(confd):
    permissions(confd, 'internal', 'international')
    confd.post_csv(FULL, tenant=MASTER)

    rows, response = exported(confd, token='export-token')

    assert rows['Alice']['sip_secret'] == rows['Alice']['voicemail_password'] == ''
    assert rows['Alice']['sip_username'] == 'alicesip'
    # said, so that a page can tell why the secret columns are empty
    assert response.headers['Users-Csv-Secrets'] == 'omitted'
    assert exported(confd)[1].headers['Users-Csv-Secrets'] == 'included'


def test_one_tenant_at_a_time(confd):
    assert confd.post_csv('firstname\nAnn\n', tenant=MASTER).status_code == 201
    assert confd.post_csv('firstname\nSue\n', tenant=SUB).status_code == 201

    assert set(exported(confd, tenant=MASTER)[0]) == {'Ann'}
    assert set(exported(confd, tenant=SUB)[0]) == {'Sue'}
    assert set(exported(confd, token='sub-token', tenant=None)[0]) == {'Sue'}
    refused = confd.request('GET', '/users/export', token='sub-token', tenant=MASTER)
    assert refused.status_code == 401
    assert (
        confd.request(
            'GET', '/users/export', token='lines-token', tenant=MASTER
        ).status_code
        == 401
    )


def test_json_for_clients_that_ask_for_it(confd):
    from wazo_confd_users_csv.backends.wazo import (  # needs xivo-dao: not at the top
        export,
    )

    confd.post_csv('firstname,lastname\nAnn,Lee\n', tenant=MASTER)

    response = confd.request(
        'GET', '/users/export', tenant=MASTER, headers={'Accept': 'application/json'}
    )

    body = response.json()
    assert body['headers'] == list(export.COLUMNS)
    assert [(row['firstname'], row['lastname']) for row in body['content']] == [
        ('Ann', 'Lee')
    ]


def test_sub_tenants_only_when_asked_as_confd_asks(confd):
    confd.post_csv('firstname\nAnn\n', tenant=MASTER)
    confd.post_csv(
        'firstname,exten,context,line_protocol\nSue,1100,default-subtenant,sip\n',
        tenant=SUB,
    )

    response = confd.request(
        'GET',
        '/users/export?recurse=true',
        tenant=MASTER,
        headers={'Accept': 'text/csv; charset=utf-8'},
    )

    rows = {row['firstname']: row for row in csv.DictReader(io.StringIO(response.text))}
    assert set(rows) == {'Ann', 'Sue'}
    assert rows['Sue']['exten'] == '1100'
    assert set(exported(confd, tenant=MASTER)[0]) == {'Ann'}  # without recurse
    only_sub = confd.request(
        'GET',
        '/users/export?recurse=true',
        token='sub-token',
        headers={'Accept': 'text/csv; charset=utf-8'},
    )
    assert 'Ann' not in only_sub.text


def test_raw_by_default_a_spreadsheet_form_on_request_both_read_back(confd):
    body = (
        'firstname,lastname,outgoing_caller_id,userfield\n'
        'L\u00e9a,=HYPERLINK("http://x"),+33123,\'@SUM(A1)\n'
    )
    assert confd.post_csv(body, tenant=MASTER).status_code == 201
    stored = confd.sql("SELECT lastname, outcallerid, userfield FROM userfeatures")
    assert stored == [
        {
            'lastname': '=HYPERLINK("http://x")',
            'outcallerid': '+33123',
            'userfield': "'@SUM(A1)",  # a file without a BOM is read as it is
        }
    ]

    rows, raw = exported(confd)
    spreadsheet = confd.request(
        'GET',
        '/users/export?spreadsheet=true',
        tenant=MASTER,
        headers={'Accept': 'text/csv; charset=utf-8'},
    )
    bom = confd.request(
        'GET',
        '/users/export?bom=true',
        tenant=MASTER,
        headers={'Accept': 'text/csv; charset=utf-8'},
    )

    lea = rows['L\u00e9a']
    assert (lea['lastname'], lea['outgoing_caller_id'], lea['userfield']) == (
        '=HYPERLINK("http://x")',
        '+33123',
        "'@SUM(A1)",
    )
    assert raw.content.endswith(b'\r\n') and b'\n' not in raw.content.replace(
        b'\r\n', b''
    )
    assert spreadsheet.content == bom.content  # ?bom=true: the spreadsheet form
    assert spreadsheet.content.startswith('\ufeff'.encode())
    escaped = next(csv.DictReader(io.StringIO(spreadsheet.content.decode()[1:])))
    assert (
        escaped['lastname'],
        escaped['outgoing_caller_id'],
        escaped['userfield'],
    ) == ('\'=HYPERLINK("http://x")', "'+33123", "''@SUM(A1)")
    for form in (raw.content, spreadsheet.content):
        answer = confd.put_csv(form, tenant=MASTER)
        assert answer.status_code == 200, answer.text
        assert [entry['outcome'] for entry in answer.json()['updated']] == ['unchanged']
    after = confd.sql("SELECT lastname, outcallerid, userfield FROM userfeatures")
    assert after == stored


def test_a_users_list_searches_pages_and_counts_within_the_tenant(confd):
    permissions(confd, 'internal', 'international')
    made = confd.post_csv(FULL, tenant=MASTER)
    assert made.status_code == 201, made.text
    assert (
        confd.post_csv(
            'firstname,exten,context,line_protocol\n'
            'Alice2,1000,default-subtenant,sip\n',
            token='sub-token',
        ).status_code
        == 201
    )

    def listed(**params):
        response = confd.request(
            'GET',
            '/users/export',
            tenant=MASTER,
            params=params,
            headers={'Accept': 'application/json'},
        )
        assert response.status_code == 200, response.text
        return response.json()

    found = listed(search='ALICE')  # the master tenant's Alice only
    assert [row['firstname'] for row in found['content']] == ['Alice']
    assert found['total'] == 1
    assert [row['firstname'] for row in listed(search='alicesip')['content']] == [
        'Alice'
    ]
    assert [row['firstname'] for row in listed(search='1002')['content']] == ['Carol']
    page = listed(limit=2, offset=1)
    assert [row['firstname'] for row in page['content']] == ['Bob', 'Carol']
    assert page['total'] == 4
    uuids = [entry['user_uuid'] for entry in made.json()['created']][2:]
    chosen = listed(uuid=','.join(uuids))
    assert [row['firstname'] for row in chosen['content']] == ['Carol', 'Dave']
    # the wazo-auth login is searched too (Dave's is his uuid: no username nor email)
    assert [row['firstname'] for row in listed(search='alice', limit=5)['content']] == [
        'Alice'
    ]
    bad = confd.request(
        'GET',
        '/users/export',
        tenant=MASTER,
        params={'limit': 'x'},
        headers={'Accept': 'application/json'},
    )
    assert (
        bad.status_code == 400 and 'limit must be' in bad.json()['errors'][0]['message']
    )


def test_an_empty_tenant_exports_the_header_and_the_export_needs_its_acl(confd):
    from wazo_confd_users_csv.backends.wazo import (  # needs xivo-dao: not at the top
        export,
    )

    _, response = exported(confd)

    assert response.content == ','.join(export.COLUMNS).encode() + b'\r\n'
    for token in ('import-token', None):
        refused = confd.request('GET', '/users/export', token=token, tenant=MASTER)
        assert refused.status_code == 401


def test_a_selection_is_the_export_of_those_users_and_a_bad_one_a_clear_400(confd):
    body = 'firstname,lastname\nAlice,A\nPer_cent,B\nPercent,C\n'
    assert confd.post_csv(body, tenant=MASTER).status_code == 201
    _, everyone = exported(confd)

    def selected(accept='text/csv; charset=utf-8', **params):
        return confd.request(
            'GET',
            '/users/export',
            tenant=MASTER,
            params=params,
            headers={'Accept': accept},
        )

    lines = everyone.text.splitlines()
    assert selected(search='alice').text.splitlines() == [lines[0], lines[1]]
    # a search takes its wildcards literally
    found = selected('application/json', search='r_c').json()
    assert [row['firstname'] for row in found['content']] == ['Per_cent']
    assert selected('application/json', search='%').json()['content'] == []
    for params, message in (
        ({'limit': '0'}, 'limit must be a whole number from 1 to 1000'),
        ({'limit': '5000'}, 'limit must be a whole number from 1 to 1000'),
        ({'offset': '-1'}, 'offset must be a whole number'),
        ({'uuid': 'not-a-uuid'}, 'uuid must be user uuids separated by commas'),
        ({'search': 'x' * 101}, 'search must be at most 100 characters long'),
    ):
        response = selected('application/json', **params)
        assert response.status_code == 400, (params, response.text)
        assert message in response.json()['errors'][0]['message']


def test_a_client_leaving_mid_export_leaves_confd_fine(confd):
    rows = ''.join(f'User number {n},{"x" * 100},{"y" * 80}\n' for n in range(6000))
    made = confd.post_csv(
        'firstname,lastname,outgoing_caller_id\n' + rows, tenant=MASTER
    )
    assert made.status_code == 201, made.text[:300]
    _, whole = exported(confd)
    assert len(whole.content) > 1_500_000  # more than the socket buffers hold

    for _ in range(3):
        response = confd.request(
            'GET',
            '/users/export',
            tenant=MASTER,
            stream=True,
            headers={'Accept': 'text/csv; charset=utf-8'},
        )
        chunks = response.iter_content(chunk_size=1024)
        assert next(chunks).startswith(b'uuid,')
        assert b'User number' in next(chunks)
        response.close()  # hang up after the first rows

    assert exported(confd)[1].content == whole.content
    # the exports left behind closed their queries (a generator left open would keep its
    # COPY active, or its transaction idle in it, for good)
    deadline = time.monotonic() + 10
    while True:
        left = confd.sql(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = :name "
            "AND pid <> pg_backend_pid() "
            "AND (state = 'active' OR state LIKE 'idle in transaction%')",
            name=confd.db_name,
        )[0]['n']
        if left == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert left == 0
