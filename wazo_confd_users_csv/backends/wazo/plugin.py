# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Wiring inside wazo-confd: import and export of Wazo's own users."""

import logging

from ... import settings
from ...bus.outbox import Outbox
from ...http import UserCsvPageResource, export_form_setting
from ...imports.jobs import JobRunner, at_once_setting
from ...imports.service import ImportService
from .backend import WazoBackend
from .jobs import in_worker, job_store
from .outbox import Store, WazoPublisher, engine_of_confd
from .resources import (
    UsersCsvColumnsResource,
    UsersCsvExportResource,
    UsersCsvImportResource,
    UsersCsvJobResource,
    UsersCsvJobsResource,
    UsersCsvTenantsResource,
)

logger = logging.getLogger(__name__)


def reload(commands, voicemail_moves=()):
    """Queued on confd's per-request sysconfd publisher, which confd flushes after the
    request: the reloads (when live reload is on), and the mailboxes to move."""
    from wazo_confd import sysconfd

    if commands:
        sysconfd.exec_request_handlers({'ipbx': commands})
    for old_number, old_context, number, context in voicemail_moves:
        sysconfd.move_voicemail(old_number, old_context, number, context)


def build_outbox(config, plugin_settings):
    interval = plugin_settings['relay_interval']
    publisher = WazoPublisher(config['bus'], config['uuid'])
    # The first pass waits: confd binds its database after loading the plugins.
    return Outbox(
        Store(engine_of_confd), publisher, interval, first_pass_after=interval
    )


def load(dependencies):
    api = dependencies['api']
    config = dependencies['config']
    plugin_settings = settings.of(config)
    export_form = export_form_setting(plugin_settings)
    at_once = at_once_setting(plugin_settings)
    outbox = build_outbox(config, plugin_settings)
    backend = WazoBackend(config, plugin_settings, outbox, reload)
    service = ImportService(backend, max_rows=plugin_settings['max_rows'])
    store = job_store(
        outbox.store, engine_of_confd, float(plugin_settings['jobs_keep_hours'])
    )
    runner = JobRunner(service, store, in_worker, at_once)
    # the jobs of a confd that stopped are failed at the relay's first pass, once confd has
    # bound its database (later passes find them done: one set lookup)
    outbox.chores.insert(0, store.sweep_quietly)
    api.add_resource(
        UsersCsvImportResource,
        '/users/import',
        endpoint='users_csv_import',
        resource_class_args=(service, runner),
    )
    api.add_resource(
        UsersCsvJobsResource,
        '/users/import/jobs',
        endpoint='users_csv_import_jobs',
        resource_class_args=(runner,),
    )
    api.add_resource(
        UsersCsvJobResource,
        '/users/import/jobs/<uuid:job_uuid>',
        endpoint='users_csv_import_job',
        resource_class_args=(runner,),
    )
    api.add_resource(
        UsersCsvColumnsResource, '/users/import/columns', endpoint='users_csv_columns'
    )
    api.add_resource(
        UsersCsvTenantsResource, '/users/import/tenants', endpoint='users_csv_tenants'
    )
    api.add_resource(
        UsersCsvExportResource,
        '/users/export',
        endpoint='users_csv_export',
        resource_class_args=(backend, export_form),
    )
    api.add_resource(
        UserCsvPageResource,
        '/users/csv',
        '/users/csv/',
        '/users/csv/<string:name>',
        endpoint='users_csv_page',
    )
    outbox.start()
    return outbox
