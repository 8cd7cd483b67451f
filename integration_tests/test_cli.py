# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The standalone host's CLI on the embedded default (SQLite in the current directory)."""

import os
import re
import subprocess
import sys

import sqlalchemy as sa

EXAMPLES = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', 'examples'))
CLI = [sys.executable, '-m', 'wazo_confd_users_csv.host.cli']


def run(tmp_path, *args):
    return subprocess.run(
        CLI + list(args), cwd=tmp_path, capture_output=True, text=True, timeout=120
    )


def users(tmp_path):
    engine = sa.create_engine(f'sqlite:///{tmp_path / "users_csv.db"}')
    with engine.connect() as connection:
        found = [
            row[0]
            for row in connection.exec_driver_sql(
                'SELECT firstname FROM users_csv_user ORDER BY id'
            )
        ]
    engine.dispose()
    return found


def test_first_run_on_sqlite(tmp_path):
    assert run(tmp_path, 'db', 'upgrade').returncode == 0
    loaded = run(tmp_path, 'reference', 'load', os.path.join(EXAMPLES, 'reference.yml'))
    assert loaded.returncode == 0, loaded.stderr
    assert (
        'loaded 2 entities, 3 contexts, 3 cti_profiles, 3 call_permissions'
        in loaded.stdout
    )
    # reference load is idempotent
    assert (
        run(
            tmp_path, 'reference', 'load', os.path.join(EXAMPLES, 'reference.yml')
        ).returncode
        == 0
    )

    dry = run(
        tmp_path, 'import', os.path.join(EXAMPLES, 'seed-phones.csv'), '--dry-run'
    )
    assert dry.returncode == 0, dry.stderr
    assert 'would create 3 users' in dry.stdout
    assert users(tmp_path) == []

    done = run(tmp_path, 'import', os.path.join(EXAMPLES, 'seed-phones.csv'))
    assert done.returncode == 0, done.stderr
    assert 'created 3 users' in done.stdout
    assert users(tmp_path) == ['John', 'George', 'Bill']


def test_file_with_errors_exits_1_with_a_table(tmp_path):
    run(tmp_path, 'db', 'upgrade')
    run(tmp_path, 'reference', 'load', os.path.join(EXAMPLES, 'reference.yml'))
    bad = tmp_path / 'bad.csv'
    bad.write_text('entity_id,firstname,ring_seconds\n1,A,7\n1,,5\n')

    result = run(tmp_path, 'import', str(bad))

    assert result.returncode == 1
    assert '2 problems on 2 rows: nothing was written' in result.stderr
    assert 'ring_seconds: must be a multiple of 5' in result.stderr
    assert 'firstname: is required on every row' in result.stderr
    assert users(tmp_path) == []


def test_many_errors_are_counted_first_then_the_first_rows(tmp_path):
    run(tmp_path, 'db', 'upgrade')
    run(tmp_path, 'reference', 'load', os.path.join(EXAMPLES, 'reference.yml'))
    bad = tmp_path / 'bad.csv'
    bad.write_text(
        'entity_id,firstname,exten,context,line_protocol,ring_seconds\n'
        + ''.join(
            f'1,U{i},{1100 + i},defualt,sip,{7 if i == 3 else ""}\n' for i in range(30)
        )
    )

    result = run(tmp_path, 'import', str(bad))

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == '31 problems on 30 rows: nothing was written'
    counts = [
        re.search(r'│ +(\d+) │ (\w+) +│ (\w+) +│ (.*?) *│', line)
        for line in lines
        if 'unknown_context' in line or ' invalid ' in line
    ]
    assert [match.groups()[:3] for match in counts] == [
        ('30', 'context', 'unknown_context'),
        ('1', 'ring_seconds', 'invalid'),
    ]
    assert counts[0].group(4).startswith('row 1: context: no context is named')
    assert 'the first 20 of 31 (--all-errors lists them all)' in result.stderr

    every = run(tmp_path, 'import', str(bad), '--all-errors')
    assert every.returncode == 1
    assert 'every error' in every.stderr
    assert every.stderr.count('no context is named') == 31  # 30 listed, 1 in the counts
    # the first 20 errors: 19 of context and row 4's ring_seconds; 1 more in the counts
    assert result.stderr.count('no context is named') == 20


