# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The house's floors, read from the imports (docs/architecture.md): the rules and the
pipeline never reach a backend, and the two backends never reach each other."""

import ast
import functools
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / 'wazo_confd_users_csv'
ROOT = 'wazo_confd_users_csv'

SHARED_MODULES = (
    'auth',
    'columns',
    'docs',
    'error_codes',
    'errors',
    'generated',
    'http',
    'reader',
    'schemas',
    'selection',
    'settings',
    'spreadsheet',
    'sql',
    'upgrades',
)
# (modules under this prefix, prefixes they must never import)
FORBIDDEN = [
    (
        'services',
        ('backends', 'database', 'bus', 'host', 'http', 'sql', 'imports.service'),
    ),
    ('imports', ('backends', 'database', 'bus', 'host', 'http', 'services')),
    ('backends.wazo', ('backends.standalone', 'database', 'host')),
    ('backends.standalone', ('backends.wazo',)),
] + [
    (name, ('backends', 'database', 'services', 'imports', 'host'))
    for name in SHARED_MODULES
]


def module_name(path):
    parts = path.relative_to(PACKAGE).with_suffix('').parts
    if parts[-1] == '__init__':
        parts = parts[:-1]
    return '.'.join(parts)


def imported(path):
    """The package's modules `path` imports, as dotted names below the package."""
    tree = ast.parse(path.read_text())
    here = module_name(path).split('.')
    package = here if path.name == '__init__.py' else here[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = '.'.join(base + ([node.module] if node.module else []))
            elif node.module and node.module.startswith(ROOT + '.'):
                target = node.module[len(ROOT) + 1 :]
            else:
                continue
            if node.module is None:  # from . import a, b: each is a module
                found.update(
                    f'{target}.{alias.name}'.strip('.') for alias in node.names
                )
            else:
                found.add(target)
        elif isinstance(node, ast.Import):
            found.update(
                alias.name[len(ROOT) + 1 :]
                for alias in node.names
                if alias.name.startswith(ROOT + '.')
            )
    return found


@functools.lru_cache(maxsize=1)  # read once for all the layers below
def modules():
    return {
        module_name(path): imported(path)
        for path in PACKAGE.rglob('*.py')
        if 'migrations' not in path.parts
    }


def within(name, prefix):
    return name == prefix or name.startswith(prefix + '.')


@pytest.mark.parametrize(
    'layer,forbidden', FORBIDDEN, ids=[rule[0] for rule in FORBIDDEN]
)
def test_no_arrow_goes_the_wrong_way(layer, forbidden):
    wrong = sorted(
        (name, target)
        for name, targets in modules().items()
        if within(name, layer)
        for target in targets
        if any(within(target, prefix) for prefix in forbidden)
    )
    assert wrong == []


def test_the_reader_of_imports_sees_relative_and_absolute_imports(tmp_path):
    # the check above is only as good as this reading of a module's imports
    found = imported(PACKAGE / 'backends' / 'standalone' / 'backend.py')
    assert {'imports.request_keys', 'backends.standalone.writer', 'columns'} <= found
