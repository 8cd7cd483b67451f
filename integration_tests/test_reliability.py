# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Faults, concurrency and recovery, against real PostgreSQL and RabbitMQ.

Outages are made with a TCP proxy in front of the real broker or database: a real connection
that the test cuts and restores.
"""

import subprocess
import sys
import threading
import time

import pytest
import requests
import sqlalchemy as sa
import yaml

from wazo_confd_users_csv.auth import token_id
from wazo_confd_users_csv.database.session import APPLICATION_NAME
from wazo_confd_users_csv_testing.proxy import Proxy

from .conftest import TOKEN, BusListener, Server, fresh_pg_database, make_config
from .helpers import make_csv, phone, user

PHONE_EVENTS = [
    'user_created',
    'line_created',
    'sip_endpoint_created',
    'extension_created',
    'user_line_associated',
    'line_extension_associated',
]


@pytest.fixture(scope='module')
def own_db():
    with fresh_pg_database() as uri:
        yield uri


@pytest.fixture
def broker():
    proxy = Proxy(5672).start()
    yield proxy
    proxy.stop()


@pytest.fixture
def flaky_bus_server(own_db, exchange_name, broker):
    config = make_config(own_db, exchange_name)
    config['bus'].update(port=broker.port, relay_interval=0.3)
    server = Server(config)
    server.clean()
    yield server
    server.stop()


@pytest.fixture
def quiet_server(own_db):
    """The bus off: every connection of the application belongs to the import."""
    server = Server(make_config(own_db, None))
    server.clean()
    yield server
    server.stop()


def test_events_wait_in_the_outbox_while_the_broker_is_down(
    flaky_bus_server, broker, exchange_name
):
    listener = BusListener(exchange_name)
    try:
        broker.stop()
        rows = [user(f'U{i}', **phone(str(1000 + i))) for i in range(3)]

        response = flaky_bus_server.post(make_csv(rows))

        assert response.status_code == 201, response.text  # the outage does not fail it
        time.sleep(1)
        assert listener.messages(timeout=0.5) == []
        assert flaky_bus_server.count('outbox') == 18

        broker.start()
        messages = listener.messages(expected=18, timeout=15)

        assert [m['body']['name'] for m in messages] == PHONE_EVENTS * 3
        ids = [e['user_id'] for e in response.json()['created']]
        assert [
            m['body']['data']['id']
            for m in messages
            if m['body']['name'] == 'user_created'
        ] == ids
        assert flaky_bus_server.count('outbox') == 0
    finally:
        listener.close()


def test_broker_cut_while_an_import_runs(flaky_bus_server, broker, exchange_name):
    listener = BusListener(exchange_name)
    try:
        rows = [user(f'U{i}', **phone(str(1000 + i))) for i in range(300)]
        outcome = {}
        worker = threading.Thread(
            target=lambda: outcome.update(
                response=flaky_bus_server.post(make_csv(rows))
            )
        )
        worker.start()
        broker.stop()
        worker.join(timeout=120)
        assert outcome['response'].status_code == 201
        broker.start()

        messages = listener.messages(expected=1800, timeout=30)

        created = [
            m['body']['data']['id']
            for m in messages
            if m['body']['name'] == 'user_created'
        ]
        # at least once: every user announced, in order, duplicates only after a cut
        assert sorted(set(created)) == [
            e['user_id'] for e in outcome['response'].json()['created']
        ]
        assert flaky_bus_server.count('outbox') == 0
    finally:
        listener.close()


def terminate_import_connection(uri, stop):
    """Kills the application's backend as soon as it is inside a transaction."""
    engine = sa.create_engine(uri, isolation_level='AUTOCOMMIT')
    try:
        with engine.connect() as connection:
            while not stop.is_set():
                killed = connection.execute(
                    sa.text(
                        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                        'WHERE application_name = :name AND datname = current_database() '
                        "AND xact_start IS NOT NULL AND state <> 'idle'"
                    ),
                    {'name': APPLICATION_NAME},
                ).all()
                if killed:
                    return True
                time.sleep(0.005)
    finally:
        engine.dispose()
    return False


