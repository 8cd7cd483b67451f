"""Pure pieces of the import inside wazo-confd: a voicemail rule of confd's, and events
marshalled exactly as confd's own publisher marshals them."""
import os

import pytest

from wazo_confd_users_csv.imports.rows import RowContext
from wazo_confd_users_csv.reader import Row
from wazo_confd_users_csv.services.voicemail import check_delete_needs_email

VOICEMAIL_COLUMNS = ['voicemail_name', 'voicemail_number', 'voicemail_context',
                     'voicemail_email', 'voicemail_delete_messages']


def row(**values):
    return RowContext(Row(3, 4, {}), values, VOICEMAIL_COLUMNS)


@pytest.mark.parametrize('delete, email, refused', [
    (True, None, True),
    (True, 'box@example.com', False),
    (False, None, False),
    (None, None, False),
])
def test_deleting_emailed_messages_needs_an_email(delete, email, refused):
    context = row()

    check_delete_needs_email(context, {'delete_messages': delete, 'email': email})

    assert [(e.code, e.column, e.row_number, e.line) for e in context.errors] == (
        [('email_required', 'voicemail_delete_messages', 3, 4)] if refused else [])


def require_wazo():
    """Skips without the real confd, except in CI (USERS_CSV_REQUIRE_WAZO=1), where a skip
    would hide the confd backend."""
    try:
        import wazo_confd  # noqa: F401
    except ImportError as exc:
        if os.environ.get('USERS_CSV_REQUIRE_WAZO') == '1':
            pytest.fail(f'the real wazo-confd is required here: {exc}')
        pytest.skip(f'the real wazo-confd is not installed: {exc}')


def test_events_are_marshalled_as_confds_publisher_does():
    require_wazo()
    from wazo_bus.resources.user_line.event import UserLineAssociatedEvent
    from wazo_confd._bus import BusPublisher as ConfdPublisher

    from wazo_confd_users_csv.backends.wazo.outbox import WazoPublisher

    bus = {'host': '127.0.0.1', 'port': 5672, 'username': 'guest', 'password': 'guest',
           'exchange_name': 'x', 'exchange_type': 'headers'}
    event = UserLineAssociatedEvent(
        {'id': 1, 'uuid': 'user-uuid', 'tenant_uuid': 'tenant'},
        {'id': 2, 'name': 'abc', 'endpoint_sip': {'uuid': 'sip-uuid'}, 'endpoint_sccp': None,
         'endpoint_custom': None}, True, True, 'tenant')

    routing_key, headers, body = WazoPublisher(bus, 'origin').message(event)
    their_headers, their_body, their_key = ConfdPublisher.from_config('origin', bus)._marshal(
        event, None, None)

    assert routing_key == their_key
    for ours, theirs in ((headers, their_headers), (body, their_body)):
        assert ours.pop('timestamp') and theirs.pop('timestamp')
        assert ours == theirs
    assert headers['user_uuid:user-uuid'] is True and headers['tenant_uuid'] == 'tenant'


def test_which_users_get_a_wazo_auth_user():
    require_wazo()
    from wazo_confd_users_csv.backends.wazo.backend import needing_auth_users
    from wazo_confd_users_csv.imports.plan import RowPlan

    plans = [RowPlan(RowContext(Row(n, n + 1, {}), values, list(values)))
             for n, values in enumerate([{'firstname': 'A'}, {'username': 'b'},
                                         {'email': 'c@example.com'}, {'password': 'secret'}],
                                        start=1)]

    assert needing_auth_users(plans, every_user=True) == plans  # as confd's import
    assert [p.row.row_number for p in needing_auth_users(plans, every_user=False)] == [2, 3, 4]
