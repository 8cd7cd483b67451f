# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Design for scale: the number of SQL statements does not grow with the rows."""

import contextlib

from sqlalchemy import event

from .helpers import make_csv, phone, user


def full_rows(count, start=0):
    return [
        user(
            f'U{i}',
            email=f'u{i}@example.com',
            username=f'user{i}',
            password='s3cret',
            cti_profile_name='Client',
            cti_profile_enabled='1',
            **phone(str(1000 + i), 'sip' if i % 3 else 'sccp'),
            incall_exten=str(2000 + i),
            incall_context='from-extern',
            voicemail_name=f'Box {i}',
            voicemail_number=str(1000 + i),
            voicemail_context='default',
            call_permissions='international;mobile',
        )
        for i in range(start, start + count)
    ]


@contextlib.contextmanager
def statements(server):
    engine = server.app.extensions['users_csv_plugins'][
        'users_csv'
    ].obj.components.database.engine
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        # the outbox relay shares the engine from its own thread: not part of the job
        if 'users_csv_outbox' not in statement and 'advisory' not in statement:
            seen.append(statement)

    event.listen(engine, 'before_cursor_execute', count)
    try:
        yield seen
    finally:
        event.remove(engine, 'before_cursor_execute', count)


def test_statements_do_not_grow_with_rows(server):
    with statements(server) as small:
        assert server.post(make_csv(full_rows(20))).status_code == 201
    server.clean()
    with statements(server) as large:
        response = server.post(make_csv(full_rows(900)))
    assert response.status_code == 201, response.text[:500]

    # Chunked lookups (400 values) and batched inserts (1000 rows) add a few statements per
    # chunk, never one per row: 45x the rows may not cost more than a handful more statements.
    assert len(large) <= len(small) + 25, (len(small), len(large))
    assert len(large) < 100
    assert server.count('user') == 900
    assert server.count('user_call_permission') == 1800


def test_export_runs_a_fixed_number_of_queries(lite):
    """The merged-queries path (SQLite): three queries whatever the number of users."""
    assert lite.post(make_csv(full_rows(5))).status_code == 201
    with statements(lite) as small:
        assert lite.get('/users/export').status_code == 200
    assert lite.post(make_csv(full_rows(600, start=5))).status_code == 201
    with statements(lite) as large:
        response = lite.get('/users/export')

    assert response.text.count('\n') == 606
    queries = [
        [s for s in seen if s.lstrip().upper().startswith('SELECT')]
        for seen in (small, large)
    ]
    assert len(queries[0]) == len(queries[1]) == 3  # users, incalls, call permissions


def test_export_on_postgresql_is_one_copy(server):
    """PostgreSQL writes the CSV itself: one COPY on the raw connection, no other statement."""
    assert server.post(make_csv(full_rows(300))).status_code == 201
    with statements(server) as seen:
        response = server.get('/users/export')

    assert response.text.count('\n') == 301
    assert seen == []
