# Les deux commandes du README : `make run` et `make test`. Tout le reste s'installe tout seul.
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installe

COMITE_DEMO := lys_artois-2025-12-11
MOT_DE_PASSE_DEMO := demo-guichet-2025
# Debian's Chromium drives the browser tests: Playwright's own browser download cannot work here.
CHROMIUM := /usr/bin/chromium

.PHONY: install assets navigateur run test bench bench-pg bench-web territory check clean

install: $(STAMP) assets

# govuk-frontend, htmx and axe-core from npm, each checked against its pinned integrity hash, into
# api/web/static/vendor/ (never committed). The script does nothing, quietly, when the pins are already there.
assets:
	@$(PYTHON) scripts/assets_web.py

# Chromium and a font for the browser tests (as root, as in CI); nothing to do when both are there.
navigateur:
	@if ! test -x $(CHROMIUM) || ! dpkg -s fonts-dejavu-core >/dev/null 2>&1; then \
		echo "Installation de Chromium et des polices DejaVu (paquets Debian chromium, fonts-dejavu-core)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null \
			|| { echo "Chromium manque : installez le paquet Debian chromium (apt-get install chromium, en root)" >&2; exit 1; }; \
	fi

# One install at a time: a second `make` (two `make run` on a fresh clone) waits on a lock of the project
# folder (flock, util-linux; without it, no lock), then finds the work done. A venv without a working pip
# (a first `make` stopped by Ctrl-C while it was created) is rebuilt, never reused: the stamp is written
# last, so an interrupted install is simply done again.
VERROU := $(shell command -v flock >/dev/null 2>&1 && echo flock .)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 13) else "Python 3.11 ou 3.12 requis (durable-rules ne s importe pas en 3.13)")'
	@$(if $(VERROU),flock -n . true || echo "Une autre installation est en cours : attente de sa fin…")
	@$(VERROU) sh -c 'set -e; \
		if [ -f $(STAMP) ] && [ $(STAMP) -nt pyproject.toml ]; then exit 0; fi; \
		if ! $(PY) -m pip --version >/dev/null 2>&1; then \
			if [ -e $(VENV) ]; then echo "$(VENV) incomplet (installation interrompue ?) : recréé"; fi; \
			rm -rf $(VENV); \
			echo "$(PYTHON) -m venv $(VENV)"; $(PYTHON) -m venv $(VENV); \
		fi; \
		echo "$(PY) -m pip install -e .[test,bench]"; \
		$(PY) -m pip install --quiet --upgrade pip; \
		$(PY) -m pip install --quiet -e ".[test,bench]"; \
		touch $(STAMP)'

run: install
	$(VENV)/bin/guichet db upgrade
	$(VENV)/bin/guichet demo
	@echo
	$(VENV)/bin/guichet dossier liste
	@echo
	@echo "== Guichet : base de démonstration prête (SQLite, dossier donnees/ ; DATABASE_URL pour PostgreSQL) =="
	@echo "Avis technique d'un dossier : $(VENV)/bin/guichet avis LA-2025-003 --output avis.pdf   (ou .html)"
	@echo "Rapport du comité           : $(VENV)/bin/guichet comite rapport $(COMITE_DEMO) --output rapport.pdf   (ou .xlsx, .csv, .html)"
	@echo "Historique d'un dossier     : $(VENV)/bin/guichet dossier voir LA-2025-003"
	@echo "Et si ? (autre date)        : $(VENV)/bin/guichet comite compare $(COMITE_DEMO) --date 2028-06-01   (après le contrat)"
	@echo "Évaluation sans base        : $(VENV)/bin/guichet evaluate examples/dossiers.json --format table"
	@echo
	@echo "== Application web : http://127.0.0.1:8000/ (Ctrl-C pour arrêter) =="
	@echo "Comptes de démonstration, mot de passe « $(MOT_DE_PASSE_DEMO) » :"
	@echo "  porteur        porteur@demo.guichet.fr       -> /mes-dossiers"
	@echo "  instructeur    instructeur@demo.guichet.fr   -> /instruction/dossiers"
	@echo "  membre_comite  membre@demo.guichet.fr        -> /comites (réunion $(COMITE_DEMO))"
	@echo "  admin          admin@demo.guichet.fr         -> /admin"
	@echo
	@# Ctrl-C reaches make and the server alike: the server stops cleanly (exit 0), and so does the recipe.
	@$(VENV)/bin/guichet serve --host 127.0.0.1 --port 8000

test: install navigateur
	$(PY) -m pytest

check: install
	$(VENV)/bin/guichet rules check

bench: install
	$(PY) bench/run.py
	$(PY) bench/comite.py
	$(PY) bench/stockage.py
	$(PY) bench/panneau.py
	$(PY) bench/instruction_charge.py
	$(MAKE) --no-print-directory bench-web

# The web server under a steady load (server pinned on core 0 with taskset, load on core 1): POST /api/v1/evaluations
# and a list of 50 dossiers out of 10 000 at 200 requests/s for 30 s each, then its memory over 100 000 evaluations.
bench-web: install
	@command -v taskset >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq util-linux >/dev/null; }
	$(PY) bench/web_api.py

# The instructors' desk alone on a throwaway PostgreSQL of 100 000 dossiers (list, dossier page, batch evaluation).
bench-pg: install
	$(PY) bench/instruction_charge.py

territory: install
	$(PY) scripts/construire_territoire.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis donnees api/web/static/vendor tests/e2e/captures test-results
