# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Writes planned users into Wazo's tables in bulk: the final rows confd's services and
xivo-dao's persistors and fixes leave for the same input, without their insert-then-update.

Ids come from the tables' sequences in one query per table; uuids are drawn here; every table
gets one COPY (or one multi-row INSERT where a column is left to its default).
"""

import datetime
import uuid as uuid_module

import sqlalchemy as sa
from xivo_dao.alchemy.dialaction import Dialaction
from xivo_dao.alchemy.endpoint_sip import EndpointSIP, EndpointSIPTemplate
from xivo_dao.alchemy.endpoint_sip_section import EndpointSIPSection
from xivo_dao.alchemy.endpoint_sip_section_option import EndpointSIPSectionOption
from xivo_dao.alchemy.extension import Extension
from xivo_dao.alchemy.func_key_template import FuncKeyTemplate
from xivo_dao.alchemy.incall import Incall
from xivo_dao.alchemy.line_extension import LineExtension
from xivo_dao.alchemy.linefeatures import LineFeatures
from xivo_dao.alchemy.rightcallmember import RightCallMember
from xivo_dao.alchemy.sccpline import SCCPLine
from xivo_dao.alchemy.user_line import UserLine
from xivo_dao.alchemy.userfeatures import UserFeatures, caller_id_regex
from xivo_dao.alchemy.voicemail import Voicemail

from ...sql import copy_rows
from . import storage

USER = UserFeatures.__table__
TEMPLATE = FuncKeyTemplate.__table__
VOICEMAIL = Voicemail.__table__
LINE = LineFeatures.__table__
SIP = EndpointSIP.__table__
SECTION = EndpointSIPSection.__table__
OPTION = EndpointSIPSectionOption.__table__
SIP_TEMPLATE = EndpointSIPTemplate.__table__
SCCP = SCCPLine.__table__
EXTENSION = Extension.__table__
USER_LINE = UserLine.__table__
LINE_EXTENSION = LineExtension.__table__
INCALL = Incall.__table__
DIALACTION = Dialaction.__table__
MEMBER = RightCallMember.__table__


def allocate(connection, table, column, count):
    """`count` ids from the sequence behind table.column, in one query."""
    if not count:
        return []
    return (
        connection.execute(
            sa.text(
                'SELECT nextval(pg_get_serial_sequence(:table, :column)) '
                'FROM generate_series(1, :count)'
            ),
            {'table': table.name, 'column': column, 'count': count},
        )
        .scalars()
        .all()
    )


def _insert(connection, table, rows):
    """COPY when the rows give every column as a plain value (nothing is left to a default
    SQLAlchemy would compute); a multi-row INSERT otherwise."""
    if not rows:
        return
    names = list(rows[0])
    if set(names) == set(table.columns.keys()) and not any(
        isinstance(value, (list, dict, tuple)) for value in rows[0].values()
    ):
        copy_rows(connection, table, names, rows)
    else:
        connection.execute(table.insert(), rows)


def line_caller_id(callerid, exten):
    """(name, number) a line shows, derived from the user's caller id by xivo-dao's own rule
    (LineFixes, UserFeatures.extrapolate_caller_id): what confd writes, so that confd reads
    back every line it lists (a name holding a double quote keeps what comes before it).
    """
    match = caller_id_regex.match(callerid or '')
    name = match.group('name') if match else ''
    number = (match.group('num') if match else None) or exten
    return name, number


def _fullname(firstname, lastname):
    return ' '.join(part for part in (firstname, lastname) if part)


class WazoWriter:
    def __init__(self, connection, tenant):
        self.connection = connection
        self.tenant = tenant  # xivo_dao's Tenant: uuid and SIP templates

    def write(self, plans):
        users = [plan.user for plan in plans]
        for user, user_id, template_id in zip(
            users,
            allocate(self.connection, USER, 'id', len(users)),
            allocate(self.connection, TEMPLATE, 'id', len(users)),
        ):
            user['id'], user['func_key_private_template_id'] = user_id, template_id
        self._voicemails(plans)
        self._extensions(plans)
        self._users(plans)
        self._lines(plans)
        self._incalls(plans)
        self._call_permissions(plans)

    def add(self, views):
        """What an update adds to existing users (update.added_parts): voicemails, extensions,
        lines and incalls; the users' own rows are the updater's."""
        self._voicemails(views)
        self._extensions(views)
        self._lines(views)
        self._incalls(views)

    # ---- users ---------------------------------------------------------------------------

    def _users(self, plans):
        tenant_uuid = self.tenant.uuid
        now = datetime.datetime.utcnow()
        _insert(
            self.connection,
            TEMPLATE,
            [
                {
                    'id': plan.user['func_key_private_template_id'],
                    'tenant_uuid': tenant_uuid,
                    'name': None,
                    'private': True,
                }
                for plan in plans
            ],
        )
        rows = []
        for plan in plans:
            user = plan.user
            user['created_at'] = now
            row = {'id': user['id'], 'uuid': user['uuid'], 'tenant_uuid': tenant_uuid}
            row.update(storage.stored_row(storage.USER, user))
            rows.append(
                dict(
                    row,
                    callerid=f'"{_fullname(user["firstname"], user["lastname"])}"',
                    voicemailid=(
                        plan.voicemail['id'] if plan.voicemail is not None else None
                    ),
                    enablevoicemail=1 if plan.voicemail is not None else 0,
                    func_key_private_template_id=user['func_key_private_template_id'],
                    created_at=now,
                    description='',
                )
            )
        _insert(self.connection, USER, rows)

    # ---- voicemails ----------------------------------------------------------------------

    def _voicemails(self, plans):
        new = [
            plan
            for plan in plans
            if plan.voicemail is not None and 'voicemail' not in plan.reused
        ]
        for plan, voicemail_id in zip(
            new, allocate(self.connection, VOICEMAIL, 'uniqueid', len(new))
        ):
            plan.voicemail['id'] = voicemail_id
        rows = [
            dict(
                storage.stored_row(storage.VOICEMAIL, plan.voicemail),
                uniqueid=plan.voicemail['id'],
                accesstype='personal',
            )
            for plan in new
        ]
        _insert(self.connection, VOICEMAIL, rows)

    # ---- extensions ----------------------------------------------------------------------

    def _extensions(self, plans):
        """Ids for new extensions; rows are written with the lines and incalls they serve."""
        new = [
            extension
            for plan in plans
            for extension in _extensions_of(plan)
            if 'id' not in extension
        ]
        for extension, extension_id in zip(
            new, allocate(self.connection, EXTENSION, 'id', len(new))
        ):
            extension['id'] = extension_id

    def _write_extensions(self, extensions):
        """extensions: [(extension dict, type, typeval, reused)]: new ones are inserted, reused
        ones (an unused existing extension) take their type and typeval."""
        _insert(
            self.connection,
            EXTENSION,
            [
                {
                    'id': ext['id'],
                    'exten': ext['exten'],
                    'context': ext['context'],
                    'type': kind,
                    'typeval': str(value),
                }
                for ext, kind, value, reused in extensions
                if not reused
            ],
        )
        reused = [
            {'b_id': ext['id'], 'type': kind, 'typeval': str(value)}
            for ext, kind, value, reused in extensions
            if reused
        ]
        if reused:
            self.connection.execute(
                EXTENSION.update()
                .where(EXTENSION.c.id == sa.bindparam('b_id'))
                .values(type=sa.bindparam('type'), typeval=sa.bindparam('typeval')),
                reused,
            )

    # ---- lines ---------------------------------------------------------------------------

    def _lines(self, plans):
        phones = [plan for plan in plans if plan.line is not None]
        for plan, line_id in zip(
            phones, allocate(self.connection, LINE, 'id', len(phones))
        ):
            plan.line['id'] = line_id
        sccps = [plan for plan in phones if plan.sccp is not None]
        for plan, sccp_id in zip(
            sccps, allocate(self.connection, SCCP, 'id', len(sccps))
        ):
            plan.sccp['id'] = sccp_id
        lines, sips, sections, options, templates, sccp_rows = [], [], [], [], [], []
        tenant_uuid = self.tenant.uuid
        for plan in phones:
            row, line = plan.row, plan.line
            extension = plan.extension
            exten = extension['exten'] if extension is not None else None
            name, number = line_caller_id(
                '"' + _fullname(plan.user['firstname'], plan.user['lastname']) + '"',
                exten,
            )
            if plan.sip is not None:
                sip = plan.sip
                sip['uuid'] = str(uuid_module.uuid4())
                sip['name'] = sip['username']
                sips.append(
                    {
                        'uuid': sip['uuid'],
                        'label': None,
                        'name': sip['name'],
                        'asterisk_id': None,
                        'tenant_uuid': tenant_uuid,
                        'transport_uuid': None,
                        'template': False,
                    }
                )
                auth, endpoint = str(uuid_module.uuid4()), str(uuid_module.uuid4())
                sections += [
                    {'uuid': auth, 'type': 'auth', 'endpoint_sip_uuid': sip['uuid']},
                    {
                        'uuid': endpoint,
                        'type': 'endpoint',
                        'endpoint_sip_uuid': sip['uuid'],
                    },
                ]
                callerid = f'"{name}"' + (f' <{number}>' if number else '')
                options += [
                    _option('username', sip['username'], auth),
                    _option('password', sip['secret'], auth),
                    _option('callerid', callerid, endpoint),
                ]
                templates.append(
                    {
                        'child_uuid': sip['uuid'],
                        'parent_uuid': str(self.tenant.global_sip_template_uuid),
                        'priority': 0,
                    }
                )
                if row.get('line_protocol') == 'webrtc':
                    templates.append(
                        {
                            'child_uuid': sip['uuid'],
                            'parent_uuid': str(self.tenant.webrtc_sip_template_uuid),
                            'priority': 1,
                        }
                    )
            else:
                sccp = plan.sccp
                sccp_rows.append(
                    {
                        'id': sccp['id'],
                        'tenant_uuid': tenant_uuid,
                        'name': sccp['name'],
                        'context': extension['context'] if extension else '',
                        'cid_name': name,
                        'cid_num': exten or number or '',
                        'disallow': None,
                        'allow': None,
                    }
                )
            lines.append(
                {
                    'id': line['id'],
                    'device': None,
                    'configregistrar': 'default',
                    'name': line['name'],
                    'number': exten,
                    'context': line['context'],
                    'provisioningid': int(line['provisioning_code']),
                    'ipfrom': '',
                    'application_uuid': None,
                    'description': None,
                    'endpoint_sip_uuid': (
                        plan.sip['uuid'] if plan.sip is not None else None
                    ),
                    'endpoint_sccp_id': (
                        plan.sccp['id'] if plan.sccp is not None else None
                    ),
                    'endpoint_custom_id': None,
                }
            )
        _insert(self.connection, SIP, sips)
        _insert(self.connection, SECTION, sections)
        _insert(self.connection, OPTION, options)
        _insert(self.connection, SIP_TEMPLATE, templates)
        _insert(self.connection, SCCP, sccp_rows)
        _insert(self.connection, LINE, lines)
        self._write_extensions(
            [
                (plan.extension, 'user', plan.user['id'], 'extension' in plan.reused)
                for plan in phones
                if plan.extension is not None
            ]
        )
        _insert(
            self.connection,
            USER_LINE,
            [
                {
                    'user_id': plan.user['id'],
                    'line_id': plan.line['id'],
                    'main_user': True,
                    'main_line': True,
                }
                for plan in phones
            ],
        )
        _insert(
            self.connection,
            LINE_EXTENSION,
            [
                {
                    'line_id': plan.line['id'],
                    'extension_id': plan.extension['id'],
                    'main_extension': True,
                }
                for plan in phones
                if plan.extension is not None
            ],
        )

    # ---- incalls -------------------------------------------------------------------------

    def _incalls(self, plans):
        planned = [(plan, item) for plan in plans for item in plan.incalls]
        for (_, item), incall_id in zip(
            planned, allocate(self.connection, INCALL, 'id', len(planned))
        ):
            item.incall['id'] = incall_id
        _insert(
            self.connection,
            INCALL,
            [
                {
                    'id': item.incall['id'],
                    'tenant_uuid': self.tenant.uuid,
                    'preprocess_subroutine': None,
                    'greeting_sound': None,
                    'description': None,
                }
                for _, item in planned
            ],
        )
        _insert(
            self.connection,
            DIALACTION,
            [
                {
                    'event': 'answer',
                    'category': 'incall',
                    'categoryval': str(item.incall['id']),
                    'action': 'user',
                    'actionarg1': str(plan.user['id']),
                    'actionarg2': (
                        str(item.incall['ring_seconds'])
                        if item.incall['ring_seconds']
                        else None
                    ),
                }
                for plan, item in planned
            ],
        )
        self._write_extensions(
            [
                (item.extension, 'incall', item.incall['id'], item.reused)
                for _, item in planned
            ]
        )

    def _call_permissions(self, plans):
        _insert(
            self.connection,
            MEMBER,
            [
                {
                    'rightcallid': permission_id,
                    'type': 'user',
                    'typeval': str(plan.user['id']),
                }
                for plan in plans
                for permission_id in plan.call_permission_ids
            ],
        )


def _option(key, value, section_uuid):
    return {
        'uuid': str(uuid_module.uuid4()),
        'key': key,
        'value': value,
        'endpoint_sip_section_uuid': section_uuid,
    }


def _extensions_of(plan):
    if plan.extension is not None:
        yield plan.extension
    for item in plan.incalls:
        yield item.extension