def test_connection_terminated_mid_import_is_503_and_the_next_request_works(
    quiet_server, own_db
):
    rows = [user(f'U{i}', **phone(str(1000 + i))) for i in range(800)]
    stop = threading.Event()
    killed = {}
    killer = threading.Thread(
        target=lambda: killed.update(done=terminate_import_connection(own_db, stop))
    )
    killer.start()
    try:
        response = quiet_server.post(make_csv(rows))
    finally:
        stop.set()
        killer.join()

    assert killed['done']
    assert response.status_code == 503, response.text
    assert 'database cannot be reached' in response.json()['errors'][0]['message']
    assert quiet_server.count('user') == 0
    again = quiet_server.post(make_csv(rows))
    assert again.status_code == 201, again.text
    assert quiet_server.count('user') == 800


def post_all(server, bodies):
    barrier = threading.Barrier(len(bodies))
    responses = [None] * len(bodies)

    def post(index):
        barrier.wait()
        responses[index] = server.post(bodies[index])

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return responses


def test_two_imports_racing_for_one_exten(quiet_server):
    # long files, so that both are checked before either commits
    first = [
        user(f'A{i}', **(phone(str(1000 + i)) if i < 500 else {})) for i in range(2000)
    ]
    second = [
        user(f'B{i}', **(phone(str(1500 + i)) if i < 400 else {})) for i in range(2000)
    ]
    first.append(user('A-last', **phone('1999')))
    second.append(user('B-last', **phone('1999')))

    responses = post_all(quiet_server, [make_csv(first), make_csv(second)])

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201, 409], [r.text[:300] for r in responses]
    loser = next(r for r in responses if r.status_code == 409)
    assert '1999' in loser.json()['errors'][0]['message']
    winner = next(r for r in responses if r.status_code == 201)
    assert quiet_server.count('user') == len(winner.json()['created'])
    with quiet_server.engine.connect() as connection:
        assert (
            connection.exec_driver_sql(
                "SELECT count(*) FROM users_csv_extension WHERE exten = '1999'"
            ).scalar()
            == 1
        )
        # nothing of the loser: no line without user, no orphan extension
        assert (
            connection.exec_driver_sql(
                'SELECT count(*) FROM users_csv_line l LEFT JOIN users_csv_user_line ul '
                'ON ul.line_id = l.id WHERE ul.user_id IS NULL'
            ).scalar()
            == 0
        )


def test_twenty_concurrent_imports_of_disjoint_users(quiet_server):
    bodies = [
        make_csv(
            [
                user(
                    f'I{i}U{j}',
                    email=f'i{i}u{j}@example.com',
                    **phone(str(1000 + 40 * i + j), 'sip' if j % 2 else 'sccp'),
                    voicemail_name='Box',
                    voicemail_number=str(1000 + 40 * i + j),
                    voicemail_context='default',
                )
                for j in range(40)
            ]
        )
        for i in range(20)
    ]

    responses = post_all(quiet_server, bodies)

    assert [r.status_code for r in responses] == [201] * 20, [
        r.text[:200] for r in responses if r.status_code != 201
    ]
    assert quiet_server.count('user') == 800
    assert quiet_server.count('line') == 800
    assert quiet_server.count('voicemail') == 800
    codes = [row['provisioning_code'] for row in quiet_server.rows('line')]
    assert len(set(codes)) == 800


def test_concurrent_disjoint_imports_with_generated_codes_all_succeed(
    quiet_server, caplog
):
    """Six files of 500 SIP lines, each provisioning code and SIP username left to the server,
    sent at once: each job draws its codes where no concurrent job draws (generated.py), so
    none waits for another's uncommitted code, and every file imports at the first try.
    """
    files, size = 6, 500
    bodies = [
        make_csv(
            [
                user(f'C{i}U{j}', **phone(str(1000 + size * i + j), context='big'))
                for j in range(size)
            ]
        )
        for i in range(files)
    ]
    with quiet_server.engine.begin() as connection:  # room for 3,000 numbers
        connection.exec_driver_sql(
            "INSERT INTO users_csv_context (name, type, entity_id) "
            "VALUES ('big', 'internal', 1) ON CONFLICT DO NOTHING"
        )
        connection.exec_driver_sql(
            'INSERT INTO users_csv_context_range (context_id, kind, start, "end") '
            "SELECT id, 'user', '1000', '9999' FROM users_csv_context "
            "WHERE name = 'big' AND NOT EXISTS (SELECT 1 FROM users_csv_context_range r "
            'WHERE r.context_id = users_csv_context.id)'
        )

    caplog.set_level('INFO', logger='wazo_confd_users_csv')

    responses = post_all(quiet_server, bodies)

    assert [r.status_code for r in responses] == [201] * files, [
        r.text[:300] for r in responses if r.status_code != 201
    ]
    lost = [r.getMessage() for r in caplog.records if 'lost a race' in r.getMessage()]
    assert lost == []  # no job waited for another's code, nor ran twice
    assert quiet_server.count('user') == files * size
    codes = [row['provisioning_code'] for row in quiet_server.rows('line')]
    assert len(codes) == len(set(codes)) == files * size
    names = [row['username'] for row in quiet_server.rows('sip_endpoint')]
    assert len(names) == len(set(names)) == files * size


