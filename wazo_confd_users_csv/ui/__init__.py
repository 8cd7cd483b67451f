# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The web page's files, one copy for every host.

page.html is the page's body; each host wraps it in an element `#users-csv` whose data
attributes say where the API is (`data-api`) and how it is authenticated (`data-auth`: `token`
pasted in the page, or `session`: the host calls confd itself with its own login), then loads
app.js and style.css. index.html is that wrapper for the standalone host and wazo-confd; the
wazo-ui plugin renders page.html inside wazo-ui's layout.
"""

import os

DIRECTORY = os.path.dirname(os.path.abspath(__file__))
PAGE_MARK = '<!-- users-csv:page -->'
# what a host serves as files, and their types
ASSETS = {
    'index.html': 'text/html',
    'app.js': 'text/javascript',
    'style.css': 'text/css',
}


def read(name):
    with open(os.path.join(DIRECTORY, name), 'rb') as stream:
        return stream.read()


def page_body():
    """The page's body (HTML, no user data): what every host shows."""
    return read('page.html').decode('utf-8')


def content(name):
    """The bytes of an asset; index.html with the page's body in place."""
    data = read(name)
    if name == 'index.html':
        data = data.replace(PAGE_MARK.encode(), page_body().encode('utf-8'))
    return data
