"""What an import did: one entry per row, a summary, and the events to publish."""
from collections import Counter


def _id(resource):
    return resource['id'] if resource is not None else None


class ImportResult:
    def __init__(self, plans, events, dry_run=False):
        self.plans = plans
        self.events = events
        self.dry_run = dry_run

    def entries(self):
        return [self.entry(plan) for plan in self.plans]

    @staticmethod
    def entry(plan):
        user = plan.user
        return {
            'row_number': plan.row.row_number,
            'user_id': user['id'],
            'user_uuid': user['uuid'],
            'cti_profile_id': user.get('cti_profile_id'),
            'line_id': _id(plan.line),
            'sip_id': _id(plan.sip),
            'sccp_id': _id(plan.sccp),
            'extension_id': _id(plan.extension),
            'incall_id': _id(plan.incall),
            'incall_extension_id': _id(plan.incall_extension),
            'voicemail_id': _id(plan.voicemail),
            'call_permission_ids': list(plan.call_permission_ids),
            'reused': list(plan.reused),
        }

    def summary(self):
        created, reused = Counter(), Counter()
        for plan in self.plans:
            created['user'] += 1
            for name, label in (('line', 'line'), ('sip', 'sip_endpoint'),
                                ('sccp', 'sccp_endpoint'), ('incall', 'incall')):
                if getattr(plan, name) is not None:
                    created[label] += 1
            for name in ('extension', 'incall_extension', 'voicemail'):
                if getattr(plan, name) is not None:
                    (reused if name in plan.reused else created)[name] += 1
            if plan.call_permission_ids:
                created['call_permission_association'] += len(plan.call_permission_ids)
        return {'rows': len(self.plans), 'created': dict(created), 'reused': dict(reused),
                'events': len(self.events)}

    def body(self, key):
        body = {key: self.entries()}
        if self.dry_run:
            body = {'dry_run': True, key: body[key], 'summary': self.summary()}
        return body
