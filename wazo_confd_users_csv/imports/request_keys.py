# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Request keys (`Idempotency-Key`, as the IETF httpapi draft names it): a key the client
chooses for one import or update, remembered with the answer in the job's own transaction.

A client that lost the answer (a proxy's 504, a cut connection) sends the same file again with
the same key: if the first request committed, it gets that first answer again (with
`Idempotent-Replayed: true`) and nothing is applied twice; if it did not, the file is applied
now. The key is claimed as the job's first write, so a second request with the same key waits
for the first to end, then replays it. Keys are remembered 24 hours, per tenant inside
wazo-confd. A dry run writes nothing and remembers nothing.
"""

import datetime
import hashlib
import json
import re
import zlib
from dataclasses import dataclass

import sqlalchemy as sa

from ..errors import APIError

HEADER = 'Idempotency-Key'
KEEP = datetime.timedelta(hours=24)
_VALID = re.compile(r'[\x21-\x7e]{1,255}')  # printable ASCII without spaces


class KeyReused(APIError):
    status = 422


@dataclass(frozen=True)
class RequestKey:
    scope: str  # the tenant inside wazo-confd; '' on the standalone host
    key: str
    fingerprint: str  # the verb and the file: a key names one request


def parse(value, scope, verb, body, reads_secrets=True):
    """The RequestKey of a request's header value, None without one; 400 when malformed.

    An update by a token without the secrets ACL is another request than the same file sent
    by one with it: it never replays an answer that compared secret cells (imports.unseen).
    """
    if value is None:
        return None
    if not _VALID.fullmatch(value):
        raise APIError(
            f'{HEADER} must be 1 to 255 printable ASCII characters without spaces '
            '(a random UUID is a good key)'
        )
    kind = verb if reads_secrets else f'{verb}:unseen'
    digest = hashlib.sha256(kind.encode() + b'\0' + body).hexdigest()
    return RequestKey(scope, value, digest)


def table(name, metadata):
    return sa.Table(
        name,
        metadata,
        sa.Column('scope', sa.String(64), primary_key=True),
        sa.Column('key', sa.String(255), primary_key=True),
        sa.Column('fingerprint', sa.String(64), nullable=False),
        sa.Column('status', sa.Integer),
        sa.Column(
            'answer', sa.LargeBinary
        ),  # zlib of the JSON body: big files, big answers
        sa.Column('created_at', sa.DateTime, nullable=False),  # UTC
    )


class Replayed:
    """The answer a request key got the first time, given again."""

    replayed = True

    def __init__(self, status, body):
        self.status = status
        self.body = body

    def answer(self):
        return self.body, self.status


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class KeyStore:
    """The remembered keys in one table, through the job's session (or any connection)."""

    def __init__(self, keys_table):
        self.table = keys_table

    def find(self, connection, request_key):
        """Replayed for a key answered in the last 24 hours; KeyReused when that key came
        with another file or verb; None when unknown."""
        t = self.table
        row = connection.execute(
            sa.select(t.c.fingerprint, t.c.status, t.c.answer).where(
                t.c.scope == request_key.scope,
                t.c.key == request_key.key,
                t.c.created_at > _now() - KEEP,
            )
        ).first()
        if row is None or row.status is None:
            return None
        if row.fingerprint != request_key.fingerprint:
            raise KeyReused(
                f'this {HEADER} was used for another file or action: a new file '
                'needs a new key (nothing was written)'
            )
        return Replayed(row.status, json.loads(zlib.decompress(row.answer)))

    def claim(self, connection, request_key):
        """The job's first write: a concurrent request with the key waits here until this job
        ends, then fails on the primary key (and replays this job's answer)."""
        t = self.table
        connection.execute(t.delete().where(t.c.created_at <= _now() - KEEP))
        connection.execute(
            t.insert().values(
                scope=request_key.scope,
                key=request_key.key,
                fingerprint=request_key.fingerprint,
                created_at=_now(),
            )
        )

    def answer(self, connection, request_key, body, status):
        """Stores the answer, in the job's transaction, just before it commits."""
        t = self.table
        connection.execute(
            t.update()
            .where(t.c.scope == request_key.scope, t.c.key == request_key.key)
            .values(status=status, answer=zlib.compress(json.dumps(body).encode(), 6))
        )
