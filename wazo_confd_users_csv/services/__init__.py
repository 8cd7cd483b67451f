# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Per-resource services (validator + DAO + notifier), the same for one row or ten thousand."""

from dataclasses import dataclass

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
    cti_profile: CtiProfileService
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

    def events(self, plan):
        return [
            event for service in self.row_services for event in service.events(plan)
        ]

    def update_events(self, plans):
        """Events of an update, in row order; a row that changes nothing sends none."""
        seen = set()  # resources shared by several rows are edited (and announced) once
        return (
            event
            for plan in plans
            for service in self.row_services
            for event in service.update_events(plan, seen)
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
