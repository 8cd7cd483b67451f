import sqlalchemy as sa

from ..models import Line, LineExtension, UserLine
from .helpers import assign_ids, insert_many, select_in

TABLE = Line.__table__
USER_TABLE = UserLine.__table__
EXTENSION_TABLE = LineExtension.__table__


def find_taken_provisioning_codes(session, codes):
    rows = select_in(
        session,
        lambda c: sa.select(TABLE.c.provisioning_code).where(TABLE.c.provisioning_code.in_(c)),
        codes,
    )
    return {row.provisioning_code for row in rows}


def create_many(session, lines):
    assign_ids(session, TABLE, lines)
    insert_many(session, TABLE, lines)


def associate_users(session, associations):
    """associations: dicts with user_id, line_id, main_user, main_line"""
    insert_many(session, USER_TABLE, associations)


def associate_extensions(session, associations):
    """associations: dicts with line_id, extension_id, main_extension"""
    insert_many(session, EXTENSION_TABLE, associations)
