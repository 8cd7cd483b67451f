# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""wazo-confd-users-csv: the standalone host's command line.

Exit codes: 0 success, 1 the file (or the database) refused the job, 2 bad usage. A database
or configuration problem is told in a line or two that say what to do, never a traceback.
"""

import errno
import logging
import os
import sys
import time

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text
from sqlalchemy import exc as sa_exc

from ..backends.standalone import plugin
from ..database import migrate
from ..database.session import Database
from ..errors import MAX_ERRORS, APIError, ErrorLog, ValidationFailed
from ..http import BOM
from ..imports import progress as progresses
from ..imports.ports import ExportForm, ExportRequest, Scope
from . import config as config_module
from . import reference

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
FIRST_ERRORS = 20  # listed after the summary, unless --all-errors

logger = logging.getLogger('wazo_confd_users_csv')

stderr = Console(stderr=True)


class Commands(click.Group):
    """Every command: a problem of the database or the configuration is one line and exit 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            message = explain(exc, ctx.obj)
            if message is None:
                raise
            stderr.print(f'[red]error:[/red] {escape(message)}', soft_wrap=True)
            sys.exit(EXIT_REFUSED)


def explain(exc, config):
    """What to tell about `exc` (and what to do), or None when it is not a known problem."""
    uri = _safe_uri((config or {}).get('users_csv', {}).get('db_uri', ''))
    if isinstance(exc, ModuleNotFoundError) and exc.name == 'psycopg2':
        return (
            f'db_uri {uri} is a PostgreSQL database, which needs psycopg2: pip install '
            '"wazo-confd-users-csv[postgresql]" (on Debian: apt install python3-psycopg2)'
        )
    if isinstance(exc, sa_exc.ArgumentError):
        return (
            f'db_uri {uri} is not a database URL: use for example sqlite:///users_csv.db '
            'or postgresql://user@host/dbname'
        )
    if isinstance(exc, sa_exc.DBAPIError):
        text = (str(exc.orig) if exc.orig is not None else str(exc)).strip()
        first = text.splitlines()[0] if text else type(exc).__name__
        if 'database "' in first and 'does not exist' in first:
            name = first.split('database "', 1)[1].split('"', 1)[0]
            return (
                f'the database {name} does not exist: create it (createdb {name}), then '
                'run "wazo-confd-users-csv db upgrade"'
            )
        if 'no such table' in first or (
            'relation' in first and 'does not exist' in first
        ):
            return (
                f'{uri} has no users_csv tables yet: run "wazo-confd-users-csv db upgrade" '
                'first'
            )
        if 'unable to open database file' in first:
            return (
                f'the SQLite file of {uri} cannot be opened: does its directory exist, and '
                'may this user write there?'
            )
        return f'the database {uri} cannot be used: {first}'
    # cheroot raises OSError(message) with the errno only in its text
    busy = (
        exc.errno == errno.EADDRINUSE or 'Address already in use' in str(exc)
        if isinstance(exc, OSError)
        else False
    )
    denied = (
        exc.errno == errno.EACCES or 'Permission denied' in str(exc)
        if isinstance(exc, OSError) and 'socket' in str(exc)
        else False
    )
    if busy or denied:
        port = ((config or {}).get('rest_api') or {}).get('port')
        reason = (
            'is busy (another server listens there)'
            if busy
            else 'may not be used by this user'
        )
        return f'port {port} {reason}: choose another with rest_api.port in the configuration'
    return None


@click.group(cls=Commands)
@click.option(
    '-c',
    '--config',
    'config_path',
    type=click.Path(dir_okay=False),
    help='YAML configuration (default: built-in, SQLite in the current directory)',
)
@click.option('-v', '--verbose', is_flag=True, help='log at debug level')
@click.version_option(
    package_name='wazo-confd-users-csv',
    prog_name='wazo-confd-users-csv',
    message='%(prog)s %(version)s',
)
@click.pass_context
def main(ctx, config_path, verbose):
    # what the commands create (the SQLite database, an export) holds secrets: not for others
    os.umask(os.umask(0o027) | 0o027)
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format='%(asctime)s %(levelname)s %(name)s: %(message)s',
    )
    try:
        ctx.obj = config_module.load(config_path)
    except config_module.ConfigError as exc:
        raise click.UsageError(str(exc))


@main.group()
def db():
    """Database schema."""


@db.command('upgrade')
@click.pass_obj
def db_upgrade(config):
    """Create or upgrade the database schema."""
    components = plugin.build(config)
    engine = components.database.engine
    before = migrate.current_revision(engine)
    migrate.upgrade(engine)
    after = migrate.current_revision(engine)
    uri = _safe_uri(components.database.uri)
    if before is None:
        click.echo(f'created the database schema ({uri}, revision {after})')
    elif before != after:
        click.echo(f'upgraded the database schema from {before} to {after} ({uri})')
    else:
        click.echo(
            f'the database schema was already up to date ({uri}, revision {after})'
        )


