# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The events confd's notifiers send for what an import creates (in the order confd's built-in
import sends them for each row) and for what an update changes (those of the single-resource
PUTs that would make the same change), built with wazo-bus's own event classes; and the
Asterisk reloads those notifiers ask sysconfd for."""

from wazo_bus.resources.endpoint_sccp.event import SCCPEndpointCreatedEvent
from wazo_bus.resources.endpoint_sip.event import (
    SIPEndpointCreatedEvent,
    SIPEndpointEditedEvent,
)
from wazo_bus.resources.extension.event import (
    ExtensionCreatedEvent,
    ExtensionEditedEvent,
)
from wazo_bus.resources.incall.event import IncallCreatedEvent, IncallEditedEvent
from wazo_bus.resources.incall_extension.event import IncallExtensionAssociatedEvent
from wazo_bus.resources.line.event import LineCreatedEvent, LineEditedEvent
from wazo_bus.resources.line_endpoint.event import (
    LineEndpointSCCPAssociatedEvent,
    LineEndpointSIPAssociatedEvent,
)
from wazo_bus.resources.line_extension.event import LineExtensionAssociatedEvent
from wazo_bus.resources.user.event import UserCreatedEvent, UserEditedEvent
from wazo_bus.resources.user_call_permission.event import (
    UserCallPermissionAssociatedEvent,
    UserCallPermissionDissociatedEvent,
)
from wazo_bus.resources.user_line.event import UserLineAssociatedEvent
from wazo_bus.resources.user_voicemail.event import UserVoicemailAssociatedEvent
from wazo_bus.resources.voicemail.event import (
    UserVoicemailEditedEvent,
    VoicemailCreatedEvent,
    VoicemailEditedEvent,
)

from .update import added_parts, user_changes

# What confd's notifiers ask sysconfd for, per event (their `ipbx` commands).
USER = (
    'dialplan reload',
    'module reload chan_sccp.so',
    'module reload app_queue.so',
    'module reload res_pjsip.so',
)
RELOADS = {
    'user_created': USER,
    'line_created': (
        'module reload res_pjsip.so',
        'dialplan reload',
        'module reload chan_sccp.so',
    ),
    'sip_endpoint_edited': ('module reload res_pjsip.so', 'dialplan reload'),
    'extension_created': ('dialplan reload',),
    'line_extension_associated': (
        'dialplan reload',
        'module reload res_pjsip.so',
        'module reload app_queue.so',
    ),
    'user_line_associated': ('dialplan reload', 'module reload res_pjsip.so'),
    'line_endpoint_sip_associated': ('module reload res_pjsip.so',),
    'line_endpoint_sccp_associated': ('module reload chan_sccp.so',),
    'incall_extension_associated': ('dialplan reload',),
    'voicemail_created': ('voicemail reload',),
    'user_voicemail_associated': (
        'module reload res_pjsip.so',
        'module reload chan_sccp.so',
    ),
    'user_edited': USER,
    'line_edited': (
        'module reload res_pjsip.so',
        'dialplan reload',
        'module reload chan_sccp.so',
    ),
    'extension_edited': (
        'dialplan reload',
        'module reload res_pjsip.so',
        'module reload chan_sccp.so',
        'module reload app_queue.so',
    ),
    'voicemail_edited': (
        'voicemail reload',
        'module reload res_pjsip.so',
        'module reload chan_sccp.so',
    ),
}


class Reloads:
    """The reload commands of the events that pass through `noted` (events are streamed into
    the outbox: they are seen once)."""

    def __init__(self):
        self.commands = []

    def noted(self, events):
        for event in events:
            for command in RELOADS.get(event.name, ()):
                if command not in self.commands:
                    self.commands.append(command)
            yield event


def _sip(sip, tenant_uuid):
    return {
        'uuid': sip['uuid'],
        'tenant_uuid': tenant_uuid,
        'name': sip['name'],
        'label': None,
        'auth_section_options': [['username', sip['username']]],
        'registration_section_options': [],
        'trunk': None,
        'line': None,
    }


def created(plan, tenant_uuid):
    """The events of one row of an import, in confd's order."""
    user = plan.user
    return [
        UserCreatedEvent(
            user['id'],
            user['uuid'],
            user['subscription_type'],
            user['created_at'],
            tenant_uuid,
        )
    ] + _created_parts(plan, tenant_uuid)


