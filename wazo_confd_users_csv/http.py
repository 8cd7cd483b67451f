# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP helpers both hosts' routes use (reading a CSV body, query arguments, answers, JSON
errors, the export's arguments and answer) and the web page's static files."""

import csv
import functools
import io
import logging

from flask import Response, request, url_for
from flask_restful import Resource
from werkzeug.exceptions import ClientDisconnected

from . import selection, ui
from .auth import token_id
from .errors import APIError, FileError, TooLarge, UnsupportedMediaType

logger = logging.getLogger(__name__)

CSV_TYPES = ('text/csv', 'text/plain', '')


def json_errors(method):
    """Every failure answers JSON; nothing leaks a stack trace."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except APIError as exc:
            return exc.body(), exc.status
        except Exception:
            logger.exception('unexpected error on %s %s', request.method, request.path)
            return (
                APIError('internal error: it was logged; nothing was written').body(),
                500,
            )

    return wrapper


class ErrorHandlingResource(Resource):
    method_decorators = [json_errors]


def refused(status, why):
    """One line per refusal, as the token check logs a 401 (a hash of the token, never it)."""
    token = request.headers.get('X-Auth-Token', '')
    logger.info(
        'users_csv refused=%s who=%s method=%s path=%s why=%s',
        status,
        token_id(token) if token else '-',
        request.method,
        request.path,
        why,
    )


def read_csv_body(max_bytes):
    if request.mimetype not in CSV_TYPES:
        refused(415, 'content-type')
        raise UnsupportedMediaType(
            f'the body must be a CSV file sent with Content-Type: text/csv (got '
            f'{request.mimetype[:60]})'
        )
    if request.content_length is not None and request.content_length > max_bytes:
        refused(413, 'content-length')
        raise TooLarge(
            f'the file is larger than the limit of {max_bytes} bytes: split it'
        )
    if request.environ.get(
        'users_csv.chunked'
    ):  # the standalone host paces known lengths
        refused(411, 'chunked')
        raise APIError(
            'send the file with a Content-Length (not chunked): its size is checked '
            'before it is read',
            status=411,
        )
    try:
        body = request.stream.read(max_bytes + 1)
    except ClientDisconnected:
        pace = request.environ.get('users_csv.body_too_slow')
        if pace:
            refused(408, 'too-slow')
            raise APIError(
                f'the file came too slowly: this server reads uploads that arrive at '
                f'{pace}; nothing was written, send it again',
                status=408,
            ) from None
        body = None
    if (
        body is None
        or request.content_length is not None
        and len(body) < request.content_length
    ):
        raise FileError(
            'truncated',
            'the upload was cut short (fewer bytes than '
            'Content-Length): nothing was written; send the file again',
        )
    if len(body) > max_bytes:
        refused(413, 'body')
        raise TooLarge(
            f'the file is larger than the limit of {max_bytes} bytes: split it'
        )
    return body


def dry_run_arg():
    value = request.args.get('dry_run', 'false').lower()
    if value not in ('true', 'false'):
        raise APIError('dry_run must be true or false')
    return value == 'true'


def prefers_async():
    """Whether the request says `Prefer: respond-async` (RFC 7240: preferences separated by
    commas, each with its own `=value` and `;parameters`; names are case-insensitive).
    """
    for header in request.headers.getlist('Prefer'):
        for preference in header.split(','):
            name = preference.split(';')[0].split('=')[0].strip().lower()
            if name == 'respond-async':
                return True
    return False


def run_or_start(service, runner, verb, body, charset, dry_run, scope, key):
    """The job's answer; with `Prefer: respond-async` (RFC 7240) and a runner, 202 at once
    with the job and its Location: its progress and answer come later."""
    if runner is not None and prefers_async():
        job = runner.start(verb, body, charset, dry_run, scope, key)
        location = url_for('users_csv_import_job', job_uuid=job['uuid'])
        return job, 202, {'Location': location, 'Preference-Applied': 'respond-async'}
    return answer_of(
        service.run(verb, body, charset, dry_run=dry_run, scope=scope, request_key=key)
    )


def answer_of(result):
    """The job's answer; a replayed one (a request key sent again) says so in a header."""
    body, status = result.answer()
    if getattr(result, 'replayed', False):
        return body, status, {'Idempotent-Replayed': 'true'}
    return body, status


BOM = '\ufeff'
# users_csv.export_form: what an export without ?spreadsheet= gives (wazo-ui's Export button
# sends no query string): `raw` as confd's built-in export, or `spreadsheet`.
EXPORT_FORMS = ('raw', 'spreadsheet')


def export_form_setting(settings):
    """The configured default form of the export, checked when the plugin loads."""
    form = (settings or {}).get('export_form', 'raw')
    if form not in EXPORT_FORMS:
        raise ValueError(
            f'users_csv.export_form: {form!r} is not one of {EXPORT_FORMS}'
        )
    return form


