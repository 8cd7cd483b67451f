# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Errors are data: a code, where (row, line, column) and a message for an administrator."""

import heapq
import time
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Optional

from .columns import SECRET_COLUMNS

MASK = '********'


@dataclass
class Error:
    code: str
    message: str  # the problem and its remedy ("column: ..." for a cell's)
    row_number: Optional[int] = None
    line: Optional[int] = None
    column: Optional[str] = None
    row: Optional[dict] = None
    who: Optional[str] = None  # the user's name, when the row does not say it (update)

    @property
    def where(self):
        """ "line 4 (Eve Ernst)": the file line of a row's error and the user's name."""
        if self.row_number is None:
            return None
        name = self.who or user_name(self.row or {})
        return f'line {self.line}' + (f' ({name})' if name else '')

    def text(self):
        """The message as it stands alone (wazo-ui shows only the first error's): where,
        then what."""
        where = self.where
        if where is None:
            return self.message
        return f'{where}{", " if self.column else ": "}{self.message}'

    def as_json(self, timestamp=None):
        details: dict[str, object] = {'code': self.code, 'column': self.column}
        if self.row_number is not None:
            details.update(
                row_number=self.row_number, line=self.line, row=mask(self.row or {})
            )
        elif self.line is not None:
            details['line'] = self.line
        return {
            'message': self.text(),
            'timestamp': int(timestamp if timestamp is not None else time.time()),
            'details': details,
        }


def user_name(cells):
    """The name a row gives its user ("Eve Ernst"), or None."""
    name = ' '.join(
        str(cells.get(column) or '').strip() for column in ('firstname', 'lastname')
    ).strip()
    return name[:60] or None


def mask(row):
    return {
        key: (MASK if key in SECRET_COLUMNS and value else value)
        for key, value in row.items()
    }


class APIError(Exception):
    """An answer other than success: a status and a list of errors, all JSON."""

    status = 400

    def __init__(self, errors, status=None):
        if isinstance(errors, str):
            errors = [Error('error', errors)]
        self.errors = list(errors)
        if status is not None:
            self.status = status
        # the exception's text (logs, tracebacks): a few messages, however many errors
        shown = '; '.join(error.message for error in self.errors[:5])
        more = len(self.errors) - 5
        super().__init__(shown + (f'; and {more} more' if more > 0 else ''))

    @property
    def count(self):
        """How many errors there are (a ValidationFailed lists only the first)."""
        return len(self.errors)

    def body(self):
        now = time.time()
        return {'errors': [error.as_json(now) for error in self.errors]}


class FileError(APIError):
    """The file as a whole cannot be read (encoding, header, separator)."""

    def __init__(self, code, message, line=None, status=400):
        super().__init__([Error(code, message, line=line)], status=status)


# An answer lists this many errors in full; the others are counted (memory and size bounded:
# a re-sent 100,000-row file would otherwise answer half a million errors).
MAX_ERRORS = 1000


