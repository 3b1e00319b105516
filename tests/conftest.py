"""Shared fixtures: one real build of the repository's sources per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import BuildConfig, Summary, build
from kg.namespaces import Iris
from kg.queries import NamedQuery, load_queries, load_store

ROOT = Path(__file__).resolve().parents[1]


def repo_config(**overrides) -> BuildConfig:
    """A BuildConfig on the repository's own sources (absolute paths, so tests may chdir)."""
    paths = dict(data=ROOT / "data", ontology=ROOT / "ontology" / "erkg.ttl",
                 shapes=ROOT / "ontology" / "shapes.ttl", queries=ROOT / "queries")
    return BuildConfig(**{**paths, **overrides})


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[Path, Summary]:
    out = tmp_path_factory.mktemp("erkg") / "build"
    return out, build(repo_config(out=out))


@pytest.fixture(scope="session")
def build_dir(built) -> Path:
    """A fresh, fully validated build (reasoner included) of the repository's sources."""
    return built[0]


@pytest.fixture(scope="session")
def summary(built) -> Summary:
    return built[1]


@pytest.fixture(scope="session")
def iris() -> Iris:
    return Iris()


@pytest.fixture(scope="session")
def store(build_dir):
    """The built dataset in an Oxigraph store."""
    return load_store(build_dir / "erkg.nq")


@pytest.fixture(scope="session")
def named_queries() -> dict[str, NamedQuery]:
    return load_queries(ROOT / "queries")
