"""Shared test helpers: a central Luigi scheduler (luigid) on a free loopback port; and
hypothesis's profile: the same examples on every run, so that CI never fails by luck
(``HYPOTHESIS_PROFILE=explore pytest ...`` draws new ones, to look for new failures)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Iterator, Mapping

import pytest
from hypothesis import settings

from pipeline import tasks

settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

LUIGID = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "luigid"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_luigid(folder: Path, env: Mapping[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """Start luigid the documented way (tasks.luigid_command: loopback only) with its logs and
    state in ``folder``; yield (url, port) once it answers, and stop it afterwards."""
    if not LUIGID.exists():
        pytest.skip(f"{LUIGID} not installed")
    port = free_port()
    logdir = folder / "luigid"
    logdir.mkdir(exist_ok=True)
    argv = tasks.luigid_command(port, logdir=str(logdir), state_path=str(logdir / "state.pickle"), luigid=str(LUIGID))
    process = subprocess.Popen(argv, cwd=folder, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/graph", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"luigid did not start (exit status {process.poll()})")
                time.sleep(0.1)
        yield url, port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def luigid(tmp_path):
    """The URL of a luigid started for this test."""
    with running_luigid(tmp_path) as (url, _):
        yield url


@pytest.fixture
def start_luigid():
    """``running_luigid`` for tests that need the port or their own environment."""
    return running_luigid


@pytest.fixture(name="free_port")
def free_port_fixture():
    return free_port
