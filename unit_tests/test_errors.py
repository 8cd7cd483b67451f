# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

from wazo_confd_users_csv.errors import (
    MAX_ERRORS,
    Error,
    ErrorLog,
    ValidationFailed,
    line_runs,
)


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


def _offer_all(log, cells, phase, owners=None):
    """Errors of rows (row_number -> columns), as the pipeline finds them: row by row; each
    row lists what the log keeps of its errors (in `owners`: row_number -> list)."""
    made = []
    owners = {} if owners is None else owners
    for row_number, names in cells.items():
        owner = owners.setdefault(row_number, [])
        for column in names:

            def make(row_number=row_number, column=column):
                made.append((row_number, column))
                return Error(
                    phase,
                    f'{column}: {phase}',
                    row_number=row_number,
                    line=row_number + 1,
                    column=column,
                )

            kept = log.offer(phase, column, row_number, row_number + 1, make, owner)
            if kept is not None:
                owner.append(kept)
    return made, owners


def test_the_log_keeps_the_first_errors_in_file_order_and_counts_them_all():
    log = ErrorLog(limit=5)
    # every row has two bad cells; then a later check finds one more on row 1
    made, owners = _offer_all(log, {n: ['a', 'b'] for n in range(1, 1001)}, 'invalid')
    later, _ = _offer_all(log, {1: ['c'], 500: ['c']}, 'taken', owners)

    assert log.total == 2002
    assert [(e.row_number, e.column, e.code) for e in log.errors()] == [
        (1, 'a', 'invalid'),
        (1, 'b', 'invalid'),
        (1, 'c', 'taken'),  # found later, but on an earlier row: kept, in row order
        (2, 'a', 'invalid'),
        (2, 'b', 'invalid'),
    ]
    # row 3's error was pushed out of its row's list: it fails with none listed
    assert [len(owners[n]) for n in (1, 2, 3, 4)] == [3, 2, 0, 0]
    # errors past the cap are never built, except the first of each kind (an example)
    assert (len(made), len(later)) == (5, 1)
    assert set(log.first) == {('a', 'invalid'), ('b', 'invalid'), ('c', 'taken')}
    summary = log.summary(shown=5)
    assert (summary['total'], summary['more'], summary['rows']) == (2002, 1997, 1000)
    assert summary['by_column'] == [
        {'column': 'a', 'code': 'invalid', 'count': 1000},
        {'column': 'b', 'code': 'invalid', 'count': 1000},
        {'column': 'c', 'code': 'taken', 'count': 2},
    ]
    assert summary['failing_lines'] == [[2, 1001]]


def test_an_answer_of_a_log_lists_the_first_and_counts_every_error():
    log = ErrorLog(limit=3)
    _offer_all(log, {n: ['a'] for n in range(1, 11)}, 'invalid')

    body = ValidationFailed(log.errors(), log).body()

    assert len(body['errors']) == 3
    assert '1 of 10 errors' in body['errors'][0]['message']
    assert body['error_summary']['total'] == 10
    assert body['error_summary']['failing_lines'] == [[2, 11]]


def test_a_log_without_a_limit_keeps_every_error():
    log = ErrorLog(limit=None)
    made, _ = _offer_all(log, {n: ['a'] for n in range(1, 2001)}, 'invalid')
    assert len(made) == len(log.errors()) == log.total == 2000
