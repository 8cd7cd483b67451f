# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""A job's end as a poll sees it: never `done` before its answer is stored."""

import pytest

from wazo_confd_users_csv.imports.jobs import Reporter


class Store:
    """Records the phase the reporter tells (what a poll answers from memory) while the
    row is being written."""

    def __init__(self):
        self.reporter = None
        self.told_while_storing = []

    def live(self):
        return True

    def update(self, job_uuid, **values):
        self.told_while_storing.append((values.get('phase'), self.reporter.current))


def test_the_phase_is_told_once_the_answer_is_stored():
    store = Store()
    reporter = Reporter(store, 'job-1')
    store.reporter = reporter
    reporter.phase('publishing')

    reporter.finish('done', 201, {'created': []})

    assert store.told_while_storing[-1] == ('done', 'publishing')
    assert reporter.current == 'done'


class Failing(Store):
    def update(self, job_uuid, **values):
        raise RuntimeError('database gone')


def test_the_phase_is_told_even_when_storing_fails():
    store = Failing()
    reporter = Reporter(store, 'job-2')
    store.reporter = reporter
    with pytest.raises(RuntimeError):
        reporter.finish('failed', message='x')
    assert reporter.current == 'failed'
