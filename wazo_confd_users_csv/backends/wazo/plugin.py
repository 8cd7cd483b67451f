"""Wiring inside wazo-confd: the import on Wazo's tables, confd's export until ours lands."""
import logging

from ...bus.outbox import Outbox
from ...imports.service import ImportService
from ...resources import UserCsvPageResource
from .backend import WazoBackend
from .outbox import Store, WazoPublisher, engine_of_confd
from .resources import UsersCsvColumnsResource, UsersCsvImportResource

logger = logging.getLogger(__name__)

MAX_ROWS = 100000
RELAY_INTERVAL = 5.0


def reload(commands):
    """Queued on confd's per-request sysconfd publisher, which confd flushes after the
    request (when live reload is on)."""
    from wazo_confd import sysconfd

    if commands:
        sysconfd.exec_request_handlers({'ipbx': commands})


def build_outbox(config, settings):
    interval = settings.get('relay_interval', RELAY_INTERVAL)
    publisher = WazoPublisher(config['bus'], config['uuid'])
    # The first pass waits: confd binds its database after loading the plugins.
    return Outbox(Store(engine_of_confd), publisher, interval, first_pass_after=interval)


def load(dependencies):
    api = dependencies['api']
    config = dependencies['config']
    settings = config.get('users_csv') or {}
    outbox = build_outbox(config, settings)
    service = ImportService(WazoBackend(config, outbox, reload),
                            max_rows=settings.get('max_rows', MAX_ROWS))
    api.add_resource(UsersCsvImportResource, '/users/import', endpoint='users_csv_import',
                     resource_class_args=(service,))
    api.add_resource(UsersCsvColumnsResource, '/users/import/columns',
                     endpoint='users_csv_columns')
    _add_confd_export(api, config)
    api.add_resource(UserCsvPageResource, '/users/csv/', '/users/csv/<string:name>',
                     endpoint='users_csv_page')
    outbox.start()
    return outbox


def _add_confd_export(api, config):
    """GET /users/export stays confd's own (tenant-scoped) while the built-in is disabled."""
    from wazo_confd.database import user_export as user_export_dao
    from wazo_confd.plugins.user_import.auth_client import auth_client, set_auth_client_config
    from wazo_confd.plugins.user_import.resource import UserExportResource
    from wazo_confd.plugins.user_import.service import ExportService

    set_auth_client_config(config['auth'])
    api.add_resource(UserExportResource, '/users/export', endpoint='users_csv_export',
                     resource_class_args=(ExportService(user_export_dao, auth_client),))