def test_version(tmp_path):
    root = os.path.join(EXAMPLES, '..')
    with open(os.path.join(root, 'setup.py'), encoding='utf-8') as stream:
        version = re.search(r"version='([^']+)'", stream.read()).group(1)
    with open(os.path.join(root, 'debian', 'changelog'), encoding='utf-8') as stream:
        assert stream.readline().startswith(f'wazo-confd-users-csv ({version})')

    result = run(tmp_path, '--version')

    assert (result.returncode, result.stdout) == (
        0,
        f'wazo-confd-users-csv {version}\n',
    )


def test_bad_usage_exits_2(tmp_path):
    assert run(tmp_path, 'import').returncode == 2
    assert run(tmp_path, 'import', 'missing.csv').returncode == 2
    assert run(tmp_path, 'frobnicate').returncode == 2
    assert run(tmp_path, '-c', 'missing.yml', 'db', 'upgrade').returncode == 2


def test_import_before_db_upgrade_says_what_to_do(tmp_path):
    result = run(tmp_path, 'import', os.path.join(EXAMPLES, 'seed-phones.csv'))

    assert result.returncode == 1
    assert 'db upgrade' in result.stderr


def test_reference_changes_are_applied_in_place(tmp_path):
    run(tmp_path, 'db', 'upgrade')
    first = tmp_path / 'ref.yml'
    first.write_text(
        'entities: [{id: 1, name: default}]\n'
        'contexts: [{name: default, type: internal, entity_id: 1,'
        ' user_ranges: [{start: "1000", end: "1099"}]}]\n'
    )
    assert run(tmp_path, 'reference', 'load', str(first)).returncode == 0
    first.write_text(
        'entities: [{id: 1, name: main}]\n'
        'contexts: [{name: default, type: internal, entity_id: 1,'
        ' user_ranges: [{start: "2000", end: "2099"}]}]\n'
    )
    assert run(tmp_path, 'reference', 'load', str(first)).returncode == 0

    engine = sa.create_engine(f'sqlite:///{tmp_path / "users_csv.db"}')
    with engine.connect() as connection:
        assert connection.exec_driver_sql(
            'SELECT name FROM users_csv_entity'
        ).all() == [('main',)]
        assert connection.exec_driver_sql(
            'SELECT start, "end" FROM users_csv_context_range'
        ).all() == [('2000', '2099')]
    engine.dispose()


def test_malformed_reference_file_exits_1(tmp_path):
    run(tmp_path, 'db', 'upgrade')
    bad = tmp_path / 'ref.yml'
    bad.write_text('contexts: [{type: internal}]\n')
    result = run(tmp_path, 'reference', 'load', str(bad))
    assert result.returncode == 1
    assert 'malformed' in result.stderr


def test_export_edit_and_update_through_the_cli(tmp_path):
    run(tmp_path, 'db', 'upgrade')
    run(tmp_path, 'reference', 'load', os.path.join(EXAMPLES, 'reference.yml'))
    run(tmp_path, 'import', os.path.join(EXAMPLES, 'seed-phones.csv'))
    exported = run(tmp_path, 'export')
    assert exported.returncode == 0, exported.stderr
    edited = tmp_path / 'edited.csv'
    edited.write_text(exported.stdout.replace(',George,', ',Georges,'), newline='')

    dry = run(tmp_path, 'update', str(edited), '--dry-run')
    assert dry.returncode == 0, dry.stderr
    assert (
        'would update 1 of 3 users (2 unchanged; 1 changes announced): updated 1 user'
        in dry.stdout
    )
    assert users(tmp_path) == ['John', 'George', 'Bill']

    done = run(tmp_path, 'update', str(edited))
    assert done.returncode == 0, done.stderr
    assert users(tmp_path) == ['John', 'Georges', 'Bill']

    no_uuid = tmp_path / 'no-uuid.csv'
    no_uuid.write_text('firstname\nX\n')
    refused = run(tmp_path, 'update', str(no_uuid))
    assert refused.returncode == 1
    assert 'an update needs a uuid column' in refused.stderr


