# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Cells a spreadsheet would run as a formula, written escaped and read back (OWASP's advice
on CSV injection): a cell starting with = + - @, a tab or a carriage return, after any leading
single quotes, gets one more single quote in front. The reader removes exactly that quote, so
every value survives the round trip, and the rule is one line of SQL for the COPY exports."""

import re

TRIGGERS = '=+-@\t\r'
_ESCAPED = re.compile(r"'*[=+\-@\t\r]", re.DOTALL)
_SQL_FIRST = ', '.join("'" + char.replace("'", "''") + "'" for char in TRIGGERS + "'")
_SQL_PATTERN = "'^''*[-=+@\t\r]'"


def escape(value):
    """The cell as exported."""
    if value and _ESCAPED.match(value):
        return "'" + value
    return value


def unescape(cell):
    """The value of a cell as read: an escaped cell loses its first quote."""
    if cell.startswith("'") and _ESCAPED.match(cell):
        return cell[1:]
    return cell


def escape_sql(expression):
    """escape() in PostgreSQL, for a text expression (NULL stays NULL); the cheap test on the
    first character spares the regular expression to almost every cell."""
    return (
        f'CASE WHEN left({expression}, 1) IN ({_SQL_FIRST}) '
        f'AND {expression} ~ {_SQL_PATTERN} '
        f"THEN '''' || {expression} ELSE {expression} END"
    )


def escaped_select(sql, count):
    """SELECT every column of `sql` (`count` of them, any type) as text, escaped."""
    names = [f'c{n}' for n in range(count)]
    cells = ', '.join(escape_sql(f'r.{name}::text') for name in names)
    return f'SELECT {cells} FROM ({sql}) AS r({", ".join(names)})'
