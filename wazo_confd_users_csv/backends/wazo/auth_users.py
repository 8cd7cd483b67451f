# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""wazo-auth users for the imported users, as confd's import makes them (same uuid as the Wazo
user), created concurrently and deleted again when the import does not commit (the job undoes
them at once; journal.py keeps what it must undo when that fails or confd dies)."""

import logging
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from ...errors import Error, Unavailable, ValidationFailed

logger = logging.getLogger(__name__)

PER_CORE = (
    4  # wazo-auth calls in flight a core of wazo-auth's: each call also waits on its
)
# database, so more than one a core keeps them busy (2 cores: 8, measured best on the bench)
REMOTE_WORKERS = 8  # wazo-auth on another machine, whose cores are not known here
LOCAL = {'localhost', '127.0.0.1', '::1', socket.gethostname(), socket.getfqdn()}
PAGE = 5000  # wazo-auth users read a call
TOKEN_SECONDS = 3600


def _keep_alive(client):
    """wazo-auth-client opens a connection per call (`Connection: close`); a file's thousands
    of calls reuse one connection per worker instead."""
    session = client.session()
    session.headers.pop('Connection', None)
    client.session = lambda: session
    return client


def workers_for(auth_config, setting=None):
    """How many wazo-auth calls a job keeps in flight: the setting (users_csv.auth_workers),
    else PER_CORE a core when wazo-auth is on this machine (a PBX), else REMOTE_WORKERS.
    """
    if setting:
        return int(setting)
    if (auth_config.get('host') or 'localhost') in LOCAL:
        return PER_CORE * (os.cpu_count() or 2)
    return REMOTE_WORKERS


class AuthUsers:
    def __init__(self, auth_config, workers=None):
        self.auth_config = dict(auth_config)
        self.workers = workers_for(self.auth_config, workers)
        self._token = None
        self._token_expires = 0.0
        self._lock = threading.Lock()

    def _client(self):
        from wazo_auth_client import Client

        config = {
            key: value
            for key, value in self.auth_config.items()
            if key not in ('key_file', 'master_tenant_uuid')
        }
        client = Client(**config)
        with self._lock:
            if self._token is None or time.monotonic() > self._token_expires:
                token = client.token.new(expiration=TOKEN_SECONDS)['token']
                self._token, self._token_expires = (
                    token,
                    time.monotonic() + TOKEN_SECONDS / 2,
                )
            client.set_token(self._token)
        return client

    def usernames(self, tenant_uuid, recurse=False):
        """{uuid: username} of the tenant's wazo-auth users (and its sub-tenants' with
        `recurse`), in one call as confd's export."""
        return {
            uuid: user.get('username')
            for uuid, user in self.logins(tenant_uuid, recurse).items()
        }

    def logins(self, tenant_uuid, recurse=False):
        """{uuid: wazo-auth user} of the tenant, in one call."""
        try:
            found = self._client().users.list(tenant_uuid=tenant_uuid, recurse=recurse)
        except requests.RequestException as exc:
            logger.error(
                'wazo-auth cannot be reached to read its users: %s', type(exc).__name__
            )
            raise Unavailable(
                'wazo-auth cannot be reached to read the users\' logins: '
                'try again later'
            )
        return {user['uuid']: user for user in found['items']}

    def everyone(self):
        """Every wazo-auth user the service may see (its tenant and those below: every
        tenant, for confd's service user), a call a page of PAGE users, never one per row.
        """
        found: list[dict] = []
        try:
            client = self._client()
            while True:
                page = client.users.list(recurse=True, limit=PAGE, offset=len(found))
                found += page['items']
                if len(page['items']) < PAGE or len(found) >= page.get('filtered', 0):
                    return found
        except requests.RequestException as exc:
            logger.error(
                'wazo-auth cannot be reached to read its logins: %s', type(exc).__name__
            )
            raise Unavailable(
                'wazo-auth cannot be reached to check the users\' logins: nothing was '
                'written, try again later'
            )

    def start(self, bodies, keep=frozenset()):
        """create(bodies) in the background: the calls overlap the database writes;
        cancel() deletes those made (and those whose answer was lost), never a user of
        `keep` (the uuids wazo-auth had before: a file's uuid may name one)."""
        return Pending(
            self.create,
            lambda uuids: self.delete([uuid for uuid in uuids if uuid not in keep]),
            bodies,
        )

    def start_edits(self, edits):
        """edit(edits) in the background; cancel() puts back what was edited."""
        return Pending(self.edit, self.revert, edits)

    def create(self, bodies, created=None):
        """bodies: [(row, body)]. Returns the uuids created; on any failure raises (row errors
        for refused usernames, 503 when wazo-auth fails). `created`, when given, is filled
        with the users made and those that may have been (no answer, or a 5xx): the caller
        deletes them (Pending.cancel). A refused one (400, 409) was not made: never deleted.
        """
        if not bodies:
            return []
        try:
            self._client()  # the service token, once
        except requests.RequestException as exc:
            logger.error(
                'wazo-auth cannot be reached to create users: %s', type(exc).__name__
            )
            raise Unavailable(
                'wazo-auth cannot be reached to create the users\' logins: '
                'nothing was written, try again later'
            )
        created = [] if created is None else created
        refused: list = []
        failed: list = []
        local = threading.local()

        def one(item):
            row, body = item
            try:
                if not hasattr(local, 'client'):
                    local.client = _keep_alive(self._client())
                local.client.users.new(**body)
                created.append(body['uuid'])
            except requests.HTTPError as exc:
                status = exc.response.status_code if exc.response is not None else None
                if status in (400, 409):
                    refused.append((row, body, status))
                else:
                    created.append(body['uuid'])  # it may have been made
                    failed.append((row, body, status))
            except requests.RequestException:
                created.append(body['uuid'])  # the answer was lost, not the user
                failed.append((row, body, None))

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            list(pool.map(one, bodies))
        if refused or failed:
            self._raise(refused, failed, 'creating')
        return created

    @staticmethod
    def _raise(refused, failed, doing):
        if failed:
            raise Unavailable(
                f'wazo-auth failed while {doing} the users\' logins: '
                'nothing was written, try again later'
            )
        raise ValidationFailed(
            [
                Error(
                    'auth_refused',
                    f'username: wazo-auth refused the login '
                    f'"{body["username"]}" (HTTP {status}): it is probably taken; choose '
                    'another username',
                    row_number=row.row_number,
                    line=row.row.line,
                    column='username',
                    row=row.row.cells,
                )
                for row, body, status in sorted(
                    refused, key=lambda item: item[0].row_number
                )
            ]
        )

    def edit(self, edits, done=None):
        """edits: [LoginEdit]. Edits the wazo-auth users as the built-in import's update does
        (the user, then its email; the password comes later: set_passwords); on any failure
        raises as create() does. `done` is filled with the edits made or begun: the caller
        puts them back."""
        return self._each(edits, lambda client, edit: edit.apply(client), done, 'edit')

    def set_passwords(self, edits):
        """The new passwords of the edits, once everything else succeeded: a password
        cannot be put back (wazo-auth keeps only its hash). Raises as edit() does."""
        return self._each(
            [edit for edit in edits if edit.password is not None],
            lambda client, edit: client.users.set_password(edit.uuid, edit.password),
            None,
            'set the password of',
        )

    def _each(self, edits, call, done, doing):
        if not edits:
            return []
        try:
            self._client()
        except requests.RequestException as exc:
            logger.error(
                'wazo-auth cannot be reached to %s users: %s', doing, type(exc).__name__
            )
            raise Unavailable(
                f'wazo-auth cannot be reached to {doing} the users\' logins: '
                'nothing was written, try again later'
            )
        done = [] if done is None else done
        refused: list = []
        failed: list = []
        local = threading.local()

        def one(edit):
            try:
                if not hasattr(local, 'client'):
                    local.client = _keep_alive(self._client())
                done.append(edit)  # before: a failure may come after a first call
                call(local.client, edit)
            except requests.HTTPError as exc:
                status = exc.response.status_code if exc.response is not None else None
                (refused if status in (400, 409) else failed).append(
                    (edit.row, edit.user, status)
                )
            except requests.RequestException:
                failed.append((edit.row, edit.user, None))

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            list(pool.map(one, edits))
        if refused or failed:
            self._raise(refused, failed, f'trying to {doing}')
        return done

    def revert(self, edits):
        """Puts the edited wazo-auth users back as they were (a new password stays).
        Returns how many could not be put back."""
        return self.restore([edit.entry() for edit in edits])

    def restore(self, entries):
        """entries: [{uuid, before, emails_before}] (the journal's): each user gets back its
        fields (`before`, None when unchanged) and its emails (None when unchanged)."""
        return self._undo(entries, _restore, 'put back', lambda entry: entry['uuid'])

    def delete(self, uuids):
        """Returns how many could not be deleted (one already gone is deleted)."""
        return self._undo(
            uuids,
            lambda client, uuid: client.users.delete(uuid),
            'delete',
            lambda uuid: uuid,
        )

    def _undo(self, items, call, what, uuid_of):
        """call(client, item) for each item, self.workers at a time; failures are logged and
        counted, not raised: undoing runs after another failure, which is the one the caller
        reports. A user that is not there (404) is undone. One wazo-auth refuses (400, 409:
        its old username was taken meanwhile) never will be: logged, and not counted, so that
        the journal does not try it again forever. Returns how many failed."""
        if not items:
            return 0
        try:
            client = self._client()
        except requests.RequestException:
            logger.error(
                'wazo-auth unreachable: %d users to %s were left', len(items), what
            )
            return len(items)
        failures = []

        def one(item):
            try:
                call(client, item)
            except requests.HTTPError as exc:
                status = None if exc.response is None else exc.response.status_code
                if status in (400, 409):
                    logger.error(
                        'wazo-auth refused to %s user %s (HTTP %s): left as it is',
                        what,
                        uuid_of(item),
                        status,
                    )
                elif status != 404:
                    failures.append(item)
                    logger.error('could not %s wazo-auth user %s', what, uuid_of(item))
            except requests.RequestException:
                failures.append(item)
                logger.error('could not %s wazo-auth user %s', what, uuid_of(item))

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            list(pool.map(one, items))
        return len(failures)


