"""Renders the column catalogue as the Markdown table of the README.

`python -m wazo_confd_users_csv.docs` prints it, `... --update README.md` rewrites the table
between the README's markers; a unit test keeps the README in sync.
"""
import sys

from . import columns

START, END = '<!-- columns:start -->', '<!-- columns:end -->'

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
    lines = ['| column | group | type | required | allowed | default on create |',
             '| --- | --- | --- | --- | --- | --- |']
    for column in columns.COLUMNS:
        allowed = column.allowed.replace('|', '\\|')
        lines.append(f'| `{column.name}` | {column.group} | {column.type} | '
                     f'{REQUIRED_TEXT[column.required]} | {allowed} | {_default(column)} |')
    return '\n'.join(lines)


def update(path):
    with open(path, encoding='utf-8') as stream:
        text = stream.read()
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    with open(path, 'w', encoding='utf-8') as stream:
        stream.write(f'{head}{START}\n{columns_table()}\n{END}{tail}')


if __name__ == '__main__':
    if sys.argv[1:2] == ['--update']:
        update(sys.argv[2])
    else:
        print(columns_table())
