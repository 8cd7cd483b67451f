# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The standalone host's HTTP layer under clients that send too much or too slowly: bodies no
route reads are never read beyond a small bound, slow headers hold no worker, slow bodies are
cut once clearly too slow. A real cheroot server, raw sockets."""

import socket
import threading
import time

import pytest
import requests

from .conftest import TOKEN
from .test_hostile_input import answer_of

MiB = 1024 * 1024


def rss():
    """This process's resident memory (the server runs in it), in bytes."""
    with open('/proc/self/status', encoding='ascii') as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) * 1024
    raise AssertionError('no VmRSS')


def flood(server, head, total, chunked=False):
    """Sends `head`, then streams up to `total` bytes of body while reading the answer; returns
    (answer, bytes of body the server let in before it closed)."""
    connection = socket.create_connection(('127.0.0.1', server.port))
    connection.sendall(head.encode('latin-1'))
    sent = [0]
    piece = b'x' * (256 * 1024)
    if chunked:
        piece = b'%x\r\n' % len(piece) + piece + b'\r\n'

    def send():
        try:
            while sent[0] < total:
                connection.sendall(piece)
                sent[0] += len(piece)
        except OSError:
            pass  # the server closed: what it sent is waiting to be read

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    answer = answer_of(connection, timeout=60)
    sender.join(30)
    return answer, sent[0]


def request_head(method, path, length=None, token=TOKEN, chunked=False):
    lines = [f'{method} {path} HTTP/1.1', 'Host: x', 'Content-Type: text/csv']
    if token:
        lines.append(f'X-Auth-Token: {token}')
    if chunked:
        lines.append('Transfer-Encoding: chunked')
    else:
        lines.append(f'Content-Length: {length}')
    return '\r\n'.join(lines) + '\r\n\r\n'


BODYLESS = [
    ('GET', '/1.1/users/import/columns', b'200'),
    ('GET', '/1.1/users/export', b'200'),
    ('HEAD', '/1.1/users/export', b'200'),
    ('OPTIONS', '/1.1/users/import', b'200'),
    ('DELETE', '/1.1/users/import', b'405'),
    ('POST', '/1.1/users/export', b'405'),
    ('POST', '/1.1/nowhere', b'404'),
    ('GET', '/no/such/path', b'404'),
    ('POST', '/1.1/users/import?dry_run=maybe', b'400'),  # decided before the body
    ('GET', '/1.1/users/export?limit=0', b'400'),
]


@pytest.mark.parametrize('chunked', [False, True], ids=['content-length', 'chunked'])
def test_a_body_no_route_reads_is_never_read_beyond_a_small_bound(server, chunked):
    """A 1 GiB body announced to routes that read none: each answers at once and closes; the
    server neither reads it all nor grows (it read and held the whole body before)."""
    declared = 1024 * MiB
    before = rss()
    for method, path, status in BODYLESS:
        head = request_head(method, path, declared, chunked=chunked)
        answer, sent = flood(server, head, total=256 * MiB, chunked=chunked)

        assert answer.startswith(b'HTTP/1.1 ' + status), (method, path, answer[:200])
        assert b'Connection: close' in answer.split(b'\r\n\r\n')[0], (method, path)
        # what the sockets' buffers hold, not the 256 MiB streamed nor the 1 GiB announced
        assert sent < 48 * MiB, (method, path, sent)
    assert rss() - before < 64 * MiB
    # and the server still answers
    assert server.get('/users/import/columns').status_code == 200


def test_a_small_rest_of_body_is_read_and_the_connection_kept(server):
    """A GET with a small body (a client's habit, not an attack) keeps its connection."""
    session = requests.Session()
    for _ in range(3):
        response = session.get(
            server.url + '/users/import/columns',
            data=b'x' * 1000,
            headers={'X-Auth-Token': TOKEN},
            timeout=30,
        )
        assert response.status_code == 200
        assert response.headers.get('Connection') != 'close'


def test_a_small_rest_trickling_in_is_not_waited_for(server):
    """The rest read to keep the connection comes within a bound of time, or it closes."""
    connection = socket.create_connection(('127.0.0.1', server.port))
    connection.sendall(
        request_head('GET', '/1.1/users/import/columns', length=1000).encode()
        + b'x' * 10
    )  # 990 bytes never come
    started = time.monotonic()
    answer = answer_of(connection, timeout=30)

    assert answer.startswith(b'HTTP/1.1 200'), answer[:200]
    assert b'Connection: close' in answer
    assert time.monotonic() - started < 5


def trickle_headers(server, count, pause, stop):
    """`count` connections, each sending a request's headers one byte every `pause` seconds
    (no token) until `stop` is set; returns the threads and, per connection, what it got.
    """
    head = b'GET /1.1/users/import/columns HTTP/1.1\r\nHost: x\r\nX-Pad: ' + b'a' * 64
    answers = [None] * count

    def one(index):
        connection = socket.create_connection(('127.0.0.1', server.port))
        connection.settimeout(pause)
        got = b''
        try:
            for byte in head:
                if stop.is_set():
                    break
                connection.sendall(bytes([byte]))
                try:
                    chunk = connection.recv(65536)
                except socket.timeout:
                    continue
                got += chunk
                if not chunk:
                    break  # the server closed
        except OSError:
            pass
        finally:
            answers[index] = got
            connection.close()

    threads = [
        threading.Thread(target=one, args=(n,), daemon=True) for n in range(count)
    ]
    for thread in threads:
        thread.start()
    return threads, answers


