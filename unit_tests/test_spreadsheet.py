# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Formula-like cells: escaped on export as OWASP advises, read back to the same value."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wazo_confd_users_csv.spreadsheet import escape, unescape


@pytest.mark.parametrize(
    'value, exported',
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ('+33123', "'+33123"),
        ('-3', "'-3"),
        ('@SUM(A1)', "'@SUM(A1)"),
        ('\tx', "'\tx"),
        ('\rx', "'\rx"),
        (
            "'=x",
            "''=x",
        ),  # a quote already there: one more, so that reading removes only ours
        ("'abc", "'abc"),
        ('abc', 'abc'),
        ('x=1', 'x=1'),
        ('', ''),
        ("'", "'"),
    ],
)
def test_cells_a_spreadsheet_would_run_get_one_quote_in_front(value, exported):
    assert escape(value) == exported
    assert unescape(exported) == value


@given(st.text())
def test_every_value_survives_the_round_trip(value):
    assert unescape(escape(value)) == value


@given(st.text())
def test_an_escaped_cell_never_starts_a_formula(value):
    assert escape(value)[:1] not in ('=', '+', '-', '@', '\t', '\r')
