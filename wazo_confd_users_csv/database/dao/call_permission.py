import sqlalchemy as sa

from ..models import CallPermission, UserCallPermission
from .helpers import insert_many, select_in

TABLE = CallPermission.__table__
USER_TABLE = UserCallPermission.__table__


def find_ids_by_names(session, names):
    rows = select_in(
        session, lambda chunk: sa.select(TABLE.c.id, TABLE.c.name).where(TABLE.c.name.in_(chunk)),
        names,
    )
    return {row.name: row.id for row in rows}


def associate_users(session, pairs):
    """pairs: [(user_id, call_permission_id)]"""
    insert_many(session, USER_TABLE,
                [{'user_id': user_id, 'call_permission_id': cp_id} for user_id, cp_id in pairs])
