# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which users an export answers: all of them (the file), or a page of those matching a search
or a list of uuids (the page's users list, and the users an import has just made).

`?search=` matches, case-insensitively, a part of the first or last name, email, login
(username), number (exten), SIP username or provisioning code; `?uuid=a,b` names users;
`?limit=` (1 to 1,000) and `?offset=` page them, in id order; the JSON answer then says
`total`, how many users match.
"""

from dataclasses import dataclass
from typing import Optional, Tuple

import sqlalchemy as sa

from .columns import canonical_uuid
from .errors import APIError

MAX_LIMIT = 1000
MAX_UUIDS = 1000
MAX_SEARCH = 100


@dataclass(frozen=True)
class Selection:
    search: Optional[str] = None
    uuids: Optional[Tuple[str, ...]] = None
    limit: Optional[int] = None
    offset: int = 0

    def where(self, uuid_column, searched):
        """The filter on a users query: `searched` are the text columns a search looks in."""
        found = []
        if self.uuids is not None:
            found.append(uuid_column.in_(self.uuids))
        if self.search:
            pattern = (
                '%'
                + self.search.replace('\\', '\\\\')
                .replace('%', '\\%')
                .replace('_', '\\_')
                + '%'
            )
            found.append(
                sa.or_(
                    *[
                        sa.cast(column, sa.Text).ilike(pattern, escape='\\')
                        for column in searched
                    ]
                )
            )
        return sa.and_(sa.true(), *found)

    def page(self, query):
        if self.limit is not None:
            query = query.limit(self.limit)
        return query.offset(self.offset) if self.offset else query


def _number(args, name, low, high):
    value = args.get(name)
    if value is None:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise APIError(
            f'{name} must be a whole number from {low} to {high} (got {value[:20]})'
        )
    return int(value)


def from_args(args):
    """The Selection of a request's query string, or None for the whole export."""
    if not any(name in args for name in ('search', 'uuid', 'limit', 'offset')):
        return None
    search = args.get('search', '').strip()
    if '\x00' in search:  # PostgreSQL refuses a NUL in a string: a 400, not its error
        raise APIError('search must not hold a NUL character (%00)')
    if len(search) > MAX_SEARCH:
        raise APIError(f'search must be at most {MAX_SEARCH} characters long')
    uuids = None
    if 'uuid' in args:
        given = [
            part for value in args.getlist('uuid') for part in value.split(',') if part
        ]
        if len(given) > MAX_UUIDS:
            raise APIError(f'uuid names at most {MAX_UUIDS} users (got {len(given)})')
        try:
            uuids = tuple(canonical_uuid(part) for part in given)
        except ValueError:
            raise APIError('uuid must be user uuids separated by commas') from None
    return Selection(
        search or None,
        uuids,
        _number(args, 'limit', 1, MAX_LIMIT),
        _number(args, 'offset', 0, 10**9) or 0,
    )
