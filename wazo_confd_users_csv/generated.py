# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Values the server makes when the file leaves them empty: SIP usernames and secrets,
provisioning codes; each unique in the file and in the database."""

import os
import secrets
import string

MAX_GENERATION_ROUNDS = 20


def provisioning_code():
    return str(secrets.randbelow(900000) + 100000)


def sip_username():
    # 8 random lowercase letters; 256 % 26 leaves a negligible bias for a login name
    return ''.join(string.ascii_lowercase[byte % 26] for byte in os.urandom(8))


def sip_secret():
    """16 characters of letters and digits, from 96 random bits."""
    secret = secrets.token_urlsafe(18).replace('-', 'x').replace('_', 'y')
    return secret[:16]


def fill_unique(session, items, key, generate, taken, find_taken):
    """Gives each item a fresh value unused in the file and in the database.

    Candidates are checked in one query per batch; the rare collisions are drawn again.
    """
    taken = set(taken)
    pending = items
    for _ in range(MAX_GENERATION_ROUNDS):
        if not pending:
            return {item[key] for item in items}
        for item in pending:
            value = generate()
            while value in taken:
                value = generate()
            item[key] = value
            taken.add(value)
        in_database = find_taken(session, [item[key] for item in pending])
        pending = [item for item in pending if item[key] in in_database]
    raise RuntimeError(f'could not generate unused values for {key}')