@main.group('reference')
def reference_group():
    """Reference data: entities, contexts, CTI profiles, call permissions."""


@reference_group.command('load')
@click.argument('path', type=click.Path(exists=True, dir_okay=False))
@click.pass_obj
def reference_load(config, path):
    """Create or update reference data from a YAML file (idempotent)."""
    components = plugin.build(config)
    try:
        data = reference.read(path)
        with components.database.session() as session, session.begin():
            counts = reference.load(session, data)
    except reference.ReferenceError as exc:
        stderr.print(f'[red]error:[/red] {escape(str(exc))}')
        sys.exit(EXIT_REFUSED)
    click.echo(
        'loaded ' + ', '.join(f'{count} {kind}' for kind, count in counts.items())
    )


@main.command('serve')
@click.pass_obj
def serve(config):
    """Serve the HTTP API."""
    from .app import make_server

    logging.getLogger().setLevel(logging.INFO)
    if config['auth'].get('backend') == 'static' and not config['auth'].get('tokens'):
        stderr.print(
            '[yellow]warning:[/yellow] no tokens configured (auth.tokens): every '
            'request will get 401'
        )
    wait_for_database(config['users_csv']['db_uri'])
    server = make_server(config)
    server.prepare()  # binds the port: a busy one is told before anything is printed
    listen = config['rest_api']['listen']
    host = (
        '127.0.0.1'
        if listen in ('0.0.0.0', '')
        else '[::1]' if listen == '::' else listen
    )
    click.echo(
        f'serving on http://{host}:{config["rest_api"]["port"]}/1.1 '
        f'(the page: http://{host}:{config["rest_api"]["port"]}/1.1/users/csv/)'
    )
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


ALL_ERRORS = click.option(
    '--all-errors',
    is_flag=True,
    help=f'list every error (default: counts by column and problem, then the first '
    f'{FIRST_ERRORS})',
)


@main.command('import')
@click.argument('path', type=click.File('rb'))
@click.option('--dry-run', is_flag=True, help='check and roll back: nothing is written')
@ALL_ERRORS
@click.pass_obj
def import_(config, path, dry_run, all_errors):
    """Create users from a CSV file."""
    result = _run_job(config, 'create', path, dry_run, all_errors)
    summary = result.summary()
    verb = 'would create' if dry_run else 'created'
    click.echo(
        f'{verb} {summary["rows"]} users: '
        + _counts(summary['created'])
        + (f'; reused {_counts(summary["reused"])}' if summary['reused'] else '')
    )
    if dry_run:
        click.echo('dry run: nothing was written')


@main.command('update')
@click.argument('path', type=click.File('rb'))
@click.option('--dry-run', is_flag=True, help='check and roll back: nothing is written')
@ALL_ERRORS
@click.pass_obj
def update(config, path, dry_run, all_errors):
    """Update users from a CSV file with a uuid column (an edited export)."""
    result = _run_job(config, 'update', path, dry_run, all_errors)
    summary = result.summary()
    verb = 'would update' if dry_run else 'updated'
    users = summary['users']
    parts = [
        f'{action} {_counts(summary[action])}'
        for action in ('created', 'updated', 'associated', 'dissociated')
        if summary[action]
    ]
    click.echo(
        f'{verb} {users["updated"]} of {summary["rows"]} users ({users["unchanged"]} '
        f'unchanged; {summary["events"]} changes announced)'
        + (': ' + '; '.join(parts) if parts else '')
    )
    if dry_run:
        click.echo('dry run: nothing was written')


def _run_job(config, verb, path, dry_run, all_errors):
    components = plugin.build(config)
    _check_database(components.database)
    body = path.read()
    run = getattr(components.import_service, verb)
    with _progress() as progress:
        try:
            return run(
                body,
                dry_run=dry_run,
                progress=progress,
                scope=Scope(who='cli'),
                # --all-errors keeps every error in memory; else the answer's cap
                max_errors=None if all_errors else MAX_ERRORS,
            )
        except APIError as exc:
            progress.stop()
            _print_errors(exc, None if all_errors else FIRST_ERRORS)
            sys.exit(EXIT_REFUSED)


def _check_database(database):
    """Connects once before the job: a database that does not exist (or cannot be opened) is
    then told with what to do (Commands), where the job would call it an outage."""
    with database.engine.connect() as connection:
        connection.exec_driver_sql('SELECT 1')


@main.command('export')
@click.option(
    '-o',
    '--output',
    type=click.File('wb'),
    default='-',
    help='file to write (default: standard output)',
)
@click.option(
    '--spreadsheet/--raw',
    default=None,
    help='the spreadsheet form (a BOM, formula-like cells escaped) or the cells as stored '
    '(default: users_csv.export_form, raw unless configured)',
)
@click.pass_obj
def export_(config, output, spreadsheet):
    """Write every user as CSV, the same bytes as GET /1.1/users/export."""
    components = plugin.build(config)
    if spreadsheet is None:
        spreadsheet = components.export_form == 'spreadsheet'
    try:
        if spreadsheet:
            output.write(BOM.encode('utf-8'))
        form: ExportForm = 'spreadsheet' if spreadsheet else 'raw'
        exported = components.import_service.backend.export(
            ExportRequest(Scope(who='cli'), form)
        )
        for chunk in exported.chunks:
            output.write(chunk.encode('utf-8'))
    except APIError as exc:
        _print_errors(exc)
        sys.exit(EXIT_REFUSED)


