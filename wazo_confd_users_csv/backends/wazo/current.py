# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the Wazo users of an update file have now, read from Wazo's tables in a few set-based
queries, in the shapes the shared update planner reads (imports.current.UserState).

Keys are the catalogue's names (`ring_seconds`, not `ringseconds`); values are what the
CSV schemas make of a cell (bools, ints, None for empty), so that an unchanged cell compares
equal. Ids are Wazo's: a SIP endpoint's `id` is its uuid. Users of another tenant are not
found (the planner then says `unknown_user` on their row).
"""

import re
from typing import Any

import sqlalchemy as sa
from xivo_dao.alchemy.dialaction import Dialaction
from xivo_dao.alchemy.endpoint_sip import EndpointSIPTemplate
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

from ...imports.current import UserState, valid_uuids
from ...sql import select_in
from . import storage

u = UserFeatures


# not columns of the file: what an update writes and announces with them
USER_EXTRAS = {
    'id': u.id,
    'uuid': u.uuid,
    'tenant_uuid': u.tenant_uuid,
    'voicemail_id': u.voicemailid,
    'callerid': u.callerid,
    'created_at': u.created_at,
}


def _users(session, uuids, tenant_uuid):
    stored = UserFeatures.__table__.c
    query = sa.select(
        *[expression.label(name) for name, expression in USER_EXTRAS.items()],
        *[
            stored[field.stored].label(f'stored_{field.stored}')
            for field in storage.USER
        ],
    )
    rows = select_in(
        session,
        lambda chunk: query.where(u.uuid.in_(chunk)).where(
            u.tenant_uuid == tenant_uuid
        ),
        uuids,
    )
    found = {}
    for row in rows:
        user = {name: row._mapping[name] for name in USER_EXTRAS}
        user.update(
            (field.key, field.from_stored(row._mapping[f'stored_{field.stored}']))
            for field in storage.USER
        )
        found[row.uuid] = user
    return found


def _sip_endpoints(session, sip_uuids, webrtc_template):
    """{SIP endpoint uuid: (username, password, is webrtc)}, queried for these endpoints only."""
    section, option = EndpointSIPSection, EndpointSIPSectionOption
    auth: dict[str, dict] = {}
    query = (
        sa.select(section.endpoint_sip_uuid, option.key, option.value)
        .join(option, option.endpoint_sip_section_uuid == section.uuid)
        .where(section.type == 'auth')
        .where(option.key.in_(('username', 'password')))
    )
    for row in select_in(
        session,
        lambda chunk: query.where(section.endpoint_sip_uuid.in_(chunk)),
        sip_uuids,
    ):
        auth.setdefault(str(row.endpoint_sip_uuid), {})[row.key] = row.value
    template = EndpointSIPTemplate
    webrtc = (
        {
            str(row.child_uuid)
            for row in select_in(
                session,
                lambda chunk: sa.select(template.child_uuid)
                .where(template.parent_uuid == webrtc_template)
                .where(template.child_uuid.in_(chunk)),
                sip_uuids,
            )
        }
        if webrtc_template is not None
        else set()
    )
    return {
        uuid: (
            auth.get(uuid, {}).get('username'),
            auth.get(uuid, {}).get('password'),
            uuid in webrtc,
        )
        for uuid in sip_uuids
    }


def _lines(session, user_ids, tenant_uuid):
    """{user id: (line, sip or None, main extension or None)} of the users' main lines."""
    line = LineFeatures
    query = (
        sa.select(
            UserLine.user_id,
            line.id,
            line.name,
            line.context,
            line.provisioningid,
            line.endpoint_sip_uuid,
            line.endpoint_sccp_id,
            Extension.id.label('extension_id'),
            Extension.exten,
            Extension.context.label('extension_context'),
        )
        .join(line, line.id == UserLine.line_id)
        .outerjoin(
            LineExtension,
            (LineExtension.line_id == line.id) & LineExtension.main_extension.is_(True),
        )
        .outerjoin(Extension, Extension.id == LineExtension.extension_id)
        .where(UserLine.main_line.is_(True))
    )
    rows: dict[int, Any] = {}
    for row in select_in(
        session, lambda chunk: query.where(UserLine.user_id.in_(chunk)), user_ids
    ):
        rows.setdefault(row.user_id, row)  # a second main line is not the user's
    webrtc_template = session.execute(
        sa.select(Tenant.webrtc_sip_template_uuid).where(Tenant.uuid == tenant_uuid)
    ).scalar()
    sips = _sip_endpoints(
        session,
        [str(row.endpoint_sip_uuid) for row in rows.values() if row.endpoint_sip_uuid],
        webrtc_template,
    )
    found: dict = {}
    for user_id, row in rows.items():
        sip = str(row.endpoint_sip_uuid) if row.endpoint_sip_uuid else None
        username, password, is_webrtc = sips[sip] if sip else (None, None, False)
        protocol = (
            ('webrtc' if is_webrtc else 'sip')
            if sip
            else 'sccp' if row.endpoint_sccp_id else 'custom'
        )
        found[user_id] = (
            {
                'id': row.id,
                'protocol': protocol,
                'name': row.name,
                'context': row.context,
                'provisioning_code': (
                    None if not row.provisioningid else str(row.provisioningid)
                ),
                'sip_endpoint_id': sip,
                'sccp_endpoint_id': row.endpoint_sccp_id,
            },
            {'id': sip, 'username': username, 'secret': password} if sip else None,
            (
                {
                    'id': row.extension_id,
                    'exten': row.exten,
                    'context': row.extension_context,
                }
                if row.extension_id is not None
                else None
            ),
        )
    return found


