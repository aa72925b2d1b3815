"""Two workers on a central scheduler: ``luigid`` on a free loopback port, and two
``ocr-repair run --scheduler-url ... --workers 1`` processes started together over the same
input and output. Every shard must be cleaned exactly once (counted from the line each shard
run appends to ``runs.log``, with the pid that ran it), and the published outputs must be
byte-identical to a local run's."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.report import summary_html

ROOT = Path(__file__).resolve().parents[1]
LUIGID = ROOT / ".venv" / "bin" / "luigid"

# Damaged prose, long enough that a shard takes a moment and both workers get some.
PARAGRAPH = (
    "It was hard to escape the impression that Moscow decided to bomb its way out\n"
    "ofBits most important achievement inBGeneva, which itBhad sought forBmonths. The\n"
    "Kerry-Lavrov agreement on aBseven-day cease-\nfire was signed on September 22,2016.\n\n"
)
SHARDS = 24


def _inputs(root: Path) -> None:
    for n in range(SHARDS - 1):
        path = root / f"group{n % 4}" / f"article-{n:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Article {n}.\n\n" + PARAGRAPH * 12, encoding="utf-8")
    records = [{"id": f"wire-{i}", "text": PARAGRAPH * 2, "desk": "world"} for i in range(5)]
    (root / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def _command(input_dir: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "run", str(input_dir), "--out", str(out),
            "--shard-size", "1", "--quiet", *extra]


def _tree(out: Path) -> dict[str, bytes]:
    """Every published file's bytes; the summary without its timings (the one part that
    differs between any two runs), and its page as rendered from that summary, after
    checking that the page on disk is the rendering of the summary on disk."""
    files = {}
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if path.is_file() and not name.startswith(".work/") and not name.startswith("summary."):
            files[name] = path.read_bytes()
    summary = json.loads((out / "summary.json").read_bytes())
    assert (out / "summary.html").read_bytes() == summary_html(summary).encode("utf-8")
    summary["timings"] = {"stages": {}, "total_seconds": 0.0}
    files["summary.json"] = json.dumps(summary).encode("utf-8")
    files["summary.html"] = summary_html(summary).encode("utf-8")
    return files


def test_two_workers_on_luigid_clean_every_shard_once(luigid, tmp_path):
    input_dir = tmp_path / "in"
    _inputs(input_dir)
    # Short polls: a worker waiting on the other one looks for work every 0.1-0.3 s.
    config = tmp_path / "luigi.cfg"
    config.write_text("[core]\nautoload_range = true\n[worker]\nwait_interval = 0.1\nwait_jitter = 0.2\n", encoding="utf-8")
    env = {**os.environ, "LUIGI_CONFIG_PATH": str(config)}

    out = tmp_path / "out"
    workers = [
        subprocess.Popen(_command(input_dir, out, "--scheduler-url", luigid, "--workers", "1"),
                         cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [worker.communicate(timeout=120) for worker in workers]
    for worker, (stdout, stderr) in zip(workers, results):
        assert worker.returncode == 0, stdout + stderr

    state = batch.read_state(out)
    plan = batch.plan_batch(input_dir, state["config_hash"], shard_size=1, exclude=[out])
    assert len(plan.shards) >= 20
    runs = batch.read_runs(out, state["config_hash"])
    assert sorted(fields[0] for fields in runs) == sorted(shard.id for shard in plan.shards)  # each once
    assert all(fields[5] == "kept" for fields in runs)
    assert len({fields[2] for fields in runs}) == 2, "both workers should have cleaned shards"

    local = tmp_path / "local"
    done = subprocess.run(_command(input_dir, local), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    shared, alone = _tree(out), _tree(local)
    assert shared.keys() == alone.keys()
    assert [name for name in shared if shared[name] != alone[name]] == []


def test_an_unreachable_scheduler_is_exit_status_3(tmp_path, free_port):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("ofBits\n", encoding="utf-8")
    config = tmp_path / "luigi.cfg"
    config.write_text("[core]\nautoload_range = true\nrpc-retry-attempts = 1\nrpc-retry-wait = 1\n", encoding="utf-8")
    done = subprocess.run(
        _command(tmp_path / "in", tmp_path / "out", "--scheduler-url", f"http://127.0.0.1:{free_port()}"),
        cwd=tmp_path, env={**os.environ, "LUIGI_CONFIG_PATH": str(config)}, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 3
    assert "the batch could not run: RPCError" in done.stderr
    assert not (tmp_path / "out" / "summary.json").exists()
