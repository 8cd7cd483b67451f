# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the users of an update file have now in the standalone store, in a few set-based
queries."""

from ...database.dao import call_permission as call_permission_dao
from ...database.dao import incall as incall_dao
from ...database.dao import line as line_dao
from ...database.dao import user as user_dao
from ...database.dao import voicemail as voicemail_dao
from ...imports.current import UserState, valid_uuids


def fetch(session, rows):
    """{uuid: UserState} for the uuids of the rows that exist."""
    users = user_dao.find_by_uuids(session, valid_uuids(rows))
    ids = [user['id'] for user in users.values()]
    lines = line_dao.find_main_by_user_ids(session, ids)
    incalls = incall_dao.find_by_user_ids(session, ids)
    voicemails = voicemail_dao.find_by_user_ids(session, ids)
    permissions = call_permission_dao.find_ids_by_user_ids(session, ids)
    states = {}
    for uuid, user in users.items():
        line, sip, extension = lines.get(user['id'], (None, None, None))
        states[uuid] = UserState(
            user,
            line,
            sip,
            extension,
            incalls.get(user['id'], []),
            voicemails.get(user['id']),
            permissions.get(user['id'], []),
        )
    return states
