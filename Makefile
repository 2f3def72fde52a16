# zhengwu — two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test venv install clean bench

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11 / Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(STAMP): $(VENV)/bin/python pyproject.toml
	$(PIP) install -q -e '.[test]'
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(PY) -m zhengwu demo

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) zhengwu-data .pytest_cache
