# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bytes of a CSV file -> header and rows with their row number and line.

File-level problems (charset, separator, header, quoting, size) raise a FileError; a row with
the wrong number of cells is an error of that row, reported with the others.
"""

import codecs
import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Optional

from . import columns
from .errors import Error, ErrorLog, FileError, TooLarge
from .spreadsheet import is_spreadsheet_form, unescape

BOM = '\ufeff'
LISTED_NAMES = 20  # how many offending names a header error quotes


class Row:
    """A row of the file: its number (1 is the first under the header), its first line and
    its raw cells, in the header's order (a tuple: a big file has many rows)."""

    __slots__ = ('row_number', 'line', 'header', 'record', '_cells')

    def __init__(self, row_number, line, cells=None, header=(), record=()):
        self.row_number = row_number
        self.line = line
        self.header = header
        self.record = record
        self._cells = cells

    @property
    def cells(self):
        """{column: raw cell}, for the errors that show the row (made when first asked)."""
        if self._cells is None:
            self._cells = dict(zip(self.header, self.record))
        return self._cells

    def let_go(self):
        """Every cell is checked: the raw text goes (a retry reads the file again)."""
        self.record = ()
        self._cells = {}


@dataclass
class Table:
    header: list
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # without a log; with one, the log's
    # what the answer tells without refusing the file: Errors, their code and message
    warnings: list = field(default_factory=list)
    bad_rows: int = 0  # rows refused as they were read (row_shape)

    @property
    def row_count(self):
        return len(self.rows) + self.bad_rows


# The charsets a CSV file may be sent in (Python's names for them; aliases are accepted).
# Not any codec Python has: bz2, zlib, base64, ... would turn a small body into a huge one.
CHARSETS = (
    'utf-8',
    'utf-8-sig',
    'utf-16',
    'utf-16-le',
    'utf-16-be',
    'ascii',
    'iso8859-1',
    'iso8859-15',
    'cp1252',
)


def _is_windows_1252(body):
    """Whether bytes that are not UTF-8 read as Windows-1252 text with accented letters."""
    try:
        text = body.decode('cp1252')
    except UnicodeDecodeError:
        return False
    return any(0xC0 <= ord(char) <= 0xFF for char in text)


def codec_of(charset=None):
    """Python's name of the file's charset; a FileError when it is not one of CHARSETS."""
    charset = (charset or 'utf-8').strip().strip('"').lower()
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        codec = None
    if codec is None or codec.name not in CHARSETS:
        raise FileError(
            'charset',
            f'unknown charset "{charset[:40]}": send the file as utf-8 '
            f'(or one of {", ".join(CHARSETS)})',
        )
    return codec


def decode(body, charset=None):
    codec = codec_of(charset)
    charset = (charset or 'utf-8').strip().strip('"').lower()
    try:
        text = codecs.decode(body, codec.name)
    except UnicodeDecodeError as exc:
        line = body.count(b'\n', 0, exc.start) + 1
        if codec.name in ('utf-8', 'utf-8-sig') and _is_windows_1252(body):
            # the spreadsheet's remedy first: most files come from one (and wazo-ui sends
            # no charset); the API's after
            message = (
                f'line {line} is not valid {charset}: it looks like Windows-1252 (what a '
                'spreadsheet on Windows saves as plain "CSV"): save it as "CSV UTF-8" in '
                'the spreadsheet and send it again (a program may instead send it with '
                'Content-Type: text/csv; charset=windows-1252)'
            )
        else:
            message = (
                f'line {line} is not valid {charset}: save the file as UTF-8 ("CSV '
                'UTF-8" in a spreadsheet) and send it again'
            )
        raise FileError('encoding', message, line=line)
    if text.startswith(BOM):
        text = text[1:]
    nul = text.find('\x00')
    if nul >= 0:
        line = text.count('\n', 0, nul) + 1
        raise FileError(
            'binary',
            f'line {line} holds a NUL byte: this is not a text CSV file',
            line=line,
        )
    return text


# The column the page's failing-rows file adds (each row's problems): read back, ignored.
IGNORED_COLUMNS = ('error',)


