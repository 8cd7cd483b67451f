# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Jobs on the standalone host (Prefer: respond-async), on PostgreSQL and SQLite: the same
runner as inside wazo-confd, the jobs in users_csv_jobs."""

import time

import requests

from .conftest import TOKEN
from .helpers import make_csv, phone, user

ASYNC = {'Prefer': 'respond-async'}
ORDER = (
    'queued',
    'reading',
    'checking',
    'writing',
    'committing',
    'publishing',
    'done',
)


def send(server, body, method='POST', headers=None, token=TOKEN):
    headers = {
        'X-Auth-Token': token,
        'Content-Type': 'text/csv; charset=utf-8',
        **(headers or {}),
    }
    return requests.request(
        method,
        server.url + '/users/import',
        data=body.encode(),
        headers=headers,
        timeout=120,
    )


def follow(server, location, timeout=120):
    path = location[len('/1.1') :]
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = server.get(path).json()
        if not seen or seen[-1] != job['phase']:
            seen.append(job['phase'])
        if job['finished_at'] is not None:
            return job, seen
        time.sleep(0.02)
    raise AssertionError(f'the job did not end: {seen}')


def without_ids(value):
    if isinstance(value, dict):
        return {
            key: (
                '*'
                if key.endswith(('id', 'ids', 'uuid', 'timestamp'))
                else without_ids(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    return value


FILE = make_csv(
    [user('Ann', **phone('1000')), user('Bo', **phone('1001', 'sccp')), user('Cy')]
)


def test_async_import_on_postgresql_answers_as_the_synchronous_one(server):
    response = send(server, FILE, headers=ASYNC)
    assert response.status_code == 202, response.text
    assert response.headers['Preference-Applied'] == 'respond-async'
    location = response.headers['Location']
    assert location.startswith('/1.1/users/import/jobs/')
    job, seen = follow(server, location)
    assert job['phase'] == 'done' and job['status'] == 201
    assert seen == sorted(seen, key=ORDER.index)
    assert job['tenant_uuid'] is None and job['counts']['written'] == 3
    assert server.count('user') == 3
    assert server.get('/users/import/jobs').json()['total'] == 1

    server.clean()
    synchronous = send(server, FILE)
    assert synchronous.status_code == 201
    assert without_ids(job['result']) == without_ids(synchronous.json())


def test_async_update_on_sqlite_and_the_job_routes_acls(lite):
    created = send(lite, make_csv([user('Ann'), user('Bo')]))
    uuids = [entry['user_uuid'] for entry in created.json()['created']]
    update = 'uuid,lastname\n' + ''.join(f'{uuid},New\n' for uuid in uuids)
    # RFC 7240: preferences separated by commas, names whatever their case
    response = send(lite, update, 'PUT', {'Prefer': 'wait=10, Respond-Async'})
    assert response.status_code == 202, response.text
    job, seen = follow(lite, response.headers['Location'])
    assert job['verb'] == 'update' and job['status'] == 200, job
    assert job['result']['summary']['users'] == {'updated': 2, 'unchanged': 0}
    assert {row['lastname'] for row in lite.rows('user')} == {'New'}
    path = response.headers['Location'][len('/1.1') :]
    assert lite.get(path, token='import-only').status_code == 401
    assert lite.get(path + '0', token=TOKEN).status_code == 404


def test_cancel_while_checking_on_sqlite_writes_nothing(lite):
    body = 'firstname,lastname,email\n' + ''.join(
        f'User{i},Big,user{i}@example.com\n' for i in range(30000)
    )
    response = send(lite, body, headers=ASYNC)
    path = response.headers['Location'][len('/1.1') :]
    deadline = time.monotonic() + 60
    # cancelled as soon as it reads or checks (on SQLite a poll can wait for a lock)
    while (phase := lite.get(path).json()['phase']) not in ('reading', 'checking'):
        assert phase == 'queued' and time.monotonic() < deadline, phase
        time.sleep(0.01)
    cancelled = requests.delete(
        lite.url + path, headers={'X-Auth-Token': TOKEN}, timeout=30
    )
    assert cancelled.status_code == 200, cancelled.text
    job, _ = follow(lite, response.headers['Location'])
    assert job['phase'] == 'cancelled' and job['cancel_requested'] is True
    assert lite.count('user') == 0


def test_jobs_wait_their_turn_and_a_queued_one_is_cancelled(server):
    # PostgreSQL: on SQLite a job's start waits for the running job's write lock, so the
    # second request would only be answered once the first job ended
    from wazo_confd_users_csv import settings

    assert settings.DEFAULTS['jobs_at_once'] == 2
    big = 'entity_id,firstname,lastname\n' + ''.join(
        f'1,User{i},Big\n' for i in range(20000)
    )
    started = [send(server, big, headers=ASYNC) for _ in range(3)]
    paths = [response.headers['Location'][len('/1.1') :] for response in started]
    third = server.get(paths[2]).json()
    assert third['phase'] == 'queued'  # two run, the third waits its turn
    cancelled = requests.delete(
        server.url + paths[2], headers={'X-Auth-Token': TOKEN}, timeout=30
    )
    assert cancelled.status_code == 200, cancelled.text
    for path in paths[:2]:
        requests.delete(server.url + path, headers={'X-Auth-Token': TOKEN}, timeout=30)
    ended = [follow(server, '/1.1' + path)[0] for path in paths]
    assert ended[2]['phase'] == 'cancelled'
    assert server.count('user') == sum(
        len(job['result']['created']) for job in ended if job['status'] == 201
    )


def test_jobs_older_than_the_setting_are_purged(tmp_path):
    import sqlalchemy as sa

    from wazo_confd_users_csv.database.models import Jobs
    from wazo_confd_users_csv.imports.jobs import JobStore

    engine = sa.create_engine(f'sqlite:///{tmp_path / "jobs.db"}')
    Jobs.create(engine)
    store = JobStore(Jobs, lambda: engine, keep_hours=1 / 3600)  # a second
    first = store.create('t', 'import', False)
    assert store.find(first, 't') is not None and store.find(first, 'u') is None
    time.sleep(1.1)
    assert store.find(first, 't') is None and store.listed('t') == []
    second = store.create('t', 'import', False)  # purges the older ones
    with engine.connect() as connection:
        left = [row[0] for row in connection.execute(sa.select(Jobs.c.uuid))]
    assert left == [second]
    engine.dispose()


def big_file(rows):
    return 'entity_id,firstname,lastname\n' + ''.join(
        f'1,User{i},Big\n' for i in range(rows)
    )


def test_a_cap_of_one_job_at_once_queues_the_second_until_the_first_ends(pg_uri):
    from .conftest import Server, make_config

    config = make_config(pg_uri, None)
    config['users_csv']['jobs_at_once'] = 1
    capped = Server(config)
    try:
        capped.clean()
        first = send(capped, big_file(4000), headers=ASYNC)
        second = send(capped, big_file(10).replace('User', 'Other'), headers=ASYNC)
        paths = [r.headers['Location'][len('/1.1') :] for r in (first, second)]
        # the second waits while the first runs, then runs
        seen = []
        deadline = time.monotonic() + 120
        while True:
            # the second read first: once it left the queue, the first has ended
            two, one = (capped.get(path).json() for path in reversed(paths))
            seen.append((one['phase'], two['phase']))
            if two['finished_at'] is not None:
                break
            assert time.monotonic() < deadline, seen[-5:]
            time.sleep(0.01)
        assert ('checking', 'queued') in seen or ('writing', 'queued') in seen, seen
        # never both running: the second leaves the queue once the first has ended
        assert all(
            two == 'queued' or one == 'done' for one, two in seen
        ), f'{[pair for pair in seen if pair[1] != "queued"][:3]}'
        ended = [follow(capped, '/1.1' + path)[0] for path in paths]
        assert [job['status'] for job in ended] == [201, 201]
        assert ended[1]['updated_at'] >= ended[0]['finished_at']
        assert capped.count('user') == 4010
    finally:
        capped.clean()
        capped.stop()


def test_a_job_of_a_killed_host_is_failed_as_soon_as_the_next_one_starts(tmp_path):
    """The standalone host killed (-9) while a job checks: the job's row says `checking`
    until a host starts again on the database, which marks it failed at once, before any
    request for the jobs."""
    import socket
    import subprocess
    import sys

    import sqlalchemy as sa
    import yaml

    from wazo_confd_users_csv.imports.jobs import STOPPED

    from .conftest import Server, fresh_pg_database, make_config

    with fresh_pg_database() as uri, socket.socket() as free:
        free.bind(('127.0.0.1', 0))
        port = free.getsockname()[1]
        free.close()
        path = tmp_path / 'host.yml'
        path.write_text(
            yaml.safe_dump(
                {
                    'db_uri': uri,
                    'rest_api': {'port': port},
                    'auth': {'backend': 'static', 'tokens': {TOKEN: ['#']}},
                }
            )
        )
        child = subprocess.Popen(
            [sys.executable, '-m', 'wazo_confd_users_csv.host.cli', '-c', str(path)]
            + ['serve'],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        engine = sa.create_engine(uri)

        def row(job_uuid):
            with engine.connect() as connection:
                return connection.execute(
                    sa.text(
                        'SELECT phase, message, finished_at FROM users_csv_jobs '
                        'WHERE uuid = :uuid'
                    ),
                    {'uuid': job_uuid},
                ).one()

        host = None
        try:
            url = f'http://127.0.0.1:{port}/1.1'
            deadline = time.monotonic() + 60
            while True:
                try:
                    requests.get(url + '/users/import/columns', timeout=1)
                    break
                except requests.ConnectionError:
                    assert child.poll() is None and time.monotonic() < deadline
                    time.sleep(0.1)
            response = requests.post(
                url + '/users/import',
                data=big_file(30000).encode(),
                headers={
                    'X-Auth-Token': TOKEN,
                    'Content-Type': 'text/csv; charset=utf-8',
                    **ASYNC,
                },
                timeout=60,
            )
            assert response.status_code == 202, response.text
            job_uuid = response.json()['uuid']
            job_url = url + response.headers['Location'][len('/1.1') :]
            busy = ('checking', 'writing')

            def answered():
                return requests.get(
                    job_url, headers={'X-Auth-Token': TOKEN}, timeout=10
                ).json()['phase']

            # the answer says a phase before its row does (written just after): wait for both
            while answered() not in busy or row(job_uuid).phase not in busy:
                assert time.monotonic() < deadline
                time.sleep(0.01)
            child.kill()  # SIGKILL: no clean-up, as a crash
            child.wait()
            left = row(job_uuid)  # left running
            assert left.phase in busy and left.finished_at is None

            host = Server(make_config(uri, None))
            deadline = time.monotonic() + 10
            while row(job_uuid).phase != 'failed':  # no request: the start did it
                assert time.monotonic() < deadline, row(job_uuid)
                time.sleep(0.05)
            left = row(job_uuid)
            assert left.message == STOPPED and left.finished_at is not None
            job = host.get(f'/users/import/jobs/{job_uuid}').json()
            assert job['phase'] == 'failed' and job['message'] == STOPPED
            assert host.count('user') == 0
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            if host is not None:
                host.stop()
            engine.dispose()
