# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Entry point for wazo-confd (group wazo_confd.plugins, name users_csv). Wiring only: inside
wazo-confd the Wazo backend, on the standalone host its own store."""


def inside_confd(dependencies):
    """wazo-confd's Controller gives its plugins these; the standalone host does not."""
    return 'bus_publisher' in dependencies and 'middleware_handle' in dependencies


class Plugin:
    def load(self, dependencies):
        if inside_confd(dependencies):
            from .backends.wazo.plugin import load as load_inside_confd

            self.outbox = load_inside_confd(dependencies)
            return
        from .backends.standalone.plugin import load as load_standalone

        self.components = load_standalone(dependencies)
