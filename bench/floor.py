# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The floor: the rows of harness.full_rows_csv written with plain SQL, in one transaction,
with batched multi-row INSERTs (psycopg2 execute_values) and no checks at all: what the
database itself needs to store them.

write(..., hashed=True): the same, each login password first hashed as the standalone host
stores it (backends/standalone/passwords: PBKDF2-SHA256, the same rounds, a salt each, on as
many workers as the host uses, here threads: nothing else runs), timed with the writes: what
storing these rows costs at least."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import harness
import psycopg2
from psycopg2.extras import execute_values

from wazo_confd_users_csv.backends.standalone import passwords as host_passwords

P = 'users_csv_'


def write(uri, count, hashed=False):
    profiles = {'Client': 1, 'Agent': 2}
    reference = harness.REFERENCE
    rows = harness.full_rows_csv(count).decode().splitlines()[1:]
    users, sips, sccps, lines, extensions, user_lines, line_extensions = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    incalls, voicemails, user_voicemails, permissions = [], [], [], []
    for i, text in enumerate(rows, start=1):
        cells = text.split(',')
        (
            entity,
            first,
            last,
            email,
            language,
            enabled,
            username,
            password,
            profile,
            exten,
            context,
            protocol,
            incall_exten,
            incall_context,
            ring,
            vm_name,
            vm_number,
            vm_context,
            vm_password,
            _,
        ) = cells
        users.append(
            (
                i,
                str(uuid.uuid4()),
                int(entity),
                first,
                last,
                email,
                language,
                True,
                30,
                5,
                True,
                False,
                False,
                username,
                password,
                profiles[profile],
                True,
            )
        )
        if protocol == 'sip':
            sips.append((i, f'sip{i:07d}', 'secret-secret-16'))
        else:
            sccps.append((i,))
        lines.append(
            (
                i,
                protocol,
                f'sip{i:07d}' if protocol == 'sip' else exten,
                context,
                str(100000 + i),
                i if protocol == 'sip' else None,
                i if protocol == 'sccp' else None,
            )
        )
        extensions += [
            (2 * i - 1, exten, context),
            (2 * i, incall_exten, incall_context),
        ]
        user_lines.append((i, i, True, True))
        line_extensions.append((i, 2 * i - 1, True))
        incalls.append((i, i, int(ring), 2 * i))
        voicemails.append(
            (i, vm_name, vm_number, vm_context, vm_password, False, False, True)
        )
        user_voicemails.append((i, i))
        permissions += [(i, 1), (i, 2)]
    connection = psycopg2.connect(uri)
    try:
        started = time.monotonic()
        if hashed:
            with ThreadPoolExecutor(host_passwords.WORKERS) as pool:
                stored = list(
                    pool.map(host_passwords.hashed, [user[14] for user in users])
                )
            users = [
                user[:14] + (made,) + user[15:] for user, made in zip(users, stored)
            ]
        with connection, connection.cursor() as cursor:
            for table, columns, values in (
                (
                    'user',
                    'id, uuid, entity_id, firstname, lastname, email, language, enabled, '
                    'ring_seconds, simultaneous_calls, supervision_enabled, '
                    'call_transfer_enabled, '
                    'dtmf_hangup_enabled, username, password, cti_profile_id, cti_profile_enabled',
                    users,
                ),
                ('sip_endpoint', 'id, username, secret', sips),
                ('sccp_endpoint', 'id', sccps),
                (
                    'line',
                    'id, protocol, name, context, provisioning_code, sip_endpoint_id, '
                    'sccp_endpoint_id',
                    lines,
                ),
                ('extension', 'id, exten, context', extensions),
                ('user_line', 'user_id, line_id, main_user, main_line', user_lines),
                (
                    'line_extension',
                    'line_id, extension_id, main_extension',
                    line_extensions,
                ),
                ('incall', 'id, user_id, ring_seconds, extension_id', incalls),
                (
                    'voicemail',
                    'id, name, number, context, password, attach_audio, '
                    'delete_messages, ask_password',
                    voicemails,
                ),
                ('user_voicemail', 'user_id, voicemail_id', user_voicemails),
                ('user_call_permission', 'user_id, call_permission_id', permissions),
            ):
                if values:
                    execute_values(
                        cursor,
                        f'INSERT INTO {P}{table} ({columns}) VALUES %s',
                        values,
                        page_size=1000,
                    )
        assert reference  # the database was prepared with the same reference data
        return time.monotonic() - started
    finally:
        connection.close()
