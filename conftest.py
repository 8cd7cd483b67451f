# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hypothesis profiles for every test directory. `CI=1` (set by .ci/run) selects `ci`:
derandomized, so that a CI run is reproducible, and with no example database on disk.

The `slow` marker: tests that take tens of seconds on their own (fuzzing). `make unit`
leaves them out so that it takes seconds; `make test` (and CI) runs them."""

import os

from hypothesis import settings

settings.register_profile(
    'ci', derandomize=True, database=None, deadline=None, print_blob=True
)
settings.register_profile('dev', deadline=None)
settings.load_profile('ci' if os.environ.get('CI') else 'dev')


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'slow: takes tens of seconds (fuzzing); make unit leaves it out'
    )