def test_formula_like_cells_are_stored_as_given_and_both_export_forms_read_back(
    quiet_server,
):
    values = [
        '=HYPERLINK("http://x")',
        '+1+2',
        '-3',
        '@SUM(A1)',
        "'=quoted",
        'x;=1+1;y',  # a spreadsheet with `;` as its list separator splits it there
    ]
    # a file without a BOM (the raw form, a script's file) is read as it is
    rows = [
        user(f'U{n}', lastname=value, outgoing_caller_id=value)
        for n, value in enumerate(values)
    ]
    assert quiet_server.post(make_csv(rows)).status_code == 201
    assert sorted(row['lastname'] for row in quiet_server.rows('user')) == sorted(
        values
    )
    raw = quiet_server.get('/users/export').content
    spreadsheet = quiet_server.get('/users/export?spreadsheet=true').content
    # a selection is written by Python, the whole export by PostgreSQL's COPY: alike
    selected = quiet_server.get('/users/export?spreadsheet=true&limit=100').content

    assert spreadsheet.startswith(b'\xef\xbb\xbf') and not raw.startswith(b'\xef')
    assert selected == spreadsheet
    escaped = {
        '=HYPERLINK("http://x")': '\'=HYPERLINK("http://x")',
        '+1+2': "'+1+2",
        '-3': "'-3",
        '@SUM(A1)': "'@SUM(A1)",
        "'=quoted": "''=quoted",
        'x;=1+1;y': "x;'=1+1;y",
    }
    for value in values:  # raw: as stored; OWASP: one more quote in front of each part
        for form, cell in ((raw, value), (spreadsheet, escaped[value])):
            quoted = '"' + cell.replace('"', '""') + '"' if '"' in cell else cell
            assert f',{quoted},'.encode() in form
    for form in (raw, spreadsheet):  # each read back as it was written: nothing changes
        response = requests.put(
            f'{quiet_server.url}/users/import',
            data=form,
            headers={'X-Auth-Token': TOKEN, 'Content-Type': 'text/csv'},
        )
        assert response.status_code == 200, response.text
        assert [entry['outcome'] for entry in response.json()['updated']] == [
            'unchanged'
        ] * len(values)
        assert sorted(row['lastname'] for row in quiet_server.rows('user')) == sorted(
            values
        )
    assert quiet_server.get('/users/export').content == raw


def test_one_log_line_per_job_without_secrets(quiet_server, caplog):
    caplog.set_level('INFO', logger='wazo_confd_users_csv')
    body = make_csv(
        [
            user(
                password='TopSecret-1',
                username='logged',
                **phone('1000', sip_secret='SipSecret-2'),
            )
        ]
    )
    assert quiet_server.post(body).status_code == 201
    assert quiet_server.post(body).status_code == 400

    lines = [
        r.getMessage() for r in caplog.records if 'users_csv job=' in r.getMessage()
    ]
    assert len(lines) == 2
    assert lines[0].startswith('users_csv job=import who=')
    assert ' rows=1 outcome=done errors=0 dry_run=false duration_ms=' in lines[0]
    assert ' rows=1 outcome=refused_400 errors=' in lines[1]
    assert TOKEN not in caplog.text
    for secret in ('TopSecret-1', 'SipSecret-2'):
        assert secret not in caplog.text


