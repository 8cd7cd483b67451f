import sqlalchemy as sa

from ..models import UserVoicemail, Voicemail
from .helpers import assign_ids, insert_many, select_in

TABLE = Voicemail.__table__
USER_TABLE = UserVoicemail.__table__


def find_ids(session, pairs):
    """{(number, context): id} for the voicemails that exist."""
    rows = select_in(
        session,
        lambda chunk: sa.select(TABLE.c.id, TABLE.c.number, TABLE.c.context)
        .where(sa.tuple_(TABLE.c.number, TABLE.c.context).in_(chunk)),
        pairs, size=200,
    )
    return {(row.number, row.context): row.id for row in rows}


def create_many(session, voicemails):
    assign_ids(session, TABLE, voicemails)
    insert_many(session, TABLE, voicemails)


def associate_users(session, pairs):
    """pairs: [(user_id, voicemail_id)]"""
    insert_many(session, USER_TABLE,
                [{'user_id': user_id, 'voicemail_id': vm_id} for user_id, vm_id in pairs])
