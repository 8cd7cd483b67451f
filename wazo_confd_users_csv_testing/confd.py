# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real wazo-confd in this process, with the plugin loaded the way the package loads it:
confd's own configuration loading (config.yml + a conf.d holding the package's own snippet),
`Controller(config)` (its plugins loaded by stevedore) and its Flask app served by cheroot on
a real socket, on a database of `schema.py`. confd's app is one per process.
"""

import os
import threading

import requests
import sqlalchemy as sa
import yaml

from .proxy import Proxy
from .schema import PG, REPO, WAZO_DATA, XIVO_UUID
from .standins import StandIn

AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672//'
SNIPPET = os.path.join(REPO, 'debian', 'conf', '50-users-csv.yml')
SERVICE_USER = ('confd-service', 'confd-password')  # as run_wazo_auth.py makes it


class ConfdClient:
    """HTTP and SQL access to a confd serving `url` on the database `db_name`."""

    def __init__(self, url, db_name):
        self.url = url
        self.db_name = db_name

    def request(self, method, path, token='admin-token', tenant=None, **kwargs):
        headers = dict(kwargs.pop('headers', {}))
        if token is not None:
            headers['X-Auth-Token'] = token
        if tenant is not None:
            headers['Wazo-Tenant'] = tenant
        return requests.request(
            method, self.url + path, headers=headers, timeout=600, **kwargs
        )

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post_csv(self, body, path='/users/import', **kwargs):
        return self._csv('POST', body, path, **kwargs)

    def put_csv(self, body, path='/users/import', **kwargs):
        return self._csv('PUT', body, path, **kwargs)

    def _csv(self, method, body, path, **kwargs):
        if isinstance(body, str):
            body = body.encode('utf-8')
        headers = {
            'Content-Type': 'text/csv; charset=utf-8',
            **kwargs.pop('headers', {}),
        }
        return self.request(method, path, data=body, headers=headers, **kwargs)

    def sql(self, statement, **params):
        engine = sa.create_engine(f'{PG}/{self.db_name}')
        try:
            with engine.connect() as connection:
                return [
                    dict(row._mapping)
                    for row in connection.execute(sa.text(statement), params)
                ]
        finally:
            engine.dispose()


class Confd(ConfdClient):
    """The real confd app served by cheroot, and the daemons around it.

    `auth`: an object with `port` and `stop()` (default: wazo-auth's stand-in); `builtin`:
    confd's own `user_import` instead of the package's plugin; `broker_proxy`: RabbitMQ
    reached through a proxy a test can cut; `port`: 0 for a free one.
    """

    def __init__(
        self,
        workdir,
        exchange,
        database,
        builtin=False,
        auth=None,
        settings=None,
        broker_proxy=True,
        port=0,
    ):
        self.settings = dict(
            {'relay_interval': 0.5}, **(settings or {})
        )  # users_csv: ...
        self.builtin = builtin
        self.exchange = exchange
        self.auth = auth or StandIn('auth')
        self.sysconfd = StandIn('sysconfd')
        self.provd = StandIn('provd')
        self.broker = Proxy(5672).start() if broker_proxy else None
        self.db_name = None
        self.config_file = self._write_config(workdir, database)
        self._build(port)

    def _write_config(self, workdir, database):
        conf_d = os.path.join(workdir, 'conf.d')
        os.makedirs(conf_d, exist_ok=True)
        if not self.builtin:
            with open(
                SNIPPET, 'rb'
            ) as source:  # the package's own snippet, as on a PBX
                with open(os.path.join(conf_d, '50-users-csv.yml'), 'wb') as copy:
                    copy.write(source.read())
        username, password = SERVICE_USER
        main = {
            'extra_config_files': conf_d + '/',
            'log_filename': os.path.join(workdir, 'confd.log'),
            'db_uri': f'{PG}/{database}',
            'uuid': XIVO_UUID,
            'auth': {
                'host': '127.0.0.1',
                'port': self.auth.port,
                'https': False,
                'username': username,
                'password': password,
            },
            'bus': {
                'host': '127.0.0.1',
                'port': self.broker.port if self.broker else 5672,
                'username': 'guest',
                'password': 'guest',
                'exchange_name': self.exchange,
                'exchange_type': 'headers',
            },
            'provd': {
                'host': '127.0.0.1',
                'port': self.provd.port,
                'prefix': None,
                'https': False,
            },
            'sysconfd': {'host': '127.0.0.1', 'port': self.sysconfd.port},
            'pjsip_config_doc_filename': os.path.join(WAZO_DATA, 'pjsip.json.gz'),
            'users_csv': self.settings,
        }
        if hasattr(self.auth, 'prefix'):  # the stand-in takes the client's default too
            main['auth']['prefix'] = self.auth.prefix
        if self.builtin:
            main['enabled_plugins'] = {'user_import': True, 'users_csv': False}
        path = os.path.join(workdir, 'config.yml')
        with open(path, 'w') as stream:
            yaml.safe_dump(main, stream)
        return path

    def _build(self, port):
        from cheroot import wsgi
        from wazo_confd.config import load as load_config
        from wazo_confd.controller import Controller
        from wazo_confd.http_server import app

        self.config = load_config(['-c', self.config_file])
        self.controller = Controller(self.config)
        self.app = app
        self.server = wsgi.Server(('127.0.0.1', port), app, numthreads=8)
        self.server.prepare()
        self.url = f'http://127.0.0.1:{self.server.bind_addr[1]}/1.1'
        threading.Thread(target=self.server.serve, daemon=True, name='confd').start()

    def use_database(self, name):
        """Points xivo-dao (and so confd and the plugin) at another database."""
        from xivo_dao.helpers import db_manager

        # the factory's engine: Session.get_bind() would make this thread a session that
        # stays bound to the old engine
        old = (
            db_manager.Session.session_factory.kw.get('bind') if self.db_name else None
        )
        db_manager.Session.remove()
        db_manager.init_db(f'{PG}/{name}', pool_size=4)
        if old is not None:
            old.dispose()
        self.db_name = name

    def release_database(self):
        """Closes xivo-dao's connections, so that the database can be dropped."""
        from xivo_dao.helpers import db_manager

        db_manager.Session.remove()
        db_manager.Session.get_bind().dispose()

    def stop(self):
        self.server.stop()
        if self.broker is not None:
            self.broker.stop()
        for daemon in (self.auth, self.sysconfd, self.provd):
            daemon.stop()
