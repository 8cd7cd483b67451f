# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""docs/export.md lists the columns of the export inside wazo-confd: they are the export's."""

import os
import re

from wazo_confd_users_csv.docs import block

PAGE = os.path.join(os.path.dirname(__file__), '..', '..', 'docs', 'export.md')


def test_the_export_columns_listed_in_the_docs_are_those_of_the_export_in_their_order():
    from wazo_confd_users_csv.backends.wazo import export  # needs xivo-dao

    with open(PAGE, encoding='utf-8') as stream:
        text = stream.read()
    listed = block(
        text,
        '<!-- wazo-export-columns:start -->',
        '<!-- wazo-export-columns:end -->',
    )
    assert tuple(re.findall(r'`([a-z_]+)`', listed)) == export.COLUMNS
