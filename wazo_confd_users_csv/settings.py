# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The plugin's settings, one table of defaults read the same way by both hosts: the
`users_csv:` section of confd's configuration (conf.d) or of the standalone host's file."""

DEFAULTS = {
    'max_rows': 100000,  # a file with more rows is refused (413)
    'max_body_bytes': 40
    * 1024
    * 1024,  # standalone host: a larger body is refused (413)
    'relay_interval': 5.0,  # seconds between the outbox relay's passes (events to the bus)
    'auth_users': 'all',  # inside wazo-confd: every user gets a wazo-auth user, or 'logins'
    # inside wazo-confd: wazo-auth calls in flight; none: 4 a core when wazo-auth is local
    'auth_workers': None,
    # an export without ?spreadsheet= (wazo-ui's Export): 'raw' as confd's built-in, or
    # 'spreadsheet'
    'export_form': 'raw',
    # how long a job asked with Prefer: respond-async (its progress, then its answer) is kept
    'jobs_keep_hours': 24,
    # jobs (Prefer: respond-async) run at once by the process; the next ones wait, queued
    'jobs_at_once': 2,
}
# Where the standalone host read three of them before they moved under users_csv: still
# honoured when users_csv does not say.
EARLIER_KEYS = {
    'max_rows': ('rest_api', 'max_rows'),
    'max_body_bytes': ('rest_api', 'max_body_bytes'),
    'relay_interval': ('bus', 'relay_interval'),
}


def of(config):
    """The settings of `config` (a host's whole configuration), defaults filled in."""
    given = config.get('users_csv') or {}
    found = dict(DEFAULTS)
    for name, (section, key) in EARLIER_KEYS.items():
        earlier = (config.get(section) or {}).get(key)
        if earlier is not None:
            found[name] = earlier
    found.update({name: value for name, value in given.items() if value is not None})
    return found
