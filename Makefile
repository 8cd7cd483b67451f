# Two commands: `make demo` runs the main job on SQLite, `make test` runs every test.
# `make confd` serves the plugin inside the real wazo-confd until Ctrl-C (docs/development.md).
PYTHON ?= python3
VENV ?= .venv
CONSTRAINTS ?= constraints/bookworm.txt
# The real wazo-confd, xivo-dao and Wazo libraries as wheels (on no registry): see
# docs/development.md. Without them the tests against the real confd skip, and make confd says so.
WAZO_WHEELHOUSE ?= ../shared/wazo/wheelhouse
# The real wazo-ui and the clients it imports, as wheels (see docs/wazo-ui.md).
UI_WHEELHOUSE ?= ../shared/wazo/ui-wheelhouse
WAZO_WHEELS = $(wildcard $(WAZO_WHEELHOUSE)/*.whl)
# The real asterisk schema's data (populate.sql, confd's test seed, the PJSIP doc).
WAZO_DATA ?= $(abspath ../shared/wazo/data)
# The real wazo-auth for make confd (optional: make wazo-auth builds it; python-ldap compiles).
WAZO_AUTH ?= ../shared/wazo/auth
WAZO_AUTH_VENV ?= .venv-auth
BIN = $(VENV)/bin
DEMO = build/demo
PORT ?= 0

.PHONY: demo test unit integration services clean lint format wazo-ui confd wazo-auth deb

# Rebuilt when the wheels appear (or change): the confd tests then run instead of skipping.
$(BIN)/.installed: setup.py wazo-ui-plugin/setup.py $(CONSTRAINTS) constraints/wazo.txt \
		constraints/wazo-ui.txt $(WAZO_WHEELS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade 'pip>=23'
	@# psycopg2 built from source (an older venv) shares its files with psycopg2-binary: with it
	@# there, both go, and the install below puts psycopg2-binary back whole
	@if $(BIN)/pip show -q psycopg2 2>/dev/null; then \
	  $(BIN)/pip uninstall -y -q psycopg2 psycopg2-binary; fi
	$(BIN)/pip install -q -c $(CONSTRAINTS) -e '.[test]'
	@if [ -n "$(WAZO_WHEELS)" ]; then \
	  $(BIN)/pip install -q -c $(CONSTRAINTS) -r constraints/wazo.txt && \
	  $(BIN)/pip install -q --no-deps $(WAZO_WHEELS); \
	else echo "no wheels in $(WAZO_WHEELHOUSE): the tests against the real wazo-confd will skip" \
	  "(docs/development.md says how to get them)"; fi
	@if ls $(WAZO_WHEELHOUSE)/*.whl $(UI_WHEELHOUSE)/*.whl >/dev/null 2>&1; then \
	  $(BIN)/pip install -q -c $(CONSTRAINTS) -c constraints/wazo.txt -r constraints/wazo-ui.txt && \
	  $(BIN)/pip install -q --no-deps $(UI_WHEELHOUSE)/*.whl; \
	else echo "no wheels in $(UI_WHEELHOUSE): the tests against the real wazo-ui will skip"; fi
	$(BIN)/pip install -q --no-deps -e wazo-ui-plugin
	$(BIN)/pip check  # the wazo-ui pins must not have moved one of confd's
	touch $@

CLI = $(abspath $(BIN))/wazo-confd-users-csv
EXAMPLES = $(abspath examples)
demo: $(BIN)/.installed
	mkdir -p $(DEMO) && rm -f $(DEMO)/users_csv.db  # a fresh database; host.yml stays
	cd $(DEMO) && $(CLI) db upgrade
	cd $(DEMO) && $(CLI) reference load $(EXAMPLES)/reference.yml
	cd $(DEMO) && $(CLI) import $(EXAMPLES)/seed-phones.csv
	cd $(DEMO) && $(CLI) import $(EXAMPLES)/all-groups.csv
	@echo "Database: $(DEMO)/users_csv.db"

test: $(BIN)/.installed services
	WAZO_DATA=$(WAZO_DATA) $(BIN)/python -m pytest -q unit_tests integration_tests

# The unit tests in seconds: without the slow ones (fuzzing), which `make test` runs.
unit: $(BIN)/.installed
	$(BIN)/python -m pytest -q -m 'not slow' unit_tests

# The real wazo-confd with this plugin on a fresh Wazo database, until Ctrl-C (PORT=0: a free one).
confd: $(BIN)/.installed services
	WAZO_DATA=$(WAZO_DATA) $(BIN)/python -m wazo_confd_users_csv_testing.launch --port $(PORT) \
	  $(if $(WAZO_AUTH_VENV),--wazo-auth $(WAZO_AUTH_VENV))

# The real wazo-auth's own virtualenv: make confd then uses it instead of the stand-in.
wazo-auth: $(WAZO_AUTH_VENV)/.installed
$(WAZO_AUTH_VENV)/.installed: $(WAZO_AUTH)/auth-pins.txt
	dpkg -s libldap2-dev libsasl2-dev >/dev/null 2>&1 || { apt-get update -qq && \
	  apt-get install -y -qq libldap2-dev libsasl2-dev >/dev/null; }
	$(PYTHON) -m venv $(WAZO_AUTH_VENV)
	$(WAZO_AUTH_VENV)/bin/pip install -q -r $(WAZO_AUTH)/auth-pins.txt -r $(WAZO_AUTH)/../pins.txt
	$(WAZO_AUTH_VENV)/bin/pip install -q --no-deps $(WAZO_AUTH)/wazo_auth-*.whl $(WAZO_WHEELS)
	touch $@

# black, isort and flake8 as wazo-confd runs them, SPDX headers, mypy on the typed seams.
LINTED = wazo_confd_users_csv wazo_confd_users_csv_testing wazo-ui-plugin unit_tests integration_tests \
	bench fuzz conftest.py setup.py
$(BIN)/.linters: constraints/lint.txt $(BIN)/.installed
	$(BIN)/pip install -q -c $(CONSTRAINTS) -r constraints/lint.txt
	touch $@

lint: $(BIN)/.linters
	$(BIN)/black --check -q $(LINTED)
	$(BIN)/isort --check-only -q $(LINTED)
	$(BIN)/flake8 $(LINTED)
	$(BIN)/mypy wazo_confd_users_csv
	@missing=$$(git ls-files '*.py' | xargs grep -L 'SPDX-License-Identifier'); \
	  if [ -n "$$missing" ]; then echo "no SPDX header: $$missing"; exit 1; fi

format: $(BIN)/.linters
	$(BIN)/black -q $(LINTED)
	$(BIN)/isort -q $(LINTED)

# The real wazo-ui and wazo-confd, each with its plugin, on the local PostgreSQL: prints the URL,
# a username and a password; Ctrl-C drops what it made (docs/wazo-ui.md).
wazo-ui: $(BIN)/.installed services
	WAZO_DATA=$(WAZO_DATA) $(BIN)/python -m integration_tests.wazo.wazo_ui_demo

services:
	bash .ci/services

# The Debian package, built in a scratch copy: dist/wazo-confd-users-csv_VERSION_all.deb (the
# tree, build/ with the demo and the parent directory are not touched).
deb:
	bash .ci/build-deb dist

clean:
	rm -rf $(VENV) $(WAZO_AUTH_VENV) build dist
