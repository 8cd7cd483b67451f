"""wazo-auth users for the imported users, as confd's import makes them (same uuid as the Wazo
user), created concurrently and deleted again when the import does not commit."""
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from ...errors import Error, Unavailable, ValidationFailed

logger = logging.getLogger(__name__)

WORKERS = 8  # wazo-auth calls in flight at once
TOKEN_SECONDS = 3600


def _keep_alive(client):
    """wazo-auth-client opens a connection per call (`Connection: close`); a file's thousands
    of calls reuse one connection per worker instead."""
    session = client.session()
    session.headers.pop('Connection', None)
    client.session = lambda: session
    return client


class AuthUsers:
    def __init__(self, auth_config):
        self.auth_config = dict(auth_config)
        self._token = None
        self._token_expires = 0
        self._lock = threading.Lock()

    def _client(self):
        from wazo_auth_client import Client

        config = {key: value for key, value in self.auth_config.items()
                  if key not in ('key_file', 'master_tenant_uuid')}
        client = Client(**config)
        with self._lock:
            if self._token is None or time.monotonic() > self._token_expires:
                token = client.token.new(expiration=TOKEN_SECONDS)['token']
                self._token, self._token_expires = token, time.monotonic() + TOKEN_SECONDS / 2
            client.set_token(self._token)
        return client

    def usernames(self, tenant_uuid, recurse=False):
        """{uuid: username} of the tenant's wazo-auth users (and its sub-tenants' with
        `recurse`), in one call as confd's export."""
        try:
            found = self._client().users.list(tenant_uuid=tenant_uuid, recurse=recurse)
        except requests.RequestException as exc:
            logger.error('wazo-auth cannot be reached to read usernames: %s',
                         type(exc).__name__)
            raise Unavailable('wazo-auth cannot be reached to read the users\' usernames: '
                              'try the export again later')
        return {user['uuid']: user.get('username') for user in found['items']}

    def start(self, bodies):
        """create(bodies) in the background: the calls overlap the database writes."""
        return Pending(self, bodies)

    def create(self, bodies, created=None):
        """bodies: [(row, body)]. Returns the uuids created; on any failure deletes them and
        raises (row errors for refused usernames, 503 when wazo-auth fails). `created`, when
        given, is filled as they are made (for a job cleaning up after another failure)."""
        if not bodies:
            return []
        try:
            self._client()  # the service token, once
        except requests.RequestException as exc:
            logger.error('wazo-auth cannot be reached to create users: %s', type(exc).__name__)
            raise Unavailable('wazo-auth cannot be reached to create the users\' logins: '
                              'nothing was written, try again later')
        created = [] if created is None else created
        refused, failed = [], []
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
                (refused if status in (400, 409) else failed).append((row, body, status))
            except requests.RequestException:
                failed.append((row, body, None))

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            list(pool.map(one, bodies))
        if refused or failed:
            self.delete(list(created))
            created.clear()
            if failed:
                raise Unavailable('wazo-auth failed while creating the users\' logins: '
                                  'nothing was written, try again later')
            raise ValidationFailed([
                Error('auth_refused', f'username: wazo-auth refused the login '
                      f'"{body["username"]}" (HTTP {status}): it is probably taken; choose '
                      'another username', row_number=row.row_number, line=row.row.line,
                      column='username', row=row.row.cells)
                for row, body, status in sorted(refused, key=lambda item: item[0].row_number)])
        return created

    def delete(self, uuids):
        if not uuids:
            return
        try:
            client = self._client()
        except requests.RequestException:
            logger.error('wazo-auth unreachable: %d users to delete were left', len(uuids))
            return

        def one(uuid):
            try:
                client.users.delete(uuid)
            except requests.RequestException:
                logger.error('could not delete wazo-auth user %s', uuid)

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            list(pool.map(one, uuids))


class Pending:
    """wazo-auth users being created in a thread; result() waits and re-raises."""

    def __init__(self, auth_users, bodies):
        self.auth_users = auth_users
        self.created = []
        self._error = None
        self._thread = threading.Thread(target=self._run, args=(bodies,),
                                        name='users-csv-auth-users', daemon=True)
        self._thread.start()

    def _run(self, bodies):
        try:
            self.auth_users.create(bodies, self.created)
        except BaseException as exc:  # handed to result()
            self._error = exc

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.created

    def cancel(self):
        """Waits for the calls in flight, then deletes what they made."""
        self._thread.join()
        self.auth_users.delete(self.created)
        self.created = []
