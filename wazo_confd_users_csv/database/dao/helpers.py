# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Set-based building blocks: chunked IN lookups, id allocation and batched inserts."""

import io

import sqlalchemy as sa

# Keeps every statement under SQLite's historical 999 bound parameters; PostgreSQL takes
# long IN lists well, and fewer round trips matter more there.
CHUNK = 400
PG_CHUNK = 5000


def chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def select_in(session, build, values, size=None):
    """Runs build(chunk) for each chunk of values and returns all result rows."""
    if size is None:
        size = PG_CHUNK if session.get_bind().dialect.name == 'postgresql' else CHUNK
    rows = []
    for chunk in chunks(values, size):
        rows.extend(session.execute(build(chunk)).all())
    return rows


def ids_by_name(session, table, names):
    """{name: id} for the rows of `table` named in `names`."""
    rows = select_in(
        session,
        lambda chunk: sa.select(table.c.id, table.c.name).where(
            table.c.name.in_(chunk)
        ),
        names,
    )
    return {row.name: row.id for row in rows}


def select_pairs(session, build, first_column, second_column, pairs):
    """Rows whose (first, second) is one of `pairs`.

    A row-value `(a, b) IN (...)` defeats PostgreSQL's index on (a, b); `a IN (...) AND b IN
    (...)` uses it, and the few extra rows it may match are filtered here.
    """
    pairs = set(pairs)
    seconds = sorted({second for _, second in pairs})
    rows = select_in(
        session,
        lambda chunk: build()
        .where(first_column.in_(chunk))
        .where(second_column.in_(seconds)),
        sorted({first for first, _ in pairs}),
    )
    return [
        row
        for row in rows
        if (row._mapping[first_column], row._mapping[second_column]) in pairs
    ]


def allocate_ids(session, table, count):
    """Reserves `count` ids for `table` before a batched insert, in one query.

    PostgreSQL takes them from the table's sequence, so concurrent imports never collide.
    SQLite takes the next ones after max(id): its write lock is held from BEGIN (see session).
    """
    if count == 0:
        return []
    if session.get_bind().dialect.name == 'postgresql':
        ids = session.execute(
            sa.text(
                "SELECT array_agg(nextval(pg_get_serial_sequence(:table, 'id'))) "
                'FROM generate_series(1, :count)'
            ),
            {'table': table.name, 'count': count},
        ).scalar()
        return sorted(ids)
    start = session.execute(
        sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))
    ).scalar()
    return list(range(start + 1, start + 1 + count))


def assign_ids(session, table, items):
    """Gives each dict of `items` an id from allocate_ids (in order)."""
    for item, new_id in zip(items, allocate_ids(session, table, len(items))):
        item['id'] = new_id


def insert_many(session, table, rows):
    """Inserts dicts: COPY on PostgreSQL, batched executemany elsewhere."""
    if not rows:
        return
    columns = [column.name for column in table.columns]
    if session.get_bind().dialect.name == 'postgresql':
        copy_rows(session, table, columns, rows)
        return
    payload = [{name: row.get(name) for name in columns} for row in rows]
    for chunk in chunks(payload, 1000):
        session.execute(table.insert(), chunk)


_COPY_ESCAPES = str.maketrans({'\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r'})


def _copy_text(value):
    """A value in COPY's text format: \\N is null, and \\ tab and line breaks are escaped."""
    if value is None:
        return '\\N'
    if value is True:
        return 't'
    if value is False:
        return 'f'
    return str(value).translate(_COPY_ESCAPES)


def copy_rows(session, table, columns, rows):
    """COPY FROM STDIN in the session's transaction: the fastest way PostgreSQL takes rows.

    `table` only needs a name (a Table, or sa.table(name) for a staging table).
    """
    buffer = io.StringIO()
    for row in rows:
        buffer.write('\t'.join([_copy_text(row.get(name)) for name in columns]))
        buffer.write('\n')
    buffer.seek(0)
    names = ', '.join(f'"{name}"' for name in columns)
    # a Session, or a Connection (which has no .connection() method but the DBAPI one)
    connection = session.connection() if callable(session.connection) else session
    cursor = connection.connection.cursor()
    try:
        cursor.copy_expert(f'COPY {table.name} ({names}) FROM STDIN', buffer)
    finally:
        cursor.close()


def update_many(session, table, rows):
    """Full rows replace the rows with their ids.

    PostgreSQL: COPY into a temporary table, then one UPDATE ... FROM it. Elsewhere: an
    UPDATE ... WHERE id = :id executemany.
    """
    if not rows:
        return
    names = [column.name for column in table.columns if column.name != 'id']
    if session.get_bind().dialect.name == 'postgresql':
        staging = f'{table.name}_staging'
        session.execute(
            sa.text(
                f'CREATE TEMPORARY TABLE IF NOT EXISTS {staging} '
                f'(LIKE {table.name}) ON COMMIT DELETE ROWS'
            )
        )
        session.execute(sa.text(f'TRUNCATE {staging}'))
        copy_rows(session, sa.table(staging), ['id'] + names, rows)
        assignments = ', '.join(f'"{name}" = s."{name}"' for name in names)
        session.execute(
            sa.text(
                f'UPDATE {table.name} AS t SET {assignments} '
                f'FROM {staging} AS s WHERE t.id = s.id'
            )
        )
        return
    statement = (
        table.update()
        .where(table.c.id == sa.bindparam('b_id'))
        .values({name: sa.bindparam(f'b_{name}') for name in names})
    )
    payload = [{f'b_{name}': row.get(name) for name in names + ['id']} for row in rows]
    for chunk in chunks(payload, 1000):
        session.execute(statement, chunk)


def delete_pairs(session, table, first, second, pairs):
    """DELETE the (first, second) pairs of an association table, batched by the driver."""
    if not pairs:
        return
    statement = table.delete().where(
        sa.and_(
            table.c[first] == sa.bindparam('b_first'),
            table.c[second] == sa.bindparam('b_second'),
        )
    )
    payload = [{'b_first': a, 'b_second': b} for a, b in pairs]
    for chunk in chunks(payload, 1000):
        session.execute(statement, chunk)


def sync_sequence(session, table):
    """After inserting explicit ids (reference data), moves the PostgreSQL sequence past them."""
    if session.get_bind().dialect.name != 'postgresql':
        return
    session.execute(
        sa.text(
            f"SELECT setval(pg_get_serial_sequence(:table, 'id'), "
            f'(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)'
        ),
        {'table': table.name},
    )


def lowered_by_database(session, values):
    """{value: lower(value)} as the database computes it: a unique index on lower(column)
    judges with the database's lower(), which differs from Python's beyond ASCII ('İ').
    """
    found = {}
    for chunk in chunks(sorted(values), 400):  # one row of up to 400 columns per query
        row = session.execute(
            sa.select(*[sa.func.lower(sa.literal(value, sa.String)) for value in chunk])
        ).one()
        found.update(zip(chunk, row))
    return found
