# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every column rule of the catalogue, with a valid and an invalid value."""

import pytest

from wazo_confd_users_csv import columns, schemas


def load(name, raw):
    schema = schemas.schema_for((name,))
    values, errors = schemas.load_row(schema, {name: raw})
    return values.get(name), errors.get(name)


VALID = [
    (
        'uuid',
        '6f0a9c1e-4f4b-4f5e-9a53-0b1a2c3d4e5f',
        '6f0a9c1e-4f4b-4f5e-9a53-0b1a2c3d4e5f',
    ),
    ('entity_id', '12', 12),
    ('firstname', 'José', 'José'),
    ('firstname', 'x' * 128, 'x' * 128),
    ('lastname', 'x' * 128, 'x' * 128),
    ('email', 'John.Doe@example.com', 'John.Doe@example.com'),
    ('language', 'fr_CA', 'fr_CA'),
    ('mobile_phone_number', '+15551234*#', '+15551234*#'),
    ('outgoing_caller_id', '"Sales" <5551234>', '"Sales" <5551234>'),
    ('call_permission_password', '12*#', '12*#'),
    ('enabled', '0', False),
    ('enabled', '1', True),
    ('ring_seconds', '0', 0),
    ('ring_seconds', '60', 60),
    ('simultaneous_calls', '1', 1),
    ('simultaneous_calls', '20', 20),
    ('supervision_enabled', '1', True),
    ('call_transfer_enabled', '0', False),
    ('dtmf_hangup_enabled', '1', True),
    ('username', "jd~!$&'()*+,;=%", "jd~!$&'()*+,;=%"),
    ('password', 'abcd', 'abcd'),
    ('cti_profile_name', 'Client', 'Client'),
    ('cti_profile_enabled', '1', True),
    ('voicemail_name', 'Box of John', 'Box of John'),
    ('voicemail_number', '1000', '1000'),
    ('voicemail_context', 'default', 'default'),
    ('voicemail_password', '12#4', '12#4'),
    ('voicemail_email', 'vm@example.com', 'vm@example.com'),
    ('voicemail_attach_audio', '1', True),
    ('voicemail_delete_messages', '0', False),
    ('voicemail_ask_password', '1', True),
    ('line_protocol', 'sccp', 'sccp'),
    ('provisioning_code', '123456', '123456'),
    ('context', 'default', 'default'),
    ('sip_username', 'Ab_9-x', 'Ab_9-x'),
    ('sip_secret', 'p@ss word!', 'p@ss word!'),
    ('exten', '1000', '1000'),
    ('incall_exten', '5551000', ['5551000']),
    ('incall_exten', '2000;2001', ['2000', '2001']),
    ('incall_context', 'from-extern', ['from-extern']),
    ('incall_context', 'a;b', ['a', 'b']),
    ('incall_ring_seconds', '25', [25]),
    ('incall_ring_seconds', '25;;0', [25, None, 0]),
    ('call_permissions', 'b;a;;b; c ', ['b', 'a', 'c']),
    ('call_permissions', '', []),
]

