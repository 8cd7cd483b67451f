# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The standalone host: a Flask app with the /1.1 Api, plugins loaded as confd loads them."""

import collections
import contextlib
import dataclasses
import json
import logging
import math
import os
import selectors
import socket
import sys
import time
from typing import Any, cast

from cheroot import connections
from cheroot import server as server_module
from cheroot import wsgi
from flask import Flask, Response, jsonify
from flask_restful import Api
from stevedore import NamedExtensionManager
from werkzeug.exceptions import HTTPException

from ..http import page_redirect
from .config import DEFAULTS

logger = logging.getLogger(__name__)

PLUGIN_NAMESPACE = 'wazo_confd.plugins'


class JsonApi(Api):
    """flask-restful answers unknown routes and methods in JSON of its own; keep ours."""

    def handle_error(self, e):
        if isinstance(e, HTTPException):
            return (
                jsonify({'errors': [{'message': e.description, 'details': {}}]}),
                e.code,
            )
        logger.exception('unexpected error')
        return (
            jsonify(
                {
                    'errors': [
                        {'message': 'internal error: it was logged', 'details': {}}
                    ]
                }
            ),
            500,
        )


def load_plugins(config, api):
    enabled = [name for name, on in (config.get('enabled_plugins') or {}).items() if on]
    manager = NamedExtensionManager(
        PLUGIN_NAMESPACE,
        names=enabled,
        name_order=True,
        invoke_on_load=True,
        on_missing_entrypoints_callback=lambda missing: logger.error(
            'enabled plugins not installed: %s', ', '.join(sorted(missing))
        ),
    )
    dependencies = {'api': api, 'config': config}
    for extension in manager:
        extension.obj.load(dependencies)
    return manager


def api_spec(manager):
    """The OpenAPI fragments (api.yml) that sit beside each loaded plugin's module."""
    parts = []
    for extension in manager:
        module = sys.modules[type(extension.obj).__module__]
        path = os.path.join(os.path.dirname(module.__file__ or ''), 'api.yml')
        if os.path.exists(path):
            with open(path, encoding='utf-8') as stream:
                parts.append(stream.read())
    return '\n'.join(parts)


def create_app(config):
    app = Flask('wazo_confd_users_csv')
    api = JsonApi(app, prefix='/1.1', catch_all_404s=True)
    manager = load_plugins(config, api)
    spec = api_spec(manager)
    app.add_url_rule(
        '/1.1/api/api.yml',
        'api_spec',
        lambda: Response(spec, mimetype='application/x-yaml'),
    )
    app.add_url_rule('/', 'root', lambda: page_redirect('1.1/users/csv/'))  # the page
    app.extensions['users_csv_plugins'] = manager

    @app.after_request
    def close_when_refused(response):
        if response.status_code in CLOSE_AFTER:
            response.headers['Connection'] = 'close'
        return response

    @app.errorhandler(HTTPException)
    def json_answer(
        error,
    ):  # outside the Api too (api.yml, /): JSON, never an HTML page
        return (
            jsonify({'errors': [{'message': error.description, 'details': {}}]}),
            error.code,
        )

    return app


# Headers a request may carry once: of two Content-Length (which cheroot would let the last one
# win) a proxy and this server may read different ones, which is how a request is smuggled; of
# two tokens, which one is checked must not depend on their order.
ONCE = (
    b'Content-Length',
    b'Content-Type',
    b'Host',
    b'X-Auth-Token',
    b'Idempotency-Key',
)


class _OnceHeaders(dict):
    def __setitem__(self, key, value):
        if key in ONCE and key in self:
            # cheroot answers 400 with this message
            raise ValueError(f'{key.decode()} given more than once')
        super().__setitem__(key, value)


