# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Loopback stand-ins for the daemons wazo-confd talks to: wazo-auth, sysconfd and provd.

confd's real clients (wazo_auth_client, its sysconfd publisher, wazo_provd_client) reach them
over HTTP. Every request is recorded, so tests can check what confd (and the plugin) asked.
"""

import json
import threading
import time
import uuid as uuid_module
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from wazo_confd_users_csv.auth import acl_matches

MASTER = 'eeeeeeee-eeee-eeee-eeee-eeeeeeeeeee1'  # the tenants of the test seed
SUB = 'eeeeeeee-eeee-eeee-eeee-eeeeeeeeeee2'

# token -> (ACL patterns, the token's tenant, the tenants it may act on)
TOKENS = {
    'admin-token': (['confd.#'], MASTER, {MASTER, SUB}),
    'sub-token': (['confd.#'], SUB, {SUB}),
    'import-token': (['confd.users.import.create'], MASTER, {MASTER, SUB}),
    'lines-token': (['confd.lines.#'], MASTER, {MASTER, SUB}),
    'export-token': (['confd.users.export.read'], MASTER, {MASTER, SUB}),  # no secrets
    # the page without the secrets ACL (confd.users.export.secrets.read)
    'no-secrets-token': (
        ['confd.users.import.#', 'confd.users.export.read'],
        MASTER,
        {MASTER, SUB},
    ),
    'service-token': (['#'], MASTER, {MASTER, SUB}),
}

# wazo-ui's login (POST /0.1/token with HTTP basic auth): username -> (password, token)
LOGINS = {
    'admin': ('admin-password', 'admin-token'),
    'no-secrets': ('no-secrets-password', 'no-secrets-token'),
    'exporter': ('exporter-password', 'export-token'),
}


def basic_credentials(headers):
    import base64

    scheme, _, value = (headers.get('Authorization') or '').partition(' ')
    if scheme.lower() != 'basic':
        return None, None
    username, _, password = base64.b64decode(value).decode().partition(':')
    return username, password


class StandIn:
    """One HTTP server in a thread; `service` picks the behaviour."""

    def __init__(self, service):
        self.service = service
        self.requests = []  # (method, path, query, body, headers)
        self.auth_users = {}  # wazo-auth users: uuid -> body
        self.usernames = set()
        self.user_posts = 0
        self.user_edits = 0
        self.password_resets = 0
        self.fail_edits = False  # wazo-auth: answer 500 to user edits
        self.users_down = False  # wazo-auth: 503 to /users (tokens still checked)
        self._users_lock = threading.Lock()
        self.fail_users_after = (
            None  # wazo-auth: answer 500 to user creations past this count
        )
        self.down = False  # answer 503 to everything
        # wazo-auth: go down (503 to everything, the deletes that would undo too) once this
        # many users were created, or this many edited
        self.down_after_posts = None
        self.down_after_edits = None
        self.user_delay = 0.0  # wazo-auth: seconds each user creation takes
        self.edit_delay = 0.0  # and each user edit
        # wazo-auth: make this creation (1 = the first), then close without an answer
        self.lose_answer_of = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'
            # headers and body go out in two writes: without this, a client that keeps the
            # connection waits for a delayed ACK on each answer
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def handle_one(self):
                url = urlparse(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                length = int(self.headers.get('Content-Length') or 0)
                raw = self.rfile.read(length) if length else b''
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode('utf-8', 'replace')
                outer.requests.append(
                    (self.command, url.path, query, body, dict(self.headers))
                )
                if outer.down:
                    return self.answer(503, {'message': 'stand-in: down'})
                code, payload = getattr(outer, f'_{outer.service}')(
                    self.command, url.path, query, body, self.headers
                )
                if code is None:  # done, but the answer is lost
                    self.close_connection = True
                    return
                self.answer(code, payload)

            def answer(self, code, payload):
                data = b'' if payload is None else json.dumps(payload).encode()
                self.send_response(code)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                if self.command != 'HEAD':
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_one

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # benches open many connections at once

        self.httpd = Server(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(
            target=self.httpd.serve_forever, daemon=True, name=f'stand-in-{service}'
        ).start()

    def reset_users(self):
        with self._users_lock:
            self.auth_users.clear()
            self.usernames.clear()
            self.user_posts = 0
            self.user_edits = 0
            self.password_resets = 0
            self.fail_users_after = None
            self.down_after_posts = None
            self.down_after_edits = None
            self.user_delay = 0.0
            self.edit_delay = 0.0
            self.lose_answer_of = None
            self.fail_edits = False
            self.users_down = False

    def add_user(self, uuid, username):
        with self._users_lock:
            self.auth_users[uuid] = {'uuid': uuid, 'username': username}
            self.usernames.add(username.lower())

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def calls(self, method, path_end):
        return [
            request
            for request in self.requests
            if request[0] == method and request[1].endswith(path_end)
        ]

    # ---- the behaviours -------------------------------------------------------------------

    def _sysconfd(self, method, path, query, body, headers):
        return 200, {}

    def _provd(self, method, path, query, body, headers):
        if path.endswith('/configs') or '/configure' in path:
            return 200, {
                'configs': [
                    {
                        'id': 'default',
                        'X_type': 'registrar',
                        'registrar_main': '127.0.0.1',
                        'proxy_main': '127.0.0.1',
                    }
                ]
            }
        if '/devices' in path:
            return 200, {'devices': []}
        return 404, {'error': 'stand-in: not implemented'}

    def _auth(self, method, path, query, body, headers):
        if path.startswith('/api/auth/'):  # wazo_auth_client's default prefix (nginx)
            path = path[len('/api/auth') :]
        parts = path.strip('/').split('/')
        username, password = basic_credentials(headers)
        if parts == ['0.1', 'token'] and method == 'POST' and username in LOGINS:
            if LOGINS[username][0] != password:
                return 401, {'message': 'Authentication failed'}
            return self._token('GET', LOGINS[username][1], {})
        if parts == ['0.1', 'token'] and method == 'POST':
            return 200, {
                'data': {
                    'token': 'service-token',
                    'auth_id': 'confd-service',
                    'expires_at': '2099-01-01T00:00:00',
                    'utc_expires_at': '2099-01-01T00:00:00',
                    'acl': ['#'],
                    'metadata': {'uuid': 'service-uuid', 'tenant_uuid': MASTER},
                }
            }
        if parts[:2] == ['0.1', 'token'] and len(parts) == 3:
            return self._token(method, parts[2], query)
        if parts[:2] == ['0.1', 'users']:
            return self._users(method, parts[2:], body, query)
        if (
            parts[:3] == ['0.1', 'admin', 'users']
            and parts[4:] == ['emails']
            and method == 'PUT'
        ):
            return self._emails(parts[3], body)
        if parts[:2] == ['0.1', 'tenants'] and method == 'GET':
            # the tenant of Wazo-Tenant (or the token's) and the tenants below it
            token = TOKENS.get(headers.get('X-Auth-Token'))
            top = headers.get('Wazo-Tenant') or (token[1] if token else MASTER)
            tenants = [
                {'uuid': MASTER, 'name': 'master', 'parent_uuid': MASTER},
                {'uuid': SUB, 'name': 'sub', 'parent_uuid': MASTER},
            ]
            items = (
                tenants if top == MASTER else [t for t in tenants if t['uuid'] == top]
            )
            return 200, {'items': items, 'total': len(items), 'filtered': len(items)}
        return 404, {'message': f'stand-in: {method} {path} not implemented'}

    @staticmethod
    def _token(method, token, query):
        if token not in TOKENS:
            return 404, {'message': 'No such token'}
        acls, tenant, allowed = TOKENS[token]
        if method == 'HEAD':
            scope = query.get('scope')
            if scope and not any(acl_matches(pattern, scope) for pattern in acls):
                return 403, None
            if query.get('tenant') and query['tenant'] not in allowed:
                return 403, None
            return 204, None
        if method == 'GET':
            return 200, {
                'data': {
                    'token': token,
                    'auth_id': token,
                    'acl': acls,
                    'session_uuid': token,
                    'expires_at': '2099-01-01T00:00:00',
                    'utc_expires_at': '2099-01-01T00:00:00',
                    'metadata': {
                        'uuid': f'user-of-{token}',
                        'tenant_uuid': tenant,
                        'pbx_user_uuid': None,
                    },
                }
            }
        return 405, None

    def _users(self, method, rest, body, query=None):
        if self.users_down:
            return 503, {'message': 'stand-in: users unavailable'}
        if method == 'PUT' and len(rest) == 1:
            return self._edit_user(rest[0], body or {})
        if method == 'POST' and rest == ['password', 'reset']:
            with self._users_lock:
                user = self.auth_users.get((query or {}).get('user_uuid'))
                if user is None:
                    return 404, {'message': 'no such user'}
                user['password_set'] = bool((body or {}).get('password'))
                self.password_resets += 1
            return 204, None
        if method == 'POST' and not rest:
            if self.user_delay:
                time.sleep(self.user_delay)
            with self._users_lock:  # O(1) per call: benches create tens of thousands
                self.user_posts += 1
                if (
                    self.fail_users_after is not None
                    and self.user_posts > self.fail_users_after
                ):
                    return 500, {'message': 'stand-in: failing on purpose'}
                user = dict(body or {})
                user.setdefault('uuid', str(uuid_module.uuid4()))
                # wazo-auth compares logins whatever their case
                if (user.get('username') or '').lower() in self.usernames:
                    return 409, {
                        'message': 'Conflict detected: username already used',
                        'error_id': 'conflict',
                        'details': {'username': user['username']},
                    }
                # kept as wazo-auth keeps it: never shown again, only known to be set
                password = user.pop('password', None)
                email = user.pop('email_address', None)
                user.setdefault('purpose', 'user')
                user.setdefault('enabled', True)
                user['emails'] = (
                    [{'address': email, 'main': True, 'confirmed': True}]
                    if email
                    else []
                )
                self.auth_users[user['uuid']] = dict(
                    user, password_set=password is not None
                )
                self.usernames.add((user.get('username') or '').lower())
                if self.down_after_posts is not None and (
                    self.user_posts >= self.down_after_posts
                ):
                    self.down, self.down_after_posts = True, None  # once
                if self.user_posts == self.lose_answer_of:
                    return None, None
            return 200, user
        if method == 'GET' and not rest:
            items = list(self.auth_users.values())
            return 200, {'items': items, 'total': len(items), 'filtered': len(items)}
        if method == 'DELETE' and len(rest) == 1:
            with self._users_lock:
                gone = self.auth_users.pop(rest[0], None)
                if gone is not None:
                    self.usernames.discard((gone.get('username') or '').lower())
            return 204, None
        if method == 'GET' and len(rest) == 1:
            login = login_user(rest[0])
            if login is not None:
                return 200, login
            if rest[0] in self.auth_users:
                return 200, self.auth_users[rest[0]]
            return 404, {'message': 'no such user'}
        return 404, {'message': 'stand-in: not implemented'}

    def _edit_user(self, uuid, body):
        """PUT /users/{uuid}: wazo-auth takes the whole user (username, names, purpose,
        enabled) and refuses a username another user has."""
        if self.edit_delay:
            time.sleep(self.edit_delay)
        with self._users_lock:
            user = self.auth_users.get(uuid)
            if user is None:
                return 404, {'message': 'no such user'}
            if self.fail_edits:
                return 500, {'message': 'stand-in: failing on purpose'}
            username = body.get('username')
            if (username or '').lower() != (user.get('username') or '').lower() and (
                username or ''
            ).lower() in self.usernames:
                return 409, {
                    'message': 'Conflict detected: username already used',
                    'error_id': 'conflict',
                    'details': {'username': username},
                }
            self.usernames.discard((user.get('username') or '').lower())
            self.usernames.add((username or '').lower())
            for key in ('username', 'firstname', 'lastname', 'purpose', 'enabled'):
                user[key] = body.get(key)
            self.user_edits += 1
            if self.down_after_edits is not None and (
                self.user_edits >= self.down_after_edits
            ):
                self.down, self.down_after_edits = True, None  # once
            return 200, user

    def _emails(self, uuid, body):
        with self._users_lock:
            user = self.auth_users.get(uuid)
            if user is None:
                return 404, {'message': 'no such user'}
            user['emails'] = [dict(email) for email in (body or {}).get('emails', [])]
            return 200, {'emails': user['emails']}


def login_user(uuid):
    """The wazo-auth user of a login (what wazo-ui's login reads), or None."""
    for username, (_, token) in LOGINS.items():
        if uuid == f'user-of-{token}':
            return {
                'uuid': uuid,
                'username': username,
                'firstname': username.capitalize(),
                'lastname': '',
                'tenant_uuid': TOKENS[token][1],
                'purpose': 'user',
                'enabled': True,
                'emails': [],
            }
    return None


def serve_alone():
    """A stand-in in its own process, as the real daemon is (benches: no shared GIL with confd).

    python -m wazo_confd_users_csv_testing.standins auth

    prints the port, then serves until its standard input closes.
    """
    import sys

    standin = StandIn(sys.argv[1])
    print(standin.port, flush=True)
    sys.stdin.read()
    standin.stop()


if __name__ == '__main__':
    serve_alone()
