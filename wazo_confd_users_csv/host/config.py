# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Configuration of the standalone host: built-in defaults, overlaid by a YAML file."""

import copy

import yaml

DEFAULTS = {
    'db_uri': 'sqlite:///users_csv.db',  # a file in the current directory
    'rest_api': {
        'listen': '127.0.0.1',
        'port': 9486,
        'threads': 20,  # requests served at once
        'backlog': 128,  # connections waiting to be accepted
        # an upload must average this many bytes a second once its grace is over: a client
        # trickling its body cannot hold a worker (408)
        'min_body_rate': 8192,
        'body_grace_seconds': 30,
        # and bring this many bytes a second over any window of this many seconds: a body
        # that stalls is cut then, not after the grace (408; 0 turns this rule off)
        'min_body_window_rate': 1024,
        'body_window_seconds': 5,
        # the request line and headers must all come within this many seconds (408); until
        # they have, the connection waits in the server's selector, not in a worker
        'header_timeout': 10,
        'max_header_bytes': 65536,  # request line and headers; more gets 413 (or 414)
    },
    'auth': {
        'backend': 'static',
        'tokens': {},
        'host': 'localhost',
        'port': 9497,
        'https': False,
    },
    'bus': {
        'enabled': False,
        'host': '127.0.0.1',
        'port': 5672,
        'username': 'guest',
        'password': 'guest',
        'exchange_name': 'wazo-headers',
        'exchange_type': 'headers',
    },
    'uuid': '00000000-0000-4000-8000-000000000000',
    'enabled_plugins': {'users_csv': True},
}


class ConfigError(Exception):
    pass


def merge(base, override):
    merged = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def read_mapping(path, what, error):
    """The YAML mapping in `path`; `error(message)` for what cannot be read."""
    try:
        with open(path, encoding='utf-8') as stream:
            data = yaml.safe_load(stream) or {}
    except OSError as exc:
        raise error(f'cannot read {what} {path}: {exc.strerror}')
    except yaml.YAMLError as exc:
        raise error(f'{what} {path} is not valid YAML: {exc}')
    if not isinstance(data, dict):
        raise error(f'{what} {path} must be a YAML mapping')
    return data


def load(path=None):
    override = read_mapping(path, 'the configuration', ConfigError) if path else {}
    return complete(merge(DEFAULTS, override))


def complete(config):
    """The plugin reads users_csv.db_uri; only the standalone host falls back to db_uri."""
    plugin = config.setdefault('users_csv', {})
    plugin.setdefault('db_uri', config['db_uri'])
    port = (config.get('rest_api') or {}).get('port')
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
        raise ConfigError(f'rest_api.port: {port!r} is not a port number (1 to 65535)')
    return config
