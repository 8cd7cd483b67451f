# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""initial schema: reference data, users and the resources a CSV row creates

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

P = 'users_csv_'


def _id():
    return sa.Column('id', sa.Integer, primary_key=True)


def _fk(name, table, **kwargs):
    return sa.Column(name, sa.Integer, sa.ForeignKey(f'{P}{table}.id', **kwargs))


def upgrade():
    op.create_table(
        P + 'entity',
        _id(),
        sa.Column('name', sa.String(64), nullable=False, unique=True),
        sa.Column('display_name', sa.String(128)),
    )
    op.create_table(
        P + 'context',
        _id(),
        sa.Column('name', sa.String(79), nullable=False, unique=True),
        sa.Column('type', sa.String(16), nullable=False),
        sa.Column(
            'entity_id', sa.Integer, sa.ForeignKey(P + 'entity.id'), nullable=False
        ),
    )
    op.create_table(
        P + 'context_range',
        _id(),
        sa.Column(
            'context_id',
            sa.Integer,
            sa.ForeignKey(P + 'context.id', ondelete='CASCADE'),
            nullable=False,
        ),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('start', sa.String(40), nullable=False),
        sa.Column('end', sa.String(40), nullable=False),
        sa.Column('did_length', sa.Integer),
    )
    op.create_index(P + 'context_range_context_id', P + 'context_range', ['context_id'])
    op.create_table(
        P + 'cti_profile',
        _id(),
        sa.Column('name', sa.String(128), nullable=False, unique=True),
    )
    op.create_table(
        P + 'call_permission',
        _id(),
        sa.Column('name', sa.String(128), nullable=False, unique=True),
        sa.Column('password', sa.String(16)),
        sa.Column('mode', sa.String(5), nullable=False),
        sa.Column('extensions', sa.Text, nullable=False),
    )
    op.create_table(
        P + 'user',
        _id(),
        sa.Column('uuid', sa.String(36), nullable=False, unique=True),
        sa.Column(
            'entity_id', sa.Integer, sa.ForeignKey(P + 'entity.id'), nullable=False
        ),
        sa.Column('firstname', sa.String(128), nullable=False),
        sa.Column('lastname', sa.String(128)),
        sa.Column('email', sa.String(254)),
        sa.Column('language', sa.String(16)),
        sa.Column('mobile_phone_number', sa.String(80)),
        sa.Column('outgoing_caller_id', sa.String(80)),
        sa.Column('call_permission_password', sa.String(16)),
        sa.Column('enabled', sa.Boolean, nullable=False),
        sa.Column('ring_seconds', sa.Integer, nullable=False),
        sa.Column('simultaneous_calls', sa.Integer, nullable=False),
        sa.Column('supervision_enabled', sa.Boolean, nullable=False),
        sa.Column('call_transfer_enabled', sa.Boolean, nullable=False),
        sa.Column('dtmf_hangup_enabled', sa.Boolean, nullable=False),
        sa.Column('username', sa.String(254), unique=True),
        sa.Column('password', sa.String(64)),
        _fk('cti_profile_id', 'cti_profile'),
        sa.Column('cti_profile_enabled', sa.Boolean),
    )
    op.create_index(
        P + 'user_email_lower_key', P + 'user', [sa.text('lower(email)')], unique=True
    )
    op.create_table(
        P + 'sip_endpoint',
        _id(),
        sa.Column('username', sa.String(40), nullable=False, unique=True),
        sa.Column('secret', sa.String(80), nullable=False),
    )
    op.create_table(P + 'sccp_endpoint', _id())
    op.create_table(
        P + 'line',
        _id(),
        sa.Column('protocol', sa.String(8), nullable=False),
        sa.Column('name', sa.String(80), nullable=False),
        sa.Column('context', sa.String(79), nullable=False),
        sa.Column('provisioning_code', sa.String(6), nullable=False, unique=True),
        sa.Column(
            'sip_endpoint_id',
            sa.Integer,
            sa.ForeignKey(P + 'sip_endpoint.id'),
            unique=True,
        ),
        sa.Column(
            'sccp_endpoint_id',
            sa.Integer,
            sa.ForeignKey(P + 'sccp_endpoint.id'),
            unique=True,
        ),
    )
    op.create_table(
        P + 'extension',
        _id(),
        sa.Column('exten', sa.String(40), nullable=False),
        sa.Column('context', sa.String(79), nullable=False),
        sa.UniqueConstraint('exten', 'context', name=P + 'extension_exten_key'),
    )
    op.create_table(
        P + 'user_line',
        sa.Column(
            'user_id',
            sa.Integer,
            sa.ForeignKey(P + 'user.id', ondelete='CASCADE'),
            primary_key=True,
        ),
        sa.Column(
            'line_id',
            sa.Integer,
            sa.ForeignKey(P + 'line.id', ondelete='CASCADE'),
            primary_key=True,
        ),
        sa.Column('main_user', sa.Boolean, nullable=False),
        sa.Column('main_line', sa.Boolean, nullable=False),
    )
    op.create_index(P + 'user_line_line_id', P + 'user_line', ['line_id'])
    op.create_table(
        P + 'line_extension',
        sa.Column(
            'line_id',
            sa.Integer,
            sa.ForeignKey(P + 'line.id', ondelete='CASCADE'),
            primary_key=True,
        ),
        sa.Column(
            'extension_id',
            sa.Integer,
            sa.ForeignKey(P + 'extension.id'),
            primary_key=True,
            unique=True,
        ),
        sa.Column('main_extension', sa.Boolean, nullable=False),
    )
    op.create_table(
        P + 'incall',
        _id(),
        sa.Column(
            'user_id',
            sa.Integer,
            sa.ForeignKey(P + 'user.id', ondelete='CASCADE'),
            nullable=False,
        ),
        sa.Column('ring_seconds', sa.Integer),
        sa.Column(
            'extension_id', sa.Integer, sa.ForeignKey(P + 'extension.id'), unique=True
        ),
    )
    op.create_index(P + 'incall_user_id', P + 'incall', ['user_id'])
    op.create_table(
        P + 'voicemail',
        _id(),
        sa.Column('name', sa.String(80), nullable=False),
        sa.Column('number', sa.String(40), nullable=False),
        sa.Column('context', sa.String(79), nullable=False),
        sa.Column('password', sa.String(80)),
        sa.Column('email', sa.String(80)),
        sa.Column('attach_audio', sa.Boolean, nullable=False),
        sa.Column('delete_messages', sa.Boolean, nullable=False),
        sa.Column('ask_password', sa.Boolean, nullable=False),
        sa.UniqueConstraint('number', 'context', name=P + 'voicemail_number_key'),
    )
    op.create_table(
        P + 'user_voicemail',
        sa.Column(
            'user_id',
            sa.Integer,
            sa.ForeignKey(P + 'user.id', ondelete='CASCADE'),
            primary_key=True,
        ),
        sa.Column(
            'voicemail_id',
            sa.Integer,
            sa.ForeignKey(P + 'voicemail.id'),
            nullable=False,
        ),
    )
    op.create_index(
        P + 'user_voicemail_voicemail_id', P + 'user_voicemail', ['voicemail_id']
    )
    op.create_table(
        P + 'user_call_permission',
        sa.Column(
            'user_id',
            sa.Integer,
            sa.ForeignKey(P + 'user.id', ondelete='CASCADE'),
            primary_key=True,
        ),
        sa.Column(
            'call_permission_id',
            sa.Integer,
            sa.ForeignKey(P + 'call_permission.id', ondelete='CASCADE'),
            primary_key=True,
        ),
    )


def downgrade():
    for table in (
        'user_call_permission',
        'user_voicemail',
        'voicemail',
        'incall',
        'line_extension',
        'user_line',
        'extension',
        'line',
        'sccp_endpoint',
        'sip_endpoint',
        'user',
        'call_permission',
        'cti_profile',
        'context_range',
        'context',
        'entity',
    ):
        op.drop_table(P + table)
