# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fuzz: request shapes, not only files. Random methods, paths, query strings, headers and
bodies (sized, chunked, short of their Content-Length) to every route of the standalone host,
over a raw socket so that nothing tidies them on the way. Never a 5xx, never a traceback, and
the server answers a plain request afterwards."""

import glob
import os
import socket

from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz.strategies import any_file

from .conftest import TOKEN

EXAMPLES = os.path.join(os.path.dirname(__file__), '..', 'examples')
SEEDS = [
    open(path, 'rb').read()
    for path in sorted(glob.glob(os.path.join(EXAMPLES, '*.csv')))
]

ROUTES = [
    '/1.1/users/import',
    '/1.1/users/import/columns',
    '/1.1/users/import/tenants',
    '/1.1/users/export',
    '/1.1/users/csv',
    '/1.1/users/csv/',
    '/1.1/users/csv/index.html',
    '/1.1/users/csv/nothing.js',
    '/1.1/api/api.yml',
    '/',
    '/1.1',
    '/1.1/users',
    '/1.1/users/import/columns/x',
    '//1.1//users/export',
    '/1.1/users/export/../import',
    '/1.1/users/%65xport',
    '/1.1/users/export%00',
]
METHODS = [
    'GET',
    'HEAD',
    'POST',
    'PUT',
    'DELETE',
    'PATCH',
    'OPTIONS',
    'TRACE',
    'PROPFIND',
    'get',
    'X' * 40,
]
ARGUMENTS = [
    'dry_run',
    'search',
    'uuid',
    'limit',
    'offset',
    'spreadsheet',
    'bom',
    'recurse',
]
VALUES = st.one_of(
    st.sampled_from(
        ['true', 'false', '', '0', '1', '-1', '1001', '10' * 30, 'a,b', '%00', '%ff']
    ),
    st.text(
        alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30
    ).filter(lambda value: '#' not in value),
)
HEADER_VALUE = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80
)
HEADERS = st.lists(
    st.one_of(
        st.tuples(st.just('X-Auth-Token'), st.sampled_from([TOKEN, 'other', ''])),
        st.tuples(st.just('X_Auth_Token'), st.just(TOKEN)),
        st.tuples(
            st.just('Content-Type'),
            st.sampled_from(
                [
                    'text/csv',
                    'text/csv; charset=utf-8',
                    'text/csv; charset=bz2',
                    'application/json',
                    'multipart/form-data; boundary=x',
                    'text/plain',
                    '',
                ]
            ),
        ),
        st.tuples(
            st.just('Accept'),
            st.sampled_from(['text/csv; charset=utf-8', '*/*', 'application/json']),
        ),
        st.tuples(st.just('Idempotency-Key'), HEADER_VALUE),
        st.tuples(st.just('Wazo-Tenant'), HEADER_VALUE),
        st.tuples(st.just('Expect'), st.just('100-continue')),
        st.tuples(
            st.text(
                alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E).filter(
                    lambda char: char != ':'
                ),
                min_size=1,
                max_size=20,
            ),
            HEADER_VALUE,
        ),
    ),
    max_size=6,
)
BODIES = st.one_of(st.just(b''), any_file(SEEDS), st.binary(max_size=2048))


def request_bytes(method, path, query, headers, body, framing):
    lines = [f'{method} {path}{query} HTTP/1.1', 'Host: x', 'Connection: close']
    lines += [f'{name}: {value}' for name, value in headers]
    if framing == 'chunked':
        lines.append('Transfer-Encoding: chunked')
        payload = (
            b'%x\r\n' % len(body) + body + b'\r\n' if body else b''
        ) + b'0\r\n\r\n'
    elif (
        framing == 'short'
    ):  # fewer bytes than announced, then the client stops sending
        lines.append(f'Content-Length: {len(body) + 100}')
        payload = body
    else:
        lines.append(f'Content-Length: {len(body)}')
        payload = body
    return '\r\n'.join(lines).encode('latin-1') + b'\r\n\r\n' + payload


def exchange(server, data):
    connection = socket.create_connection(('127.0.0.1', server.port))
    connection.settimeout(60)
    answer = b''
    try:
        connection.sendall(data)
        connection.shutdown(socket.SHUT_WR)
        while chunk := connection.recv(65536):
            answer += chunk
    except (ConnectionResetError, BrokenPipeError):
        pass  # refused before all was sent: what it answered is kept
    finally:
        connection.close()
    return answer


def test_no_request_shape_gets_a_5xx_or_a_traceback(server):
    seen = set()

    @settings(max_examples=400)
    @given(
        st.sampled_from(METHODS),
        st.sampled_from(ROUTES),
        st.lists(st.tuples(st.sampled_from(ARGUMENTS), VALUES), max_size=4),
        HEADERS,
        BODIES,
        st.sampled_from(['sized', 'sized', 'chunked', 'short']),
    )
    def run(method, path, arguments, headers, body, framing):
        query = ('?' + '&'.join(f'{name}={value}' for name, value in arguments)) * bool(
            arguments
        )
        answer = exchange(
            server, request_bytes(method, path, query, headers, body, framing)
        )
        # an answer each time (cheroot's own 400s included), never a server error
        assert answer.startswith(b'HTTP/1.1 '), answer[:200]
        status = int(answer.split(b' ', 2)[1])
        assert status < 500, answer[:2000]
        assert b'Traceback' not in answer and b'File "' not in answer
        seen.add(status)

    run()
    # the shapes reached the routes, not only cheroot's refusals
    assert {200, 400, 401, 404, 405} <= seen, seen
    # the server still answers
    assert server.get('/users/import/columns').status_code == 200
    assert server.get('/users/export').status_code == 200
