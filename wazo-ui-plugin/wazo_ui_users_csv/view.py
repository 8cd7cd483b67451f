# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The page inside wazo-ui's layout, under Telephony → User Management, and its routes.

The page is the project's one page (wazo_confd_users_csv/ui): its body is rendered in
wazo-ui's base template, with its own app.js and style.css, and told to call this plugin's
routes with wazo-ui's session (data-auth="session"): the session's token stays on the server.
"""

from flask import Response, abort, render_template, session, url_for
from flask_babel import lazy_gettext as l_
from flask_login import current_user
from markupsafe import Markup
from wazo_ui.helpers.classful import LoginRequiredView
from wazo_ui.helpers.menu import menu_item, register_flaskview
from wazo_ui.helpers.plugin import create_blueprint

from wazo_confd_users_csv import ui

from .proxy import csrf_token

NAME = 'users_csv'
ASSETS = ('app.js', 'style.css')


class UsersCsvView(LoginRequiredView):
    @menu_item('.ipbx', l_('Telephony'), multi_tenant=True)
    @menu_item(
        '.ipbx.user_management',
        l_('User Management'),
        order=1,
        icon='users',
        multi_tenant=True,
    )
    @menu_item(
        '.ipbx.user_management.users_csv',
        l_('Users CSV'),
        order=2,
        icon='file-text-o',
        multi_tenant=True,
    )
    def index(self):
        return render_template(
            'users_csv/index.html',
            page=Markup(ui.page_body()),  # the project's own HTML: no data in it
            api=url_for(f'{NAME}.api_root').rstrip('/'),
            csrf=csrf_token(),
            tenant=working_tenant(),
        )


def working_tenant():
    """The tenant wazo-ui's selector has chosen (what every call acts on): uuid and name."""
    uuid = current_user.get_tenant_uuid() or ''
    for tenant in session.get('tenants') or []:
        if tenant.get('uuid') == uuid:
            return {'uuid': uuid, 'name': tenant.get('name') or uuid}
    return {'uuid': uuid, 'name': uuid}


def asset(name):
    if name not in ASSETS:
        abort(404)
    return Response(
        ui.content(name),
        content_type=f'{ui.ASSETS[name]}; charset=utf-8',
        headers={'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff'},
    )


def build_blueprint(confd):
    blueprint = create_blueprint(NAME, __name__)
    UsersCsvView.register(blueprint, route_base='/users_csv')
    register_flaskview(blueprint, UsersCsvView)
    blueprint.add_url_rule('/users_csv/assets/<name>', 'asset', asset)
    # the page's API: the same paths as confd's, under one base URL
    blueprint.add_url_rule('/users_csv/api/', 'api_root', confd.not_found)
    blueprint.add_url_rule(
        '/users_csv/api/import', 'import', confd.job, methods=['POST', 'PUT']
    )
    blueprint.add_url_rule('/users_csv/api/import/columns', 'columns', confd.columns)
    # the jobs (Prefer: respond-async): listed, followed, cancelled in the working tenant
    blueprint.add_url_rule('/users_csv/api/import/jobs', 'jobs', confd.jobs)
    blueprint.add_url_rule(
        '/users_csv/api/import/jobs/<uuid:job_uuid>',
        'job',
        confd.one_job,
        methods=['GET', 'DELETE'],
    )
    blueprint.add_url_rule('/users_csv/api/export', 'export', confd.export)
    return blueprint
