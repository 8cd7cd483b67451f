# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Wazo backend: inside wazo-confd, the users are Wazo's own (xivo-dao's tables).

Imported only inside wazo-confd: it needs xivo-dao, wazo-bus and confd's helpers.
"""
