"""The import pipeline: read -> check every row -> all errors or write all -> commit -> publish."""
import logging
import time

from sqlalchemy import exc as sa_exc

from .. import reader
from ..errors import APIError, Conflict, Error, Unavailable, ValidationFailed
from ..schemas import load_rows, schema_for
from . import current as current_module, gc_pause, lookups as lookups_module, writer
from .plan import plan_rows, plan_update_rows
from .result import ImportResult
from .rows import RowContext

logger = logging.getLogger(__name__)

ATTEMPTS = 3  # a job whose generated value a concurrent job took is run again


class _GeneratedCollision(Exception):
    pass


class ImportService:
    def __init__(self, database, services, outbox, max_rows=None):
        self.database = database
        self.services = services
        self.outbox = outbox
        self.max_rows = max_rows

    def create(self, body, charset=None, dry_run=False, progress=None, who=None):
        return self._job('import', self._create, body, charset, dry_run, progress, who)

    def update(self, body, charset=None, dry_run=False, progress=None, who=None):
        return self._job('update', self._update, body, charset, dry_run, progress, who)

    def _job(self, verb, plan, body, charset, dry_run, progress, who):
        with gc_pause.paused():
            return self._timed_job(verb, plan, body, charset, dry_run, progress, who)

    def _timed_job(self, verb, plan, body, charset, dry_run, progress, who):
        started = time.monotonic()
        outcome, count, errors = 'error', 0, 0
        try:
            table = reader.read(body, charset, self.max_rows)
            count = table.row_count
            if verb == 'update' and 'uuid' not in table.header:
                raise ValidationFailed([Error('header', 'an update needs a uuid column: it '
                                              'selects the user of each row', line=1)])
            rows = self._load(table, progress)
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    result = self._run(table, rows, dry_run, plan)
                    break
                except _GeneratedCollision as exc:
                    if attempt == ATTEMPTS:
                        raise exc.args[0] from None
                    logger.info('users %s: a concurrent job took a generated value; again',
                                verb)
                    rows = self._load(table, None)
            outcome = 'dry_run' if dry_run else 'done'
        except APIError as exc:
            outcome, errors = f'refused_{exc.status}', len(exc.errors)
            raise
        finally:
            # One line per job, key=value; never a cell's content (secrets live there).
            logger.info('users_csv job=%s who=%s rows=%d outcome=%s errors=%d dry_run=%s '
                        'duration_ms=%d', verb, who or '-', count, outcome, errors,
                        str(dry_run).lower(), (time.monotonic() - started) * 1000)
        if not dry_run and result.events:
            self.outbox.notify()
        return result

    def _create(self, session, rows):
        lookups = lookups_module.fetch(session, rows)
        plans, claims = plan_rows(rows, lookups, self.services)
        return plans, claims, self._write_created

    def _update(self, session, rows):
        current = current_module.fetch(session, rows)
        contexts = set().union(*(state.contexts() for state in current.values()))
        lookups = lookups_module.fetch(session, rows, extra_contexts=contexts)
        plans, claims = plan_update_rows(rows, lookups, current, self.services)
        return plans, claims, self._write_updated

    def _write_created(self, session, plans):
        writer.write(session, plans, self.services)
        return [event for plan in plans for event in self.services.events(plan)]

    def _write_updated(self, session, plans):
        writer.write_updates(session, plans, self.services)
        return self.services.update_events(plans)

    @staticmethod
    def _load(table, progress):
        schema = schema_for(tuple(table.header))
        rows = []
        loaded = load_rows(schema, [row.cells for row in table.rows])
        for row, (values, cell_errors) in zip(table.rows, loaded):
            context = RowContext(row, values, table.header)
            for column in table.header:  # errors in column order, as the file reads
                if column in cell_errors:
                    context.error('invalid', cell_errors[column], column)
            rows.append(context)
            if progress is not None and len(rows) % 500 == 0:
                progress(len(rows), table.row_count)
        if progress is not None:
            progress(len(rows), table.row_count)
        return rows

    def _run(self, table, rows, dry_run, plan):
        session = self.database.session()
        generated = set()
        try:
            plans, claims, write = plan(session, rows)
            errors = list(table.errors) + [error for row in rows for error in row.errors]
            if errors:
                errors.sort(key=lambda error: error.row_number)
                raise ValidationFailed(errors)
            generated = self.services.line.generate(session, plans, claims)
            events = write(session, plans)
            if dry_run:
                session.rollback()
            else:
                self.outbox.add(session, events)
                session.commit()
            return ImportResult(plans, events, dry_run)
        except BaseException as exc:
            _rollback(session)
            mapped = database_error(exc)
            if mapped is None:
                raise
            if isinstance(mapped, Conflict) and _took_generated(exc, generated):
                raise _GeneratedCollision(mapped) from None
            raise mapped from None
        finally:
            _close(session)


def _took_generated(exc, generated):
    """Whether a unique violation is on a value this job generated (not one of the file)."""
    if not generated:
        return False
    orig = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
    detail = getattr(getattr(orig, 'diag', None), 'message_detail', None) or str(orig)
    if 'provisioning_code' not in detail and 'username' not in detail:
        return False
    value = detail.rsplit('=(', 1)[-1].split(')', 1)[0]
    return value in generated


def _rollback(session):
    try:
        session.rollback()
    except Exception:  # the connection may be gone: the database rolls back by itself
        logger.debug('rollback failed', exc_info=True)


def _close(session):
    try:
        session.close()
    except Exception:
        logger.debug('close failed', exc_info=True)


# PostgreSQL error classes: 23 integrity, 40 transaction rollback (deadlock, serialization),
# 08 connection, 57 operator intervention (terminated), 53 insufficient resources.
CONFLICT_CLASSES = ('23', '40')
UNAVAILABLE_CLASSES = ('08', '57', '53')


def database_error(exc):
    """The API error for a database failure, or None when `exc` is not one.

    COPY goes straight to psycopg2, so its errors arrive unwrapped by SQLAlchemy.
    """
    orig = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
    code = getattr(orig, 'pgcode', None) or ''
    if code[:2] in CONFLICT_CLASSES or isinstance(exc, sa_exc.IntegrityError) or \
            type(orig).__name__ == 'IntegrityError':
        detail = getattr(getattr(orig, 'diag', None), 'message_detail', None) or str(orig)
        return Conflict(f'another change took a unique value while this file was being '
                        f'written ({detail.strip()}): nothing was written; send the file again '
                        'to see which rows conflict')
    text = str(orig)
    if 'no such table' in text or 'does not exist' in text:
        return Unavailable('the database has no users_csv tables: run "wazo-confd-users-csv '
                           'db upgrade" first; nothing was written')
    is_dbapi = isinstance(exc, sa_exc.DBAPIError) or type(orig).__module__.startswith(
        ('psycopg2', 'sqlite3'))
    if is_dbapi or code[:2] in UNAVAILABLE_CLASSES:
        logger.error('database error during a job: %s', text.strip())
        return Unavailable('the database cannot be reached: nothing was written, try again '
                           'later')
    return None