def one_problem(result):
    """exit 1, and a line or two on stderr that is not a traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert 'Traceback' not in result.stderr
    assert 1 <= len(result.stderr.strip().splitlines()) <= 3, result.stderr
    return result.stderr


def test_db_upgrade_says_what_it_did(tmp_path):
    assert 'created the database schema' in run(tmp_path, 'db', 'upgrade').stdout
    assert 'already up to date' in run(tmp_path, 'db', 'upgrade').stdout


def test_every_command_on_an_empty_database_says_run_db_upgrade(tmp_path):
    sa.create_engine(f'sqlite:///{tmp_path / "users_csv.db"}').connect().close()
    for args in (
        ['export'],
        ['reference', 'load', os.path.join(EXAMPLES, 'reference.yml')],
        ['import', os.path.join(EXAMPLES, 'seed-phones.csv')],
    ):
        assert 'db upgrade' in one_problem(run(tmp_path, *args)), args


def config_file(tmp_path, text):
    path = tmp_path / 'host.yml'
    path.write_text(text)
    return str(path)


def test_a_postgresql_database_that_does_not_exist(tmp_path):
    config = config_file(
        tmp_path,
        'db_uri: postgresql://postgres@127.0.0.1:5432/' 'users_csv_no_such_database\n',
    )
    for args in (
        ['db', 'upgrade'],
        ['export'],
        ['reference', 'load', os.path.join(EXAMPLES, 'reference.yml')],
        ['serve'],
        ['import', os.path.join(EXAMPLES, 'seed-phones.csv')],
        ['update', os.path.join(EXAMPLES, 'seed-phones.csv'), '--dry-run'],
    ):
        message = one_problem(run(tmp_path, '-c', config, *args))
        assert 'users_csv_no_such_database does not exist' in message, args
        assert 'createdb' in message


def test_an_unreachable_database_and_a_bad_url(tmp_path):
    down = config_file(tmp_path, 'db_uri: postgresql://postgres@127.0.0.1:1/x\n')
    assert 'cannot be used' in one_problem(run(tmp_path, '-c', down, 'export'))
    bad = config_file(tmp_path, 'db_uri: not a url\n')
    assert 'not a database URL' in one_problem(
        run(tmp_path, '-c', bad, 'db', 'upgrade')
    )


def test_serve_on_a_busy_or_bad_port(tmp_path):
    import socket

    run(tmp_path, 'db', 'upgrade')
    busy = socket.socket()
    busy.bind(('127.0.0.1', 0))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        config = config_file(tmp_path, f'rest_api: {{port: {port}}}\n')
        assert f'port {port} is busy' in one_problem(
            run(tmp_path, '-c', config, 'serve')
        )
    finally:
        busy.close()
    config = config_file(tmp_path, 'rest_api: {port: http}\n')
    result = run(tmp_path, '-c', config, 'serve')
    assert result.returncode == 2 and 'rest_api.port' in result.stderr
    assert 'Traceback' not in result.stderr


def test_what_the_cli_creates_is_not_world_readable(tmp_path):
    assert run(tmp_path, 'db', 'upgrade').returncode == 0
    assert run(tmp_path, 'export', '-o', 'users.csv').returncode == 0

    for name in ('users_csv.db', 'users.csv'):  # every user's secrets
        assert (tmp_path / name).stat().st_mode & 0o007 == 0, name


def test_the_progress_bar_goes_through_every_phase(tmp_path):
    assert run(tmp_path, 'db', 'upgrade').returncode == 0
    reference_yml = os.path.join(EXAMPLES, 'reference.yml')
    assert run(tmp_path, 'reference', 'load', reference_yml).returncode == 0
    body = 'entity_id,firstname,lastname\n' + ''.join(
        f'1,User{i},Big\n' for i in range(3000)
    )
    (tmp_path / 'big.csv').write_text(body)
    # a terminal, as rich sees one
    done = subprocess.run(
        CLI + ['import', 'big.csv'],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, FORCE_COLOR='1', COLUMNS='120'),
    )
    assert done.returncode == 0, done.stderr
    assert 'created 3000 users' in done.stdout
    drawn = re.sub(r'\x1b\[[0-9;?]*[A-Za-z]', '', done.stderr)
    shown = [
        label
        for label in ('reading rows', 'checking rows', 'writing rows', 'committing')
        if label in drawn
    ]
    assert shown == ['reading rows', 'checking rows', 'writing rows', 'committing']
    assert '3000/3000' in drawn
    # not a terminal: nothing drawn
    plain = run(tmp_path, 'import', '--dry-run', 'big.csv')
    assert plain.returncode == 0 and 'rows' not in plain.stderr
