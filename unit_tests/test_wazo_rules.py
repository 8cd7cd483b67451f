# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure pieces of the import and update inside wazo-confd that need confd's libraries: events
marshalled exactly as confd's own publisher marshals them, who gets a wazo-auth user, what an
update sends to wazo-auth and sysconfd, ring times and caller ids as confd keeps them. (The
rules, which need nothing of confd, are in unit_tests/services/.)"""

import os

import pytest

from wazo_confd_users_csv.imports.rows import RowContext
from wazo_confd_users_csv.reader import Row


def require_wazo():
    """Skips without the real confd, except in CI (USERS_CSV_REQUIRE_WAZO=1), where a skip
    would hide the confd backend."""
    try:
        import wazo_confd  # noqa: F401
    except ImportError as exc:
        if os.environ.get('USERS_CSV_REQUIRE_WAZO') == '1':
            pytest.fail(f'the real wazo-confd is required here: {exc}')
        pytest.skip(f'the real wazo-confd is not installed: {exc}')


def test_events_are_marshalled_as_confds_publisher_does():
    require_wazo()
    from wazo_bus.resources.user_line.event import UserLineAssociatedEvent
    from wazo_confd._bus import BusPublisher as ConfdPublisher

    from wazo_confd_users_csv.backends.wazo.outbox import WazoPublisher

    bus = {
        'host': '127.0.0.1',
        'port': 5672,
        'username': 'guest',
        'password': 'guest',
        'exchange_name': 'x',
        'exchange_type': 'headers',
    }
    event = UserLineAssociatedEvent(
        {'id': 1, 'uuid': 'user-uuid', 'tenant_uuid': 'tenant'},
        {
            'id': 2,
            'name': 'abc',
            'endpoint_sip': {'uuid': 'sip-uuid'},
            'endpoint_sccp': None,
            'endpoint_custom': None,
        },
        True,
        True,
        'tenant',
    )

    routing_key, headers, body = WazoPublisher(bus, 'origin').message(event)
    their_headers, their_body, their_key = ConfdPublisher.from_config(
        'origin', bus
    )._marshal(event, None, None)

    assert routing_key == their_key
    for ours, theirs in ((headers, their_headers), (body, their_body)):
        assert ours.pop('timestamp') and theirs.pop('timestamp')
        assert ours == theirs
    assert headers['user_uuid:user-uuid'] is True and headers['tenant_uuid'] == 'tenant'


def test_which_users_get_a_wazo_auth_user():
    require_wazo()
    from wazo_confd_users_csv.backends.wazo.backend import needing_auth_users
    from wazo_confd_users_csv.imports.plan import RowPlan

    plans = [
        RowPlan(RowContext(Row(n, n + 1, {}), values, list(values)))
        for n, values in enumerate(
            [
                {'firstname': 'A'},
                {'username': 'b'},
                {'email': 'c@example.com'},
                {'password': 'secret'},
            ],
            start=1,
        )
    ]

    assert needing_auth_users(plans, every_user=True) == plans  # as confd's import
    assert [p.row.row_number for p in needing_auth_users(plans, every_user=False)] == [
        2,
        3,
        4,
    ]


# ---- update inside confd ---------------------------------------------------------------------


def update_plan(user, login, row_values=None, voicemail=None, new_voicemail=None):
    from wazo_confd_users_csv.imports.current import UserState
    from wazo_confd_users_csv.imports.plan import RowPlan

    values = row_values or {}
    plan = RowPlan(
        RowContext(Row(1, 2, {}), values, list(values)),
        state=UserState(dict(user), voicemail=voicemail, login=login),
    )
    plan.user = dict(user)
    plan.voicemail = new_voicemail if new_voicemail is not None else voicemail
    return plan


USER = {
    'uuid': 'u-1',
    'firstname': 'Ann',
    'lastname': 'Lee',
    'email': 'ann@example.com',
    'username': 'ann',
    'password': None,
    'cti_profile_enabled': True,
    'callerid': '"Ann Lee"',
}
LOGIN = {
    'uuid': 'u-1',
    'username': 'ann',
    'firstname': 'Ann',
    'lastname': 'Lee',
    'purpose': 'user',
    'enabled': True,
    'emails': [{'address': 'ann@example.com', 'main': True, 'confirmed': True}],
}


def test_an_unchanged_login_is_not_sent_to_wazo_auth():
    require_wazo()
    from wazo_confd_users_csv.backends.wazo.backend import login_edit

    assert login_edit(update_plan(USER, LOGIN)) is None
    # the same email in another case is the same email
    plan = update_plan(USER, LOGIN)
    plan.user['email'] = 'ANN@example.com'
    assert login_edit(plan) is None


def test_a_login_edit_carries_every_field_and_what_they_were():
    require_wazo()
    from wazo_confd_users_csv.backends.wazo.backend import login_edit

    plan = update_plan(USER, LOGIN)
    plan.user.update(
        lastname='Smith',
        email=None,
        username='ann2',
        password='newpass1',
        cti_profile_enabled=False,
    )

    edit = login_edit(plan)

    assert edit.user == {
        'username': 'ann2',
        'firstname': 'Ann',
        'lastname': 'Smith',
        'purpose': 'user',
        'enabled': False,
    }
    assert edit.before == {
        'username': 'ann',
        'firstname': 'Ann',
        'lastname': 'Lee',
        'purpose': 'user',
        'enabled': True,
    }
    assert (edit.emails, edit.emails_before) == ([], LOGIN['emails'])
    assert edit.password == 'newpass1'


def test_a_new_password_alone_is_an_edit():
    require_wazo()
    from wazo_confd_users_csv.backends.wazo.backend import login_edit

    plan = update_plan(USER, LOGIN)
    plan.user['password'] = 'newpass1'

    edit = login_edit(plan)

    assert (edit.user == edit.before, edit.emails, edit.password) == (
        True,
        None,
        'newpass1',
    )


def test_a_voicemail_moves_when_its_number_or_context_changes():
    require_wazo()
    from wazo_confd_users_csv.backends.wazo.backend import voicemail_moves

    voicemail = {'id': 5, 'number': '1000', 'context': 'default', 'name': 'VM'}
    renamed = update_plan(
        USER, LOGIN, voicemail=voicemail, new_voicemail=dict(voicemail, name='Other')
    )
    moved = update_plan(
        USER, LOGIN, voicemail=voicemail, new_voicemail=dict(voicemail, number='1001')
    )
    shared = update_plan(
        USER, LOGIN, voicemail=voicemail, new_voicemail=dict(voicemail, number='1001')
    )

    assert voicemail_moves([renamed]) == []
    assert voicemail_moves([moved, shared]) == [('1000', 'default', '1001', 'default')]


@pytest.mark.parametrize(
    'stored, seconds',
    [
        ('30', 30),
        ('30.0', 30),
        ('30.0;d5a8b0e2-moh', 30),
        ('12.5', 12.5),
        ('', None),
        (None, None),
        ('nan', None),
        ('1e3', None),
    ],
)
def test_ring_times_as_imports_and_confds_incall_put_store_them(stored, seconds):
    require_wazo()
    from wazo_confd_users_csv.backends.wazo.current import ring_seconds

    assert ring_seconds(stored) == seconds


@pytest.mark.parametrize(
    'callerid, exten, shown',
    [
        ('"Ann Lee"', '1000', ('Ann Lee', '1000')),
        (
            '"Ann Lee" <5000>',
            '1000',
            ('Ann Lee', '5000'),
        ),  # its own number wins, as LineFixes
        ('"Ann Lee"', None, ('Ann Lee', None)),
        ('', '1000', ('', '1000')),
    ],
)
def test_a_line_shows_the_users_caller_id(callerid, exten, shown):
    require_wazo()
    from wazo_confd_users_csv.backends.wazo.update import line_caller_id

    assert line_caller_id(callerid, exten) == shown
