# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Shared parts of the benchmarks: a PostgreSQL database, realistic files, a server process.

Everything runs on this machine: PostgreSQL and the server on 127.0.0.1.
"""

import csv
import io
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import requests
import sqlalchemy as sa
import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from wazo_confd_users_csv.imports import phases  # noqa: E402

PG_ADMIN = os.environ.get(
    'USERS_CSV_BENCH_PG', 'postgresql://postgres@127.0.0.1:5432/postgres'
)
TOKEN = 'bench-token'
CLI = [sys.executable, '-m', 'wazo_confd_users_csv.host.cli']
REFERENCE = {
    'entities': [{'id': 1, 'name': 'default'}],
    'contexts': [
        {
            'name': 'default',
            'type': 'internal',
            'entity_id': 1,
            'user_ranges': [{'start': '100000', 'end': '199999'}],
        },
        {
            'name': 'from-extern',
            'type': 'incall',
            'entity_id': 1,
            'incall_ranges': [{'start': '200000', 'end': '299999'}],
        },
    ],
    'cti_profiles': [{'id': 1, 'name': 'Client'}, {'id': 2, 'name': 'Agent'}],
    'call_permissions': [
        {'name': 'international', 'extensions': ['00.']},
        {'name': 'premium', 'extensions': ['089.']},
    ],
}
HEADER = [
    'entity_id',
    'firstname',
    'lastname',
    'email',
    'language',
    'cti_profile_enabled',
    'username',
    'password',
    'cti_profile_name',
    'exten',
    'context',
    'line_protocol',
    'incall_exten',
    'incall_context',
    'incall_ring_seconds',
    'voicemail_name',
    'voicemail_number',
    'voicemail_context',
    'voicemail_password',
    'call_permissions',
]


def full_rows_csv(count, start=0, seed=1, passwords=True):
    """Every group filled: CTI profile, SIP or SCCP phone, incall, voicemail, 2 permissions.
    passwords=False: no login password (and the CTI login off, which needs one): nothing to
    hash, the rest of the row the same."""
    generator = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n')
    writer.writerow(HEADER)
    for i in range(start, start + count):
        writer.writerow(
            [
                1,
                f'First{i}',
                f'Last{i}',
                f'user{i}@example.com',
                generator.choice(['en_US', 'fr_FR', 'de_DE']),
                1 if passwords else 0,
                f'user{i}',
                f'pass{i:06d}' if passwords else '',
                generator.choice(['Client', 'Agent']),
                100000 + i,
                'default',
                'sip' if i % 4 else 'sccp',
                200000 + i,
                'from-extern',
                20,
                f'Box of user {i}',
                100000 + i,
                'default',
                f'{i % 10000:04d}',
                'international;premium',
            ]
        )
    return out.getvalue().encode()


class Database:
    def __init__(self):
        self.name = f'users_csv_bench_{uuid.uuid4().hex[:8]}'
        self.admin = sa.create_engine(PG_ADMIN, isolation_level='AUTOCOMMIT')
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE {self.name}')
        self.uri = PG_ADMIN.rsplit('/', 1)[0] + '/' + self.name
        self.dir = tempfile.mkdtemp(prefix='users-csv-bench-')
        self.port = free_port()
        self.config = os.path.join(self.dir, 'host.yml')
        with open(self.config, 'w') as stream:
            yaml.safe_dump(
                {
                    'db_uri': self.uri,
                    'auth': {'backend': 'static', 'tokens': {TOKEN: ['confd.#']}},
                    'rest_api': {
                        'port': self.port,
                        'max_rows': 1000000,
                        'max_body_bytes': 1 << 30,
                    },
                },
                stream,
            )
        reference = os.path.join(self.dir, 'reference.yml')
        with open(reference, 'w') as stream:
            yaml.safe_dump(REFERENCE, stream)
        self.cli('db', 'upgrade')
        self.cli('reference', 'load', reference)

    def cli(self, *args):
        subprocess.run(
            CLI + ['-c', self.config] + list(args),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def import_file(self, body):
        path = os.path.join(self.dir, 'populate.csv')
        with open(path, 'wb') as stream:
            stream.write(body)
        self.cli('import', path)

    def drop(self):
        with self.admin.connect() as connection:
            connection.exec_driver_sql(
                f'DROP DATABASE IF EXISTS {self.name} WITH (FORCE)'
            )
        self.admin.dispose()


class ServerProcess:
    """`wazo-confd-users-csv serve` in its own process, so its memory can be read."""

    def __init__(self, database):
        self.url = f'http://127.0.0.1:{database.port}/1.1'
        # its log: each job's line says where its time went (phases_ms)
        self.log = tempfile.NamedTemporaryFile(
            prefix='users-csv-bench-', suffix='.log', delete=False
        )
        self.process = subprocess.Popen(
            CLI + ['-c', database.config, 'serve'],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + '/api/api.yml', timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError('the server did not start')

    def memory_kib(self, field):
        with open(f'/proc/{self.process.pid}/status') as stream:
            for line in stream:
                if line.startswith(field + ':'):
                    return int(line.split()[1])
        return 0

    def last_phases(self):
        """{phase: seconds} of the last job the server logged (imports/phases.py)."""
        with open(self.log.name, encoding='utf-8', errors='replace') as stream:
            found = re.findall(r'users_csv job=.* phases_ms=(\S+)', stream.read())
        return phases.parse(found[-1]) if found else {}

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()
        os.unlink(self.log.name)


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def machine():
    with open('/proc/cpuinfo') as stream:
        model = next(
            (
                line.split(':', 1)[1].strip()
                for line in stream
                if line.startswith('model name')
            ),
            'unknown',
        )
    version = (
        sa.create_engine(PG_ADMIN)
        .connect()
        .exec_driver_sql('SHOW server_version')
        .scalar()
    )
    return {
        'cpu': model,
        'cores': os.cpu_count(),
        'postgresql': version,
        'python': sys.version.split()[0],
    }