RING = re.compile(r'[0-9]{1,9}(\.[0-9]*)?$')


def ring_seconds(actionarg2):
    """dialaction.actionarg2 of an incall to a user: "30" (an import), "30.0" or
    "30.0;<music on hold>" (confd's incall PUT), "" or None (no ring time)."""
    whole = (actionarg2 or '').split(';', 1)[0]
    if not RING.match(whole):
        return None
    value = float(whole)
    return int(value) if value == int(value) else value


def _incalls(session, user_ids, tenant_uuid):
    """{user id: [(incall, extension)]} ordered by exten, then context."""
    user_id = sa.cast(Dialaction.actionarg1, sa.Integer)
    query = (
        sa.select(
            user_id.label('user_id'),
            Incall.id,
            Dialaction.actionarg2,
            Extension.id.label('extension_id'),
            Extension.exten,
            Extension.context,
        )
        .join(
            Dialaction,
            (Dialaction.event == 'answer')
            & (Dialaction.category == 'incall')
            & (Dialaction.categoryval == sa.cast(Incall.id, sa.String))
            & (Dialaction.action == 'user'),
        )
        .join(
            Extension,
            (Extension.type == 'incall')
            & (Extension.typeval == sa.cast(Incall.id, sa.String)),
        )
        .where(Incall.tenant_uuid == tenant_uuid)
    )
    found: dict = {}
    ids = [str(user) for user in user_ids]
    for row in select_in(
        session, lambda chunk: query.where(Dialaction.actionarg1.in_(chunk)), ids
    ):
        ring = ring_seconds(row.actionarg2)
        found.setdefault(row.user_id, []).append(
            (
                {
                    'id': row.id,
                    'user_id': row.user_id,
                    'ring_seconds': ring,
                    'extension_id': row.extension_id,
                },
                {'id': row.extension_id, 'exten': row.exten, 'context': row.context},
            )
        )
    for pairs in found.values():
        pairs.sort(key=lambda pair: (pair[1]['exten'], pair[1]['context']))
    return found


def _voicemails(session, voicemail_ids):
    table = Voicemail.__table__
    query = sa.select(table.c.uniqueid, *[table.c[f.stored] for f in storage.VOICEMAIL])
    found: dict = {}
    for row in select_in(
        session, lambda chunk: query.where(table.c.uniqueid.in_(chunk)), voicemail_ids
    ):
        found[row.uniqueid] = {
            'id': row.uniqueid,
            **storage.planned_values(storage.VOICEMAIL, row._mapping),
        }
    return found


def _call_permissions(session, user_ids, tenant_uuid):
    query = (
        sa.select(RightCallMember.typeval, RightCallMember.rightcallid)
        .join(RightCall, RightCall.id == RightCallMember.rightcallid)
        .where(RightCallMember.type == 'user')
        .where(RightCall.tenant_uuid == tenant_uuid)
    )
    found: dict = {}
    for row in select_in(
        session,
        lambda chunk: query.where(RightCallMember.typeval.in_(chunk)),
        [str(user) for user in user_ids],
    ):
        found.setdefault(int(row.typeval), []).append(row.rightcallid)
    return {user: sorted(ids) for user, ids in found.items()}


def fetch(session, rows, tenant_uuid, logins):
    """{uuid: UserState} for the rows' uuids that are users of the tenant.

    logins: {uuid: wazo-auth user} as wazo-auth lists them (a password is never known).
    """
    users = _users(session, valid_uuids(rows), tenant_uuid)
    ids = [user['id'] for user in users.values()]
    lines = _lines(session, ids, tenant_uuid)
    incalls = _incalls(session, ids, tenant_uuid)
    voicemails = _voicemails(
        session,
        [
            user['voicemail_id']
            for user in users.values()
            if user['voicemail_id'] is not None
        ],
    )
    permissions = _call_permissions(session, ids, tenant_uuid)
    states = {}
    for uuid, user in users.items():
        voicemail_id = user.pop('voicemail_id')
        login = logins.get(uuid)
        user.update(
            username=login.get('username') if login else None,
            password=None,
            entity_id=None,
        )  # the tenant is the request's: entity_id is not kept
        line, sip, extension = lines.get(user['id'], (None, None, None))
        states[uuid] = UserState(
            user,
            line,
            sip,
            extension,
            incalls.get(user['id'], []),
            voicemails.get(voicemail_id),
            permissions.get(user['id'], []),
            login,
        )
    return states


def voicemail_users(session, voicemail_ids):
    """{voicemail id: [user uuid]} of every user of these voicemails (by user id), in the
    file or not: confd announces a voicemail's edit to each of its users."""
    found: dict = {}
    for row in select_in(
        session,
        lambda chunk: sa.select(u.voicemailid, u.uuid)
        .where(u.voicemailid.in_(chunk))
        .order_by(u.id),
        voicemail_ids,
    ):
        found.setdefault(row.voicemailid, []).append(row.uuid)
    return found
