# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The places users are kept, side by side, each behind the ports of `imports.ports`:

* `standalone`: the standalone host's own tables (SQLite by default, or PostgreSQL), its outbox;
* `wazo`: inside wazo-confd, Wazo's own tables through xivo-dao, confd's tenants, wazo-auth
  users, confd's events and Asterisk reloads (imported only there: it needs confd).
"""
