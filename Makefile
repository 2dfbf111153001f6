# The two commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DEBUG=1
# Where `make run` serves, and the address written into every private link, QR
# code, SMS, e-mail and .ics file. `make run PORT=8001` serves on 8001 and writes
# links with 8001; behind a proxy, give the address visitors use:
# `make run SITE_URL=https://kexie.example.cn`.
HOST ?= 127.0.0.1
PORT ?= 8000
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test check lint install migrate seed clean messages compose-check browser-deps nginx-deps static

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput

seed: migrate
	$(DEV_ENV) SITE_URL=$(SITE_URL) $(PY) manage.py seed_demo

## Set up everything and serve the demo portal on http://$(HOST):$(PORT) (PORT=8001 to change)
run: seed
	@echo "Serving the demo portal at http://$(HOST):$(PORT); links are written with $(SITE_URL) (demo log-ins printed above)"
	$(DEV_ENV) SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

## Debian's Chromium and a CJK font for the browser tests (installed when running as root;
## elsewhere the browser tests skip). Playwright never downloads a browser here.
browser-deps:
	@if [ -x /usr/bin/chromium ] && dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	else echo "Chromium not installed and not root: the browser tests will be skipped"; fi
	@# The W3C Nu HTML checker (vnu-jar from the npm registry) runs on Debian's Java;
	@# --ignore-scripts keeps its post-install from fetching a JRE of its own.
	@# Without Java or the jar, the HTML validity test skips.
	@if command -v java >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	else echo "Java not installed and not root: the HTML validity test will be skipped"; fi
	@if [ -f build/vnu/node_modules/vnu-jar/build/dist/vnu.jar ]; then :; \
	elif command -v npm >/dev/null; then \
	  mkdir -p build/vnu && npm install --silent --no-save --no-audit --no-fund --ignore-scripts --prefix build/vnu vnu-jar@26 >/dev/null \
	  || echo "vnu-jar could not be installed: the HTML validity test will be skipped"; \
	else echo "npm not installed: the HTML validity test will be skipped"; fi

## Debian's nginx for the production smoke test (tests/sweeps/test_production_smoke.py),
## installed when running as root; elsewhere that test skips. Not started as a service.
nginx-deps:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	else echo "nginx not installed and not root: the production smoke test will be skipped"; fi

## Static files as production serves them (the image runs the same script)
static: install
	PYTHON=$(PY) bin/build-static

## Set up everything and run the whole test suite
test: install browser-deps nginx-deps
	$(PY) -m pytest -n 2

lint: install
	$(VENV)/bin/ruff check .
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

## Validate docker-compose.yml against the Compose schema (dclint, from the npm registry)
compose-check:
	cd /tmp && npx --yes dclint@3 $(CURDIR)/docker-compose.yml

## Extract and compile the English catalogue (needs gettext; the .mo files are committed)
messages: install
	$(DEV_ENV) $(PY) manage.py makemessages -l en --ignore=.venv --ignore=build --ignore=bench
	$(DEV_ENV) $(PY) manage.py makemessages -d djangojs -l en --ignore=.venv --ignore=build --ignore=static/vendor
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) build db.sqlite3
