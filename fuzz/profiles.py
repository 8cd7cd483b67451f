# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hypothesis profiles shared by the fuzz tests."""

import os

from hypothesis import HealthCheck, settings

# CI: reproducible runs (a red CI must be reproducible); locally: new inputs every run.
settings.register_profile(
    'ci',
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile('dev', deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile('ci' if os.environ.get('CI') else 'dev')
