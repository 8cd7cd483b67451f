# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The user's CTI profile and client account (stored on the user)."""

from .. import columns

REQUIRED = tuple(
    c.name
    for c in columns.group_columns(columns.CTI_PROFILE)
    if c.required == columns.IF_ENABLED
)
GROUP = tuple(c.name for c in columns.group_columns(columns.CTI_PROFILE))
STORED_AS = {
    'cti_profile_name': 'cti_profile_id'
}  # the user row holds the profile's id


class Clear(str):
    """A login password as the file gave it: the standalone host hashes it once every check
    passed (backends.standalone.passwords)."""


class CtiProfileValidator:
    def validate(self, row, lookups, claims):
        if row.get('cti_profile_enabled'):
            for name in REQUIRED:
                if not row.filled(name):
                    row.error(
                        'required',
                        'required when cti_profile_enabled is 1 (the client '
                        'account needs username, password and cti_profile_name)',
                        name,
                    )
        self._check_values(row, lookups, claims, user_id=None)

    def validate_update(self, row, state, lookups, claims):
        if not any(row.present(name) for name in GROUP):
            return
        user = state.user

        def final(name):
            if name == 'password' and row.get(name) is None:
                return user['password']  # an empty password cell keeps the password
            if row.present(name):
                return row.get(name)
            return user[STORED_AS.get(name, name)]

        if final('cti_profile_enabled'):
            for name in REQUIRED:
                if final(name) is None and not row.is_bad(name):
                    reason = 'cannot be emptied' if row.present(name) else 'is required'
                    row.error(
                        'required',
                        f'{reason} while cti_profile_enabled is 1 (the client '
                        'account needs username, password and cti_profile_name)',
                        name,
                    )
        self._check_values(row, lookups, claims, user_id=user['id'])

    @staticmethod
    def _check_values(row, lookups, claims, user_id):
        name = row.get('cti_profile_name')
        if name is not None and name not in lookups.cti_profiles:
            row.error(
                'unknown_cti_profile',
                f'no CTI profile is named "{name}": use the name '
                'of an existing CTI profile',
                'cti_profile_name',
            )
        username = row.get('username')
        if username is not None:
            row.check_unique(
                'username',
                username.lower(),
                lookups.taken_usernames,
                claims,
                lambda owner: f'{username} is already the username of '
                f'{lookups.owner("user", owner, "another user")}: usernames are unique '
                'whatever their case',
                'usernames are unique whatever ' 'their case',
                own=user_id,
                shown=username,
            )


class CtiProfileService:
    def __init__(self, validator=None):
        self.validator = validator or CtiProfileValidator()

    def plan(self, plan, lookups):
        row, user = plan.row, plan.user
        if not row.has_group(columns.CTI_PROFILE):
            return
        user['username'] = row.get('username')
        password = row.get('password')
        user['password'] = (
            None if password is None else Clear(password)
        )  # hashed by generate
        name = row.get('cti_profile_name')
        user['cti_profile_id'] = lookups.cti_profiles.get(name) if name else None
        user['cti_profile_enabled'] = bool(row.get('cti_profile_enabled'))

    def plan_update(self, plan, lookups):
        row, user = plan.row, plan.user
        for name in ('username', 'cti_profile_enabled'):
            if row.present(name):
                user[name] = row.get(name)
        if row.get('password') is not None:  # kept by the store if it is the same
            user['password'] = Clear(row.get('password'))
        if row.present('cti_profile_name'):
            name = row.get('cti_profile_name')
            user['cti_profile_id'] = lookups.cti_profiles.get(name) if name else None
