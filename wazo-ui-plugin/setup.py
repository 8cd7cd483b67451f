# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

from setuptools import find_packages, setup

# A distribution of its own (and its own Debian package, wazo-ui-plugin-users-csv): a PBX
# without wazo-ui never has wazo-ui's entry point, and removing this package takes it away.
setup(
    name='wazo-ui-plugin-users-csv',
    version='0.2.0',  # the confd plugin's (setup.py, debian/changelog)
    description='wazo-ui plugin: import, update and export users from one CSV file',
    license='GPL-3.0-or-later',
    python_requires='>=3.11',
    packages=find_packages(include=['wazo_ui_users_csv', 'wazo_ui_users_csv.*']),
    package_data={'wazo_ui_users_csv': ['templates/users_csv/*.html']},
    include_package_data=True,
    # wazo-ui and wazo-confd-users-csv (the page's files) are on no package registry: their
    # Debian packages are this one's dependencies (debian/control).
    install_requires=['Flask>=2.2.2,<3', 'requests>=2.28,<3'],
    entry_points={
        'wazo_ui.plugins': ['users_csv = wazo_ui_users_csv.plugin:Plugin'],
    },
)
