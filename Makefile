# Two commands: `make demo` runs the main job on SQLite, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
CONSTRAINTS ?= constraints/bookworm.txt
# The real wazo-confd, xivo-dao and Wazo libraries as wheels (on no registry): see README.
WAZO_WHEELHOUSE ?= ../shared/wazo/wheelhouse
# The real wazo-ui and the clients it imports, as wheels (see docs/wazo-ui.md).
UI_WHEELHOUSE ?= ../shared/wazo/ui-wheelhouse
# The real asterisk schema's data (populate.sql, confd's test seed, the PJSIP doc).
WAZO_DATA ?= $(abspath ../shared/wazo/data)
BIN = $(VENV)/bin
DEMO = build/demo

.PHONY: demo test unit integration services clean lint format wazo-ui

$(BIN)/.installed: setup.py wazo-ui-plugin/setup.py $(CONSTRAINTS) constraints/wazo.txt \
		constraints/wazo-ui.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade 'pip>=23'
	$(BIN)/pip install -q -c $(CONSTRAINTS) -e '.[test]'
	@if ls $(WAZO_WHEELHOUSE)/*.whl >/dev/null 2>&1; then \
	  $(BIN)/pip install -q -c $(CONSTRAINTS) -r constraints/wazo.txt && \
	  $(BIN)/pip install -q --no-deps $(WAZO_WHEELHOUSE)/*.whl; \
	else echo "no wheels in $(WAZO_WHEELHOUSE): the tests against the real wazo-confd will skip"; fi
	@if ls $(WAZO_WHEELHOUSE)/*.whl $(UI_WHEELHOUSE)/*.whl >/dev/null 2>&1; then \
	  $(BIN)/pip install -q -c $(CONSTRAINTS) -c constraints/wazo.txt -r constraints/wazo-ui.txt && \
	  $(BIN)/pip install -q --no-deps $(UI_WHEELHOUSE)/*.whl; \
	else echo "no wheels in $(UI_WHEELHOUSE): the tests against the real wazo-ui will skip"; fi
	$(BIN)/pip install -q --no-deps -e wazo-ui-plugin
	$(BIN)/pip check  # the wazo-ui pins must not have moved one of confd's
	touch $@

demo: $(BIN)/.installed
	mkdir -p $(DEMO) && rm -f $(DEMO)/users_csv.db  # a fresh database; host.yml stays
	cd $(DEMO) && ../../$(BIN)/wazo-confd-users-csv db upgrade
	cd $(DEMO) && ../../$(BIN)/wazo-confd-users-csv reference load ../../examples/reference.yml
	cd $(DEMO) && ../../$(BIN)/wazo-confd-users-csv import ../../examples/seed-phones.csv
	cd $(DEMO) && ../../$(BIN)/wazo-confd-users-csv import ../../examples/all-groups.csv
	@echo "Database: $(DEMO)/users_csv.db"

test: $(BIN)/.installed services
	WAZO_DATA=$(WAZO_DATA) $(BIN)/python -m pytest -q unit_tests integration_tests

# The unit tests in seconds: without the slow ones (fuzzing), which `make test` runs.
unit: $(BIN)/.installed
	$(BIN)/python -m pytest -q -m 'not slow' unit_tests

# black, isort and flake8 as wazo-confd runs them, SPDX headers, mypy on the typed seams.
LINTED = wazo_confd_users_csv wazo_confd_users_csv_testing wazo-ui-plugin unit_tests integration_tests \
	bench fuzz conftest.py setup.py
$(BIN)/.linters: constraints/lint.txt | $(BIN)/.installed
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

clean:
	rm -rf $(VENV) build