class ErrorLog:
    """A job's errors in bounded memory, however many rows fail.

    The first `limit` errors in file order (by row, then in the order they were found) are
    kept in full: all an answer shows. Every error is counted by column and problem, with the
    first of each kind kept as an example; the lines of the failing rows are kept as ints (the
    failing-rows file marks every one: a few MB for 100,000 rows). Errors past the cap are
    never built (`offer`), and a kept one pushed out by an earlier row's leaves its row's
    list. `limit` None keeps every error (the CLI's --all-errors).
    """

    def __init__(self, limit: Optional[int] = MAX_ERRORS):
        self.limit = limit
        self.total = 0
        self.counts: Counter = Counter()  # (column, code) -> how many
        self.first: dict[tuple, Error] = {}  # (column, code) -> its first error
        self.lines: set[int] = set()  # of the failing rows
        self.head: list[Error] = []  # about the whole file, before the rows'
        # the kept row errors, the last in file order on top: (-row, -order, error, owner)
        self._kept: list[tuple] = []
        self._order = 0

    @classmethod
    def of(cls, errors):
        """Every error of a list, kept in its order."""
        log = cls(None)
        for error in errors:
            log.about_the_file(error)
            if error.row_number is not None and error.line is not None:
                log.lines.add(error.line)
        return log

    def _count(self, column, code, row_number, line):
        self.total += 1
        self.counts[(column, code)] += 1
        if row_number is not None and line is not None:
            self.lines.add(line)

    def about_the_file(self, error):
        """An error about the whole file: kept, before every row's."""
        self._count(error.column, error.code, None, None)
        self.first.setdefault((error.column, error.code), error)
        self.head.append(error)

    def offer(
        self,
        code: str,
        column: Optional[str],
        row_number: int,
        line: int,
        make: Callable[[], 'Error'],
        owner: Optional[list] = None,
    ) -> Optional['Error']:
        """Counts an error of a row; builds it (`make()`) only when it is kept or the first
        of its kind. Returns it when kept (the caller lists it in `owner`, a list this log
        removes it from should an earlier row's error push it out), else None."""
        self._count(column, code, row_number, line)
        kept = self._kept
        wanted = (
            self.limit is None
            or len(kept) < self.limit
            or (self.limit > 0 and row_number < -kept[0][0])
        )
        kind = (column, code)
        if not wanted:
            if kind not in self.first:
                self.first[kind] = make()
            return None
        error = make()
        self.first.setdefault(kind, error)
        self._order += 1
        entry = (-row_number, -self._order, error, owner)
        if self.limit is None or len(kept) < self.limit:
            heapq.heappush(kept, entry)
        else:
            _, _, out, out_owner = heapq.heapreplace(kept, entry)
            if out_owner is not None:
                out_owner.remove(out)
        return error

    def errors(self):
        """The kept errors: the file's first, then the rows' in file order."""
        rows = [entry[2] for entry in sorted(self._kept, reverse=True)]
        return self.head + rows

    def summary(self, shown):
        """Counts of every error, by column and problem, the commonest first (the API's
        `error_summary`, the page's and the CLI's first lines)."""
        return {
            'total': self.total,
            'shown': shown,
            'more': self.total - shown,
            'rows': len(self.lines),
            'by_column': [
                {'column': column, 'code': code, 'count': count}
                for (column, code), count in sorted(
                    self.counts.items(), key=lambda item: (-item[1], str(item[0]))
                )
            ],
            # every failing row, past the cap too: a page can then mark each one in the
            # whole file it gives back (as runs of lines: a few numbers for most files)
            'failing_lines': line_runs(self.lines),
        }


class ValidationFailed(APIError):
    """Every problem of the file: the first MAX_ERRORS in full, and counts of all of them
    (`log`, an ErrorLog; by default one of `errors`)."""

    status = 400

    def __init__(self, errors, log=None):
        super().__init__(errors)
        self.log = ErrorLog.of(self.errors) if log is None else log

    @property
    def count(self):
        return self.log.total

    def body(self):
        now = time.time()
        shown = self.errors[:MAX_ERRORS]
        answered = [error.as_json(now) for error in shown]
        if self.log.total > 1:  # the first message says how many more, and where
            answered[0]['message'] += ' \u2014 ' + others(self.errors, self.log.total)
        return {
            'errors': answered,
            'error_summary': self.log.summary(len(shown)),
        }


def line_runs(lines):
    """[[first, last], ...]: the sorted distinct lines as runs of consecutive numbers."""
    runs: list[list[int]] = []
    for line in sorted(set(lines)):
        if runs and runs[-1][1] == line - 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    return runs


OTHERS_NAMED = 3  # how many other errors the first message points to


def others(errors, total=None):
    """ "1 of 3 errors, also line 2 context, line 5 email": what the first error's message
    adds about the others (`total`: how many there are, when `errors` are the first)."""
    total = len(errors) if total is None else total
    named = []
    for error in errors[1 : 1 + OTHERS_NAMED]:
        where = f'line {error.line}' if error.line is not None else 'the file'
        named.append(f'{where} {error.column}' if error.column else where)
    text = f'1 of {total} errors, also {", ".join(named)}'
    more = total - 1 - OTHERS_NAMED
    return text + (f' and {more} more' if more > 0 else '')


class TooLarge(APIError):
    status = 413


class UnsupportedMediaType(APIError):
    status = 415


class Unauthorized(APIError):
    """Answered as wazo-confd answers it: a JSON list of one string, which confd's clients
    fold into their exception's text."""

    status = 401

    def body(self):
        return ['; '.join(error.message for error in self.errors)]


class Conflict(APIError):
    status = 409

    def __init__(self, errors, retry=None):
        super().__init__(errors)
        # why the same job may succeed when run again (a transient failure), or None
        self.retry = retry


class Unavailable(APIError):
    status = 503


def described(exc, limit=300):
    """An exception for a log line: its type and the first words of its message, never a URL
    (a wazo-auth URL holds the token) nor a statement's parameters (they hold the cells).
    """
    orig = getattr(
        exc, 'orig', None
    )  # SQLAlchemy: the driver's own error, without the SQL
    text = str(orig if orig is not None else exc).strip().splitlines()
    first = text[0] if text else ''
    if '://' in first or type(exc).__module__.startswith(('requests', 'urllib3')):
        first = ''  # requests' messages quote the URL
    name = type(orig if orig is not None else exc).__name__
    return f'{name}: {first[:limit]}' if first else name
