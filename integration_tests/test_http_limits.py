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
