# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""confd's own Python client (wazo-confd-client, from the wheelhouse) against the plugin inside
the real confd: import, errors, export, as scripts written for confd's built-in use them."""

import csv
import io

import pytest

from wazo_confd_users_csv_testing.standins import MASTER, SUB


def client(confd, token='admin-token', tenant=None):
    from wazo_confd_client import Client

    host, port = confd.url.split('//')[1].split('/')[0].split(':')
    return Client(
        host, port=int(port), https=False, token=token, prefix=None, tenant=tenant
    )


def test_import_then_export(confd):
    answer = client(confd).users.import_csv(
        'firstname,lastname,exten,context,line_protocol\n' 'Ann,Lee,1000,default,sip\n',
        tenant_uuid=MASTER,
    )

    assert [entry['row_number'] for entry in answer['created']] == [1]
    assert isinstance(answer['created'][0]['sip_uuid'], str)
    data = client(confd).users.export_csv(tenant_uuid=MASTER)
    rows = list(csv.DictReader(io.StringIO(data.decode('utf-8'))))
    assert [(row['firstname'], row['exten'], row['line_protocol']) for row in rows] == [
        ('Ann', '1000', 'sip')
    ]


def test_errors_come_back_as_data(confd):
    answer = client(confd).users.import_csv(
        'firstname,exten,context,line_protocol\n' 'Ann,5000,default,sip\n',
        tenant_uuid=MASTER,
    )

    [error] = answer['errors']
    assert (
        error['details']['code'],
        error['details']['column'],
        error['details']['row_number'],
        error['details']['line'],
    ) == ('out_of_range', 'exten', 1, 2)


def test_a_tenant_the_token_may_not_use_is_confds_401(confd):
    from requests import HTTPError

    sub = client(confd, token='sub-token')
    with pytest.raises(HTTPError) as confds_own:
        sub.users.list(tenant_uuid=MASTER)
    with pytest.raises(HTTPError) as ours:
        sub.users.export_csv(tenant_uuid=MASTER)
    answer = sub.users.import_csv('firstname\nAnn\n', tenant_uuid=MASTER)

    assert (
        confds_own.value.response.status_code == ours.value.response.status_code == 401
    )
    assert 'sub-token' in str(
        ours.value
    )  # confd's own message, folded in by the client
    # confd's 401 body: a list of one string naming token, ACL and tenant
    assert answer == [str(('sub-token', 'confd.users.import.create', MASTER))]
    assert confds_own.value.response.json() == [
        str(('sub-token', 'confd.users.read', MASTER))
    ]
    assert confd.get('/users?recurse=false', tenant=MASTER).json()['total'] == 0
    assert confd.get('/users?recurse=false', tenant=SUB).json()['total'] == 0


def test_update_from_an_export(confd):
    ours = client(confd, tenant=MASTER)
    ours.users.import_csv(
        'firstname,lastname,exten,context,line_protocol\n' 'Ann,Lee,1000,default,sip\n'
    )
    rows = list(csv.DictReader(io.StringIO(ours.users.export_csv().decode('utf-8'))))
    rows[0].update(lastname='Lee-Smith', exten='1001')
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator='\n')
    writer.writeheader()
    writer.writerows(rows)

    answer = ours.users.update_csv(out.getvalue())  # the client's tenant: Wazo-Tenant

    assert [entry['user_uuid'] for entry in answer['updated']] == [rows[0]['uuid']]
    assert isinstance(answer['updated'][0]['sip_uuid'], str)
    user = ours.users.get(rows[0]['uuid'])
    assert user['lastname'] == 'Lee-Smith'
    assert ours.lines.get(user['lines'][0]['id'])['extensions'][0]['exten'] == '1001'
    # a refused file: the errors as data, as for an import
    answer = ours.users.update_csv(
        'uuid,firstname\n00000000-0000-4000-8000-000000000000,X\n'
    )
    assert [error['details']['code'] for error in answer['errors']] == ['unknown_user']
