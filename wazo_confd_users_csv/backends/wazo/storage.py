# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where the plan's values live in Wazo's tables, one map per table, read by the writer (a
new user's row), the updater (a changed user's columns), the current-state reader and the
export (each field's `cell`: how its stored value is written in the file).

A value goes to the table as confd's single-resource PUTs write it (`to_stored`) and comes
back as the CSV schema reads a cell (`from_stored`), so that an unchanged cell compares equal.
The keys are the plan's: the catalogue's column names for users, the voicemail dict's keys.
"""

from dataclasses import dataclass
from typing import Any, Callable, Optional

# How the export writes a stored value (`export.CELLS` makes each one SQL): as it is, a
# number as decimal text, a 0/1 or boolean flag as 1 or 0, an inverted flag (1 when 0).
TEXT, NUMBER, FLAG, NEGATED = 'text', 'number', 'flag', 'negated'


@dataclass(frozen=True)
class Field:
    key: str  # the plan's key
    stored: str  # the table's column
    sql_type: str  # its type, for staged updates
    to_stored: Callable[[Any], Any]
    from_stored: Callable[[Any], Any]
    cell: str = TEXT  # how the export writes it


def _same(value):
    return value


def _empty_if_none(value):
    return value or ''


def _none_if_empty(value):
    return value or None


def _int(value):
    return None if value is None else int(value)


def _bool(value):
    return None if value is None else bool(value)


def _text(key, stored=None, empty_is_none=False):
    """A text column; confd writes some as '' when unset (`empty_is_none`)."""
    if empty_is_none:
        return Field(key, stored or key, 'text', _empty_if_none, _none_if_empty)
    return Field(key, stored or key, 'text', _same, _same)


def _integer_flag(key, stored):
    """A boolean kept as 0/1 in an integer column."""
    return Field(key, stored, 'integer', int, _bool, FLAG)


def _negated_flag(key, stored):
    """A boolean kept inverted as 0/1 (commented: 1 when disabled; skipcheckpass)."""
    return Field(
        key,
        stored,
        'integer',
        lambda value: 0 if value else 1,
        lambda value: None if value is None else value == 0,
        NEGATED,
    )


def _boolean(key):
    return Field(key, key, 'boolean', bool, _same, FLAG)


# userfeatures, by catalogue column
USER = (
    _text('firstname'),
    _text('lastname', empty_is_none=True),
    _text('email'),
    _text('mobile_phone_number', 'mobilephonenumber', empty_is_none=True),
    _text('outgoing_caller_id', 'outcallerid', empty_is_none=True),
    _text('language'),
    Field('call_permission_password', 'rightcallcode', 'text', _same, _none_if_empty),
    _negated_flag('enabled', 'commented'),
    Field('ring_seconds', 'ringseconds', 'integer', int, _same, NUMBER),
    Field('simultaneous_calls', 'simultcalls', 'integer', int, _same, NUMBER),
    _integer_flag('supervision_enabled', 'enablehint'),
    _integer_flag('call_transfer_enabled', 'enablexfer'),
    _integer_flag('dtmf_hangup_enabled', 'dtmf_hangup'),
    _text('userfield', empty_is_none=True),
    Field('subscription_type', 'subscription_type', 'integer', int, _same, NUMBER),
    _boolean('call_record_outgoing_external_enabled'),
    _boolean('call_record_outgoing_internal_enabled'),
    _boolean('call_record_incoming_external_enabled'),
    _boolean('call_record_incoming_internal_enabled'),
    _integer_flag('online_call_record_enabled', 'enableonlinerec'),
)
# voicemail, by the voicemail dict's keys (columns.VOICEMAIL_FIELDS)
VOICEMAIL = (
    _text('name', 'fullname'),
    _text('number', 'mailbox'),
    _text('context'),
    Field('password', 'password', 'text', _same, _none_if_empty),
    Field('email', 'email', 'text', _same, _none_if_empty),
    Field('attach_audio', 'attach', 'integer', _int, _bool, FLAG),
    Field('delete_messages', 'deletevoicemail', 'integer', int, bool, FLAG),
    Field(
        'ask_password',
        'skipcheckpass',
        'integer',
        lambda v: 0 if v else 1,
        lambda v: not v,
        NEGATED,
    ),
)
USER_BY_KEY = {field.key: field for field in USER}
VOICEMAIL_BY_KEY = {field.key: field for field in VOICEMAIL}


def stored_row(fields, values, keys: Optional[list] = None):
    """{table column: stored value} of `values` (a plan's dict), for `keys` or every field."""
    chosen = (
        fields if keys is None else [field for field in fields if field.key in keys]
    )
    return {field.stored: field.to_stored(values[field.key]) for field in chosen}


def planned_values(fields, stored):
    """{plan key: value} of a table row (a mapping of its columns)."""
    return {field.key: field.from_stored(stored[field.stored]) for field in fields}


def sql_types(fields, **more):
    """{table column: SQL type} for a staged update of these fields (and `more` columns)."""
    return {**{field.stored: field.sql_type for field in fields}, **more}
