# The README's two commands: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= aidatlas.db
SEEDS  := $(wildcard ../shared/seeds)
HOST   ?= 127.0.0.1
PORT   ?= 8000

CHROMIUM := /usr/bin/chromium

.PHONY: run test install install-dev lint typecheck pytest bench clean axe messages

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

# axe-core (accessibility rules) for the Chromium tests, from the npm registry: one pinned version, its tarball
# checked against the registry's sha512 integrity before anything is unpacked.
AXE_VERSION := 4.14.1
AXE_SHA512  := 1477dafa598d8d065f273d6af302aa203c02e83131707b7fa648cd41bd3d6b734f8c22a0dab86ee6a6f64b8afbe804b214d36db85a2826965edfb3a0b9d546b5
AXE         := $(VENV)/axe/axe.min.js

$(AXE): | $(BIN)/python
	@if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; fi
	@if command -v npm >/dev/null; then \
		tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null) && \
		echo "$(AXE_SHA512)  $$tmp/axe-core-$(AXE_VERSION).tgz" | sha512sum -c --quiet - && \
		mkdir -p $(VENV)/axe && tar -xzf $$tmp/axe-core-$(AXE_VERSION).tgz -C $(VENV)/axe --strip-components=1 \
			package/axe.min.js package/LICENSE && rm -rf $$tmp; \
	else echo "note: npm is missing and cannot be installed here: the accessibility tests will skip"; fi

axe: $(AXE)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(CHROMIUM) $(AXE)

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