class _HeaderReader(server_module.HeaderReader):
    """Headers with an `_` in their name are dropped, as nginx does by default: WSGI names
    `X_Auth_Token` and `X-Auth-Token` alike (HTTP_X_AUTH_TOKEN), so the one seen would depend
    on their order. (cheroot's DropUnderscoreHeaderReader does it, but tests a str in bytes.)
    """

    def _allow_header(self, key_name):
        return b'_' not in key_name

    def __call__(self, rfile, hdict=None):
        checked = super().__call__(rfile, _OnceHeaders())
        if hdict is None:
            return dict(checked)
        hdict.update(checked)
        return hdict


# What is left of a body the answer did not need is read, to keep the connection, only up to
# this many bytes and for this long; past either, or for a chunked body, the connection closes.
DRAIN_BYTES = 64 * 1024
DRAIN_SECONDS = 2.0


class _Request(server_module.HTTPRequest):
    """cheroot reads (and throws away) the rest of a request's body before it answers, to keep
    the connection, in one read of the whole rest: a 1 GiB body sent to a route that reads
    none (a GET, a wrong method, an unknown path, an answer given before the body) would be
    held in memory, and a body refused before it was read (401, 413, 415) would hold a worker
    as long as the client takes to send it. Here only a small rest is read (DRAIN_BYTES,
    within DRAIN_SECONDS); otherwise the answer says `Connection: close` and the connection
    closes at once, as it does for answers that say so themselves."""

    header_reader = _HeaderReader()

    def send_headers(self):
        if (b'Connection', b'close') in self.outheaders or not self._body_done():
            self.close_connection = True
        super().send_headers()

    def _body_done(self):
        """Whether the body was read to its end, or its small rest now is."""
        if self.chunked_read:
            return False  # its size is unknown: never read what the answer did not need
        known = self.rfile  # a KnownLengthRFile over the connection's buffered socket
        left = getattr(known, 'remaining', 0)
        if not left:
            return True
        if left > DRAIN_BYTES:
            return False
        sock = self.conn.socket
        deadline = time.monotonic() + DRAIN_SECONDS
        try:
            while known.remaining > 0:
                wait = deadline - time.monotonic()
                if wait <= 0:
                    return False
                sock.settimeout(wait)
                data = known.rfile.read1(known.remaining)
                if not data:
                    return False
                known.remaining -= len(data)
        except OSError:
            return False
        finally:
            sock.settimeout(self.server.timeout)
        return True


class _Connection(server_module.HTTPConnection):
    RequestHandlerClass = _Request


# Answers given before the body is read (408, 411: while or instead of reading it).
CLOSE_AFTER = (401, 408, 411, 413, 415)
TOO_SLOW = 'users_csv.body_too_slow'  # environ key: the paced body gave up


