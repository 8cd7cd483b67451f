"""Export: one CSV row per user, ordered by id, streamed in chunks with flat memory."""
import csv
import io
import itertools

from . import columns
from .database.dao import export as export_dao

CHUNK_ROWS = 500
INCALL_COLUMNS = ('incall_exten', 'incall_context', 'incall_ring_seconds')


def format_value(column, value):
    if value is None:
        return ''
    if column.type == columns.BOOL:
        return '1' if value else '0'
    return str(value)


def _grouped(rows):
    """(user_id, [rows]) from rows ordered by user_id."""
    return ((user_id, list(group)) for user_id, group in
            itertools.groupby(rows, key=lambda row: row.user_id))


class _Follower:
    """Walks a query ordered by user id alongside the users' query."""

    def __init__(self, rows):
        self.groups = _grouped(rows)
        self.current = next(self.groups, None)

    def take(self, user_id):
        while self.current is not None and self.current[0] < user_id:
            self.current = next(self.groups, None)
        if self.current is not None and self.current[0] == user_id:
            return self.current[1]
        return []


def records(connection):
    """One dict per user with every export column, as Python values."""
    incalls = _Follower(export_dao.stream(connection, export_dao.incalls()))
    permissions = _Follower(export_dao.stream(connection, export_dao.call_permissions()))
    last_id = None
    for row in export_dao.stream(connection, export_dao.users()):
        if row.id == last_id:
            continue  # a second main line would repeat the user: only the first is exported
        last_id = row.id
        record = dict(row._mapping)
        found = sorted(incalls.take(row.id), key=lambda i: (i.exten, i.context))
        record['incall_exten'] = ';'.join(i.exten for i in found) or None
        record['incall_context'] = ';'.join(i.context for i in found) or None
        record['incall_ring_seconds'] = ';'.join(
            '' if i.ring_seconds is None else str(i.ring_seconds) for i in found) or None
        record['call_permissions'] = ';'.join(sorted(p.name for p in permissions.take(row.id)))
        yield record


def csv_rows(connection):
    yield list(columns.EXPORT_ORDER)
    for record in records(connection):
        yield [format_value(column, record[column.name]) for column in columns.COLUMNS]


def csv_chunks(database):
    """The export as text chunks; holds one connection and one transaction while it runs."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator='\r\n')
    with database.engine.connect() as connection:
        for count, row in enumerate(csv_rows(connection), start=1):
            writer.writerow(row)
            if count % CHUNK_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()
