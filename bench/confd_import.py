"""Our import inside the real wazo-confd: N full rows (user, SIP line, extension, voicemail,
incall) through confd's HTTP stack on a fresh clone of a real asterisk schema.

    WAZO_DATA=../shared/wazo/data .venv/bin/python bench/confd_import.py 2000 [--logins]

Prints the seconds of the request and the SQL statements per row. The built-in's figure on the
same machine comes from ../shared/wazo/bench/upstream_import.py (see README, Speed).
"""
import argparse
import os
import sys
import tempfile
import time
import uuid

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from integration_tests.wazo.conftest import Confd, build_template, clone, drop  # noqa: E402
from integration_tests.wazo.standins import MASTER  # noqa: E402


def full_file(rows, logins):
    header = ('firstname,lastname,exten,context,line_protocol,voicemail_name,voicemail_number,'
              'voicemail_context,incall_exten,incall_context')
    lines = [header + (',username,password' if logins else '')]
    for i in range(rows):
        line = (f'First{i},Last{i},{100000 + i},default,sip,VM {i},{100000 + i},default,'
                f'{200000 + i},from-extern')
        lines.append(line + (f',user{i},secret{i:06d}' if logins else ''))
    return ('\n'.join(lines) + '\n').encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('rows', type=int)
    parser.add_argument('--logins', action='store_true', help='username/password columns')
    args = parser.parse_args()
    suffix = uuid.uuid4().hex[:8]
    template, db = f'users_csv_bench_tpl_{suffix}', f'users_csv_bench_{suffix}'
    build_template(template)
    clone(template, db)
    confd = Confd(tempfile.mkdtemp(), f'users-csv-bench-{suffix}', template)
    confd.use_database(db)
    statements = []
    sa.event.listen(sa.engine.Engine, 'before_cursor_execute',
                    lambda *a, **k: statements.append(1))
    body = full_file(args.rows, args.logins)
    try:
        started = time.perf_counter()
        response = confd.post_csv(body, tenant=MASTER)
        seconds = time.perf_counter() - started
        assert response.status_code == 201, response.text[:500]
        print(f'OURS rows={args.rows} logins={args.logins} seconds={seconds:.2f} '
              f'rows_per_s={args.rows / seconds:.0f} sql_per_row={len(statements) / args.rows:.2f}')
    finally:
        confd.stop()
        from xivo_dao.helpers import db_manager
        db_manager.Session.remove()
        db_manager.Session.get_bind().dispose()
        drop(db)
        drop(template)


if __name__ == '__main__':
    main()
