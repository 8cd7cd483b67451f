# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shapes of what the rows of a file refer to: each backend fills them in a few
set-based queries (`backends/*/lookups.py`)."""

from dataclasses import dataclass, field
from typing import Optional

from ..columns import canonical_uuid


@dataclass
class ContextInfo:
    name: str
    type: str
    entity_id: Optional[int]  # inside wazo-confd: none (tenants replaced entities)
    ranges: dict = field(default_factory=dict)  # kind -> [(start, end, did_length)]


@dataclass
class ExtensionUse:
    id: int
    line_id: Optional[int] = None
    incall_id: Optional[int] = None
    # what uses it, as a message names it ("the line of Dan Diaz (1003)"): never an id
    description: Optional[str] = None

    @property
    def used_by(self):
        if self.line_id is None and self.incall_id is None:
            return None
        return self.description or (
            'a line' if self.line_id is not None else 'an incall'
        )


def user_label(firstname, lastname, exten=None):
    """ "Dan Diaz (1003)": how a message names another user, never by a database id."""
    name = ' '.join(part for part in (firstname, lastname) if part) or 'a user'
    return f'{name} ({exten})' if exten else name


def line_label(user):
    """How a message names a line: its user's, or a line of no user."""
    return f'the line of {user}' if user else 'a line of no user'


@dataclass
class Lookups:
    entity_ids: set = field(default_factory=set)
    contexts: dict = field(default_factory=dict)
    cti_profiles: dict = field(default_factory=dict)
    call_permissions: dict = field(default_factory=dict)
    taken_uuids: set = field(default_factory=set)
    taken_emails: set = field(default_factory=set)
    # email -> its uniqueness key, lower() as the database computes it (see helpers)
    email_keys: dict = field(default_factory=dict)
    taken_usernames: set = field(default_factory=set)
    taken_sip_usernames: set = field(default_factory=set)
    taken_provisioning_codes: set = field(default_factory=set)
    extensions: dict = field(default_factory=dict)
    voicemails: dict = field(default_factory=dict)
    # (number, context) -> voicemail dict planned by an earlier row: later rows share it.
    planned_voicemails: dict = field(default_factory=dict)
    # inside wazo-confd: the SIP templates the tenant has ('global', 'webrtc'), which its SIP
    # lines take; None where lines take no template
    sip_templates: Optional[set] = None
    # (kind, owner) -> how a message names the owner of a taken value: kinds `user` (an
    # id), `line` (an id), `sip` (an endpoint's key)
    owners: dict = field(default_factory=dict)
    # inside wazo-confd: names of contexts that exist in other tenants only -> a tenant
    foreign_contexts: dict = field(default_factory=dict)
    # inside wazo-confd: {lower(username or email): wazo-auth user uuid}, every tenant's
    taken_logins: dict = field(default_factory=dict)

    def owner(self, kind, owner, default):
        return self.owners.get((kind, owner)) or default

    def login_owner(self, uuid):
        """How a message names the wazo-auth user that has a login."""
        return self.owners.get(('login', uuid)) or (
            'an account of no Wazo user of this tenant, such as an administrator'
        )


def owners_to_name(lookups):
    """{kind: owner ids} of the taken values the rows' messages will name."""

    def owned(taken):
        return set(taken.values()) if isinstance(taken, dict) else set()

    return {
        'user': owned(lookups.taken_uuids)
        | owned(lookups.taken_emails)
        | {owner for owner in owned(lookups.taken_usernames) if isinstance(owner, int)},
        'line': owned(lookups.taken_provisioning_codes),
        'sip': owned(lookups.taken_sip_usernames),
    }


def values(rows, name):
    found = {row.get(name) for row in rows}
    found.discard(None)
    return found


def pairs(rows, first, second):
    found = {(row.get(first), row.get(second)) for row in rows}
    return {pair for pair in found if None not in pair}


def incall_pairs(rows):
    found: set[tuple[str, str]] = set()
    for row in rows:
        found.update(
            (exten, context)
            for exten, context in zip(
                row.get('incall_exten') or (), row.get('incall_context') or ()
            )
            if exten is not None and context is not None
        )
    return found


def named(rows, extra_contexts=()):
    """(context names, call permission names) the rows refer to; extra_contexts: more names
    to look up (on update, the contexts of the resources the users already have)."""
    context_names = set(extra_contexts)
    for name in ('context', 'voicemail_context'):
        context_names |= values(rows, name)
    permission_names: set[str] = set()
    for row in rows:
        context_names.update(name for name in row.get('incall_context') or () if name)
        permission_names.update(row.get('call_permissions') or ())
    return context_names, permission_names


def updated_pairs(rows, current):
    """(extension pairs, voicemail pairs) that an update's rows end with where a row gives
    one half of a pair and the user's resource keeps the other (a new exten in the line's
    context, a new voicemail number in its context): looked up with the rows' own pairs, so
    that a number another resource holds is an error of its row, not a conflict when
    written. current: {uuid: UserState}."""
    extensions, voicemails = set(), set()
    for row in rows:
        uuid = row.get('uuid')
        state = current.get(canonical_uuid(uuid)) if uuid is not None else None
        if state is None:
            continue

        def final(column, kept):
            return row.get(column) if row.present(column) else kept

        if state.line is not None:
            kept = (state.extension or {}).get('exten')
            extensions.add(
                (final('exten', kept), final('context', state.line['context']))
            )
        if state.incalls:
            extens = final('incall_exten', [ext['exten'] for _, ext in state.incalls])
            contexts = final(
                'incall_context', [ext['context'] for _, ext in state.incalls]
            )
            extensions.update(zip(extens or (), contexts or ()))
        if state.voicemail is not None:
            voicemails.add(
                (
                    final('voicemail_number', state.voicemail['number']),
                    final('voicemail_context', state.voicemail['context']),
                )
            )
    return (
        {pair for pair in extensions if None not in pair},
        {pair for pair in voicemails if None not in pair},
    )
