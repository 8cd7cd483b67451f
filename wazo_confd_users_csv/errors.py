"""Errors are data: a code, where (row, line, column) and a message for an administrator."""
import time
from dataclasses import dataclass
from typing import Optional

from .columns import SECRET_COLUMNS

MASK = '********'


@dataclass
class Error:
    code: str
    message: str
    row_number: Optional[int] = None
    line: Optional[int] = None
    column: Optional[str] = None
    row: Optional[dict] = None

    def as_json(self, timestamp=None):
        details = {'code': self.code, 'column': self.column}
        if self.row_number is not None:
            details.update(row_number=self.row_number, line=self.line, row=mask(self.row or {}))
        elif self.line is not None:
            details['line'] = self.line
        return {
            'message': self.message,
            'timestamp': int(timestamp if timestamp is not None else time.time()),
            'details': details,
        }


def mask(row):
    return {key: (MASK if key in SECRET_COLUMNS and value else value) for key, value in row.items()}


class APIError(Exception):
    """An answer other than success: a status and a list of errors, all JSON."""

    status = 400

    def __init__(self, errors, status=None):
        if isinstance(errors, str):
            errors = [Error('error', errors)]
        self.errors = list(errors)
        if status is not None:
            self.status = status
        super().__init__('; '.join(error.message for error in self.errors))

    def body(self):
        now = time.time()
        return {'errors': [error.as_json(now) for error in self.errors]}


class FileError(APIError):
    """The file as a whole cannot be read (encoding, header, separator)."""

    def __init__(self, code, message, line=None, status=400):
        super().__init__([Error(code, message, line=line)], status=status)


class ValidationFailed(APIError):
    status = 400


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


class Unavailable(APIError):
    status = 503
