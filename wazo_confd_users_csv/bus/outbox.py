"""The outbox: events are stored in the transaction of the change they describe, then a relay
publishes them in order and deletes them.

A broker outage never fails a committed import: the events wait in the table and the relay
publishes them when the broker is back (it runs after every job, at start-up and every
`bus.relay_interval` seconds). Delivery is at least once: a crash between publishing and
deleting publishes those events again.
"""
import logging
import threading

from ..database.dao import outbox as outbox_dao
from .publisher import PublishError

logger = logging.getLogger(__name__)

BATCH = 1000


class NoOutbox:
    """The bus is off: events are not kept."""

    def add(self, session, events):
        pass

    def flush(self):
        return 0

    def start(self):
        pass

    def notify(self):
        pass

    def stop(self):
        pass


class Outbox:
    def __init__(self, database, publisher, interval=5.0):
        self.database = database
        self.publisher = publisher
        self.interval = interval
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._thread = None

    def add(self, session, events):
        outbox_dao.add_many(session, [self.publisher.message(event) for event in events])

    def flush(self):
        """Publishes what is pending, oldest first; returns how many were published."""
        published = 0
        with self._lock:
            while True:
                with self.database.session() as session, session.begin():
                    if not outbox_dao.lock_relay(session):
                        return published  # another process is relaying
                    batch = outbox_dao.pending(session, BATCH)
                    if not batch:
                        return published
                    try:
                        self.publisher.publish_messages([message[1:] for message in batch])
                    except PublishError as exc:
                        logger.warning('%s: %d or more events wait in the outbox', exc,
                                       len(batch))
                        return published
                    outbox_dao.delete(session, [message[0] for message in batch])
                published += len(batch)

    def flush_quietly(self):
        try:
            return self.flush()
        except Exception as exc:  # the database may be down too: try again later
            logger.warning('outbox relay: %s', exc)
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
        self._thread = threading.Thread(target=self._run, name='users-csv-outbox', daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stopping.is_set():
            self.flush_quietly()
            self._wake.wait(self.interval)
            self._wake.clear()

    def stop(self):
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
