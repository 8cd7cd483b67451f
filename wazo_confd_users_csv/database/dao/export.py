# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The three streamed queries of the export, each ordered by user id.

Users with their main line, main extension, voicemail and CTI profile come from one query;
incalls and call permissions from one query each. The export merges them by user id, so the
number of queries never depends on the number of users.
"""

import sqlalchemy as sa

from ... import columns
from ..models import (
    CallPermission,
    CtiProfile,
    Extension,
    Incall,
    Line,
    LineExtension,
    SipEndpoint,
    User,
    UserCallPermission,
    UserLine,
    UserVoicemail,
    Voicemail,
)

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

# The incall and call permission columns come from their own queries; they close the export.
FOLLOWER_GROUPS = (columns.INCALL, columns.CALL_PERMISSIONS)
FOLLOWER_COLUMNS = tuple(
    column.name for column in columns.COLUMNS if column.group in FOLLOWER_GROUPS
)
USER_COLUMNS = tuple(
    column.name for column in columns.COLUMNS if column.group not in FOLLOWER_GROUPS
)
assert columns.EXPORT_ORDER == USER_COLUMNS + FOLLOWER_COLUMNS

# The tables of the users' query by name: a column is exported from where the catalogue says
# it is stored (`Column.stored`, 'table.column', from `columns.STORAGE`), so a new column
# needs no line here; only those whose stored value is not their cell do.
JOINED = {table.name: table for table in (u, vm, ln, sip, ext)}
NOT_AS_STORED = {
    'password': sa.null(),  # stored hashed: never exported
    'cti_profile_name': cp.c.name,  # stored as the profile's id
}


def _stored(column):
    if column.name in NOT_AS_STORED:
        return NOT_AS_STORED[column.name]
    table, _, name = column.stored.partition('.')
    return JOINED[table].c[name]


# Where each exported column comes from; the order is the catalogue's.
SOURCES = {name: _stored(columns.BY_NAME[name]) for name in USER_COLUMNS}


def source(name, secrets=True):
    """Where a column's cells come from; a secret's are null without `secrets`."""
    if not secrets and name in columns.SECRET_COLUMNS:
        return sa.null()
    return SOURCES[name]


def as_text(column, expression, empty=''):
    """The cell as the export writes it, computed by the database: bools 1/0, ints decimal,
    null as `empty` ('' for the Python writer; NULL for COPY, which leaves NULL unquoted).
    """
    if column.type == columns.BOOL:
        return sa.case(
            (expression.is_(True), '1'), (expression.is_(False), '0'), else_=empty
        )
    if column.type == columns.INT:
        return sa.func.coalesce(sa.cast(expression, sa.String), empty)
    return sa.func.coalesce(expression, empty)


def _user_tables():
    return (
        u.outerjoin(cp, cp.c.id == u.c.cti_profile_id)
        .outerjoin(uv, uv.c.user_id == u.c.id)
        .outerjoin(vm, vm.c.id == uv.c.voicemail_id)
        .outerjoin(ul, sa.and_(ul.c.user_id == u.c.id, ul.c.main_line.is_(True)))
        .outerjoin(ln, ln.c.id == ul.c.line_id)
        .outerjoin(sip, sip.c.id == ln.c.sip_endpoint_id)
        .outerjoin(le, sa.and_(le.c.line_id == ln.c.id, le.c.main_extension.is_(True)))
        .outerjoin(ext, ext.c.id == le.c.extension_id)
    )


def copy_sql(names, engine, secrets=True):
    """PostgreSQL: the whole export as one query for COPY ... TO STDOUT (FORMAT csv).

    Incalls and permissions are aggregated per user from a subquery sorted once (COLLATE "C"
    sorts as Python does). PostgreSQL 15 sorts each user's few rows on its own for a
    `string_agg(... ORDER BY ...)`, which cost about a fifth of the export; its string_agg is
    never parallel (no combine function), so it reads the sorted rows in their order. From
    PostgreSQL 16, which may aggregate in parallel, the ORDER BY is kept: rows already sorted,
    it costs nothing there. Empty results are NULL so that, like every empty cell, they are
    written unquoted.
    """
    main = sa.select(
        u.c.id.label('users_csv_id'),
        *[
            as_text(columns.BY_NAME[name], source(name, secrets), empty=None).label(
                name
            )
            for name in names
        ],
    ).select_from(_user_tables())
    main_sql = str(main.compile(engine, compile_kwargs={'literal_binds': True}))
    cells = ', '.join(f'main."{name}"' for name in names)
    ordered = (engine.dialect.server_version_info or (0,)) >= (16,)
    by_incall = (
        ' ORDER BY s.exten COLLATE "C", s.context COLLATE "C"' if ordered else ''
    )
    by_name = ' ORDER BY s.name COLLATE "C"' if ordered else ''
    return f"""
        SELECT {cells}, inc.extens, inc.contexts, inc.rings, perm.names
        FROM ({main_sql}) AS main
        LEFT JOIN (
            SELECT s.user_id,
                   string_agg(s.exten, ';'{by_incall}) AS extens,
                   string_agg(s.context, ';'{by_incall}) AS contexts,
                   NULLIF(string_agg(coalesce(s.ring_seconds::text, ''), ';'{by_incall}), '')
                       AS rings
            FROM (
                SELECT i.user_id, e.exten, e.context, i.ring_seconds
                FROM {inc.name} i JOIN {ext.name} e ON e.id = i.extension_id
                ORDER BY i.user_id, e.exten COLLATE "C", e.context COLLATE "C") AS s
            GROUP BY s.user_id) AS inc ON inc.user_id = main.users_csv_id
        LEFT JOIN (
            SELECT s.user_id, string_agg(s.name, ';'{by_name}) AS names
            FROM (
                SELECT ucp.user_id, p.name
                FROM {ucp.name} ucp JOIN {perm.name} p ON p.id = ucp.call_permission_id
                ORDER BY ucp.user_id, p.name COLLATE "C") AS s
            GROUP BY s.user_id) AS perm ON perm.user_id = main.users_csv_id
        ORDER BY main.users_csv_id
    """


# What a selection's search looks in.
SEARCHED = (
    u.c.firstname,
    u.c.lastname,
    u.c.email,
    u.c.username,
    ext.c.exten,
    sip.c.username,
    ln.c.provisioning_code,
)


def users(names, selection=None, secrets=True):
    """id, then the text of each column of `names`; of the selection's users, when given."""
    query = (
        sa.select(
            u.c.id,
            *[
                as_text(columns.BY_NAME[name], source(name, secrets)).label(name)
                for name in names
            ],
        )
        .select_from(_user_tables())
        .order_by(u.c.id)
    )
    if selection is None:
        return query
    return selection.page(query.where(selection.where(u.c.uuid, SEARCHED)))


def count(connection, selection):
    query = (
        sa.select(sa.func.count(sa.distinct(u.c.id)))
        .select_from(_user_tables())
        .where(selection.where(u.c.uuid, SEARCHED))
    )
    return connection.execute(query).scalar()


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
    result = connection.execution_options(stream_results=True, yield_per=batch).execute(
        query
    )
    yield from result
