# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fuzz: whatever the bytes, the reader returns rows or raises a 4xx error, nothing else."""

import glob
import os

import pytest
from hypothesis import given, settings

from fuzz.strategies import any_file
from wazo_confd_users_csv import reader
from wazo_confd_users_csv.errors import APIError

EXAMPLES = os.path.join(os.path.dirname(__file__), '..', 'examples')
SEEDS = [
    open(path, 'rb').read()
    for path in sorted(glob.glob(os.path.join(EXAMPLES, '*.csv')))
]


@pytest.mark.slow  # about 30 s: make unit leaves it out, make test runs it
@settings(max_examples=6000)
@given(any_file(SEEDS))
def test_reader_never_fails_badly(body):
    try:
        table = reader.read(body, max_rows=50)
    except APIError as exc:
        assert 400 <= exc.status < 500
        assert exc.errors and all(error.message for error in exc.errors)
        return
    assert table.header or table.warnings
    for row in table.rows:
        assert set(row.cells) == set(table.header)
        assert row.line >= 2