def delimiter_of(text):
    """`;` when the first line names columns separated by `;` and none by `,` (Excel saves
    CSV so where the decimal separator is a comma: French, German...); `,` otherwise."""
    first = text.lstrip('\r\n').split('\n', 1)[0]
    return ';' if ';' in first and ',' not in first else ','


def read(
    body,
    charset=None,
    max_rows=None,
    known=columns.NAMES,
    log: Optional[ErrorLog] = None,
):
    """The header and rows of a CSV body. A row's error (row_shape) goes to `log` (bounded,
    errors.ErrorLog) when given, else to `table.errors`."""
    text = decode(body, charset)
    # a cell the spreadsheet form escaped ('=...) reads as the value it holds; in any other
    # file (the raw form) a cell is read as it is
    cell = unescape if is_spreadsheet_form(body, codec_of(charset).name) else None
    records: Any = csv.reader(
        io.StringIO(text, newline=''), strict=True, delimiter=delimiter_of(text)
    )
    header, header_line = _read_header(records)
    if header is None:  # as confd's built-in import: nothing to do is not an error
        return Table(
            header=[],
            warnings=[
                Error(
                    'empty',
                    'the file is empty: nothing was imported (its first line names the '
                    'columns, then one line per user)',
                )
            ],
        )
    unknown = _check_header(header, header_line, known)
    unknown_set = set(unknown)
    ignored = [
        index
        for index, name in enumerate(header)
        if name in IGNORED_COLUMNS or name in unknown_set
    ]
    read_header = header  # the file's: a row has one cell for each of them
    ignored_set = set(ignored)
    kept = [index for index in range(len(header)) if index not in ignored_set]
    header = [header[index] for index in kept]
    table = Table(header=header)
    if unknown:
        table.warnings.append(
            Error(
                'ignored_columns',
                f'line {header_line}: {_quote_names(unknown)} '
                f'{"is not a column" if len(unknown) == 1 else "are not columns"} of the '
                'format: their cells were ignored (the columns are listed by '
                'GET /1.1/users/import/columns)',
                line=header_line,
            )
        )
    width = len(read_header)
    row_number = 0
    previous_line = records.line_num
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _quoting_error(exc, previous_line + 1, records.line_num)
        line = previous_line + 1
        previous_line = records.line_num
        if not any(record):
            continue  # blank line, or a row of empty cells as spreadsheets leave at the end
        row_number += 1
        if max_rows is not None and row_number > max_rows:
            raise TooLarge(
                [
                    Error(
                        'too_many_rows',
                        f'the file has more than {max_rows} rows, the limit: '
                        'split it into several files',
                        line=line,
                    )
                ]
            )
        if len(record) != width:
            table.bad_rows += 1
            shape = partial(_row_shape, row_number, line, read_header, record, width)
            if log is None:
                table.errors.append(shape())
            else:
                log.offer('row_shape', None, row_number, line, shape)
            continue
        if ignored:
            record = [record[index] for index in kept]
        if cell is not None:
            record = map(cell, record)
        table.rows.append(Row(row_number, line, header=header, record=tuple(record)))
    if row_number == 0:
        table.warnings.append(
            Error(
                'no_rows',
                'the file has a header but no rows: nothing was imported (add one line '
                'per user under the header)',
                line=header_line,
            )
        )
    return table


def _row_shape(row_number, line, header, record, width):
    return Error(
        'row_shape',
        f'this row has {len(record)} cells but the header has {width} columns: '
        'every row must have one cell per column (check for a missing or extra ,)',
        row_number=row_number,
        line=line,
        row=dict(zip(header, record)),
    )


def _read_header(records):
    """(the first line that is not blank, its line), or (None, None) for an empty file."""
    while True:
        try:
            record = next(records)
        except StopIteration:
            return None, None
        except csv.Error as exc:
            raise _quoting_error(exc, 1, records.line_num)
        if any(record):
            return record, records.line_num


