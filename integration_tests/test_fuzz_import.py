# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fuzz: random and mutated files through the whole import. Success or a 4xx JSON error only.

In-process on SQLite (the whole pipeline, checks and writes, rolled back as a dry run), and
through the HTTP server on PostgreSQL (real imports and updates, dry run or not).
"""

import glob
import os

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz.strategies import any_file
from wazo_confd_users_csv.backends.standalone import plugin
from wazo_confd_users_csv.errors import APIError

from .conftest import TOKEN

EXAMPLES = os.path.join(os.path.dirname(__file__), '..', 'examples')
SEEDS = [
    open(path, 'rb').read()
    for path in sorted(glob.glob(os.path.join(EXAMPLES, '*.csv')))
]


# Text charsets by several names, and codecs Python knows that are not text charsets (they
# must be refused, never run: bz2 or zlib would inflate the body).
CHARSETS = [
    'utf-8',
    'UTF8',
    'latin-1',
    'iso-8859-15',
    'windows-1252',
    'cp1252',
    'ascii',
    'utf-16',
    'utf-16-le',
    'bz2',
    'zlib',
    'base64',
    'hex',
    'uu',
    'rot13',
    'idna',
    'punycode',
    'utf-7',
    'utf-32',
    'unicode_escape',
    'raw_unicode_escape',
    'x' * 200,
    '',
    '"utf-8"',
]
CONTENT_TYPES = ['text/plain', None] + [
    f'text/csv; charset={name}' for name in CHARSETS
]


@pytest.fixture(scope='module')
def sqlite_service(sqlite_server):
    components = plugin.build(sqlite_server.config)
    yield components.import_service
    components.database.dispose()


@pytest.mark.slow  # fuzzing: tens of seconds
def test_import_pipeline_on_sqlite(sqlite_service):
    @settings(max_examples=3000)
    @given(any_file(SEEDS), st.sampled_from(['create', 'update']))
    def run(body, verb):
        try:
            result = getattr(sqlite_service, verb)(body, dry_run=True)
        except APIError as exc:
            assert 400 <= exc.status < 500, exc.errors
            return
        # a file with rows plans them; an empty or header-only one is nothing to do
        assert result.plans or result.notices

    run()


@pytest.mark.slow  # fuzzing: tens of seconds
def test_http_never_answers_5xx(server):
    session = requests.Session()

    @settings(max_examples=1000)
    @given(
        any_file(SEEDS),
        st.sampled_from(['POST', 'PUT']),
        st.booleans(),
        st.sampled_from(CONTENT_TYPES),
    )
    def run(body, method, dry_run, content_type):
        headers = {'X-Auth-Token': TOKEN}
        if content_type:
            headers['Content-Type'] = content_type
        response = session.request(
            method,
            server.url + '/users/import',
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


def test_truncated_uploads_never_answer_5xx(server):
    """Bodies cut short of their Content-Length (a dropped connection): a 4xx JSON answer."""
    import socket

    @settings(max_examples=150)
    @given(
        any_file(SEEDS),
        st.integers(min_value=1, max_value=10**6),
        st.sampled_from(['POST', 'PUT']),
    )
    def run(body, missing, method):
        connection = socket.create_connection(('127.0.0.1', server.port))
        try:
            connection.sendall(
                f'{method} /1.1/users/import?dry_run=true HTTP/1.1\r\nHost: x\r\n'
                f'X-Auth-Token: {TOKEN}\r\nContent-Type: text/csv\r\n'
                f'Content-Length: {len(body) + missing}\r\n\r\n'.encode() + body
            )
            connection.shutdown(socket.SHUT_WR)
            connection.settimeout(60)
            answer = b''
            while chunk := connection.recv(65536):
                answer += chunk
        finally:
            connection.close()
        status = int(answer.split(b' ', 2)[1])
        assert 400 <= status < 500, answer[:300]
        assert b'application/json' in answer.split(b'\r\n\r\n', 1)[0]
        assert b'Traceback' not in answer

    run()
