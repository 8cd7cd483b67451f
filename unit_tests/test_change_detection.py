# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Update change detection: a row that changes nothing announces nothing."""

import pytest

from wazo_confd_users_csv.backends.standalone import events
from wazo_confd_users_csv.imports.current import UserState
from wazo_confd_users_csv.imports.plan import IncallPlan, RowPlan
from wazo_confd_users_csv.imports.rows import RowContext
from wazo_confd_users_csv.reader import Row

USER = {
    'id': 7,
    'uuid': 'u-7',
    'entity_id': 1,
    'firstname': 'Ann',
    'lastname': None,
    'username': 'ann',
    'password': 'pw',
    'cti_profile_id': 1,
    'cti_profile_enabled': True,
}
LINE = {
    'id': 3,
    'protocol': 'sip',
    'name': 'ann-sip',
    'context': 'default',
    'provisioning_code': '123456',
    'sip_endpoint_id': 4,
    'sccp_endpoint_id': None,
}
SIP = {'id': 4, 'username': 'ann-sip', 'secret': 's'}
EXTENSION = {'id': 5, 'exten': '1000', 'context': 'default'}
INCALL = (
    {'id': 9, 'user_id': 7, 'ring_seconds': None, 'extension_id': 6},
    {'id': 6, 'exten': '2000', 'context': 'from-extern'},
)
VOICEMAIL = {'id': 11, 'name': 'Box', 'number': '1000', 'context': 'default'}


def state():
    return UserState(
        dict(USER),
        dict(LINE),
        dict(SIP),
        dict(EXTENSION),
        [INCALL],
        dict(VOICEMAIL),
        [1, 2],
    )


def unchanged_plan():
    current = state()
    plan = RowPlan(RowContext(Row(1, 2, {}), {}, ['uuid']), state=current)
    plan.user = dict(current.user)
    plan.line, plan.sip, plan.extension = dict(LINE), dict(SIP), dict(EXTENSION)
    plan.incalls = [IncallPlan(dict(INCALL[0]), dict(INCALL[1]), False, current=INCALL)]
    plan.voicemail = dict(VOICEMAIL)
    plan.call_permission_ids = [1, 2]
    return plan


def event_names(plan):
    return [event.name for event in events.updated([plan])]


def test_nothing_changed_nothing_announced():
    assert event_names(unchanged_plan()) == []


@pytest.mark.parametrize(
    'change,expected',
    [
        (lambda p: p.user.update(lastname='Lee'), ['user_edited']),
        (lambda p: p.user.update(password='other'), ['user_edited']),
        (
            lambda p: p.user.update(cti_profile_enabled=False),
            ['user_cti_profile_edited'],
        ),
        (lambda p: p.user.update(cti_profile_id=2), ['user_cti_profile_edited']),
        (lambda p: p.line.update(provisioning_code='654321'), ['line_edited']),
        (lambda p: p.sip.update(secret='t'), ['sip_endpoint_edited']),
        (lambda p: p.extension.update(exten='1001'), ['extension_edited']),
        (lambda p: p.incalls[0].incall.update(ring_seconds=10), ['incall_edited']),
        (lambda p: p.incalls[0].extension.update(exten='2001'), ['extension_edited']),
        (lambda p: p.voicemail.update(name='Other'), ['voicemail_edited']),
        (
            lambda p: setattr(p, 'call_permission_ids', [2, 3]),
            ['user_call_permission_dissociated', 'user_call_permission_associated'],
        ),
        (
            lambda p: setattr(p, 'call_permission_ids', [2, 1]),
            [],
        ),  # same set, other order
    ],
)
def test_each_change_announces_its_event(change, expected):
    plan = unchanged_plan()
    change(plan)
    assert event_names(plan) == expected


def test_a_shared_voicemail_is_announced_once():
    first, second = unchanged_plan(), unchanged_plan()
    first.voicemail['name'] = second.voicemail['name'] = 'Shared'
    assert [event.name for event in events.updated([first, second])] == [
        'voicemail_edited'
    ]
