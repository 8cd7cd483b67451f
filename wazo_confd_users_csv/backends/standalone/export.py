# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Export of the standalone store: one CSV row per user, ordered by id, streamed in chunks
with flat memory.

PostgreSQL writes the CSV itself (COPY ... TO STDOUT), read through a bounded queue from a copy
thread; elsewhere three streamed queries are merged here. Both write the same bytes.
"""

import csv
import io
import itertools

from ... import columns
from ...database.dao import export as export_dao
from ...imports.ports import Exported, ExportRequest
from ...spreadsheet import escape, text_select
from ...sql import copy_csv_chunks

CHUNK_ROWS = 500
LINE_END = (
    '\r\n'  # as Python's csv module (confd's built-in export); COPY's are made so
)
USER_COLUMNS = (
    export_dao.USER_COLUMNS
)  # from the users' query, in the catalogue's order


def _grouped(rows):
    """(user_id, [rows]) from rows ordered by user_id."""
    return (
        (user_id, list(group))
        for user_id, group in itertools.groupby(rows, key=lambda row: row.user_id)
    )


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


def csv_rows(connection, selection=None, secrets=True):
    """The header, then one list of cells per user (of `selection` when given): the database
    formats the user's own columns; incalls and permissions are joined here. Without
    `secrets`, the secret columns are empty."""
    yield list(columns.EXPORT_ORDER)
    incalls = _Follower(export_dao.stream(connection, export_dao.incalls()))
    permissions = _Follower(
        export_dao.stream(connection, export_dao.call_permissions())
    )
    last_id = None
    for row in export_dao.stream(
        connection, export_dao.users(USER_COLUMNS, selection, secrets)
    ):
        user_id = row[0]
        if user_id == last_id:
            continue  # a second main line would repeat the user: only the first is exported
        last_id = user_id
        found = sorted(incalls.take(user_id), key=lambda i: (i.exten, i.context))
        cells = list(row[1:])
        cells.append(';'.join(i.exten for i in found))
        cells.append(';'.join(i.context for i in found))
        cells.append(
            ';'.join(
                '' if i.ring_seconds is None else str(i.ring_seconds) for i in found
            )
        )
        cells.append(';'.join(sorted(p.name for p in permissions.take(user_id))))
        yield cells


def csv_chunks(database, selection=None, counted=None, spreadsheet=False, secrets=True):
    """The export as text chunks (raw cells, or escaped for a spreadsheet); holds one
    connection and one transaction while it runs. A selection (a page of a search) is read by
    the Python path: it is small; `counted` is told how many users it matches, before the
    first chunk. Without `secrets` (the token's secrets ACL), the secret columns are empty.
    """
    with database.engine.connect() as connection:
        if selection is not None:
            counted(export_dao.count(connection, selection))
        if connection.dialect.name == 'postgresql' and selection is None:
            yield ','.join(columns.EXPORT_ORDER) + LINE_END
            sql = export_dao.copy_sql(USER_COLUMNS, connection.engine, secrets)
            yield from copy_csv_chunks(
                connection,
                text_select(sql, len(columns.EXPORT_ORDER), spreadsheet),
            )
        else:
            yield from _python_chunks(connection, selection, spreadsheet, secrets)


def _python_chunks(connection, selection=None, spreadsheet=False, secrets=True):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=LINE_END)
    for count, row in enumerate(csv_rows(connection, selection, secrets), start=1):
        if spreadsheet:
            row = [escape(cell) if isinstance(cell, str) else cell for cell in row]
        writer.writerow(row)
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export(database, request: ExportRequest) -> Exported:
    """The port's export (`imports.ports.Backend.export`): the first chunk is read here, so
    that a database failure raises before any answer (the route's 503, the CLI's message).
    """
    totals: list[int] = []
    chunks = csv_chunks(
        database,
        request.selection,
        totals.append,
        request.form == 'spreadsheet',
        request.scope.reads_secrets,
    )
    return Exported.begun(chunks, totals)
