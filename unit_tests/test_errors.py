# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

from wazo_confd_users_csv.errors import MAX_ERRORS, Error, ValidationFailed, line_runs


def test_line_runs_merge_consecutive_lines_only():
    assert line_runs([]) == []
    assert line_runs([7, 3, 4, 5, 5, 9, 10]) == [[3, 5], [7, 7], [9, 10]]


def test_the_summary_names_every_failing_line_past_the_cap():
    errors = [
        Error('invalid', 'bad', row_number=n, line=n + 1, column='c')
        for n in range(1, MAX_ERRORS + 300)
    ]
    errors.append(Error('header', 'the file', line=1))  # a file error marks no row
    errors.append(Error('invalid', 'again', row_number=5, line=6, column='d'))

    summary = ValidationFailed(errors).body()['error_summary']

    assert summary['shown'] == MAX_ERRORS
    assert summary['failing_lines'] == [[2, MAX_ERRORS + 300]]
