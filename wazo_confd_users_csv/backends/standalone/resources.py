# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The standalone host's routes: POST/PUT /users/import, GET /users/import/columns and
/tenants, GET /users/export (the page's route is shared: `http.UserCsvPageResource`)."""

import logging

from flask import request
from sqlalchemy import exc as sa_exc

from ... import columns
from ...auth import SECRETS_ACL, required_acl, token_id
from ...errors import APIError, Unavailable
from ...http import (
    ErrorHandlingResource,
    dry_run_arg,
    export_answer,
    export_args,
    read_csv_body,
    run_or_start,
)
from ...imports import request_keys
from ...imports.ports import ExportRequest, Scope
from ...imports.service import CREATE, UPDATE

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
    def __init__(self, backend, auth, export_form='raw'):
        self.backend = backend
        self.auth = auth
        self.export_form = export_form

    @required_acl('confd.users.export.read')
    def get(self):
        form, chosen = export_args(self.export_form)
        token = request.headers.get('X-Auth-Token', '')
        # the secret columns only for a token that may read them
        scope = Scope(
            who=token_id(token), reads_secrets=self.auth.allows(token, SECRETS_ACL)
        )
        try:
            return export_answer(self.backend, ExportRequest(scope, form, chosen))
        except (
            sa_exc.OperationalError,
            sa_exc.InterfaceError,
            sa_exc.ProgrammingError,
        ):
            logger.exception('export failed')
            raise Unavailable('the database cannot be reached: try again later')
