from ..models import Incall
from .helpers import assign_ids, insert_many

TABLE = Incall.__table__


def create_many(session, incalls):
    """incalls: dicts with user_id, ring_seconds, extension_id"""
    assign_ids(session, TABLE, incalls)
    insert_many(session, TABLE, incalls)
