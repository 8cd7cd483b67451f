import sqlalchemy as sa

from ..models import CtiProfile
from .helpers import select_in

TABLE = CtiProfile.__table__


def find_ids_by_names(session, names):
    rows = select_in(
        session, lambda chunk: sa.select(TABLE.c.id, TABLE.c.name).where(TABLE.c.name.in_(chunk)),
        names,
    )
    return {row.name: row.id for row in rows}
