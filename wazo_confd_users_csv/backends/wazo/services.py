# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The row checks inside wazo-confd: the shared validators and planners, with what differs.

* entity_id: tenants replaced entities; the tenant comes from the request (checked per file);
* the client account is the wazo-auth user: username unique in the file (wazo-auth judges the
  rest), username and password needed when cti_profile_enabled is 1; no CTI profile;
* lines may be webrtc (a SIP endpoint with the tenant's webrtc template);
* on update, the user's fields are the Wazo catalogue's (call recording, subscription type,
  userfield) and its login is the wazo-auth user's (`UserState.login`).
"""

from ... import columns
from ...services import Services, build_services
from ...services.line import LineService, LineValidator
from ...services.user import UserService, UserValidator, edited_user
from ...services.voicemail import VoicemailService
from . import lengths

CATALOGUE = columns.CATALOGUES[columns.WAZO]
USER_EDITABLE = tuple(
    column.name
    for column in CATALOGUE.group_columns(columns.USER)
    if column.name not in ('uuid', 'entity_id')
)
# What an update may change on the wazo-auth user: catalogue name -> wazo-auth's field.
LOGIN_FIELDS = {
    'username': 'username',
    'password': 'password',
    'cti_profile_enabled': 'enabled',
}


class WazoUserValidator(UserValidator):
    def validate(self, row, lookups, claims):
        super().validate(row, lookups, claims)
        names = (row.get('firstname'), row.get('lastname'))
        lengths.check(row, names, row.get('line_protocol'))

    def validate_update(self, row, state, lookups, claims):
        super().validate_update(row, state, lookups, claims)
        names = tuple(
            row.get(name) if row.present(name) else state.user[name]
            for name in ('firstname', 'lastname')
        )
        line = state.line or {}
        protocol = row.get('line_protocol') or line.get('protocol')
        lengths.check(row, names, protocol)

    @staticmethod
    def _check_entity(row, lookups):
        pass  # one tenant per request: see WazoBackend.check_file


class WazoUserService(UserService):
    def plan_update(self, plan, lookups):
        current = plan.state.user
        user = edited_user(current, plan.row, USER_EDITABLE, CATALOGUE.by_name)
        # The caller id the user was created with ("firstname lastname") follows a new name;
        # one set by hand is kept. (confd's user PUT keeps it either way: a renamed user
        # would go on calling as the old name.)
        if user['callerid'] == full_name(current) and full_name(user) != full_name(
            current
        ):
            user['callerid'] = full_name(user)
        plan.user = user


def full_name(user):
    return (
        '"'
        + ' '.join(part for part in (user['firstname'], user['lastname']) if part)
        + '"'
    )


class WazoLineValidator(LineValidator):
    def validate(self, row, lookups, claims):
        super().validate(row, lookups, claims)
        if row.has_group(columns.PHONE):
            self._check_template(row, lookups)

    @staticmethod
    def _check_template(row, lookups):
        """A SIP line takes the tenant's SIP templates, which confd makes with the tenant."""
        protocol = row.get('line_protocol')
        needed = {'sip': 'global', 'webrtc': 'webrtc'}.get(protocol)
        if needed is None or row.is_bad('line_protocol'):
            return
        for kind in ('global', needed):
            if kind not in lookups.sip_templates:
                row.error(
                    'no_sip_template',
                    f'the tenant has no {kind} SIP template yet (confd makes them when '
                    'wazo-auth announces the tenant): try again later',
                    'line_protocol',
                )
                return


class AuthUserValidator:
    REQUIRED = ('username', 'password')

    def validate(self, row, lookups, claims):
        if row.get('cti_profile_enabled'):
            for name in self.REQUIRED:
                if not row.filled(name):
                    row.error(
                        'required',
                        'required when cti_profile_enabled is 1: the '
                        'wazo-auth user needs a username and a password to log in',
                        name,
                    )
        self._check_username(row, lookups, claims, None)

    def validate_update(self, row, state, lookups, claims):
        # The wazo-auth user exists: an empty password keeps its password (never exported).
        self._check_username(row, lookups, claims, state.user['uuid'])

    @staticmethod
    def _check_username(row, lookups, claims, own):
        """The logins the row's wazo-auth user would take, as wazo-auth judges them: a
        username or an email is free when no other wazo-auth user, of any tenant, has it as
        its username or one of its emails (whatever the case); the login is the username,
        else the email."""
        for column in ('username', 'email'):
            value = row.get(column)
            if value is None or row.is_bad(column):
                continue
            key = value.lower()
            owner = lookups.taken_logins.get(key)
            if owner is not None and owner != own:
                row.error(
                    'taken',
                    f'{value} is already the login or email of a wazo-auth user '
                    f'({lookups.login_owner(owner)}): wazo-auth keeps usernames and '
                    'emails unique across tenants, whatever their case; '
                    + (
                        'choose another username'
                        if column == 'username'
                        else 'give another email, or leave it empty'
                    ),
                    column,
                )
                continue
            earlier = claims.claim('login', key, row.row_number)
            if earlier is not None:
                row.error(
                    'duplicate_in_file',
                    f'{value} is already a login on {claims.where(earlier)}: wazo-auth '
                    'keeps usernames and emails unique together',
                    column,
                )


class AuthUserService:
    """The wazo-auth user of a row: made (or edited) by the backend after the checks."""

    def __init__(self):
        self.validator = AuthUserValidator()

    def plan(self, plan, lookups):
        pass

    def plan_update(self, plan, lookups):
        """plan.user's username/password/cti_profile_enabled: the login after the update.

        An empty username means the default login (the email, else the uuid), as on create;
        an empty password keeps the password; an empty cti_profile_enabled means 1."""
        row, user = plan.row, plan.user
        login = plan.state.login or {}
        user['username'] = login.get('username')
        user['cti_profile_enabled'] = login.get('enabled', True)
        user['password'] = None
        if row.present('username'):
            user['username'] = row.get('username') or user['email'] or user['uuid']
        if row.get('password') is not None:
            user['password'] = row.get('password')
        if row.present('cti_profile_enabled'):
            enabled = row.get('cti_profile_enabled')
            user['cti_profile_enabled'] = True if enabled is None else enabled


def build_wazo_services():
    services = build_services()
    return Services(
        user=WazoUserService(validator=WazoUserValidator(), catalogue=CATALOGUE),
        cti_profile=AuthUserService(),
        extension=services.extension,
        line=LineService(services.extension, WazoLineValidator),
        incall=services.incall,
        voicemail=VoicemailService(by_name=CATALOGUE.by_name),
        call_permission=services.call_permission,
    )
