# Huxiao — two commands for a new machine: `make demo` and `make test`.
# The first interpreter that actually runs and is 3.11+ (a pyenv shim may exist for a version
# that is not installed, so each candidate is run, not just looked up).
PY ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=
# pytest-xdist: one worker per core; a test module stays on one worker (its shared fixtures).
TEST_WORKERS ?= auto
TEST_VAR ?= $(CURDIR)/var/test
PYTEST = HUXIAO_VAR_DIR=$(TEST_VAR) $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile
# The day `make test-clock` moves the clock to: a Monday of the 2027 summer holidays, more than
# six months ahead of this suite's writing, in a year the bundled holiday data does not know.
TEST_NOW ?= 2027-07-26T10:00:00+08:00
# What `make test-clock` runs: the tests of dates (the demo, deadlines, reminders, escalation,
# rosters, school days, statistics, ages and certificates, "today" labels, retention).
DATE_SENSITIVE ?= tests/demo tests/reports tests/inspections tests/patrols tests/persons tests/schools tests/alarms \
	tests/core/test_audit_chain.py tests/core/test_my_tasks_page.py tests/core/test_one_clock.py \
	tests/core/test_pages_audit.py tests/core/test_pages_home.py \
	tests/core/test_pages_notifications.py tests/core/test_pages_profile.py \
	tests/core/test_workcalendar.py tests/core/test_worklist.py tests/system/test_monitor.py \
	tests/system/test_monitor_tasks.py

.PHONY: install install-test demo serve test test-clock test-pg fuzz rehearsal lint messages clean-demo

$(BIN)/python:
	@test -n "$(PY)" || { echo "Huxiao needs Python 3.11 or newer on PATH (or make ... PY=/path/to/python3.11)"; exit 1; }
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Huxiao needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make demo [PORT=8001]: migrate a SQLite database under var/, seed the demo city, serve it.
demo: install
	$(BIN)/huxiao manage migrate --noinput -v 0
	$(BIN)/huxiao seed demo
	$(BIN)/huxiao serve --host $(HOST) --port $(PORT)

## make test: the whole suite on SQLite (DATABASE_URL=postgres://... to run it on PostgreSQL).
test: install-test
	$(PYTEST) $(PYTEST_ARGS)

## make test-clock [TEST_NOW=...] [DATE_SENSITIVE=tests]: the tests of dates without the browser,
## the clock moved to TEST_NOW (every "today" of the code and the tests follows it; docs/testing.md).
test-clock: TEST_VAR = $(CURDIR)/var/test-clock
test-clock: install-test
	HUXIAO_TEST_NOW=$(TEST_NOW) $(PYTEST) -m "not browser" $(DATE_SENSITIVE) $(PYTEST_ARGS)

## make messages: each app's English catalogue (<app>/locale/) and the one of the strings outside
## the apps (huxiao/locale/), updated from the sources and compiled (docs/ui.md, "Translations").
APPS = core schools inspections persons patrols alarms gate preparedness system reports
messages: install
	for app in $(APPS); do (cd src/huxiao/$$app && mkdir -p locale && $(CURDIR)/$(BIN)/huxiao manage makemessages -l en --no-obsolete --ignore 'static/*') || exit 1; done
	cd src/huxiao && $(CURDIR)/$(BIN)/huxiao manage makemessages -l en --no-obsolete --ignore 'static/*' $(foreach app,$(APPS),--ignore '$(app)/*')
	cd src/huxiao && $(CURDIR)/$(BIN)/huxiao manage compilemessages -l en

## make lint: ruff, and the one-way dependencies between modules (import-linter, pyproject.toml).
## make fuzz: schemathesis over the whole OpenAPI document, as a police and an administrator
## token, bounded and deterministic (tests/fuzz); no answer may be a 5xx or undeclared.
fuzz: TEST_VAR = $(CURDIR)/var/test-fuzz
fuzz: TEST_WORKERS = 0
fuzz: install-test
	$(PYTEST) -m fuzz tests/fuzz $(PYTEST_ARGS)

## make rehearsal [REHEARSAL_ARGS=--ticks 2]: the scale-out deployment of README.md rehearsed on
## loopback (ops/rehearsal.py): a fresh PostgreSQL database and Redis name at 127.0.0.1, an S3
## server (moto), two gunicorn, uvicorn and two workers, and a smoke test across them
## (docs/operations.md, "Rehearsal"); everything is removed afterwards.
REHEARSAL_ARGS ?=
rehearsal: install-test
	$(BIN)/python ops/rehearsal.py $(REHEARSAL_ARGS)

lint: install-test
	$(BIN)/ruff check src tests bench ops
	$(BIN)/ruff format --check src tests bench ops
	$(BIN)/lint-imports

clean-demo:
	rm -f var/huxiao.sqlite3* var/tasks.sqlite3*
