# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real wazo-confd with this plugin, in one process, for people and for tests.

Shared by `make confd` (`launch.py`), the tests of `integration_tests/wazo/` and the benches:

* `schema.py`: Wazo's `asterisk` schema on PostgreSQL, as xivo-manage-db builds it, with the
  two tenants of confd's own test seed;
* `standins.py`: loopback stand-ins for wazo-auth, sysconfd and provd;
* `realauth.py`: the real wazo-auth in a child process, when its virtualenv is there;
* `confd.py`: confd's own configuration loading and `Controller`, served by cheroot;
* `proxy.py`: a TCP forwarder a test can cut (broker or database outages).

Not part of the Debian package: it needs the Wazo wheels (see docs/development.md).
"""
