"""Incoming calls routed to the user, each with its extension in an incall context."""
from .. import columns
from ..bus import events
from ..database.dao import incall as incall_dao
from .extension import INCALL_RANGE


class IncallValidator:
    def __init__(self, extension_validator):
        self.extension_validator = extension_validator

    def validate(self, row, lookups, claims):
        if row.has_group(columns.INCALL):
            self.extension_validator.validate(row, 'incall_exten', 'incall_context',
                                              INCALL_RANGE, 'incall', lookups, claims)


class IncallNotifier:
    def __init__(self, extension_notifier):
        self.extension_notifier = extension_notifier

    def created(self, plan):
        found = [events.incall('incall_created', plan.incall)]
        if 'incall_extension' not in plan.reused:
            found += self.extension_notifier.created(plan.incall_extension)
        found.append(events.incall_extension_associated(plan.incall['id'],
                                                        plan.incall_extension['id']))
        return found


class IncallService:
    def __init__(self, extension_service, dao=incall_dao):
        self.extension_service = extension_service
        self.dao = dao
        self.validator = IncallValidator(extension_service.validator)
        self.notifier = IncallNotifier(extension_service.notifier)

    def plan(self, plan, lookups):
        row = plan.row
        if not row.has_group(columns.INCALL):
            return
        plan.incall = {'ring_seconds': row.get('incall_ring_seconds')}
        plan.incall_extension, reused = self.extension_service.plan(
            row.get('incall_exten'), row.get('incall_context'), lookups)
        if reused:
            plan.reused.append('incall_extension')

    def create(self, session, plans):
        with_incall = [plan for plan in plans if plan.incall is not None]
        for plan in with_incall:
            plan.incall['user_id'] = plan.user['id']
            plan.incall['extension_id'] = plan.incall_extension['id']
        self.dao.create_many(session, [plan.incall for plan in with_incall])

    def events(self, plan):
        return self.notifier.created(plan) if plan.incall is not None else []
