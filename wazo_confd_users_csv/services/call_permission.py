# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Call permissions: existing permissions associated to the user by name."""

from ..bus import events
from ..database.dao import call_permission as call_permission_dao


class CallPermissionValidator:
    def validate_update(self, row, state, lookups, claims):
        self.validate(row, lookups, claims)

    def validate(self, row, lookups, claims):
        unknown = [
            name
            for name in row.get('call_permissions') or ()
            if name not in lookups.call_permissions
        ]
        if unknown:
            names = ', '.join(f'"{name}"' for name in unknown)
            row.error(
                'unknown_call_permission',
                f'no call permission is named {names}: use '
                'names of existing call permissions, separated by ;',
                'call_permissions',
            )


class CallPermissionNotifier:
    def associated(self, user, call_permission_id):
        return [
            events.user_call_permission(
                'user_call_permission_associated', user, call_permission_id
            )
        ]

    def dissociated(self, user, call_permission_id):
        return [
            events.user_call_permission(
                'user_call_permission_dissociated', user, call_permission_id
            )
        ]


class CallPermissionService:
    def __init__(self, dao=call_permission_dao, validator=None, notifier=None):
        self.dao = dao
        self.validator = validator or CallPermissionValidator()
        self.notifier = notifier or CallPermissionNotifier()

    def plan(self, plan, lookups):
        plan.call_permission_ids = [
            lookups.call_permissions[name]
            for name in plan.row.get('call_permissions') or ()
        ]

    def create(self, session, plans):
        self.dao.associate_users(
            session,
            [
                (plan.user['id'], cp_id)
                for plan in plans
                for cp_id in plan.call_permission_ids
            ],
        )

    def events(self, plan):
        found = []
        for cp_id in plan.call_permission_ids:
            found += self.notifier.associated(plan.user, cp_id)
        return found

    def plan_update(self, plan, lookups):
        """Present: the listed permissions replace the user's; absent: they stay."""
        current = plan.state.call_permission_ids
        if plan.row.present('call_permissions'):
            self.plan(plan, lookups)
        else:
            plan.call_permission_ids = list(current)

    @staticmethod
    def changes(plan):
        current = plan.state.call_permission_ids
        added = [cp_id for cp_id in plan.call_permission_ids if cp_id not in current]
        removed = [cp_id for cp_id in current if cp_id not in plan.call_permission_ids]
        return added, removed

    def update(self, session, plans):
        added, removed = [], []
        for plan in plans:
            plan_added, plan_removed = self.changes(plan)
            added += [(plan.user['id'], cp_id) for cp_id in plan_added]
            removed += [(plan.user['id'], cp_id) for cp_id in plan_removed]
        self.dao.dissociate_users(session, removed)
        self.dao.associate_users(session, added)

    def update_events(self, plan, seen):
        added, removed = self.changes(plan)
        found = []
        for cp_id in removed:
            found += self.notifier.dissociated(plan.user, cp_id)
        for cp_id in added:
            found += self.notifier.associated(plan.user, cp_id)
        return found
