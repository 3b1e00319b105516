"""Where a build's files lie: the one place that names the paths in and beside build/.

A build writes its files into a staging directory beside build/ and swaps it in
(kg.build); servers keep the snapshots and stores of the versions they serve in the
store cache beside it (build.stores/, not in build/, which a build replaces); releases
are kept under releases/VERSION/ (kg.release).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildLayout:
    root: Path = Path("build")

    # The build's files, by name (kg.output.FILES says what each holds)
    TRIG = "erkg.trig"
    NQUADS = "erkg.nq"
    JSONLD = "erkg.jsonld"
    ONTOLOGY_TTL = "ontology.ttl"
    ONTOLOGY_OWL = "ontology.owl"
    DATA_TTL = "erkg-data.ttl"
    DATA_OWL = "erkg-data.owl"
    FULL_OWL = "erkg-full.owl"
    CATALOG = "catalog-v001.xml"
    SUMMARY = "summary.json"  # written last: a build is finished once it is there

    def __truediv__(self, name: str) -> Path:
        return self.root / name

    @property
    def dataset(self) -> Path:
        """The dataset file that is served, queried and loaded (N-Quads)."""
        return self.root / self.NQUADS

    @property
    def full_owl(self) -> Path:
        return self.root / self.FULL_OWL

    @property
    def summary(self) -> Path:
        return self.root / self.SUMMARY

    @property
    def evaluation(self) -> Path:
        """Where `erkg evaluate` writes its report."""
        return self.root / "evaluation"

    @property
    def stores(self) -> Path:
        """The store cache: snapshots and on-disk stores of the versions served."""
        return self.root.parent / f"{self.root.name}.stores"

    def staging(self, pid: int) -> BuildLayout:
        """Where the build of process `pid` writes its files before it is swapped in."""
        return BuildLayout(self.root.parent / f".{self.root.name}.staging-{pid}")

    def staged(self) -> list[Path]:
        """The staging directories there are, of builds running or killed midway."""
        return list(self.root.parent.glob(f".{self.root.name}.staging-*"))

    def retired(self, pid: int) -> Path:
        """Where the swap of process `pid` moves the previous build before removing it."""
        return self.root.parent / f".{self.root.name}.retired-{pid}"


@dataclass(frozen=True)
class ReleaseLayout:
    """The released versions: releases/VERSION/ holds the ontology and data files as the
    build wrote them and what changed since the previous release; the changelog has
    every release's changes at its head."""

    directory: Path = Path("releases")
    changelog: Path = Path("CHANGELOG.md")

    # The built files a release keeps; the diff compares the Turtle ones.
    RELEASED_FILES = (BuildLayout.ONTOLOGY_TTL, BuildLayout.ONTOLOGY_OWL, BuildLayout.DATA_TTL, BuildLayout.DATA_OWL,
                      BuildLayout.FULL_OWL)
    COMPARED_FILES = (BuildLayout.ONTOLOGY_TTL, BuildLayout.DATA_TTL)
    CHANGES_MD = "changes.md"
    CHANGES_TRIG = "changes.trig"
