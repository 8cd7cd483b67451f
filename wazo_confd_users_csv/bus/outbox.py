# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The outbox: events are stored in the transaction of the change they describe, then a relay
publishes them in order and deletes them.

Where they are stored is the store's business (the standalone host's `users_csv_outbox`, or
`users_csv_wazo_outbox` in Wazo's database); a message is (routing key, headers, body).

A broker outage never fails a committed import: the events wait in the table and the relay
publishes them when the broker is back (it runs after every job, at start-up and every
`users_csv.relay_interval` seconds). Delivery is at least once: a crash between publishing and
deleting publishes those events again.
"""

import itertools
import logging
import threading

from ..errors import described
from .publisher import PublishError

logger = logging.getLogger(__name__)

BATCH = 5000
ADD_CHUNK = 5000


def chunks(events, size=ADD_CHUNK):
    """Lists of at most `size` events, read from any iterable as they are needed."""
    events = iter(events)
    while True:
        chunk = list(itertools.islice(events, size))
        if not chunk:
            return
        yield chunk


class NoOutbox:
    """The bus is off: events are not kept (only counted)."""

    def add(self, session, events):
        return sum(1 for _ in events)

    def flush(self):
        return 0

    def start(self):
        pass

    def notify(self):
        pass

    def stop(self):
        pass


class Outbox:
    def __init__(self, store, publisher, interval=5.0, first_pass_after=0.0):
        self.store = store
        self.publisher = publisher
        self.interval = interval
        self.first_pass_after = (
            first_pass_after  # e.g. until the host binds the database
        )
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._thread = None
        # more work for the relay thread, each pass before relaying (inside wazo-confd: the
        # wazo-auth journal); each handles its own errors
        self.chores = []

    def add(self, session, events):
        """Stores the events in the job's transaction, a chunk at a time as they are made:
        the events, their messages and the rows made of them never exist for a whole big
        file at once. Returns how many were stored."""
        count = 0
        for chunk in chunks(events):
            self.store.add(session, [self.publisher.message(event) for event in chunk])
            count += len(chunk)
        return count

    def flush(self):
        """Publishes what is pending, oldest first; returns how many were published."""
        published = 0
        with self._lock, self.publisher.sender() as send:
            while True:
                with self.store.transaction() as handle:
                    if not self.store.lock_relay(handle):
                        return published  # another process is relaying
                    batch = self.store.pending(handle, BATCH)
                    if not batch:
                        return published
                    try:
                        send([message[1:] for message in batch])
                    except PublishError as exc:
                        logger.warning(
                            '%s: %d or more events wait in the outbox', exc, len(batch)
                        )
                        return published
                    self.store.delete(handle, [message[0] for message in batch])
                published += len(batch)

    def flush_quietly(self):
        try:
            return self.flush()
        except Exception as exc:  # the database may be down too: try again later
            logger.warning(
                'outbox relay: %s', described(exc)
            )  # not the events' payloads
            return 0

    def notify(self):
        """A job committed events: wake the relay thread, or relay now when there is none."""
        if self._thread is not None:
            self._wake.set()
        else:
            self.flush_quietly()

    def start(self):
        """Relays at start-up, then when woken or every `interval` seconds, in a thread."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(
            target=self._run, name='users-csv-outbox', daemon=True
        )
        self._thread.start()

    def _run(self):
        self._wake.wait(self.first_pass_after)
        self._wake.clear()
        while not self._stopping.is_set():
            for chore in self.chores:
                chore()
            self.flush_quietly()
            self._wake.wait(self.interval)
            self._wake.clear()

    def stop(self):
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
