# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Events the single-resource confd API sends, with the payloads of the spec."""

from dataclasses import dataclass


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
