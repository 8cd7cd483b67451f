"""Publishes events on RabbitMQ with kombu. Only the outbox relay publishes, after commit."""
import logging
from datetime import datetime, timezone

import kombu

logger = logging.getLogger(__name__)

DEFAULTS = {
    'enabled': False, 'host': '127.0.0.1', 'port': 5672, 'username': 'guest',
    'password': 'guest', 'exchange_name': 'wazo-headers', 'exchange_type': 'headers',
    'relay_interval': 5.0,
}


class PublishError(Exception):
    pass


class BusPublisher:
    def __init__(self, config, origin_uuid):
        self.url = 'amqp://{username}:{password}@{host}:{port}//'.format(**config)
        self.exchange = kombu.Exchange(config['exchange_name'], type=config['exchange_type'],
                                       durable=True)
        self.origin_uuid = origin_uuid

    def message(self, event):
        """(name, headers, body) of an event, stamped now: what the outbox stores."""
        timestamp = datetime.now(timezone.utc).isoformat()
        headers = {'name': event.name, 'origin_uuid': self.origin_uuid, 'timestamp': timestamp,
                   'required_access': event.required_access}
        body = {'name': event.name, 'origin_uuid': self.origin_uuid, 'timestamp': timestamp,
                'data': event.data}
        return event.name, headers, body

    def publish_messages(self, messages):
        """messages: [(name, headers, body)], published in order; raises PublishError."""
        if not messages:
            return
        try:
            with kombu.Connection(self.url, connect_timeout=5) as connection:
                connection.ensure_connection(max_retries=1)
                producer = connection.Producer(exchange=self.exchange, serializer='json')
                self.exchange(connection).declare()
                for name, headers, body in messages:
                    producer.publish(body, headers=headers, routing_key=name, delivery_mode=2,
                                     retry=False)
        except Exception as exc:
            raise PublishError(f'the bus cannot be reached ({exc.__class__.__name__}: {exc})')


def bus_config(config):
    return dict(DEFAULTS, **(config.get('bus') or {}))


def build_publisher(config):
    """A BusPublisher, or None when the bus is off (then no event is kept)."""
    bus = bus_config(config)
    if not bus['enabled']:
        return None
    return BusPublisher(bus, config.get('uuid') or '00000000-0000-4000-8000-000000000000')
