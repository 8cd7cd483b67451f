# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What an import or update did: one entry per row, a summary, the events it announced."""

from collections import Counter

from .changes import by_action, changed_columns


def _id(resource, key='id'):
    return resource.get(key) if resource is not None else None


class ImportResult:
    def __init__(
        self,
        plans,
        event_count,
        dry_run=False,
        notices=(),
        sip_uuids=False,
        announced=None,
        header=None,
    ):
        self.plans = plans
        self.event_count = event_count
        self.dry_run = dry_run
        self.notices = list(notices)  # ports.Notice: told, not refused
        self.sip_uuids = (
            sip_uuids  # inside wazo-confd, SIP endpoints have uuids (sip_uuid)
        )
        self.announced = announced or Counter()  # event name -> how many
        self.header = header  # an update's columns: its rows' changes are among them
        self._changed = None
        self._answer = None

    @property
    def is_update(self):
        return self.header is not None

    def changed(self):
        """Per plan, the columns an update changes (computed once)."""
        if self._changed is None:
            self._changed = [changed_columns(plan, self.header) for plan in self.plans]
        return self._changed

    def entries(self):
        entries = [self.entry(plan) for plan in self.plans]
        if self.is_update:
            for entry, changed in zip(entries, self.changed()):
                entry['outcome'] = 'updated' if changed else 'unchanged'
                entry['changed'] = changed
        for entry, plan in zip(entries, self.plans):
            # confd's key, a string: inside wazo-confd the endpoint's uuid (a kept endpoint's
            # id is its uuid); on the standalone host its id, so that confd's scripts work
            if self.sip_uuids:
                sip = _id(plan.sip, 'uuid') or _id(plan.sip)
                entry['sip_id'] = (
                    None  # Wazo's SIP endpoints have no id: on POST and PUT
                )
            else:
                sip = None if _id(plan.sip) is None else str(_id(plan.sip))
            entry['sip_uuid'] = sip
        return entries

    @staticmethod
    def entry(plan):
        user = plan.user
        incall_ids = [planned.incall['id'] for planned in plan.incalls]
        incall_extension_ids = [planned.extension['id'] for planned in plan.incalls]
        return {
            'row_number': plan.row.row_number,
            'user_id': user['id'],
            'user_uuid': user['uuid'],
            'cti_profile_id': user.get('cti_profile_id'),
            'line_id': _id(plan.line),
            'sip_id': _id(plan.sip),
            'sccp_id': _id(plan.sccp),
            'extension_id': _id(plan.extension),
            'incall_id': incall_ids[0] if incall_ids else None,
            'incall_extension_id': (
                incall_extension_ids[0] if incall_extension_ids else None
            ),
            'voicemail_id': _id(plan.voicemail),
            'call_permission_ids': list(plan.call_permission_ids),
            'reused': list(plan.reused),
            # Several incalls (aligned ; lists): every id, in the order of the cells.
            'incall_ids': incall_ids,
            'incall_extension_ids': incall_extension_ids,
        }

    def summary(self):
        if self.is_update:
            return self.update_summary()
        created: Counter = Counter()
        reused: Counter = Counter()
        for plan in self.plans:
            created['user'] += 1
            for name, label in (
                ('line', 'line'),
                ('sip', 'sip_endpoint'),
                ('sccp', 'sccp_endpoint'),
            ):
                if getattr(plan, name) is not None:
                    created[label] += 1
            for name in ('extension', 'voicemail'):
                if getattr(plan, name) is not None:
                    (reused if name in plan.reused else created)[name] += 1
            for planned in plan.incalls:
                created['incall'] += 1
                (reused if planned.reused else created)['incall_extension'] += 1
            if plan.call_permission_ids:
                created['call_permission_association'] += len(plan.call_permission_ids)
        return {
            'rows': len(self.plans),
            'created': dict(created),
            'reused': dict(reused),
            'events': self.event_count,
        }

    def update_summary(self):
        """Rows updated or unchanged, and per resource what the update announces (its events:
        `user_edited` counts an updated user, `incall_created` a created incall, ...).
        """
        updated = sum(1 for changed in self.changed() if changed)
        summary = {
            'rows': len(self.plans),
            'users': {'updated': updated, 'unchanged': len(self.plans) - updated},
        }
        summary.update(by_action(self.announced))
        summary['events'] = self.event_count
        return summary

    def answer(self):
        """(JSON body, HTTP status), made once: a request key stores the same answer."""
        if self._answer is None:
            key = 'updated' if self.is_update else 'created'
            status = 200 if self.dry_run or self.is_update else 201
            self._answer = (self.body(key), status)
        return self._answer

    def body(self, key):
        body = {key: self.entries()}
        if self.dry_run:
            body = {'dry_run': True, key: body[key], 'summary': self.summary()}
        elif self.is_update:
            body['summary'] = self.summary()
        if self.notices:
            body['warnings'] = [notice.as_json() for notice in self.notices]
        return body
