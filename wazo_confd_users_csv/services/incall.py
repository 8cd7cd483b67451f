"""Incoming calls routed to the user, each with its extension in an incall context.

The incall columns may hold several values separated by ; (aligned), which is how the export
writes a user with several incalls: the file then re-imports unchanged.
"""
from dataclasses import dataclass

from .. import columns
from ..bus import events
from ..database.dao import incall as incall_dao
from .extension import INCALL_RANGE

COLUMNS = ('incall_exten', 'incall_context')


@dataclass
class IncallPlan:
    incall: dict
    extension: dict
    reused: bool


def incall_values(row):
    """[(exten, context, ring_seconds)] of the row, or None when the columns do not align."""
    extens = row.get('incall_exten') or []
    contexts = row.get('incall_context') or []
    rings = row.get('incall_ring_seconds')
    if rings is None:
        rings = [None] * len(extens)
    if not len(extens) == len(contexts) == len(rings):
        return None
    return list(zip(extens, contexts, rings))


class IncallValidator:
    def __init__(self, extension_validator):
        self.extension_validator = extension_validator

    def validate(self, row, lookups, claims):
        if not row.has_group(columns.INCALL) or row.is_bad(*COLUMNS):
            return
        values = incall_values(row)
        if values is None:
            counts = ', '.join(f'{name} has {len(row.get(name) or [])}' for name in
                               ('incall_exten', 'incall_context', 'incall_ring_seconds')
                               if row.get(name) is not None)
            row.error('misaligned', f'several incalls need one value per incall in each incall '
                      f'column, separated by ; ({counts})', 'incall_context')
            return
        for exten, context, _ in values:
            for column, value in zip(COLUMNS, (exten, context)):
                if value is None and row.filled(COLUMNS[0]) and row.filled(COLUMNS[1]):
                    row.error('required', 'one of the incalls has no value here: remove the '
                              'extra ;', column)
            self.extension_validator.validate(row, exten, context, COLUMNS, INCALL_RANGE,
                                              'incall', lookups, claims)


class IncallNotifier:
    def __init__(self, extension_notifier):
        self.extension_notifier = extension_notifier

    def created(self, planned):
        found = [events.incall('incall_created', planned.incall)]
        if not planned.reused:
            found += self.extension_notifier.created(planned.extension)
        found.append(events.incall_extension_associated(planned.incall['id'],
                                                        planned.extension['id']))
        return found


class IncallService:
    def __init__(self, extension_service, dao=incall_dao):
        self.extension_service = extension_service
        self.dao = dao
        self.validator = IncallValidator(extension_service.validator)
        self.notifier = IncallNotifier(extension_service.notifier)

    def plan(self, plan, lookups):
        if not plan.row.has_group(columns.INCALL):
            return
        for exten, context, ring_seconds in incall_values(plan.row):
            extension, reused = self.extension_service.plan(exten, context, lookups)
            plan.incalls.append(IncallPlan({'ring_seconds': ring_seconds}, extension, reused))
        if any(planned.reused for planned in plan.incalls):
            plan.reused.append('incall_extension')

    def create(self, session, plans):
        incalls = []
        for plan in plans:
            for planned in plan.incalls:
                planned.incall['user_id'] = plan.user['id']
                planned.incall['extension_id'] = planned.extension['id']
                incalls.append(planned.incall)
        self.dao.create_many(session, incalls)

    def events(self, plan):
        return [event for planned in plan.incalls for event in self.notifier.created(planned)]
