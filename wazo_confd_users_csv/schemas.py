"""Marshmallow schemas built from the column catalogue: raw cells -> typed values.

One schema per header (cached), holding only the columns the file names. An empty cell loads
as None (the list column loads as an empty list). Group rules (required columns) are checked
later, by the plan, because they depend on more than one cell.
"""
from functools import lru_cache

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load

from . import columns
from .columns import BY_NAME, describe


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
            return [self._one(item) if item != '' else None for item in value.split(';')]
        return self._one(value)

    def _one(self, value):
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
            raise ValidationError(f'must be a whole number of at most {self.MAX_DIGITS} digits '
                                  f'{_got(self.column, value)}')
        return int(value)


class BoolCell(Cell):
    def parse(self, value):
        if value == '1':
            return True
        if value == '0':
            return False
        raise ValidationError(f'must be 0 (false) or 1 (true) {_got(self.column, value)}')


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

    @pre_load
    def empty_is_null(self, data, **kwargs):
        return {
            name: (None if value == '' and BY_NAME[name].type != columns.LIST else value)
            for name, value in data.items()
            if name in BY_NAME
        }


@lru_cache(maxsize=64)
def schema_for(header):
    """A schema for the columns named by a header (a tuple of catalogue names)."""
    declared = {name: FIELD_TYPES[BY_NAME[name].type](BY_NAME[name]) for name in header}
    return RowSchema.from_dict(declared, name='CsvRowSchema')()


def load_row(schema, cells):
    """Typed values of one row, and {column: message} for the cells that do not parse."""
    try:
        return schema.load(cells), {}
    except ValidationError as exc:
        errors = {name: ' '.join(messages) for name, messages in exc.messages.items()}
        valid = {name: value for name, value in exc.valid_data.items() if name not in errors}
        return valid, errors
