import sqlalchemy as sa

from ..models import User
from .helpers import assign_ids, insert_many, select_in

TABLE = User.__table__


def find_taken_uuids(session, uuids):
    rows = select_in(session, lambda c: sa.select(TABLE.c.uuid).where(TABLE.c.uuid.in_(c)), uuids)
    return {row.uuid for row in rows}


def find_taken_emails(session, emails):
    """Lower-cased emails already used by a user (email is unique, case-insensitive)."""
    lowered = sa.func.lower(TABLE.c.email)
    rows = select_in(session, lambda c: sa.select(lowered.label('email')).where(lowered.in_(c)),
                     [email.lower() for email in emails])
    return {row.email for row in rows}


def find_taken_usernames(session, usernames):
    rows = select_in(
        session, lambda c: sa.select(TABLE.c.username).where(TABLE.c.username.in_(c)), usernames
    )
    return {row.username for row in rows}


def create_many(session, users):
    assign_ids(session, TABLE, users)
    insert_many(session, TABLE, users)
