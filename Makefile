# The two commands of the README. Both set up what they need first.
.PHONY: setup run build test clean

setup:
	bash scripts/setup.sh

# Build the graph and print its summary (the server joins here once `erkg serve` exists).
run: setup
	.venv/bin/erkg build

build: setup
	.venv/bin/erkg build

test: setup
	.venv/bin/pytest

clean:
	rm -rf build .venv .pytest_cache
