# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Login passwords of the standalone store: kept hashed, never exported.

The host never checks a login (a client application would), so the hash has to keep the
password out of the database and the export, and a file of 50,000 logins must still import in
seconds: PBKDF2-SHA256, a 16-byte salt, 1,000 rounds (0.35 ms of CPU each on the bench's
machine: most of an import's CPU time). A dry run hashes none. The rounds are part of the
stored value: raising them later keeps the stored ones valid.

When: an import (POST) starts hashing its rows' passwords as soon as the cells are read
(EarlyHashes: worker processes, while the file is checked and written), and collects the hashes
when it writes; a file refused by its checks cancels those not made yet. An update hashes after
its checks (hash_all: it first compares with the stored hash, which it reads with the users)."""

import base64
import hashlib
import hmac
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from ...imports.unseen import Unseen
from ...services.cti_profile import Clear

logger = logging.getLogger(__name__)

SCHEME = 'pbkdf2_sha256'
ROUNDS = 1000
WORKERS = os.cpu_count() or 2  # hashlib releases the GIL: one a core


def _b64(data):
    return base64.b64encode(data).decode('ascii')


def _stored(salt, digest, rounds=ROUNDS):
    return f'{SCHEME}${rounds}${_b64(salt)}${_b64(digest)}'


def hashed(password, salt=None, rounds=ROUNDS):
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac('sha256', password.encode('utf-8'), salt, rounds)
    return _stored(salt, digest, rounds)


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


# Below this many passwords the job hashes after its checks, on threads (hash_all): the
# workers would take CPU from the checks for a gain of a few tenths of a second (measured:
# 1,000 rows imported slower with them, on a fresh server).
EARLY_FROM = 2000
BATCH = 100  # passwords a worker hashes at a time (what a cancel still waits for)
# Hashes are made in worker processes, forked by a server process of their own (which holds
# no lock of the job's threads): threads would need the GIL after each hash, which the checks
# hold for up to 5 ms at a time (the switch interval), so they would hash at a fraction of
# their speed while the job runs. The fork server loads this module and the program's main
# module once (_preloaded): its workers start ready.
_FORKS = multiprocessing.get_context('forkserver')


def warm_up(aside=True):
    """Starts the workers' fork server (once a process; aside: on a thread), which loads this
    module and the program's main one: a server calls it when it starts, so that its first
    import does not wait for that."""

    def start():
        try:
            _FORKS.set_forkserver_preload(_preloaded())
            multiprocessing.forkserver.ensure_running()
        except Exception:  # the job hashes by itself then
            logger.warning('login hashes: no fork server', exc_info=True)

    if aside:
        threading.Thread(
            target=start, name='users-csv-fork-server', daemon=True
        ).start()
    else:
        start()


def _preloaded():
    """The modules the fork server imports once, so that its workers start at once: this one,
    and the program's main module (`-m wazo_confd_users_csv.host.cli`), which each worker would
    import again otherwise; never a package's __main__ (it would run the program)."""
    main = sys.modules.get('__main__')
    name = getattr(getattr(main, '__spec__', None), 'name', None)
    found = [__name__]
    if name and not name.endswith('__main__'):
        found.append(name)
    return found


def _digests(passwords, salts, rounds):
    """In a worker: the PBKDF2-SHA256 digests of a batch of passwords (bytes)."""
    return [
        hashlib.pbkdf2_hmac('sha256', password, salt, rounds)
        for password, salt in zip(passwords, salts)
    ]


class EarlyHashes:
    """The hashes of the rows' login passwords, started before the rows are checked.

    `rows`: the file's rows (RowContext); each row with a valid password cell gets its own
    salt and hash. take(row, password) gives the stored value once it is made (None for a
    row without one, or whose password is not the one hashed); cancel() drops the batches not
    started (a refused file wastes no more time on them)."""

    def __init__(self, rows):
        self._index = {}
        passwords: list[str] = []
        salts: list[bytes] = []
        for row in rows:
            password = row.get('password')
            if password is not None:
                self._index[row] = len(passwords)
                passwords.append(password)
                salts.append(os.urandom(16))
        self._passwords, self._salts = passwords, salts
        self._digests = None
        self._pool = None
        self._batches: list = []  # Futures, in the passwords' order
        self._starting = None
        self._lock = threading.Lock()
        self._abandoned = False  # closed, or its workers were not there in time
        if len(passwords) >= EARLY_FROM:
            # started aside: the first start of the workers' server takes a moment
            self._starting = threading.Thread(
                target=self._start, name='users-csv-hashes', daemon=True
            )
            self._starting.start()

    def _start(self):
        try:
            warm_up(aside=False)  # at once when the server warmed it up
            with self._lock:
                if self._abandoned:
                    return
                pool = ProcessPoolExecutor(WORKERS, mp_context=_FORKS)
                encoded = [password.encode('utf-8') for password in self._passwords]
                self._batches = [
                    pool.submit(
                        _digests,
                        encoded[start : start + BATCH],
                        self._salts[start : start + BATCH],
                        ROUNDS,
                    )
                    for start in range(0, len(encoded), BATCH)
                ]
                self._pool = pool
        except Exception:  # no workers: hashed by hash_all
            logger.warning('login hashes: no worker process', exc_info=True)

    def take(self, row, password):
        """The stored value of `row`'s password, or None: hash_all then hashes it itself."""
        position = self._index.get(row)
        if position is None or self._passwords[position] != password:
            return None
        if self._digests is None:
            self._digests = self._collect()
        if not self._digests:
            return None
        return _stored(self._salts[position], self._digests[position])

    def _collect(self):
        with self._lock:
            if self._pool is None:
                # no workers yet (their fork server still starting): the job does not wait
                # for them, hash_all hashes as it would without them
                self._abandoned = True
                return []
        try:
            return [digest for batch in self._batches for digest in batch.result()]
        except Exception:  # a worker died (killed, out of memory): hashed by hash_all
            logger.warning('login hashes: a worker failed; hashed in the job')
            return []
        finally:
            self.close()

    def close(self):
        """Cancels the batches not started and stops the workers once they end theirs."""
        with self._lock:
            self._abandoned = True
        for batch in self._batches:
            batch.cancel()
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None

    cancel = close


def hash_all(plans, dry_run=False, early=None):
    """Replaces every Clear password of the plans' users; on update, the hash the user has is
    kept when the file gives the same password, unless the token may not read secrets (the
    stored hash is then Unseen): a new hash, so that nothing says the password was the same.
    A dry run stores DRY_RUN_HASH (but still compares with the hash a user has: the answer
    says whether the password changes). `early`: the EarlyHashes of an import, whose hashes
    are taken for the users of new rows."""
    pending = []
    for plan in plans:
        password = plan.user.get('password')
        if not isinstance(password, Clear):
            continue
        if early is not None and plan.state is None:
            made = early.take(plan.row, str(password))
            if made is not None:
                plan.user['password'] = made
                continue
        stored = plan.state.user['password'] if plan.state is not None else None
        pending.append((plan.user, stored))

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
