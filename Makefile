# Two commands do all set-up on a fresh machine:
#   make demo   - venv + install, run the demo DAG (healthy, then faulted) on SQLite, print verdicts
#   make test   - venv + install, run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint docs benchmark clean browser e2e inspect-reader inspect-venv

$(STAMP): setup.cfg pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m airflow_evalguard.demo.run_demo --dags-folder dags --airflow-home .demo/airflow

# pytest exits 5 when a selection (PYTEST_ARGS) collects no tests: not a failure.
# Real servers the tests start themselves: Debian's chromium + chromium-driver (the report's
# browser test), postgresql (SqlSource pushdown) and a Java runtime (the Spark Connect server that
# pyspark's spark-submit starts). Installed here when missing and we may (root with apt); otherwise
# those tests skip and say why (CI=true makes them fail instead).
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	    || ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver postgresql \
	      $$(command -v java >/dev/null || echo default-jre-headless) >/dev/null; \
	  else echo "chromium/postgresql/java not installed and not root: the browser, PostgreSQL and Spark tests will skip"; fi; fi

# Lint (ruff), format check and types (mypy: strict on core, checks and stats) run before the tests.
lint: $(STAMP)
	$(BIN)/ruff check airflow_evalguard tests dags benchmarks docs
	$(BIN)/ruff format --check airflow_evalguard tests dags benchmarks docs
	$(BIN)/mypy

# The documentation site; tests/test_docs.py builds it with --strict too, so a broken link fails make test.
docs: $(STAMP)
	$(BIN)/python -m mkdocs build --strict --site-dir .site

# Two workers (pytest-xdist, one test file at a time per worker, tests/conftest.py): the calibration
# simulations are pure computation and run beside the rest. TEST_WORKERS=0 runs everything in one
# process. Under CI=true the suite runs Inspect for real, so it builds
# .venv-inspect first (inspect-venv).
TEST_WORKERS ?= 2
test: $(STAMP) browser lint $(if $(filter true,$(CI)),inspect-venv)
	$(BIN)/python -m pytest -p no:cacheprovider -ra -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "no tests collected (pytest exit 5): not a failure"; exit 0; fi; exit $$rc

# Inspect AI's own log reader against the built-in one (tests/harnesses/test_inspect_log.py), in a
# venv of its own: inspect-ai pins fsspec and botocore below constraints.txt, so it cannot join
# $(VENV). About a minute on a fresh machine; `make test` runs the same file with the skip.
INSPECT_VENV ?= .venv-inspect
inspect-reader:
	$(PYTHON) -m venv $(INSPECT_VENV)
	$(INSPECT_VENV)/bin/pip install --quiet inspect-ai==0.3.285 pandas==3.1.1 pyarrow==26.0.1 pytest==9.2.0
	PYTHONPATH=. $(INSPECT_VENV)/bin/python -m pytest -p no:cacheprovider -q tests/harnesses/test_inspect_log.py

# Inspect AI in its own interpreter for dags/evalguard_inspect_eval.py and its end-to-end test
# (tests/integration/test_harness_dags.py runs Inspect for real when this venv exists and skips saying
# why when not). 2-7 minutes from PyPI here, so `make test` builds it only under CI=true, where the
# test fails rather than skip.
inspect-venv: $(INSPECT_VENV)/bin/inspect
$(INSPECT_VENV)/bin/inspect:
	$(PYTHON) -m venv $(INSPECT_VENV)
	$(INSPECT_VENV)/bin/pip install --quiet inspect-ai==0.3.285 pandas==3.1.1 pyarrow==26.0.1 pytest==9.2.0

# A real deployment end to end (API server, scheduler, DAG processor, triggerer on 127.0.0.1; S3 store
# on a local S3 server): REST API, XCom, report link, asset chain. Prints its timings.
e2e: $(STAMP) browser
	$(BIN)/python -m pytest -p no:cacheprovider -s -q tests/integration/test_e2e.py

benchmark: $(STAMP)
	$(BIN)/python benchmarks/import_overhead.py
	$(BIN)/python benchmarks/sampling_window_scale.py
	$(BIN)/python benchmarks/paired_checks_scale.py
	$(BIN)/python benchmarks/embedding_overlap_scale.py
	$(BIN)/python benchmarks/krippendorff_alpha.py
	$(BIN)/python benchmarks/feedback_provenance_scale.py
	$(BIN)/python benchmarks/pii_scan_throughput.py
	$(BIN)/python benchmarks/latency_tail_scale.py
	$(BIN)/python benchmarks/harness_logs_scale.py
	$(BIN)/python benchmarks/aggregation_scale.py
	$(BIN)/python benchmarks/auto_stream.py
	$(BIN)/python benchmarks/duckdb_spec_startup.py
	$(BIN)/python benchmarks/history_page.py

clean:
	rm -rf $(VENV) .demo .site
