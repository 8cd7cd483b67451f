"""Set-based building blocks: chunked IN lookups, id allocation and batched inserts."""
import sqlalchemy as sa

# Keeps every statement under SQLite's historical 999 bound parameters.
CHUNK = 400


def chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def select_in(session, build, values, size=CHUNK):
    """Runs build(chunk) for each chunk of values and returns all result rows."""
    rows = []
    for chunk in chunks(values, size):
        rows.extend(session.execute(build(chunk)).all())
    return rows


def allocate_ids(session, table, count):
    """Reserves `count` ids for `table` before a batched insert, in one query.

    PostgreSQL takes them from the table's sequence, so concurrent imports never collide.
    SQLite takes the next ones after max(id): its write lock is held from BEGIN (see session).
    """
    if count == 0:
        return []
    if session.get_bind().dialect.name == 'postgresql':
        rows = session.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                    'FROM generate_series(1, :count)'),
            {'table': table.name, 'count': count},
        )
        return sorted(row[0] for row in rows)
    start = session.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar()
    return list(range(start + 1, start + 1 + count))


def assign_ids(session, table, items):
    """Gives each dict of `items` an id from allocate_ids (in order)."""
    for item, new_id in zip(items, allocate_ids(session, table, len(items))):
        item['id'] = new_id


def insert_many(session, table, rows):
    """One executemany per batch (psycopg2 turns it into multi-row VALUES)."""
    columns = [column.name for column in table.columns]
    payload = [{name: row.get(name) for name in columns} for row in rows]
    for chunk in chunks(payload, 1000):
        session.execute(table.insert(), chunk)


def update_many(session, table, rows):
    """UPDATE ... WHERE id = :id for each row (full rows), batched by the driver."""
    if not rows:
        return
    names = [column.name for column in table.columns if column.name != 'id']
    statement = table.update().where(table.c.id == sa.bindparam('b_id')).values(
        {name: sa.bindparam(f'b_{name}') for name in names})
    payload = [{f'b_{name}': row.get(name) for name in names + ['id']} for row in rows]
    for chunk in chunks(payload, 1000):
        session.execute(statement, chunk)


def delete_pairs(session, table, first, second, pairs):
    """DELETE the (first, second) pairs of an association table, batched by the driver."""
    if not pairs:
        return
    statement = table.delete().where(sa.and_(table.c[first] == sa.bindparam('b_first'),
                                             table.c[second] == sa.bindparam('b_second')))
    payload = [{'b_first': a, 'b_second': b} for a, b in pairs]
    for chunk in chunks(payload, 1000):
        session.execute(statement, chunk)


def sync_sequence(session, table):
    """After inserting explicit ids (reference data), moves the PostgreSQL sequence past them."""
    if session.get_bind().dialect.name != 'postgresql':
        return
    session.execute(
        sa.text(f"SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f'(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)'),
        {'table': table.name},
    )
