# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os

from wazo_confd_users_csv import docs

README = os.path.join(os.path.dirname(__file__), '..', 'README.md')


def readme_block(start, end):
    """What the README holds between two of docs.py's markers."""
    with open(README, encoding='utf-8') as stream:
        text = stream.read()
    return text[text.index(start) + len(start) : text.index(end)].strip()


REGENERATE = 'regenerate with: python -m wazo_confd_users_csv.docs --update README.md'


def test_readme_column_table_is_generated_from_the_catalogue():
    assert readme_block(docs.START, docs.END) == docs.columns_table(), REGENERATE


def test_readme_error_table_is_generated_from_the_catalogue():
    assert (
        readme_block(docs.ERRORS_START, docs.ERRORS_END) == docs.errors_table()
    ), REGENERATE


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
