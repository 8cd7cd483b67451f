# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import csv

import pytest

from wazo_confd_users_csv import reader
from wazo_confd_users_csv.errors import FileError, TooLarge


def read(text, **kwargs):
    body = text.encode('utf-8') if isinstance(text, str) else text
    return reader.read(body, **kwargs)


def test_rows_map_header_to_cells_with_row_number_and_line():
    table = read('firstname,lastname\nJohn,Doe\nJane,Roe\n')
    assert table.header == ['firstname', 'lastname']
    assert [(r.row_number, r.line, r.cells) for r in table.rows] == [
        (1, 2, {'firstname': 'John', 'lastname': 'Doe'}),
        (2, 3, {'firstname': 'Jane', 'lastname': 'Roe'}),
    ]


def test_utf8_bom_is_dropped():
    table = read(b'\xef\xbb\xbffirstname\nJos\xc3\xa9\n')
    assert table.header == ['firstname']
    assert table.rows[0].cells == {'firstname': 'José'}


def test_charset_parameter_is_honoured():
    table = read('firstname\nJosé\n'.encode('latin-1'), charset='ISO-8859-1')
    assert table.rows[0].cells['firstname'] == 'José'


def test_unknown_charset_is_refused():
    with pytest.raises(FileError) as exc:
        read('firstname\nA\n', charset='klingon-8')
    assert 'unknown charset "klingon-8"' in exc.value.errors[0].message
    assert exc.value.status == 400


def test_bytes_that_do_not_decode_name_the_line():
    with pytest.raises(FileError) as exc:
        read(b'firstname\nA\nJos\xe9\n')
    error = exc.value.errors[0]
    assert error.line == 3
    assert 'line 3 is not valid utf-8' in error.message


def test_nul_byte_names_the_line():
    with pytest.raises(FileError) as exc:
        read('firstname\nA\x00B\n')
    assert exc.value.errors[0].line == 2
    assert 'NUL' in exc.value.errors[0].message


def test_tab_separated_file_gets_a_helpful_message():
    with pytest.raises(FileError) as exc:
        read('firstname\tlastname\nA\tB\n')
    message = exc.value.errors[0].message
    assert 'looks tab-separated' in message
    assert 'comma (,) or a semicolon (;)' in message


def test_a_semicolon_separated_file_as_excel_writes_it_in_french_or_german():
    """The header says it; the seed's ; lists are then quoted, as Excel quotes them."""
    table = read(
        'firstname;lastname;call_permissions\nA;B;"internal;mobile"\nC;"D; E";\n'
    )

    assert table.header == ['firstname', 'lastname', 'call_permissions']
    assert [row.cells for row in table.rows] == [
        {'firstname': 'A', 'lastname': 'B', 'call_permissions': 'internal;mobile'},
        {'firstname': 'C', 'lastname': 'D; E', 'call_permissions': ''},
    ]


def test_a_comma_in_the_header_keeps_commas():
    table = read('firstname,call_permissions\nA,internal;mobile\n')
    assert table.rows[0].cells == {
        'firstname': 'A',
        'call_permissions': 'internal;mobile',
    }


def test_the_pages_error_column_is_read_back_and_ignored():
    """The failing-rows file the page offers adds an `error` column: once fixed, it imports."""
    table = read('firstname,lastname,error\nA,B,ring_seconds: must be ...\n')

    assert table.header == ['firstname', 'lastname']
    assert table.rows[0].cells == {'firstname': 'A', 'lastname': 'B'}
    assert (table.rows[0].line, table.rows[0].row_number) == (2, 1)


def test_windows_1252_sent_as_utf_8_gets_a_hint_that_names_it():
    with pytest.raises(FileError) as exc:
        read('firstname\nL\u00e9a\n'.encode('cp1252'))
    message = exc.value.errors[0].message
    assert 'Windows-1252' in message and 'charset=windows-1252' in message
    legacy = read('firstname\nL\u00e9a\n'.encode('cp1252'), charset='windows-1252')
    assert legacy.rows[0].cells == {
        'firstname': 'L\u00e9a'
    }  # read when the charset is said


def test_single_column_without_separator_is_fine():
    assert read('firstname\nA\n').rows[0].cells == {'firstname': 'A'}


def test_quoted_cells_keep_commas_doubled_quotes_and_line_breaks():
    table = read('firstname,lastname\n"Robert ""Bob""","Doe, Jr\nthe second"\nA,B\n')
    assert table.rows[0].cells == {
        'firstname': 'Robert "Bob"',
        'lastname': 'Doe, Jr\nthe second',
    }
    assert (
        table.rows[1].line == 4
    )  # the quoted line break moved the next row down one line


def test_crlf_line_endings_and_blank_lines_are_skipped():
    table = read('firstname\r\n\r\nA\r\n\r\n\r\nB\r\n')
    assert [(r.row_number, r.line, r.cells['firstname']) for r in table.rows] == [
        (1, 3, 'A'),
        (2, 6, 'B'),
    ]


def test_rows_of_empty_cells_are_skipped_like_blank_lines():
    table = read('firstname,lastname\nA,B\n,\n')
    assert len(table.rows) == 1
    assert table.errors == []


