# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""One table of defaults for both hosts, under users_csv; earlier keys still honoured."""

from wazo_confd_users_csv import settings
from wazo_confd_users_csv.host import config as host_config


def test_an_empty_configuration_gets_every_default():
    assert settings.of({}) == settings.DEFAULTS


def test_users_csv_keys_win_over_the_earlier_ones():
    found = settings.of(
        {
            'users_csv': {'max_rows': 10, 'relay_interval': 0.5},
            'rest_api': {'max_rows': 20, 'max_body_bytes': 1000},
            'bus': {'relay_interval': 2.0},
        }
    )
    assert (found['max_rows'], found['relay_interval'], found['max_body_bytes']) == (
        10,
        0.5,
        1000,  # only the earlier key said it
    )


def test_the_standalone_hosts_file_reads_the_same_keys():
    found = settings.of(host_config.load())
    assert found['max_rows'] == settings.DEFAULTS['max_rows']
    assert found['db_uri'] == 'sqlite:///users_csv.db'  # the host's own, passed along


def test_wazo_auth_calls_in_flight_follow_the_cores_of_a_local_wazo_auth_else_the_setting():
    import os

    from wazo_confd_users_csv.backends.wazo.auth_users import workers_for

    cores = os.cpu_count()
    assert workers_for({'host': 'localhost'}) == 4 * cores
    assert workers_for({'host': '127.0.0.1'}, None) == 4 * cores
    assert workers_for({'host': 'auth.example.com'}) == 8
    assert workers_for({'host': 'auth.example.com'}, 12) == 12
    assert workers_for({'host': 'localhost'}, 3) == 3


def test_jobs_at_once_is_a_whole_number_of_one_or_more():
    import pytest

    from wazo_confd_users_csv.imports.jobs import at_once_setting

    assert at_once_setting(settings.of({})) == 2
    assert at_once_setting(settings.of({'users_csv': {'jobs_at_once': 1}})) == 1
    for wrong in (0, -1, 1.5, '2', True):
        with pytest.raises(ValueError, match='users_csv.jobs_at_once'):
            at_once_setting({'jobs_at_once': wrong})
