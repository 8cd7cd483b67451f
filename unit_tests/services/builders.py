# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the rule tests check: rows read as the pipeline reads them (reader, then schemas; a
cell that does not parse is an `invalid` error of its row), the lookups of a small tenant
(the standalone host's examples/reference.yml) and users as they are before an update."""

import csv
import io

from wazo_confd_users_csv import columns, reader, schemas
from wazo_confd_users_csv.imports.current import UserState
from wazo_confd_users_csv.imports.lookups import ContextInfo, ExtensionUse, Lookups
from wazo_confd_users_csv.imports.plan import RowPlan
from wazo_confd_users_csv.imports.rows import Claims, RowContext

__all__ = ['Claims', 'ExtensionUse', 'RowPlan']

UUID = '6f0a9c1e-4f4b-4f5e-9a53-0b1a2c3d4e5f'
OTHER_UUID = '0b6c3bb5-8f3e-4a3c-9a0e-6c5d2f1e0a11'


def read_rows(header, *records, backend=columns.OWN):
    """The RowContexts of a file with this header and these records (raw text cells)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator='\n')
    writer.writerow(header)
    writer.writerows(records)
    table = reader.read(
        text.getvalue().encode('utf-8'), known=columns.CATALOGUES[backend].names
    )
    schema = schemas.schema_for(tuple(table.header), backend)
    loaded = schemas.load_rows(schema, table.header, [row.record for row in table.rows])
    rows = []
    for row, (values, cell_errors) in zip(table.rows, loaded):
        context = RowContext(row, values, table.header)
        for column in table.header:
            if cell_errors and column in cell_errors:
                context.error('invalid', cell_errors[column], column)
        rows.append(context)
    return rows


def row(backend=columns.OWN, **cells):
    """A one-row file of valid cells: its header is the cells' names, in the order given."""
    return rows(cells, backend=backend)[0]


def rows(*cells, backend=columns.OWN):
    """A file of several rows (dicts of valid cells) with the union of their names as
    header. A cell that does not parse fails the test here: read_rows tests those."""
    header = list(dict.fromkeys(name for one in cells for name in one))
    records = [[one.get(name, '') for name in header] for one in cells]
    found = read_rows(header, *records, backend=backend)
    assert errors(*found) == [], 'a rule test needs valid cells'
    return found


def errors(*contexts):
    """(code, column, message) of every error of the rows, in order."""
    return [
        (error.code, error.column, error.message)
        for context in contexts
        for error in context.errors
    ]


def lookups(**changes):
    """Entities 1 and 2; contexts `default` (internal, entity 1, user 1000-1999),
    `from-extern` (incall, entity 1, 2000-2999 on the last 4 digits), `branch` (internal,
    entity 2, user 3000-3999) and `branch-extern` (incall, entity 2); nothing taken."""
    found = Lookups(
        entity_ids={1, 2},
        contexts={
            'default': ContextInfo(
                'default', 'internal', 1, {'user': [('1000', '1999', None)]}
            ),
            'from-extern': ContextInfo(
                'from-extern', 'incall', 1, {'incall': [('2000', '2999', 4)]}
            ),
            'branch': ContextInfo(
                'branch', 'internal', 2, {'user': [('3000', '3999', None)]}
            ),
            'branch-extern': ContextInfo(
                'branch-extern', 'incall', 2, {'incall': [('4000', '4999', None)]}
            ),
        },
        cti_profiles={'Client': 1, 'Agent': 2},
        call_permissions={'international': 1, 'premium': 2, 'mobile': 3},
        taken_uuids={},
        taken_emails={},
        email_keys={},
        taken_usernames={},
        taken_sip_usernames={},
        taken_provisioning_codes={},
        extensions={},
        voicemails={},
    )
    for name, value in changes.items():
        setattr(found, name, value)
    return found


USER = {
    'id': 7,
    'uuid': UUID,
    'entity_id': 1,
    'firstname': 'Ann',
    'lastname': 'Lee',
    'email': 'ann@example.com',
    'username': 'ann',
    'password': 'pw-hash',
    'cti_profile_id': 1,
    'cti_profile_enabled': True,
    'ring_seconds': 30,
}
LINE = {
    'id': 3,
    'protocol': 'sip',
    'name': 'ann-sip',
    'context': 'default',
    'provisioning_code': '123456',
    'sip_endpoint_id': 4,
    'sccp_endpoint_id': None,
}
SIP = {'id': 4, 'username': 'ann-sip', 'secret': 's3cret'}
EXTENSION = {'id': 5, 'exten': '1000', 'context': 'default'}
INCALL = (
    {'id': 9, 'user_id': 7, 'ring_seconds': None, 'extension_id': 6},
    {'id': 6, 'exten': '2000', 'context': 'from-extern'},
)
SECOND_INCALL = (
    {'id': 10, 'user_id': 7, 'ring_seconds': 15, 'extension_id': 8},
    {'id': 8, 'exten': '2001', 'context': 'from-extern'},
)
VOICEMAIL = {
    'id': 11,
    'name': 'Ann',
    'number': '1000',
    'context': 'default',
    'password': '1234',
    'email': 'ann@example.com',
    'attach_audio': False,
    'delete_messages': False,
    'ask_password': True,
}


def state(
    user=None,
    line=None,
    sip=None,
    extension=None,
    incalls=(),
    voicemail=None,
    call_permission_ids=(),
    login=None,
):
    """A user as it is before an update: the bare user of USER, with what is given."""
    return UserState(
        dict(USER, **(user or {})),
        None if line is None else dict(line),
        None if sip is None else dict(sip),
        None if extension is None else dict(extension),
        [(dict(incall), dict(ext)) for incall, ext in incalls],
        None if voicemail is None else dict(voicemail),
        list(call_permission_ids),
        login,
    )


def with_phone(**user):
    """A user with a SIP line 1000@default."""
    return state(user, line=LINE, sip=SIP, extension=EXTENSION)


def updating(context, current):
    """The row as the update pipeline hands it to the rules: its entity, the cell or the
    user's own."""
    if not context.present('entity_id'):
        context.entity_id = current.user['entity_id']
    return context
