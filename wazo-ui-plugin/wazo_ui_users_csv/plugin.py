# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Entry point for wazo-ui (group wazo_ui.plugins, name users_csv)."""


class Plugin:
    def load(self, dependencies):
        raise NotImplementedError
