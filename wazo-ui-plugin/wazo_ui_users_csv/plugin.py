# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""Entry point for wazo-ui (group wazo_ui.plugins, name users_csv). Wiring only.

wazo-ui's stevedore loads it when `enabled_plugins: {users_csv: true}` (the snippet
/etc/wazo-ui/conf.d/50-users-csv.yml of the package wazo-ui-plugin-users-csv). wazo-ui's own
modules are imported in load(): the entry point resolves without them (the package's checks).
"""

DEFAULT_MAX_BODY_BYTES = 40 * 1024 * 1024  # as the standalone host's default
DEFAULT_TIMEOUT = 600  # seconds for confd's answer: a 100,000-row import takes minutes


class Plugin:
    def load(self, dependencies):
        from . import proxy, view

        app = dependencies['flask']
        settings = dependencies['config'].get('users_csv') or {}
        confd = proxy.ConfdProxy(
            dependencies['clients']['wazo_confd'],
            max_body_bytes=settings.get('max_body_bytes', DEFAULT_MAX_BODY_BYTES),
            timeout=settings.get('timeout', DEFAULT_TIMEOUT),
        )
        blueprint = view.build_blueprint(confd)
        app.register_blueprint(blueprint)
