# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The import pipeline: read -> check every row -> all errors or write all -> commit -> publish.

The same for every backend (backends/): the backend answers the lookups, writes, and commits.
"""

import logging
import time
from collections import Counter

from sqlalchemy import exc as sa_exc

from .. import columns, reader
from ..errors import APIError, Conflict, Error, ValidationFailed
from ..schemas import load_rows, schema_for
from . import gc_pause, request_keys
from .changes import announced
from .plan import plan_rows, plan_update_rows
from .ports import Scope
from .result import ImportResult
from .rows import RowContext

logger = logging.getLogger(__name__)

ATTEMPTS = (
    3  # a job that lost a race (a generated value taken, a deadlock) is run again
)


class _LostRace(Exception):
    pass


class _KeyClaimed(Exception):
    """A request with the same key committed while this one waited for its claim."""


class ImportService:
    def __init__(self, backend, max_rows=None):
        self.backend = backend
        self.services = backend.services
        self.catalogue = backend.catalogue
        self.max_rows = max_rows

    def create(
        self,
        body,
        charset=None,
        dry_run=False,
        progress=None,
        who=None,
        scope=None,
        request_key=None,
    ):
        """An ImportResult, or request_keys.Replayed: both give answer() -> (body, status)."""
        return self._job(
            'import',
            body,
            charset,
            dry_run,
            progress,
            scope or Scope(who=who),
            request_key,
        )

    def update(
        self,
        body,
        charset=None,
        dry_run=False,
        progress=None,
        who=None,
        scope=None,
        request_key=None,
    ):
        return self._job(
            'update',
            body,
            charset,
            dry_run,
            progress,
            scope or Scope(who=who),
            request_key,
        )

    def _job(self, verb, body, charset, dry_run, progress, scope, request_key):
        with gc_pause.paused():
            return self._timed_job(
                verb,
                body,
                charset,
                dry_run,
                progress,
                scope,
                None if dry_run else request_key,
            )

    def _timed_job(self, verb, body, charset, dry_run, progress, scope, key):
        started = time.monotonic()
        outcome, count, errors = 'error', 0, 0
        try:
            replayed = key and self.backend.replay(key)
            if replayed:
                outcome = 'replayed'  # answered before: nothing is applied twice
                return replayed
            table = reader.read(
                body, charset, self.max_rows, known=self.catalogue.names
            )
            count = table.row_count
            if verb == 'update' and 'uuid' not in table.header:
                raise ValidationFailed(
                    [
                        Error(
                            'header',
                            'an update needs a uuid column: it '
                            'selects the user of each row',
                            line=1,
                        )
                    ]
                )
            rows = self._load(table, progress)
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    result = self._run(verb, table, rows, dry_run, scope, key)
                    break
                except _KeyClaimed:
                    outcome = 'replayed'
                    return self._replay_claimed(key)
                except _LostRace as exc:
                    if attempt == ATTEMPTS:
                        raise exc.args[0] from None
                    logger.info(
                        'users %s: lost a race with a concurrent job (%s); again',
                        verb,
                        exc.args[1],
                    )
                    # the raw cells were let go once checked: read the file again
                    table = reader.read(
                        body, charset, self.max_rows, known=self.catalogue.names
                    )
                    rows = self._load(table, None)
            outcome = 'dry_run' if dry_run else 'done'
        except APIError as exc:
            outcome, errors = f'refused_{exc.status}', len(exc.errors)
            raise
        finally:
            # One line per job, key=value; never a cell's content (secrets live there).
            logger.info(
                'users_csv job=%s who=%s rows=%d outcome=%s errors=%d dry_run=%s '
                'duration_ms=%d',
                verb,
                scope.who or '-',
                count,
                outcome,
                errors,
                str(dry_run).lower(),
                (time.monotonic() - started) * 1000,
            )
        if not dry_run and result.event_count:
            self.backend.after_commit()
        return result

    def _replay_claimed(self, key):
        replayed = self.backend.replay(key)
        if (
            replayed is None
        ):  # the other one is still at work (it claimed, then we looked)
            raise Conflict(
                [
                    Error(
                        'error',
                        f'a request with this {request_keys.HEADER} is '
                        'being applied: send it again in a moment to get its answer',
                    )
                ]
            )
        return replayed

    def _create(self, job, rows):
        lookups = job.lookups(rows)
        plans, claims = plan_rows(rows, lookups, self.services, self.catalogue)
        return plans, claims, job.write

    def _update(self, job, rows):
        current = job.current(rows)
        contexts = set().union(*(state.contexts() for state in current.values()))
        lookups = job.lookups(rows, extra_contexts=contexts)
        plans, claims = plan_update_rows(
            rows, lookups, current, self.services, self.catalogue
        )
        return plans, claims, job.write_updates

    def _load(self, table, progress):
        schema = schema_for(tuple(table.header), self.catalogue.backend)
        rows = []
        loaded = load_rows(schema, table.header, [row.record for row in table.rows])
        for row, (values, cell_errors) in zip(table.rows, loaded):
            context = RowContext(row, values, table.header)
            if cell_errors:
                for column in table.header:  # errors in column order, as the file reads
                    if column in cell_errors:
                        context.error('invalid', cell_errors[column], column)
            rows.append(context)
            if progress is not None and len(rows) % 500 == 0:
                progress(len(rows), table.row_count)
        if progress is not None:
            progress(len(rows), table.row_count)
        return rows

    def _run(self, verb, table, rows, dry_run, scope, key):
        plan = self._update if verb == 'update' else self._create
        job = self.backend.job(scope, dry_run)
        generated = set()
        try:
            if key is not None:
                try:
                    job.claim(
                        key
                    )  # the first write: the same key waits here, then replays
                except sa_exc.IntegrityError:
                    raise _KeyClaimed() from None
            notices = self.backend.check_file(table.header, rows, scope)
            plans, claims, write = plan(job, rows)
            errors = list(table.errors) + [
                error for row in rows for error in row.errors
            ]
            if errors:
                errors.sort(key=lambda error: error.row_number)
                raise ValidationFailed(errors)
            for row in rows:  # a good part of a big file's memory
                row.row.let_go()
            generated = job.generate(plans, claims)
            counts = (
                Counter()
            )  # events are made as the outbox stores them: counted on the way
            results = []

            def seal(event_count):  # just before the commit
                result = ImportResult(
                    plans,
                    event_count,
                    dry_run,
                    notices,
                    sip_uuids=self.backend.name == columns.WAZO,
                    announced=counts,
                    header=table.header if verb == 'update' else None,
                )
                if (
                    key is not None
                ):  # remembered with what it answers, in the same commit
                    job.remember(key, *result.answer())
                results.append(result)

            events = announced(write(plans), counts)
            if dry_run:  # everything was written and checked: counted, then rolled back
                seal(sum(1 for _ in events))
                job.abort()
            else:
                job.finish(events, seal)
            return results[0]
        except BaseException as exc:
            job.abort()
            mapped = self.backend.database_error(exc)
            if mapped is None:
                raise
            if isinstance(mapped, Conflict) and mapped.retry:
                raise _LostRace(mapped, 'deadlock') from None
            if isinstance(mapped, Conflict) and _took_generated(exc, generated):
                raise _LostRace(mapped, 'a generated value was taken') from None
            raise mapped from None
        finally:
            job.close()


def _took_generated(exc, generated):
    """Whether a unique violation is on a value this job generated (not one of the file)."""
    if not generated:
        return False
    orig = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
    detail = getattr(getattr(orig, 'diag', None), 'message_detail', None) or str(orig)
    # Generated values never collide with the file's own (claims exclude them), so a value
    # found among them names the column, on either backend's schema.
    value = detail.rsplit('=(', 1)[-1].split(')', 1)[0]
    return value in generated
