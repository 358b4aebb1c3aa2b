# ClusterBoard: `make run` to use it, `make test` to check it. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/clusterboard.duckdb
PORT ?= 8501
PYTEST_ARGS ?=

.PHONY: run test bench setup db system-deps clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

setup: $(BIN)/.installed

# Create and seed the database only when it is missing: re-seeding would overwrite edited rows.
db: setup
	@test -f $(DB) || CLUSTERBOARD_DB=$(DB) $(BIN)/python -m analytics init

run: db
	CLUSTERBOARD_DB=$(DB) $(BIN)/streamlit run dashboard.py --server.port $(PORT)

# Debian packages the tests need: chromium (browser tests, chart images), poppler-utils (PDF to
# PNG), pango (WeasyPrint) and fonts. Installed only when missing and when we may install.
SYSTEM_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
system-deps:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Missing Debian packages:$$missing; install them with: sudo apt-get install$$missing"; exit 1; fi; \
	fi

test: setup system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The benchmark (issue 8; not part of `make test`): builds its own databases under
# tests/artifacts/bench/; S takes a few minutes, L (1,000 projects, a million records) ten or more.
bench: setup system-deps
	$(BIN)/python -m analytics bench --scale S
	$(BIN)/python -m analytics bench --scale L

clean:
	rm -rf $(VENV) tests/artifacts .pytest_cache
