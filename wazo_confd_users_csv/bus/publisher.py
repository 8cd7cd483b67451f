"""Publishes events on RabbitMQ with kombu, only ever after the transaction committed."""
import logging
from datetime import datetime, timezone

import kombu

logger = logging.getLogger(__name__)

DEFAULTS = {
    'enabled': False, 'host': '127.0.0.1', 'port': 5672, 'username': 'guest',
    'password': 'guest', 'exchange_name': 'wazo-headers', 'exchange_type': 'headers',
}


class NullPublisher:
    """The bus is off (the standalone host's default)."""

    def publish(self, events):
        return None


class BusPublisher:
    def __init__(self, config, origin_uuid):
        self.url = 'amqp://{username}:{password}@{host}:{port}//'.format(**config)
        self.exchange = kombu.Exchange(config['exchange_name'], type=config['exchange_type'],
                                       durable=True)
        self.origin_uuid = origin_uuid

    def message(self, event):
        timestamp = datetime.now(timezone.utc).isoformat()
        headers = {'name': event.name, 'origin_uuid': self.origin_uuid, 'timestamp': timestamp,
                   'required_access': event.required_access}
        body = {'name': event.name, 'origin_uuid': self.origin_uuid, 'timestamp': timestamp,
                'data': event.data}
        return body, headers

    def publish(self, events):
        if not events:
            return
        try:
            with kombu.Connection(self.url, connect_timeout=5) as connection:
                producer = connection.Producer(exchange=self.exchange, serializer='json')
                publish = connection.ensure(producer, producer.publish, max_retries=3)
                self.exchange(connection).declare()
                for event in events:
                    body, headers = self.message(event)
                    publish(body, headers=headers, routing_key=event.name, delivery_mode=2)
        except Exception:
            # The data is committed; a broker outage must not turn a success into a failure.
            logger.exception('could not publish %d events on the bus', len(events))


def build_publisher(config):
    bus = dict(DEFAULTS, **(config.get('bus') or {}))
    if not bus['enabled']:
        return NullPublisher()
    return BusPublisher(bus, config.get('uuid') or '00000000-0000-4000-8000-000000000000')