def _created_parts(plan, tenant_uuid):
    """The events of what a row creates besides the user, in confd's order."""
    user, line, sip, sccp = plan.user, plan.line, plan.sip, plan.sccp
    found = []
    voicemail = plan.voicemail
    if voicemail is not None and 'voicemail' not in plan.reused:
        found.append(VoicemailCreatedEvent(voicemail['id'], tenant_uuid))
    if line is not None:
        found.append(
            LineCreatedEvent(
                {
                    'id': line['id'],
                    'protocol': None,
                    'name': None,
                    'tenant_uuid': tenant_uuid,
                },
                tenant_uuid,
            )
        )
        if plan.extension is not None and 'extension' not in plan.reused:
            extension = plan.extension
            found.append(
                ExtensionCreatedEvent(
                    extension['id'],
                    extension['exten'],
                    extension['context'],
                    tenant_uuid,
                )
            )
    for planned in plan.incalls:
        if not planned.reused:
            extension = planned.extension
            found.append(
                ExtensionCreatedEvent(
                    extension['id'],
                    extension['exten'],
                    extension['context'],
                    tenant_uuid,
                )
            )
        found.append(IncallCreatedEvent(planned.incall['id'], tenant_uuid))
    if sip is not None:
        found.append(SIPEndpointCreatedEvent(_sip(sip, tenant_uuid), tenant_uuid))
        found.append(SIPEndpointEditedEvent(_sip(sip, tenant_uuid), tenant_uuid))
    if sccp is not None:
        found.append(
            SCCPEndpointCreatedEvent(
                {'id': sccp['id'], 'tenant_uuid': tenant_uuid, 'line': None},
                tenant_uuid,
            )
        )
    if voicemail is not None:
        found.append(
            UserVoicemailAssociatedEvent(voicemail['id'], tenant_uuid, user['uuid'])
        )
    if line is not None:
        line_ref = {'id': line['id'], 'tenant_uuid': tenant_uuid, 'name': line['name']}
        if sip is not None:
            found.append(
                LineEndpointSIPAssociatedEvent(
                    line_ref,
                    {
                        'uuid': sip['uuid'],
                        'tenant_uuid': tenant_uuid,
                        'label': None,
                        'name': sip['name'],
                        'auth_section_options': [['username', sip['username']]],
                    },
                    tenant_uuid,
                )
            )
        else:
            found.append(
                LineEndpointSCCPAssociatedEvent(
                    line_ref,
                    {'id': sccp['id'], 'tenant_uuid': tenant_uuid},
                    tenant_uuid,
                )
            )
        found.append(
            UserLineAssociatedEvent(
                {'id': user['id'], 'uuid': user['uuid'], 'tenant_uuid': tenant_uuid},
                {
                    'id': line['id'],
                    'name': line['name'],
                    'endpoint_sip': {'uuid': sip['uuid']} if sip is not None else None,
                    'endpoint_sccp': {'id': sccp['id']} if sccp is not None else None,
                    'endpoint_custom': None,
                },
                True,
                True,
                tenant_uuid,
            )
        )
        if plan.extension is not None:
            found.append(
                LineExtensionAssociatedEvent(
                    line['id'], plan.extension['id'], tenant_uuid
                )
            )
    for planned in plan.incalls:
        found.append(
            IncallExtensionAssociatedEvent(
                planned.incall['id'], planned.extension['id'], tenant_uuid
            )
        )
    for permission_id in plan.call_permission_ids:
        found.append(
            UserCallPermissionAssociatedEvent(permission_id, tenant_uuid, user['uuid'])
        )
    return found


def updated(plan, tenant_uuid, seen, voicemail_users):
    """The events of one row of an update: those confd sends for the PUTs (and associations)
    that would make the same changes, only for what changed; nothing for an unchanged row.

    seen: resources already announced by an earlier row (a shared voicemail);
    voicemail_users: {voicemail id: [user uuid]} of the edited voicemails."""
    user, state = plan.user, plan.state
    found = []
    if user_changes(plan):
        found.append(
            UserEditedEvent(
                user['id'],
                user['uuid'],
                user['subscription_type'],
                user['created_at'],
                tenant_uuid,
            )
        )
    found += _created_parts(added_parts(plan), tenant_uuid)
    if state.line is not None and plan.line is not None:
        found += _line_edits(plan, tenant_uuid)
    current = state.voicemail
    if (
        current is not None
        and plan.voicemail != current
        and ('voicemail', current['id']) not in seen
    ):
        seen.add(('voicemail', current['id']))
        found.append(VoicemailEditedEvent(current['id'], tenant_uuid))
        found += [
            UserVoicemailEditedEvent(current['id'], tenant_uuid, user_uuid)
            for user_uuid in voicemail_users.get(current['id'], ())
        ]
    for planned in plan.incalls:
        if planned.current is None:
            continue
        incall, extension = planned.current
        if planned.incall['ring_seconds'] != incall['ring_seconds']:
            found.append(IncallEditedEvent(incall['id'], tenant_uuid))
        if planned.extension != extension:
            found.append(_extension_edited(planned.extension, tenant_uuid))
    before = state.call_permission_ids
    found += [
        UserCallPermissionDissociatedEvent(cp_id, tenant_uuid, user['uuid'])
        for cp_id in before
        if cp_id not in plan.call_permission_ids
    ]
    found += [
        UserCallPermissionAssociatedEvent(cp_id, tenant_uuid, user['uuid'])
        for cp_id in plan.call_permission_ids
        if cp_id not in before
    ]
    return found


def _line_edits(plan, tenant_uuid):
    line, state = plan.line, plan.state
    sip = plan.sip
    found = []
    name = sip['username'] if sip is not None else state.line['name']
    if line['provisioning_code'] != state.line['provisioning_code']:
        found.append(
            LineEditedEvent(
                {
                    'id': line['id'],
                    'name': name,
                    'tenant_uuid': tenant_uuid,
                    'protocol': 'sccp' if plan.sccp is not None else 'sip',
                },
                tenant_uuid,
            )
        )
    if sip is not None and sip != state.sip:
        payload = _sip(
            {'uuid': sip['id'], 'name': sip['username'], 'username': sip['username']},
            tenant_uuid,
        )
        payload['line'] = {'id': line['id']}
        found.append(SIPEndpointEditedEvent(payload, tenant_uuid))
    if state.extension is not None and plan.extension != state.extension:
        found.append(_extension_edited(plan.extension, tenant_uuid))
    elif state.extension is None and plan.extension is not None:
        if 'extension' not in plan.reused:
            found.append(
                ExtensionCreatedEvent(
                    plan.extension['id'],
                    plan.extension['exten'],
                    plan.extension['context'],
                    tenant_uuid,
                )
            )
        found.append(
            LineExtensionAssociatedEvent(line['id'], plan.extension['id'], tenant_uuid)
        )
    return found


def _extension_edited(extension, tenant_uuid):
    return ExtensionEditedEvent(
        extension['id'], extension['exten'], extension['context'], tenant_uuid
    )
