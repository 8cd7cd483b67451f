# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The page's API inside wazo-ui: each call goes to wazo-confd from the server, with the
session's token and wazo-ui's working tenant (its wazo_confd_client), and its answer comes
back as confd gave it — except that no answer ever carries the token to the browser.
"""

import functools
import hashlib
import hmac
import logging
import time

import requests
import urllib3
from flask import Response, current_app, jsonify, request, url_for
from flask_login import current_user

logger = logging.getLogger(__name__)

CSRF_HEADER = 'X-CSRFToken'
TENANT_HEADER = 'X-Users-Csv-Tenant'  # the working tenant the page shows
SENT_HEADERS = ('Content-Type', 'Idempotency-Key', 'Accept', 'Prefer')
ANSWER_HEADERS = (
    'Content-Type',
    'Content-Disposition',
    'Cache-Control',
    'Idempotent-Replayed',
    'Users-Csv-Secrets',
    'Preference-Applied',
)
JOBS_PATH = '/users/import/jobs/'  # in confd's Location of a job (202)
CHUNK = 64 * 1024


def csrf_token():
    """A value of the session, written in the page: a request that does not send it back did
    not come from the page (another site can make the browser send the cookie, not read the
    page). Derived from the session's token with wazo-ui's secret key rather than stored in
    the session: wazo-ui saves the whole session at the end of every request, so a request
    begun before the page was rendered would write it back without the stored value."""
    token = current_user.get_id() or ''
    key = current_app.secret_key
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, f'users_csv:{token}'.encode(), hashlib.sha256).hexdigest()


def refusal(status, message):
    """Our errors' shape: {"errors": [{"message", "timestamp", "details"}]}."""
    error = {
        'message': message,
        'timestamp': int(time.time()),
        'details': {'code': 'error', 'column': None},
    }
    return jsonify({'errors': [error]}), status


def answers_json(route):
    """Our routes answer JSON whatever happens: wazo-ui's own error handler would answer the
    page's XMLHttpRequest with a redirect to its index."""

    @functools.wraps(route)
    def wrapper(*args, **kwargs):
        try:
            return route(*args, **kwargs)
        except Exception:
            logger.exception('users_csv: unexpected error on %s', request.path)
            return refusal(500, 'internal error in wazo-ui: it was logged; try again')

    return wrapper


class Body:
    """The request's body, streamed to confd (never held whole) with its length, so that
    confd gets a Content-Length, not a chunked body."""

    def __init__(self, stream, length):
        self.stream = stream
        self.length = length

    def __len__(self):
        return self.length

    def __iter__(self):
        while chunk := self.stream.read(CHUNK):
            yield chunk


class ConfdProxy:
    def __init__(self, confd_client, max_body_bytes, timeout):
        # wazo-ui's LocalProxy: the request's client, with the session's token and tenant
        self.confd = confd_client
        self.max_body_bytes = max_body_bytes
        self.timeout = timeout

    @answers_json
    def not_found(self):
        return refusal(404, 'no such route')

    @answers_json
    def columns(self):
        return self._forward('GET', ('users', 'import', 'columns'))

    @answers_json
    def export(self):
        return self._forward('GET', ('users', 'export'))

    @answers_json
    def job(self):
        length = request.content_length
        if length is None:
            return refusal(411, 'send the file with a Content-Length (not chunked)')
        if length > self.max_body_bytes:
            return refusal(
                413,
                f'the file is larger than the limit of {self.max_body_bytes} bytes: '
                'split it (users_csv.max_body_bytes in wazo-ui\'s configuration)',
            )
        return self._forward(
            request.method, ('users', 'import'), body=Body(request.stream, length)
        )

    @answers_json
    def jobs(self):
        return self._forward('GET', ('users', 'import', 'jobs'))

    @answers_json
    def one_job(self, job_uuid):
        # confd's own answer for an unknown job or another tenant's: 404
        return self._forward(request.method, ('users', 'import', 'jobs', str(job_uuid)))

    def _refused(self):
        """Not logged in (a JSON answer, not wazo-ui's redirect to its login page: the page
        asks with XMLHttpRequest), or not sent by the page."""
        if not current_user.is_authenticated:
            return refusal(401, 'your wazo-ui session has ended: log in again')
        sent = request.headers.get(CSRF_HEADER, '')
        if not hmac.compare_digest(sent.encode(), csrf_token().encode()):
            return refusal(403, 'this request did not come from the page: reload it')
        shown = request.headers.get(TENANT_HEADER)
        if shown and shown != current_user.get_tenant_uuid():
            # switched in another tab: the page would act on a tenant it does not show
            return refusal(
                409,
                'the working tenant was changed (in another tab?): nothing was sent; '
                'reload the page',
            )
        return None

    def _forward(self, method, path, body=None):
        refused = self._refused()
        if refused is not None:
            return refused
        client = self.confd
        headers = {
            name: request.headers[name]
            for name in SENT_HEADERS
            if name in request.headers
        }
        # wazo_confd_client's session: a requests session with the session's token and the
        # working tenant (X-Auth-Token, Wazo-Tenant), inside its JSON helper
        http = client.session()
        http = getattr(http, 'session', http)
        try:
            answer = http.request(
                method,
                client.url(*path),
                params=list(request.args.items(multi=True)),
                data=body,
                headers=headers,
                stream=True,
                timeout=(10, self.timeout),
            )
        except requests.RequestException as exc:
            logger.warning('users_csv: wazo-confd: %s', type(exc).__name__)
            if never_sent(exc):
                return refusal(503, 'wazo-confd cannot be reached: try again later')
            # it may have done the job: a gateway's answer, the page offers to ask again
            return refusal(
                504 if isinstance(exc, requests.Timeout) else 502,
                'wazo-confd\'s answer was lost',
            )
        kept = {
            name: answer.headers[name]
            for name in ANSWER_HEADERS
            if name in answer.headers
        }
        if answer.status_code >= 400:
            return self._error(answer, kept)
        location = answer.headers.get('Location', '')
        if JOBS_PATH in location:
            # confd's path of the job, as this plugin's route (the page polls it here)
            job_uuid = location.rsplit(JOBS_PATH, 1)[1]
            kept['Location'] = url_for('users_csv.job', job_uuid=job_uuid)
        if kept.get('Content-Type') == 'application/json':
            # the same type, said in full: wazo-ui logs the bodies of answers typed exactly
            # 'application/json' (at debug level), and these hold users' secrets
            kept['Content-Type'] = 'application/json; charset=utf-8'
        # relayed as it comes (an export is as big as the PBX): never held whole
        return Response(
            _relayed(answer),
            status=answer.status_code,
            headers=kept,
            direct_passthrough=True,
        )

    def _error(self, answer, kept):
        content = answer.content
        answer.close()
        if answer.status_code == 401:
            # confd's 401 holds the refused token itself: never relayed
            return refusal(
                401,
                'wazo-confd refused this session\'s token for this action (or the session '
                'has ended)',
            )
        token = current_user.get_id() or ''
        if token and token.encode() in content:
            content = content.replace(token.encode(), b'...')
        return Response(content, status=answer.status_code, headers=kept)


def never_sent(exc):
    """The request never reached confd (refused, unreachable, no connection in time)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], 'reason', None) if exc.args else None
    return isinstance(exc, requests.ConnectionError) and isinstance(
        reason, urllib3.exceptions.NewConnectionError
    )


def _relayed(answer):
    try:
        yield from answer.iter_content(CHUNK)
    finally:
        answer.close()
