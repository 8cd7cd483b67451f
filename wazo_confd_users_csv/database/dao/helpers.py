# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The standalone store's set-based writes: id allocation, batched inserts and updates."""

import sqlalchemy as sa

from ...sql import chunks, copy_rows, is_postgresql, select_in


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


def allocate_ids(session, table, count):
    """Reserves `count` ids for `table` before a batched insert, in one query.

    PostgreSQL takes them from the table's sequence, so concurrent imports never collide.
    SQLite takes the next ones after max(id): its write lock is held from BEGIN (see session).
    """
    if count == 0:
        return []
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


def insert_many(session, table, rows):
    """Inserts dicts: COPY on PostgreSQL, batched executemany elsewhere."""
    if not rows:
        return
    columns = [column.name for column in table.columns]
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
