# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""What an update changes, said two ways: per row, the columns whose value is not what the
user had (the planned resources against `UserState`); per resource, the events it announces
(`user_edited` -> user updated), which are exactly what was written.

One map, from column to where a plan and a UserState keep its value, serves both backends:
they share the shapes of `imports` (RowPlan, UserState). Inside wazo-confd the login columns
live in wazo-auth (`UserState.login`), read by `_login`.
"""

from collections import Counter

from .. import columns

ACTIONS = {
    'created': 'created',
    'edited': 'updated',
    'deleted': 'deleted',
    'associated': 'associated',
    'dissociated': 'dissociated',
}


def _field(resource, key):
    def value(found):
        held = getattr(found, resource)
        return None if held is None else held.get(key)

    return value


def _incalls(index):
    def value(found):
        pairs = [
            (p.incall, p.extension) if hasattr(p, 'incall') else p
            for p in found.incalls
        ]
        if index == 2:
            return tuple(incall.get('ring_seconds') for incall, _ in pairs)
        key = ('exten', 'context')[index]
        return tuple(extension[key] for _, extension in pairs)

    return value


def _login(key, wazo_auth_key, absent=None):
    """The login columns: on the user (standalone host), else in wazo-auth's user."""

    def value(found):
        if key in found.user:
            return found.user[key]
        login = getattr(found, 'login', None) or {}
        return login.get(wazo_auth_key, absent)

    return value


def _password(found):
    # the standalone host keeps a hash (the same one when the cell repeats the password);
    # inside wazo-confd the state has none, so a given password counts as a change
    return found.user.get('password')


VALUE_OF = {
    'cti_profile_name': _field('user', 'cti_profile_id'),
    'username': _login('username', 'username'),
    'cti_profile_enabled': _login('cti_profile_enabled', 'enabled', True),
    'password': _password,
    'line_protocol': _field('line', 'protocol'),
    'provisioning_code': _field('line', 'provisioning_code'),
    'context': _field('line', 'context'),
    'sip_username': _field('sip', 'username'),
    'sip_secret': _field('sip', 'secret'),
    'exten': _field('extension', 'exten'),
    'incall_exten': _incalls(0),
    'incall_context': _incalls(1),
    'incall_ring_seconds': _incalls(2),
    'call_permissions': lambda found: sorted(found.call_permission_ids),
}
VALUE_OF.update(
    {
        column: _field('voicemail', key)
        for column, key in columns.VOICEMAIL_FIELDS.items()
    }
)
# the user's own fields keep the column names
for _catalogue in columns.CATALOGUES.values():
    for _column in _catalogue.group_columns(columns.USER):
        if _column.name != 'uuid':
            VALUE_OF.setdefault(_column.name, _field('user', _column.name))


def changed_columns(plan, names):
    """The columns of `names` (a file's header) whose value the update changes."""
    state = plan.state
    found = []
    for name in names:
        value_of = VALUE_OF.get(name)
        if value_of is not None and value_of(plan) != value_of(state):
            found.append(name)
    return found


def announced(events, counts):
    """Passes the events on, counting them by name in `counts` (a Counter)."""
    for event in events:
        counts[event.name] += 1
        yield event


def by_action(counts):
    """{action: {resource: count}} of event names counted by `announced`:
    user_edited -> updated user, line_extension_associated -> associated line_extension.
    """
    found: dict[str, Counter] = {action: Counter() for action in ACTIONS.values()}
    for name, count in counts.items():
        resource, _, action = name.rpartition('_')
        if action in ACTIONS and resource:
            found[ACTIONS[action]][resource] += count
    return {action: dict(sorted(counted.items())) for action, counted in found.items()}
