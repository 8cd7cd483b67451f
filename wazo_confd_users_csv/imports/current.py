# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the users of an update file have now, fetched in a few set-based queries."""

from dataclasses import dataclass, field
from typing import Optional

from ..columns import canonical_uuid
from ..database.dao import call_permission as call_permission_dao
from ..database.dao import incall as incall_dao
from ..database.dao import line as line_dao
from ..database.dao import user as user_dao
from ..database.dao import voicemail as voicemail_dao


@dataclass
class UserState:
    user: dict
    line: Optional[dict] = None
    sip: Optional[dict] = None
    extension: Optional[dict] = None
    incalls: list = field(
        default_factory=list
    )  # [(incall, extension)] by exten, context
    voicemail: Optional[dict] = None
    call_permission_ids: list = field(default_factory=list)
    login: Optional[dict] = (
        None  # inside wazo-confd: the wazo-auth user, as wazo-auth lists it
    )

    def contexts(self):
        """The contexts of the resources the user has."""
        names = {pair[1]['context'] for pair in self.incalls}
        if self.line is not None:
            names.add(self.line['context'])
        if self.voicemail is not None:
            names.add(self.voicemail['context'])
        return names


def valid_uuids(rows):
    found = set()
    for row in rows:
        if row.get('uuid') is not None:
            found.add(canonical_uuid(row.get('uuid')))
    return found


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
