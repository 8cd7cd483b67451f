# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What Wazo's columns can hold (xivo-dao's models), checked with the rows: a value too long
is an error of its row and column that names the limit, never a database error after the
writes. The caller ids the import derives from the names are checked too."""

from xivo_dao.alchemy.sccpline import SCCPLine
from xivo_dao.alchemy.userfeatures import UserFeatures
from xivo_dao.alchemy.voicemail import Voicemail

from ... import columns
from . import storage


def _limits(table, fields):
    """{plan key: (column, its length)} of the text columns of `table` that have one."""
    found = {}
    for field in fields:
        length = getattr(table.c[field.stored].type, 'length', None)
        if length is not None and field.sql_type == 'text':
            found[field.key] = (f'{table.name}.{field.stored}', length)
    return found


USER = UserFeatures.__table__
VOICEMAIL_KEYS = {key: column for column, key in columns.VOICEMAIL_FIELDS.items()}
# CSV column -> (where it is kept, how long it may be)
LIMITS = {
    **_limits(USER, storage.USER),
    **{
        VOICEMAIL_KEYS[key]: limit
        for key, limit in _limits(Voicemail.__table__, storage.VOICEMAIL).items()
    },
}
CALLER_ID = ('userfeatures.callerid', USER.c.callerid.type.length)
SCCP_NAME = ('sccpline.cid_name', SCCPLine.__table__.c.cid_name.type.length)
# A name is one line: it becomes the caller id, which the dialplan and phones show.
NOT_IN_NAMES = {'\r': 'a carriage return', '\n': 'a line break', '\t': 'a tab'}


def check(row, names, protocol):
    """Errors on the row for its values too long for Wazo, and for names the caller id
    cannot carry; `names` are the user's (first, last) after the row, `protocol` its line's.
    """
    for column, (stored, limit) in LIMITS.items():
        value = row.get(column)
        if isinstance(value, str) and len(value) > limit and not row.is_bad(column):
            row.error(
                'too_long',
                f'is {len(value)} characters long; Wazo keeps up to {limit} ({stored}): '
                'shorten it',
                column,
            )
    for column, value in zip(('firstname', 'lastname'), names):
        for char, what in NOT_IN_NAMES.items():
            if value and char in value and not row.is_bad(column):
                row.error(
                    'invalid',
                    f'holds {what}: a name is one line (it becomes the caller id '
                    'phones show): remove it',
                    column,
                )
    fullname = ' '.join(part for part in names if part)
    column = 'lastname' if names[1] else 'firstname'
    if row.is_bad('firstname', 'lastname'):
        return
    stored, limit = CALLER_ID
    if len(fullname) + 2 > limit:
        row.error(
            'too_long',
            f'the caller id the names make ("firstname lastname", quoted) is '
            f'{len(fullname) + 2} characters long; Wazo keeps up to {limit} ({stored}): '
            'shorten the names',
            column,
        )
    elif protocol == 'sccp' and len(fullname) > SCCP_NAME[1]:
        row.error(
            'too_long',
            f'an SCCP line shows the user\'s name ("firstname lastname", '
            f'{len(fullname)} characters); SCCP keeps up to {SCCP_NAME[1]} '
            f'({SCCP_NAME[0]}): shorten the names or use a SIP line',
            column,
        )
