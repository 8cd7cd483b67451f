# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import pytest

from wazo_confd_users_csv.auth import StaticAuth, WazoAuth, acl_matches, build_auth
from wazo_confd_users_csv.errors import Unauthorized


@pytest.mark.parametrize(
    'pattern,acl,expected',
    [
        ('confd.#', 'confd.users.import.create', True),
        ('confd.users.#', 'confd.users.import.create', True),
        ('confd.users.import.create', 'confd.users.import.create', True),
        ('confd.users.import.*', 'confd.users.import.create', True),
        ('confd.*.import.create', 'confd.users.import.create', True),
        ('confd.*', 'confd.users.import.create', False),
        ('confd.users.import.read', 'confd.users.import.create', False),
        ('confd.users.import', 'confd.users.import.create', False),
        ('confd.lines.#', 'confd.users.import.create', False),
        ('confd.users', 'confdXusers', False),
        ('#', 'anything.at.all', True),
    ],
)
def test_acl_matching(pattern, acl, expected):
    assert acl_matches(pattern, acl) is expected


def test_static_auth():
    auth = StaticAuth({'t1': ['confd.users.#'], 't2': []})
    auth.check('t1', 'confd.users.import.create')
    with pytest.raises(Unauthorized):
        auth.check('t2', 'confd.users.import.create')
    with pytest.raises(Unauthorized):
        auth.check('nope', 'confd.users.import.create')


def test_build_auth_defaults_to_wazo_auth_as_inside_confd():
    auth = build_auth({'auth': {'host': 'auth.example', 'port': 9497, 'prefix': None}})
    assert isinstance(auth, WazoAuth)
    assert auth.base == 'http://auth.example:9497/0.1/token/'


def test_build_auth_refuses_unknown_backend():
    with pytest.raises(ValueError):
        build_auth({'auth': {'backend': 'ldap'}})
