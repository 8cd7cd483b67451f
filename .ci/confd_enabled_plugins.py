# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Prints, one per line, the plugins wazo-confd would load with the conf.d directory given:
confd's own `wazo_confd.config.load` merges a config.yml (as a PBX's: conf.d as its extra
configuration files) with every .yml file of that directory over its defaults.

usage: .venv/bin/python .ci/confd_enabled_plugins.py /etc/wazo-confd/conf.d
"""

import os
import sys
import tempfile

import yaml
from wazo_confd.config import load


def main(conf_d):
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, 'config.yml')
        with open(path, 'w') as stream:
            # credentials given: no wazo-auth key file to read
            auth = {'username': 'confd-service', 'password': 'unused'}
            yaml.safe_dump({'extra_config_files': conf_d + '/', 'auth': auth}, stream)
        config = load(['-c', path])
    for name, enabled in sorted(config['enabled_plugins'].items()):
        if enabled:
            print(name)


if __name__ == '__main__':
    main(sys.argv[1])
