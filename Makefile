# The README's two commands: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= aidatlas.db
SEEDS  := $(wildcard ../shared/seeds)
HOST   ?= 127.0.0.1
PORT   ?= 8000

CHROMIUM := /usr/bin/chromium

.PHONY: run test install install-dev lint typecheck pytest bench clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; never `playwright install`).
# Installed when make runs as root with apt-get; elsewhere the browser tests skip and say why.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "note: $(CHROMIUM) is missing and cannot be installed here (needs root and apt-get):" \
		"the browser tests will skip"; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(CHROMIUM)

## run: load the sample documents (and ../shared/seeds when present) into SQLite and serve on localhost
run: install
	$(BIN)/aidatlas ingest --db $(DB) samples $(SEEDS) || true
	$(BIN)/aidatlas serve --db $(DB) --host $(HOST) --port $(PORT)

## test: ruff, mypy and the whole pytest suite
test: install-dev lint typecheck pytest

lint: install-dev
	$(BIN)/ruff check aidatlas tests benchmarks scripts

typecheck: install-dev
	$(BIN)/mypy aidatlas

pytest: install-dev
	$(BIN)/pytest

## messages: extract the UI's texts to messages.pot, update every catalogue, regenerate sr_Cyrl from sr_Latn
LOCALES  := aidatlas/web/locale
EDITABLE := bs hr sr_Latn sq mk
messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 -k pgettext:1c,2 -k npgettext:1c,2,3 \
		--no-location --sort-output --no-wrap --project aidatlas --copyright-holder "aidatlas contributors" \
		-o $(LOCALES)/messages.pot .
	for l in $(EDITABLE); do $(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$l \
		--no-wrap --ignore-obsolete --init-missing || exit 1; done
	$(BIN)/python scripts/cyrillic.py $(LOCALES)/sr_Latn/LC_MESSAGES/messages.po $(LOCALES)/sr_Cyrl/LC_MESSAGES/messages.po

bench: install-dev
	for b in benchmarks/*.py; do $(BIN)/python $$b --quick || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache $(DB) $(DB)-wal $(DB)-shm
