import sqlalchemy as sa

from ..models import SipEndpoint
from .helpers import assign_ids, insert_many, select_in

TABLE = SipEndpoint.__table__


def find_taken_usernames(session, usernames):
    rows = select_in(
        session, lambda c: sa.select(TABLE.c.username).where(TABLE.c.username.in_(c)), usernames
    )
    return {row.username for row in rows}


def create_many(session, endpoints):
    assign_ids(session, TABLE, endpoints)
    insert_many(session, TABLE, endpoints)
