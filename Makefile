# Localism: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
I18N_IGNORE := -i .venv -i .venv-lock -i node_modules -i staticfiles -i media

.PHONY: run test test-services e2e lint check-deploy worker beat clean vendor lock messages makemessages allauth-messages django-messages

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

## Compile the Welsh catalogues (locale/) into the files Django reads; installs gettext if it is missing.
## Also writes an English catalogue of our own messages, each its own translation (gettext's msginit fills
## English in): English lookups then end in it instead of walking Django's chain of English catalogues
## (docs/i18n.md: 2 ms of a learning page). Generated, never edited or committed.
messages: $(STAMP)
	command -v msgfmt >/dev/null 2>&1 || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q gettext)
	mkdir -p locale/en_GB/LC_MESSAGES
	msgfilter --keep-header -i locale/cy/LC_MESSAGES/django.po sed -e 's/.*//' \
	  | msginit --no-translator --locale=en_GB --input=- --output-file=locale/en_GB/LC_MESSAGES/django.po >/dev/null 2>&1
	$(BIN)/python manage.py compilemessages $(I18N_IGNORE) --verbosity 0

## Bring the catalogues up to date with the code: translate what is new, then `make messages`.
## Django's makemessages writes, then deletes, a django.pot in every LOCALE_PATHS folder: the committed
## locale/django/django.pot (see django-messages) is kept aside and put back.
makemessages: $(STAMP)
	cp locale/django/django.pot $(VENV)/django.pot.keep
	$(BIN)/python manage.py makemessages -l cy --no-obsolete --add-location file $(I18N_IGNORE) -i tests -i bench; \
	  status=$$?; mv $(VENV)/django.pot.keep locale/django/django.pot; exit $$status
	$(BIN)/python manage.py makemessages -d djangojs -l cy --no-obsolete --add-location file $(I18N_IGNORE) -i static/vendor -i tests -i bench

## Refresh the Welsh catalogue of allauth's pages from the installed allauth (after upgrading it).
ALLAUTH_LOCALE = $(shell $(BIN)/python -c 'import allauth, pathlib; print(pathlib.Path(allauth.__file__).parent / "locale")')
ALLAUTH_PAGES = -N 'account/*' -N 'account/*/*' -N 'templates/account/*' -N 'templates/account/*/*' \
  -N 'templates/allauth/*' -N 'templates/allauth/*/*' -N 'templates/allauth/*/*/*' -N 'core/*' -N 'core/*/*'
allauth-messages: $(STAMP)
	msggrep $(ALLAUTH_PAGES) \
	  $(ALLAUTH_LOCALE)/en/LC_MESSAGES/django.po -o locale/allauth/allauth.pot
	msgmerge --quiet --update --backup=none --no-fuzzy-matching locale/allauth/cy/LC_MESSAGES/django.po locale/allauth/allauth.pot

## Refresh the Welsh for what Django's own Welsh catalogue leaves untranslated (after upgrading Django):
## each message of Django's current English catalogue (core and auth) that its Welsh one does not translate.
DJANGO_DIR = $(shell $(BIN)/python -c 'import django, pathlib; print(pathlib.Path(django.__file__).parent)')
django-messages: $(STAMP)
	for part in conf contrib/auth; do \
	  msgmerge --quiet --no-fuzzy-matching $(DJANGO_DIR)/$$part/locale/cy/LC_MESSAGES/django.po \
	    $(DJANGO_DIR)/$$part/locale/en/LC_MESSAGES/django.po -o locale/django/$$(basename $$part).po; done
	msgcat --use-first locale/django/conf.po locale/django/auth.po | msgattrib --untranslated --no-obsolete - -o locale/django/django.pot
	rm locale/django/conf.po locale/django/auth.po
	msgmerge --quiet --update --backup=none --no-fuzzy-matching locale/django/cy/LC_MESSAGES/django.po locale/django/django.pot
	msgattrib --no-obsolete locale/django/cy/LC_MESSAGES/django.po -o locale/django/cy/LC_MESSAGES/django.po

## Run the site with demo data at http://127.0.0.1:8000 (SQLite, tasks inline, mail on the console).
run: $(STAMP) messages
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the whole test suite (on the embedded defaults unless DATABASE_URL / REDIS_URL are set).
test: $(STAMP) messages
	$(BIN)/pytest

## The suite again against the local PostgreSQL and Redis, with a real Celery worker.
test-services: $(STAMP) messages
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/localism_test} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} $(BIN)/pytest

## Browser journeys and accessibility checks only.
e2e: $(STAMP) messages
	$(BIN)/pytest tests/e2e

## ruff, and the import contracts of pyproject.toml (which layer may import which).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-localism.example} $(BIN)/python manage.py check --deploy --fail-level WARNING

worker: $(STAMP)
	$(BIN)/celery -A localism worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A localism beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

## Refresh vendored front-end libraries from the npm registry (versions in package.json).
vendor:
	npm install --no-audit --no-fund
	mkdir -p static/vendor/leaflet/images
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE static/vendor/leaflet/
	sed -i '/sourceMappingURL/d' static/vendor/leaflet/leaflet.js
	cp node_modules/leaflet/dist/images/*.png static/vendor/leaflet/images/
	# The map's offline outline: the UK and Ireland cut from world-atlas (Natural Earth, public domain).
	node static/vendor/uk-outline/build-outline.js
	cp node_modules/world-atlas/LICENSE static/vendor/uk-outline/LICENSE

## Re-pin every dependency, with hashes, from requirements.in / requirements-dev.in (needs the registry).
LOCK := pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links
lock:
	test -x .venv-lock/bin/pip-compile || ($(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet pip-tools==7.7.0)
	.venv-lock/bin/$(LOCK) --output-file requirements.txt requirements.in
	.venv-lock/bin/$(LOCK) --output-file requirements-dev.txt requirements-dev.in
