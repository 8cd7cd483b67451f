# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Writes an update's changes into Wazo's tables in bulk: the rows confd's single-resource
PUTs (users, lines, SIP endpoints, extensions, voicemails, incalls, call permissions) and
xivo-dao's fixes leave for the same changes, only where something changed.

Each table gets one staged UPDATE: the changed rows are COPied into a temporary table, then
one UPDATE ... FROM joins it. What an update adds to a user (a first line, voicemail or
incall) is written by the import's writer, from `added_parts`.
"""


import sqlalchemy as sa

from ...imports.plan import RowPlan
from ...sql import copy_rows
from . import storage
from .writer import LINE_EXTENSION, MEMBER, WazoWriter, _insert, line_caller_id


def added_parts(plan):
    """A RowPlan holding only what an update adds to an existing user: a first line (or an
    extension to a line without one), voicemail, incalls. Its dicts are the plan's own, so
    ids given while writing it are the plan's."""
    state = plan.state
    view = RowPlan(plan.row, user=plan.user, reused=plan.reused)
    if state.line is None and plan.line is not None:
        view.line, view.sip, view.sccp = plan.line, plan.sip, plan.sccp
    if state.extension is None:
        view.extension = plan.extension  # of a new line, or a kept line that had none
    if state.voicemail is None and plan.voicemail is not None:
        view.voicemail = plan.voicemail
    view.incalls = [planned for planned in plan.incalls if planned.current is None]
    return view


def changed(new, old, keys):
    return [key for key in keys if new.get(key) != old.get(key)]


def user_changes(plan):
    """The catalogue's user fields the plan changes (login fields are wazo-auth's)."""
    return changed(plan.user, plan.state.user, storage.USER_BY_KEY)


class Stager:
    """Staged bulk UPDATEs: rows COPied into a temporary table, one UPDATE ... FROM it."""

    def __init__(self, connection):
        self.connection = connection
        self.count = 0

    def update(self, columns, rows, statement):
        """columns: [(name, SQL type)]; statement: an UPDATE with {stage} for the table."""
        if not rows:
            return
        self.count += 1
        stage = f'users_csv_stage_{self.count}'
        definition = ', '.join(f'"{name}" {kind}' for name, kind in columns)
        self.connection.exec_driver_sql(
            f'CREATE TEMPORARY TABLE {stage} ({definition}) ON COMMIT DROP'
        )
        copy_rows(self.connection, sa.table(stage), [name for name, _ in columns], rows)
        self.connection.exec_driver_sql(statement.format(stage=stage))
        self.connection.exec_driver_sql(f'DROP TABLE {stage}')

    def update_columns(self, table, key, kinds, rows):
        """Rows of {key, some columns}: one staged UPDATE per set of columns (a file's rows
        mostly change the same ones), each row setting only the columns it holds."""
        groups: dict[tuple, list] = {}
        for row in rows:
            groups.setdefault(tuple(sorted(row)), []).append(row)
        for names, group in groups.items():
            self.update(
                [(name, kinds[name]) for name in names],
                group,
                f'UPDATE {table} AS t SET '
                + ', '.join(f'"{name}" = s."{name}"' for name in names if name != key)
                + f' FROM {{stage}} AS s WHERE t.{key} = s.{key}',
            )


USER_KINDS = storage.sql_types(
    storage.USER,
    id='integer',
    callerid='text',
    voicemailid='integer',
    enablevoicemail='integer',
)
VOICEMAIL_KINDS = storage.sql_types(storage.VOICEMAIL, uniqueid='integer')


