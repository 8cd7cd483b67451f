# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The export inside wazo-confd: the tenant's Wazo users, one row each, written by PostgreSQL
(COPY ... TO STDOUT) and streamed with flat memory.

Columns: confd's built-in export's, in its order, then the catalogue's other exported columns
in its order (today `username`, from wazo-auth as the built-in adds it, and the seed's
`incall_ring_seconds`); so a consumer of the built-in's file finds every column it knows where
it knew it. The columns kept in userfeatures and voicemail come from `storage.py`, each written
as its field's `cell` says: a column added there is exported without a line here.

A line is `webrtc` when its SIP endpoint has the tenant's webrtc template (the built-in says
`sip`, which would import back as a plain SIP line).
"""

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects.postgresql import aggregate_order_by
from xivo_dao.alchemy.dialaction import Dialaction
from xivo_dao.alchemy.endpoint_sip import EndpointSIP, EndpointSIPTemplate
from xivo_dao.alchemy.endpoint_sip_section import EndpointSIPSection
from xivo_dao.alchemy.endpoint_sip_section_option import EndpointSIPSectionOption
from xivo_dao.alchemy.extension import Extension
from xivo_dao.alchemy.incall import Incall
from xivo_dao.alchemy.line_extension import LineExtension
from xivo_dao.alchemy.linefeatures import LineFeatures
from xivo_dao.alchemy.rightcall import RightCall
from xivo_dao.alchemy.rightcallmember import RightCallMember
from xivo_dao.alchemy.tenant import Tenant
from xivo_dao.alchemy.user_line import UserLine
from xivo_dao.alchemy.userfeatures import UserFeatures
from xivo_dao.alchemy.voicemail import Voicemail

from ... import columns
from ...imports.ports import Exported, ExportRequest
from ...spreadsheet import text_select
from ...sql import copy_csv_chunks, copy_rows
from . import storage

# confd's built-in export's columns, in its order.
BUILTIN_COLUMNS = (
    'uuid',
    'subscription_type',
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
    'call_record_outgoing_external_enabled',
    'call_record_outgoing_internal_enabled',
    'call_record_incoming_external_enabled',
    'call_record_incoming_internal_enabled',
    'online_call_record_enabled',
    'userfield',
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
    'call_permissions',
)
# The columns kept elsewhere than userfeatures and voicemail, made by `export_query`'s joins.
JOINED_COLUMNS = (
    'uuid',
    'line_protocol',
    'provisioning_code',
    'context',
    'sip_username',
    'sip_secret',
    'exten',
    'incall_exten',
    'incall_context',
    'call_permissions',
    'username',
    'incall_ring_seconds',
)
# {column: its field} of the columns kept in userfeatures and voicemail.
STORED_FIELDS = {
    **{field.key: (UserFeatures.__table__, field) for field in storage.USER},
    **{
        column: (Voicemail.__table__, storage.VOICEMAIL_BY_KEY[key])
        for column, key in columns.VOICEMAIL_FIELDS.items()
    },
}
_EXPORTED = [
    name
    for name in columns.CATALOGUES[columns.WAZO].names
    if name in STORED_FIELDS or name in JOINED_COLUMNS
]
COLUMNS = BUILTIN_COLUMNS + tuple(
    name for name in _EXPORTED if name not in BUILTIN_COLUMNS
)
assert set(BUILTIN_COLUMNS) <= set(_EXPORTED)
SEPARATOR = ';'
# The wazo-auth usernames of the tenant, joined by uuid (a temporary table, gone at commit).
USERNAMES = sa.table(
    'users_csv_export_usernames', sa.column('uuid'), sa.column('username')
)

u = UserFeatures
vm = Voicemail
line = LineFeatures


def _flag(expression):
    """A boolean or 0/1 column as the import reads it: 1 or 0, empty when null."""
    return sa.case(
        (expression.is_(None), None), (sa.cast(expression, sa.Boolean), '1'), else_='0'
    )


def _text(expression):
    return sa.cast(expression, sa.String)


def _negated(expression):
    """A flag kept inverted as 0/1 (commented, skipcheckpass): 1 when 0."""
    return sa.case((expression.is_(None), None), (expression == 0, '1'), else_='0')


# How each kind of stored value is written (`storage.Field.cell`).
CELLS = {
    storage.TEXT: lambda expression: expression,
    storage.NUMBER: _text,
    storage.FLAG: _flag,
    storage.NEGATED: _negated,
}


def stored_cells():
    """{column: its cell's SQL} of the columns kept in userfeatures and voicemail."""
    return {
        name: CELLS[field.cell](table.c[field.stored])
        for name, (table, field) in STORED_FIELDS.items()
    }


def _joined(column, *order):
    """string_agg(column, ';' ORDER BY order...)."""
    return sa.func.string_agg(column, aggregate_order_by(sa.literal(SEPARATOR), *order))


def sip_auth_options(tenant_uuids):
    """Per SIP endpoint of the tenant: the username and password of its auth section."""
    section, option = EndpointSIPSection, EndpointSIPSectionOption
    return (
        sa.select(
            section.endpoint_sip_uuid,
            sa.func.max(option.value)
            .filter(option.key == 'username')
            .label('username'),
            sa.func.max(option.value)
            .filter(option.key == 'password')
            .label('password'),
        )
        .join(option, option.endpoint_sip_section_uuid == section.uuid)
        .join(EndpointSIP, EndpointSIP.uuid == section.endpoint_sip_uuid)
        .where(section.type == 'auth')
        .where(EndpointSIP.tenant_uuid.in_(tenant_uuids))
        .group_by(section.endpoint_sip_uuid)
        .subquery()
    )


def ring_seconds(actionarg2):
    """An incall's ring time as the file writes it: confd's incall PUT stores "30.0" (and
    ";<music on hold>" after it), its import "30": both are 30; other text stays as it is.
    """
    whole = sa.func.split_part(actionarg2, ';', 1)
    return sa.case(
        (whole.op('~')(r'^[0-9]+(\.0*)?$'), sa.func.split_part(whole, '.', 1)),
        else_=sa.func.coalesce(actionarg2, ''),
    )


def _incalls(tenant_uuids):
    """Per user id: the incalls answering to it, joined with `;` in (exten, context) order."""
    extension = Extension
    ordered = (
        sa.select(
            sa.cast(Dialaction.actionarg1, sa.Integer).label('user_id'),
            extension.exten,
            extension.context,
            ring_seconds(Dialaction.actionarg2).label('ring_seconds'),
        )
        .select_from(Incall)
        .join(
            Dialaction,
            sa.and_(
                Dialaction.event == 'answer',
                Dialaction.category == 'incall',
                Dialaction.categoryval == _text(Incall.id),
                Dialaction.action == 'user',
            ),
        )
        .join(
            extension,
            sa.and_(extension.type == 'incall', extension.typeval == _text(Incall.id)),
        )
        .where(Incall.tenant_uuid.in_(tenant_uuids))
        .subquery()
    )

    def joined(column):
        return _joined(column, ordered.c.exten, ordered.c.context)

    return (
        sa.select(
            ordered.c.user_id,
            joined(ordered.c.exten).label('exten'),
            joined(ordered.c.context).label('context'),
            joined(ordered.c.ring_seconds).label('ring_seconds'),
        )
        .group_by(ordered.c.user_id)
        .subquery()
    )


def _permissions(tenant_uuids):
    return (
        sa.select(
            sa.cast(RightCallMember.typeval, sa.Integer).label('user_id'),
            _joined(RightCall.name, RightCall.name).label('names'),
        )
        .join(RightCall, RightCall.id == RightCallMember.rightcallid)
        .where(RightCallMember.type == 'user')
        .where(RightCall.tenant_uuid.in_(tenant_uuids))
        .group_by(RightCallMember.typeval)
        .subquery()
    )


def export_query(
    tenant_uuids, secrets, webrtc_template_uuids, selection=None, count=False
):
    """One SELECT of every user of the tenants (or of a selection's page), a row each, cells as
    text, ordered by id; with `count`, how many users the selection matches.

    Joins only, no per-row subquery: the plan stays linear even on statistics that a bulk
    import has just made stale."""
    incalls, permissions = _incalls(tenant_uuids), _permissions(tenant_uuids)
    sip_auth = sip_auth_options(tenant_uuids)
    webrtc = orm.aliased(EndpointSIPTemplate)
    joined = {
        'uuid': u.uuid,
        'line_protocol': sa.case(
            (webrtc.child_uuid.isnot(None), 'webrtc'),
            (line.endpoint_sip_uuid.isnot(None), 'sip'),
            (line.endpoint_sccp_id.isnot(None), 'sccp'),
            (line.endpoint_custom_id.isnot(None), 'custom'),
        ),
        'provisioning_code': _text(sa.func.nullif(line.provisioningid, 0)),
        'context': sa.func.coalesce(Extension.context, line.context),
        'sip_username': sip_auth.c.username,
        'sip_secret': sip_auth.c.password,
        'exten': Extension.exten,
        'incall_exten': incalls.c.exten,
        'incall_context': incalls.c.context,
        'call_permissions': permissions.c.names,
        'username': USERNAMES.c.username,
        'incall_ring_seconds': sa.func.nullif(incalls.c.ring_seconds, ''),
    }
    assert tuple(joined) == JOINED_COLUMNS
    found = {**stored_cells(), **joined}
    cells = {name: found[name] for name in COLUMNS}
    if (
        not secrets
    ):  # the catalogue's secrets: SIP, voicemail and call permission passwords
        cells.update(
            (name, sa.null()) for name in cells if name in columns.SECRET_COLUMNS
        )
    shown = (
        [sa.func.count()]
        if count
        else [cell.label(name) for name, cell in cells.items()]
    )
    query = (
        sa.select(*shown)
        .select_from(u)
        .outerjoin(vm, vm.uniqueid == u.voicemailid)
        .outerjoin(UserLine, (UserLine.user_id == u.id) & UserLine.main_line.is_(True))
        .outerjoin(line, line.id == UserLine.line_id)
        .outerjoin(sip_auth, sip_auth.c.endpoint_sip_uuid == line.endpoint_sip_uuid)
        .outerjoin(
            webrtc,
            (webrtc.child_uuid == line.endpoint_sip_uuid)
            & webrtc.parent_uuid.in_(webrtc_template_uuids),
        )
        .outerjoin(
            LineExtension,
            (LineExtension.line_id == line.id) & LineExtension.main_extension.is_(True),
        )
        .outerjoin(Extension, Extension.id == LineExtension.extension_id)
        .outerjoin(incalls, incalls.c.user_id == u.id)
        .outerjoin(permissions, permissions.c.user_id == u.id)
        .outerjoin(USERNAMES, USERNAMES.c.uuid == u.uuid)
        .where(u.tenant_uuid.in_(tenant_uuids))
    )
    if selection is not None:
        query = query.where(
            selection.where(
                u.uuid,
                (
                    u.firstname,
                    u.lastname,
                    u.email,
                    USERNAMES.c.username,
                    Extension.exten,
                    sip_auth.c.username,
                    line.provisioningid,
                ),
            )
        )
    if count:
        return query
    query = query.order_by(u.id)
    return query if selection is None else selection.page(query)


def csv_chunks(
    engine,
    tenant_uuids,
    usernames,
    secrets,
    selection=None,
    counted=None,
    spreadsheet=False,
):
    """The header, then the rows as CSV text chunks, users of `tenant_uuids` only (of the
    selection, when given: `counted(total)` is then told how many match); cells raw, or
    escaped for a spreadsheet.

    Its own connection and transaction: a streamed answer outlives confd's request session.
    usernames: {user uuid: wazo-auth username} of those tenants.
    """
    with engine.connect() as connection, connection.begin():
        connection.exec_driver_sql(
            f'CREATE TEMPORARY TABLE {USERNAMES.name} '
            '(uuid varchar(38) PRIMARY KEY, username text) ON COMMIT DROP'
        )
        copy_rows(
            connection,
            USERNAMES,
            ['uuid', 'username'],
            [{'uuid': uuid, 'username': name} for uuid, name in usernames.items()],
        )
        connection.exec_driver_sql(
            'SET LOCAL jit = off'
        )  # compiling costs more than it saves
        webrtc_templates = [
            uuid
            for uuid in connection.execute(
                sa.select(Tenant.webrtc_sip_template_uuid).where(
                    Tenant.uuid.in_(tenant_uuids)
                )
            ).scalars()
            if uuid is not None
        ]
        webrtc = [str(uuid) for uuid in webrtc_templates]
        if selection is not None:
            counted(
                connection.execute(
                    export_query(tenant_uuids, secrets, webrtc, selection, count=True)
                ).scalar()
            )
        sql = str(
            export_query(tenant_uuids, secrets, webrtc, selection).compile(
                connection.engine, compile_kwargs={'literal_binds': True}
            )
        )
        yield ','.join(COLUMNS) + '\r\n'
        yield from copy_csv_chunks(
            connection, text_select(sql, len(COLUMNS), spreadsheet)
        )


def export(engine, auth_users, request: ExportRequest) -> Exported:
    """The port's export (`imports.ports.Backend.export`): the logins from wazo-auth (one
    call, as confd's export), then the query, run up to its header."""
    usernames = auth_users.usernames(request.scope.tenant_uuid, recurse=request.recurse)
    totals: list[int] = []
    chunks = csv_chunks(
        engine,
        list(request.tenants),
        usernames,
        request.scope.reads_secrets,
        request.selection,
        totals.append,
        request.form == 'spreadsheet',
    )
    return Exported.begun(chunks, totals)
