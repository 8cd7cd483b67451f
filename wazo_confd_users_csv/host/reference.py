# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Loads reference data (entities, contexts and ranges, CTI profiles, call permissions).

Idempotent: running the same file twice changes nothing; a changed file updates in place.
"""

import sqlalchemy as sa

from ..database.dao.helpers import sync_sequence
from ..database.models import CallPermission, Context, ContextRange, CtiProfile, Entity
from .config import read_mapping


class ReferenceError(Exception):
    pass


def read(path):
    """The reference data of a YAML file: entities, contexts, cti_profiles, call_permissions."""
    return read_mapping(path, 'the reference data', ReferenceError)


def load(session, data):
    """Returns counts of what the file holds, per kind."""
    try:
        for item in data.get('entities') or ():
            _upsert(session, Entity, item, ('id', 'name', 'display_name'), key='id')
        sync_sequence(session, Entity.__table__)
        for item in data.get('cti_profiles') or ():
            _upsert(session, CtiProfile, item, ('id', 'name'), key='id')
        sync_sequence(session, CtiProfile.__table__)
        for item in data.get('contexts') or ():
            _load_context(session, item)
        for item in data.get('call_permissions') or ():
            values = dict(item)
            values['extensions'] = '\n'.join(
                str(e) for e in values.get('extensions') or ()
            )
            values.setdefault('mode', 'deny')
            _upsert(
                session,
                CallPermission,
                values,
                ('name', 'password', 'mode', 'extensions'),
                key='name',
            )
        session.flush()
    except (KeyError, TypeError, ValueError) as exc:
        raise ReferenceError(f'the reference data is malformed: {exc!r}')
    return {
        kind: len(data.get(kind) or ())
        for kind in ('entities', 'contexts', 'cti_profiles', 'call_permissions')
    }


def _upsert(session, model, item, fields, key):
    values = {name: item[name] for name in fields if name in item}
    existing = session.execute(
        sa.select(model).where(getattr(model, key) == values[key])
    ).scalar_one_or_none()
    if existing is None:
        session.add(model(**values))
        session.flush()
        return
    for name, value in values.items():
        setattr(existing, name, value)


def _load_context(session, item):
    context = session.execute(
        sa.select(Context).where(Context.name == item['name'])
    ).scalar_one_or_none()
    if context is None:
        context = Context(name=item['name'])
        session.add(context)
    context.type = item.get('type', 'internal')
    context.entity_id = item['entity_id']
    session.flush()
    session.execute(
        sa.delete(ContextRange).where(ContextRange.context_id == context.id)
    )
    for kind in ('user', 'incall'):
        for found in item.get(f'{kind}_ranges') or ():
            session.add(
                ContextRange(
                    context_id=context.id,
                    kind=kind,
                    start=str(found['start']),
                    end=str(found['end']),
                    did_length=found.get('did_length'),
                )
            )
