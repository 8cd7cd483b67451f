# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""No input produces a 500: malformed files get a clear 4xx in JSON, and nothing is written."""

import random
import select
import time
import tracemalloc

import pytest
import requests

from .conftest import TOKEN, Server, make_config
from .helpers import make_csv, phone, user

# The peak of the request of test_errors_everywhere_take_bounded_memory: the rows and their
# values (the file is read whole), not the errors. 45 MiB here; keeping every error took
# 123 MiB, and grows with the bad cells of a row (a bad cell everywhere at the row limit took
# 1.4 GiB).
BOUND = 64 * 2**20


def garbage(seed, size=4096):
    generator = random.Random(seed)
    return bytes(generator.randrange(256) for _ in range(size))


MALFORMED = {
    'binary garbage': garbage(1),
    'more binary garbage': garbage(2, 65536),
    'unclosed quote': b'entity_id,firstname\n1,"John\n1,Jane\n',
    'stray quote': b'entity_id,firstname\n1,Jo"hn"x\n1,"Ja"ne\n',
    'ten thousand columns': (
        ','.join(f'col{i}' for i in range(10000))
        + '\n'
        + ','.join('x' for _ in range(10000))
        + '\n'
    ).encode(),
    'ten thousand known-ish columns': (','.join(['firstname'] * 10000) + '\n').encode(),
    'one megabyte cell': b'entity_id,firstname\n1,' + b'x' * (1024 * 1024) + b'\n',
    'one megabyte quoted cell': b'entity_id,firstname\n1,"'
    + b'y' * (1024 * 1024)
    + b'"\n',
    'nul bytes': b'entity_id,firstname\n1,Jo\x00hn\n',
    'nul in header': b'entity\x00_id,firstname\n1,John\n',
    'utf-16 without charset': 'entity_id,firstname\n1,John\n'.encode('utf-16'),
    'lone carriage returns': b'entity_id,firstname\r1,John\r1,\r',
    'huge int': b'entity_id,firstname,ring_seconds\n1,A,' + b'9' * 5000 + b'\n',
    'huge entity id': b'entity_id,firstname\n' + b'9' * 40 + b',A\n',
    'emoji everywhere': 'entity_id,firstname,exten,context,line_protocol\n'
    '1,😀,😀,😀,😀\n'.encode(),
    'control characters': b'entity_id,firstname,sip_secret,exten,context,line_protocol\n'
    b'1,A\x07\x1b[31m,\x01\x02,1000,default,sip\n',
}


@pytest.mark.parametrize('name', sorted(MALFORMED))
def test_malformed_file_gets_a_clear_4xx(server, name):
    response = server.post(MALFORMED[name])

    assert 400 <= response.status_code < 500, (
        name,
        response.status_code,
        response.text[:300],
    )
    body = response.json()
    assert body['errors'] and all(error['message'] for error in body['errors'])
    assert 'Traceback' not in response.text
    assert server.count('user') == 0


@pytest.fixture
def limited(pg_uri):
    server = Server(make_config(pg_uri, None, max_body_bytes=2000, max_rows=3))
    server.clean()
    yield server
    server.stop()


def test_body_over_the_limit_is_413(limited):
    response = limited.post(make_csv([user('x' * 100)] * 30))

    assert response.status_code == 413
    assert 'limit of 2000 bytes' in response.json()['errors'][0]['message']
    assert limited.count('user') == 0


def test_rows_over_the_limit_is_413(limited):
    response = limited.post(make_csv([user(f'U{i}') for i in range(4)]))

    assert response.status_code == 413
    assert 'more than 3 rows' in response.json()['errors'][0]['message']


def test_rows_at_the_limit_are_fine(limited):
    assert limited.post(make_csv([user(f'U{i}') for i in range(3)])).status_code == 201


