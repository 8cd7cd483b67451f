# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The column catalogue: the one description of the CSV format.

Parsing, the marshmallow schemas, validation messages, the export order, the columns endpoint
and the tables of docs/csv-format.md all read this list. Columns are declared in export order.
"""

import re
import uuid as uuid_module
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

# Groups: the user is always there; every other group is created when its columns have values.
USER = 'user'
CTI_PROFILE = 'cti_profile'
PHONE = 'phone'
INCALL = 'incall'
VOICEMAIL = 'voicemail'
CALL_PERMISSIONS = 'call_permissions'
GROUPS = (USER, CTI_PROFILE, PHONE, INCALL, VOICEMAIL, CALL_PERMISSIONS)

# Types of a cell.
STRING, INT, BOOL, LIST = 'string', 'int', 'bool', 'list'

# Where a file is imported: the standalone host's own tables, or Wazo's inside wazo-confd.
OWN, WAZO = 'own', 'wazo'
BACKENDS = (OWN, WAZO)

# When a column must have a value.
ALWAYS = 'always'  # on every row
IN_GROUP = 'in_group'  # when any column of its group has a value
IF_ENABLED = 'if_enabled'  # when cti_profile_enabled is 1
ON_UPDATE = 'on_update'  # only on PUT (the uuid)
OPTIONAL = 'optional'

Rule = Callable[[object], Optional[str]]


@dataclass(frozen=True)
class Column:
    name: str
    group: str
    type: str
    description: str
    required: str = OPTIONAL
    allowed: str = ''
    rule: Optional[Rule] = None
    max_length: Optional[int] = None
    default: object = None
    secret: bool = False
    # Several values separated by ; aligned with the other multi columns of the group (incalls).
    multi: bool = False
    # Columns that a resource cannot be without: on update an empty cell is an error.
    not_nullable: bool = field(default=False)
    # Inside wazo-confd: what differs (rule, allowed, required, default, description) so that
    # a file made for confd's built-in import is judged by confd's own rules.
    wazo: Optional[dict] = None
    backends: tuple = BACKENDS
    # Where the value is kept: the standalone host's table.column, and Wazo's.
    stored: str = ''
    wazo_stored: str = ''
    # Read in Unicode's NFKC form: look-alike spellings (NFD, fullwidth) are one value.
    nfkc: bool = False

    def as_json(self):
        return {
            'name': self.name,
            'group': self.group,
            'type': self.type,
            'required': self.required,
            'allowed': self.allowed,
            'default': self.default,
            'description': self.description,
            'stored': self.stored,
        }

    def for_backend(self, backend):
        if backend == WAZO:
            changes = dict(self.wazo or {}, stored=self.wazo_stored)
            return replace(self, **changes)
        return self


# ---- rules: each returns None when the value is fine, or what is allowed -------------------


def _length(low, high):
    def rule(value):
        if not low <= len(value) <= high:
            return f'must be {low} to {high} characters long'
        return None

    return rule


def _matches(pattern, allowed):
    compiled = re.compile(pattern)

    def rule(value):
        return None if compiled.fullmatch(value) else f'must be {allowed}'

    return rule


def _all(*rules):
    def rule(value):
        for one in rules:
            message = one(value)
            if message:
                return message
        return None

    return rule


def _one_of(values):
    def rule(value):
        return None if value in values else f'must be one of {", ".join(values)}'

    return rule


def _between(low, high, step=1):
    def rule(value):
        if low <= value <= high and value % step == 0:
            return None
        if step > 1:
            return f'must be a multiple of {step} between {low} and {high}'
        return f'must be between {low} and {high}'

    return rule


def _uuid(value):
    try:
        uuid_module.UUID(value)
    except ValueError:
        return 'must be a UUID such as 6f0a9c1e-4f4b-4f5e-9a53-0b1a2c3d4e5f'
    return None


EMAIL_PATTERN = r'[^@\s]+@[^@\s]+\.[^@\s]+'
LANGUAGES = ('de_DE', 'en_US', 'es_ES', 'fr_FR', 'fr_CA')
CTI_CHARS = r"A-Za-z0-9\-._~!$&'()*+,;=%"
CTI_CHARS_TEXT = "letters, digits and - . _ ~ ! $ & ' ( ) * + , ; = %"
RING_SECONDS = _between(0, 60, 5)

_email = _matches(EMAIL_PATTERN, 'a valid email address such as jane@example.com')

COLUMNS: tuple[Column, ...] = (
    Column(
        'uuid',
        USER,
        STRING,
        'Identifies the user: generated on create when empty, '
        'selects the user on update',
        required=ON_UPDATE,
        allowed='a UUID',
        rule=_uuid,
        max_length=36,
    ),
    Column(
        'entity_id',
        USER,
        INT,
        'Id of the entity the user belongs to',
        required=ALWAYS,
        allowed='id of an existing entity',
        not_nullable=True,
    ),
    Column(
        'firstname',
        USER,
        STRING,
        "User's first name",
        required=ALWAYS,
        allowed='1 to 128 characters',
        rule=_length(1, 128),
        max_length=128,
        not_nullable=True,
    ),
    Column(
        'lastname',
        USER,
        STRING,
        "User's last name",
        allowed='up to 128 characters',
        max_length=128,
    ),
    Column(
        'email',
        USER,
        STRING,
        "User's email, unique among users (case-insensitive)",
        allowed='a valid address, up to 254 characters',
        rule=_email,
        max_length=254,
        nfkc=True,
    ),
    Column(
        'mobile_phone_number',
        USER,
        STRING,
        'Mobile phone number',
        allowed='+ optional, then digits, * or #; up to 80 characters',
        rule=_matches(r'\+?[0-9*#]+', '+ optional, then digits, * or #'),
        max_length=80,
    ),
    Column(
        'outgoing_caller_id',
        USER,
        STRING,
        'Caller id shown on outgoing calls',
        allowed='up to 80 characters',
        max_length=80,
    ),
    Column(
        'language',
        USER,
        STRING,
        "User's language",
        allowed=', '.join(LANGUAGES),
        rule=_one_of(LANGUAGES),
    ),
    Column(
        'call_permission_password',
        USER,
        STRING,
        "Replaces the passwords of the user's call permissions",
        allowed='1 to 16 of digits, * and #',
        rule=_matches(r'[0-9*#]{1,16}', '1 to 16 of digits, * and #'),
        max_length=16,
        secret=True,
    ),
    Column(
        'enabled',
        USER,
        BOOL,
        'Enable or disable the user',
        allowed='0 or 1',
        default=True,
    ),
    Column(
        'ring_seconds',
        USER,
        INT,
        'Seconds a call rings before it ends',
        allowed='0 to 60, a multiple of 5',
        rule=RING_SECONDS,
        default=30,
    ),
    Column(
        'simultaneous_calls',
        USER,
        INT,
        'Calls the user can have at the same time',
        allowed='1 to 20',
        rule=_between(1, 20),
        default=5,
    ),
    Column(
        'supervision_enabled',
        USER,
        BOOL,
        'Enable or disable supervision',
        allowed='0 or 1',
        default=True,
    ),
    Column(
        'call_transfer_enabled',
        USER,
        BOOL,
        'Enable or disable call transfers by DTMF',
        allowed='0 or 1',
        default=False,
    ),
    Column(
        'dtmf_hangup_enabled',
        USER,
        BOOL,
        'Enable or disable hangup by DTMF',
        allowed='0 or 1',
        default=False,
    ),
    # Columns of confd's built-in import: a file made for it imports unchanged (Wazo only).
    Column(
        'userfield',
        USER,
        STRING,
        'Free text for the administrator',
        allowed='up to 128 characters',
        max_length=128,
        backends=(WAZO,),
    ),
    Column(
        'subscription_type',
        USER,
        INT,
        'Subscription type of the user',
        allowed='0 to 10',
        rule=_between(0, 10),
        default=0,
        backends=(WAZO,),
    ),
    Column(
        'call_record_outgoing_external_enabled',
        USER,
        BOOL,
        'Record outgoing calls to outside numbers',
        allowed='0 or 1',
        default=False,
        backends=(WAZO,),
    ),
    Column(
        'call_record_outgoing_internal_enabled',
        USER,
        BOOL,
        'Record outgoing calls to other users',
        allowed='0 or 1',
        default=False,
        backends=(WAZO,),
    ),
    Column(
        'call_record_incoming_external_enabled',
        USER,
        BOOL,
        'Record incoming calls from outside',
        allowed='0 or 1',
        default=False,
        backends=(WAZO,),
    ),
    Column(
        'call_record_incoming_internal_enabled',
        USER,
        BOOL,
        'Record incoming calls from other users',
        allowed='0 or 1',
        default=False,
        backends=(WAZO,),
    ),
    Column(
        'online_call_record_enabled',
        USER,
        BOOL,
        'Allow the user to start recording during a call',
        allowed='0 or 1',
        default=False,
        backends=(WAZO,),
    ),
    Column(
        'username',
        CTI_PROFILE,
        STRING,
        'Client account username, unique among users',
        required=IF_ENABLED,
        allowed=f'2 to 254 of {CTI_CHARS_TEXT}',
        rule=_matches(f'[{CTI_CHARS}]{{2,254}}', f'2 to 254 of {CTI_CHARS_TEXT}'),
        max_length=254,
        nfkc=True,
    ),
    Column(
        'password',
        CTI_PROFILE,
        STRING,
        'Client account password',
        required=IF_ENABLED,
        allowed=f'4 to 64 of {CTI_CHARS_TEXT}',
        rule=_matches(f'[{CTI_CHARS}]{{4,64}}', f'4 to 64 of {CTI_CHARS_TEXT}'),
        max_length=64,
        secret=True,
    ),
    Column(
        'cti_profile_name',
        CTI_PROFILE,
        STRING,
        'Name of an existing CTI profile',
        required=IF_ENABLED,
        allowed='name of an existing CTI profile',
        max_length=128,
    ),
    Column(
        'cti_profile_enabled',
        CTI_PROFILE,
        BOOL,
        'Activates the client account',
        allowed='0 or 1',
    ),
    Column(
        'voicemail_name',
        VOICEMAIL,
        STRING,
        'Voicemail name',
        required=IN_GROUP,
        allowed='1 to 80 characters',
        rule=_length(1, 80),
        max_length=80,
        not_nullable=True,
    ),
    Column(
        'voicemail_number',
        VOICEMAIL,
        STRING,
        'Voicemail number',
        required=IN_GROUP,
        allowed='1 to 40 digits',
        rule=_matches(r'[0-9]{1,40}', '1 to 40 digits'),
        max_length=40,
        not_nullable=True,
    ),
    Column(
        'voicemail_context',
        VOICEMAIL,
        STRING,
        'Voicemail context',
        required=IN_GROUP,
        allowed='an internal context of the same entity as the user',
        max_length=79,
        not_nullable=True,
    ),
    Column(
        'voicemail_password',
        VOICEMAIL,
        STRING,
        'Voicemail password',
        allowed='1 to 80 of digits and #',
        rule=_matches(r'[0-9#]{1,80}', '1 to 80 of digits and #'),
        max_length=80,
        secret=True,
    ),
    Column(
        'voicemail_email',
        VOICEMAIL,
        STRING,
        'Email notified of new messages',
        allowed='a valid address, up to 80 characters',
        rule=_email,
        max_length=80,
        nfkc=True,
    ),
    Column(
        'voicemail_attach_audio',
        VOICEMAIL,
        BOOL,
        'Attach the audio file to the email',
        allowed='0 or 1',
        default=False,
    ),
    Column(
        'voicemail_delete_messages',
        VOICEMAIL,
        BOOL,
        'Delete the message once the email is sent',
        allowed='0 or 1',
        default=False,
    ),
    Column(
        'voicemail_ask_password',
        VOICEMAIL,
        BOOL,
        'Ask the password to listen to messages',
        allowed='0 or 1',
        default=True,
    ),
    Column(
        'line_protocol',
        PHONE,
        STRING,
        'Line protocol',
        required=IN_GROUP,
        allowed='sip, sccp',
        rule=_one_of(('sip', 'sccp')),
        not_nullable=True,
    ),
    Column(
        'provisioning_code',
        PHONE,
        STRING,
        'Code to provision the phone, unique',
        allowed='six digits, not starting with 0; generated when empty',
        rule=_matches(r'[1-9][0-9]{5}', 'six digits, not starting with 0'),
        max_length=6,
    ),
    Column(
        'context',
        PHONE,
        STRING,
        'Context of the phone number',
        required=IN_GROUP,
        allowed='an internal context of the same entity as the user',
        max_length=79,
        not_nullable=True,
    ),
    Column(
        'sip_username',
        PHONE,
        STRING,
        'SIP username (sip only), unique',
        allowed='1 to 40 of letters, digits, _ and -; generated when empty',
        rule=_matches(r'[A-Za-z0-9_-]{1,40}', '1 to 40 of letters, digits, _ and -'),
        max_length=40,
    ),
    Column(
        'sip_secret',
        PHONE,
        STRING,
        'SIP secret (sip only)',
        allowed='1 to 80 printable ASCII characters; generated when empty',
        rule=_matches(r'[\x20-\x7e]{1,80}', '1 to 80 printable ASCII characters'),
        max_length=80,
        secret=True,
    ),
    Column(
        'exten',
        PHONE,
        STRING,
        'Number for calling the user',
        required=IN_GROUP,
        allowed="digits inside a user range of the context",
        rule=_matches(r'[0-9]{1,40}', 'digits only'),
        max_length=40,
        not_nullable=True,
    ),
    Column(
        'incall_exten',
        INCALL,
        STRING,
        'Number for calling the user from outside',
        required=IN_GROUP,
        allowed='digits inside an incall range of incall_context; '
        'several incalls: values separated by ;',
        rule=_matches(r'[0-9]{1,40}', 'digits only'),
        max_length=40,
        not_nullable=True,
        multi=True,
    ),
    Column(
        'incall_context',
        INCALL,
        STRING,
        'Context of the incoming call',
        required=IN_GROUP,
        allowed='an incall context of the same entity as the user; several incalls: one per '
        'incall_exten, separated by ;',
        max_length=79,
        not_nullable=True,
        multi=True,
    ),
    Column(
        'incall_ring_seconds',
        INCALL,
        INT,
        'Seconds an incoming call rings',
        allowed='0 to 60, a multiple of 5; several incalls: one per incall_exten (may be '
        'empty), separated by ;',
        rule=RING_SECONDS,
        multi=True,
    ),
    Column(
        'call_permissions',
        CALL_PERMISSIONS,
        LIST,
        'Names of call permissions, separated by ;',
        allowed='names of existing call permissions, separated by ;',
    ),
)

# A voicemail's columns and the voicemail's fields they fill (shared by every backend's plans).
VOICEMAIL_FIELDS = {
    'voicemail_name': 'name',
    'voicemail_number': 'number',
    'voicemail_context': 'context',
    'voicemail_password': 'password',
    'voicemail_email': 'email',
    'voicemail_attach_audio': 'attach_audio',
    'voicemail_delete_messages': 'delete_messages',
    'voicemail_ask_password': 'ask_password',
}

# Where each column is kept: (standalone host, inside wazo-confd). Wazo's tables are xivo-dao's.
STORAGE = {
    'uuid': ('users_csv_user.uuid', 'userfeatures.uuid'),
    'entity_id': ('users_csv_user.entity_id', 'not stored: the tenant of the request'),
    'firstname': ('users_csv_user.firstname', 'userfeatures.firstname'),
    'lastname': ('users_csv_user.lastname', 'userfeatures.lastname'),
    'email': ('users_csv_user.email', 'userfeatures.email (and the wazo-auth user)'),
    'mobile_phone_number': (
        'users_csv_user.mobile_phone_number',
        'userfeatures.mobilephonenumber',
    ),
    'outgoing_caller_id': (
        'users_csv_user.outgoing_caller_id',
        'userfeatures.outcallerid',
    ),
    'language': ('users_csv_user.language', 'userfeatures.language'),
    'call_permission_password': (
        'users_csv_user.call_permission_password',
        'userfeatures.rightcallcode',
    ),
    'enabled': ('users_csv_user.enabled', 'userfeatures.commented (inverted)'),
    'ring_seconds': ('users_csv_user.ring_seconds', 'userfeatures.ringseconds'),
    'simultaneous_calls': (
        'users_csv_user.simultaneous_calls',
        'userfeatures.simultcalls',
    ),
    'supervision_enabled': (
        'users_csv_user.supervision_enabled',
        'userfeatures.enablehint',
    ),
    'call_transfer_enabled': (
        'users_csv_user.call_transfer_enabled',
        'userfeatures.enablexfer',
    ),
    'dtmf_hangup_enabled': (
        'users_csv_user.dtmf_hangup_enabled',
        'userfeatures.dtmf_hangup',
    ),
    'userfield': ('', 'userfeatures.userfield'),
    'subscription_type': ('', 'userfeatures.subscription_type'),
    'call_record_outgoing_external_enabled': (
        '',
        'userfeatures.call_record_outgoing_external_enabled',
    ),
    'call_record_outgoing_internal_enabled': (
        '',
        'userfeatures.call_record_outgoing_internal_enabled',
    ),
    'call_record_incoming_external_enabled': (
        '',
        'userfeatures.call_record_incoming_external_enabled',
    ),
    'call_record_incoming_internal_enabled': (
        '',
        'userfeatures.call_record_incoming_internal_enabled',
    ),
    'online_call_record_enabled': ('', 'userfeatures.enableonlinerec'),
    'username': ('users_csv_user.username', 'wazo-auth user: username'),
    'password': ('users_csv_user.password', 'wazo-auth user: password'),
    'cti_profile_name': (
        'users_csv_user.cti_profile_id',
        'not stored: CTI profiles were removed from Wazo',
    ),
    'cti_profile_enabled': (
        'users_csv_user.cti_profile_enabled',
        'wazo-auth user: enabled',
    ),
    'voicemail_name': ('users_csv_voicemail.name', 'voicemail.fullname'),
    'voicemail_number': ('users_csv_voicemail.number', 'voicemail.mailbox'),
    'voicemail_context': ('users_csv_voicemail.context', 'voicemail.context'),
    'voicemail_password': ('users_csv_voicemail.password', 'voicemail.password'),
    'voicemail_email': ('users_csv_voicemail.email', 'voicemail.email'),
    'voicemail_attach_audio': ('users_csv_voicemail.attach_audio', 'voicemail.attach'),
    'voicemail_delete_messages': (
        'users_csv_voicemail.delete_messages',
        'voicemail.deletevoicemail',
    ),
    'voicemail_ask_password': (
        'users_csv_voicemail.ask_password',
        'voicemail.skipcheckpass (inverted)',
    ),
    'line_protocol': (
        'users_csv_line.protocol',
        'linefeatures.endpoint_sip_uuid / endpoint_sccp_id',
    ),
    'provisioning_code': (
        'users_csv_line.provisioning_code',
        'linefeatures.provisioningid',
    ),
    'context': ('users_csv_line.context', 'linefeatures.context, extensions.context'),
    'sip_username': (
        'users_csv_sip_endpoint.username',
        'endpoint_sip.name, its auth section\'s username',
    ),
    'sip_secret': (
        'users_csv_sip_endpoint.secret',
        "endpoint_sip auth section's password",
    ),
    'exten': ('users_csv_extension.exten', 'extensions.exten'),
    'incall_exten': ('users_csv_extension.exten', 'extensions.exten (type incall)'),
    'incall_context': (
        'users_csv_extension.context',
        'extensions.context (type incall)',
    ),
    'incall_ring_seconds': ('users_csv_incall.ring_seconds', 'dialaction.actionarg2'),
    'call_permissions': ('users_csv_user_call_permission', 'rightcallmember'),
}

# Inside wazo-confd a column follows confd's own rule where it differs from the seed's.
LANGUAGE_PATTERN = r'[a-z]{2}_[A-Z]{2}'
WAZO_RULES = {
    'entity_id': {
        'required': OPTIONAL,
        'allowed': 'ignored: the tenant comes from the request '
        '(Wazo-Tenant or the token); one value per file',
        'not_nullable': False,
    },
    'language': {
        'allowed': 'a locale such as en_US or fr_FR',
        'rule': _matches(LANGUAGE_PATTERN, 'a locale such as en_US or fr_FR'),
    },
    'ring_seconds': {'allowed': '0 to 10800', 'rule': _between(0, 10800)},
    # inside wazo-confd contexts belong to tenants: the request's
    'context': {'allowed': "an internal context of the request's tenant"},
    'voicemail_context': {'allowed': "an internal context of the request's tenant"},
    'incall_context': {
        'allowed': "an incall context of the request's tenant; several incalls: one per "
        'incall_exten, separated by ;'
    },
    'username': {
        'required': OPTIONAL,
        'allowed': f'2 to 254 of {CTI_CHARS_TEXT} @',
        'rule': _matches(f'[{CTI_CHARS}@]{{2,254}}', f'2 to 254 of {CTI_CHARS_TEXT} @'),
        'description': 'Login of the wazo-auth user (default: the email)',
    },
    'password': {'required': OPTIONAL, 'description': 'Password of the wazo-auth user'},
    'cti_profile_name': {
        'required': OPTIONAL,
        'allowed': 'ignored with a warning: Wazo has no CTI profiles',
    },
    'cti_profile_enabled': {
        'description': 'Whether the wazo-auth user may log in (default 1)'
    },
    # as confd's built-in import: a line with a context and no number is a line without
    # an extension
    'exten': {'required': OPTIONAL},
    'line_protocol': {
        'allowed': 'sip, webrtc, sccp',
        'rule': _one_of(('sip', 'webrtc', 'sccp')),
    },
    'sip_username': {
        'allowed': '1 to 40 of letters, digits, _ and -; generated when empty '
        '(8 lowercase letters)'
    },
    # empty: Wazo's null, the voicemail then follows the general voicemail settings
    'voicemail_attach_audio': {'default': None},
    'incall_ring_seconds': {
        'allowed': '0 to 10800; several incalls: one per incall_exten',
        'rule': _between(0, 10800),
    },
}

ALL_COLUMNS = tuple(
    replace(
        column,
        stored=STORAGE[column.name][0],
        wazo_stored=STORAGE[column.name][1],
        wazo=WAZO_RULES.get(column.name),
    )
    for column in COLUMNS
)
# The module-level names describe the standalone host's catalogue (the seed's format).
COLUMNS = tuple(column for column in ALL_COLUMNS if OWN in column.backends)

BY_NAME = {column.name: column for column in COLUMNS}
NAMES = tuple(column.name for column in COLUMNS)
EXPORT_ORDER = NAMES
# Every host's: masked in errors, left out of exports without the secrets ACL, never compared
# for such a token (imports.unseen).
SECRET_COLUMNS = frozenset(column.name for column in ALL_COLUMNS if column.secret)


_BY_GROUP = {
    group: tuple(column for column in COLUMNS if column.group == group)
    for group in GROUPS
}
_REQUIRED_IN_GROUP = {
    group: tuple(c.name for c in _BY_GROUP[group] if c.required == IN_GROUP)
    for group in GROUPS
}


class Catalogue:
    """The columns one backend accepts, with that backend's rules."""

    def __init__(self, backend):
        self.backend = backend
        self.columns = tuple(
            column.for_backend(backend)
            for column in ALL_COLUMNS
            if backend in column.backends
        )
        self.by_name = {column.name: column for column in self.columns}
        self.names = tuple(column.name for column in self.columns)
        self._groups = {
            group: tuple(c for c in self.columns if c.group == group)
            for group in GROUPS
        }

    def group_columns(self, group):
        return self._groups[group]

    def required_in_group(self, group):
        return tuple(c.name for c in self._groups[group] if c.required == IN_GROUP)


CATALOGUES = {backend: Catalogue(backend) for backend in BACKENDS}
WAZO_ONLY = frozenset(CATALOGUES[WAZO].names) - frozenset(CATALOGUES[OWN].names)


def group_columns(group):
    return _BY_GROUP[group]


def required_in_group(group):
    return _REQUIRED_IN_GROUP[group]


def canonical_uuid(value):
    """The one spelling of a UUID used for storage and comparison (lower case, hyphens)."""
    return str(uuid_module.UUID(value))


def describe(value, column):
    """How an offending value is quoted in a message: never echo a secret."""
    if column is not None and column.secret:
        return '********'
    text = str(value)
    return text if len(text) <= 40 else text[:37] + '...'
