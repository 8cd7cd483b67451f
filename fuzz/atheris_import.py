# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Coverage-guided fuzzing of the reader and the whole import pipeline (SQLite, dry run).

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/atheris_import.py -runs=50000 [-max_len=4096] [corpus_dir]

Any exception other than a 4xx APIError is a crash, and libFuzzer saves the input.
"""

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from wazo_confd_users_csv.backends.standalone import plugin
    from wazo_confd_users_csv.database import migrate
    from wazo_confd_users_csv.errors import APIError
    from wazo_confd_users_csv.host import config as config_module
    from wazo_confd_users_csv.host import reference

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'examples')


def build_service():
    path = os.path.join(tempfile.mkdtemp(prefix='users-csv-fuzz-'), 'fuzz.db')
    config = config_module.complete(
        config_module.merge(config_module.DEFAULTS, {'db_uri': f'sqlite:///{path}'})
    )
    components = plugin.build(config)
    migrate.upgrade(components.database.engine)
    with components.database.session() as session, session.begin():
        reference.load(session, reference.read(os.path.join(EXAMPLES, 'reference.yml')))
    return components.import_service


SERVICE = build_service()


def one_input(data):
    verb = 'update' if data[:1] == b'U' else 'create'
    try:
        getattr(SERVICE, verb)(data, dry_run=True)
    except APIError as exc:
        if not 400 <= exc.status < 500:
            raise


if __name__ == '__main__':
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