def test_serve_waits_for_the_database_with_a_clear_log_line(own_db, tmp_path):
    database = Proxy(5432)
    config = tmp_path / 'host.yml'
    port = Proxy(1).port  # a free port for the API
    uri = own_db.replace('127.0.0.1:5432', f'127.0.0.1:{database.port}')
    config.write_text(
        yaml.safe_dump(
            {
                'db_uri': uri,
                'rest_api': {'port': port},
                'auth': {'backend': 'static', 'tokens': {TOKEN: ['#']}},
            }
        )
    )
    process = subprocess.Popen(
        [
            sys.executable,
            '-m',
            'wazo_confd_users_csv.host.cli',
            '-c',
            str(config),
            'serve',
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stderr.readline()
        assert 'is not reachable' in first and 'retrying in' in first, first
        assert uri.split('@')[0] not in first or '***' in first
        database.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                response = requests.get(
                    f'http://127.0.0.1:{port}/1.1/users/import/columns',
                    headers={'X-Auth-Token': TOKEN},
                    timeout=1,
                )
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
        database.stop()


def test_a_deadlock_is_run_again_and_its_details_never_shown(
    quiet_server, own_db, caplog
):
    """PostgreSQL itself raises the deadlock (a trigger on the first insert, then never again):
    the job is run again and succeeds; when every attempt deadlocks, the 409 names no process
    nor transaction."""
    caplog.set_level('INFO', logger='wazo_confd_users_csv')
    engine = sa.create_engine(own_db)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE deadlocks_left (n integer); INSERT INTO deadlocks_left VALUES (1);"
            "CREATE FUNCTION deadlock_once() RETURNS trigger AS $$ BEGIN "
            "IF (SELECT n FROM deadlocks_left) > 0 THEN "
            "UPDATE deadlocks_left SET n = n - 1; "
            "RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01', "
            "DETAIL = 'Process 4242 waits for ShareLock on transaction 777'; "
            "END IF; RETURN NEW; END $$ LANGUAGE plpgsql;"
            "CREATE TRIGGER deadlock_once BEFORE INSERT ON users_csv_user "
            "FOR EACH STATEMENT EXECUTE FUNCTION deadlock_once()"
        )
    try:
        # the raise rolls back the decrement too: the counter is made durable by a
        # separate transaction here, so "once" means the first attempt of each file
        response = quiet_server.post(make_csv([user('Retried')]))
        assert response.status_code == 409, response.text  # every attempt deadlocked
        assert 'Process' not in response.text and '4242' not in response.text
        assert 'deadlock' in response.json()['errors'][0]['message']
        assert quiet_server.count('user') == 0
        assert sum('lost a race' in r.getMessage() for r in caplog.records) == 2

        with engine.begin() as connection:  # now a trigger that deadlocks only once
            connection.exec_driver_sql(
                "CREATE OR REPLACE FUNCTION deadlock_once() RETURNS trigger AS $$ BEGIN "
                "IF nextval('deadlock_seq') = 1 THEN "
                "RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql;"
                "CREATE SEQUENCE deadlock_seq"
            )
        response = quiet_server.post(make_csv([user('Retried')]))
        assert response.status_code == 201, response.text
        assert quiet_server.count('user') == 1
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                'DROP TRIGGER IF EXISTS deadlock_once ON users_csv_user;'
                'DROP FUNCTION IF EXISTS deadlock_once(); DROP TABLE IF EXISTS deadlocks_left;'
                'DROP SEQUENCE IF EXISTS deadlock_seq'
            )
        engine.dispose()


def test_refusals_and_exports_are_logged_without_the_token(quiet_server, caplog):
    caplog.set_level('INFO', logger='wazo_confd_users_csv')

    assert quiet_server.post(make_csv([user()]), token='not-a-token').status_code == 401
    assert quiet_server.get('/users/export').status_code == 200
    wrong_type = quiet_server.post(make_csv([user()]), content_type='application/json')
    assert wrong_type.status_code == 415

    messages = [r.getMessage() for r in caplog.records]
    refused = [m for m in messages if 'refused=401' in m]
    assert len(refused) == 1 and 'acl=confd.users.import.create' in refused[0]
    assert 'path=/1.1/users/import' in refused[0]
    [media] = [m for m in messages if 'refused=415' in m]
    assert 'who=' + token_id(TOKEN) in media and 'method=POST' in media
    assert any(m.startswith('users_csv job=export who=') for m in messages)
    assert 'not-a-token' not in caplog.text and TOKEN not in caplog.text
