# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import csv
import io
import re


def make_csv(rows, header=None):
    """CSV text from dicts; the header is the union of their keys in first-seen order."""
    if header is None:
        header = []
        for row in rows:
            header += [key for key in row if key not in header]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator='\n')
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def user(firstname='John', **values):
    return dict({'entity_id': '1', 'firstname': firstname}, **values)


def phone(exten, protocol='sip', context='default', **values):
    return dict(
        {'exten': exten, 'context': context, 'line_protocol': protocol}, **values
    )


def bare(error):
    """An error's message without where it is ("line 4 (Eve Ernst), ") and what the first
    message adds about the others (" — 1 of 3 errors, ..."): the problem and remedy."""
    message = error['message'].split(' \u2014 1 of ')[0]
    details = error['details']
    if details.get('row_number') is None:
        return message
    column = details.get('column')
    if column and f'{column}: ' in message:
        return message[message.index(f'{column}: ') :]
    return re.sub(r'^line \d+( \(.*?\))?: ', '', message, flags=re.DOTALL)


def errors_of(response):
    return [
        (e['details'].get('row_number'), e['details'].get('column'), bare(e))
        for e in response.json()['errors']
    ]