def test_errors_are_capped_and_counted(server):
    """Every row wrong five times: the answer lists the first 1,000 errors in full and counts
    all of them by column and code, so that its size does not grow with the file."""
    bad = {
        'ring_seconds': '7',
        'simultaneous_calls': '99',
        'enabled': 'maybe',
        'language': 'xx',
        'email': 'not-an-email',
    }
    body = make_csv([user(f'U{n}', **bad) for n in range(400)])

    response = server.post(body)

    assert response.status_code == 400
    answer = response.json()
    assert len(answer['errors']) == 1000
    summary = answer['error_summary']
    assert (summary['total'], summary['shown'], summary['more'], summary['rows']) == (
        2000,
        1000,
        1000,
        400,
    )
    assert {
        (group['column'], group['code'], group['count'])
        for group in summary['by_column']
    } == {(column, 'invalid', 400) for column in bad}
    # every failing row, listed or not (lines 2 to 401), so a page can mark them all
    assert summary['failing_lines'] == [[2, 401]]
    assert answer['errors'][0]['details']['row_number'] == 1
    assert len(response.content) < 1000 * 1000  # bounded, whatever the number of rows
    assert server.count('user') == 0


def test_errors_everywhere_take_bounded_memory(server):
    """20,000 rows with twelve bad cells each (eleven that do not parse, and a context that
    does not exist, found by a later check): 240,000 errors. Only the first 1,000 are kept in full
    (errors.ErrorLog); every one is counted. The server runs in this process: tracemalloc
    sees the whole request."""
    rows = 20000
    bad = {
        'ring_seconds': '7',
        'simultaneous_calls': '99',
        'enabled': 'maybe',
        'language': 'xx',
        'email': 'not-an-email',
        'mobile_phone_number': 'call me',
        'call_permission_password': 'pin',
        'supervision_enabled': 'yes',
        'call_transfer_enabled': 'yes',
        'dtmf_hangup_enabled': 'yes',
        'cti_profile_enabled': 'yes',
    }
    body = make_csv(
        [
            user(f'U{n}', **bad, **phone(str(1000 + n % 900), context='nowhere'))
            for n in range(rows)
        ]
    ).encode()

    tracemalloc.start()
    try:
        response = server.post(body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 400, response.text[:300]
    summary = response.json()['error_summary']
    assert (summary['total'], summary['shown'], summary['rows']) == (
        rows * 12,
        1000,
        rows,
    )
    assert {
        (group['column'], group['code'], group['count'])
        for group in summary['by_column']
    } == {(column, 'invalid', rows) for column in bad} | {
        ('context', 'unknown_context', rows)
    }
    assert summary['failing_lines'] == [[2, rows + 1]]
    assert peak < BOUND, f'peak {peak / 2**20:.0f} MiB'
    assert server.count('user') == 0


def answer_of(connection, timeout=20):
    """Everything the server sends until it closes (a reset after its answer is its close)."""
    connection.settimeout(timeout)
    answer = b''
    try:
        while chunk := connection.recv(65536):
            answer += chunk
    except ConnectionResetError:
        pass
    connection.close()
    return answer


def test_redirects_are_relative_and_never_echo_the_host(server):
    root = server.url[: -len('/1.1')]
    for path, location in (('/', '1.1/users/csv/'), ('/1.1/users/csv', 'csv/')):
        response = requests.get(
            root + path, headers={'Host': 'evil.example'}, allow_redirects=False
        )
        assert (response.status_code, response.headers['Location']) == (
            308,
            location,
        ), path
    page = requests.get(root + '/')  # followed: the page itself
    assert page.status_code == 200 and '<html' in page.text.lower()
    # its own files only, and no other site may frame it
    assert "frame-ancestors 'none'" in page.headers['Content-Security-Policy']
    assert "script-src 'self'" in page.headers['Content-Security-Policy']
    assert page.headers['X-Frame-Options'] == 'DENY'


def test_a_wrong_method_outside_the_api_answers_json(server):
    response = requests.post(server.url + '/api/api.yml')

    assert response.status_code == 405
    assert response.json()['errors'][0]['message']


def test_a_truncated_upload_is_a_clear_400(server):
    import socket

    body = make_csv([user('Cut')]).encode()
    connection = socket.create_connection(('127.0.0.1', server.port))
    connection.sendall(
        f'POST /1.1/users/import HTTP/1.1\r\nHost: x\r\nX-Auth-Token: {TOKEN}\r\n'
        f'Content-Type: text/csv\r\nContent-Length: {len(body) + 100}\r\n\r\n'.encode()
        + body
    )
    connection.shutdown(socket.SHUT_WR)  # the rest never comes
    answer = answer_of(connection, timeout=30)

    assert answer.startswith(b'HTTP/1.1 400'), answer[:200]
    assert b'"truncated"' in answer and b'cut short' in answer
    assert server.count('user') == 0


def test_a_refused_request_is_answered_without_waiting_for_its_body(server):
    """A token-less upload trickling in would hold a worker until its last byte: it is answered
    after its headers, and the connection closed."""
    import socket

    connection = socket.create_connection(('127.0.0.1', server.port))
    connection.sendall(
        b'POST /1.1/users/import HTTP/1.1\r\nHost: x\r\n'
        b'Content-Type: text/csv\r\nContent-Length: 1000000\r\n\r\nentity_id'
    )
    answer = answer_of(
        connection
    )  # the body never comes: only an early answer can arrive

    assert answer.startswith(b'HTTP/1.1 401'), answer[:100]
    assert b'Connection: close' in answer


@pytest.mark.parametrize(
    'body, charset',
    [
        (
            'entity_id,firstname\n1,A'.encode('utf-16-le')
            + b'\x00\xd8'
            + ',\n'.encode('utf-16-le'),
            'utf-16-le',
        ),  # a lone high surrogate
        (
            b'entity_id,firstname\n1,A\xed\xa0\x80\n',
            'utf-8',
        ),  # a surrogate encoded in UTF-8
        (b'entity_id,firstname\n1,A\xed\xa0\x80\xed\xb0\x80\n', 'utf-8'),  # CESU-8
    ],
)
def test_surrogates_are_an_encoding_error_of_their_line(server, body, charset):
    response = server.post(body, content_type=f'text/csv; charset={charset}')

    assert response.status_code == 400, response.text
    [error] = response.json()['errors']
    assert (error['details']['code'], error['details']['line']) == ('encoding', 2)
    assert server.count('user') == 0


def test_content_length_given_twice_is_refused(server):
    import socket

    body = make_csv([user('Twice')]).encode()
    connection = socket.create_connection(('127.0.0.1', server.port))
    connection.sendall(
        f'POST /1.1/users/import HTTP/1.1\r\nHost: x\r\nX-Auth-Token: {TOKEN}\r\n'
        f'Content-Type: text/csv\r\nContent-Length: {len(body)}\r\nContent-Length: 5\r\n'
        f'\r\n'.encode() + body
    )
    connection.settimeout(20)
    answer = connection.recv(65536)
    connection.close()

    assert answer.startswith(b'HTTP/1.1 400'), answer[:200]
    assert server.count('user') == 0


@pytest.fixture
def paced_server(pg_uri):
    """Uploads must average 200 bytes a second after a 1 s grace."""
    server = Server(make_config(pg_uri, None, min_body_rate=200, body_grace_seconds=1))
    server.clean()
    yield server
    server.stop()


def _trickle(server, body, pieces, pause):
    """Sends the headers, then `body` in `pieces`, `pause` seconds apart; returns the answer."""
    import socket

    connection = socket.create_connection(('127.0.0.1', server.port))
    connection.sendall(
        f'POST /1.1/users/import HTTP/1.1\r\nHost: x\r\nX-Auth-Token: {TOKEN}\r\n'
        f'Content-Type: text/csv\r\nContent-Length: {len(body)}\r\nConnection: close\r\n'
        '\r\n'.encode()
    )
    step = -(-len(body) // pieces)
    try:
        for start in range(0, len(body), step):
            # waits `pause`, or less when the answer comes: sending on past the server's
            # close would make it reset the connection, and the answer could be lost
            if select.select([connection], [], [], pause)[0]:
                break
            connection.sendall(body[start : start + step])
    except OSError:
        pass  # the server gave up and closed: its answer is waiting
    return answer_of(connection)


def test_an_authenticated_upload_trickling_in_is_given_up_with_408(paced_server):
    """A client with a token sending a byte at a time would hold a worker as long as it likes:
    past its allowance (grace, then the minimum rate) it gets 408 and the connection closes.
    """
    body = make_csv([user(f'Slow{n}') for n in range(20)]).encode()
    started = time.monotonic()
    answer = _trickle(
        paced_server, body, pieces=len(body), pause=0.1
    )  # 10 bytes a second

    assert answer.startswith(b'HTTP/1.1 408'), answer[:200]
    assert b'Connection: close' in answer
    assert b'too slowly' in answer and b'200 bytes a second' in answer
    assert (
        time.monotonic() - started < 15
    )  # given up long before the last byte (about 40 s)
    assert paced_server.count('user') == 0


def test_an_upload_above_the_minimum_rate_is_read_whole(paced_server):
    body = make_csv([user(f'Paced{n}') for n in range(80)]).encode()
    assert len(body) > 800
    # in 8 pieces over about 1.6 s: longer than the grace, faster than 200 bytes a second
    answer = _trickle(paced_server, body, pieces=8, pause=0.2)

    assert answer.startswith(b'HTTP/1.1 201'), answer[:300]
    assert paced_server.count('user') == 80


def test_a_chunked_upload_is_refused_with_411_before_it_is_read(server):
    import socket

    connection = socket.create_connection(('127.0.0.1', server.port))
    connection.sendall(
        f'POST /1.1/users/import HTTP/1.1\r\nHost: x\r\nX-Auth-Token: {TOKEN}\r\n'
        'Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n'.encode()
    )
    answer = answer_of(
        connection
    )  # the body never comes: only an early answer can arrive

    assert answer.startswith(b'HTTP/1.1 411'), answer[:200]
    assert b'Connection: close' in answer and b'Content-Length' in answer
    assert server.count('user') == 0


def _raw(server, head):
    """Sends `head` (a request without a body) and returns the whole answer."""
    import socket

    connection = socket.create_connection(('127.0.0.1', server.port))
    connection.sendall(head.encode('latin-1'))
    return answer_of(connection)


@pytest.mark.parametrize(
    'headers',
    [
        [f'X-Auth-Token: {TOKEN}', f'X-Auth-Token: {TOKEN}'],
        ['X-Auth-Token: not-a-token', f'X-Auth-Token: {TOKEN}'],
        [f'X-Auth-Token: {TOKEN}', f'x-auth-token: {TOKEN}'],
    ],
)
def test_two_tokens_are_refused_whatever_their_order(server, headers):
    head = '\r\n'.join(
        ['GET /1.1/users/import/columns HTTP/1.1', 'Host: x', 'Connection: close']
        + headers
    )
    answer = _raw(server, head + '\r\n\r\n')

    assert answer.startswith(b'HTTP/1.1 400'), answer[:200]
    assert b'X-Auth-Token given more than once' in answer


@pytest.mark.parametrize(
    'headers, status',
    [
        # WSGI names both HTTP_X_AUTH_TOKEN: the underscore form is dropped (as nginx does)
        ([f'X_Auth_Token: {TOKEN}'], b'401'),
        ([f'X_Auth_Token: {TOKEN}', 'X-Auth-Token: not-a-token'], b'401'),
        (['X-Auth-Token: not-a-token', f'X_Auth_Token: {TOKEN}'], b'401'),
        ([f'X-Auth-Token: {TOKEN}', 'X_Auth_Token: not-a-token'], b'200'),
        (['X_Auth_Token: not-a-token', f'X-Auth-Token: {TOKEN}'], b'200'),
    ],
)
def test_a_token_header_with_an_underscore_is_never_read(server, headers, status):
    head = '\r\n'.join(
        ['GET /1.1/users/import/columns HTTP/1.1', 'Host: x', 'Connection: close']
        + headers
    )
    answer = _raw(server, head + '\r\n\r\n')

    assert answer.startswith(b'HTTP/1.1 ' + status), answer[:200]


def test_a_search_holding_a_nul_is_a_clear_400(server):
    response = requests.get(
        server.url + '/users/export',
        params={'search': 'a\x00b', 'limit': '10'},
        headers={'X-Auth-Token': TOKEN},
        timeout=30,
    )

    assert response.status_code == 400, response.text
    assert 'NUL' in response.json()['errors'][0]['message']
    assert server.get('/users/export?search=a&limit=10').status_code == 200
