# Les deux commandes du README : `make run` et `make test`. Tout le reste s'installe tout seul.
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installe

.PHONY: install run test bench territory check clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 13) else "Python 3.11 ou 3.12 requis (durable-rules ne s importe pas en 3.13)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

run: install
	@echo "== Guichet : évaluation des dossiers de démonstration =="
	$(VENV)/bin/guichet evaluate examples/dossiers.json --format table || test $$? -eq 3
	@echo
	@echo "Détail JSON d'un dossier : $(VENV)/bin/guichet evaluate examples/aire-camping-cars.json"
	@echo "Règles en vigueur        : $(VENV)/bin/guichet rules export --format json --date 2025-03-10"

test: install
	$(PY) -m pytest

check: install
	$(VENV)/bin/guichet rules check

bench: install
	$(PY) bench/run.py

territory: install
	$(PY) scripts/construire_territoire.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
