# The two commands of the README. Both set up what they need first.
.PHONY: setup run build test test-fast clean

setup:
	bash scripts/setup.sh

# Build the graph (when build/ is missing or stale) and serve it on http://127.0.0.1:8000/sparql.
run: setup
	.venv/bin/erkg serve

build: setup
	.venv/bin/erkg build

test: setup
	.venv/bin/pytest

# The fast tiers only: functions, files and the app in-process (README: the tests' tiers).
test-fast: setup
	.venv/bin/pytest -m "unit or inprocess"

clean:
	rm -rf build .venv .pytest_cache node_modules
