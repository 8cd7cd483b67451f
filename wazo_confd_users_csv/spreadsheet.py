# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The export's two forms. Raw (the default, as confd's built-in export): every cell as stored.
Spreadsheet (`?spreadsheet=true`, the page's downloads): a UTF-8 BOM, and the cells a
spreadsheet would run as a formula escaped as OWASP advises on CSV injection: a cell starting
with = + - @, a tab or a carriage return, after any leading single quotes, gets one more single
quote in front. So does each part of a cell after a `;`: a spreadsheet whose list separator is
`;` (Excel in much of Europe) splits `x;=1+1` into two cells, the second a formula. The reader
removes exactly those quotes from a file in the spreadsheet form (`is_spreadsheet_form`), so
both forms survive the round trip, and the rule is one expression of SQL for the COPY exports.

Either form: an empty cell is null (never `""`), lines end with CRLF, as Python's csv module
writes them (confd's built-in export)."""

import re

TRIGGERS = '=+-@\t\r'
# A part of a cell (its start, or what follows a `;`), any quotes, then a trigger.
_PART = re.compile(r"(^|;)('*[=+\-@\t\r])")
_ESCAPED_PART = re.compile(r"(^|;)'('*[=+\-@\t\r])")
_SQL_FIRST = ', '.join("'" + char.replace("'", "''") + "'" for char in TRIGGERS + "'")
_SQL_PART = "'(^|;)(''*[-=+@\t\r])'"
_SQL_WITH_QUOTE = r"'\1''\2'"


def escape(value):
    """The cell as exported: one more quote in front of each formula-like part."""
    if value and (value[0] in TRIGGERS or value[0] == "'" or ';' in value):
        return _PART.sub(r"\1'\2", value)
    return value


def unescape(cell):
    """The value of a cell as read: each escaped part loses its first quote."""
    if "'" in cell:
        return _ESCAPED_PART.sub(r'\1\2', cell)
    return cell


def escape_sql(expression):
    """escape() in PostgreSQL, for a text expression (NULL stays NULL); the cheap test on the
    first character and on `;` spares the regular expression to almost every cell."""
    return (
        f'CASE WHEN left({expression}, 1) IN ({_SQL_FIRST}) '
        f"OR strpos({expression}, ';') > 0 "
        f"THEN regexp_replace({expression}, {_SQL_PART}, {_SQL_WITH_QUOTE}, 'g') "
        f'ELSE {expression} END'
    )


def text_select(sql, count, spreadsheet=False):
    """SELECT every column of `sql` (`count` of them, any type) as text, an empty one as null
    (COPY would quote it `""`), escaped for the spreadsheet form."""
    names = [f'c{n}' for n in range(count)]
    cells = [f"NULLIF(r.{name}::text, '')" for name in names]
    if spreadsheet:
        cells = [escape_sql(cell) for cell in cells]
    return f'SELECT {", ".join(cells)} FROM ({sql}) AS r({", ".join(names)})'


# Files in these charsets come from a spreadsheet's plain "CSV" save (Windows, old Macs).
SPREADSHEET_CHARSETS = ('cp1252', 'iso8859-1', 'iso8859-15')
BOMS = (b'\xef\xbb\xbf', b'\xff\xfe', b'\xfe\xff')


def is_spreadsheet_form(body, codec_name):
    """Whether a file's escaped cells are read back: the spreadsheet form starts with a BOM,
    as Excel's "CSV UTF-8" keeps it; a plain "CSV" save is in a Windows charset. A file
    without either (the raw form, a script's file) is read as it is."""
    return body.startswith(BOMS) or codec_name in SPREADSHEET_CHARSETS