INVALID = [
    ('uuid', 'not-a-uuid', 'must be a UUID'),
    ('entity_id', '-1', 'digits only (got -1)'),
    ('entity_id', ' 1', 'digits only'),
    ('entity_id', '1.0', 'digits only'),
    ('entity_id', '9' * 5000, 'at most 9 digits'),
    ('entity_id', '١٢', 'digits only'),
    ('firstname', 'x' * 129, 'at most 128 characters'),
    ('lastname', 'x' * 129, 'at most 128 characters'),
    ('email', 'john.example.com', 'a valid email address'),
    ('email', 'x' * 250 + '@a.bc', 'at most 254 characters'),
    ('language', 'en', 'must be one of de_DE, en_US, es_ES, fr_FR, fr_CA (got en)'),
    ('mobile_phone_number', '555-1234', '+ optional, then digits, * or #'),
    ('outgoing_caller_id', 'x' * 81, 'at most 80 characters'),
    ('call_permission_password', '12a', '1 to 16 of digits, * and #'),
    ('enabled', 'yes', 'must be 0 (false) or 1 (true) (got yes)'),
    ('enabled', 'true', 'must be 0 (false) or 1 (true)'),
    ('ring_seconds', '7', 'must be a multiple of 5 between 0 and 60 (got 7)'),
    ('ring_seconds', '65', 'multiple of 5 between 0 and 60'),
    ('simultaneous_calls', '0', 'must be between 1 and 20 (got 0)'),
    ('simultaneous_calls', '21', 'between 1 and 20'),
    ('supervision_enabled', '2', '0 (false) or 1 (true)'),
    ('call_transfer_enabled', 'no', '0 (false) or 1 (true)'),
    ('dtmf_hangup_enabled', 'on', '0 (false) or 1 (true)'),
    ('username', 'a', '2 to 254 of letters'),
    ('username', 'john doe', '2 to 254 of letters'),
    ('password', 'abc', '4 to 64 of letters'),
    ('cti_profile_name', 'x' * 129, 'at most 128 characters'),
    ('cti_profile_enabled', 'Y', '0 (false) or 1 (true)'),
    ('voicemail_name', 'x' * 81, 'at most 80 characters'),
    ('voicemail_number', '10a0', '1 to 40 digits'),
    ('voicemail_context', 'x' * 80, 'at most 79 characters'),
    ('voicemail_password', '12a', '1 to 80 of digits and #'),
    ('voicemail_email', 'nope', 'a valid email address'),
    ('voicemail_attach_audio', 'x', '0 (false) or 1 (true)'),
    ('voicemail_delete_messages', 'x', '0 (false) or 1 (true)'),
    ('voicemail_ask_password', 'x', '0 (false) or 1 (true)'),
    ('line_protocol', 'iax', 'must be one of sip, sccp (got iax)'),
    ('line_protocol', 'SIP', 'must be one of sip, sccp'),
    ('provisioning_code', '012345', 'six digits, not starting with 0'),
    ('provisioning_code', '12345', 'six digits, not starting with 0'),
    ('context', 'x' * 80, 'at most 79 characters'),
    ('sip_username', 'john doe', '1 to 40 of letters, digits, _ and -'),
    ('sip_secret', 'pässword', '1 to 80 printable ASCII characters'),
    ('exten', '10a', 'digits only'),
    ('incall_exten', '+1555', 'digits only'),
    ('incall_exten', '2000;20a1', 'digits only (got 20a1)'),
    ('incall_context', 'x' * 80, 'at most 79 characters'),
    ('incall_ring_seconds', '3', 'multiple of 5 between 0 and 60'),
    ('incall_ring_seconds', '5;3', 'multiple of 5 between 0 and 60 (got 3)'),
]


@pytest.mark.parametrize('name,raw,expected', VALID)
def test_valid_values_load(name, raw, expected):
    value, error = load(name, raw)
    assert error is None
    assert value == expected


@pytest.mark.parametrize('name,raw,message', INVALID)
def test_invalid_values_say_what_is_allowed(name, raw, message):
    value, error = load(name, raw)
    assert value is None
    assert message in error


def test_every_column_has_a_valid_and_an_invalid_case():
    assert {name for name, _, _ in VALID} == set(columns.NAMES)
    assert {name for name, _, _ in INVALID} == set(columns.NAMES) - {'call_permissions'}


@pytest.mark.parametrize('name', [n for n in columns.NAMES if n != 'call_permissions'])
def test_empty_cell_is_null(name):
    assert load(name, '') == (None, None)


def test_secret_values_are_never_echoed():
    value, error = load('sip_secret', 'pässword')
    assert 'pässword' not in error
    assert '(got ********)' in error


def test_one_schema_per_header_reports_several_errors():
    schema = schemas.schema_for(('firstname', 'ring_seconds', 'enabled'))
    values, errors = schemas.load_row(
        schema, {'firstname': 'A', 'ring_seconds': '7', 'enabled': 'x'}
    )
    assert values == {'firstname': 'A'}
    assert set(errors) == {'ring_seconds', 'enabled'}


def test_columns_are_in_export_order_of_the_spec():
    assert columns.EXPORT_ORDER == (
        'uuid',
        'entity_id',
        'firstname',
        'lastname',
        'email',
        'mobile_phone_number',
        'outgoing_caller_id',
        'language',
        'call_permission_password',
        'enabled',
        'ring_seconds',
        'simultaneous_calls',
        'supervision_enabled',
        'call_transfer_enabled',
        'dtmf_hangup_enabled',
        'username',
        'password',
        'cti_profile_name',
        'cti_profile_enabled',
        'voicemail_name',
        'voicemail_number',
        'voicemail_context',
        'voicemail_password',
        'voicemail_email',
        'voicemail_attach_audio',
        'voicemail_delete_messages',
        'voicemail_ask_password',
        'line_protocol',
        'provisioning_code',
        'context',
        'sip_username',
        'sip_secret',
        'exten',
        'incall_exten',
        'incall_context',
        'incall_ring_seconds',
        'call_permissions',
    )
