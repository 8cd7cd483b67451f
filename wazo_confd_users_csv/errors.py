# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Errors are data: a code, where (row, line, column) and a message for an administrator."""

import time
from dataclasses import dataclass
from typing import Optional

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


class ValidationFailed(APIError):
    """Every problem of the file: the first MAX_ERRORS in full, and counts of all of them."""

    status = 400

    def body(self):
        now = time.time()
        shown = self.errors[:MAX_ERRORS]
        answered = [error.as_json(now) for error in shown]
        if len(self.errors) > 1:  # the first message says how many more, and where
            answered[0]['message'] += ' \u2014 ' + others(self.errors)
        return {
            'errors': answered,
            'error_summary': summary(self.errors, len(shown)),
        }


def summary(errors, shown):
    """Counts of every error, by column and problem, the commonest first (the API's
    `error_summary`, the page's and the CLI's first lines)."""
    groups: dict[tuple, int] = {}
    for error in errors:
        key = (error.column, error.code)
        groups[key] = groups.get(key, 0) + 1
    return {
        'total': len(errors),
        'shown': shown,
        'more': len(errors) - shown,
        'rows': len(
            {error.row_number for error in errors if error.row_number is not None}
        ),
        'by_column': [
            {'column': column, 'code': code, 'count': count}
            for (column, code), count in sorted(
                groups.items(), key=lambda item: (-item[1], str(item[0]))
            )
        ],
        # every failing row, past the cap too: a page can then mark each one in the whole
        # file it gives back (as runs of lines: a few numbers for most files)
        'failing_lines': line_runs(
            error.line for error in errors if error.row_number is not None
        ),
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


def others(errors):
    """ "1 of 3 errors, also line 2 context, line 5 email": what the first error's message
    adds about the others."""
    named = []
    for error in errors[1 : 1 + OTHERS_NAMED]:
        where = f'line {error.line}' if error.line is not None else 'the file'
        named.append(f'{where} {error.column}' if error.column else where)
    text = f'1 of {len(errors)} errors, also {", ".join(named)}'
    more = len(errors) - 1 - OTHERS_NAMED
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
