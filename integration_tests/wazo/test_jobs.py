# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Imports and updates as jobs inside the real wazo-confd (Prefer: respond-async): 202 and a
job to follow, its phases, its final answer as the synchronous one, cancel, tenants."""

import re
import time

from wazo_confd_users_csv.imports.jobs import STOPPED
from wazo_confd_users_csv_testing.standins import MASTER, SUB

from .test_import import FULL, permissions

ASYNC = {'Prefer': 'respond-async'}
UUID = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')


def job_path(response):
    location = response.headers['Location']
    assert location.startswith('/1.1/users/import/jobs/')
    return location[len('/1.1') :]


def follow(confd, path, timeout=120, tenant=MASTER):
    """Polls the job until it ends: (the job, the phases seen in order)."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = confd.get(path, tenant=tenant).json()
        if not seen or seen[-1] != job['phase']:
            seen.append(job['phase'])
        if job['finished_at'] is not None:
            return job, seen
        time.sleep(0.02)
    raise AssertionError(f'the job did not end: {seen}')


def masked(value):
    """An answer without what each run draws (uuids, generated SIP usernames and secrets,
    provisioning codes) nor the errors' timestamps."""
    if isinstance(value, dict):
        return {
            key: (
                '*'
                if key in ('timestamp', 'username', 'secret', 'provisioning_code')
                else masked(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [masked(item) for item in value]
    if isinstance(value, str):
        return UUID.sub('*', value)
    return value


def on_fresh_database(confd, wazo_template, run):
    """run(confd) on another fresh clone of the Wazo schema (wazo-auth's users reset), then
    back to the test's database."""
    import uuid

    from wazo_confd_users_csv_testing.schema import clone, drop

    db = confd.db_name
    name = f'users_csv_wazo_{uuid.uuid4().hex[:10]}'
    clone(wazo_template, name)
    confd.use_database(name)
    confd.auth.reset_users()
    try:
        return run(confd)
    finally:
        confd.release_database()
        confd.use_database(db)
        drop(name)


ORDER = (
    'queued',
    'reading',
    'checking',
    'writing',
    'logins',
    'committing',
    'publishing',
    'done',
)


def in_order(seen):
    return seen == sorted(seen, key=ORDER.index)


def test_async_import_answers_a_job_whose_answer_is_the_synchronous_one(
    confd, wazo_template, bus
):
    permissions(confd, 'internal', 'international')
    response = confd.post_csv(FULL, tenant=MASTER, headers=ASYNC)
    assert response.status_code == 202, response.text
    assert response.headers['Preference-Applied'] == 'respond-async'
    path = job_path(response)
    started = response.json()
    assert started['phase'] in ('queued', 'reading', 'checking')
    assert started['verb'] == 'import' and started['tenant_uuid'] == MASTER

    job, seen = follow(confd, path)
    assert job['phase'] == 'done' and job['status'] == 201
    assert seen[-1] == 'done' and in_order(seen)
    assert job['counts']['rows'] == 4 and job['counts']['written'] == 4
    assert job['counts']['logins_total'] == 4 == job['counts']['logins']
    made = {
        user['firstname'] for user in confd.get('/users', tenant=MASTER).json()['items']
    }
    assert {'Alice', 'Bob', 'Carol', 'Dave'} <= made
    listed = confd.get('/users/import/jobs', tenant=MASTER).json()
    assert [item['uuid'] for item in listed['items']] == [job['uuid']]
    assert 'result' not in listed['items'][0]
    # from confd's worker thread too: the events, and one reload for the whole file
    names = bus.names(expected=33)  # confd's two call_permission_created, then ours
    assert names.count('user_created') == 4 and len(names) == 33, names
    reloads = confd.sysconfd.calls('POST', '/exec_request_handlers')
    assert len(reloads) == 1 and 'dialplan reload' in reloads[0][3]['ipbx']

    # the same file, synchronously, on a fresh database: the same answer
    def synchronously(confd):
        permissions(confd, 'internal', 'international')
        return confd.post_csv(FULL, tenant=MASTER)

    synchronous = on_fresh_database(confd, wazo_template, synchronously)
    assert synchronous.status_code == 201
    assert masked(job['result']) == masked(synchronous.json())


USERS = (
    'uuid,firstname,lastname\n'
    '11111111-2222-4333-8444-555555555501,Ann,Old\n'
    '11111111-2222-4333-8444-555555555502,Ben,Old\n'
)
UPDATE = (
    'uuid,lastname\n'
    '11111111-2222-4333-8444-555555555501,New\n'
    '11111111-2222-4333-8444-555555555502,New\n'
)


def test_async_update_and_refused_file_answer_as_synchronous(confd, wazo_template):
    assert confd.post_csv(USERS, tenant=MASTER).status_code == 201
    response = confd.put_csv(UPDATE, tenant=MASTER, headers=ASYNC)
    assert response.status_code == 202, response.text
    assert response.headers['Preference-Applied'] == 'respond-async'
    job, seen = follow(confd, job_path(response))
    assert job['verb'] == 'update' and job['status'] == 200, job
    assert seen[-1] == 'done'
    assert job['result']['summary']['users'] == {'updated': 2, 'unchanged': 0}
    assert {
        user['lastname']
        for user in confd.get('/users', tenant=MASTER).json()['items']
        if user['uuid'].startswith('11111111-')
    } == {'New'}

    def synchronously(confd):
        assert confd.post_csv(USERS, tenant=MASTER).status_code == 201
        return confd.put_csv(UPDATE, tenant=MASTER)

    synchronous = on_fresh_database(confd, wazo_template, synchronously)
    assert synchronous.status_code == 200
    assert masked(job['result']) == masked(synchronous.json())

    # a refused file: the job is done, its answer the 400 with every error
    bad = 'firstname,exten,context,line_protocol\nZed,1000,nowhere,sip\n'
    response = confd.post_csv(bad, tenant=MASTER, headers=ASYNC)
    job, _ = follow(confd, job_path(response))
    synchronous = confd.post_csv(bad, tenant=MASTER)
    assert job['phase'] == 'done' and job['status'] == 400 == synchronous.status_code
    assert masked(job['result']) == masked(synchronous.json())


def big_file(rows):
    return 'firstname,lastname,email\n' + ''.join(
        f'User{i},Big,user{i}@example.com\n' for i in range(rows)
    )


def test_a_big_import_moves_through_its_phases(confd):
    response = confd.post_csv(big_file(4000), tenant=MASTER, headers=ASYNC)
    job, seen = follow(confd, job_path(response))
    assert job['status'] == 201, job['result']
    assert in_order(seen) and seen[-1] == 'done'
    assert len(seen) >= 3, seen  # seen moving, not only its end
    assert job['counts'] == dict(
        job['counts'], rows=4000, read=4000, checked=4000, written=4000, logins=4000
    )
    assert len(job['result']['created']) == 4000


def test_cancel_while_checking_writes_nothing(confd):
    before = len(confd.get('/users', tenant=MASTER).json()['items'])
    response = confd.post_csv(big_file(30000), tenant=MASTER, headers=ASYNC)
    path = job_path(response)
    deadline = time.monotonic() + 60
    while confd.get(path, tenant=MASTER).json()['phase'] != 'checking':
        assert time.monotonic() < deadline
        time.sleep(0.02)
    cancelled = confd.request('DELETE', path, tenant=MASTER)
    assert cancelled.status_code == 200, cancelled.text
    job, _ = follow(confd, path)
    assert job['phase'] == 'cancelled' and job['cancel_requested'] is True
    assert 'nothing was written' in job['message']
    assert job['counts']['written'] == 0
    assert len(confd.get('/users', tenant=MASTER).json()['items']) == before
    again = confd.request('DELETE', path, tenant=MASTER)
    assert again.status_code == 409 and 'ended' in again.text


def test_cancel_refused_once_the_job_writes(confd):
    response = confd.post_csv('firstname\nA\n', tenant=MASTER, headers=ASYNC)
    job, _ = follow(confd, job_path(response))
    refused = confd.request('DELETE', job_path(response), tenant=MASTER)
    assert refused.status_code == 409
    assert job['phase'] == 'done'


def test_another_tenant_never_sees_the_job(confd):
    response = confd.post_csv('firstname\nA\n', tenant=MASTER, headers=ASYNC)
    path = job_path(response)
    follow(confd, path)
    # the sub-tenant's token: its own tenant has no such job; naming ours is refused
    assert confd.get(path, token='sub-token').status_code == 404
    assert confd.get(path, token='sub-token', tenant=MASTER).status_code == 401
    assert confd.request('DELETE', path, token='sub-token').status_code == 404
    assert confd.get('/users/import/jobs', token='sub-token').json()['items'] == []
    assert confd.get('/users/import/jobs', token='sub-token', tenant=SUB).json() == {
        'items': [],
        'total': 0,
    }
    # a token without the jobs' ACL
    assert confd.get(path, token='import-token', tenant=MASTER).status_code == 401


def test_without_prefer_the_answer_stays_synchronous(confd):
    response = confd.post_csv(
        'firstname\nA\n', tenant=MASTER, headers={'Prefer': 'return=minimal'}
    )
    assert response.status_code == 201 and 'Preference-Applied' not in response.headers
    assert confd.get('/users/import/jobs', tenant=MASTER).json()['total'] == 0


def killed_during(phase, until, tmp_path, wazo_template, confd_exchange, rows):
    """Starts an async import of `rows` rows in a child confd, kills it (SIGKILL, as an
    OOM killer or a power cut would) once the job is in `phase` and until(auth) holds, then
    starts another confd on the same database: (its client, the job's path, the users
    confd had before, the wazo-auth stand-in)."""
    import uuid

    from wazo_confd_users_csv_testing.child import ChildConfd
    from wazo_confd_users_csv_testing.schema import clone, drop
    from wazo_confd_users_csv_testing.standins import StandIn

    auth = StandIn('auth')
    database = f'users_csv_wazo_{uuid.uuid4().hex[:10]}'
    clone(wazo_template, database)
    children = []
    try:
        first = ChildConfd(database, confd_exchange, auth.port)
        children.append(first)
        before = first.sql('SELECT count(*) AS n FROM userfeatures')[0]['n']
        response = first.post_csv(big_file(rows), tenant=MASTER, headers=ASYNC)
        assert response.status_code == 202
        path = job_path(response)
        deadline = time.monotonic() + 120
        while first.get(path, tenant=MASTER).json()['phase'] != phase or not until(
            auth
        ):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        first.kill()

        second = ChildConfd(database, confd_exchange, auth.port)
        children.append(second)
        yield second, path, before, auth
    finally:
        for child in children:
            child.kill()
        auth.stop()
        drop(database)


def test_confd_killed_while_a_job_checks_marks_it_failed_and_wrote_nothing(
    tmp_path, wazo_template, confd_exchange
):
    for second, path, before, auth in killed_during(
        'checking', lambda auth: True, tmp_path, wazo_template, confd_exchange, 30000
    ):
        # no request yet: the new confd's relay fails the job at its first pass
        job_uuid = path.rsplit('/', 1)[1]
        deadline = time.monotonic() + 15
        while True:
            [row] = second.sql(
                'SELECT phase, message, finished_at FROM users_csv_wazo_jobs '
                'WHERE uuid = :uuid',
                uuid=job_uuid,
            )
            if row['phase'] == 'failed':
                break
            assert row['phase'] == 'checking' and time.monotonic() < deadline, row
            time.sleep(0.05)
        assert row['message'] == STOPPED and row['finished_at'] is not None
        job = second.get(path, tenant=MASTER).json()
        assert job['phase'] == 'failed' and job['finished_at'] is not None
        assert job['message'] == 'confd stopped during the job; nothing was written'
        assert second.sql('SELECT count(*) AS n FROM userfeatures')[0]['n'] == before
        assert auth.auth_users == {}
        # the new process runs jobs as before
        response = second.post_csv('firstname\nAfter\n', tenant=MASTER, headers=ASYNC)
        job, _ = follow(second, job_path(response))
        assert job['status'] == 201


def test_confd_killed_while_a_job_makes_logins_leaves_no_wazo_auth_user(
    tmp_path, wazo_template, confd_exchange
):
    for second, path, before, auth in killed_during(
        'writing',
        lambda auth: len(auth.auth_users) >= 50,  # some made, not all
        tmp_path,
        wazo_template,
        confd_exchange,
        5000,
    ):
        made = len(auth.auth_users)
        assert 50 <= made < 5000
        job = second.get(path, tenant=MASTER).json()
        assert job['phase'] == 'failed', job
        assert second.sql('SELECT count(*) AS n FROM userfeatures')[0]['n'] == before
        # the wazo-auth users the stopped job made are gone (a POST the kill cut before its
        # body reaches the stand-in empty: it makes a user with a uuid of its own and no
        # username, which the real wazo-auth refuses; those are not the job's)
        # the relay of the new confd undoes the journal's entries: at start-up, then on
        # every pass
        deadline = time.monotonic() + 60
        while True:
            left = [u for u in auth.auth_users.values() if u.get('username')]
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert left == [], f'{len(left)} of {made} left'


def test_a_cap_of_one_job_at_once_queues_the_second_until_the_first_ends(
    wazo_template, confd_exchange
):
    """users_csv.jobs_at_once read inside confd (a child confd with the setting)."""
    import uuid

    from wazo_confd_users_csv_testing.child import ChildConfd
    from wazo_confd_users_csv_testing.schema import clone, drop
    from wazo_confd_users_csv_testing.standins import StandIn

    auth = StandIn('auth')
    database = f'users_csv_wazo_{uuid.uuid4().hex[:10]}'
    clone(wazo_template, database)
    capped = None
    try:
        capped = ChildConfd(
            database, confd_exchange, auth.port, settings={'jobs_at_once': 1}
        )
        first = capped.post_csv(big_file(3000), tenant=MASTER, headers=ASYNC)
        second = capped.post_csv(
            'firstname,lastname\nSecond,Job\n', tenant=MASTER, headers=ASYNC
        )
        paths = [job_path(response) for response in (first, second)]
        seen = []
        deadline = time.monotonic() + 120
        while True:
            # the second read first: once it left the queue, the first has ended
            two, one = (capped.get(path, tenant=MASTER).json() for path in paths[::-1])
            seen.append((one['phase'], two['phase']))
            if two['finished_at'] is not None:
                break
            assert time.monotonic() < deadline, seen[-5:]
            time.sleep(0.01)
        running = [pair for pair in seen if pair[0] not in ('queued', 'done')]
        assert running and all(two == 'queued' for _, two in running), seen
        assert all(two == 'queued' or one == 'done' for one, two in seen), seen
        ended = [follow(capped, path)[0] for path in paths]
        assert [job['status'] for job in ended] == [201, 201]
        assert ended[1]['updated_at'] >= ended[0]['finished_at']
    finally:
        if capped is not None:
            capped.kill()
        auth.stop()
        drop(database)
