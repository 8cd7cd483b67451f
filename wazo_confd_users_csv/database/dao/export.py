"""The three streamed queries of the export, each ordered by user id.

Users with their main line, main extension, voicemail and CTI profile come from one query;
incalls and call permissions from one query each. The export merges them by user id, so the
number of queries never depends on the number of users.
"""
import sqlalchemy as sa

from ..models import (CallPermission, CtiProfile, Extension, Incall, Line, LineExtension,
                      SipEndpoint, User, UserCallPermission, UserLine, UserVoicemail, Voicemail)

u = User.__table__
cp = CtiProfile.__table__
uv = UserVoicemail.__table__
vm = Voicemail.__table__
ul = UserLine.__table__
ln = Line.__table__
sip = SipEndpoint.__table__
le = LineExtension.__table__
ext = Extension.__table__
inc = Incall.__table__
ucp = UserCallPermission.__table__
perm = CallPermission.__table__

USER_COLUMNS = [
    u.c.id, u.c.uuid, u.c.entity_id, u.c.firstname, u.c.lastname, u.c.email,
    u.c.mobile_phone_number, u.c.outgoing_caller_id, u.c.language,
    u.c.call_permission_password, u.c.enabled, u.c.ring_seconds, u.c.simultaneous_calls,
    u.c.supervision_enabled, u.c.call_transfer_enabled, u.c.dtmf_hangup_enabled,
    u.c.username, u.c.password, cp.c.name.label('cti_profile_name'), u.c.cti_profile_enabled,
    vm.c.name.label('voicemail_name'), vm.c.number.label('voicemail_number'),
    vm.c.context.label('voicemail_context'), vm.c.password.label('voicemail_password'),
    vm.c.email.label('voicemail_email'), vm.c.attach_audio.label('voicemail_attach_audio'),
    vm.c.delete_messages.label('voicemail_delete_messages'),
    vm.c.ask_password.label('voicemail_ask_password'),
    ln.c.protocol.label('line_protocol'), ln.c.provisioning_code, ln.c.context,
    sip.c.username.label('sip_username'), sip.c.secret.label('sip_secret'), ext.c.exten,
]


def users():
    return (
        sa.select(*USER_COLUMNS)
        .select_from(
            u.outerjoin(cp, cp.c.id == u.c.cti_profile_id)
            .outerjoin(uv, uv.c.user_id == u.c.id)
            .outerjoin(vm, vm.c.id == uv.c.voicemail_id)
            .outerjoin(ul, sa.and_(ul.c.user_id == u.c.id, ul.c.main_line.is_(True)))
            .outerjoin(ln, ln.c.id == ul.c.line_id)
            .outerjoin(sip, sip.c.id == ln.c.sip_endpoint_id)
            .outerjoin(le, sa.and_(le.c.line_id == ln.c.id, le.c.main_extension.is_(True)))
            .outerjoin(ext, ext.c.id == le.c.extension_id)
        )
        .order_by(u.c.id)
    )


def incalls():
    return (
        sa.select(inc.c.user_id, ext.c.exten, ext.c.context, inc.c.ring_seconds)
        .select_from(inc.join(ext, ext.c.id == inc.c.extension_id))
        .order_by(inc.c.user_id)
    )


def call_permissions():
    return (
        sa.select(ucp.c.user_id, perm.c.name)
        .select_from(ucp.join(perm, perm.c.id == ucp.c.call_permission_id))
        .order_by(ucp.c.user_id)
    )


def stream(connection, query, batch=2000):
    """Rows of `query`, fetched in batches through a server-side cursor where there is one."""
    result = connection.execution_options(stream_results=True, yield_per=batch).execute(query)
    yield from result
