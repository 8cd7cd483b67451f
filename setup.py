from setuptools import find_packages, setup

setup(
    name='wazo-confd-users-csv',
    version='0.1.0',
    description='wazo-confd plugin: create, update and export users from one CSV file',
    license='GPL-3.0-or-later',
    python_requires='>=3.11',
    packages=find_packages(include=['wazo_confd_users_csv', 'wazo_confd_users_csv.*']),
    package_data={
        'wazo_confd_users_csv': ['api.yml', 'ui/*', 'database/migrations/*.py',
                                 'database/migrations/versions/*.py',
                                 'backends/wazo/migrations/*.py',
                                 'backends/wazo/migrations/versions/*.py'],
    },
    include_package_data=True,
    install_requires=[
        'Flask', 'flask-restful', 'marshmallow', 'SQLAlchemy>=1.4,<2', 'alembic', 'stevedore',
        'kombu', 'PyYAML', 'click', 'rich', 'cheroot', 'requests',
    ],
    extras_require={
        'postgresql': ['psycopg2'],
        'test': ['pytest', 'hypothesis', 'psycopg2', 'selenium'],
    },
    entry_points={
        'wazo_confd.plugins': ['users_csv = wazo_confd_users_csv.plugin:Plugin'],
        'console_scripts': ['wazo-confd-users-csv = wazo_confd_users_csv.host.cli:main'],
    },
)
