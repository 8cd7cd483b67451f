# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Renders the column catalogue and the error codes as the Markdown tables of the README.

`python -m wazo_confd_users_csv.docs` prints them, `... --update README.md` rewrites the
tables between the README's markers; a unit test keeps the README in sync.
"""

import sys

from . import columns
from .error_codes import CODES

START, END = '<!-- columns:start -->', '<!-- columns:end -->'
ERRORS_START, ERRORS_END = '<!-- errors:start -->', '<!-- errors:end -->'

REQUIRED_TEXT = {
    columns.ALWAYS: 'yes',
    columns.IN_GROUP: 'in its group',
    columns.IF_ENABLED: 'if profile enabled',
    columns.ON_UPDATE: 'on update',
    columns.OPTIONAL: '',
}


def _default(column):
    if isinstance(column.default, bool):
        return '1' if column.default else '0'
    return '' if column.default is None else str(column.default)


def columns_table():
    lines = [
        '| column | group | type | required | allowed | default on create |',
        '| --- | --- | --- | --- | --- | --- |',
    ]
    for column in columns.COLUMNS:
        allowed = column.allowed.replace('|', '\\|')
        lines.append(
            f'| `{column.name}` | {column.group} | {column.type} | '
            f'{REQUIRED_TEXT[column.required]} | {allowed} | {_default(column)} |'
        )
    return '\n'.join(lines)


def errors_table():
    lines = ['| code | where | meaning |', '| --- | --- | --- |']
    for code, (where, meaning) in CODES.items():
        lines.append(f'| `{code}` | {where} | {meaning} |')
    return '\n'.join(lines)


def _replace(text, start, end, table):
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f'{head}{start}\n{table}\n{end}{tail}'


def update(path):
    with open(path, encoding='utf-8') as stream:
        text = stream.read()
    text = _replace(text, START, END, columns_table())
    text = _replace(text, ERRORS_START, ERRORS_END, errors_table())
    with open(path, 'w', encoding='utf-8') as stream:
        stream.write(text)


if __name__ == '__main__':
    if sys.argv[1:2] == ['--update']:
        update(sys.argv[2])
    else:
        print(columns_table())
        print()
        print(errors_table())
