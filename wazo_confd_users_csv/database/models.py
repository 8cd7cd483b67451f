# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tables of the plugin's own data layer.

Every table name starts with PREFIX so that, inside confd's database, nothing collides with
confd's own tables. Contexts are referenced by name (as Asterisk does), entities and profiles
by id.
"""

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

from ..imports import jobs, request_keys

PREFIX = 'users_csv_'
VERSION_TABLE = PREFIX + 'alembic_version'

Base = declarative_base()


def _name(table):
    return PREFIX + table


class Entity(Base):
    __tablename__ = _name('entity')
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(64), nullable=False, unique=True)
    display_name = sa.Column(sa.String(128))


class Context(Base):
    __tablename__ = _name('context')
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(79), nullable=False, unique=True)
    type = sa.Column(sa.String(16), nullable=False)  # internal, incall, outcall, ...
    entity_id = sa.Column(sa.Integer, sa.ForeignKey(Entity.id), nullable=False)


class ContextRange(Base):
    __tablename__ = _name('context_range')
    id = sa.Column(sa.Integer, primary_key=True)
    context_id = sa.Column(
        sa.Integer,
        sa.ForeignKey(Context.id, ondelete='CASCADE'),
        nullable=False,
        index=True,
    )
    kind = sa.Column(sa.String(16), nullable=False)  # user, incall
    start = sa.Column(sa.String(40), nullable=False)
    end = sa.Column(sa.String(40), nullable=False)
    did_length = sa.Column(sa.Integer)


class CtiProfile(Base):
    __tablename__ = _name('cti_profile')
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(128), nullable=False, unique=True)


class CallPermission(Base):
    __tablename__ = _name('call_permission')
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(128), nullable=False, unique=True)
    password = sa.Column(sa.String(16))
    mode = sa.Column(sa.String(5), nullable=False, default='deny')
    extensions = sa.Column(sa.Text, nullable=False, default='')  # one pattern per line


class User(Base):
    __tablename__ = _name('user')
    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False, unique=True)
    entity_id = sa.Column(sa.Integer, sa.ForeignKey(Entity.id), nullable=False)
    firstname = sa.Column(sa.String(128), nullable=False)
    lastname = sa.Column(sa.String(128))
    email = sa.Column(sa.String(254))
    language = sa.Column(sa.String(16))
    mobile_phone_number = sa.Column(sa.String(80))
    outgoing_caller_id = sa.Column(sa.String(80))
    call_permission_password = sa.Column(sa.String(16))
    enabled = sa.Column(sa.Boolean, nullable=False)
    ring_seconds = sa.Column(sa.Integer, nullable=False)
    simultaneous_calls = sa.Column(sa.Integer, nullable=False)
    supervision_enabled = sa.Column(sa.Boolean, nullable=False)
    call_transfer_enabled = sa.Column(sa.Boolean, nullable=False)
    dtmf_hangup_enabled = sa.Column(sa.Boolean, nullable=False)
    username = sa.Column(sa.String(254), unique=True)
    password = sa.Column(
        sa.String(128)
    )  # services/passwords.py: a hash, never the password
    cti_profile_id = sa.Column(sa.Integer, sa.ForeignKey(CtiProfile.id))
    cti_profile_enabled = sa.Column(sa.Boolean)

    __table_args__ = (
        sa.Index(PREFIX + 'user_email_lower_key', sa.func.lower(email), unique=True),
    )


class SipEndpoint(Base):
    __tablename__ = _name('sip_endpoint')
    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(40), nullable=False, unique=True)
    secret = sa.Column(sa.String(80), nullable=False)


class SccpEndpoint(Base):
    __tablename__ = _name('sccp_endpoint')
    id = sa.Column(sa.Integer, primary_key=True)


class Line(Base):
    __tablename__ = _name('line')
    id = sa.Column(sa.Integer, primary_key=True)
    protocol = sa.Column(sa.String(8), nullable=False)
    name = sa.Column(sa.String(80), nullable=False)
    context = sa.Column(sa.String(79), nullable=False)
    provisioning_code = sa.Column(sa.String(6), nullable=False, unique=True)
    sip_endpoint_id = sa.Column(sa.Integer, sa.ForeignKey(SipEndpoint.id), unique=True)
    sccp_endpoint_id = sa.Column(
        sa.Integer, sa.ForeignKey(SccpEndpoint.id), unique=True
    )


class Extension(Base):
    __tablename__ = _name('extension')
    id = sa.Column(sa.Integer, primary_key=True)
    exten = sa.Column(sa.String(40), nullable=False)
    context = sa.Column(sa.String(79), nullable=False)
    __table_args__ = (
        sa.UniqueConstraint(exten, context, name=PREFIX + 'extension_exten_key'),
    )


class UserLine(Base):
    __tablename__ = _name('user_line')
    user_id = sa.Column(
        sa.Integer, sa.ForeignKey(User.id, ondelete='CASCADE'), primary_key=True
    )
    line_id = sa.Column(
        sa.Integer, sa.ForeignKey(Line.id, ondelete='CASCADE'), primary_key=True
    )
    main_user = sa.Column(sa.Boolean, nullable=False)
    main_line = sa.Column(sa.Boolean, nullable=False)


class LineExtension(Base):
    __tablename__ = _name('line_extension')
    line_id = sa.Column(
        sa.Integer, sa.ForeignKey(Line.id, ondelete='CASCADE'), primary_key=True
    )
    extension_id = sa.Column(
        sa.Integer, sa.ForeignKey(Extension.id), primary_key=True, unique=True
    )
    main_extension = sa.Column(sa.Boolean, nullable=False)


class Incall(Base):
    __tablename__ = _name('incall')
    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(
        sa.Integer,
        sa.ForeignKey(User.id, ondelete='CASCADE'),
        nullable=False,
        index=True,
    )
    ring_seconds = sa.Column(sa.Integer)
    extension_id = sa.Column(sa.Integer, sa.ForeignKey(Extension.id), unique=True)


class Voicemail(Base):
    __tablename__ = _name('voicemail')
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(80), nullable=False)
    number = sa.Column(sa.String(40), nullable=False)
    context = sa.Column(sa.String(79), nullable=False)
    password = sa.Column(sa.String(80))
    email = sa.Column(sa.String(80))
    attach_audio = sa.Column(sa.Boolean, nullable=False)
    delete_messages = sa.Column(sa.Boolean, nullable=False)
    ask_password = sa.Column(sa.Boolean, nullable=False)
    __table_args__ = (
        sa.UniqueConstraint(number, context, name=PREFIX + 'voicemail_number_key'),
    )


class UserVoicemail(Base):
    __tablename__ = _name('user_voicemail')
    user_id = sa.Column(
        sa.Integer, sa.ForeignKey(User.id, ondelete='CASCADE'), primary_key=True
    )
    voicemail_id = sa.Column(
        sa.Integer, sa.ForeignKey(Voicemail.id), nullable=False, index=True
    )


class UserCallPermission(Base):
    __tablename__ = _name('user_call_permission')
    user_id = sa.Column(
        sa.Integer, sa.ForeignKey(User.id, ondelete='CASCADE'), primary_key=True
    )
    call_permission_id = sa.Column(
        sa.Integer,
        sa.ForeignKey(CallPermission.id, ondelete='CASCADE'),
        primary_key=True,
    )


class OutboxMessage(Base):
    """An event waiting to be published: written in the transaction of the change it describes."""

    __tablename__ = _name('outbox')
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(64), nullable=False)
    headers = sa.Column(sa.Text, nullable=False)  # JSON
    body = sa.Column(sa.Text, nullable=False)  # JSON


# Idempotency-Key: the keys of the jobs of the last 24 hours, with their answers.
RequestKeys = request_keys.table(_name('request_keys'), Base.metadata)

# Jobs (Prefer: respond-async): their phase, counts and answers, kept jobs_keep_hours.
Jobs = jobs.table(_name('jobs'), Base.metadata)
