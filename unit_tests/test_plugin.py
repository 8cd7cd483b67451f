# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The entry point resolves through stevedore and load() needs neither database nor request."""

from flask import Flask
from flask_restful import Api
from stevedore import NamedExtensionManager

from wazo_confd_users_csv.host import config as config_module
from wazo_confd_users_csv.plugin import Plugin


def test_entry_point_resolves_through_stevedore():
    manager = NamedExtensionManager('wazo_confd.plugins', names=['users_csv'])
    assert [extension.plugin for extension in manager] == [Plugin]


def test_load_registers_routes_without_touching_the_database():
    app = Flask(__name__)
    api = Api(app, prefix='/1.1')
    # a database URI that cannot be reached: load() must not try
    config = {
        'users_csv': {'db_uri': 'postgresql://nobody@127.0.0.1:1/none'},
        'auth': {'host': 'localhost', 'port': 9497},
        'rest_api': {},
    }

    Plugin().load({'api': api, 'config': config, 'bus_publisher': object()})

    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert {'/1.1/users/import', '/1.1/users/import/columns'} <= rules


def test_plugin_database_key_wins_and_standalone_falls_back_to_db_uri():
    assert config_module.load()['users_csv']['db_uri'] == 'sqlite:///users_csv.db'
    merged = config_module.complete(
        config_module.merge(
            config_module.DEFAULTS,
            {'db_uri': 'sqlite:///a.db', 'users_csv': {'db_uri': 'sqlite:///b.db'}},
        )
    )
    assert merged['users_csv']['db_uri'] == 'sqlite:///b.db'
    assert merged['rest_api']['port'] == 9486
