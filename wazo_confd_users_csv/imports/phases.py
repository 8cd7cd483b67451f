# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where a job's time goes, phase by phase, for its log line (and the bench, which reads it):
a regression then shows in the phase that got slower."""

import time
from contextlib import contextmanager

# In the order a job runs them. read: the file to typed cells; lookups: what the rows refer
# to; check: every rule of every row; plan: what each good row makes; generate: values the
# file left empty; write: the bulk writes (standalone host: also waiting for the login
# hashes, collected before the users' table); outbox: the events made and stored, then the
# commit (inside confd also waiting for wazo-auth).
NAMES = ('read', 'lookups', 'check', 'plan', 'generate', 'write', 'outbox')


class Phases:
    __slots__ = ('seconds',)

    def __init__(self):
        self.seconds = dict.fromkeys(NAMES, 0.0)

    def add(self, name, seconds):
        self.seconds[name] += seconds

    @contextmanager
    def timing(self, name):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)

    def log_text(self):
        """read:40,lookups:300,... in milliseconds."""
        return ','.join(
            f'{name}:{seconds * 1000:.0f}' for name, seconds in self.seconds.items()
        )


def parse(text):
    """{phase: seconds} from log_text's form."""
    found = {}
    for part in text.split(','):
        name, _, milliseconds = part.partition(':')
        found[name] = int(milliseconds) / 1000
    return found
