# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Wiring on the standalone host: its store, outbox, auth and routes."""

import logging
from dataclasses import dataclass
from typing import Optional

from ... import settings
from ...auth import build_auth
from ...bus.outbox import NoOutbox, Outbox
from ...bus.publisher import build_publisher
from ...database.dao import outbox as outbox_dao
from ...database.models import Jobs
from ...database.session import Database
from ...http import UserCsvPageResource, export_form_setting
from ...imports.jobs import JobRunner, JobStore, at_once_setting
from ...imports.service import ImportService
from ...services import build_services
from . import passwords
from .backend import StandaloneBackend
from .resources import (
    UserExportResource,
    UserImportColumnsResource,
    UserImportJobResource,
    UserImportJobsResource,
    UserImportResource,
    UserImportTenantsResource,
)

logger = logging.getLogger(__name__)


@dataclass
class Components:
    database: Database
    import_service: ImportService
    auth: object
    max_body_bytes: int
    outbox: object
    export_form: str = 'raw'  # users_csv.export_form
    runner: Optional[JobRunner] = None  # jobs (Prefer: respond-async)


def build(config):
    """Everything the routes and the CLI share, built from the configuration.

    Touches neither the database nor the bus: both bind on first use.
    """
    plugin_settings = settings.of(config)
    database = Database(plugin_settings.get('db_uri'))
    publisher = build_publisher(config)
    outbox = (
        Outbox(outbox_dao.Store(database), publisher, plugin_settings['relay_interval'])
        if publisher is not None
        else NoOutbox()
    )
    import_service = ImportService(
        StandaloneBackend(database, build_services(), outbox),
        max_rows=plugin_settings['max_rows'],
    )
    store = JobStore(
        Jobs,
        lambda: database.engine,
        keep_hours=float(plugin_settings['jobs_keep_hours']),
        live=lambda: database.is_postgresql,
    )
    return Components(
        database,
        import_service,
        build_auth(config),
        plugin_settings['max_body_bytes'],
        outbox,
        export_form_setting(plugin_settings),
        JobRunner(import_service, store, at_once=at_once_setting(plugin_settings)),
    )


def load(dependencies):
    """Adds the routes; returns the components (their outbox relay is started)."""
    api = dependencies['api']
    components = build(dependencies['config'])
    api.add_resource(
        UserImportResource,
        '/users/import',
        endpoint='users_csv_import',
        resource_class_kwargs={
            'service': components.import_service,
            'auth': components.auth,
            'max_body_bytes': components.max_body_bytes,
            'runner': components.runner,
        },
    )
    api.add_resource(
        UserImportJobsResource,
        '/users/import/jobs',
        endpoint='users_csv_import_jobs',
        resource_class_kwargs={'runner': components.runner, 'auth': components.auth},
    )
    api.add_resource(
        UserImportJobResource,
        '/users/import/jobs/<uuid:job_uuid>',
        endpoint='users_csv_import_job',
        resource_class_kwargs={'runner': components.runner, 'auth': components.auth},
    )
    api.add_resource(
        UserImportColumnsResource,
        '/users/import/columns',
        endpoint='users_csv_columns',
        resource_class_kwargs={'auth': components.auth},
    )
    api.add_resource(
        UserImportTenantsResource,
        '/users/import/tenants',
        endpoint='users_csv_tenants',
        resource_class_kwargs={'auth': components.auth},
    )
    api.add_resource(
        UserExportResource,
        '/users/export',
        endpoint='users_csv_export',
        resource_class_kwargs={
            'backend': components.import_service.backend,
            'auth': components.auth,
            'export_form': components.export_form,
        },
    )
    # The web page; its API calls are relative to it, so it works behind any prefix.
    api.add_resource(
        UserCsvPageResource,
        '/users/csv',
        '/users/csv/',
        '/users/csv/<string:name>',
        endpoint='users_csv_page',
    )
    # The relay thread binds the database on its first pass, after load() returned; so does
    # the thread that fails the jobs a stopped process left unfinished.
    components.outbox.start()
    if components.runner is not None:
        components.runner.store.sweep_in_background()
    # the login hashes' workers start ready: their fork server loads while nothing waits
    passwords.warm_up()
    return components
