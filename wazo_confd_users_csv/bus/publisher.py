# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Publishes events on RabbitMQ with kombu. Only the outbox relay publishes, after commit."""

import logging
from datetime import datetime, timezone
from typing import Any

import kombu

logger = logging.getLogger(__name__)

DEFAULTS = {
    'enabled': False,
    'host': '127.0.0.1',
    'port': 5672,
    'username': 'guest',
    'password': 'guest',
    'exchange_name': 'wazo-headers',
    'exchange_type': 'headers',
}


class PublishError(Exception):
    pass


class BusPublisher:
    def __init__(self, config, origin_uuid):
        self.url = 'amqp://{username}:{password}@{host}:{port}//'.format(**config)
        self.exchange = kombu.Exchange(
            config['exchange_name'], type=config['exchange_type'], durable=True
        )
        self.origin_uuid = origin_uuid

    def message(self, event):
        """(name, headers, body) of an event, stamped now: what the outbox stores."""
        timestamp = datetime.now(timezone.utc).isoformat()
        headers = {
            'name': event.name,
            'origin_uuid': self.origin_uuid,
            'timestamp': timestamp,
            'required_access': event.required_access,
        }
        body = {
            'name': event.name,
            'origin_uuid': self.origin_uuid,
            'timestamp': timestamp,
            'data': event.data,
        }
        return event.name, headers, body

    def sender(self):
        """A Sender: send(messages) publishes [(routing key, headers, body)] in order and
        raises PublishError."""
        return Sender(self)


class Sender:
    """One broker connection for the batches of a relay pass, opened by the first message.

    A body may be JSON text already (as the outbox keeps it): it is sent as is. Each batch
    ends with a synchronous round trip on the channel, so a batch counts as sent only once
    the broker has processed it (a cut connection raises instead)."""

    def __init__(self, publisher):
        self.publisher = publisher
        self.connection = None
        self.producer: Any = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.connection is not None:
            self.connection.release()
            self.connection = None

    def __call__(self, messages):
        if not messages:
            return
        try:
            if self.connection is None:
                self._connect()
            for routing_key, headers, body in messages:
                if isinstance(body, str):
                    self.producer.publish(
                        body,
                        headers=headers,
                        routing_key=routing_key,
                        content_type='application/json',
                        content_encoding='utf-8',
                        delivery_mode=2,
                        retry=False,
                    )
                else:
                    self.producer.publish(
                        body,
                        headers=headers,
                        routing_key=routing_key,
                        serializer='json',
                        delivery_mode=2,
                        retry=False,
                    )
            self.publisher.exchange(self.connection).declare()  # the round trip
        except Exception as exc:
            self.__exit__()
            raise PublishError(
                f'the bus cannot be reached ({exc.__class__.__name__}: {exc})'
            )

    def _connect(self):
        connection = kombu.Connection(self.publisher.url, connect_timeout=5)
        try:
            connection.ensure_connection(max_retries=1)
            self.publisher.exchange(connection).declare()
            self.producer = connection.Producer(
                exchange=self.publisher.exchange, auto_declare=False
            )
        except Exception:
            connection.release()
            raise
        self.connection = connection


def bus_config(config):
    return dict(DEFAULTS, **(config.get('bus') or {}))


def build_publisher(config):
    """A BusPublisher, or None when the bus is off (then no event is kept)."""
    bus = bus_config(config)
    if not bus['enabled']:
        return None
    return BusPublisher(
        bus, config.get('uuid') or '00000000-0000-4000-8000-000000000000'
    )
