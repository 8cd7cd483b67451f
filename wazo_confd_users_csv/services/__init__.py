# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The rules, per resource: a validator (every check of a row, against the lookups and the
file's claims) and a planner (what the row creates, reuses or edits). Pure: they read the
catalogue and the pipeline's shapes, never a database; each backend writes the plans."""

from dataclasses import dataclass

from ..imports.ports import RowService
from .call_permission import CallPermissionService
from .cti_profile import CtiProfileService
from .extension import ExtensionService
from .incall import IncallService
from .line import LineService
from .user import UserService
from .voicemail import VoicemailService


@dataclass
class Services:
    user: UserService
    cti_profile: RowService  # inside wazo-confd, the wazo-auth user's rules
    extension: ExtensionService
    line: LineService
    incall: IncallService
    voicemail: VoicemailService
    call_permission: CallPermissionService

    @property
    def row_services(self):
        """The services a row goes through, in the order of their checks and events."""
        return (
            self.user,
            self.cti_profile,
            self.line,
            self.incall,
            self.voicemail,
            self.call_permission,
        )


def build_services():
    extension = ExtensionService()
    return Services(
        user=UserService(),
        cti_profile=CtiProfileService(),
        extension=extension,
        line=LineService(extension),
        incall=IncallService(extension),
        voicemail=VoicemailService(),
        call_permission=CallPermissionService(),
    )
