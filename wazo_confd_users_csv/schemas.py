# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Marshmallow schemas built from the column catalogue: raw cells -> typed values.

One schema per header (cached), holding only the columns the file names. An empty cell loads
as None (the list column loads as an empty list). Group rules (required columns) are checked
later, by the plan, because they depend on more than one cell.

Files are loaded column by column: each distinct cell of a column goes through the schema's
field once (files repeat contexts, bools, languages, permissions), which costs a fraction of
one Schema.load per row and gives the same values and messages.
"""

import unicodedata
from functools import lru_cache
from typing import Optional

from marshmallow import EXCLUDE, Schema, ValidationError, fields

from . import columns
from .columns import CATALOGUES, OWN, describe


def _got(column, value):
    return f'(got {describe(value, column)})'


class Cell(fields.Field):
    """A cell of a catalogue column; subclasses parse one CSV type."""

    def __init__(self, column, **kwargs):
        self.column = column
        super().__init__(allow_none=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError('must be text')
        if self.column.multi:
            # One value per item; an empty item is null (an incall without ring_seconds).
            return [
                self._one(item) if item != '' else None for item in value.split(';')
            ]
        return self._one(value)

    def _one(self, value):
        if self.column.nfkc:
            value = unicodedata.normalize('NFKC', value)
        limit = self.column.max_length
        if limit is not None and len(value) > limit:
            raise ValidationError(
                f'must be at most {limit} characters long (got {len(value)} characters)'
            )
        parsed = self.parse(value)
        if self.column.rule is not None:
            message = self.column.rule(parsed)
            if message:
                raise ValidationError(f'{message} {_got(self.column, value)}')
        return parsed

    def parse(self, value):
        return value


class StringCell(Cell):
    pass


class IntCell(Cell):
    MAX_DIGITS = 9  # fits the database's 32-bit integers

    def parse(self, value):
        if not value.isascii() or not value.isdigit():
            raise ValidationError(
                f'must be a whole number written with digits only {_got(self.column, value)}'
            )
        if len(value.lstrip('0')) > self.MAX_DIGITS:
            raise ValidationError(
                f'must be a whole number of at most {self.MAX_DIGITS} digits '
                f'{_got(self.column, value)}'
            )
        return int(value)


class BoolCell(Cell):
    def parse(self, value):
        if value == '1':
            return True
        if value == '0':
            return False
        raise ValidationError(
            f'must be 0 (false) or 1 (true) {_got(self.column, value)}'
        )


class ListCell(Cell):
    def parse(self, value):
        items = []
        for item in value.split(';'):
            item = item.strip()
            if item and item not in items:
                items.append(item)
        return items


FIELD_TYPES = {
    columns.STRING: StringCell,
    columns.INT: IntCell,
    columns.BOOL: BoolCell,
    columns.LIST: ListCell,
}


class RowSchema(Schema):
    class Meta:
        unknown = EXCLUDE


@lru_cache(maxsize=64)
def schema_for(header, backend=OWN):
    """A schema for the columns named by a header (a tuple of the backend's catalogue names)."""
    by_name = CATALOGUES[backend].by_name
    declared = {name: FIELD_TYPES[by_name[name].type](by_name[name]) for name in header}
    return RowSchema.from_dict(declared, name='CsvRowSchema')()  # type: ignore[arg-type]


MAX_CACHED = (
    1024  # distinct cells remembered per column: repeats are common, uniques are not
)


class Values:
    """A row's typed values by column name: one list per row, one index shared by the file's
    rows (a dict per row would be most of a big file's memory). Absent or empty: None.
    """

    __slots__ = ('index', 'items')

    def __init__(self, index, items):
        self.index = index
        self.items = items

    def get(self, name, default=None):
        position = self.index.get(name)
        return default if position is None else self.items[position]


def load_rows(schema, header, records):
    """[(Values, {column: message} or None)] for each row's raw cells (in `header`'s order)."""
    index = {name: position for position, name in enumerate(header)}
    width = len(header)
    values = [Values(index, [None] * width) for _ in records]
    errors: list[Optional[dict]] = [None] * len(records)
    for name, field in schema.fields.items():
        position = index[name]
        keep_empty = field.column.type == columns.LIST
        # Field.deserialize checks for a missing or null value (a cell is text) and runs the
        # field's validators (ours have none): the cell's own parse does the rest
        parse = field.deserialize if field.validators else field._deserialize
        cache: dict[str, tuple] = {}
        for row, record in enumerate(records):
            raw = record[position]
            if raw == '' and not keep_empty:
                continue
            parsed = cache.get(raw)
            if parsed is None:
                try:
                    parsed = (True, parse(raw, None, None))
                except ValidationError as exc:
                    parsed = (False, ' '.join(exc.messages))
                if len(cache) < MAX_CACHED:
                    cache[raw] = parsed
            ok, value = parsed
            if ok:
                values[row].items[position] = (
                    list(value) if isinstance(value, list) else value
                )
            else:
                found = errors[row]
                if found is None:
                    found = errors[row] = {}
                found[name] = value
    return list(zip(values, errors))


def load_row(schema, cells):
    """Typed values of one row ({column: value} without the cells that do not parse), and
    {column: message} for those."""
    header = list(cells)
    values, errors = load_rows(schema, header, [tuple(cells.values())])[0]
    errors = errors or {}
    return {name: values.get(name) for name in header if name not in errors}, errors
