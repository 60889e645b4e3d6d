# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TORCH_CPU := torch==2.13.0
export NUMBA_CACHE_DIR ?= $(CURDIR)/.numba_cache
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint system-deps test-deps bench bundle clean

system-deps:
	@bash packaging/system-deps.sh

test-deps:
	@bash packaging/system-deps.sh --test

# torch goes in first: on a machine without an NVIDIA GPU the 2.13.0 CPU wheel, so that
# pyproject's `torch>=2.13` is already met and pip never fetches a multi-GB CUDA build.
$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then \
		echo "NVIDIA GPU found: installing torch with CUDA"; $(PY) -m pip install -q "torch>=2.13"; \
	else \
		echo "No NVIDIA GPU: installing the CPU build of torch"; $(PY) -m pip install -q "$(TORCH_CPU)"; \
	fi
	@$(PY) -m pip install -q -e ".[dev]"
	@touch $(STAMP)

run: system-deps $(STAMP)
	@if [[ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]]; then \
		$(VENV)/bin/eightcount studio resources/demo_song.ogg; \
	else \
		echo "No display found: running the headless pipeline instead (outputs go to out/)."; \
		$(VENV)/bin/eightcount demo --out out; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

test: test-deps $(STAMP) lint
	$(PY) -m pytest

bench: $(STAMP)
	@$(PY) -m pip install -q -e ".[bench]"
	@for bench in tests/benchmarks/bench_*.py; do echo "== $$bench"; $(PY) $$bench || exit 1; done

# The desktop bundle: dist/eightcount-studio/ (PyInstaller, one folder), then its size and
# largest parts, then the smoke test of the frozen app. build/pyinstaller keeps PyInstaller's
# cache, so a second build only redoes what changed. Not part of `make test`.
BUNDLE_STAMP := $(VENV)/.bundle-installed
$(BUNDLE_STAMP): $(STAMP) pyproject.toml
	@$(PY) -m pip install -q -e ".[bundle]"
	@touch $(BUNDLE_STAMP)

bundle: system-deps $(BUNDLE_STAMP)
	PYTHONPATH=$(CURDIR) $(VENV)/bin/pyinstaller --noconfirm --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/eightcount.spec
	@$(PY) packaging/bundle_size.py dist/eightcount-studio
	$(PY) packaging/smoke_test.py dist/eightcount-studio

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache .numba_cache