def _bool_arg(name):
    value = request.args.get(name)
    if value is None:
        return None
    if value.lower() not in ('true', 'false'):
        raise APIError(f'{name} must be true or false')
    return value.lower() == 'true'


def spreadsheet_arg(default_form='raw'):
    """?spreadsheet=true: the export for a spreadsheet (a UTF-8 byte order mark, by which
    Excel on Windows knows the file is UTF-8, and formula-like cells escaped); false: raw, as
    confd's built-in export. ?bom=true, the earlier name of the spreadsheet form, still asks
    for it. Neither: the configured default."""
    for name in ('spreadsheet', 'bom'):
        value = _bool_arg(name)
        if value is not None:
            return value
    return default_form == 'spreadsheet'


# The one representation confd's built-in export declares (flask-restful's `representations`):
# it is chosen as confd chooses it, else the answer is JSON.
CSV_MEDIATYPE = 'text/csv; charset=utf-8'


def wants_csv():
    """As confd's built-in export negotiates: CSV when Accept matches `text/csv;
    charset=utf-8` (wazo-confd-client's export_csv, `*/*`, `text/*`), JSON otherwise (no Accept,
    `text/csv` without the charset, `application/json`). werkzeug matches a media type's
    parameters too: `text/csv` alone is not `text/csv; charset=utf-8`."""
    return (
        request.accept_mimetypes.best_match([CSV_MEDIATYPE], default=None) is not None
    )


def json_export(text, total=None):
    """confd's JSON shape of an export: {"headers": [...], "content": [{column: cell}]}; with
    "total" (the users matching) for a selection."""
    rows = csv.reader(io.StringIO(text, newline=''))
    header = next(rows)
    found = {'headers': header, 'content': [dict(zip(header, row)) for row in rows]}
    if total is not None:
        found['total'] = total
    return found


def encoded(chunks, prefix=''):
    """A response body of text chunks, encoded; `prefix` goes in front of the first. An
    answer cut short closes `chunks` (the export's copy stops)."""
    try:
        for chunk in chunks:
            yield (prefix + chunk).encode('utf-8')
            prefix = ''
    finally:
        chunks.close()


def export_args(default_form='raw'):
    """(form, selection) of an export request: `json` unless Accept asks for CSV (then `raw`
    or `spreadsheet`: `spreadsheet_arg`), and the users list's selection, or None for every
    user (`selection.from_args`). A bad argument is a 400 before anything is read."""
    spreadsheet = spreadsheet_arg(default_form)
    if not wants_csv():
        form = 'json'  # for programs: always raw
    else:
        form = 'spreadsheet' if spreadsheet else 'raw'
    return form, selection.from_args(request.args)


def export_answer(backend, export_request):
    """Runs the export through the backend's port (`imports.ports.Backend.export`, given an
    `ExportRequest`) and answers it: CSV streamed (a BOM first in the spreadsheet form), or
    confd's JSON (with `total` for a selection); never cached, as it may hold secrets.
    """
    secrets = export_request.scope.reads_secrets
    form = export_request.form
    # who took the users (and their secrets), one line as for a job; never a cell
    logger.info(
        'users_csv job=export who=%s format=%s selection=%s secrets=%s',
        export_request.scope.who or '-',
        'csv' if form == 'raw' else form,
        'all' if export_request.selection is None else 'some',
        'included' if secrets else 'omitted',
    )
    exported = backend.export(export_request)
    headers = {
        'Cache-Control': 'no-store',
        # the page says why the secret columns are empty (the token's right, not the data)
        'Users-Csv-Secrets': 'included' if secrets else 'omitted',
    }
    if form == 'json':
        return json_export(''.join(exported.chunks), exported.total), 200, headers
    headers['Content-Disposition'] = 'attachment; filename="users.csv"'
    return Response(
        encoded(exported.chunks, BOM if form == 'spreadsheet' else ''),
        mimetype='text/csv',
        content_type=CSV_MEDIATYPE,
        headers=headers,
    )


# The page loads only its own files and calls only its own origin; no other site may frame it.
PAGE_HEADERS = {
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: blob:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
}


def page_redirect(location):
    """A redirect relative to the request's URL: the Host header is never echoed back."""
    response = Response(status=308, headers={'Location': location})
    response.autocorrect_location_header = False
    return response


class UserCsvPageResource(ErrorHandlingResource):
    """The web page: static files that hold no data and call the API with the user's token."""

    def get(self, name='index.html'):
        if not request.path.endswith('/') and name == 'index.html':
            return page_redirect('csv/')  # the page's links are relative to .../csv/
        if name not in ui.ASSETS:
            return APIError('no such file').body(), 404
        return Response(
            ui.content(name),
            content_type=f'{ui.ASSETS[name]}; charset=utf-8',
            headers=PAGE_HEADERS,
        )
