"""A build killed midway leaves its staging directory (build/.build.staging-PID); the next
build removes it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from kg.build import build

from tests.conftest import ROOT, repo_config

pytestmark = pytest.mark.build  # runs the builder (reasoner included) itself


def test_the_next_build_removes_what_a_killed_build_left(tmp_path):
    out = tmp_path / "build"
    killed = subprocess.Popen([sys.executable, "-m", "api.cli", "build", "--out", str(out), "--no-reason"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = out.parent / f".build.staging-{killed.pid}"
    deadline = time.monotonic() + 120
    while not staging.exists() and killed.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    killed.send_signal(signal.SIGKILL)
    killed.wait(10)
    assert staging.is_dir(), "the build was killed while it wrote into its staging directory"
    build(repo_config(out=out, reason=False))
    assert (out / "erkg.nq").is_file()
    assert not list(tmp_path.glob(".build.staging-*"))
