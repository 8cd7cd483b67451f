# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

from setuptools import find_packages, setup

setup(
    name='wazo-confd-users-csv',
    version='0.2.0',
    description='wazo-confd plugin: create, update and export users from one CSV file',
    license='GPL-3.0-or-later',
    python_requires='>=3.11',
    packages=find_packages(include=['wazo_confd_users_csv', 'wazo_confd_users_csv.*']),
    package_data={
        'wazo_confd_users_csv': [
            'api.yml',
            'ui/*.html',
            'ui/*.js',
            'ui/*.css',
            'database/migrations/*.py',
            'database/migrations/versions/*.py',
            'backends/wazo/migrations/*.py',
            'backends/wazo/migrations/versions/*.py',
        ],
    },
    include_package_data=True,
    # From Debian 12's versions (what a PBX runs, and what every test runs against:
    # constraints/bookworm.txt) up to the next major release, which no test has run against:
    # Flask 3 / Werkzeug 3 drop APIs Flask 2.2 code uses, marshmallow 4 drops field arguments
    # the schemas use, SQLAlchemy 2 changes the query API. A newer pair is a change to test.
    install_requires=[
        'Flask>=2.2.2,<3',
        'Werkzeug>=2.2.2,<3',
        'flask-restful>=0.3.9,<0.4',
        'marshmallow>=3.18,<4',
        'SQLAlchemy>=1.4.46,<2',
        'alembic>=1.8.1,<2',
        'stevedore>=4.0.2,<6',
        'kombu>=5.2.4,<6',
        'PyYAML>=6,<7',
        'click>=8.1.3,<9',
        'rich>=13.3.1,<14',
        'cheroot>=9,<11',
        'requests>=2.28,<3',
    ],
    extras_require={
        # PostgreSQL (inside wazo-confd, psycopg2 is confd's): the CLI says to install this
        'postgresql': ['psycopg2>=2.9.5,<3'],
        # psycopg2-binary: the same psycopg2 2.9.5 as a wheel, so a clone needs no compiler
        'test': ['pytest', 'hypothesis', 'psycopg2-binary', 'selenium'],
    },
    entry_points={
        'wazo_confd.plugins': ['users_csv = wazo_confd_users_csv.plugin:Plugin'],
        'console_scripts': [
            'wazo-confd-users-csv = wazo_confd_users_csv.host.cli:main'
        ],
    },
)
