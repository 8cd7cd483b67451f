# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

from ..models import SccpEndpoint
from .helpers import assign_ids, insert_many

TABLE = SccpEndpoint.__table__


def create_many(session, endpoints):
    assign_ids(session, TABLE, endpoints)
    insert_many(session, TABLE, endpoints)
