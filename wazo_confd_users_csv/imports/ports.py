# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The pipeline's ports: what it asks of the place users are kept (`backends/`).

The pipeline (reader, catalogue, schemas, row checks, plans, errors, dry run) is the same for
every backend. A backend answers what the pipeline cannot know by itself, in the shapes
declared here and beside them in `imports` (`Lookups`, `UserState`, `RowPlan`).
"""

from dataclasses import dataclass, field
from typing import Iterable, Optional, Protocol

from ..columns import Catalogue


@dataclass
class Scope:
    """Who asks, and where the users go."""

    who: Optional[str] = None  # a hash of the token, for the log line
    tenant_uuid: Optional[str] = None  # inside wazo-confd: Tenant.autodetect()


@dataclass
class Notice:
    """Something the administrator should know that does not stop the import."""

    code: str
    message: str
    column: Optional[str] = None
    rows: list = field(default_factory=list)

    def as_json(self):
        return {
            'code': self.code,
            'message': self.message,
            'column': self.column,
            'row_numbers': self.rows[:100],
        }


class Job(Protocol):
    """One import or update: one transaction of the backend, then commit or rollback."""

    def lookups(self, rows, extra_contexts=()) -> object:
        """`imports.lookups.Lookups` for the rows (and, on update, the contexts the users'
        resources are in): a few set-based queries."""

    def current(self, rows) -> dict:
        """{uuid: imports.current.UserState} of the users an update names."""

    def generate(self, plans, claims) -> set:
        """Fills generated values (SIP usernames, secrets, provisioning codes); returns the
        unique ones, so that a collision with a concurrent job can be retried."""

    def write(self, plans) -> Iterable:
        """Writes the planned resources in bulk; returns the events to publish, in order.

        An iterable made as it is read: a big file's events never exist all at once."""

    def write_updates(self, plans) -> Iterable:
        """Writes an update's changes; returns the events to publish (as `write`)."""

    def claim(self, request_key) -> None:
        """The job's first write: its request key (`imports.request_keys`); raises
        sqlalchemy's IntegrityError when a request with that key committed meanwhile."""

    def remember(self, request_key, body, status) -> None:
        """Stores the answer of the claimed key, in the job's transaction."""

    def finish(self, events: Iterable, seal) -> None:
        """Stores the events in the outbox a chunk at a time, calls `seal(event count)` once
        everything else succeeded, and commits (events then go out). Never on a dry run: the
        pipeline counts the events itself and aborts the job."""

    def abort(self) -> None:
        """Undoes everything the job did (database, and any outside side effect)."""

    def close(self) -> None: ...


class Backend(Protocol):
    name: str
    catalogue: Catalogue
    services: object  # services.Services: validators and planners of the rows

    def job(self, scope: Scope, dry_run: bool = False) -> Job:
        """A job knows from the start whether it will commit: outside effects that take
        time (wazo-auth users) may then start early, alongside the writes."""

    def replay(self, request_key) -> object:
        """request_keys.Replayed when the key was answered in the last 24 hours, else None."""

    def check_file(self, header, rows, scope: Scope) -> list:
        """File-level rules of this backend: errors go on the rows, warnings are returned."""

    def database_error(self, exc) -> object:
        """The APIError for a database failure, or None when `exc` is not one."""

    def after_commit(self) -> None:
        """Called after a job committed (e.g. wakes the outbox relay)."""