def wait_for_database(uri, delay=2.0):
    """The API is useless without its database: wait for it, saying so, rather than crash."""
    database = Database(uri)
    try:
        while True:
            try:
                with database.engine.connect() as connection:
                    connection.exec_driver_sql('SELECT 1')
                return
            except sa_exc.DBAPIError as exc:
                reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
                if 'does not exist' in reason or 'unable to open' in reason:
                    raise  # waiting will not make it: told by Commands

                logger.warning(
                    'database %s is not reachable (%s): retrying in %.0f s',
                    _safe_uri(uri),
                    reason,
                    delay,
                )
                time.sleep(delay)
    finally:
        database.dispose()


def _counts(counts):
    return ', '.join(f'{count} {name}' for name, count in counts.items()) or 'nothing'


# what the bar says in each phase, and the count it shows (of the file's rows)
PHASE_LABELS = {
    'reading': ('reading rows', 'read'),
    'checking': ('checking rows', 'checked'),
    'writing': ('writing rows', 'written'),
    'committing': ('committing', None),
    'publishing': ('publishing events', None),
}


class _progress(progresses.Progress):
    """A progress bar on a terminal over every phase of the job, nothing otherwise."""

    def __init__(self, console=None):
        self.console = console or stderr
        self.bar = None
        self.rows = None
        self.counted = None

    def __enter__(self):
        if self.console.is_terminal:
            self.bar = Progress(
                TextColumn('{task.description}'),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task('reading rows', total=None)
        return self

    def phase(self, name):
        if self.bar is None or name not in PHASE_LABELS:
            return
        label, self.counted = PHASE_LABELS[name]
        # a phase without a count of its own shows the rows done, full
        self.bar.update(
            self.task,
            description=label,
            completed=0 if self.counted else self.rows or 0,
            total=self.rows,
        )
        self.bar.refresh()  # every phase is drawn, however short

    def count(self, **counts):
        if 'rows' in counts:
            self.rows = counts['rows']
        if self.bar is not None and self.counted in counts:
            self.bar.update(self.task, completed=counts[self.counted], total=self.rows)

    def stop(self):
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __exit__(self, *exc):
        self.stop()


def _print_errors(exc, limit=None):
    """Counts by column and problem first (the API's error_summary), then the first `limit`
    errors (all of them when None): one misspelt context on 20,000 rows is a line, not a
    20,000-row table."""
    errors = exc.errors  # the first ones of a ValidationFailed; its log counts them all
    log = exc.log if isinstance(exc, ValidationFailed) else ErrorLog.of(errors)
    if all(error.row_number is None and error.line is None for error in errors):
        for (
            error
        ) in errors:  # about the whole job (the database, the file): a line each
            stderr.print(f'[red]error:[/red] {escape(error.message)}', soft_wrap=True)
        return
    counts = log.summary(len(errors))
    rows = counts['rows']
    stderr.print(
        f'[red]{_plural(log.total, "problem")}[/red]'
        + (f' on {_plural(rows, "row")}' if rows else '')
        + ': nothing was written',
        soft_wrap=True,
    )
    first = log.first  # an example of each kind, past the cap too
    by_column = Table(title='by column and problem', title_justify='left')
    by_column.add_column('count', justify='right')
    by_column.add_column('column', overflow='fold')
    by_column.add_column('problem', overflow='fold')
    by_column.add_column('first', overflow='fold')
    for group in counts['by_column']:
        example = first[(group['column'], group['code'])]
        where = f'row {example.row_number}: ' if example.row_number is not None else ''
        by_column.add_row(
            str(group['count']),
            Text(group['column'] or ''),
            group['code'],
            Text(where + example.message),
        )
    stderr.print(by_column)
    shown = errors if limit is None else errors[:limit]
    title = (
        'every error'
        if len(shown) == log.total
        else f'the first {len(shown)} of {log.total} (--all-errors lists them all)'
    )
    table = Table(title=title, title_justify='left')
    for name in ('row', 'line', 'column', 'message'):
        table.add_column(name, overflow='fold')
    for error in shown:
        table.add_row(
            _text(error.row_number),
            _text(error.line),
            Text(error.column or ''),
            Text(error.message),
        )
    stderr.print(table)


def _plural(count, noun):
    return f'{count} {noun}' + ('' if count == 1 else 's')


def _text(value):
    return '' if value is None else str(value)


def _safe_uri(uri):
    if '@' in uri and '://' in uri:
        scheme, rest = uri.split('://', 1)
        return f'{scheme}://***@{rest.split("@", 1)[1]}'
    return uri


if __name__ == '__main__':
    main()