class _PacedBody:
    """A request body the client must send at a rate a worker can wait for: cheroot's socket
    timeout is per read, so a client sending a byte every few seconds would hold a worker as
    long as it likes. Two rules, from the body's first read:

    * on average, `min_rate` bytes a second once `grace` seconds have passed (as Apache's
      mod_reqtimeout): a large file on a slow link is given its time;
    * `window_rate` bytes a second over any `window` seconds: a body that stalls, or trickles
      in far below any real link, is cut after `window` seconds, not after the grace.

    Reads return what has arrived (read1) with the socket's timeout cut to what is left of
    the allowance; past it, the read fails as a cut connection and the environ says why.
    """

    def __init__(self, known, sock, timeout, environ, pace):
        self.known = (
            known  # cheroot's KnownLengthRFile: .rfile (buffered socket), .remaining
        )
        self.sock = sock
        self.timeout = timeout
        self.environ = environ
        self.pace = pace
        self.deadline = None  # the average's, from the first read
        self.received = 0
        # (when, bytes received by then), oldest first: only what the window still needs
        self.arrivals: collections.deque[tuple[float, int]] = collections.deque()

    def _window_deadline(self):
        """When the last `window` seconds will have brought fewer than window_rate × window
        bytes, if nothing more comes."""
        if not self.pace.windowed:
            return math.inf
        floor = self.received - self.pace.window_rate * self.pace.window
        while len(self.arrivals) > 1 and self.arrivals[0][1] <= floor:
            self.arrivals.popleft()
        return self.arrivals[0][0] + self.pace.window

    def _too_slow(self, windowed):
        pace = self.pace
        self.environ[TOO_SLOW] = (
            f'at least {pace.window_rate:g} bytes a second over any {pace.window:g} s '
            '(rest_api.min_body_window_rate, rest_api.body_window_seconds)'
            if windowed
            else f'at least {pace.min_rate:g} bytes a second on average, after '
            f'{pace.grace:g} s (rest_api.min_body_rate, rest_api.body_grace_seconds)'
        )

    def read(self, size=None):
        want = (
            self.known.remaining
            if size is None or size < 0
            else min(size, self.known.remaining)
        )
        if want > 0 and self.deadline is None:
            started = time.monotonic()
            self.deadline = started + self.pace.grace
            self.arrivals.append((started, 0))
        parts = []
        while want > 0:
            window_deadline = self._window_deadline()
            deadline = min(self.deadline, window_deadline)
            windowed = window_deadline < self.deadline
            left = deadline - time.monotonic()
            if left <= 0:
                self._too_slow(windowed)
                raise socket.timeout('the body came too slowly')
            self.sock.settimeout(min(self.timeout, left))
            try:
                data = self.known.rfile.read1(min(want, 1 << 16))
            except socket.timeout:
                if time.monotonic() >= deadline:
                    self._too_slow(windowed)
                raise
            finally:
                self.sock.settimeout(self.timeout)
            if not data:
                break
            self.known.remaining -= len(data)
            want -= len(data)
            self.deadline += len(data) / self.pace.min_rate
            self.received += len(data)
            self.arrivals.append((time.monotonic(), self.received))
            parts.append(data)
        return b''.join(parts)

    def readline(self, size=None):  # not used for CSV bodies; unpaced as cheroot's
        return self.known.readline(size)


@dataclasses.dataclass(frozen=True)
class Pace:
    """How fast a body must come (rest_api settings; defaults in config.DEFAULTS)."""

    min_rate: float
    grace: float
    window_rate: float
    window: float

    @property
    def windowed(self):
        return self.window_rate > 0 and self.window > 0


class _Gateway(wsgi.Gateway_10):
    """Paces request bodies of a known length; a chunked body (no Content-Length, so no size
    to check first nor to pace) is refused with 411 before it is read."""

    pace: Pace

    def get_environ(self):
        environ = super().get_environ()
        rfile = self.req.rfile
        if isinstance(rfile, server_module.KnownLengthRFile) and rfile.remaining:
            environ['wsgi.input'] = _PacedBody(
                rfile,
                self.req.conn.socket,
                self.req.server.timeout,
                environ,
                self.pace,
            )
        elif self.req.chunked_read:
            environ['users_csv.chunked'] = True
        return environ


class _Gate:
    """The start of a request, read by the server's selector thread before any worker sees
    it: a client sending its headers a byte at a time holds a socket, never a worker."""

    def __init__(self):
        self.head = bytearray()
        self.since = None  # when the server began to wait for this request's headers

    def complete(self):
        # a blank line ends the headers; a lone LF too, which the worker then refuses (400)
        return b'\n\r\n' in self.head or b'\n\n' in self.head


TIMED_OUT = (
    b'HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\n'
    b'Connection: close\r\nContent-Length: %d\r\n\r\n%s'
)


