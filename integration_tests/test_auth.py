# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""ACLs: static tokens and a wazo-auth backend (faked: it is someone else's service)."""

import pytest
import yaml

from .conftest import TOKEN, Server, make_config
from .helpers import make_csv, user


@pytest.mark.parametrize(
    'token,reason',
    [
        (None, 'an X-Auth-Token header is required'),
        ('', 'an X-Auth-Token header is required'),
        ('no-such-token', 'the token is invalid or expired'),
        ('other', 'the token does not grant the ACL confd.users.import.create'),
    ],
)
def test_import_refused_without_the_acl(server, token, reason):
    response = server.post(make_csv([user()]), token=token)

    assert response.status_code == 401
    assert response.json() == [reason]  # confd's shape: a list of one string
    assert server.count('user') == 0


def test_a_token_with_exactly_the_acl_can_import(server):
    assert server.post(make_csv([user()]), token='import-only').status_code == 201


def test_columns_need_their_own_acl(server):
    assert server.get('/users/import/columns', token='import-only').status_code == 401
    assert server.get('/users/import/columns', token=None).status_code == 401
    response = server.get('/users/import/columns', token='columns-only')
    assert response.status_code == 200


def test_columns_endpoint_lists_the_catalogue(server):
    columns = server.get('/users/import/columns').json()

    assert columns[0]['name'] == 'uuid'
    assert len(columns) == 37
    ring = next(c for c in columns if c['name'] == 'ring_seconds')
    assert ring == {
        'name': 'ring_seconds',
        'group': 'user',
        'type': 'int',
        'required': 'optional',
        'allowed': '0 to 60, a multiple of 5',
        'default': 30,
        'description': 'Seconds a call rings before it ends',
        'stored': 'users_csv_user.ring_seconds',
    }
    exten = next(c for c in columns if c['name'] == 'exten')
    assert (exten['group'], exten['required']) == ('phone', 'in_group')


def test_api_spec_needs_no_token(server):
    response = server.get('/api/api.yml', token=None)

    assert response.status_code == 200
    spec = yaml.safe_load(response.text)
    assert set(spec['paths']) == {
        '/users/import',
        '/users/import/columns',
        '/users/export',
        '/users/import/tenants',
        '/users/import/jobs',
        '/users/import/jobs/{job_uuid}',
    }
    # the host serves every path its spec lists
    for path in (
        '/users/import/columns',
        '/users/import/tenants',
        '/users/export',
        '/users/import/jobs',
    ):
        assert server.get(path).status_code == 200, path
    assert server.get('/users/import/tenants').json() == {
        'items': []
    }  # no tenants here


def test_unknown_route_is_a_json_404(server):
    response = server.get('/users/nothing')
    assert response.status_code == 404
    assert 'errors' in response.json()


@pytest.fixture
def wazo_auth_server(pg_uri, fake_auth):
    server = Server(
        make_config(
            pg_uri,
            None,
            auth={
                'backend': 'wazo_auth',
                'host': '127.0.0.1',
                'port': fake_auth.port,
                'timeout': 3,
            },
        )
    )
    server.clean()
    yield server
    server.stop()


def test_wazo_auth_allows_a_token_that_grants_the_acl(wazo_auth_server, fake_auth):
    response = wazo_auth_server.post(make_csv([user()]), token=TOKEN)

    assert response.status_code == 201, response.text
    assert fake_auth.requests == [(TOKEN, 'confd.users.import.create')]


@pytest.mark.parametrize('token', ['reader', 'unknown-token'])
def test_wazo_auth_refuses_other_tokens(wazo_auth_server, token):
    response = wazo_auth_server.post(make_csv([user()]), token=token)

    assert response.status_code == 401
    assert wazo_auth_server.count('user') == 0


def test_wazo_auth_unreachable_is_503(wazo_auth_server, fake_auth):
    fake_auth.stop()

    response = wazo_auth_server.post(make_csv([user()]), token=TOKEN)

    assert response.status_code == 503
    assert (
        'authentication server cannot be reached'
        in response.json()['errors'][0]['message']
    )
