# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The rules inside wazo-confd (backends/wazo/services.py): no entities (the tenant is the
request's), the wazo-auth user instead of the client account, the caller id that follows a
new name, webrtc lines, Wazo's own defaults. Pure: no confd running, but xivo-dao's models
give the column lengths, so without the Wazo wheels the module is skipped (never in CI)."""

import os

import pytest

try:
    import xivo_dao  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the wheels
    if os.environ.get('USERS_CSV_REQUIRE_WAZO') == '1':
        raise
    pytest.skip(f'xivo-dao is not installed: {exc}', allow_module_level=True)

from wazo_confd_users_csv import columns  # noqa: E402
from wazo_confd_users_csv.backends.wazo.services import (  # noqa: E402
    AuthUserService,
    AuthUserValidator,
    WazoLineValidator,
    WazoUserService,
    WazoUserValidator,
    build_wazo_services,
)
from wazo_confd_users_csv.imports.plan import plan_rows, plan_update_rows  # noqa: E402
from wazo_confd_users_csv.services.extension import ExtensionValidator  # noqa: E402

from .builders import (  # noqa: E402
    UUID,
    VOICEMAIL,
    Claims,
    RowPlan,
    errors,
    lookups,
    rows,
    state,
)

WAZO = columns.WAZO


def row(**cells):
    return rows(cells, backend=WAZO)[0]


def wazo_state(**changes):
    """A Wazo user: no entity (its tenant is the request's), the caller id confd gave it, and
    its wazo-auth user."""
    changes.setdefault('user', {})
    changes['user'] = dict(
        {'entity_id': None, 'callerid': '"Ann Lee"'}, **changes['user']
    )
    changes.setdefault(
        'login', {'uuid': UUID, 'username': 'ann', 'enabled': True, 'emails': []}
    )
    return state(**changes)


def wazo_lookups(**changes):
    """What the Wazo lookups find: contexts without entities, usernames by uuid, the
    tenant's SIP templates."""
    changes.setdefault('sip_templates', {'global', 'webrtc'})
    found = lookups(entity_ids=set(), **changes)
    for info in found.contexts.values():
        info.entity_id = None
    return found


# ---- the user ---------------------------------------------------------------------------------


def test_any_entity_id_is_the_tenant_s_business_not_the_user_rule_s():
    context = row(entity_id='99', firstname='Ann', email='Ann@example.com')

    WazoUserValidator().validate(
        context, wazo_lookups(taken_emails={'ann@example.com': 3}), Claims()
    )

    assert [error[:2] for error in errors(context)] == [('taken', 'email')]


def test_a_context_of_any_entity_is_the_tenant_s():
    (context,) = rows(
        {
            'entity_id': '5',
            'firstname': 'Ann',
            'exten': '3000',
            'context': 'branch',
            'line_protocol': 'webrtc',
        },
        backend=WAZO,
    )

    plans, _ = plan_rows(
        [context], wazo_lookups(), build_wazo_services(), columns.CATALOGUES[WAZO]
    )

    assert errors(context) == []
    assert (plans[0].line['protocol'], plans[0].sip) == (
        'webrtc',
        {'username': None, 'secret': None},
    )


def test_a_new_user_gets_the_wazo_catalogue_s_columns_and_defaults():
    (context,) = rows({'firstname': 'Ann', 'subscription_type': ''}, backend=WAZO)

    plans, _ = plan_rows(
        [context], wazo_lookups(), build_wazo_services(), columns.CATALOGUES[WAZO]
    )

    user = plans[0].user
    assert {
        name: user[name]
        for name in (
            'userfield',
            'subscription_type',
            'call_record_outgoing_external_enabled',
            'online_call_record_enabled',
            'ring_seconds',
            'enabled',
        )
    } == {
        'userfield': None,
        'subscription_type': 0,
        'call_record_outgoing_external_enabled': False,
        'online_call_record_enabled': False,
        'ring_seconds': 30,
        'enabled': True,
    }


@pytest.mark.parametrize(
    'protocol, templates, missing',
    [
        ('sip', {'global', 'webrtc'}, None),
        ('webrtc', {'global', 'webrtc'}, None),
        ('sccp', set(), None),  # an SCCP line takes no template
        ('sip', {'webrtc'}, 'global'),
        ('webrtc', {'global'}, 'webrtc'),
        ('webrtc', set(), 'global'),
    ],
)
def test_a_sip_line_needs_the_tenant_s_templates(protocol, templates, missing):
    context = row(line_protocol=protocol, context='default', exten='1000')

    WazoLineValidator(ExtensionValidator()).validate(
        context, wazo_lookups(sip_templates=templates), Claims()
    )

    assert errors(context) == (
        []
        if missing is None
        else [
            (
                'no_sip_template',
                'line_protocol',
                f'line_protocol: the tenant has no {missing} SIP template yet (confd '
                'makes them when wazo-auth announces the tenant): try again later',
            )
        ]
    )


def planned_user(current, **cells):
    plan = RowPlan(row(uuid=UUID, **cells), state=current)
    WazoUserService().plan_update(plan, wazo_lookups())
    return plan.user


@pytest.mark.parametrize(
    'callerid, cells, expected',
    [
        ('"Ann Lee"', {'firstname': 'Anna'}, '"Anna Lee"'),
        ('"Ann Lee"', {'lastname': 'Smith'}, '"Ann Smith"'),
        ('"Ann Lee"', {'lastname': ''}, '"Ann"'),
        ('"Ann Lee"', {'firstname': 'Ann', 'lastname': 'Lee'}, '"Ann Lee"'),
        ('"Ann Lee"', {'email': 'ann@example.org'}, '"Ann Lee"'),
        ('"Boss" <100>', {'firstname': 'Anna'}, '"Boss" <100>'),  # set by hand: kept
        ('"Ann"', {'firstname': 'Anna'}, '"Ann"'),  # not the full name: kept
    ],
)
def test_a_default_caller_id_follows_a_new_name_and_a_custom_one_stays(
    callerid, cells, expected
):
    assert (
        planned_user(wazo_state(user={'callerid': callerid}), **cells)['callerid']
        == expected
    )


def test_an_update_edits_wazo_s_columns_with_wazo_s_defaults_but_never_the_entity():
    current = wazo_state(
        user={'userfield': 'x', 'subscription_type': 2, 'ring_seconds': 60}
    )

    user = planned_user(
        current, entity_id='5', userfield='', subscription_type='', ring_seconds=''
    )

    assert user == dict(
        current.user, userfield=None, subscription_type=0, ring_seconds=30
    )


# ---- the wazo-auth user -----------------------------------------------------------------------

NEEDS = (
    'required when cti_profile_enabled is 1: the wazo-auth user needs a username and a '
    'password to log in'
)


def test_a_login_needs_a_username_and_a_password_but_no_cti_profile():
    context = row(
        cti_profile_enabled='1', username='', password='', cti_profile_name=''
    )

    AuthUserValidator().validate(context, wazo_lookups(), Claims())

    assert errors(context) == [
        ('required', 'username', f'username: {NEEDS}'),
        ('required', 'password', f'password: {NEEDS}'),
    ]


@pytest.mark.parametrize(
    'cells',
    [
        {
            'cti_profile_enabled': '1',
            'username': 'ann@example.com',
            'password': 's3cret',
        },
        {'cti_profile_enabled': '0'},
        {'firstname': 'Ann'},
    ],
)
def test_a_login_with_what_it_needs_or_no_login_is_accepted(cells):
    context = row(**cells)

    AuthUserValidator().validate(context, wazo_lookups(), Claims())

    assert errors(context) == []


def test_a_login_is_unique_whatever_its_case_in_wazo_auth_and_in_the_file():
    found = wazo_lookups(taken_logins={'bob': 'b-uuid'})
    taken, first, second = rows(
        {'username': 'BOB'}, {'username': 'Eve'}, {'username': 'eve'}, backend=WAZO
    )
    claims = Claims()
    for context in (taken, first, second):
        AuthUserValidator().validate(context, found, claims)

    assert errors(taken, first, second) == [
        (
            'taken',
            'username',
            'username: BOB is already the login or email of a wazo-auth user (an account '
            'of no Wazo user of this tenant, such as an administrator): wazo-auth keeps '
            'usernames and emails unique across tenants, whatever their case; choose '
            'another username',
        ),
        (
            'duplicate_in_file',
            'username',
            'username: eve is already a login on row 2 of this file: wazo-auth keeps '
            'usernames and emails unique together',
        ),
    ]


def test_on_update_a_user_keeps_its_login_in_any_case_and_needs_nothing_more():
    found = wazo_lookups(taken_logins={'ann': UUID, 'bob': 'b-uuid'})
    own, enabled, other = rows(
        {'uuid': UUID, 'username': 'ANN'},
        {'uuid': UUID, 'cti_profile_enabled': '1', 'password': ''},
        {'uuid': UUID, 'username': 'bob'},
        backend=WAZO,
    )
    for context in (own, enabled, other):
        AuthUserValidator().validate_update(context, wazo_state(), found, Claims())

    assert errors(own, enabled) == []
    assert [error[:2] for error in errors(other)] == [('taken', 'username')]


@pytest.mark.parametrize(
    'cells, login',
    [
        ({'firstname': 'Anna'}, ('ann', True, None)),
        ({'username': 'ann2', 'password': 'n3wpass'}, ('ann2', True, 'n3wpass')),
        ({'username': ''}, ('ann@example.com', True, None)),  # the email, as on create
        ({'username': '', 'email': ''}, (UUID, True, None)),  # else the uuid
        ({'password': ''}, ('ann', True, None)),  # kept by wazo-auth
        ({'cti_profile_enabled': '0'}, ('ann', False, None)),
        ({'cti_profile_enabled': ''}, ('ann', True, None)),
    ],
)
def test_the_login_after_an_update(cells, login):
    current = wazo_state()
    plan = RowPlan(row(uuid=UUID, **cells), state=current)
    WazoUserService().plan_update(plan, wazo_lookups())

    AuthUserService().plan_update(plan, wazo_lookups())

    user = plan.user
    assert (user['username'], user['cti_profile_enabled'], user['password']) == login


def test_a_user_without_a_wazo_auth_user_gets_the_default_login_on_update():
    plan = RowPlan(row(uuid=UUID, username=''), state=wazo_state(login=None))
    WazoUserService().plan_update(plan, wazo_lookups())

    AuthUserService().plan_update(plan, wazo_lookups())

    assert (plan.user['username'], plan.user['cti_profile_enabled']) == (
        'ann@example.com',
        True,
    )


# ---- voicemails, as Wazo keeps them --------------------------------------------------------


def test_an_empty_attach_audio_is_wazo_s_null_on_update():
    current = wazo_state(voicemail=dict(VOICEMAIL, attach_audio=True))
    (context,) = rows({'uuid': UUID, 'voicemail_attach_audio': ''}, backend=WAZO)

    plans, _ = plan_update_rows(
        [context],
        wazo_lookups(),
        {UUID: current},
        build_wazo_services(),
        columns.CATALOGUES[WAZO],
    )

    assert plans[0].voicemail == dict(VOICEMAIL, attach_audio=None)


def test_an_empty_attach_audio_is_wazo_s_null_on_create():
    # the Wazo writer reads this cell from the row today; the plan must say the same
    (context,) = rows(
        {
            'firstname': 'Ann',
            'voicemail_name': 'Ann',
            'voicemail_number': '1000',
            'voicemail_context': 'default',
            'voicemail_attach_audio': '',
        },
        backend=WAZO,
    )

    plans, _ = plan_rows(
        [context], wazo_lookups(), build_wazo_services(), columns.CATALOGUES[WAZO]
    )

    assert plans[0].voicemail['attach_audio'] is None
