# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Renders the column catalogues and the error codes as the Markdown tables of
docs/csv-format.md.

`python -m wazo_confd_users_csv.docs` prints them; `... --update docs/csv-format.md` rewrites
the tables between the page's markers. A unit test keeps the page in sync.
"""

import sys

from . import columns
from .error_codes import CODES

PAGE = 'docs/csv-format.md'
START, END = '<!-- columns:start -->', '<!-- columns:end -->'
WAZO_START, WAZO_END = '<!-- wazo-columns:start -->', '<!-- wazo-columns:end -->'
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


def _cell(text):
    return text.replace('|', '\\|')


def columns_table(backend=columns.OWN):
    """The columns one host accepts (its catalogue), in catalogue order."""
    lines = [
        '| column | group | type | required | allowed | default on create | stored in |',
        '| --- | --- | --- | --- | --- | --- | --- |',
    ]
    for column in columns.CATALOGUES[backend].columns:
        lines.append(
            f'| `{column.name}` | {column.group} | {column.type} | '
            f'{REQUIRED_TEXT[column.required]} | {_cell(column.allowed)} | '
            f'{_default(column)} | {_cell(column.stored)} |'
        )
    return '\n'.join(lines)


def errors_table():
    lines = ['| code | where | meaning |', '| --- | --- | --- |']
    for code, (where, meaning) in CODES.items():
        lines.append(f'| `{code}` | {where} | {meaning} |')
    return '\n'.join(lines)


# (start marker, end marker, the table between them)
BLOCKS = (
    (START, END, lambda: columns_table(columns.OWN)),
    (WAZO_START, WAZO_END, lambda: columns_table(columns.WAZO)),
    (ERRORS_START, ERRORS_END, errors_table),
)


def block(text, start, end):
    """What `text` holds between two markers."""
    return text[text.index(start) + len(start) : text.index(end)].strip()


def _replace(text, start, end, table):
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f'{head}{start}\n{table}\n{end}{tail}'


def update(path=PAGE):
    with open(path, encoding='utf-8') as stream:
        text = stream.read()
    for start, end, table in BLOCKS:
        text = _replace(text, start, end, table())
    with open(path, 'w', encoding='utf-8') as stream:
        stream.write(text)


if __name__ == '__main__':
    if sys.argv[1:2] == ['--update']:
        update(*sys.argv[2:3])
    else:
        for _, _, table in BLOCKS:
            print(table())
            print()
