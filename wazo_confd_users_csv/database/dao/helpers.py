# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The standalone store's set-based writes: id allocation, batched inserts and updates."""

import sqlalchemy as sa

from ...sql import CopyPipe, chunks, copy_rows, is_postgresql, select_in

# session.info's key of the job's CopyPipe (start_copies)
PIPE = 'users_csv_copy_pipe'


def start_copies(session):
    """From now on (PostgreSQL only), insert_many hands its rows to a COPY thread and goes on:
    the next table's rows are made while the database stores these. Every other statement of
    these helpers waits for the COPYs first (settle); stop_copies ends it."""
    if is_postgresql(session) and PIPE not in session.info:
        session.info[PIPE] = CopyPipe(session.connection().connection)


def settle(session):
    """Waits for the COPYs handed over (raises the first one's error)."""
    pipe = session.info.get(PIPE)
    if pipe is not None:
        pipe.drain()


def stop_copies(session):
    """Waits for the COPYs (errors ignored: for a job that ends anyway) and stops the thread."""
    pipe = session.info.pop(PIPE, None)
    if pipe is not None:
        pipe.close()


def ids_by_name(session, table, names):
    """{name: id} for the rows of `table` named in `names`."""
    settle(session)
    rows = select_in(
        session,
        lambda chunk: sa.select(table.c.id, table.c.name).where(
            table.c.name.in_(chunk)
        ),
        names,
    )
    return {row.name: row.id for row in rows}


def allocate_ids(session, table, count):
    """Reserves `count` ids for `table` before a batched insert, in one query.

    PostgreSQL takes them from the table's sequence, so concurrent imports never collide.
    SQLite takes the next ones after max(id): its write lock is held from BEGIN (see session).
    """
    if count == 0:
        return []
    settle(session)
    if is_postgresql(session):
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


def assign_ids_many(session, groups):
    """assign_ids for several tables, in one query on PostgreSQL: groups [(table, items)]."""
    groups = [(table, items) for table, items in groups if items]
    if not groups:
        return
    if not is_postgresql(session):
        for table, items in groups:
            assign_ids(session, table, items)
        return
    settle(session)
    parts = ', '.join(
        f"(SELECT array_agg(nextval(pg_get_serial_sequence(:table_{n}, 'id'))) "
        f'FROM generate_series(1, :count_{n}))'
        for n in range(len(groups))
    )
    params = {}
    for n, (table, items) in enumerate(groups):
        params[f'table_{n}'] = table.name
        params[f'count_{n}'] = len(items)
    found = session.execute(sa.text(f'SELECT {parts}'), params).one()
    for (_, items), ids in zip(groups, found):
        for item, new_id in zip(items, sorted(ids)):
            item['id'] = new_id


def insert_many(session, table, rows):
    """Inserts dicts: COPY on PostgreSQL (on the COPY thread after start_copies), batched
    executemany elsewhere."""
    if not rows:
        return
    columns = [column.name for column in table.columns]
    pipe = session.info.get(PIPE)
    if pipe is not None:
        pipe.copy(table.name, columns, rows)
        return
    if is_postgresql(session):
        copy_rows(session, table, columns, rows)
        return
    payload = [{name: row.get(name) for name in columns} for row in rows]
    for chunk in chunks(payload, 1000):
        session.execute(table.insert(), chunk)


def update_many(session, table, rows):
    """Full rows replace the rows with their ids.

    PostgreSQL: COPY into a temporary table, then one UPDATE ... FROM it. Elsewhere: an
    UPDATE ... WHERE id = :id executemany.
    """
    if not rows:
        return
    settle(session)
    names = [column.name for column in table.columns if column.name != 'id']
    if is_postgresql(session):
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
    settle(session)
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
    if not is_postgresql(session):
        return
    session.execute(
        sa.text(
            f"SELECT setval(pg_get_serial_sequence(:table, 'id'), "
            f'(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)'
        ),
        {'table': table.name},
    )
