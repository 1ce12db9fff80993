# The CPS careers assistant. Two commands matter: `make run` and `make test`.
# Everything else here is a step they take, also usable on its own.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

# Rasa 3.6 supports Python 3.8-3.10 only. Prefer python3.10 on the PATH, else pyenv's newest 3.10.
PYTHON310 ?= $(shell for p in python3.10 $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.10.*/bin/python; do \
	command -v "$$p" >/dev/null 2>&1 && "$$p" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null && { echo "$$p"; break; }; \
	done)

.PHONY: help install rasa run train spacy test test-unit lint validate evaluate check-knowledge \
	add-recruiter remove-recruiter purge redact-stored lock clean bench audit bench-console soak profile

help:  ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	@if [ -z "$(PYTHON310)" ]; then \
		echo "Python 3.10 is needed (Rasa 3.6 does not run on 3.11 or later)."; \
		echo "Install it, e.g. 'pyenv install 3.10.13', or pass PYTHON310=/path/to/python3.10."; \
		exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON310)"
	$(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==24.0"
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed  ## Create the virtual environment with the pinned dependencies

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

spacy: install  ## Build the spaCy pipeline from the knowledge file (if it changed)
	$(PY) -c "from bot.ops.model import ensure_spacy_pipeline; print(ensure_spacy_pipeline())"

train: install  ## Train the model (only when config, domain, data or knowledge changed)
	$(PY) -m bot.ops.model

rasa: install  ## Rasa's own commands with the project's patches: make rasa ARGS="shell --model bot/models" (docs/architecture.md)
	TRACKER_DB=$${TRACKER_DB:-var/rasa-cli.db} ACTION_ENDPOINT_URL=$${ACTION_ENDPOINT_URL:-http://127.0.0.1:5055/webhook} \
		$(PY) -m bot.rasa_server $(ARGS)

run: install node_modules/.installed  ## Build what is missing and start every service; Ctrl-C stops them
	$(PY) -m bot.ops.run

test: install node_modules/.installed lint  ## The whole test suite
	$(PY) -m pytest

test-unit: install  ## The fast lane: every test that starts no service, server or browser
	$(PY) -m pytest -m "not soak and not service" -q

lint: install  ## ruff
	$(VENV)/bin/ruff check .

validate: spacy  ## rasa data validate
	$(PY) -m rasa data validate --config config.yml --domain domain.yml --data bot/data

evaluate: train  ## Accuracy on the held-out questions (docs/evaluation.md); SET=development to tune
	$(PY) -m bot.evaluation $(if $(SET),--set $(SET))

bench: install  ## Load benchmark against stock Rasa; writes docs/benchmarks.md (BENCH_ARGS="--help")
	$(PY) -m bench $(BENCH_ARGS)

profile: install  ## Where a message's time goes inside the Rasa server; writes docs/profile.md (PROFILE_ARGS="--help")
	$(PY) -m bench.turn_profile $(PROFILE_ARGS)

bench-console: install  ## The recruiter console at 100,000 conversations; writes docs/benchmarks-console.md
	$(PY) -m bench.console_benchmark $(if $(CONVERSATIONS),--conversations $(CONVERSATIONS)) \
		$(if $(DATABASES),--databases $(DATABASES))

# Not part of `make test`: minutes of the whole machine. SOAK_CONVERSATIONS, SOAK_SECONDS,
# SOAK_THINK_MIN and SOAK_THINK_MAX size it (docs/soak.md).
soak: install  ## Hundreds of conversations on the production profile while components restart; writes docs/soak.md
	$(PY) -m pytest -m soak tests/soak -s -q -p no:cacheprovider

check-knowledge: install  ## Validate the knowledge file, report its official sources, list what is due for review and the Welsh still to write or review
	$(PY) -m bot.knowledge check
	$(PY) -m bot.knowledge stale --months 12
	$(PY) -m bot.knowledge welsh

add-recruiter: install  ## Console account: make add-recruiter EMAIL=... ROLE=recruiter|editor|admin (PASSWORD=... or asks)
	$(PY) -m web.console.accounts add "$(EMAIL)" --role "$(or $(ROLE),recruiter)"

remove-recruiter: install  ## Remove a console account: make remove-recruiter EMAIL=...
	$(PY) -m web.console.accounts remove "$(EMAIL)"

purge: install  ## Delete conversations older than RETENTION_DAYS (90; sensitive: SENSITIVE_RETENTION_DAYS, 30); audited
	$(PY) -m bot.storage.retention $(if $(DAYS),--days $(DAYS))

redact-stored: install  ## Apply today's redaction to every stored conversation (purge does it when the rules change); audited
	$(PY) -m bot.storage.redact_stored

lock:  ## Re-resolve requirements.txt from requirements.in in a scratch environment
	rm -rf .venv-lock && $(PYTHON310) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet "pip==24.0" && .venv-lock/bin/pip install --quiet -r requirements.in
	( echo "# Generated by 'make lock' from requirements.in. Do not edit by hand."; \
	  .venv-lock/bin/pip freeze --exclude-editable ) > requirements.txt
	rm -rf .venv-lock

# `make audit` asks the OSV vulnerability database about every pin in requirements.txt, so it
# needs the network and is not part of `make test`. The advisories accepted after review, each
# with its reason, are listed in docs/security.md between the audit:accepted markers (by id, or
# "every advisory" for a package); any other known vulnerability fails the audit.
AUDIT_VENV ?= var/audit-venv
AUDIT_PROBE_URL ?= https://api.osv.dev/v1/query
AUDIT_NOTES ?= docs/security.md

audit:  ## Known vulnerabilities in requirements.txt (pip-audit and OSV; needs the network)
	@$(or $(PYTHON310),python3) -m bot.ops.audit --probe-url "$(AUDIT_PROBE_URL)" \
		--venv "$(AUDIT_VENV)" --notes "$(AUDIT_NOTES)"

clean:  ## Remove built models, state and caches (not the virtual environment)
	rm -rf bot/models/careers-*.tar.gz bot/models/spacy-careers .rasa results .pytest_cache
