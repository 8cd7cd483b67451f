# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Concurrent imports inside the real wazo-confd, as the standalone host's
test_reliability.py races them: two files wanting one number, checked before either
commits: one wins, the other is a clear 409 and leaves nothing, wazo-auth included."""

import threading

from wazo_confd_users_csv_testing.standins import MASTER

from .test_import import users


def post_all(confd, bodies):
    barrier = threading.Barrier(len(bodies))
    responses = [None] * len(bodies)

    def post(index):
        barrier.wait()
        responses[index] = confd.post_csv(bodies[index], tenant=MASTER)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return responses


def body(prefix, first_exten, phones, size):
    rows = [
        (
            f'{prefix}{n},{first_exten + n},default,sip\n'
            if n < phones
            else f'{prefix}{n},,,\n'
        )
        for n in range(size)
    ]
    # long files, so that both are checked before either commits; the last rows collide
    return (
        'firstname,exten,context,line_protocol\n'
        + ''.join(rows)
        + f'{prefix}-last,1999,default,sip\n'
    )


def test_two_imports_racing_for_one_number(confd):
    responses = post_all(confd, [body('A', 1000, 300, 800), body('B', 1400, 300, 800)])

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201, 409], [response.text[:300] for response in responses]
    loser = next(r for r in responses if r.status_code == 409)
    assert '1999' in loser.json()['errors'][0]['message']
    winner = next(r for r in responses if r.status_code == 201)
    made = {entry['user_uuid'] for entry in winner.json()['created']}
    assert {user['uuid'] for user in users(confd)} == made
    assert set(confd.auth.auth_users) == made  # the loser's wazo-auth users are gone
    assert (
        confd.sql("SELECT count(*) AS n FROM extensions WHERE exten = '1999'")[0]['n']
        == 1
    )
    # nothing of the loser: no line without its user
    assert (
        confd.sql(
            'SELECT count(*) AS n FROM linefeatures l LEFT JOIN user_line ul '
            'ON ul.line_id = l.id WHERE ul.user_id IS NULL'
        )[0]['n']
        == 0
    )


def test_concurrent_imports_of_disjoint_users_all_succeed(confd):
    bodies = [
        'firstname,email,exten,context,line_protocol,voicemail_name,voicemail_number,'
        'voicemail_context\n'
        + ''.join(
            f'I{i}U{j},i{i}u{j}@example.com,{1000 + 30 * i + j},default,'
            f'{"sip" if j % 2 else "sccp"},Box,{1000 + 30 * i + j},default\n'
            for j in range(30)
        )
        for i in range(8)
    ]

    responses = post_all(confd, bodies)

    assert [r.status_code for r in responses] == [201] * 8, [
        r.text[:200] for r in responses if r.status_code != 201
    ]
    assert len(users(confd)) == 240
    lines = confd.sql('SELECT provisioningid, name FROM linefeatures')
    assert len(lines) == 240
    assert len({line['provisioningid'] for line in lines}) == 240
    assert len({line['name'] for line in lines}) == 240
    assert confd.sql('SELECT count(*) AS n FROM voicemail')[0]['n'] == 240


def test_a_job_draws_generated_values_only_in_its_turn(confd):
    """Deterministic half of the test above: while another holds the turn (the advisory
    lock a job takes from its draw to its commit), an import that generates values waits;
    a file whose values are all given, and a dry run, do not."""
    import sqlalchemy as sa

    from wazo_confd_users_csv.backends.wazo.outbox import GENERATION_LOCK
    from wazo_confd_users_csv_testing.schema import PG

    engine = sa.create_engine(f'{PG}/{confd.db_name}')
    holder = engine.connect()
    holder.execute(sa.text('SELECT pg_advisory_lock(:key)'), {'key': GENERATION_LOCK})
    answers = {}

    def post(name, body, **params):
        answers[name] = confd.post_csv(body, tenant=MASTER, **params)

    drawing = threading.Thread(
        target=post,
        args=(
            'drawing',
            'firstname,exten,context,line_protocol\n' 'Draw,1300,default,sip\n',
        ),
    )
    try:
        drawing.start()
        post(
            'dry run',
            'firstname,exten,context,line_protocol\nDry,1301,default,sip\n',
            params={'dry_run': 'true'},
        )
        post('given', 'firstname\nGiven\n')
        assert answers['dry run'].status_code == 200, answers['dry run'].text
        assert answers['given'].status_code == 201, answers['given'].text
        drawing.join(timeout=3)
        assert drawing.is_alive() and 'drawing' not in answers  # waits for its turn
    finally:
        holder.execute(
            sa.text('SELECT pg_advisory_unlock(:key)'), {'key': GENERATION_LOCK}
        )
        holder.close()
        engine.dispose()
    drawing.join(timeout=60)
    assert answers['drawing'].status_code == 201, answers['drawing'].text
