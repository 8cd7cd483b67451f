# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The wazo-auth journal: what a job is about to do in wazo-auth, committed before it does it.

wazo-auth is not in the job's transaction: its users are made (or edited) before the commit.
So before calling it, the job writes, in a transaction of its own, the users it will create
(their uuid, chosen by us before the call) and the users it will edit with what they are now.
The job's own transaction deletes these entries with its writes: a commit means "keep", no
commit means "undo". A job that fails undoes at once and clears them; when that undo fails
too, or confd was killed, the entries stay and `reconcile` (run by the relay thread at
start-up and every pass, and before each job's checks) undoes them.

A job is known to be running by an advisory lock: its transaction holds (LOCK_SPACE, job)
shared until it ends; `reconcile` takes it exclusively, so it never undoes a running job, and
a job whose process died lost its lock with its connection.
"""

import json
import logging
import os

import sqlalchemy as sa

from ...errors import described

logger = logging.getLogger(__name__)

LOCK_SPACE = 0x75637379  # 'ucsy': two-key advisory locks (LOCK_SPACE, job)
GROUP = 1000  # users per journal row

TABLE = sa.Table(
    'users_csv_wazo_auth_journal',
    sa.MetaData(),
    sa.Column('id', sa.BigInteger, primary_key=True),
    sa.Column('job', sa.Integer, nullable=False),
    sa.Column('tenant_uuid', sa.String(36)),
    sa.Column('action', sa.String(8), nullable=False),
    sa.Column('entries', sa.Text, nullable=False),
)
CREATE, EDIT = 'create', 'edit'


def new_job():
    """A job's number: random, so that processes sharing a database need not agree."""
    return int.from_bytes(os.urandom(4), 'big', signed=True)


class Journal:
    def __init__(self, store, auth_users, engine_of):
        self.store = store  # the outbox's: it makes the plugin's tables
        self.auth_users = auth_users
        self.engine_of = engine_of

    @staticmethod
    def hold(session, job):
        """In the job's transaction, before anything is recorded: the job is running."""
        session.execute(
            sa.text('SELECT pg_advisory_xact_lock_shared(:space, :job)'),
            {'space': LOCK_SPACE, 'job': job},
        )

    def record(self, job, tenant_uuid, action, entries):
        """Committed at once, in a transaction of its own, before wazo-auth is called."""
        if not entries:
            return
        engine = self.engine_of()
        self.store.ensure_schema(engine)
        with engine.begin() as connection:
            connection.execute(
                TABLE.insert(),
                [
                    {
                        'job': job,
                        'tenant_uuid': str(tenant_uuid),
                        'action': action,
                        'entries': json.dumps(entries[start : start + GROUP]),
                    }
                    for start in range(0, len(entries), GROUP)
                ],
            )

    @staticmethod
    def forget(connection, job):
        """In the job's own transaction (its commit keeps what was done), or after an undo."""
        connection.execute(TABLE.delete().where(TABLE.c.job == job))

    def forget_now(self, job):
        engine = self.engine_of()
        with engine.begin() as connection:
            self.forget(connection, job)

    def pending(self):
        """The job numbers that have entries (running or not)."""
        engine = self.engine_of()
        self.store.ensure_schema(engine)
        with engine.connect() as connection:
            return [
                row.job for row in connection.execute(sa.select(TABLE.c.job).distinct())
            ]

    def reconcile(self):
        """Undoes the entries of every job that is not running; returns how many jobs."""
        undone = 0
        engine = self.engine_of()
        for job in self.pending():
            with engine.begin() as connection:
                free = connection.execute(
                    sa.text('SELECT pg_try_advisory_xact_lock(:space, :job)'),
                    {'space': LOCK_SPACE, 'job': job},
                ).scalar()
                if not free:
                    continue  # running: its own end decides
                # read again under the lock: a job that committed meanwhile left none
                rows = connection.execute(
                    sa.select(TABLE).where(TABLE.c.job == job).order_by(TABLE.c.id)
                ).all()
                if rows and self.undo(rows):
                    self.forget(connection, job)
                    undone += 1
                    logger.warning(
                        'users_csv: undid the wazo-auth changes of an import that did '
                        'not commit (%d users)',
                        sum(len(json.loads(row.entries)) for row in rows),
                    )
        return undone

    def reconcile_quietly(self):
        try:
            return self.reconcile()
        except Exception as exc:  # the database or wazo-auth may be down: next pass
            logger.warning('wazo-auth journal: %s', described(exc))
            return 0

    def undo(self, rows):
        """True when every entry is undone (a user already gone counts as undone)."""
        creates, edits = [], []
        for row in rows:
            entries = json.loads(row.entries)
            if row.action == CREATE:
                creates += [entry['uuid'] for entry in entries]
            else:
                edits += entries
        failures = self.auth_users.restore(edits) + self.auth_users.delete(creates)
        return failures == 0
