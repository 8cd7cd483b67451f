# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Secrets a token may write but not read: an update never tells it whether a secret cell
equals the stored secret.

For a token without the secrets ACL, the stored secrets of `UserState` are made `Unseen`
before any row is checked: the same text (a kept secret is written back as it was), but never
equal to a value of the file. So a given secret cell is always a change, whatever it holds:
written, announced, reported in `changed` and counted in the summary. An empty cell still keeps
the secret (the planners copy the stored value, which stays equal to itself). Every check and
writer compares plans with `!=`, so nothing downstream needs to know.
"""

from .. import columns

# Where each secret column keeps its value in a UserState: (resource, key).
PLACES = {
    'password': ('user', 'password'),
    'call_permission_password': ('user', 'call_permission_password'),
    'voicemail_password': ('voicemail', 'password'),
    'sip_secret': ('sip', 'secret'),
}
assert set(PLACES) == columns.SECRET_COLUMNS


class Unseen(str):
    """A stored secret: equal to another stored secret of the same text, never to a value
    from the file."""

    __slots__ = ()

    def __eq__(self, other):
        return isinstance(other, Unseen) and str.__eq__(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = str.__hash__


def blind(states):
    """Makes the stored secrets of `states` ({uuid: UserState}) Unseen, in place."""
    for state in states.values():
        for resource, key in PLACES.values():
            held = getattr(state, resource)
            if held is not None and isinstance(held.get(key), str):
                held[key] = Unseen(held[key])
    return states
