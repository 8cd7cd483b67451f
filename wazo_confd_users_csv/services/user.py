# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Users: the row's own fields, always created."""

import uuid as uuid_module

from .. import columns
from ..columns import canonical_uuid

FIELDS = tuple(column.name for column in columns.group_columns(columns.USER))
CTI_FIELDS = ('username', 'password', 'cti_profile_id', 'cti_profile_enabled')
EDITABLE = tuple(name for name in FIELDS if name != 'uuid')


def value_or_default(row, name, by_name=columns.BY_NAME):
    """The cell's value; an empty cell of a column with a default means the default."""
    value = row.get(name)
    return by_name[name].default if value is None else value


def edited_user(current, row, names, by_name=columns.BY_NAME):
    """The user after an update: the present cells of `names` replace (an empty one sets the
    default), except an empty secret (call_permission_password), which keeps it: exports
    without the secrets ACL leave secrets out."""
    user = dict(current)
    for name in names:
        if not row.present(name):
            continue
        if row.get(name) is None and by_name[name].secret:
            continue
        user[name] = value_or_default(row, name, by_name)
    return user


def kept_contexts(row, state):
    """Contexts of the user's resources that the row leaves as they are."""
    current = []
    if state.line is not None:
        current.append(('context', [state.line['context']]))
    if state.voicemail is not None:
        current.append(('voicemail_context', [state.voicemail['context']]))
    if state.incalls:
        current.append(
            ('incall_context', [extension['context'] for _, extension in state.incalls])
        )
    kept = set()
    for column, names in current:
        if not row.present(column):
            kept.update(names)
        else:
            final = row.get(column)
            kept.update(set(names) & set(final if isinstance(final, list) else [final]))
    return kept


class UserValidator:
    def validate(self, row, lookups, claims):
        self._check_entity(row, lookups)
        if row.get('uuid') is not None:
            uuid = canonical_uuid(row.get('uuid'))
            row.check_unique(
                'uuid',
                uuid,
                lookups.taken_uuids,
                claims,
                lambda owner: f'{uuid} is already the uuid of '
                f'{lookups.owner("user", owner, "another user")}: to change that user, '
                'send the file as an update (PUT); to create a new user, leave uuid empty',
                'each user needs its own uuid',
            )
        self._check_email(row, lookups, claims, user_id=None)

    def validate_update(self, row, state, lookups, claims):
        self._check_entity(row, lookups)
        self._check_email(row, lookups, claims, user_id=state.user['id'])
        if (
            row.entity_id != state.user['entity_id']
            and row.entity_id in lookups.entity_ids
        ):
            # Contexts the row changes are checked by their groups; the kept ones are here.
            for name in sorted(kept_contexts(row, state)):
                info = lookups.contexts.get(name)
                if info is not None and info.entity_id != row.entity_id:
                    row.error(
                        'wrong_entity',
                        f'the user keeps resources in context {name} of '
                        f'entity {info.entity_id}: move them in the same row, or keep '
                        'the entity',
                        'entity_id',
                    )

    @staticmethod
    def _check_entity(row, lookups):
        entity_id = row.get('entity_id')
        if entity_id is not None and entity_id not in lookups.entity_ids:
            row.error(
                'unknown_entity',
                f'no entity has id {entity_id}: use the id of an ' 'existing entity',
                'entity_id',
            )

    @staticmethod
    def _check_email(row, lookups, claims, user_id):
        email = row.get('email')
        if email is not None:
            key = (
                lookups.email_keys.get(email) or email.lower()
            )  # the database's lower()
            row.check_unique(
                'email',
                key,
                lookups.taken_emails,
                claims,
                lambda owner: f'{email} is already the email of '
                f'{lookups.owner("user", owner, "another user")}: emails are unique '
                '(whatever their case); give another one or leave it empty',
                'each user needs its own email',
                own=user_id,
                shown=email,
            )


class UserService:
    def __init__(self, validator=None, catalogue=columns.CATALOGUES[columns.OWN]):
        self.validator = validator or UserValidator()
        self.by_name = catalogue.by_name  # the backend's columns: their defaults
        self.fields = tuple(
            column.name for column in catalogue.group_columns(columns.USER)
        )

    def plan(self, plan, lookups):
        """Every user column of the backend's catalogue, its default when the cell is empty:
        the writer reads the plan, never the row."""
        row = plan.row
        user = {}
        for name in self.fields:
            user[name] = value_or_default(row, name, self.by_name)
        user['uuid'] = (
            canonical_uuid(row.get('uuid'))
            if row.get('uuid')
            else str(uuid_module.uuid4())
        )
        user.update(dict.fromkeys(CTI_FIELDS))
        plan.user = user

    def plan_update(self, plan, lookups):
        plan.user = edited_user(plan.state.user, plan.row, EDITABLE)
