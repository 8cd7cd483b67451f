# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The standalone host's routes: POST/PUT /users/import, GET /users/import/columns and
/tenants, GET /users/export (the page's route is shared: `http.UserCsvPageResource`)."""

import logging

from flask import Response, request
from sqlalchemy import exc as sa_exc

from ... import columns, selection
from ...auth import SECRETS_ACL, required_acl, token_id
from ...errors import APIError, Unavailable
from ...http import (
    BOM,
    ErrorHandlingResource,
    chain,
    dry_run_arg,
    json_export,
    read_csv_body,
    run_or_start,
    spreadsheet_arg,
    wants_csv,
)
from ...imports import request_keys
from ...imports.ports import Scope
from ...imports.service import CREATE, UPDATE
from . import export

logger = logging.getLogger(__name__)


class UserImportResource(ErrorHandlingResource):
    def __init__(self, service, auth, max_body_bytes, runner=None):
        self.service = service
        self.auth = auth
        self.max_body_bytes = max_body_bytes
        self.runner = runner

    @required_acl('confd.users.import.create')
    def post(self):
        return self._job(CREATE)

    @required_acl('confd.users.import.update')
    def put(self):
        return self._job(UPDATE)

    def _job(self, verb):
        dry_run = dry_run_arg()
        body = read_csv_body(self.max_body_bytes)
        token = request.headers.get('X-Auth-Token', '')
        # only an update compares cells with what is stored: secret cells only for a token
        # that may read secrets (imports.unseen)
        reads_secrets = verb.name != 'update' or self.auth.allows(token, SECRETS_ACL)
        key = request_keys.parse(
            request.headers.get(request_keys.HEADER), '', verb.name, body, reads_secrets
        )
        charset = request.mimetype_params.get('charset')
        scope = Scope(who=token_id(token), reads_secrets=reads_secrets)
        return run_or_start(
            self.service, self.runner, verb, body, charset, dry_run, scope, key
        )


def not_found(job_uuid):
    return APIError(f'no job {job_uuid[:40]}', status=404)


class UserImportJobsResource(ErrorHandlingResource):
    """The jobs of the last users_csv.jobs_keep_hours, the newest first (no tenants here)."""

    def __init__(self, runner, auth):
        self.runner = runner
        self.auth = auth

    @required_acl('confd.users.import.jobs.read')
    def get(self):
        items = self.runner.jobs(None)
        return {'items': items, 'total': len(items)}


class UserImportJobResource(ErrorHandlingResource):
    def __init__(self, runner, auth):
        self.runner = runner
        self.auth = auth

    @required_acl('confd.users.import.jobs.read')
    def get(self, job_uuid):
        job = self.runner.job(str(job_uuid), None)
        if job is None:
            raise not_found(str(job_uuid))
        return job

    @required_acl('confd.users.import.jobs.delete')
    def delete(self, job_uuid):
        """Cancels a job that reads or checks; 409 once it writes."""
        job = self.runner.cancel(str(job_uuid), None)
        if job is None:
            raise not_found(str(job_uuid))
        return job


class UserImportColumnsResource(ErrorHandlingResource):
    def __init__(self, auth):
        self.auth = auth

    @required_acl('confd.users.import.read')
    def get(self):
        return [column.as_json() for column in columns.COLUMNS]


class UserImportTenantsResource(ErrorHandlingResource):
    """The standalone host has entities (a column), not tenants: none to choose from, so the
    page shows no tenant selector. Inside wazo-confd, the tenants the token may act on.
    """

    def __init__(self, auth):
        self.auth = auth

    @required_acl('confd.users.import.read')
    def get(self):
        return {'items': []}


class UserExportResource(ErrorHandlingResource):
    def __init__(self, database, auth, export_form='raw'):
        self.database = database
        self.auth = auth
        self.export_form = export_form

    @required_acl('confd.users.export.read')
    def get(self):
        csv = wants_csv()
        spreadsheet = spreadsheet_arg(self.export_form) and csv  # JSON: always raw
        chosen = selection.from_args(request.args)
        token = request.headers.get('X-Auth-Token', '')
        # the secret columns only for a token that may read them
        secrets = self.auth.allows(token, SECRETS_ACL)
        # who took the users (and their secrets), one line as for a job; never a cell
        logger.info(
            'users_csv job=export who=%s format=%s selection=%s secrets=%s',
            token_id(token),
            ('spreadsheet' if spreadsheet else 'csv') if csv else 'json',
            'all' if chosen is None else 'some',
            'included' if secrets else 'omitted',
        )
        totals: list[int] = []
        chunks = export.csv_chunks(
            self.database, chosen, totals.append, spreadsheet, secrets
        )
        try:
            # The first chunk runs the queries: a database error is still a 503, not a cut body.
            first = next(chunks)
        except (
            sa_exc.OperationalError,
            sa_exc.InterfaceError,
            sa_exc.ProgrammingError,
        ):
            logger.exception('export failed')
            raise Unavailable('the database cannot be reached: try again later')
        headers = {
            'Cache-Control': 'no-store',  # it may hold secrets
            # the page says why the secret columns are empty (the token's right, not the data)
            'Users-Csv-Secrets': 'included' if secrets else 'omitted',
        }
        if not csv:
            total = totals[0] if totals else None  # a selection's: how many users match
            return json_export(first + ''.join(chunks), total), 200, headers
        headers['Content-Disposition'] = 'attachment; filename="users.csv"'
        if spreadsheet:
            first = BOM + first
        return Response(
            chain(first, chunks),
            mimetype='text/csv',
            content_type='text/csv; charset=utf-8',
            headers=headers,
        )
