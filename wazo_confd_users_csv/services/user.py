"""Users: the row's own fields, always created."""
import uuid as uuid_module

from .. import columns
from ..bus import events
from ..columns import canonical_uuid
from ..database.dao import user as user_dao

FIELDS = tuple(column.name for column in columns.group_columns(columns.USER))
CTI_FIELDS = ('username', 'password', 'cti_profile_id', 'cti_profile_enabled')


class UserValidator:
    def validate(self, row, lookups, claims):
        entity_id = row.get('entity_id')
        if entity_id is not None and entity_id not in lookups.entity_ids:
            row.error('unknown_entity', f'no entity has id {entity_id}: use the id of an '
                      'existing entity', 'entity_id')
        if row.get('uuid') is not None:
            uuid = canonical_uuid(row.get('uuid'))
            if uuid in lookups.taken_uuids:
                row.error('taken', f'a user with uuid {uuid} already exists: leave uuid empty '
                          'to generate one, or give an unused one', 'uuid')
            else:
                self._claim(row, claims, 'uuid', uuid)
        email = row.get('email')
        if email is not None:
            if email.lower() in lookups.taken_emails:
                row.error('taken', f'{email} is already the email of another user: emails '
                          'are unique (case-insensitive)', 'email')
            else:
                self._claim(row, claims, 'email', email.lower(), shown=email)

    @staticmethod
    def _claim(row, claims, column, key, shown=None):
        earlier = claims.claim(column, key, row.row_number)
        if earlier is not None:
            row.error('duplicate_in_file', f'{shown or key} is already used by row {earlier} '
                      f'of this file: each user needs its own {column}', column)


class UserNotifier:
    def created(self, user):
        return [events.user('user_created', user)]


class UserService:
    def __init__(self, dao=user_dao, validator=None, notifier=None):
        self.dao = dao
        self.validator = validator or UserValidator()
        self.notifier = notifier or UserNotifier()

    def plan(self, plan, lookups):
        row = plan.row
        user = {}
        for name in FIELDS:
            value = row.get(name)
            user[name] = columns.BY_NAME[name].default if value is None else value
        user['uuid'] = (canonical_uuid(row.get('uuid')) if row.get('uuid')
                        else str(uuid_module.uuid4()))
        user.update(dict.fromkeys(CTI_FIELDS))
        plan.user = user

    def create(self, session, plans):
        self.dao.create_many(session, [plan.user for plan in plans])

    def events(self, plan):
        return self.notifier.created(plan.user)
