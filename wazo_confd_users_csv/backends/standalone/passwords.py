# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Login passwords of the standalone store: kept hashed, never exported.

The host never checks a login (a client application would), so the hash has to keep the
password out of the database and the export, and a file of 50,000 logins must still import in
seconds: PBKDF2-SHA256, a 16-byte salt, 1,000 rounds (0.35 ms of CPU each on the bench's
machine: most of an import's CPU time), computed for a whole file on a thread a core (hashlib
releases the GIL) once every check passed; a dry run hashes none. The rounds are part of the
stored value: raising them later keeps the stored ones valid."""

import base64
import hashlib
import hmac
import os
from concurrent.futures import ThreadPoolExecutor

from ...imports.unseen import Unseen
from ...services.cti_profile import Clear

SCHEME = 'pbkdf2_sha256'
ROUNDS = 1000
WORKERS = os.cpu_count() or 2  # hashlib releases the GIL: one a core


def _b64(data):
    return base64.b64encode(data).decode('ascii')


def hashed(password, salt=None, rounds=ROUNDS):
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac('sha256', password.encode('utf-8'), salt, rounds)
    return f'{SCHEME}${rounds}${_b64(salt)}${_b64(digest)}'


def matches(password, stored):
    """Whether `stored` (a hash) is the hash of `password`."""
    try:
        scheme, rounds, salt, _ = (stored or '').split('$')
        if scheme != SCHEME:
            return False
        expected = hashed(password, base64.b64decode(salt), int(rounds))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, stored)


# What a dry run stores instead of a hash: the same shape and length, rolled back anyway
# (a dry run hashes nothing: 1,000 rounds are most of a file's CPU time).
DRY_RUN_HASH = hashed('', salt=bytes(16), rounds=ROUNDS)


def hash_all(plans, dry_run=False):
    """Replaces every Clear password of the plans' users; on update, the hash the user has is
    kept when the file gives the same password, unless the token may not read secrets (the
    stored hash is then Unseen): a new hash, so that nothing says the password was the same.
    A dry run stores DRY_RUN_HASH (but still compares with the hash a user has: the answer
    says whether the password changes)."""
    pending = [
        (plan.user, plan.state.user['password'] if plan.state is not None else None)
        for plan in plans
        if isinstance(plan.user.get('password'), Clear)
    ]

    def one(pair):
        user, stored = pair
        if (
            stored is not None
            and not isinstance(stored, Unseen)
            and matches(user['password'], stored)
        ):
            user['password'] = stored  # the same password: nothing changes
        elif dry_run:
            user['password'] = DRY_RUN_HASH
        else:
            user['password'] = hashed(user['password'])

    if len(pending) < 50 or (dry_run and not any(stored for _, stored in pending)):
        for pair in pending:
            one(pair)
    else:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            list(pool.map(one, pending))
