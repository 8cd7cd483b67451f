# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real wazo-ui in this process, with the users_csv plugin enabled by the package's own
snippet (debian/conf-wazo-ui/50-users-csv.yml), served by cheroot on a real socket.

It logs in against the wazo-auth stand-in (standins.LOGINS: POST /0.1/token with a username
and password, GET /0.1/users/{uuid}, GET /0.1/tenants) and calls the real confd of `confd`
through its own wazo_confd_client. wazo-ui's Flask app is a module global: one per process.
"""

import copy
import os
import threading

import yaml

from wazo_confd_users_csv_testing.schema import REPO
from wazo_confd_users_csv_testing.standins import MASTER

SNIPPET = os.path.join(REPO, 'debian', 'conf-wazo-ui', '50-users-csv.yml')


class WazoUi:
    def __init__(self, workdir, confd):
        from cheroot import wsgi
        from wazo_confd.auth import init_master_tenant
        from wazo_ui import http_server
        from wazo_ui.config import _DEFAULT_CONFIG
        from wazo_ui.controller import Controller

        # what confd's token renewer does at start: wazo-ui's forms ask confd for registrars
        init_master_tenant({'metadata': {'tenant_uuid': MASTER}})
        http_server.HOME = workdir  # its session database
        config = copy.deepcopy(_DEFAULT_CONFIG)
        with open(SNIPPET) as stream:
            config['enabled_plugins'].update(yaml.safe_load(stream)['enabled_plugins'])
        config.update(
            log_filename=os.path.join(workdir, 'wazo-ui.log'),
            auth={'host': '127.0.0.1', 'port': confd.auth.port, 'https': False},
            confd={
                'host': '127.0.0.1',
                'port': confd.server.bind_addr[1],
                'prefix': None,
                'https': False,
            },
        )
        self.config = config
        self.controller = Controller(config)
        self.server = wsgi.Server(
            ('127.0.0.1', 0), self.controller.server.get_app(), numthreads=4
        )
        self.server.prepare()
        self.url = f'http://127.0.0.1:{self.server.bind_addr[1]}'
        threading.Thread(target=self.server.serve, daemon=True, name='wazo-ui').start()

    def stop(self):
        self.server.stop()
