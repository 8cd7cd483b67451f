# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Formula-like cells: escaped in the spreadsheet form as OWASP advises, read back to the same
value; CRLF line ends as Python's csv module writes them."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wazo_confd_users_csv import reader
from wazo_confd_users_csv.spreadsheet import escape, unescape
from wazo_confd_users_csv.sql import crlf


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
        # after a `;`: a spreadsheet with `;` as its list separator splits the cell there
        ('x;=1+1;y', "x;'=1+1;y"),
        ('=a;+b;c;@d', "'=a;'+b;c;'@d"),
        ("x;'-1", "x;''-1"),
        (';;=x;', ";;'=x;"),
        ('a;b', 'a;b'),
        ("a;'b", "a;'b"),
    ],
)
def test_cells_a_spreadsheet_would_run_get_one_quote_in_front(value, exported):
    assert escape(value) == exported
    assert unescape(exported) == value


@given(st.text())
def test_every_value_survives_the_round_trip(value):
    assert unescape(escape(value)) == value


@given(st.text(alphabet=st.sampled_from("=+-@\t\r';xy")))
def test_every_value_of_the_special_characters_survives_the_round_trip(value):
    assert unescape(escape(value)) == value


@given(st.text())
def test_an_escaped_cell_never_starts_a_formula(value):
    assert escape(value)[:1] not in ('=', '+', '-', '@', '\t', '\r')


@given(st.text(alphabet=st.sampled_from("=+-@\t\r';xy")))
def test_no_part_after_a_semicolon_starts_a_formula(value):
    for part in escape(value).split(';'):
        assert part[:1] not in ('=', '+', '-', '@', '\t', '\r')


@pytest.mark.parametrize(
    'body, charset, escaped',
    [
        (b"\xef\xbb\xbffirstname\n'=x\n", None, '=x'),  # the spreadsheet form
        ("firstname\n'=x\n".encode('cp1252'), 'windows-1252', '=x'),  # Excel's "CSV"
        (b"firstname\n'=x\n", None, "'=x"),  # the raw form, a script's file
        (b"firstname\n''=x\n", None, "''=x"),
        (b"\xef\xbb\xbffirstname\n''=x\n", None, "'=x"),
    ],
)
def test_the_import_unescapes_only_a_file_in_the_spreadsheet_form(
    body, charset, escaped
):
    assert reader.read(body, charset).rows[0].cells['firstname'] == escaped


@given(st.lists(st.text(min_size=1), min_size=1, max_size=5), st.integers(1, 7))
def test_crlf_ends_records_and_keeps_line_breaks_inside_cells(cells, size):
    def line(row):  # as Python's csv module writes a record (confd's built-in export)
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator='\r\n').writerow(row)
        return buffer.getvalue()

    expected = line(cells) * 2
    copied = (line(cells)[:-2] + '\n') * 2  # as COPY writes it: LF, cells quoted alike
    chunks = (copied[i : i + size] for i in range(0, len(copied), size))

    assert ''.join(crlf(chunks)) == expected
