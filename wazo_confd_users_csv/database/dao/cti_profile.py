# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

from ..models import CtiProfile
from .helpers import ids_by_name

TABLE = CtiProfile.__table__


def find_ids_by_names(session, names):
    return ids_by_name(session, TABLE, names)
