# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Phones: a line with its SIP or SCCP endpoint and its extension, associated to the user."""

import os
import secrets
import string

from .. import columns
from ..bus import events
from ..database.dao import endpoint_sccp as sccp_dao
from ..database.dao import endpoint_sip as sip_dao
from ..database.dao import line as line_dao
from .extension import USER_RANGE

SIP_ONLY = ('sip_username', 'sip_secret')
GROUP = tuple(c.name for c in columns.group_columns(columns.PHONE))
MAX_GENERATION_ROUNDS = 20


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
            row,
            lookups.taken_sip_usernames,
            claims,
            'sip_username',
            'SIP usernames',
            own=sip.get('id'),
        )
        self._unique(
            row,
            lookups.taken_provisioning_codes,
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
        self._unique(
            row, lookups.taken_sip_usernames, claims, 'sip_username', 'SIP usernames'
        )
        self._unique(
            row,
            lookups.taken_provisioning_codes,
            claims,
            'provisioning_code',
            'provisioning codes',
        )
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
    def _unique(row, taken, claims, column, what, own=None):
        value = row.get(column)
        if value is not None:
            row.check_unique(
                column,
                value,
                taken,
                claims,
                f'{value} is already used by another ' f'line: {what} are unique',
                f'{what} are unique',
                own=own,
            )


class LineNotifier:
    def __init__(self, extension_notifier):
        self.extension_notifier = extension_notifier

    def edited(self, line, sip, extension, current):
        found = []
        if line != current.line:
            found.append(events.line('line_edited', line))
        if sip is not None and sip != current.sip:
            found.append(events.sip_endpoint('sip_endpoint_edited', sip, line['id']))
        if current.extension is not None and extension != current.extension:
            found.append(events.extension('extension_edited', extension))
        return found

    def created(self, plan):
        line = plan.line
        found = [events.line('line_created', line)]
        if plan.sip is not None:
            found.append(
                events.sip_endpoint('sip_endpoint_created', plan.sip, line['id'])
            )
        else:
            found.append(events.sccp_endpoint_created(plan.sccp, line['id']))
        if 'extension' not in plan.reused:
            found += self.extension_notifier.created(plan.extension)
        found.append(events.user_line_associated(plan.user, line['id']))
        found.append(events.line_extension_associated(line['id'], plan.extension['id']))
        return found


class LineService:
    def __init__(
        self, extension_service, dao=line_dao, sip_dao=sip_dao, sccp_dao=sccp_dao
    ):
        self.extension_service = extension_service
        self.dao = dao
        self.sip_dao = sip_dao
        self.sccp_dao = sccp_dao
        self.validator = LineValidator(extension_service.validator)
        self.notifier = LineNotifier(extension_service.notifier)

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
        plan.extension, reused = self.extension_service.plan(
            row.get('exten'), row.get('context'), lookups
        )
        if reused:
            plan.reused.append('extension')

    def generate(self, session, plans, claims):
        """Fills the SIP usernames, secrets and provisioning codes that the file left empty.

        Returns the unique values it generated (a concurrent job may draw the same one).
        """
        lines = [plan.line for plan in plans if plan.line is not None]
        sips = [plan.sip for plan in plans if plan.sip is not None]
        generated = fill_unique(
            session,
            [d for d in lines if d['provisioning_code'] is None],
            'provisioning_code',
            provisioning_code,
            claims.taken('provisioning_code'),
            self.dao.find_taken_provisioning_codes,
        )
        generated |= fill_unique(
            session,
            [d for d in sips if d['username'] is None],
            'username',
            sip_username,
            claims.taken('sip_username'),
            self.sip_dao.find_taken_usernames,
        )
        for sip in sips:
            if sip['secret'] is None:
                sip['secret'] = sip_secret()
        for plan in plans:
            if plan.sip is not None:
                plan.line['name'] = plan.sip['username']
        return generated

    def create(self, session, plans):
        phones = [plan for plan in plans if plan.line is not None]
        self.sip_dao.create_many(session, [p.sip for p in phones if p.sip is not None])
        self.sccp_dao.create_many(
            session, [p.sccp for p in phones if p.sccp is not None]
        )
        for plan in phones:
            plan.line['sip_endpoint_id'] = (
                plan.sip['id'] if plan.sip is not None else None
            )
            plan.line['sccp_endpoint_id'] = (
                plan.sccp['id'] if plan.sccp is not None else None
            )
        self.dao.create_many(session, [p.line for p in phones])
        self.dao.associate_users(
            session,
            [
                {
                    'user_id': p.user['id'],
                    'line_id': p.line['id'],
                    'main_user': True,
                    'main_line': True,
                }
                for p in phones
            ],
        )
        self.dao.associate_extensions(
            session,
            [
                {
                    'line_id': p.line['id'],
                    'extension_id': p.extension['id'],
                    'main_extension': True,
                }
                for p in phones
            ],
        )

    def events(self, plan):
        return self.notifier.created(plan) if plan.line is not None else []

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

    def update(self, session, plans):
        new = [
            plan for plan in plans if plan.state.line is None and plan.line is not None
        ]
        self.create(session, new)
        kept = [plan for plan in plans if plan.state.line is not None]
        self.sip_dao.update_many_full(
            session, [p.sip for p in kept if p.sip is not None and p.sip != p.state.sip]
        )
        self.dao.update_many_full(
            session, [p.line for p in kept if p.line != p.state.line]
        )
        self.dao.associate_extensions(
            session,
            [
                {
                    'line_id': p.line['id'],
                    'extension_id': p.extension['id'],
                    'main_extension': True,
                }
                for p in kept
                if p.state.extension is None and p.extension is not None
            ],
        )

    def update_events(self, plan, seen):
        if plan.line is None:
            return []
        if plan.state.line is None:
            return self.notifier.created(plan)
        found = self.notifier.edited(plan.line, plan.sip, plan.extension, plan.state)
        if plan.state.extension is None and plan.extension is not None:
            if 'extension' not in plan.reused:
                found += self.extension_service.notifier.created(plan.extension)
            found.append(
                events.line_extension_associated(plan.line['id'], plan.extension['id'])
            )
        return found


def provisioning_code():
    return str(secrets.randbelow(900000) + 100000)


def sip_username():
    # 8 random lowercase letters; 256 % 26 leaves a negligible bias for a login name
    return ''.join(string.ascii_lowercase[byte % 26] for byte in os.urandom(8))


def sip_secret():
    """16 characters of letters and digits, from 96 random bits."""
    secret = secrets.token_urlsafe(18).replace('-', 'x').replace('_', 'y')
    return secret[:16]


def fill_unique(session, items, key, generate, taken, find_taken):
    """Gives each item a fresh value unused in the file and in the database.

    Candidates are checked in one query per batch; the rare collisions are drawn again.
    """
    taken = set(taken)
    pending = items
    for _ in range(MAX_GENERATION_ROUNDS):
        if not pending:
            return {item[key] for item in items}
        for item in pending:
            value = generate()
            while value in taken:
                value = generate()
            item[key] = value
            taken.add(value)
        in_database = find_taken(session, [item[key] for item in pending])
        pending = [item for item in pending if item[key] in in_database]
    raise RuntimeError(f'could not generate unused values for {key}')
