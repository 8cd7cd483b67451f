# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The routes inside wazo-confd: confd's own resource base, ACLs and tenants."""

import functools
import logging

from flask import request
from wazo_confd import bus, sysconfd
from wazo_confd.auth import required_acl
from wazo_confd.helpers.restful import ConfdResource
from xivo.tenant_flask_helpers import Tenant, auth_client, token
from xivo_dao.helpers.db_manager import Session

from ... import columns
from ...auth import SECRETS_ACL, token_id
from ...errors import APIError, UnsupportedMediaType
from ...http import CSV_TYPES, dry_run_arg, export_answer, export_args, run_or_start
from ...imports import request_keys
from ...imports.ports import ExportRequest, Scope
from ...imports.service import CREATE, UPDATE

logger = logging.getLogger(__name__)


def rollback():
    """Nothing of a refused request may be committed or sent by confd's after_request."""
    Session.rollback()
    sysconfd.rollback()
    bus.rollback()


def answers_errors(method):
    """Our errors keep their shape ({"errors": [...]}, as the built-in import answers)."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except APIError as exc:
            rollback()
            return exc.body(), exc.status

    return wrapper


class UsersCsvImportResource(ConfdResource):
    def __init__(self, service, runner):
        self.service = service
        self.runner = runner

    @required_acl('confd.users.import.create')
    @answers_errors
    def post(self):
        return self._answer(CREATE)

    @required_acl('confd.users.import.update')
    @answers_errors
    def put(self):
        return self._answer(UPDATE)

    def _answer(self, verb):
        tenant = Tenant.autodetect()
        if request.mimetype not in CSV_TYPES:
            raise UnsupportedMediaType(
                'the body must be a CSV file sent with Content-Type: text/csv (got '
                f'{request.mimetype[:60]})'
            )
        dry_run = dry_run_arg()
        # confd's before_request has read the body already: take it from the cache.
        body = request.get_data(cache=True)
        # only an update compares cells with what is stored: secret cells only for a token
        # that may read secrets (imports.unseen)
        reads_secrets = verb.name != 'update' or auth_client.token.is_valid(
            token.uuid, SECRETS_ACL, tenant=tenant.uuid
        )
        scope = Scope(
            who=token_id(request.headers.get('X-Auth-Token', '')),
            tenant_uuid=tenant.uuid,
            reads_secrets=reads_secrets,
        )
        # a request key is the tenant's: another tenant's key is another key
        key = request_keys.parse(
            request.headers.get(request_keys.HEADER),
            tenant.uuid,
            verb.name,
            body,
            reads_secrets,
        )
        charset = request.mimetype_params.get('charset')
        return run_or_start(
            self.service, self.runner, verb, body, charset, dry_run, scope, key
        )


def not_found(job_uuid):
    return APIError(f'no job {job_uuid[:40]} in this tenant', status=404)


class UsersCsvJobsResource(ConfdResource):
    """The tenant's jobs of the last users_csv.jobs_keep_hours, the newest first."""

    def __init__(self, runner):
        self.runner = runner

    @required_acl('confd.users.import.jobs.read')
    @answers_errors
    def get(self):
        tenant = Tenant.autodetect()
        items = self.runner.jobs(tenant.uuid)
        return {'items': items, 'total': len(items)}


class UsersCsvJobResource(ConfdResource):
    def __init__(self, runner):
        self.runner = runner

    @required_acl('confd.users.import.jobs.read')
    @answers_errors
    def get(self, job_uuid):
        job = self.runner.job(str(job_uuid), Tenant.autodetect().uuid)
        if job is None:
            raise not_found(str(job_uuid))
        return job

    @required_acl('confd.users.import.jobs.delete')
    @answers_errors
    def delete(self, job_uuid):
        """Cancels a job that reads or checks; 409 once it writes."""
        job = self.runner.cancel(str(job_uuid), Tenant.autodetect().uuid)
        if job is None:
            raise not_found(str(job_uuid))
        return job


class UsersCsvTenantsResource(ConfdResource):
    """The tenants the token may act on, as wazo-auth lists them: the page's tenant selector
    (its requests then say Wazo-Tenant, as confd's other clients do)."""

    @required_acl('confd.users.import.read')
    def get(self):
        tenant = Tenant.autodetect()
        return {
            'items': [
                {'uuid': found.uuid, 'name': found.name}
                for found in token.visible_tenants(tenant.uuid)
            ]
        }


class UsersCsvColumnsResource(ConfdResource):
    @required_acl('confd.users.import.read')
    def get(self):
        return [column.as_json() for column in columns.CATALOGUES[columns.WAZO].columns]


class UsersCsvExportResource(ConfdResource):
    def __init__(self, backend, export_form='raw'):
        self.backend = backend
        self.export_form = export_form

    @required_acl('confd.users.export.read')
    @answers_errors
    def get(self):
        tenant = Tenant.autodetect()
        form, chosen = export_args(self.export_form)
        # as confd's lists: the tenant, or with ?recurse=true the tenants the token sees in it
        recurse = request.args.get('recurse', '').lower() == 'true'
        tenants = (
            [visible.uuid for visible in token.visible_tenants(tenant.uuid)]
            if recurse
            else [tenant.uuid]
        )
        scope = Scope(
            who=token_id(request.headers.get('X-Auth-Token', '')),
            tenant_uuid=tenant.uuid,
            # SIP secrets and voicemail passwords only for a token that may read them
            reads_secrets=auth_client.token.is_valid(
                token.uuid, SECRETS_ACL, tenant=tenant.uuid
            ),
        )
        return export_answer(
            self.backend,
            ExportRequest(scope, form, chosen, tuple(tenants), recurse),
        )
