# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shape of what the users of an update file have now: each backend fills it in a few
set-based queries (`backends/*/current.py`)."""

from dataclasses import dataclass, field
from typing import Optional

from ..columns import canonical_uuid


@dataclass
class UserState:
    user: dict
    line: Optional[dict] = None
    sip: Optional[dict] = None
    extension: Optional[dict] = None
    # [(incall, extension)] by exten, context
    incalls: list = field(default_factory=list)
    voicemail: Optional[dict] = None
    call_permission_ids: list = field(default_factory=list)
    # inside wazo-confd: the wazo-auth user, as wazo-auth lists it
    login: Optional[dict] = None

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