class WazoUpdater:
    def __init__(self, connection, tenant):
        self.connection = connection
        self.tenant = tenant
        self.stager = Stager(connection)
        self.writer = WazoWriter(connection, tenant)

    def write(self, plans, views):
        """plans: the rows' plans; views: their added_parts (already given generated values)."""
        self.writer.add(views)
        self._users(plans)
        self._voicemails(plans)
        self._sips(plans)
        self._extensions(plans)
        self._lines(plans)
        self._line_extensions(plans)
        self._caller_ids(plans)
        self._queue_members(plans)
        self._incalls(plans)
        self._call_permissions(plans)

    # ---- users ---------------------------------------------------------------------------

    def _users(self, plans):
        rows = []
        for plan in plans:
            row = {'id': plan.user['id']}
            row.update(storage.stored_row(storage.USER, plan.user, user_changes(plan)))
            if plan.user['callerid'] != plan.state.user['callerid']:
                row['callerid'] = plan.user['callerid']
            if plan.state.voicemail is None and plan.voicemail is not None:
                row.update(voicemailid=plan.voicemail['id'], enablevoicemail=1)
            if len(row) > 1:
                rows.append(row)
        self.stager.update_columns('userfeatures', 'id', USER_KINDS, rows)

    # ---- voicemails ----------------------------------------------------------------------

    def _voicemails(self, plans):
        edited = {}
        for plan in plans:
            current = plan.state.voicemail
            if current is not None and plan.voicemail != current:
                edited[current['id']] = (plan.voicemail, current)
        rows = []
        for voicemail, current in edited.values():
            row = {'uniqueid': voicemail['id']}
            keys = changed(voicemail, current, storage.VOICEMAIL_BY_KEY)
            row.update(storage.stored_row(storage.VOICEMAIL, voicemail, keys))
            rows.append(row)
        self.stager.update_columns('voicemail', 'uniqueid', VOICEMAIL_KINDS, rows)

    # ---- lines ---------------------------------------------------------------------------

    def _sips(self, plans):
        renamed, options = [], []
        for plan in _kept_lines(plans):
            sip, current = plan.sip, plan.state.sip
            if sip is None or sip == current:
                continue
            if sip['username'] != current['username']:
                renamed.append({'uuid': sip['id'], 'name': sip['username']})
                options.append(
                    {
                        'uuid': sip['id'],
                        'type': 'auth',
                        'key': 'username',
                        'value': sip['username'],
                    }
                )
            if sip['secret'] != current['secret']:
                options.append(
                    {
                        'uuid': sip['id'],
                        'type': 'auth',
                        'key': 'password',
                        'value': sip['secret'],
                    }
                )
        self.stager.update(
            [('uuid', 'uuid'), ('name', 'text')],
            renamed,
            'UPDATE endpoint_sip AS t SET name = s.name FROM {stage} AS s '
            'WHERE t.uuid = s.uuid',
        )
        self._sip_options(options)

    def _sip_options(self, options):
        self.stager.update(
            [('uuid', 'uuid'), ('type', 'text'), ('key', 'text'), ('value', 'text')],
            options,
            'UPDATE endpoint_sip_section_option AS o SET value = s.value '
            'FROM {stage} AS s, endpoint_sip_section AS section '
            'WHERE section.endpoint_sip_uuid = s.uuid '
            'AND section.type = CAST(s.type AS endpoint_sip_section_type) '
            'AND o.endpoint_sip_section_uuid = section.uuid AND o.key = s.key',
        )

    def _extensions(self, plans):
        rows = []
        for plan in plans:
            current = plan.state.extension
            if current is not None and plan.extension != current:
                rows.append(plan.extension)
            rows += [
                planned.extension
                for planned in plan.incalls
                if planned.current is not None
                and planned.extension != planned.current[1]
            ]
        self.stager.update(
            [('id', 'integer'), ('exten', 'text'), ('context', 'text')],
            rows,
            'UPDATE extensions AS t SET exten = s.exten, context = s.context '
            'FROM {stage} AS s WHERE t.id = s.id',
        )

    def _lines(self, plans):
        """linefeatures: the provisioning code, the SIP name, and (LineFixes) the number and
        context of the main extension; sccpline: context and number of the extension."""
        lines, sccps = [], []
        for plan in _kept_lines(plans):
            line, current = plan.line, plan.state.line
            extension = plan.extension or {}
            name = plan.sip['username'] if plan.sip is not None else current['name']
            row = {
                'id': line['id'],
                'provisioningid': int(line['provisioning_code'] or 0),
                'name': name,
                'number': extension.get('exten'),
                'context': extension.get('context', line['context']),
            }
            before = {
                'id': current['id'],
                'name': current['name'],
                'provisioningid': int(current['provisioning_code'] or 0),
                'number': (plan.state.extension or {}).get('exten'),
                'context': (plan.state.extension or {}).get(
                    'context', current['context']
                ),
            }
            if row != before:
                lines.append(row)
            if (
                plan.sccp is not None
                and extension
                and extension != plan.state.extension
            ):
                sccps.append({'id': plan.sccp['id'], 'context': extension['context']})
        self.stager.update(
            [
                ('id', 'integer'),
                ('provisioningid', 'integer'),
                ('name', 'text'),
                ('number', 'text'),
                ('context', 'text'),
            ],
            lines,
            'UPDATE linefeatures AS t SET provisioningid = s.provisioningid, name = s.name, '
            'number = s.number, context = s.context FROM {stage} AS s WHERE t.id = s.id',
        )
        self.stager.update(
            [('id', 'integer'), ('context', 'text')],
            sccps,
            'UPDATE sccpline AS t SET context = s.context FROM {stage} AS s '
            'WHERE t.id = s.id',
        )

    def _line_extensions(self, plans):
        """A kept line that had no extension and gets one."""
        added = [
            plan
            for plan in _kept_lines(plans)
            if plan.state.extension is None and plan.extension is not None
        ]
        self.writer._write_extensions(
            [
                (plan.extension, 'user', plan.user['id'], 'extension' in plan.reused)
                for plan in added
            ]
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
                for plan in added
            ],
        )

    def _caller_ids(self, plans):
        """The caller id of kept lines whose user's caller id or main extension changed."""
        sips, sccps = [], []
        for plan in _kept_lines(plans):
            exten = (plan.extension or {}).get('exten')
            new = line_caller_id(plan.user['callerid'], exten)
            old = line_caller_id(
                plan.state.user['callerid'], (plan.state.extension or {}).get('exten')
            )
            if new == old:
                continue
            name, number = new
            if plan.sip is not None:
                sips.append(
                    {
                        'uuid': plan.sip['id'],
                        'type': 'endpoint',
                        'key': 'callerid',
                        'value': f'"{name}" <{number}>' if number else f'"{name}"',
                    }
                )
            elif plan.sccp is not None:
                sccps.append(
                    {
                        'id': plan.sccp['id'],
                        'cid_name': name or '',
                        'cid_num': exten or number or '',
                    }
                )
        self._sip_options(sips)
        self.stager.update(
            [('id', 'integer'), ('cid_name', 'text'), ('cid_num', 'text')],
            sccps,
            'UPDATE sccpline AS t SET cid_name = s.cid_name, '
            'cid_num = s.cid_num FROM {stage} AS s WHERE t.id = s.id',
        )

    def _queue_members(self, plans):
        """Queue memberships follow the line's interface and number (xivo-dao's LineFixes)."""
        rows = []
        for plan in _kept_lines(plans):
            if (
                plan.sip is not None
                and plan.sip['username'] != plan.state.sip['username']
            ):
                rows.append(
                    {
                        'userid': plan.user['id'],
                        'local': False,
                        'interface': f'PJSIP/{plan.sip["username"]}',
                    }
                )
            extension = plan.extension
            if (
                extension is not None
                and plan.state.extension is not None
                and extension != plan.state.extension
            ):
                rows.append(
                    {
                        'userid': plan.user['id'],
                        'local': True,
                        'interface': f'Local/{extension["exten"]}@{extension["context"]}',
                    }
                )
        self.stager.update(
            [('userid', 'integer'), ('local', 'boolean'), ('interface', 'text')],
            rows,
            "UPDATE queuemember AS t SET interface = s.interface FROM {stage} AS s "
            "WHERE t.usertype = 'user' AND t.userid = s.userid "
            "AND (t.channel = 'Local') = s.local",
        )

    # ---- incalls and call permissions ----------------------------------------------------

    def _incalls(self, plans):
        rows = [
            {
                'categoryval': str(planned.incall['id']),
                'actionarg2': (
                    str(planned.incall['ring_seconds'])
                    if planned.incall['ring_seconds']
                    else None
                ),
            }
            for plan in plans
            for planned in plan.incalls
            if planned.current is not None
            and planned.incall['ring_seconds'] != planned.current[0]['ring_seconds']
        ]
        self.stager.update(
            [('categoryval', 'text'), ('actionarg2', 'text')],
            rows,
            "UPDATE dialaction AS t SET actionarg2 = s.actionarg2 FROM {stage} AS s "
            "WHERE t.event = 'answer' AND t.category = 'incall' "
            "AND t.categoryval = s.categoryval",
        )

    def _call_permissions(self, plans):
        added, removed = [], []
        for plan in plans:
            current = plan.state.call_permission_ids
            added += [
                {'rightcallid': cp_id, 'type': 'user', 'typeval': str(plan.user['id'])}
                for cp_id in plan.call_permission_ids
                if cp_id not in current
            ]
            removed += [
                {'rightcallid': cp_id, 'typeval': str(plan.user['id'])}
                for cp_id in current
                if cp_id not in plan.call_permission_ids
            ]
        self.stager.update(
            [('rightcallid', 'integer'), ('typeval', 'text')],
            removed,
            "DELETE FROM rightcallmember AS t USING {stage} AS s WHERE t.type = 'user' "
            "AND t.typeval = s.typeval AND t.rightcallid = s.rightcallid",
        )
        _insert(self.connection, MEMBER, added)


def _kept_lines(plans):
    """Plans of users who had a line and keep it."""
    return [
        plan for plan in plans if plan.state.line is not None and plan.line is not None
    ]
