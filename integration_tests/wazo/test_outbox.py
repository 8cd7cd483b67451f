# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Events of an import inside confd go through the plugin's outbox in Wazo's database: a broker
outage after the commit delays them, never loses them (real RabbitMQ behind a cut proxy)."""

import time

from wazo_confd_users_csv_testing.standins import MASTER

from .test_import import read, users

PHONES = 23  # events of the seed's three phones: 8 per SIP phone, 7 for the SCCP one


def outbox_rows(confd):
    """Events waiting in the outbox (its rows hold up to 1,000 each)."""
    if confd.sql("SELECT to_regclass('users_csv_wazo_outbox') AS t")[0]['t'] is None:
        return 0
    return confd.sql(
        'SELECT coalesce(sum(json_array_length(messages::json)), 0) AS n '
        'FROM users_csv_wazo_outbox'
    )[0]['n']


def test_broker_down_the_import_commits_and_its_events_follow(confd, bus):
    confd.broker.stop()

    response = confd.post_csv(read('seed-phones.csv'), tenant=MASTER)

    assert response.status_code == 201, response.text
    assert {user['firstname'] for user in users(confd)} == {'John', 'George', 'Bill'}
    assert len(confd.sysconfd.requests) == 1  # the reload does not wait for the broker
    time.sleep(1.5)  # three relay passes fail meanwhile
    assert bus.names(timeout=0) == []
    assert outbox_rows(confd) == PHONES

    confd.broker.start()

    names = bus.names(expected=PHONES, timeout=15)
    assert len(names) == PHONES
    assert names[:2] == ['user_created', 'line_created']
    headers, body = bus.messages[0]
    assert headers['tenant_uuid'] == MASTER
    assert body['data']['uuid'] == response.json()['created'][0]['user_uuid']
    deadline = time.monotonic() + 5
    while outbox_rows(confd) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert outbox_rows(confd) == 0
    assert bus.names(timeout=1) == names  # each sent once


def test_the_outbox_keeps_nothing_of_a_dry_run_or_a_refused_file(confd, bus):
    dry = confd.post_csv(
        read('seed-phones.csv'), path='/users/import?dry_run=true', tenant=MASTER
    )
    refused = confd.post_csv(
        'firstname,exten,context,line_protocol\nAnn,5000,default,sip\n', tenant=MASTER
    )

    assert (dry.status_code, refused.status_code) == (200, 400)
    assert outbox_rows(confd) == 0
    assert bus.names(timeout=1) == []


def test_the_outbox_has_its_own_version_table(confd, bus):
    # What xivo-manage-db leaves on a PBX (the test template is built from xivo-dao's models)
    confd.sql(
        'CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); '
        "INSERT INTO alembic_version VALUES ('wazo_head') RETURNING version_num"
    )

    confd.post_csv(read('seed-phones.csv'), tenant=MASTER)
    bus.names(expected=PHONES)

    ours = confd.sql('SELECT version_num FROM users_csv_wazo_alembic_version')
    wazo = confd.sql('SELECT version_num FROM alembic_version')
    assert [row['version_num'] for row in ours] == ['w0004']  # our head
    assert [row['version_num'] for row in wazo] == ['wazo_head']
