# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

from wazo_confd_users_csv.imports.phases import NAMES, Phases, parse


def test_the_log_text_reads_back_phase_by_phase_in_the_order_a_job_runs_them():
    phases = Phases()
    phases.add('write', 1.2344)
    phases.add('read', 0.05)
    phases.add('write', 0.5)

    text = phases.log_text()

    assert text.startswith('read:50,lookups:0,')
    assert parse(text) == dict(zip(NAMES, (0.05, 0.0, 0.0, 0.0, 0.0, 1.734, 0.0)))


def test_a_timed_phase_counts_even_when_it_raises():
    phases = Phases()
    try:
        with phases.timing('check'):
            raise ValueError()
    except ValueError:
        pass

    assert set(phases.seconds) == set(NAMES)
    assert phases.seconds['check'] > 0
