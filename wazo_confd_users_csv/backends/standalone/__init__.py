# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The standalone host's store, by phase: lookups and current state (reads), writer (creates
and updates in bulk, generated values, hashed logins), events, export, routes and wiring.
Its tables and migrations are in `database/`."""
