# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os

import pytest

from wazo_confd_users_csv import columns, docs

ROOT = os.path.join(os.path.dirname(__file__), '..')
REGENERATE = (
    f'regenerate with: python -m wazo_confd_users_csv.docs --update {docs.PAGE}'
)


def page_text():
    with open(os.path.join(ROOT, docs.PAGE), encoding='utf-8') as stream:
        return stream.read()


@pytest.mark.parametrize(
    'start,end,table', docs.BLOCKS, ids=['columns', 'wazo-columns', 'errors']
)
def test_generated_tables_of_the_csv_format_page_match_the_catalogues(
    start, end, table
):
    text = page_text()
    assert (
        text.count(start) == 1 and text.count(end) == 1
    ), f'{start} once in {docs.PAGE}'
    assert docs.block(text, start, end) == table(), REGENERATE


def test_the_two_column_tables_differ_where_the_catalogues_do():
    # a table rendered from the wrong catalogue would still be "in sync" with itself
    standalone, wazo = (
        docs.columns_table(columns.OWN),
        docs.columns_table(columns.WAZO),
    )
    assert '`userfield`' in wazo and '`userfield`' not in standalone
    assert 'userfeatures.firstname' in wazo and 'users_csv_user.firstname' in standalone


def test_every_code_the_sources_raise_is_in_the_catalogue_and_no_other():
    """Scans the package for error(...), Error(...), FileError(...) and Notice(...) calls whose
    first argument is a code literal."""
    import ast
    import pathlib
    import re

    from wazo_confd_users_csv.error_codes import CODES

    package = pathlib.Path(__file__).parent.parent / 'wazo_confd_users_csv'
    raised = set()
    for path in package.rglob('*.py'):
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
            if not (
                isinstance(node, ast.Call)
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, 'id', '')
            )
            if name in ('error', 'Error', 'FileError', 'Notice') and re.fullmatch(
                r'[a-z_]+', node.args[0].value
            ):
                raised.add(node.args[0].value)
    assert raised - set(CODES) == set(), 'codes raised but not in error_codes.CODES'
    assert set(CODES) - raised == set(), 'codes listed but never raised'
