# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The pipeline's ports: what it asks of the place users are kept (`backends/`).

The pipeline (reader, catalogue, schemas, row checks, plans, errors, dry run) is the same for
every backend. A backend answers what the pipeline cannot know by itself, in the shapes
declared here and beside them in `imports` (`Lookups`, `UserState`, `RowPlan`).
"""

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Literal, Optional, Protocol, Sequence

from ..columns import Catalogue
from ..errors import APIError
from ..selection import Selection
from .current import UserState
from .lookups import Lookups
from .plan import RowPlan
from .progress import Progress
from .request_keys import Replayed, RequestKey
from .rows import Claims, RowContext


@dataclass
class Scope:
    """Who asks, and where the users go."""

    who: Optional[str] = None  # a hash of the token, for the log line
    tenant_uuid: Optional[str] = None  # inside wazo-confd: Tenant.autodetect()
    # Whether the token may read secrets (the secrets ACL). Without it an update writes secret
    # cells but never tells whether they equal the stored ones (`imports.unseen`).
    reads_secrets: bool = True


@dataclass
class Notice:
    """Something the administrator should know that does not stop the import."""

    code: str
    message: str
    column: Optional[str] = None
    rows: list[int] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            'code': self.code,
            'message': self.message,
            'column': self.column,
            'row_numbers': self.rows[:100],
        }


# An export's form: CSV with every cell as stored (confd's built-in export), CSV for a
# spreadsheet (formula-like cells escaped, `spreadsheet.py`), or confd's JSON (always raw).
ExportForm = Literal['raw', 'spreadsheet', 'json']


@dataclass(frozen=True)
class ExportRequest:
    """What an export asks for: every user (the file), or a page of a selection (the users
    list), of the scope's tenant; secret columns only when `scope.reads_secrets`."""

    scope: Scope
    form: ExportForm = 'raw'
    selection: Optional[Selection] = None
    # inside wazo-confd: the tenants whose users are exported (the scope's, or with
    # ?recurse=true those the token sees from it); the standalone host has none
    tenants: tuple[str, ...] = ()
    recurse: bool = False


@dataclass
class Exported:
    """An export being written: CSV text, the header first, then a row per user by id (a
    spreadsheet's BOM is the HTTP answer's business); for a selection, how many users match.
    """

    chunks: Iterator[str]
    total: Optional[int] = None

    @classmethod
    def begun(cls, chunks: Iterator[str], totals: Sequence[int]) -> 'Exported':
        """An export whose first chunk is read now (its queries run, its errors raise here);
        `totals`: where the selection's count was put by then, if any. Closing the chunks
        closes `chunks` (a cut answer stops the copy)."""
        first = next(chunks)

        def rest() -> Iterator[str]:
            yield first
            yield from chunks

        return cls(rest(), totals[0] if totals else None)


class Event(Protocol):
    """What a backend announces (its own type); the pipeline counts them by name."""

    name: str


class Validator(Protocol):
    def validate(self, row: RowContext, lookups: Lookups, claims: Claims) -> None:
        """Every check of a new user's row: errors go on the row."""

    def validate_update(
        self, row: RowContext, state: UserState, lookups: Lookups, claims: Claims
    ) -> None:
        """Every check of a row that changes `state`."""


class RowService(Protocol):
    """The rules of one resource (`services/`): a validator and a planner."""

    @property
    def validator(self) -> Validator: ...

    def plan(self, plan: RowPlan, lookups: Lookups) -> None:
        """Fills the resource's part of a new user's plan."""

    def plan_update(self, plan: RowPlan, lookups: Lookups) -> None:
        """Fills the resource's part of an update's plan (`plan.state`: what it was)."""


class Rules(Protocol):
    """A backend's rules: the resources a row goes through, in order (`services.Services`)."""

    @property
    def row_services(self) -> Sequence[RowService]: ...


class Job(Protocol):
    """One import or update: one transaction of the backend, then commit or rollback."""

    def lookups(
        self,
        rows: Sequence[RowContext],
        extra_contexts: Iterable[str] = (),
        extra_extensions: Iterable[tuple[str, str]] = (),
        extra_voicemails: Iterable[tuple[str, str]] = (),
    ) -> Lookups:
        """What the rows refer to (and, on update, the contexts the users' resources are in,
        and the (number, context) pairs of `imports.lookups.updated_pairs`):
        a few set-based queries."""

    def current(self, rows: Sequence[RowContext]) -> dict[str, UserState]:
        """{uuid: UserState} of the users an update names."""

    def generate(self, plans: list[RowPlan], claims: Claims) -> set[str]:
        """Fills generated values (SIP usernames, secrets, provisioning codes); returns the
        unique ones, so that a collision with a concurrent job can be retried."""

    def write(self, plans: list[RowPlan]) -> Iterable[Event]:
        """Writes the planned resources in bulk; returns the events to publish, in order.

        An iterable made as it is read: a big file's events never exist all at once."""

    def write_updates(self, plans: list[RowPlan]) -> Iterable[Event]:
        """Writes an update's changes; returns the events to publish (as `write`)."""

    def claim(self, request_key: RequestKey) -> None:
        """The job's first write: its request key (`imports.request_keys`); raises
        sqlalchemy's IntegrityError when a request with that key committed meanwhile."""

    def remember(self, request_key: RequestKey, body: object, status: int) -> None:
        """Stores the answer of the claimed key, in the job's transaction."""

    def finish(self, events: Iterable[Event], seal: Callable[[int], None]) -> None:
        """Stores the events in the outbox a chunk at a time, calls `seal(event count)` once
        everything else succeeded, and commits (events then go out). Never on a dry run: the
        pipeline counts the events itself and aborts the job."""

    def abort(self) -> None:
        """Undoes everything the job did (database, and any outside side effect)."""

    def close(self) -> None: ...


class Backend(Protocol):
    name: str
    sip_uuids: (
        bool  # whether the answer's entries give each SIP endpoint's uuid (sip_uuid)
    )
    catalogue: Catalogue
    services: Rules

    def job(
        self, scope: Scope, dry_run: bool = False, progress: Optional[Progress] = None
    ) -> Job:
        """A job knows from the start whether it will commit: outside effects that take
        time (wazo-auth users) may then start early, alongside the writes. `progress`: where
        it reports the phases only it knows of (waiting for wazo-auth's logins)."""

    def replay(self, request_key: RequestKey) -> Optional[Replayed]:
        """The answer when the key was answered in the last 24 hours, else None."""

    def check_file(
        self, header: Sequence[str], rows: Sequence[RowContext], scope: Scope
    ) -> list[Notice]:
        """File-level rules of this backend: errors go on the rows, warnings are returned."""

    def database_error(
        self, exc: BaseException, generated: Iterable[str] = ()
    ) -> Optional[APIError]:
        """The APIError for a database failure, or None when `exc` is not one; a Conflict
        says in `retry` why running the job again may succeed (a deadlock, a value in
        `generated` taken by a concurrent job)."""

    def after_commit(self) -> None:
        """Called after a job committed (e.g. wakes the outbox relay)."""

    def export(self, request: ExportRequest) -> Exported:
        """The users as CSV, streamed with flat memory in its own transaction. The queries
        have run up to the first chunk when it returns: a failure to reach the database (or
        wazo-auth) raises here, never in the middle of an answer's body."""
