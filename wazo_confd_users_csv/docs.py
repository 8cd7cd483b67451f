"""Renders the column catalogue as the Markdown table of the README.

`python -m wazo_confd_users_csv.docs` prints it; a unit test keeps the README in sync.
"""
from . import columns

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


if __name__ == '__main__':
    print(columns_table())
