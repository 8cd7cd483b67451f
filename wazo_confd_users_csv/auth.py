# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Token checks: ACL matching, a static token table, and a wazo-auth backend."""

import functools
import hashlib
import logging
import re
from urllib.parse import quote

import requests
from flask import request

from .errors import Unauthorized, Unavailable, described

logger = logging.getLogger(__name__)

# Who may read secrets (the catalogue's secret columns): in exports and the users list, and in
# what an update answers about secret cells (imports.unseen). confd's own name for it.
SECRETS_ACL = 'confd.users.export.secrets.read'


@functools.lru_cache(maxsize=1024)
def _compile(pattern):
    words = []
    for word in pattern.split('.'):
        if word == '*':
            words.append(r'[^.]+')
        elif word == '#':
            words.append(r'.*')
        else:
            words.append(re.escape(word))
    return re.compile(r'\.'.join(words))


def acl_matches(pattern, acl):
    """wazo ACL syntax: `.` separates words, `*` is one word, `#` any number of words."""
    return _compile(pattern).fullmatch(acl) is not None


def token_id(token):
    """A name for the token in logs that does not reveal it."""
    return hashlib.sha256(token.encode('utf-8', 'replace')).hexdigest()[:12]


class StaticAuth:
    def __init__(self, tokens):
        self.tokens = {
            str(token): list(acls or ()) for token, acls in (tokens or {}).items()
        }

    def check(self, token, acl):
        patterns = self.tokens.get(token)
        if patterns is None:
            raise Unauthorized('the token is invalid or expired')
        if not any(acl_matches(pattern, acl) for pattern in patterns):
            raise Unauthorized(f'the token does not grant the ACL {acl}')

    def allows(self, token, acl):
        """Whether the token grants `acl` (a right within a route, not the route's own)."""
        patterns = self.tokens.get(token) or ()
        return any(acl_matches(pattern, acl) for pattern in patterns)


class WazoAuth:
    """Asks wazo-auth: HEAD /0.1/token/<token>?scope=<acl>, 204 means allowed."""

    def __init__(
        self,
        host='localhost',
        port=9497,
        https=False,
        timeout=10,
        prefix=None,
        verify_certificate=True,
        **ignored,
    ):
        scheme = 'https' if https else 'http'
        self.base = f'{scheme}://{host}:{port}{prefix or ""}/0.1/token/'
        self.timeout = timeout
        self.verify = verify_certificate

    def check(self, token, acl):
        if not self.allows(token, acl):
            raise Unauthorized(
                f'the token is invalid, expired, or does not grant the ACL {acl}'
            )

    def allows(self, token, acl):
        """Whether the token grants `acl`; wazo-auth unreachable is a 503 (Unavailable)."""
        try:
            response = requests.head(
                self.base + quote(token, safe=''),
                params={'scope': acl},
                timeout=self.timeout,
                verify=self.verify,
            )
        except requests.RequestException as exc:
            logger.error('wazo-auth cannot be reached: %s', described(exc))  # no token
            raise Unavailable(
                'the authentication server cannot be reached: try again later'
            )
        if response.status_code >= 500:
            raise Unavailable(
                f'the authentication server answered {response.status_code}: '
                'try again later'
            )
        return response.status_code == 204


def build_auth(config):
    auth = dict(config.get('auth') or {})
    backend = auth.pop('backend', 'wazo_auth')
    if backend == 'static':
        return StaticAuth(auth.get('tokens'))
    if backend == 'wazo_auth':
        auth.pop('tokens', None)
        return WazoAuth(**auth)
    raise ValueError(f'unknown auth backend "{backend}": use static or wazo_auth')


def required_acl(acl):
    """Decorates a resource method: the X-Auth-Token header must grant `acl`."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            token = request.headers.get('X-Auth-Token', '')
            try:
                if not token:
                    raise Unauthorized('an X-Auth-Token header is required')
                self.auth.check(token, acl)
            except Unauthorized:
                # refusals are worth a line (a hash of the token, never the token)
                logger.info(
                    'users_csv refused=401 who=%s acl=%s method=%s path=%s',
                    token_id(token) if token else '-',
                    acl,
                    request.method,
                    request.path,
                )
                raise
            return method(self, *args, **kwargs)

        wrapper.acl = acl  # type: ignore[attr-defined]
        return wrapper

    return decorator
