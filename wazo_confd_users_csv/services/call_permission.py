# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Call permissions: existing permissions associated to the user by name."""


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


class CallPermissionService:
    def __init__(self, validator=None):
        self.validator = validator or CallPermissionValidator()

    def plan(self, plan, lookups):
        plan.call_permission_ids = [
            lookups.call_permissions[name]
            for name in plan.row.get('call_permissions') or ()
        ]

    def plan_update(self, plan, lookups):
        """Present: the listed permissions replace the user's; absent: they stay."""
        current = plan.state.call_permission_ids
        if plan.row.present('call_permissions'):
            self.plan(plan, lookups)
        else:
            plan.call_permission_ids = list(current)


def permission_changes(plan):
    """(added, removed) call permission ids of an update's plan."""
    current = plan.state.call_permission_ids
    added = [cp_id for cp_id in plan.call_permission_ids if cp_id not in current]
    removed = [cp_id for cp_id in current if cp_id not in plan.call_permission_ids]
    return added, removed
