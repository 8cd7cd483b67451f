"""Bytes of a CSV file -> header and rows with their row number and line.

File-level problems (charset, separator, header, quoting, size) raise a FileError; a row with
the wrong number of cells is an error of that row, reported with the others.
"""
import codecs
import csv
import io
from dataclasses import dataclass, field

from . import columns
from .errors import Error, FileError, TooLarge
from .spreadsheet import unescape

BOM = '\ufeff'
LISTED_NAMES = 20  # how many offending names a header error quotes


@dataclass
class Row:
    row_number: int
    line: int
    cells: dict


@dataclass
class Table:
    header: list
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def row_count(self):
        return len(self.rows) + len(self.errors)


# The charsets a CSV file may be sent in (Python's names for them; aliases are accepted).
# Not any codec Python has: bz2, zlib, base64, ... would turn a small body into a huge one.
CHARSETS = ('utf-8', 'utf-8-sig', 'utf-16', 'utf-16-le', 'utf-16-be', 'ascii', 'iso8859-1',
            'iso8859-15', 'cp1252')


def decode(body, charset=None):
    charset = (charset or 'utf-8').strip().strip('"').lower()
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        codec = None
    if codec is None or codec.name not in CHARSETS:
        raise FileError('charset', f'unknown charset "{charset[:40]}": send the file as utf-8 '
                        f'(or one of {", ".join(CHARSETS)})')
    try:
        text = codecs.decode(body, codec.name)
    except UnicodeDecodeError as exc:
        line = body.count(b'\n', 0, exc.start) + 1
        raise FileError(
            'encoding',
            f'line {line} is not valid {charset}: save the file as UTF-8 (CSV UTF-8 in a '
            'spreadsheet) and send it again',
            line=line,
        )
    if text.startswith(BOM):
        text = text[1:]
    nul = text.find('\x00')
    if nul >= 0:
        line = text.count('\n', 0, nul) + 1
        raise FileError(
            'binary', f'line {line} holds a NUL byte: this is not a text CSV file', line=line
        )
    return text


def read(body, charset=None, max_rows=None, known=columns.NAMES):
    text = decode(body, charset)
    records = csv.reader(io.StringIO(text, newline=''), strict=True)
    header, header_line = _read_header(records)
    _check_header(header, header_line, known)
    table = Table(header=header)
    width = len(header)
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
                [Error('too_many_rows', f'the file has more than {max_rows} rows, the limit: '
                       'split it into several files', line=line)]
            )
        if len(record) != width:
            cells = dict(zip(header, record))
            table.errors.append(
                Error(
                    'row_shape',
                    f'this row has {len(record)} cells but the header has {width} columns: '
                    'every row must have one cell per column (check for a missing or extra ,)',
                    row_number=row_number,
                    line=line,
                    row=cells,
                )
            )
            continue
        # a cell an export escaped for spreadsheets ('=...) reads as the value it holds
        table.rows.append(Row(row_number, line, {name: unescape(cell)
                                                 for name, cell in zip(header, record)}))
    if row_number == 0:
        raise FileError('no_rows', 'the file has a header but no rows: add one row per user',
                        line=header_line)
    return table


def _read_header(records):
    while True:
        try:
            record = next(records)
        except StopIteration:
            raise FileError('empty', 'the file is empty: the first line must name the columns')
        except csv.Error as exc:
            raise _quoting_error(exc, 1, records.line_num)
        if any(record):
            return record, records.line_num


def _check_header(header, line, known):
    if len(header) == 1:
        for separator, name in ((';', 'semicolon'), ('\t', 'tab')):
            if separator in header[0]:
                raise FileError(
                    'separator',
                    f'the file looks {name}-separated: columns must be separated with a comma '
                    '(,). In a spreadsheet, save as "CSV (comma delimited)"',
                    line=line,
                )
    known_set = set(known)
    unknown = [name for name in header if name not in known_set]
    seen, duplicates = set(), []
    for name in header:
        if name in seen and name not in duplicates:
            duplicates.append(name)
        seen.add(name)
    problems = []
    if unknown:
        problems.append(f'unknown column(s): {_quote_names(unknown)}')
    if duplicates:
        problems.append(f'column(s) named twice: {_quote_names(duplicates)}')
    if problems:
        raise FileError(
            'header',
            f'{"; ".join(problems)}. Names are case-sensitive; the valid columns are: '
            f'{", ".join(known)}',
            line=line,
        )


def _quote_names(names):
    quoted = ', '.join(f'"{name[:40]}"' for name in names[:LISTED_NAMES])
    if len(names) > LISTED_NAMES:
        quoted += f' and {len(names) - LISTED_NAMES} more'
    return quoted


def _quoting_error(exc, start_line, current_line):
    reason = str(exc)
    if 'field larger than field limit' in reason:
        message = (f'a cell of the row starting on line {start_line} is larger than '
                   f'{csv.field_size_limit()} characters: check for an unclosed quote (")')
    elif 'unexpected end of data' in reason:
        message = (f'the quote (") opened in the row starting on line {start_line} is never '
                   'closed: a quoted cell must end with a quote')
    else:
        message = (f'line {current_line} is not valid CSV ({reason}): inside a quoted cell, '
                   'write a quote as two quotes ("")')
    return FileError('quoting', message, line=start_line)
