# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a job says as it goes: its phase and its counts. The pipeline reports to a
`Progress`; a job run in the background (imports/jobs.py) stores it, the CLI draws it, and a
synchronous request ignores it (the default reports nothing).

A `Progress` may also stop the job: `count` and `phase` raise `Cancelled` while the job only
reads and checks, never once it writes.
"""

from typing import Callable, Optional

# in the order a job goes through them ('logins': waiting for wazo-auth's users, inside
# wazo-confd; they are made while the rows are written)
PHASES = ('reading', 'checking', 'writing', 'logins', 'committing', 'publishing')
CANCELLABLE = ('queued', 'reading', 'checking')


class Cancelled(Exception):
    """The job was cancelled before it wrote anything."""


class Progress:
    """Reports nothing: a synchronous request's."""

    def phase(self, name: str) -> None:
        """The job enters `name` (one of PHASES)."""

    def count(self, **counts: int) -> None:
        """Counts so far: rows, read, checked, written, logins, logins_total, events."""


class Rows(Progress):
    """The earlier form: a callable told (rows read, rows in the file) while reading."""

    def __init__(self, advance: Callable[[int, int], None]):
        self.advance = advance
        self.rows = 0

    def count(self, **counts):
        if 'rows' in counts:
            self.rows = counts['rows']
        if 'read' in counts:
            self.advance(counts['read'], self.rows)


def of(progress) -> Progress:
    """A Progress from what `ImportService.run` was given (None, a callable, a Progress)."""
    if progress is None:
        return Progress()
    if isinstance(progress, Progress):
        return progress
    return Rows(progress)


EVERY = 500  # rows between two counts of a loop over the rows


def ticker(progress: Optional[Progress], name: str):
    """A function to call with each row's number in a loop: counts every EVERY rows."""
    if progress is None:
        return None

    def tick(done):
        if done % EVERY == 0:
            progress.count(**{name: done})

    return tick
