# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Database failures as API errors: 409 for conflicts, 503 when the database is away."""

import logging

from sqlalchemy import exc as sa_exc

from ..errors import APIError, Conflict, Unavailable

logger = logging.getLogger(__name__)


# PostgreSQL error classes: 23 integrity, 40 transaction rollback (deadlock, serialization),
# 08 connection, 57 operator intervention (terminated), 53 insufficient resources.
CONFLICT_CLASSES = ('23', '40')
UNAVAILABLE_CLASSES = ('08', '57', '53')
# 22: data exception (a value too long for its column, out of range, invalid)
DATA_CLASSES = ('22',)


def database_error(exc, generated=()):
    """The API error for a database failure, or None when `exc` is not one. `generated`: the
    unique values the job generated; a conflict on one of them is worth running again.

    COPY goes straight to psycopg2, so its errors arrive unwrapped by SQLAlchemy.
    """
    orig = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
    code = getattr(orig, 'pgcode', None) or ''
    if (
        code[:2] == '40'
    ):  # the details name processes and transactions: not for the admin
        return Conflict(
            'the database stopped this file to let a concurrent change through '
            '(a deadlock or a serialization failure): nothing was written; send '
            'the file again',
            retry='deadlock',
        )
    if (
        code[:2] in CONFLICT_CLASSES
        or isinstance(exc, sa_exc.IntegrityError)
        or type(orig).__name__ == 'IntegrityError'
    ):
        detail = getattr(getattr(orig, 'diag', None), 'message_detail', None) or str(
            orig
        )
        return Conflict(
            f'another change took a unique value while this file was being '
            f'written ({detail.strip()}): nothing was written; send the file again '
            'to see which rows conflict',
            retry='a generated value was taken' if _took(detail, generated) else None,
        )
    text = str(orig)
    if ('no such table' in text or 'does not exist' in text) and 'users_csv_' in text:
        return Unavailable(
            'the database has no users_csv tables: run "wazo-confd-users-csv '
            'db upgrade" first; nothing was written'
        )
    if code[:2] in DATA_CLASSES or isinstance(exc, sa_exc.DataError):
        # the checks should have found it: a value the database cannot hold is the file's
        # problem, which a retry never solves; never "unreachable"
        logger.error('data refused by the database: %s', text.strip()[:300])
        detail = getattr(getattr(orig, 'diag', None), 'message_primary', None)
        return APIError(
            'the database refused a value of the file'
            + (f' ({detail.strip()})' if detail else '')
            + ': nothing was written; shorten or correct the value and send the file again'
        )
    is_dbapi = isinstance(exc, sa_exc.DBAPIError) or type(orig).__module__.startswith(
        ('psycopg2', 'sqlite3')
    )
    if is_dbapi or code[:2] in UNAVAILABLE_CLASSES:
        logger.error('database error during a job: %s', text.strip())
        return Unavailable(
            'the database cannot be reached: nothing was written, try again ' 'later'
        )
    return None


def _took(detail, generated):
    """Whether a unique violation's detail ("Key (column)=(value) already exists", or
    SQLite's text) names a value this job generated (never one of the file: claims exclude
    them), on either backend's schema."""
    if not generated:
        return False
    value = detail.rsplit('=(', 1)[-1].split(')', 1)[0]
    return value in generated
