# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""A stand-in for wazo-auth's token check: HEAD /0.1/token/<token>?scope=<acl> -> 204 or 404."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

from wazo_confd_users_csv.auth import acl_matches


class FakeAuthServer:
    def __init__(self, tokens):
        self.tokens = tokens
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_HEAD(self):
                url = urlparse(self.path)
                token = unquote(url.path.rsplit('/', 1)[-1])
                scope = parse_qs(url.query).get('scope', [''])[0]
                outer.requests.append((token, scope))
                acls = outer.tokens.get(token)
                allowed = acls is not None and any(acl_matches(p, scope) for p in acls)
                self.send_response(
                    204 if allowed else (403 if acls is not None else 404)
                )
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