def test_slow_headers_hold_no_worker(server):
    """25 connections (more than the 20 workers) sending their headers a byte every 2 s: a
    normal request is still answered at once, again and again while they trickle."""
    stop = threading.Event()
    threads, _ = trickle_headers(server, 25, pause=2.0, stop=stop)
    try:
        time.sleep(1)  # every trickler has connected and sent its first bytes
        for _ in range(3):
            started = time.monotonic()
            response = requests.get(
                server.url + '/users/import/columns',
                headers={'X-Auth-Token': TOKEN},
                timeout=5,
            )
            assert response.status_code == 200
            assert time.monotonic() - started < 1.5
            time.sleep(1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)


@pytest.fixture
def quick_server(pg_uri):
    from .conftest import Server, make_config

    server = Server(make_config(pg_uri, None, header_timeout=2))
    yield server
    server.stop()


def test_headers_not_all_there_in_time_get_408_and_the_connection_closes(
    quick_server,
):
    stop = threading.Event()
    started = time.monotonic()
    threads, answers = trickle_headers(quick_server, 3, pause=0.5, stop=stop)
    for thread in threads:
        thread.join(15)
    stop.set()

    assert time.monotonic() - started < 6  # 2 s, checked every half second
    for answer in answers:
        assert answer.startswith(b'HTTP/1.1 408'), answer[:200]
        assert b'rest_api.header_timeout: 2 s' in answer
    assert quick_server.get('/users/import/columns').status_code == 200


def test_headers_a_little_slow_but_within_the_timeout_are_served(quick_server):
    connection = socket.create_connection(('127.0.0.1', quick_server.port))
    head = (
        f'GET /1.1/users/import/columns HTTP/1.1\r\nHost: x\r\nX-Auth-Token: {TOKEN}'
        '\r\nConnection: close\r\n\r\n'
    ).encode()
    for start in range(0, len(head), 20):  # in pieces, over about a second
        connection.sendall(head[start : start + 20])
        time.sleep(0.2)
    answer = answer_of(connection)

    assert answer.startswith(b'HTTP/1.1 200'), answer[:200]


def send_paced(server, body, piece, pause):
    """An authenticated import whose body comes `piece` bytes every `pause` seconds."""
    connection = socket.create_connection(('127.0.0.1', server.port))
    connection.sendall(
        f'POST /1.1/users/import?dry_run=true HTTP/1.1\r\nHost: x\r\n'
        f'X-Auth-Token: {TOKEN}\r\nContent-Type: text/csv\r\n'
        f'Content-Length: {len(body)}\r\nConnection: close\r\n\r\n'.encode()
    )
    try:
        for start in range(0, len(body), piece):
            connection.sendall(body[start : start + piece])
            time.sleep(pause)
    except OSError:
        pass  # the server gave up and closed: its answer is waiting
    return answer_of(connection)


def test_a_slow_authenticated_body_is_cut_long_before_the_grace(server):
    """With the default settings: 100 bytes a second is far below 1 KiB/s over 5 s, so it is
    cut after about 5 s, not after the 30 s grace of the average."""
    from .helpers import make_csv, user

    body = make_csv([user(f'Slow{n}') for n in range(400)]).encode()
    started = time.monotonic()
    answer = send_paced(server, body, piece=20, pause=0.2)

    assert answer.startswith(b'HTTP/1.1 408'), answer[:300]
    assert b'1024 bytes a second over any 5 s' in answer
    assert b'Connection: close' in answer
    assert 4 < time.monotonic() - started < 12


def test_a_body_steadily_above_the_window_rate_is_read_whole(server):
    from .helpers import make_csv, user

    body = make_csv(
        [user(f'Steady{n}', lastname='x' * 20) for n in range(300)]
    ).encode()
    assert len(body) > 6 * 1024
    # about 2 KiB a second for some 3 s: slower than the average's 8 KiB/s, within its grace
    answer = send_paced(server, body, piece=1024, pause=0.5)

    assert answer.startswith(b'HTTP/1.1 200'), answer[:300]


def test_headers_larger_than_the_limit_get_413(server):
    connection = socket.create_connection(('127.0.0.1', server.port))
    connection.sendall(
        b'GET /1.1/users/import/columns HTTP/1.1\r\nHost: x\r\nX-Pad: '
        + b'a' * (70 * 1024)
        + b'\r\n\r\n'
    )
    answer = answer_of(connection)

    assert answer.startswith(b'HTTP/1.1 413'), answer[:200]
    assert server.get('/users/import/columns').status_code == 200
