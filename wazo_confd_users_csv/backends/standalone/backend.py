# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The standalone host's backend: its own tables (prefix users_csv_), its outbox."""

import logging

from ... import columns
from ...database.dao import helpers
from ...database.models import RequestKeys
from ...imports.database_errors import database_error
from ...imports.request_keys import KeyStore
from . import current as current_module
from . import events
from . import export as export_module
from . import lookups as lookups_module
from . import passwords, update, writer

logger = logging.getLogger(__name__)


class StandaloneJob:
    def __init__(self, backend, dry_run):
        self.backend = backend
        self.dry_run = dry_run
        self.session = backend.database.session()
        self.updating = False  # current() was asked: an update
        self.early_hashes = None  # an import's login hashes, started with its lookups

    def lookups(
        self, rows, extra_contexts=(), extra_extensions=(), extra_voicemails=()
    ):
        if not self.dry_run and not self.updating and self.early_hashes is None:
            # the first thing after reading the file: its hashes are made meanwhile
            self.early_hashes = passwords.EarlyHashes(rows)
        return lookups_module.fetch(
            self.session,
            rows,
            extra_contexts=extra_contexts,
            extra_extensions=extra_extensions,
            extra_voicemails=extra_voicemails,
        )

    def current(self, rows):
        self.updating = True
        return current_module.fetch(self.session, rows)

    def generate(self, plans, claims):
        return writer.generate(self.session, plans, claims)

    def write(self, plans):
        # the COPYs run on their thread while the next table's rows, then the events, are
        # made; the last event waits for them (a COPY's error is raised there)
        helpers.start_copies(self.session)
        writer.write(self.session, plans, self.dry_run, self.early_hashes)
        return self._then_settled(
            event for plan in plans for event in events.created(plan)
        )

    def _then_settled(self, made):
        yield from made
        helpers.settle(self.session)

    def write_updates(self, plans):
        update.write_updates(self.session, plans, self.dry_run)
        return events.updated(plans)

    def claim(self, request_key):
        self.backend.keys.claim(self.session, request_key)

    def remember(self, request_key, body, status):
        self.backend.keys.answer(self.session, request_key, body, status)

    def finish(self, events, seal):
        count = self.backend.outbox.add(self.session, events)
        helpers.settle(self.session)
        seal(count)
        self.session.commit()

    def _stop_hashing(self):
        if self.early_hashes is not None:
            self.early_hashes.cancel()

    def abort(self):
        self._stop_hashing()
        helpers.stop_copies(self.session)
        try:
            self.session.rollback()
        except (
            Exception
        ):  # the connection may be gone: the database rolls back by itself
            logger.debug('rollback failed', exc_info=True)

    def close(self):
        self._stop_hashing()
        helpers.stop_copies(self.session)
        try:
            self.session.close()
        except Exception:
            logger.debug('close failed', exc_info=True)


class StandaloneBackend:
    name = columns.OWN
    sip_uuids = False

    def __init__(self, database, services, outbox):
        self.database = database
        self.services = services
        self.outbox = outbox
        self.catalogue = columns.CATALOGUES[columns.OWN]
        self.keys = KeyStore(RequestKeys)

    def job(self, scope, dry_run=False, progress=None):
        return StandaloneJob(self, dry_run)

    def replay(self, request_key):
        with self.database.session() as session:
            return self.keys.find(session, request_key)

    def check_file(self, header, rows, scope):
        return []

    def database_error(self, exc, generated=()):
        return database_error(exc, generated)

    def after_commit(self):
        self.outbox.notify()

    def export(self, request):
        return export_module.export(self.database, request)