class _Connections(connections.ConnectionManager):
    _selector: Any  # cheroot's, not in its type stubs

    def _expire(self, threshold):
        """Also closes the connections whose headers did not all come in time."""
        super()._expire(threshold)  # type: ignore[misc]
        limit = time.monotonic() - self.server.header_timeout
        late = [
            (fd, conn)
            for fd, conn in self._selector.connections
            if conn is not self.server
            and getattr(conn, 'users_csv_gate', None) is not None
            and conn.users_csv_gate.since is not None
            and conn.users_csv_gate.since < limit
        ]
        body = json.dumps(
            {
                'errors': [
                    {
                        'message': 'the request headers came too slowly '
                        f'(rest_api.header_timeout: {self.server.header_timeout:g} s)',
                        'details': {},
                    }
                ]
            }
        ).encode()
        for fd, conn in late:
            self._selector.unregister(fd)
            try:
                conn.socket.setblocking(False)
                conn.socket.send(TIMED_OUT % (len(body), body))
            except OSError:
                pass  # the answer is a courtesy: the connection closes anyway
            conn.close()


DEFAULTS_HEADER_BYTES = cast(dict, DEFAULTS['rest_api'])['max_header_bytes']


class _Server(wsgi.Server):
    header_timeout = 10.0
    _connections: Any  # cheroot's, not in its type stubs

    def prepare(self):
        super().prepare()
        cheroots = self._connections
        self._connections = _Connections(self)
        cheroots.close()

    def process_conn(self, conn):
        """A worker gets a connection once its request's headers are all there."""
        if self.ssl_adapter is not None or self._head_arrived(conn):
            super().process_conn(conn)

    def _head_arrived(self, conn):
        gate = getattr(conn, 'users_csv_gate', None)
        if gate is None:
            gate = conn.users_csv_gate = _Gate()
        # cheroot's buffered reader (_pyio): what it holds already comes first
        rfile = conn.rfile
        with rfile._read_lock:
            gate.head += rfile._read_buf[rfile._read_pos :]
            rfile._read_buf, rfile._read_pos = b'', 0
        ended = False
        # 0 is cheroot's "no limit": the selector still gathers no more than the default
        limit = self.max_request_header_size or DEFAULTS_HEADER_BYTES
        if not gate.complete() and len(gate.head) <= limit:
            try:
                conn.socket.setblocking(False)
                data = conn.socket.recv(limit + 1 - len(gate.head))
            except BlockingIOError:
                data = None
            except OSError:
                conn.close()
                return False
            finally:
                with contextlib.suppress(OSError):
                    conn.socket.settimeout(self.timeout)
            if data == b'' and not gate.head:
                conn.close()  # closed before a request: nothing to answer
                return False
            ended = data == b''
            gate.head += data or b''
        if ended or gate.complete() or len(gate.head) > limit:
            # to a worker, which reads the head from the buffer; too large, it answers 413
            with rfile._read_lock:
                rfile._read_buf, rfile._read_pos = bytes(gate.head), 0
            gate.head, gate.since = bytearray(), None
            return True
        if gate.since is None:
            gate.since = time.monotonic()
        conn.last_used = time.time()
        self._connections._selector.register(
            conn.socket.fileno(), selectors.EVENT_READ, data=conn
        )
        return False


def make_server(config, app=None, port=None):
    rest_api = dict(cast(dict, DEFAULTS['rest_api']), **(config.get('rest_api') or {}))
    bind = (rest_api['listen'], rest_api['port'] if port is None else port)
    server = _Server(
        bind,
        app or create_app(config),
        numthreads=rest_api['threads'],
        request_queue_size=rest_api['backlog'],
        server_name='wazo-confd-users-csv',
    )
    server.ConnectionClass = _Connection
    server.header_timeout = float(rest_api['header_timeout'])
    server.max_request_header_size = int(rest_api['max_header_bytes'])
    pace = Pace(
        min_rate=float(rest_api['min_body_rate']),
        grace=float(rest_api['body_grace_seconds']),
        window_rate=float(rest_api['min_body_window_rate']),
        window=float(rest_api['body_window_seconds']),
    )
    server.gateway = type('Gateway', (_Gateway,), {'pace': pace})
    return server
