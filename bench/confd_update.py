# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Update inside the real wazo-confd, side by side with confd's own per-resource PUTs making the
same changes (docs/benchmarks.md).

    WAZO_DATA=../shared/wazo/data .venv/bin/python bench/confd_update.py 10000 [--sample 200]
        [--keep-names]

N full users (user, SIP line, extension, voicemail, incall, wazo-auth user) are imported (not
timed). Each user then gets four changes: last name, number, voicemail name, SIP secret. confd's
way is four PUTs a user (/users, /extensions, /voicemails, /endpoints/sip), timed on `--sample`
users; ours is one CSV of the N users' exported rows with the changes, timed whole. Both go
through the same confd process and HTTP stack; wazo-auth's stand-in runs in its own process.
A new last name is also a wazo-auth edit for us (confd's PUT leaves wazo-auth behind);
`--keep-names` changes the ring time instead: the database work alone.
"""

import argparse
import csv
import io
import os
import sys
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.confd_import import bench_confd, full_file, wait_relayed  # noqa: E402
from wazo_confd_users_csv_testing.standins import MASTER  # noqa: E402

IDS = '''
SELECT u.uuid, u.id, le.extension_id, u.voicemailid, l.endpoint_sip_uuid
FROM userfeatures u JOIN user_line ul ON ul.user_id = u.id AND ul.main_line
JOIN linefeatures l ON l.id = ul.line_id
JOIN line_extension le ON le.line_id = l.id AND le.main_extension
ORDER BY u.id
'''


def changed_file(text, rows, keep_names):
    """The export with every row's four changes."""
    reader = csv.DictReader(io.StringIO(text))
    out = io.StringIO()
    writer = csv.DictWriter(out, reader.fieldnames, lineterminator='\n')
    writer.writeheader()
    for n, row in enumerate(reader):
        row.update(
            exten=str(150000 + n),
            voicemail_name=f'Changed VM {n}',
            sip_secret=f'newsecret{n}',
        )
        row.update(
            {'ring_seconds': '45'} if keep_names else {'lastname': f'Changed{n}'}
        )
        writer.writerow(row)
    assert n + 1 == rows
    return out.getvalue().encode()


def confd_way(confd, users, keep_names):
    """confd's own API: four PUTs a user, one after the other, as a script would."""
    session = requests.Session()
    headers = {'X-Auth-Token': 'admin-token', 'Wazo-Tenant': MASTER}

    def put(path, body):
        response = session.put(confd.url + path, json=body, headers=headers, timeout=60)
        assert response.status_code == 204, (path, response.text)

    started = time.perf_counter()
    for n, user in enumerate(users):
        put(
            f'/users/{user["uuid"]}',
            (
                {'ring_seconds': 50}
                if keep_names
                else {'lastname': f'Rest{n}', 'caller_id': f'"First{n} Rest{n}"'}
            ),
        )
        put(
            f'/extensions/{user["extension_id"]}',
            {'exten': str(190000 + n), 'context': 'default'},
        )
        put(f'/voicemails/{user["voicemailid"]}', {'name': f'Rest VM {n}'})
        put(
            f'/endpoints/sip/{user["endpoint_sip_uuid"]}',
            {'auth_section_options': [['username', f'u{n}'], ['password', f'rest{n}']]},
        )
    return time.perf_counter() - started


def run(rows, sample, keep_names=False):
    with bench_confd() as confd:
        response = confd.post_csv(full_file(rows, False), tenant=MASTER)
        assert response.status_code == 201, response.text[:500]
        wait_relayed(confd)
        exported = confd.request(
            'GET',
            '/users/export',
            tenant=MASTER,
            headers={'Accept': 'text/csv; charset=utf-8'},
        )
        body = changed_file(exported.text, rows, keep_names)
        users = confd.sql(IDS)
        theirs = confd_way(confd, users[-sample:], keep_names)

        started = time.perf_counter()
        response = confd.put_csv(body, tenant=MASTER)
        ours = time.perf_counter() - started
        assert response.status_code == 200, response.text[:500]
        relayed = wait_relayed(confd) - started
        check = confd.sql(
            "SELECT count(*) AS n FROM voicemail WHERE fullname LIKE 'Changed%'"
        )
        assert check[0]['n'] == rows
        return {'theirs_per_user': theirs / sample, 'ours': ours, 'relayed': relayed}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('rows', type=int)
    parser.add_argument(
        '--sample',
        type=int,
        default=200,
        help='users changed the confd way (four PUTs each)',
    )
    parser.add_argument(
        '--keep-names',
        action='store_true',
        help='change the ring time, not the last name (no wazo-auth edit)',
    )
    args = parser.parse_args()
    result = run(args.rows, args.sample, args.keep_names)
    theirs = result['theirs_per_user'] * args.rows
    print(
        f'UPDATE rows={args.rows} keep_names={args.keep_names} '
        f'confd_puts_ms_per_user={result["theirs_per_user"] * 1000:.1f} '
        f'confd_puts_for_all_s={theirs:.1f} ours_s={result["ours"]:.2f} '
        f'ours_ms_per_user={result["ours"] / args.rows * 1000:.2f} '
        f'ratio={theirs / result["ours"]:.0f}x '
        f'events_on_broker_after={result["relayed"]:.2f}'
    )


if __name__ == '__main__':
    main()
