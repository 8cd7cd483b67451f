# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Set-based SQL building blocks both backends use: chunked IN lookups, COPY in and out,
and lower() as the database computes it."""

import io
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from sqlalchemy.orm import Session

# Keeps every statement under SQLite's historical 999 bound parameters; PostgreSQL takes
# long IN lists well, and fewer round trips matter more there.
CHUNK = 400
PG_CHUNK = 5000


def chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def is_postgresql(bind):
    """bind: an Engine, a Connection or a Session."""
    if isinstance(bind, Session):
        bind = bind.get_bind()
    return bind.dialect.name == 'postgresql'


def select_in(session, build, values, size=None):
    """Runs build(chunk) for each chunk of values and returns all result rows."""
    if size is None:
        size = PG_CHUNK if is_postgresql(session) else CHUNK
    rows = []
    for chunk in chunks(values, size):
        rows.extend(session.execute(build(chunk)).all())
    return rows


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


_COPY_ESCAPES = str.maketrans({'\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r'})


def _copy_text(value):
    """A value in COPY's text format: \\N is null, and \\ tab and line breaks are escaped."""
    if value is None:
        return '\\N'
    if value is True:
        return 't'
    if value is False:
        return 'f'
    if value.__class__ is int:  # digits: nothing to escape
        return str(value)
    return str(value).translate(_COPY_ESCAPES)


_PLAIN = frozenset((str, int))


def _column_text(values):
    """One column's values in COPY's text format (as _copy_text makes each), column-wise:
    escaping is looked for once in the whole column, and made only where a value needs it.
    """
    kinds = set(map(type, values))
    if kinds <= _PLAIN:  # text and numbers: str() is their text
        texts = list(map(str, values))
    else:
        texts = [
            '\\N' if v is None else 't' if v is True else 'f' if v is False else str(v)
            for v in values
        ]
    blob = ''.join(texts)
    if (
        blob.count('\\') != values.count(None)  # a backslash of a value, not of a \\N
        or '\t' in blob
        or '\n' in blob
        or '\r' in blob
    ):
        texts = [_copy_text(v) for v in values]
    return texts


COPY_SLICE = (
    2000  # rows made at a time: a column's texts are lists of this many at most
)


def copy_text(columns, rows):
    """The rows (dicts) as the text COPY FROM STDIN reads: one line a row."""
    if not isinstance(rows, (list, tuple)):
        rows = list(rows)
    parts = []
    for start in range(0, len(rows), COPY_SLICE):
        getters = [row.get for row in rows[start : start + COPY_SLICE]]
        texts = [_column_text([get(name) for get in getters]) for name in columns]
        parts.append('\n'.join(map('\t'.join, zip(*texts))) + '\n')
    return ''.join(parts)


def _copy_sql(table_name, columns):
    names = ', '.join(f'"{name}"' for name in columns)
    return f'COPY {table_name} ({names}) FROM STDIN'


COPY_READ = (
    1 << 16
)  # what psycopg2 reads from the text at a time (its default is 8 KiB)


def copy_rows(session, table, columns, rows):
    """COPY FROM STDIN in the session's transaction: the fastest way PostgreSQL takes rows.

    `table` only needs a name (a Table, or sa.table(name) for a staging table).
    """
    buffer = io.StringIO(copy_text(columns, rows))
    # a Session, or a Connection (which has no .connection() method but the DBAPI one)
    connection = session.connection() if callable(session.connection) else session
    cursor = connection.connection.cursor()
    try:
        cursor.copy_expert(_copy_sql(table.name, columns), buffer, COPY_READ)
    finally:
        cursor.close()


