# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fuzz inside the real wazo-confd, as the standalone host's test_fuzz_import.py does through
its own server: random and mutated files, by POST and PUT, dry run or not, with any media
type and charset. Whatever the bytes, a success or a 4xx JSON error: never a 500."""

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.strategies import any_file
from wazo_confd_users_csv_testing.standins import MASTER

from ..test_fuzz_import import CONTENT_TYPES, SEEDS


@pytest.mark.slow  # tens of seconds: make unit never runs it, make test does
def test_confd_never_answers_5xx(confd):
    session = requests.Session()

    @settings(
        max_examples=300,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        any_file(SEEDS),
        st.sampled_from(['POST', 'PUT']),
        st.booleans(),
        st.sampled_from(CONTENT_TYPES),
    )
    def run(body, method, dry_run, content_type):
        headers = {'X-Auth-Token': 'admin-token', 'Wazo-Tenant': MASTER}
        if content_type:
            headers['Content-Type'] = content_type
        response = session.request(
            method,
            confd.url + '/users/import',
            data=body,
            params={'dry_run': str(dry_run).lower()},
            headers=headers,
            timeout=60,
        )
        assert response.status_code < 500, response.text[:500]
        assert response.headers['Content-Type'].startswith('application/json')
        payload = response.json()
        if response.status_code >= 400:
            assert payload['errors'] and 'Traceback' not in response.text

    run()
