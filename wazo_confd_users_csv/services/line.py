# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Phones: a line with its SIP or SCCP endpoint and its extension, associated to the user."""

from .. import columns
from .extension import USER_RANGE

SIP_ONLY = ('sip_username', 'sip_secret')
GROUP = tuple(c.name for c in columns.group_columns(columns.PHONE))


class LineValidator:
    def __init__(self, extension_validator):
        self.extension_validator = extension_validator

    def validate_update(self, row, state, lookups, claims):
        if not any(row.present(name) for name in GROUP):
            return
        line = state.line
        if line is None:
            return self.validate(row, lookups, claims)
        protocol = row.get('line_protocol')
        if protocol is not None and protocol != line['protocol']:
            row.error(
                'protocol_change',
                f"the user's line is {line['protocol']}: a line's "
                f"protocol cannot change (keep {line['protocol']}, or give the line to a "
                'new user)',
                'line_protocol',
            )
        self._check_sip_only(row, line['protocol'])
        sip = state.sip or {}
        self._unique(
            row, lookups, claims, 'sip_username', 'SIP usernames', own=sip.get('id')
        )
        self._unique(
            row,
            lookups,
            claims,
            'provisioning_code',
            'provisioning codes',
            own=line['id'],
        )
        current = state.extension or {}
        exten = row.get('exten') if row.present('exten') else current.get('exten')
        context = row.get('context') if row.present('context') else line['context']
        if (exten, context) != (current.get('exten'), current.get('context')):
            self.extension_validator.validate(
                row,
                exten,
                context,
                ('exten', 'context'),
                USER_RANGE,
                'internal',
                lookups,
                claims,
                current_id=current.get('id'),
            )

    def validate(self, row, lookups, claims):
        if not row.has_group(columns.PHONE):
            return
        self._check_sip_only(row, row.get('line_protocol'))
        self._unique(row, lookups, claims, 'sip_username', 'SIP usernames')
        self._unique(row, lookups, claims, 'provisioning_code', 'provisioning codes')
        self.extension_validator.validate(
            row,
            row.get('exten'),
            row.get('context'),
            ('exten', 'context'),
            USER_RANGE,
            'internal',
            lookups,
            claims,
        )

    @staticmethod
    def _check_sip_only(row, protocol):
        if protocol == 'sccp':
            for name in SIP_ONLY:
                if row.filled(name):
                    row.error(
                        'sip_only',
                        'only a sip line has a SIP username and secret: '
                        'leave it empty for an sccp line',
                        name,
                    )

    @staticmethod
    def _unique(row, lookups, claims, column, what, own=None):
        value = row.get(column)
        if value is None:
            return
        if column == 'sip_username':
            taken = lookups.taken_sip_usernames

            def message(owner):
                name = lookups.owner('sip', owner, 'another line')
                return (
                    f'{value} is already used by an existing SIP endpoint ({name}): '
                    f'{what} are unique; give another one or leave it empty to get one'
                )

        else:
            taken = lookups.taken_provisioning_codes

            def message(owner):
                name = lookups.owner('line', owner, 'another line')
                return (
                    f'{value} is already the provisioning code of {name}: {what} are '
                    'unique; give another one or leave it empty to get one'
                )

        row.check_unique(
            column, value, taken, claims, message, f'{what} are unique', own=own
        )


class LineService:
    def __init__(self, extension_service, validator_class=LineValidator):
        self.extension_service = extension_service
        self.validator = validator_class(extension_service.validator)

    def plan(self, plan, lookups):
        row = plan.row
        if not row.has_group(columns.PHONE):
            return
        protocol = row.get('line_protocol')
        plan.line = {
            'protocol': protocol,
            'context': row.get('context'),
            'provisioning_code': row.get('provisioning_code'),
        }
        if protocol in (
            'sip',
            'webrtc',
        ):  # webrtc: a SIP endpoint (inside wazo-confd only)
            plan.sip = {
                'username': row.get('sip_username'),
                'secret': row.get('sip_secret'),
            }
        else:
            plan.sccp = {}
            plan.line['name'] = row.get('exten')
        if row.get('exten') is None:  # inside wazo-confd: a line without an extension
            return
        plan.extension, reused = self.extension_service.plan(
            row.get('exten'), row.get('context'), lookups
        )
        if reused:
            plan.reused.append('extension')

    def plan_update(self, plan, lookups):
        state, row = plan.state, plan.row
        if state.line is None:
            if any(row.present(name) for name in GROUP):
                self.plan(plan, lookups)
            return
        line = dict(state.line)
        plan.line = line
        plan.sip = dict(state.sip) if state.sip is not None else None
        plan.sccp = (
            {'id': line['sccp_endpoint_id']}
            if line['sccp_endpoint_id'] is not None
            else None
        )
        plan.extension = dict(state.extension) if state.extension is not None else None
        # sip_username, sip_secret and provisioning_code cannot be unset: empty keeps them.
        if row.get('provisioning_code') is not None:
            line['provisioning_code'] = row.get('provisioning_code')
        if plan.sip is not None:
            for column, field in (
                ('sip_username', 'username'),
                ('sip_secret', 'secret'),
            ):
                if row.get(column) is not None:
                    plan.sip[field] = row.get(column)
            line['name'] = plan.sip['username']
        if row.present('context'):
            line['context'] = row.get('context')
        exten = (
            row.get('exten')
            if row.present('exten')
            else (plan.extension or {}).get('exten')
        )
        if plan.extension is not None:
            plan.extension = self.extension_service.edit(
                plan.extension, exten, line['context']
            )
        elif exten is not None:
            plan.extension, reused = self.extension_service.plan(
                exten, line['context'], lookups
            )
            if reused:
                plan.reused.append('extension')
        if plan.sccp is not None and exten is not None:
            line['name'] = exten
