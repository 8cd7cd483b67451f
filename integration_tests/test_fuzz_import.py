"""Fuzz: random and mutated files through the whole import. Success or a 4xx JSON error only.

In-process on SQLite (the whole pipeline, checks and writes, rolled back as a dry run), and
through the HTTP server on PostgreSQL (real imports and updates, dry run or not).
"""
import glob
import os

import pytest
import requests
from hypothesis import given, settings, strategies as st

from fuzz.strategies import any_file
from wazo_confd_users_csv import plugin
from wazo_confd_users_csv.errors import APIError

from .conftest import TOKEN

EXAMPLES = os.path.join(os.path.dirname(__file__), '..', 'examples')
SEEDS = [open(path, 'rb').read() for path in sorted(glob.glob(os.path.join(EXAMPLES, '*.csv')))]


@pytest.fixture(scope='module')
def sqlite_service(sqlite_server):
    components = plugin.build(sqlite_server.config)
    yield components.import_service
    components.database.dispose()


def test_import_pipeline_on_sqlite(sqlite_service):
    @settings(max_examples=3000)
    @given(any_file(SEEDS), st.sampled_from(['create', 'update']))
    def run(body, verb):
        try:
            result = getattr(sqlite_service, verb)(body, dry_run=True)
        except APIError as exc:
            assert 400 <= exc.status < 500, exc.errors
            return
        assert len(result.plans) >= 1

    run()


def test_http_never_answers_5xx(server):
    session = requests.Session()

    @settings(max_examples=1000)
    @given(any_file(SEEDS), st.sampled_from(['POST', 'PUT']), st.booleans(),
           st.sampled_from(['text/csv; charset=utf-8', 'text/plain', 'text/csv; charset=latin-1',
                            None]))
    def run(body, method, dry_run, content_type):
        headers = {'X-Auth-Token': TOKEN}
        if content_type:
            headers['Content-Type'] = content_type
        response = session.request(method, server.url + '/users/import', data=body,
                                   params={'dry_run': str(dry_run).lower()}, headers=headers,
                                   timeout=60)
        assert response.status_code < 500, response.text[:500]
        assert response.headers['Content-Type'].startswith('application/json')
        payload = response.json()
        if response.status_code >= 400:
            assert payload['errors'] and 'Traceback' not in response.text

    run()
