"""The user's CTI profile and client account (stored on the user)."""
from .. import columns
from ..bus import events

REQUIRED = tuple(c.name for c in columns.group_columns(columns.CTI_PROFILE)
                 if c.required == columns.IF_ENABLED)


class CtiProfileValidator:
    def validate(self, row, lookups, claims):
        if row.get('cti_profile_enabled'):
            for name in REQUIRED:
                if not row.filled(name):
                    row.error('required', 'required when cti_profile_enabled is 1 (the client '
                              'account needs username, password and cti_profile_name)', name)
        name = row.get('cti_profile_name')
        if name is not None and name not in lookups.cti_profiles:
            row.error('unknown_cti_profile', f'no CTI profile is named "{name}": use the name '
                      'of an existing CTI profile', 'cti_profile_name')
        username = row.get('username')
        if username is not None:
            if username in lookups.taken_usernames:
                row.error('taken', f'{username} is already the username of another user: '
                          'usernames are unique', 'username')
            else:
                earlier = claims.claim('username', username, row.row_number)
                if earlier is not None:
                    row.error('duplicate_in_file', f'{username} is already used by row '
                              f'{earlier} of this file: usernames are unique', 'username')


class CtiProfileNotifier:
    def edited(self, user):
        return [events.user_cti_profile_edited(user)]


class CtiProfileService:
    def __init__(self, validator=None, notifier=None):
        self.validator = validator or CtiProfileValidator()
        self.notifier = notifier or CtiProfileNotifier()

    def plan(self, plan, lookups):
        row, user = plan.row, plan.user
        if not row.has_group(columns.CTI_PROFILE):
            return
        user['username'] = row.get('username')
        user['password'] = row.get('password')
        name = row.get('cti_profile_name')
        user['cti_profile_id'] = lookups.cti_profiles.get(name) if name else None
        user['cti_profile_enabled'] = bool(row.get('cti_profile_enabled'))

    def create(self, session, plans):
        pass  # the profile is stored on the user row, written by the user service

    def events(self, plan):
        if plan.user.get('cti_profile_id') is None:
            return []
        return self.notifier.edited(plan.user)
