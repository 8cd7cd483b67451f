# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Export, then import the file into an empty database: the same users come back."""

import uuid

from wazo_confd_users_csv_testing.schema import clone, drop
from wazo_confd_users_csv_testing.standins import MASTER

from .differential import Normaliser, snapshot, views
from .test_import import FULL, permissions


def test_an_export_imports_back_into_an_empty_database(confd, wazo_template):
    permissions(confd, 'internal', 'international')
    first_before = snapshot(confd)
    assert confd.post_csv(FULL, tenant=MASTER).status_code == 201
    first_drawn = Normaliser(first_before, FULL)
    first_drawn.new_rows(first_before, snapshot(confd))
    exported = confd.request(
        'GET',
        '/users/export',
        tenant=MASTER,
        headers={'Accept': 'text/csv; charset=utf-8'},
    ).text
    first = views(confd, MASTER)
    first_db = confd.db_name

    fresh = f'users_csv_wazo_{uuid.uuid4().hex[:10]}'
    clone(wazo_template, fresh)
    try:
        confd.use_database(fresh)
        confd.auth.reset_users()  # another PBX: its own wazo-auth
        permissions(confd, 'internal', 'international')
        before = snapshot(confd)
        response = confd.post_csv(exported, tenant=MASTER)
        assert response.status_code == 201, response.text
        again = views(confd, MASTER)
        after = snapshot(confd)
    finally:
        confd.use_database(first_db)
        drop(fresh)

    # SCCP line names have no column: drawn again, like anything no cell holds
    normaliser = Normaliser(before, exported)
    normaliser.new_rows(before, after)
    normaliser.drawn_values |= first_drawn.drawn_values
    assert sorted(again) == sorted(first)
    assert {n: v['user']['uuid'] for n, v in again.items()} == {
        n: v['user']['uuid'] for n, v in first.items()
    }  # the file's uuid column is kept
    for name in first:
        for part in first[name]:
            assert normaliser.view(again[name][part]) == normaliser.view(
                first[name][part]
            ), (name, part)
