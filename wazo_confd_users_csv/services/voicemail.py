# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Voicemails: created, or shared when number@context already exists (in base or file)."""

from .. import columns
from .context import check_context

FIELDS = columns.VOICEMAIL_FIELDS


GROUP = tuple(FIELDS)


def edited_voicemail(row, current, by_name=columns.BY_NAME):
    """The voicemail after an update: present cells replace, an empty one unsets (or defaults)."""
    voicemail = dict(current)
    for column, field in FIELDS.items():
        if row.present(column):
            value = row.get(column)
            if value is None and by_name[column].secret:
                continue  # an empty secret keeps it: exports leave secrets out
            voicemail[field] = by_name[column].default if value is None else value
    return voicemail


def check_delete_needs_email(row, voicemail):
    """Messages deleted once emailed need an address to go to (confd refuses it too)."""
    if voicemail.get('delete_messages') and not voicemail.get('email'):
        row.error(
            'email_required',
            '1 deletes each message once it '
            'is emailed: give voicemail_email too, or set it to 0',
            'voicemail_delete_messages',
        )


class VoicemailValidator:
    def __init__(self, by_name=columns.BY_NAME):
        self.by_name = by_name  # the catalogue's columns: their defaults

    def validate(self, row, lookups, claims):
        if row.has_group(columns.VOICEMAIL):
            check_context(
                row,
                'voicemail_context',
                row.get('voicemail_context'),
                'internal',
                lookups,
            )
            check_delete_needs_email(
                row, {field: row.get(column) for column, field in FIELDS.items()}
            )

    def validate_update(self, row, state, lookups, claims):
        if not any(row.present(name) for name in GROUP):
            return
        current = state.voicemail
        if current is None:
            return self.validate(row, lookups, claims)
        if any(
            row.present(name) and not row.filled(name)
            for name in ('voicemail_number', 'voicemail_context')
        ) or row.is_bad(*GROUP):
            return
        edited = edited_voicemail(row, current, self.by_name)
        check_delete_needs_email(row, edited)
        key = (edited['number'], edited['context'])
        if key != (current['number'], current['context']):
            if edited['context'] != current['context']:
                if (
                    check_context(
                        row, 'voicemail_context', edited['context'], 'internal', lookups
                    )
                    is None
                ):
                    return
            if lookups.voicemails.get(key, current['id']) != current['id']:
                row.error(
                    'taken',
                    f'voicemail {key[0]}@{key[1]} already exists: the user\'s '
                    'voicemail cannot take its number',
                    'voicemail_number',
                )
                return
        # Users sharing a voicemail may all edit it, but not in different ways.
        earlier = claims.claim(
            'voicemail_edit', tuple(sorted(edited.items())), row.row_number
        )
        other = claims.claim('voicemail_id', current['id'], row.row_number)
        if other is not None and earlier is None:
            row.error(
                'conflict_in_file',
                f'{claims.where(other)} edits the same shared voicemail with other '
                'values: give both rows the same voicemail cells',
                'voicemail_name',
            )


class VoicemailService:
    def __init__(self, validator=None, by_name=columns.BY_NAME):
        self.by_name = by_name
        self.validator = validator or VoicemailValidator(by_name)

    def plan(self, plan, lookups):
        row = plan.row
        shared = lookups.planned_voicemails
        if not row.has_group(columns.VOICEMAIL):
            return
        key = (row.get('voicemail_number'), row.get('voicemail_context'))
        if key in lookups.voicemails:
            plan.voicemail = {
                'id': lookups.voicemails[key],
                'number': key[0],
                'context': key[1],
            }
            plan.reused.append('voicemail')
        elif key in shared:
            plan.voicemail = shared[key]
            plan.reused.append('voicemail')
        else:
            voicemail = {}
            for column, field in FIELDS.items():
                value = row.get(column)
                voicemail[field] = (
                    self.by_name[column].default if value is None else value
                )
            plan.voicemail = shared[key] = voicemail

    def plan_update(self, plan, lookups):
        current = plan.state.voicemail
        if current is None:
            if any(plan.row.present(name) for name in GROUP):
                self.plan(plan, lookups)
            return
        plan.voicemail = edited_voicemail(plan.row, current, self.by_name)
