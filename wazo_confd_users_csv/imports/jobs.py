# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Imports and updates run in the background (`Prefer: respond-async`): the request gets a
job at once, a worker thread of the host's process runs the same pipeline, and the job's row
says its phase and counts as it goes, then the answer the synchronous request would have had.

Each host keeps its jobs in its own table (inside wazo-confd `users_csv_wazo_jobs`, made by
the plugin's migrations); the runner and the store are the same. Progress is written in its
own short transactions, never the job's: the import's transaction stays all-or-nothing. A
job whose process stopped (confd killed or restarted) never committed: the next process marks
it failed when it starts (`JobStore.sweep`: inside wazo-confd the relay's first pass, once
confd has bound its database; on the standalone host a thread started with the routes), or at
its first use of the store, whichever comes first.
"""

import datetime
import json
import logging
import threading
import time
import uuid as uuids
import zlib
from contextlib import nullcontext

import sqlalchemy as sa

from ..errors import APIError, Conflict, Error, described
from ..settings import DEFAULTS
from .progress import CANCELLABLE, Cancelled, Progress

logger = logging.getLogger(__name__)

PROCESS = str(uuids.uuid4())  # this process: a job of another one that never ended died
THROTTLE = (
    0.5  # seconds between two writes of a job's counts (a phase is written at once)
)
STOPPED = 'confd stopped during the job; nothing was written'
FINISHED = ('done', 'failed', 'cancelled')
# jobs run at once by a process (users_csv.jobs_at_once); the others wait, queued (each holds
# a database connection and a core: the server's own requests need theirs)
RUNNING = DEFAULTS['jobs_at_once']
COUNTS = ('rows', 'read', 'checked', 'written', 'logins', 'logins_total', 'events')


def table(name, metadata):
    return sa.Table(
        name,
        metadata,
        sa.Column('uuid', sa.String(36), primary_key=True),
        sa.Column('tenant_uuid', sa.String(36), nullable=False),  # '' standalone
        sa.Column('verb', sa.String(16), nullable=False),  # import, update
        sa.Column('dry_run', sa.Boolean, nullable=False),
        sa.Column('phase', sa.String(16), nullable=False),
        sa.Column('counts', sa.Text, nullable=False),  # JSON
        sa.Column('cancel_requested', sa.Boolean, nullable=False),
        sa.Column('process', sa.String(36), nullable=False),  # PROCESS of its runner
        sa.Column('message', sa.Text),
        sa.Column('status', sa.Integer),  # the answer's, once done
        sa.Column('answer', sa.LargeBinary),  # zlib of the answer's JSON body
        sa.Column('created_at', sa.DateTime, nullable=False),  # UTC
        sa.Column('updated_at', sa.DateTime, nullable=False),
        sa.Column('finished_at', sa.DateTime),
    )


def at_once_setting(settings):
    """users_csv.jobs_at_once, checked when the plugin loads: a whole number, 1 or more."""
    value = (settings or {}).get('jobs_at_once', RUNNING)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f'users_csv.jobs_at_once: {value!r} is not a whole number of 1 or more'
        )
    return value


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _iso(moment):
    return None if moment is None else moment.isoformat() + 'Z'


def as_json(row, with_result=True):
    """The job as the API gives it (the list leaves out the answers: they can be big)."""
    job = {
        'uuid': row.uuid,
        'tenant_uuid': row.tenant_uuid or None,
        'verb': row.verb,
        'dry_run': row.dry_run,
        'phase': row.phase,
        'counts': dict({name: 0 for name in COUNTS}, **json.loads(row.counts)),
        'cancel_requested': row.cancel_requested,
        'message': row.message,
        'created_at': _iso(row.created_at),
        'updated_at': _iso(row.updated_at),
        'finished_at': _iso(row.finished_at),
        'status': row.status,
    }
    if with_result:
        job['result'] = (
            None if row.answer is None else json.loads(zlib.decompress(row.answer))
        )
    return job


class JobStore:
    """The jobs' table, each change in its own transaction of `engine_of()`."""

    def __init__(
        self,
        jobs_table,
        engine_of,
        ensure_schema=None,
        keep_hours=24.0,
        live=None,
    ):
        self.table = jobs_table
        # whether progress may be written while a job's transaction is open: not on SQLite,
        # whose job holds the database's one write lock (the runner then answers from memory)
        self.live = live or (lambda: True)
        self.engine_of = engine_of  # the host's engine, looked up each time
        self.ensure_schema = ensure_schema or (lambda engine: None)
        self.keep = datetime.timedelta(hours=keep_hours)
        self._swept = set()
        self._lock = threading.Lock()

    def _transaction(self):
        engine = self.engine_of()
        self.ensure_schema(engine)
        self._sweep_once(engine)
        return engine.begin()

    def sweep(self):
        """At the host's start: its earlier processes' jobs that never ended are failed,
        before anyone asks for them. Raises when the database cannot be reached."""
        engine = self.engine_of()
        self.ensure_schema(engine)
        self._sweep_once(engine)

    def sweep_quietly(self):
        """sweep(), its failure logged (the next pass, or the first use, tries again):
        True once done."""
        try:
            self.sweep()
        except Exception as exc:
            logger.warning('users_csv: jobs of a stopped process: %s', described(exc))
            return False
        return True

    def sweep_in_background(self, retry=1.0, most=60.0):
        """sweep() in a thread, tried again (waiting longer each time, up to `most`
        seconds) until it is done, here or by a first use of the store."""

        def run():
            wait = retry
            while not self.sweep_quietly():
                time.sleep(wait)
                wait = min(wait * 2, most)

        thread = threading.Thread(target=run, name='users-csv-jobs-sweep', daemon=True)
        thread.start()
        return thread

    def _sweep_once(self, engine):
        """The first time this process uses a database: its earlier processes' jobs that
        never ended are failed (their transaction never committed)."""
        key = str(engine.url)
        with self._lock:
            if key in self._swept:
                return
            with engine.begin() as connection:
                failed = self._fail_others(connection)
            self._swept.add(key)
        if failed:
            logger.warning(
                'users_csv: %d jobs of a stopped process marked failed', failed
            )

    def _fail_others(self, connection):
        t = self.table
        now = _now()
        stopped = t.c.phase.not_in(FINISHED), t.c.process != PROCESS
        return connection.execute(
            t.update()
            .where(*stopped)
            .values(phase='failed', message=STOPPED, updated_at=now, finished_at=now)
        ).rowcount

    def create(self, tenant_uuid, verb, dry_run):
        now = _now()
        job_uuid = str(uuids.uuid4())
        t = self.table
        with self._transaction() as connection:
            connection.execute(t.delete().where(t.c.created_at <= now - self.keep))
            connection.execute(
                t.insert().values(
                    uuid=job_uuid,
                    tenant_uuid=tenant_uuid or '',
                    verb=verb,
                    dry_run=dry_run,
                    phase='queued',
                    counts='{}',
                    cancel_requested=False,
                    process=PROCESS,
                    created_at=now,
                    updated_at=now,
                )
            )
        return job_uuid

    def update(self, job_uuid, counts=None, answer=None, finished=False, **values):
        values['updated_at'] = _now()
        if counts is not None:
            values['counts'] = json.dumps(counts)
        if answer is not None:
            values['answer'] = zlib.compress(json.dumps(answer).encode(), 6)
        if finished:
            values['finished_at'] = values['updated_at']
        t = self.table
        with self._transaction() as connection:
            connection.execute(t.update().where(t.c.uuid == job_uuid).values(**values))

    def find(self, job_uuid, tenant_uuid):
        """The job's row, or None (unknown, or another tenant's)."""
        t = self.table
        with self._transaction() as connection:
            return connection.execute(
                sa.select(t).where(
                    t.c.uuid == job_uuid,
                    t.c.tenant_uuid == (tenant_uuid or ''),
                    t.c.created_at > _now() - self.keep,
                )
            ).first()

    def listed(self, tenant_uuid):
        """The tenant's jobs of the last keep_hours, the newest first."""
        t = self.table
        with self._transaction() as connection:
            return connection.execute(
                sa.select(t)
                .where(
                    t.c.tenant_uuid == (tenant_uuid or ''),
                    t.c.created_at > _now() - self.keep,
                )
                .order_by(t.c.created_at.desc())
            ).all()


class Reporter(Progress):
    """A running job's Progress: phases written at once, counts at most every THROTTLE
    seconds; a cancel asked while it reads or checks stops it at its next count."""

    def __init__(self, store, job_uuid, tenant_uuid=None):
        self.store = store
        self.uuid = job_uuid
        self.tenant_uuid = tenant_uuid
        self.current = 'queued'
        self.counts: dict = {}
        self.cancelled = False
        self.wrote = False  # once writing started, even a retried job is not cancelled
        self.lock = threading.Lock()
        self._written = 0.0

    def phase(self, name):
        with self.lock:
            if self.cancelled and not self.wrote:
                raise Cancelled()
            self.current = name
            if name not in CANCELLABLE:
                self.wrote = True
        self._write(phase=name)

    def count(self, **counts):
        self.counts.update(counts)
        if self.cancelled and not self.wrote:
            raise Cancelled()
        if time.monotonic() - self._written >= THROTTLE:
            self._write()

    def _write(self, **values):
        self._written = time.monotonic()
        if not self.store.live():
            return
        try:
            self.store.update(self.uuid, counts=self.counts, **values)
        except Exception as exc:  # progress only: the job goes on
            logger.warning('users_csv: job %s: progress not stored: %s', self.uuid, exc)

    def cancel(self):
        """True when the job will stop before writing; False once it writes."""
        with self.lock:
            if self.wrote or self.current not in CANCELLABLE:
                return False
            self.cancelled = True
        return True

    def finish(self, phase, status=None, answer=None, message=None):
        # the row first: a poll in between must not see the phase without its answer
        try:
            self.store.update(
                self.uuid,
                counts=self.counts,
                answer=answer,
                finished=True,
                phase=phase,
                cancel_requested=self.cancelled,
                status=status,
                message=message,
            )
        finally:
            self.current = phase


class JobRunner:
    """Starts jobs in worker threads of this process and answers the job routes.

    `context`: what a worker runs in (inside wazo-confd: an app context, a session of its
    own and confd's reloads flushed at the end)."""

    def __init__(self, service, store, context=nullcontext, at_once=RUNNING):
        self.service = service
        self.store = store
        self.context = context
        self.running: dict[str, Reporter] = {}  # started here, queued or running
        self._lock = threading.Lock()
        self._turns = threading.BoundedSemaphore(at_once)

    def start(self, verb, body, charset, dry_run, scope, request_key):
        job_uuid = self.store.create(scope.tenant_uuid, verb.name, dry_run)
        reporter = Reporter(self.store, job_uuid, scope.tenant_uuid)
        with self._lock:
            self.running[job_uuid] = reporter
        threading.Thread(
            target=self._work,
            args=(reporter, verb, body, charset, dry_run, scope, request_key),
            name=f'users-csv-job-{job_uuid[:8]}',
            daemon=True,
        ).start()
        return self.job(job_uuid, scope.tenant_uuid)

    def _work(self, reporter, verb, body, charset, dry_run, scope, request_key):
        try:
            with self._turns, self.context():
                self._run(reporter, verb, body, charset, dry_run, scope, request_key)
        except Exception:
            logger.exception('users_csv: job %s', reporter.uuid)
        finally:
            with self._lock:
                self.running.pop(reporter.uuid, None)

    def _run(self, reporter, verb, body, charset, dry_run, scope, request_key):
        try:
            result = self.service.run(
                verb,
                body,
                charset,
                dry_run=dry_run,
                progress=reporter,
                scope=scope,
                request_key=request_key,
            )
        except Cancelled:
            reporter.finish(
                'cancelled', message='cancelled before writing; nothing was written'
            )
        except APIError as exc:  # the answer the request would have had
            reporter.finish('done', exc.status, exc.body())
        except Exception as exc:
            logger.exception('users_csv: job %s failed', reporter.uuid)
            reporter.finish(
                'failed',
                500,
                {
                    'errors': [
                        Error('error', 'the job failed: nothing was written').as_json()
                    ]
                },
                message=f'the job failed ({type(exc).__name__}); nothing was written',
            )
        else:
            answer, status = result.answer()
            reporter.finish('done', status, answer)

    def job(self, job_uuid, tenant_uuid, with_result=True):
        """The job's JSON, or None (unknown, or another tenant's)."""
        row = self.store.find(job_uuid, tenant_uuid)
        return None if row is None else self._live(as_json(row, with_result))

    def jobs(self, tenant_uuid):
        return [
            self._live(as_json(row, False)) for row in self.store.listed(tenant_uuid)
        ]

    def _live(self, job):
        """A job running here: its phase and counts as the worker has them (fresher than
        the throttled row, and the only ones on SQLite)."""
        with self._lock:
            reporter = self.running.get(job['uuid'])
        if reporter is not None and job['finished_at'] is None:
            job['phase'] = reporter.current
            job['counts'] = dict(job['counts'], **reporter.counts)
            job['cancel_requested'] = reporter.cancelled
        return job

    def cancel(self, job_uuid, tenant_uuid):
        """The job once cancelled; None when unknown; Conflict once it writes or ended."""
        with self._lock:
            reporter = self.running.get(job_uuid)
        if reporter is not None and reporter.tenant_uuid != tenant_uuid:
            reporter = None  # another tenant's: as unknown
        # a running job is cancelled before any read: on SQLite a read can wait for the
        # job's write lock, and the job would have ended by then
        if reporter is None or not reporter.cancel():
            job = self.job(job_uuid, tenant_uuid, with_result=False)
            if job is None:
                return None
            phase = reporter.current if reporter is not None else job['phase']
            if phase in FINISHED:
                why = f'the job has ended ({phase}): there is nothing to cancel'
            else:
                why = (
                    f'the job is {phase}: it writes, and a job is cancelled only while it '
                    'reads or checks; it will commit everything or nothing'
                )
            raise Conflict([Error('error', why)])
        if self.store.live():
            self.store.update(job_uuid, cancel_requested=True)
        # the worker stops at its next count: wait a little for it, to answer the outcome
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with self._lock:
                if job_uuid not in self.running:
                    break
            time.sleep(0.05)
        return self.job(job_uuid, tenant_uuid, with_result=False)
