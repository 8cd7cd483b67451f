# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import threading
import time

from wazo_confd_users_csv.database import session as session_module
from wazo_confd_users_csv.database.session import Database


def test_first_sessions_requested_together_all_work(monkeypatch, tmp_path):
    real = session_module.sessionmaker

    def slow_sessionmaker(
        *args, **kwargs
    ):  # widens the window between engine and factory
        time.sleep(0.05)
        return real(*args, **kwargs)

    monkeypatch.setattr(session_module, 'sessionmaker', slow_sessionmaker)
    database = Database(f'sqlite:///{tmp_path / "race.db"}')
    failures = []

    def first_use():
        try:
            with database.session() as session:
                session.execute(session_module.sa.text('SELECT 1'))
        except Exception as exc:  # noqa: BLE001 - any failure is the bug
            failures.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    threads[0].start()
    time.sleep(0.02)  # the others arrive while the first one is binding
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join()
    database.dispose()

    assert failures == []