def test_unknown_columns_are_ignored_with_a_warning_as_confds_import_ignores_them():
    table = read('firstname,nickname,,lastname,\nA,B,,C,\n')
    assert table.header == ['firstname', 'lastname']
    assert table.rows[0].cells == {'firstname': 'A', 'lastname': 'C'}
    [warning] = table.warnings
    assert (warning.code, warning.line) == ('ignored_columns', 1)
    assert warning.message.startswith(
        'line 1: "nickname", a column without a name are not columns of the format: '
        'their cells were ignored'
    )


@pytest.mark.parametrize(
    'name, meant',
    [
        ('voicemail_adress', 'voicemail_email'),
        ('Lastname', 'lastname'),
        ('first name', 'firstname'),
        ('e-mail', 'email'),
        ('sip_user', 'sip_username'),
        ('incall_did', 'incall_exten'),
    ],
)
def test_a_near_miss_of_a_column_is_an_error_naming_the_column_it_meant(name, meant):
    with pytest.raises(FileError) as exc:
        read(f'firstname,{name}\nA,B\n')
    [error] = exc.value.errors
    assert (error.code, error.line) == ('header', 1)
    assert f'"{name}" is not a column: did you mean "{meant}"?' in error.message


def test_a_column_named_twice_is_refused():
    with pytest.raises(FileError) as exc:
        read('firstname,lastname,firstname\nA,B,C\n')
    assert 'column(s) named twice: "firstname"' in exc.value.errors[0].message


def test_ten_thousand_unknown_columns_are_summarised():
    header = ','.join(f'c{i}' for i in range(10000))
    table = read(header + '\n' + ','.join('x' * 10000) + '\n')
    message = table.warnings[0].message
    assert 'and 9980 more' in message
    assert len(message) < 2000


def test_short_and_long_rows_are_row_errors_with_numbers():
    table = read('firstname,lastname\nA\nB,C\nD,E,F\n')
    assert [r.row_number for r in table.rows] == [2]
    assert [(e.code, e.row_number, e.line) for e in table.errors] == [
        ('row_shape', 1, 2),
        ('row_shape', 3, 4),
    ]
    assert 'has 1 cells but the header has 2 columns' in table.errors[0].message


def test_a_header_without_rows_or_an_empty_file_reads_as_nothing_to_do():
    for text, code in (('firstname\n\n', 'no_rows'), ('\n\n', 'empty'), ('', 'empty')):
        table = read(text)
        assert (table.rows, table.errors) == ([], [])
        assert [warning.code for warning in table.warnings] == [code]
        assert 'nothing was imported' in table.warnings[0].message


def test_unclosed_quote_names_the_line_where_it_starts():
    with pytest.raises(FileError) as exc:
        read('firstname,lastname\nA,B\n"C,D\nE,F\n')
    error = exc.value.errors[0]
    assert error.line == 3
    assert 'never closed' in error.message


def test_text_after_a_closing_quote_is_refused():
    with pytest.raises(FileError) as exc:
        read('firstname\n"A"B\n')
    assert exc.value.errors[0].line == 2


def test_a_huge_cell_is_refused_clearly():
    with pytest.raises(FileError) as exc:
        read('firstname\n' + 'x' * (1024 * 1024) + '\n')
    assert (
        f'larger than {csv.field_size_limit()} characters'
        in exc.value.errors[0].message
    )


def test_row_limit_gives_413():
    with pytest.raises(TooLarge) as exc:
        read('firstname\nA\nB\nC\n', max_rows=2)
    assert exc.value.status == 413
    assert 'more than 2 rows' in exc.value.errors[0].message


def test_row_limit_counts_exactly():
    assert len(read('firstname\nA\nB\n', max_rows=2).rows) == 2


@pytest.mark.parametrize('charset', ['bz2', 'zlib', 'base64', 'hex', 'uu', 'rot13'])
def test_only_text_charsets_are_read(charset):
    """Codecs that are not text encodings would turn a small body into a huge one."""
    with pytest.raises(FileError) as exc:
        read(b'firstname\nA\n', charset=charset)
    assert exc.value.errors[0].code == 'charset'
    assert 'utf-8' in exc.value.errors[0].message


@pytest.mark.parametrize(
    'charset, encoding',
    [
        ('utf8', 'utf-8'),
        ('windows-1252', 'cp1252'),
        ('ISO-8859-15', 'iso8859-15'),
        ('utf-16', 'utf-16'),
        ('us-ascii', 'ascii'),
    ],
)
def test_text_charsets_by_any_of_their_names(charset, encoding):
    table = read('firstname\nJose\n'.encode(encoding), charset=charset)
    assert table.rows[0].cells['firstname'] == 'Jose'


def test_a_misspelled_name_given_twice_is_listed_once():
    with pytest.raises(FileError) as raised:
        read('firstname,lastnam,lastnam\nA,B,C\n')
    assert raised.value.errors[0].message.count('"lastnam" is not a column') == 1
    assert 'did you mean "lastname"' in raised.value.errors[0].message
