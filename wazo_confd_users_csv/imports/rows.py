# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""A row being checked (its values and errors) and the unique values claimed in the file."""

from typing import Any, Callable

from .. import columns
from ..errors import Error, ErrorLog, user_name


class RowContext:
    """`values`: anything with get(name) (schemas.Values, or a dict in tests).

    `failed` says the row has an error; `errors` lists those of its errors the job's log
    keeps (`errors.ErrorLog`: the first of the file), so a row past the cap may fail with
    none listed."""

    __slots__ = (
        'row',
        'values',
        'header',
        'errors',
        'failed',
        'log',
        'bad_columns',
        '_groups',
        'entity_id',
        'named',
        'get',
    )

    def __init__(self, row, values, header, log=None):
        self.row = row
        self.values = values
        # get(name): the cell's typed value (None when absent or empty); the values' own
        # method, called without a frame of ours: the checks ask about 90 times a row
        self.get: Callable[[str], Any] = values.get
        self.header = header
        self.errors = []
        self.failed = False
        self.log = log  # the job's; one of its own when first needed (tests)
        # a tuple, not a set: a few names, and a file may have a bad cell on every row
        self.bad_columns: tuple[str, ...] = ()
        self._groups = None
        # The entity the row's user will belong to (on update: the cell, or the user's own).
        self.entity_id = values.get('entity_id')
        self.named = None  # on update: the user's own name, when the row gives none

    @property
    def who(self):
        """The user's name for a message ("Eve Ernst"): the row's, else the user's own."""
        return user_name(self.row.cells) or self.named

    def name_user(self, user):
        """On update, the user the row selects: its messages name it."""
        self.named = user_name(user)
        for error in self.errors:
            error.who = error.who or self.named

    @property
    def row_number(self):
        return self.row.row_number

    def error(self, code, message, column=None):
        self.failed = True
        if self.log is None:
            self.log = ErrorLog()
        row = self.row
        kept = self.log.offer(
            code,
            column,
            row.row_number,
            row.line,
            # built only when kept: an error holds the row's cells
            lambda: Error(
                code,
                f'{column}: {message}' if column else message,
                row_number=row.row_number,
                line=row.line,
                column=column,
                row=row.cells,
                who=self.named,
            ),
            self.errors,
        )
        if kept is not None:
            self.errors.append(kept)
        if column:
            if column not in self.bad_columns:
                self.bad_columns += (column,)
            self._groups = None  # a bad cell counts as filled

    def check_unique(
        self, column, key, taken, claims, taken_message, rule, own=None, shown=None
    ):
        """A unique value must be free in the database (`taken`: key -> owner; its own owner
        may keep it) and unclaimed by an earlier row of the file. False and an error if not.
        """
        owner = taken.get(key)
        if owner is not None and owner != own:
            if callable(taken_message):  # it names the owner
                taken_message = taken_message(owner)
            self.error('taken', taken_message, column)
            return False
        earlier = claims.claim(column, key, self.row_number)
        if earlier is not None:
            self.error(
                'duplicate_in_file',
                f'{key if shown is None else shown} is already used '
                f'on {claims.where(earlier)}: {rule}',
                column,
            )
            return False
        return True

    def is_bad(self, *names):
        return any(name in self.bad_columns for name in names)

    def present(self, name):
        return name in self.header

    def filled(self, name):
        value = self.get(name)
        return value is not None and value != [] or name in self.bad_columns

    def has_group(self, group):
        if self._groups is None:
            self._groups = {}
        found = self._groups.get(group)
        if found is None:
            found = any(
                self.filled(column.name) for column in columns.group_columns(group)
            )
            self._groups[group] = found
        return found


class Claims:
    """Unique values taken by earlier rows of the same file: kind -> key -> row_number."""

    def __init__(self, rows=()):
        self._owners = {}
        self._rows = {row.row_number: row for row in rows}

    def where(self, row_number):
        """ "line 3 (Dan Diaz)": where an earlier row of the file is."""
        row = self._rows.get(row_number)
        if row is None:
            return f'row {row_number} of this file'
        name = row.who
        return f'line {row.row.line}' + (f' ({name})' if name else '')

    def claim(self, kind, key, row_number):
        """Records the claim and returns None, or returns the earlier row that holds it."""
        owners = self._owners.setdefault(kind, {})
        earlier = owners.get(key)
        if earlier is not None and earlier != row_number:
            return earlier
        owners[key] = row_number
        return None

    def taken(self, kind):
        return set(self._owners.get(kind, ()))