class CopyPipe:
    """COPYs run one after the other on a thread of their own, in the order they were given,
    while the caller makes the text of the next ones: psycopg2 lets go of the GIL while
    PostgreSQL stores the rows, so our Python and the database work on the two cores at once
    instead of in turns.

    `connection`: the DBAPI connection of the job's transaction, which nothing else may use
    until drain() returned. drain() raises the first COPY's error (the ones after it fail
    with the transaction)."""

    MAX_PENDING = 2  # texts waiting for their COPY: memory stays bounded on big files

    def __init__(self, connection):
        self._connection = connection
        self._pool = ThreadPoolExecutor(1, thread_name_prefix='users-csv-copy')
        self._pending: list = []

    def copy(self, table_name, columns, rows):
        if not rows:
            return
        text = copy_text(columns, rows)
        while len(self._pending) >= self.MAX_PENDING:
            self._wait_oldest()
        self._pending.append(
            self._pool.submit(self._copy, _copy_sql(table_name, columns), text)
        )

    def _copy(self, sql, text):
        cursor = self._connection.cursor()
        try:
            cursor.copy_expert(sql, io.StringIO(text), COPY_READ)
        finally:
            cursor.close()

    def _wait_oldest(self):
        oldest = self._pending[0]
        try:
            oldest.result()
        finally:
            self._pending.pop(0)

    def drain(self):
        """Waits for every COPY given; raises the first one's error."""
        failure = None
        while self._pending:
            try:
                self._wait_oldest()
            except BaseException as exc:
                failure = failure or exc
        if failure is not None:
            raise failure

    def close(self):
        """Waits for the COPYs (their errors no longer matter: the job is ending) and stops
        the thread."""
        try:
            self.drain()
        except BaseException:
            pass
        self._pool.shutdown(wait=True)


def lowered_by_database(session, values):
    """{value: lower(value)} as the database computes it: a unique index on lower(column)
    judges with the database's lower(), which differs from Python's beyond ASCII ('İ').
    """
    found: dict[str, str] = {}
    if is_postgresql(session):  # one array in one query (400 columns a query: slow)
        rows = session.execute(
            sa.text('SELECT v, lower(v) FROM unnest(CAST(:values AS text[])) AS t(v)'),
            {'values': sorted(values)},
        )
        return {value: lowered for value, lowered in rows}
    for chunk in chunks(sorted(values), 400):  # one row of up to 400 columns per query
        row = session.execute(
            sa.select(*[sa.func.lower(sa.literal(value, sa.String)) for value in chunk])
        ).one()
        found.update(zip(chunk, row))
    return found


CHUNK_BYTES = 64 * 1024


class _Cancelled(Exception):
    pass


class _QueueWriter:
    """The file COPY writes to: buffers, then hands chunks to the reading side."""

    def __init__(self, chunks, cancelled):
        self.chunks = chunks
        self.cancelled = cancelled
        self.parts = []
        self.size = 0

    def write(self, data):
        if self.cancelled.is_set():
            raise _Cancelled()  # the client went away: abort the COPY
        if isinstance(data, bytes):
            data = data.decode('utf-8')
        self.parts.append(data)
        self.size += len(data)
        if self.size >= CHUNK_BYTES:
            self.flush()

    def flush(self):
        if self.parts:
            self.chunks.put(''.join(self.parts))
            self.parts, self.size = [], 0


def crlf(chunks):
    """CSV text chunks with the records' LF line ends made CRLF (what PostgreSQL's COPY cannot
    write, and Python's csv module writes); a line break inside a quoted cell stays as it is.
    A cell is inside quotes after an odd number of `"` (a doubled one counts twice)."""
    inside = False
    try:
        for chunk in chunks:
            if '"' not in chunk:
                yield chunk if inside else chunk.replace('\n', '\r\n')
                continue
            parts = chunk.split('"')
            for index, part in enumerate(parts):
                if index:
                    inside = not inside
                if not inside:
                    parts[index] = part.replace('\n', '\r\n')
            yield '"'.join(parts)
    finally:
        chunks.close()  # an answer cut short stops the copy now


def copy_csv_chunks(connection, sql):
    """COPY (sql) TO STDOUT as CSV text chunks (lines end with CRLF), read from a copy thread
    through a bounded queue; the caller owns the connection and its transaction."""
    return crlf(_copied(connection, sql))


def _copied(connection, sql):
    chunks: queue.Queue = queue.Queue(
        maxsize=8
    )  # bounded: memory stays flat however many users
    cancelled = threading.Event()
    done = object()
    cursor = connection.connection.cursor()

    def copy():
        writer = _QueueWriter(chunks, cancelled)
        try:
            cursor.copy_expert(f'COPY ({sql}) TO STDOUT WITH (FORMAT csv)', writer)
            writer.flush()
            chunks.put(done)
        except BaseException as exc:  # handed to the reading side, which raises it
            chunks.put(exc)

    thread = threading.Thread(target=copy, name='users-csv-export', daemon=True)
    thread.start()
    try:
        while True:
            chunk = chunks.get()
            if chunk is done:
                return
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk
    finally:
        cancelled.set()
        while thread.is_alive():  # let a blocked writer see the cancellation
            try:
                chunks.get(timeout=0.1)
            except queue.Empty:
                pass
        cursor.close()