def _restore(client, entry):
    if entry.get('before') is not None:
        client.users.edit(entry['uuid'], **entry['before'])
    if entry.get('emails_before') is not None:
        client.admin.update_user_emails(entry['uuid'], entry['emails_before'])


class LoginEdit:
    """What an update changes on one wazo-auth user: the user (PUT with every field, as
    wazo-auth wants them), its email, its password; and what they were, to put them back.
    """

    def __init__(
        self, row, uuid, user, before, emails=None, emails_before=None, password=None
    ):
        self.row = row
        self.uuid = uuid
        self.user = user  # {username, firstname, lastname, purpose, enabled}
        self.before = before
        self.emails = emails  # None: unchanged
        self.emails_before = emails_before
        self.password = password

    def apply(self, client):
        if self.user != self.before:
            client.users.edit(self.uuid, **self.user)
        if self.emails is not None:
            client.admin.update_user_emails(self.uuid, self.emails)

    def entry(self):
        """What puts it back (the journal keeps it): never the password, which wazo-auth
        keeps only hashed and never shows."""
        return {
            'uuid': self.uuid,
            'before': None if self.user == self.before else self.before,
            'emails_before': None if self.emails is None else self.emails_before,
        }


class Pending:
    """wazo-auth calls made in a thread; result() waits and re-raises, cancel() undoes."""

    def __init__(self, run, undo, items):
        self.undo = undo
        self.total = len(items)
        self.done = []
        self._error = None
        self._thread = threading.Thread(
            target=self._run,
            args=(run, items),
            name='users-csv-auth-users',
            daemon=True,
        )
        self._thread.start()

    def _run(self, run, items):
        try:
            run(items, self.done)
        except BaseException as exc:  # handed to result()
            self._error = exc

    def wait(self, timeout):
        """Whether the calls ended within `timeout` seconds."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.done

    def cancel(self):
        """Waits for the calls in flight, then undoes what they did; True when all of it
        was undone."""
        self._thread.join()
        failures = self.undo(self.done)
        self.done = []
        return not failures


def taken_logins(users):
    """{lower(login): wazo-auth user uuid}: usernames and email addresses, which wazo-auth
    keeps unique together, whatever their case and tenant."""
    found: dict[str, str] = {}
    for user in users:
        for login in [user.get('username')] + [
            email.get('address') for email in user.get('emails') or []
        ]:
            if login:
                found.setdefault(login.lower(), user['uuid'])
    return found
