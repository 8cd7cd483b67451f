from ..models import SccpEndpoint
from .helpers import assign_ids, insert_many

TABLE = SccpEndpoint.__table__


def create_many(session, endpoints):
    assign_ids(session, TABLE, endpoints)
    insert_many(session, TABLE, endpoints)
