# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The import pipeline: read -> check every row -> all errors or write all -> commit -> publish.

The same for every backend (backends/): the backend answers the lookups, writes, and commits.
"""

import logging
import time
from collections import Counter
from typing import Optional

from sqlalchemy import exc as sa_exc

from .. import reader
from ..errors import MAX_ERRORS, APIError, Conflict, Error, ErrorLog, ValidationFailed
from ..schemas import load_rows, schema_for
from . import gc_pause
from . import progress as progresses
from . import request_keys, unseen
from .changes import announced
from .lookups import updated_pairs
from .phases import Phases
from .plan import plan_rows, plan_update_rows
from .ports import Backend, Notice, Scope
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


class Create:
    """POST: every row a new user."""

    name = 'import'
    answers_changes = False

    def check_header(self, header):
        pass

    def plan(self, job, rows, services, catalogue, scope, phases, tick=None):
        with phases.timing('lookups'):
            lookups = job.lookups(rows)
        return plan_rows(rows, lookups, services, catalogue, tick, phases)

    def write(self, job, plans):
        return job.write(plans)


class Update:
    """PUT: every row an existing user, by uuid; the columns of the file change."""

    name = 'update'
    answers_changes = True  # per row, the columns that change (the header's)

    def check_header(self, header):
        if 'uuid' not in header:
            raise ValidationFailed(
                [
                    Error(
                        'header',
                        'an update needs a uuid column: it selects the user of each row',
                        line=1,
                    )
                ]
            )

    def plan(self, job, rows, services, catalogue, scope, phases, tick=None):
        with phases.timing('lookups'):  # what the users have now, and what rows name
            current = job.current(rows)
            if not scope.reads_secrets:  # secret cells written, never compared
                unseen.blind(current)
            contexts = set().union(*(state.contexts() for state in current.values()))
            extensions, voicemails = updated_pairs(rows, current)
            lookups = job.lookups(
                rows,
                extra_contexts=contexts,
                extra_extensions=extensions,
                extra_voicemails=voicemails,
            )
        return plan_update_rows(
            rows, lookups, current, services, catalogue, tick, phases
        )

    def write(self, job, plans):
        return job.write_updates(plans)


CREATE, UPDATE = Create(), Update()


class ImportService:
    def __init__(self, backend: Backend, max_rows: Optional[int] = None):
        self.backend = backend
        self.services = backend.services
        self.catalogue = backend.catalogue
        self.max_rows = max_rows

    def create(self, body, charset=None, **options):
        """An ImportResult, or request_keys.Replayed: both give answer() -> (body, status).
        options: those of `run`."""
        return self.run(CREATE, body, charset, **options)

    def update(self, body, charset=None, **options):
        return self.run(UPDATE, body, charset, **options)

    def run(
        self,
        verb,
        body,
        charset=None,
        dry_run=False,
        progress=None,
        scope=None,
        request_key=None,
        max_errors=MAX_ERRORS,
    ):
        """max_errors: how many errors are kept in full (the answer's cap); None keeps them
        all (the CLI's --all-errors). Every error is counted either way."""
        with gc_pause.paused():
            return self._timed_job(
                verb,
                body,
                charset,
                dry_run,
                progresses.of(progress),
                scope or Scope(),
                None if dry_run else request_key,
                max_errors,
            )

    def _read(self, body, charset, log):
        return reader.read(
            body, charset, self.max_rows, known=self.catalogue.names, log=log
        )

    def _timed_job(self, verb, body, charset, dry_run, progress, scope, key, limit):
        started = time.monotonic()
        outcome, count, errors = 'error', 0, 0
        phases = Phases()
        try:
            replayed = key and self.backend.replay(key)
            if replayed:
                outcome = 'replayed'  # answered before: nothing is applied twice
                return replayed
            progress.phase('reading')
            log = ErrorLog(limit)  # bounded: a bad cell everywhere is counted, not kept
            with phases.timing('read'):
                table = self._read(body, charset, log)
            count = table.row_count
            progress.count(rows=count)
            if not table.row_count:  # an empty or header-only file: nothing to do
                outcome = 'nothing'
                return ImportResult(
                    [],
                    0,
                    dry_run,
                    file_notices(table),
                    sip_uuids=self.backend.sip_uuids,
                    header=table.header if verb.answers_changes else None,
                )
            verb.check_header(table.header)
            with phases.timing('read'):
                rows = self._load(table, progress, log)
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    result = self._run(
                        verb, table, rows, dry_run, scope, key, progress, log, phases
                    )
                    break
                except _KeyClaimed:
                    outcome = 'replayed'
                    return self._replay_claimed(key)
                except _LostRace as exc:
                    if attempt == ATTEMPTS:
                        raise exc.args[0] from None
                    logger.info(
                        'users %s: lost a race with a concurrent job (%s); again',
                        verb.name,
                        exc.args[1],
                    )
                    # the raw cells were let go once checked: read the file again
                    log = ErrorLog(limit)
                    table = self._read(body, charset, log)
                    rows = self._load(table, progresses.Progress(), log)
            outcome = 'dry_run' if dry_run else 'done'
        except progresses.Cancelled:
            outcome = 'cancelled'
            raise
        except APIError as exc:
            outcome, errors = f'refused_{exc.status}', exc.count
            raise
        finally:
            # One line per job, key=value; never a cell's content (secrets live there).
            logger.info(
                'users_csv job=%s who=%s rows=%d outcome=%s errors=%d dry_run=%s '
                'duration_ms=%d phases_ms=%s',
                verb.name,
                scope.who or '-',
                count,
                outcome,
                errors,
                str(dry_run).lower(),
                (time.monotonic() - started) * 1000,
                phases.log_text(),
            )
        if not dry_run and result.event_count:
            progress.phase('publishing')
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

    def _load(self, table, progress, log):
        schema = schema_for(tuple(table.header), self.catalogue.backend)
        rows = []
        loaded = load_rows(schema, table.header, [row.record for row in table.rows])
        for row, (values, cell_errors) in zip(table.rows, loaded):
            context = RowContext(row, values, table.header, log)
            if cell_errors:
                for column in table.header:  # errors in column order, as the file reads
                    if column in cell_errors:
                        context.error('invalid', cell_errors[column], column)
            rows.append(context)
            if len(rows) % progresses.EVERY == 0:
                progress.count(read=len(rows))
        progress.count(read=len(rows))
        return rows

    def _run(self, verb, table, rows, dry_run, scope, key, progress, log, phases):
        progress.phase('checking')
        job = self.backend.job(scope, dry_run, progress)
        generated = set()
        try:
            if key is not None:
                try:
                    # the first write: the same key waits here, then replays
                    job.claim(key)
                except sa_exc.IntegrityError:
                    raise _KeyClaimed() from None
            notices = file_notices(table) + self.backend.check_file(
                table.header, rows, scope
            )
            plans, claims = verb.plan(
                job,
                rows,
                self.services,
                self.catalogue,
                scope,
                phases,
                progresses.ticker(progress, 'checked'),
            )
            progress.count(checked=len(rows))
            if log.total:
                if verb.name == 'import':
                    for error in looks_like_export(rows, log):
                        log.about_the_file(error)
                raise ValidationFailed(log.errors(), log)
            # the last moment a job may be cancelled: nothing was written yet
            progress.phase('writing')
            for row in rows:  # a good part of a big file's memory
                row.row.let_go()
            with phases.timing('generate'):
                generated = job.generate(plans, claims)
            # events are made as the outbox stores them: counted on the way
            counts: Counter = Counter()
            results = []

            def seal(event_count):  # just before the commit
                progress.count(events=event_count)
                if not dry_run:
                    progress.phase('committing')
                result = ImportResult(
                    plans,
                    event_count,
                    dry_run,
                    notices,
                    sip_uuids=self.backend.sip_uuids,
                    announced=counts,
                    header=table.header if verb.answers_changes else None,
                )
                if (
                    key is not None
                ):  # remembered with what it answers, in the same commit
                    job.remember(key, *result.answer())
                results.append(result)

            with phases.timing('write'):
                events = announced(verb.write(job, plans), counts)
            progress.count(written=len(plans))
            with phases.timing('outbox'):
                if dry_run:  # all was written and checked: counted, then rolled back
                    seal(sum(1 for _ in events))
                    job.abort()
                else:
                    job.finish(events, seal)
            return results[0]
        except BaseException as exc:
            job.abort()
            mapped = self.backend.database_error(exc, generated)
            if mapped is None:
                raise
            if isinstance(mapped, Conflict) and mapped.retry:
                raise _LostRace(mapped, mapped.retry) from None
            raise mapped from None
        finally:
            job.close()


def looks_like_export(rows, log):
    """[an error first] when most rows of a create name existing users: an export sent back
    to POST (as an update it would change them; created, they would be twins)."""
    existing = log.counts[('uuid', 'taken')]  # one a row at most
    with_uuid = sum(1 for row in rows if row.get('uuid') is not None)
    if not existing or existing * 2 < with_uuid:
        return []
    return [
        Error(
            'looks_like_export',
            f'these users already exist ({existing} of the {len(rows)} rows name the uuid '
            'of an existing user): this file looks like an export; to change them send it '
            'as an update (PUT /1.1/users/import, or Update in the page); to create new '
            'users, leave uuid empty',
            line=1,
            column='uuid',
        )
    ]


def file_notices(table):
    """The reader's warnings (ignored columns, no rows) as the answer's."""
    return [Notice(warning.code, warning.message) for warning in table.warnings]
