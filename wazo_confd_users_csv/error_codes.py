# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every code an answer's errors and warnings may carry, where it applies and what it means.

The table of docs/csv-format.md is rendered from here (docs.py); a unit test checks that every
code the sources raise is listed and every listed code is raised somewhere.
"""

FILE, ROW, REQUEST, WARNING = 'file', 'row', 'request', 'warning'

CODES = {
    # the file as a whole (details: line)
    'charset': (FILE, 'the `charset` parameter is not one of the text charsets read'),
    'encoding': (
        FILE,
        'a line is not valid in the file\'s charset (UTF-8 unless said)',
    ),
    'binary': (FILE, 'a NUL byte: not a text file'),
    'separator': (FILE, 'the header looks separated by `;` or tabs instead of commas'),
    'header': (
        FILE,
        'a column name that misses a column by its spelling (`voicemail_adress`), a name '
        'given twice; an update without a `uuid` column',
    ),
    'quoting': (FILE, 'a quoted cell is never closed'),
    'looks_like_export': (
        FILE,
        'most rows of a create name existing users by uuid: an export sent back to POST '
        '(send it as an update)',
    ),
    'too_many_rows': (FILE, 'more rows than `max_rows` (413)'),
    'truncated': (
        FILE,
        'the upload ended before its Content-Length: the connection was cut',
    ),
    # one row (details: row_number, line, column, the row with secrets masked)
    'row_shape': (ROW, 'more or fewer cells than the header has columns'),
    'invalid': (ROW, 'a cell that its column\'s type or allowed values refuse'),
    'required': (ROW, 'a required cell is empty (always, in its group, or on update)'),
    'duplicate_in_file': (
        ROW,
        'an earlier row of the file already takes this unique value',
    ),
    'conflict_in_file': (ROW, 'rows sharing a voicemail edit it in different ways'),
    'too_long': (
        ROW,
        'inside confd: a value (or the caller id the names make) longer than Wazo\'s '
        'column',
    ),
    'taken': (ROW, 'the value is already used in the database'),
    'out_of_range': (ROW, 'an extension outside the context\'s ranges'),
    'unknown_context': (
        ROW,
        'no such context (in the request\'s tenant, inside confd)',
    ),
    'wrong_context_type': (ROW, 'a context of the wrong type (internal / incall)'),
    'wrong_entity': (
        ROW,
        'a context of another entity than the user\'s (standalone host)',
    ),
    'unknown_entity': (ROW, 'no such entity (standalone host)'),
    'entity_mismatch': (
        ROW,
        'a second entity in one file (inside confd: one tenant a file)',
    ),
    'unknown_call_permission': (ROW, 'no such call permission'),
    'unknown_cti_profile': (ROW, 'no such CTI profile (standalone host)'),
    'unknown_user': (ROW, 'an update names a uuid no user has'),
    'misaligned': (ROW, 'the `;` lists of the incall columns have different lengths'),
    'several_incalls': (ROW, 'an update of the incall of a user who has several'),
    'protocol_change': (ROW, 'an update changes a line\'s protocol'),
    'sip_only': (ROW, 'a SIP column on a line that is not SIP'),
    'email_required': (
        ROW,
        'a voicemail deleting messages once emailed, without an email',
    ),
    'no_sip_template': (ROW, 'the tenant has no SIP templates yet (inside confd)'),
    'auth_refused': (ROW, 'wazo-auth refused the row\'s login (taken username)'),
    # the request (the status says which: 401, 409, 413, 415, 503, ...)
    'error': (
        REQUEST,
        'token, size, media type, concurrency or an unreachable service: the '
        'message says what and what to do',
    ),
    # warnings of a successful answer (`warnings`)
    'empty': (WARNING, 'nothing at all, not even a header: nothing was imported'),
    'no_rows': (WARNING, 'a header and no rows: nothing was imported'),
    'ignored_columns': (
        WARNING,
        'columns that are not in the format (as confd\'s built-in import, their cells are '
        'ignored)',
    ),
    'entity_as_tenant': (WARNING, '`entity_id` was read as the request\'s tenant'),
    'cti_profile_ignored': (
        WARNING,
        '`cti_profile_name` has no meaning in Wazo any more',
    ),
}