def _check_header(header, line, known):
    """The unknown names of the header, ignored as confd's built-in import ignores them; a
    name that misses a column by its spelling, or a name given twice, is a FileError."""
    if len(header) == 1:
        for separator, name in (('\t', 'tab'),):
            if separator in header[0]:
                raise FileError(
                    'separator',
                    f'the file looks {name}-separated: columns must be separated with a comma '
                    '(,) or a semicolon (;). In a spreadsheet, save as "CSV UTF-8"',
                    line=line,
                )
    # sets, not lists: a header of 20,000 names took 24 s of CPU with lists (hostile input)
    known_set = set(known)
    unknown, misses, looked_at = [], [], set()
    for name in header:
        if name in known_set or name in IGNORED_COLUMNS or name in looked_at:
            continue
        looked_at.add(name)
        meant = probable_column(name, known)
        if meant is None:
            unknown.append(name)
        else:
            misses.append((name, meant))
    seen: set[str] = set()
    repeated: dict[str, None] = {}  # in the order of the header
    for name in header:
        if name in seen and name in known_set:
            repeated[name] = None
        seen.add(name)
    duplicates = list(repeated)
    problems = [
        f'"{name[:40]}" is not a column: did you mean "{meant}"? (rename it: names are '
        'exact, case-sensitive)'
        for name, meant in misses[:LISTED_NAMES]
    ]
    if duplicates:
        problems.append(
            f'column(s) named twice: {_quote_names(duplicates)} (keep one of each)'
        )
    if problems:
        raise FileError(
            'header',
            f'line {line}: {"; ".join(problems)}. Nothing was imported',
            line=line,
        )
    return unknown


# The groups' prefixes: a name under one of them is meant for that group (its cells would be
# lost if it were ignored), and words that stand for a column's last word.
GROUP_PREFIXES = ('voicemail_', 'incall_', 'sip_', 'call_record_', 'cti_profile_')
SYNONYMS = {
    'address': 'email',
    'adress': 'email',
    'adresse': 'email',
    'mail': 'email',
    'e_mail': 'email',
    'courriel': 'email',
    'pass': 'password',
    'passwd': 'password',
    'pwd': 'password',
    'pin': 'password',
    'code': 'password',
    'user': 'username',
    'login': 'username',
    'number': 'exten',
    'ring_time': 'ring_seconds',
    'ringtime': 'ring_seconds',
}


def probable_column(name, known):
    """The column of `known` that `name` probably means (another case or spacing, a
    misspelling, a group's column under another word), or None for a column of its own.
    """
    key = re.sub(r'[\s\-.]+', '_', name.strip().lower()).strip('_')
    if not key:
        return None
    if key in known:
        return key
    squashed = {column.replace('_', ''): column for column in known}
    if key.replace('_', '') in squashed:
        return squashed[key.replace('_', '')]
    for prefix in GROUP_PREFIXES:
        group = [column for column in known if column.startswith(prefix)]
        if key.startswith(prefix) and group:
            rest = key[len(prefix) :]
            word = SYNONYMS.get(rest, rest)
            if prefix + word in known:
                return prefix + word
            return difflib.get_close_matches(key, group, n=1, cutoff=0)[0]
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.85)
    return close[0] if close else None


def _quote_names(names):
    quoted = ', '.join(
        f'"{name[:40]}"' if name else 'a column without a name'
        for name in names[:LISTED_NAMES]
    )
    if len(names) > LISTED_NAMES:
        quoted += f' and {len(names) - LISTED_NAMES} more'
    return quoted


def _quoting_error(exc, start_line, current_line):
    reason = str(exc)
    if 'field larger than field limit' in reason:
        message = (
            f'a cell of the row starting on line {start_line} is larger than '
            f'{csv.field_size_limit()} characters: check for an unclosed quote (")'
        )
    elif 'unexpected end of data' in reason:
        message = (
            f'the quote (") opened in the row starting on line {start_line} is never '
            'closed: a quoted cell must end with a quote'
        )
    else:
        message = (
            f'line {current_line} is not valid CSV ({reason}): inside a quoted cell, '
            'write a quote as two quotes ("")'
        )
    return FileError('quoting', message, line=start_line)
