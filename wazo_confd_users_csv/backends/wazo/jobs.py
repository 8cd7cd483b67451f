# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Jobs inside wazo-confd: their table in Wazo's database (`users_csv_wazo_jobs`, made by the
plugin's migrations with the outbox's), and what a worker thread of confd runs in."""

import logging
from contextlib import contextmanager

import sqlalchemy as sa

from ...imports.jobs import JobStore, table

logger = logging.getLogger(__name__)
TABLE = table('users_csv_wazo_jobs', sa.MetaData())


def job_store(outbox_store, engine_of, keep_hours):
    """The wazo-auth users of a job stopped with confd are the journal's to undo
    (journal.py), not the jobs table's."""
    return JobStore(TABLE, engine_of, outbox_store.ensure_schema, keep_hours)


@contextmanager
def in_worker():
    """A job's thread: confd's app context (its sysconfd publisher lives there) and a
    session of xivo-dao's of its own (the scoped session is per thread), removed at the end,
    as confd's after_request removes a request's."""
    from wazo_confd.http_server import app
    from xivo_dao.helpers.db_manager import Session

    with app.app_context():
        try:
            yield
        finally:
            Session.remove()


def flush_reloads(logger):
    """Outside a request (a job's thread), confd's after_request does not send the reloads
    queued on its sysconfd publisher: send them, after the commit, before the events."""
    import flask
    from wazo_confd.http_server import flush_sysconfd

    if not flask.has_app_context():
        return
    try:
        flush_sysconfd()
    except Exception as exc:  # committed already: the reload is Asterisk's catch-up
        logger.warning('users_csv: the reloads after a job failed: %s', exc)
