# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The standalone host's events: those the single-resource confd API sends, with the payloads
of the spec, for what an import creates and what an update changes (in row order)."""

from dataclasses import dataclass

from ...services.call_permission import permission_changes


@dataclass(frozen=True, slots=True)  # a big file makes hundreds of thousands of them
class Event:
    name: str
    data: dict

    @property
    def required_access(self):
        return f'event.{self.name}'


def user(name, user):
    return Event(
        name, {'id': user['id'], 'uuid': user['uuid'], 'entity_id': user['entity_id']}
    )


def user_cti_profile_edited(user):
    return Event(
        'user_cti_profile_edited',
        {
            'user_uuid': user['uuid'],
            'cti_profile_id': user['cti_profile_id'],
            'enabled': bool(user['cti_profile_enabled']),
        },
    )


def line(name, line):
    return Event(
        name,
        {
            'id': line['id'],
            'protocol': line['protocol'],
            'name': line['name'],
            'context': line['context'],
            'provisioning_code': line['provisioning_code'],
        },
    )


def sip_endpoint(name, endpoint, line_id):
    return Event(
        name,
        {'id': endpoint['id'], 'username': endpoint['username'], 'line_id': line_id},
    )


def sccp_endpoint_created(endpoint, line_id):
    return Event('sccp_endpoint_created', {'id': endpoint['id'], 'line_id': line_id})


def extension(name, extension):
    return Event(
        name,
        {
            'id': extension['id'],
            'exten': extension['exten'],
            'context': extension['context'],
        },
    )


def voicemail(name, voicemail):
    return Event(
        name,
        {
            'id': voicemail['id'],
            'number': voicemail['number'],
            'context': voicemail['context'],
        },
    )


def incall(name, incall):
    return Event(name, {'id': incall['id']})


def user_line_associated(user, line_id, main_user=True, main_line=True):
    return Event(
        'user_line_associated',
        {
            'user_id': user['id'],
            'user_uuid': user['uuid'],
            'line_id': line_id,
            'main_user': main_user,
            'main_line': main_line,
        },
    )


def line_extension_associated(line_id, extension_id):
    return Event(
        'line_extension_associated', {'line_id': line_id, 'extension_id': extension_id}
    )


def user_voicemail_associated(user, voicemail_id):
    return Event(
        'user_voicemail_associated',
        {'user_uuid': user['uuid'], 'voicemail_id': voicemail_id},
    )


def incall_extension_associated(incall_id, extension_id):
    return Event(
        'incall_extension_associated',
        {'incall_id': incall_id, 'extension_id': extension_id},
    )


def user_call_permission(name, user, call_permission_id):
    return Event(
        name, {'user_uuid': user['uuid'], 'call_permission_id': call_permission_id}
    )


# What an import creates, per resource, in the order of the rows' checks.


def created(plan):
    """The events of one imported row."""
    user_ = plan.user
    found = [user('user_created', user_)]
    if user_.get('cti_profile_id') is not None:
        found.append(user_cti_profile_edited(user_))
    if plan.line is not None:
        found += _line_created(plan)
    for planned in plan.incalls:
        found += _incall_created(planned)
    if plan.voicemail is not None:
        found += _voicemail_created(plan)
    found += [
        user_call_permission('user_call_permission_associated', user_, cp_id)
        for cp_id in plan.call_permission_ids
    ]
    return found


def _line_created(plan):
    line_ = plan.line
    found = [line('line_created', line_)]
    if plan.sip is not None:
        found.append(sip_endpoint('sip_endpoint_created', plan.sip, line_['id']))
    else:
        found.append(sccp_endpoint_created(plan.sccp, line_['id']))
    if 'extension' not in plan.reused:
        found.append(extension('extension_created', plan.extension))
    found.append(user_line_associated(plan.user, line_['id']))
    found.append(line_extension_associated(line_['id'], plan.extension['id']))
    return found


def _incall_created(planned):
    found = [incall('incall_created', planned.incall)]
    if not planned.reused:
        found.append(extension('extension_created', planned.extension))
    found.append(
        incall_extension_associated(planned.incall['id'], planned.extension['id'])
    )
    return found


def _voicemail_created(plan):
    found = (
        []
        if 'voicemail' in plan.reused
        else [voicemail('voicemail_created', plan.voicemail)]
    )
    return found + [user_voicemail_associated(plan.user, plan.voicemail['id'])]


# What an update changes; a row that changes nothing sends none.

PROFILE_FIELDS = (
    'cti_profile_id',
    'cti_profile_enabled',
)  # their change is its own event


def updated(plans):
    """The events of an update, in row order. Resources shared by several rows (a voicemail)
    are edited, and announced, once."""
    seen: set[tuple[str, int]] = set()
    for plan in plans:
        yield from _row_updated(plan, seen)


def _row_updated(plan, seen):
    current = plan.state
    user_ = plan.user
    if any(
        user_[name] != current.user[name]
        for name in user_
        if name not in PROFILE_FIELDS
    ):
        yield user('user_edited', user_)
    if any(user_[name] != current.user[name] for name in PROFILE_FIELDS):
        yield user_cti_profile_edited(user_)
    yield from _line_updated(plan)
    for planned in plan.incalls:
        yield from (
            _incall_created(planned)
            if planned.current is None
            else _incall_edited(planned)
        )
    yield from _voicemail_updated(plan, seen)
    added, removed = permission_changes(plan)
    for cp_id in removed:
        yield user_call_permission('user_call_permission_dissociated', user_, cp_id)
    for cp_id in added:
        yield user_call_permission('user_call_permission_associated', user_, cp_id)


def _line_updated(plan):
    if plan.line is None:
        return []
    current = plan.state
    if current.line is None:
        return _line_created(plan)
    found = []
    if plan.line != current.line:
        found.append(line('line_edited', plan.line))
    if plan.sip is not None and plan.sip != current.sip:
        found.append(sip_endpoint('sip_endpoint_edited', plan.sip, plan.line['id']))
    if current.extension is not None and plan.extension != current.extension:
        found.append(extension('extension_edited', plan.extension))
    if current.extension is None and plan.extension is not None:
        if 'extension' not in plan.reused:
            found.append(extension('extension_created', plan.extension))
        found.append(line_extension_associated(plan.line['id'], plan.extension['id']))
    return found


def _incall_edited(planned):
    incall_, extension_ = planned.current
    found = []
    if planned.incall != incall_:
        found.append(incall('incall_edited', planned.incall))
    if planned.extension != extension_:
        found.append(extension('extension_edited', planned.extension))
    return found


def _voicemail_updated(plan, seen):
    current = plan.state.voicemail
    if current is None:
        return _voicemail_created(plan) if plan.voicemail is not None else []
    if plan.voicemail != current and ('voicemail', current['id']) not in seen:
        seen.add(('voicemail', current['id']))
        return [voicemail('voicemail_edited', plan.voicemail)]
    return []
