# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hypothesis strategies for CSV files: random bytes, CSV-shaped text, and mutated valid files."""

from hypothesis import strategies as st

from wazo_confd_users_csv import columns

INTERESTING = [
    '',
    '0',
    '1',
    '2',
    '-1',
    '007',
    '9' * 12,
    'x' * 300,
    '1000',
    '1999',
    '2050',
    'default',
    'from-extern',
    'branch',
    'nowhere',
    'sip',
    'sccp',
    'SIP',
    'Client',
    'Agent',
    'international',
    'international;mobile',
    ';;',
    'a;b;c',
    'fr_FR',
    'xx',
    'john@example.com',
    'JOHN@EXAMPLE.COM',
    '+33600000001',
    '=SUM(A1)',
    '@x',
    '"quoted"',
    'a,b',
    'line\nbreak',
    'tab\there',
    'é😀',
    '\u202e',
    '\x01',
    '6f0a9c1e-4f4b-4f5e-9a53-0b1a2c3d4e5f',
    '123456',
    '012345',
    '2000;2001',
    'from-extern;from-extern',
    '5;',
    ' 1',
    '1 ',
    '١٢٣',
]

cell = st.one_of(st.sampled_from(INTERESTING), st.text(max_size=30))
column_name = st.one_of(st.sampled_from(columns.NAMES), st.text(max_size=12))


def _quote(value):
    if any(c in value for c in ',"\n\r') or value.startswith(' '):
        return '"' + value.replace('"', '""') + '"'
    return value


@st.composite
def csv_text(draw):
    header = draw(st.lists(column_name, min_size=1, max_size=12))
    width = len(header)
    rows = draw(
        st.lists(
            st.lists(cell, min_size=max(0, width - 1), max_size=width + 1), max_size=8
        )
    )
    newline = draw(st.sampled_from(['\n', '\r\n', '\r']))
    lines = [','.join(_quote(name) for name in header)]
    lines += [','.join(_quote(value) for value in row) for row in rows]
    return newline.join(lines) + draw(st.sampled_from(['', newline]))


@st.composite
def valid_header_text(draw):
    """Files whose header is valid, so the rows reach the checks and the database."""
    header = draw(
        st.lists(st.sampled_from(columns.NAMES), min_size=1, max_size=14, unique=True)
    )
    if 'firstname' not in header:
        header.append('firstname')
    rows = draw(
        st.lists(
            st.lists(cell, min_size=len(header), max_size=len(header)),
            min_size=1,
            max_size=6,
        )
    )
    lines = [','.join(header)] + [','.join(_quote(v) for v in row) for row in rows]
    return '\n'.join(lines) + '\n'


@st.composite
def mutated(draw, seed_files):
    data = bytearray(draw(st.sampled_from(seed_files)))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(['flip', 'insert', 'delete', 'duplicate']))
        if action == 'flip':
            data[position] = draw(st.integers(0, 255))
        elif action == 'insert':
            data[position:position] = draw(
                st.sampled_from(
                    [b',', b'"', b'\n', b';', b'\x00', b'\xff', b'\r\n', b'1', b'\xc3']
                )
            )
        elif action == 'delete':
            del data[position]
        else:
            end = min(len(data), position + draw(st.integers(1, 40)))
            data[position:position] = data[position:end]
    return bytes(data)


def any_file(seed_files):
    return st.one_of(
        st.binary(max_size=2000),
        csv_text().map(lambda text: text.encode('utf-8')),
        valid_header_text().map(lambda text: text.encode('utf-8')),
        mutated(seed_files),
    )


from . import profiles  # noqa: E402,F401  (loads the CI or dev hypothesis profile)
