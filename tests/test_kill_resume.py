"""Killed runs: ``ocr-repair run`` killed with SIGKILL (its whole process group, forked
workers included) at known points of a batch, then run again. At every kill point, and
after it, each file under OUT/clean and OUT/reports is absent or complete and byte-identical
to an uninterrupted run's (temporaries are hidden: dot-prefixed, or under .work); the re-run
finishes, redoes no finished shard, and its outputs are byte-identical to the uninterrupted
run's (summary.json compared without timings). The input is never written.

Kill points come from the test-only hook ``OCR_REPAIR_TEST_PAUSE=POINT[:N]``
(pipeline.batch.test_pause: the process says "test pause at POINT" on stderr and sleeps),
or, for "folders", from watching shard folders appear. Also here: a worker killed under
luigid, whose shard another worker finishes; a full and a read-only output folder, for
real (a small tmpfs, a read-only bind mount) where mounting is allowed, and simulated
in-process (OSError from the file calls) everywhere.
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import importlib.util
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import luigi
import pytest

from pipeline import batch, tasks
from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("_luigid_helpers", Path(__file__).with_name("test_luigid.py"))
_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_helpers)
_tree = _helpers._tree  # published bytes, summary without timings

PARAGRAPH = _helpers.PARAGRAPH
TEMPORARY = re.compile(r"\..*\.[0-9]+\.[0-9a-f]{8}\.tmp", re.DOTALL)
SHARD_SIZE = "2"


@pytest.fixture(autouse=True)
def fresh_luigi_instances():
    luigi.task_register.Register.clear_instance_cache()
    yield
    luigi.task_register.Register.clear_instance_cache()


def make_input(root: Path, version: int = 1) -> None:
    """16 articles and a .jsonl file of three pieces: about ten shards of size 2. Version 2
    changes two articles, removes one and adds one."""
    for n in range(16):
        path = root / f"desk{n % 3}" / f"article-{n:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Article {n}.\n\n" + PARAGRAPH * (2 + n % 3), encoding="utf-8")
    records = [{"id": f"wire-{i}", "text": PARAGRAPH * 3, "desk": "world"} for i in range(160)]
    (root / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    if version == 2:
        (root / "desk0" / "article-03.txt").write_text("Rewritten: theBtalks inBGeneva.\n", encoding="utf-8")
        (root / "desk1" / "article-07.txt").write_text("Also rewritten ofBits.\n", encoding="utf-8")
        (root / "desk2" / "article-05.txt").unlink()
        (root / "desk2" / "late-arrival.txt").write_text("Late: forBmonths.\n", encoding="utf-8")


def command(input_dir: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "run", str(input_dir), "--out", str(out),
            "--shard-size", SHARD_SIZE, "-q", *extra]


def digest_tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Run:
    """``ocr-repair run`` in its own process group, its stderr read as it comes."""

    def __init__(self, argv: list[str], env: dict | None = None, cwd: Path = ROOT):
        self.process = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.lines: list[str] = []
        self.paused = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stderr:
            self.lines.append(line)
            if "ocr-repair: test pause at" in line:
                self.paused.set()

    def wait_paused(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.paused.wait(0.05):
            assert self.process.poll() is None, f"finished before pausing:\n{''.join(self.lines)}"
            assert time.monotonic() < deadline, "no pause"

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        with pytest.raises(ProcessLookupError):  # nothing of the group survives (forked workers)
            for _ in range(100):
                os.killpg(self.process.pid, 0)
                time.sleep(0.05)

    def finish(self, timeout: float = 120) -> int:
        status = self.process.wait(timeout)
        self.reader.join(10)
        return status

    @property
    def stderr(self) -> str:
        return "".join(self.lines)


def assert_nothing_partial(out: Path, *allowed: dict[str, bytes]) -> None:
    """Every file a reader of OUT can see is one of ``allowed``'s (absent is fine); only
    hidden temporaries may be anything."""
    for area in ("clean", "reports"):
        for path in (out / area).rglob("*") if (out / area).exists() else ():
            if not path.is_file():
                continue
            name = path.relative_to(out).as_posix()
            if path.name.startswith("."):
                assert TEMPORARY.fullmatch(path.name), f"unexpected hidden file {name}"
                continue
            data = path.read_bytes()
            assert any(name in tree and tree[name] == data for tree in allowed), f"{name} is partial or foreign"
    if (out / "summary.json").exists():
        summary = json.loads((out / "summary.json").read_bytes())
        summary["timings"] = {"stages": {}, "total_seconds": 0.0}
        assert any(json.dumps(summary).encode() == tree["summary.json"] for tree in allowed)


def visible_temporaries(out: Path) -> list[str]:
    return [p.relative_to(out).as_posix() for area in ("clean", "reports") for p in (out / area).rglob(".*")]


def shard_runs(out: Path, config_hash: str | None = None) -> list[str]:
    """Shard ids in runs.log order (of the published configuration, or ``config_hash``): a
    line per shard cleaned, committed and logged."""
    config_hash = config_hash or (batch.read_state(out) or {}).get("config_hash") or _only_config(out)
    return [fields[0] for fields in batch.read_runs(out, config_hash)] if config_hash else []


def committed_shards(out: Path, config_hash: str | None = None) -> set[str]:
    config_hash = config_hash or (batch.read_state(out) or {}).get("config_hash") or _only_config(out)
    folder = out / ".work" / str(config_hash) / "shards"
    return {p.name for p in folder.glob("*") if not p.name.startswith(".")} if config_hash else set()


def _only_config(out: Path) -> str | None:
    found = [p.name for p in (out / ".work").glob("*") if p.is_dir()]
    return found[0] if len(found) == 1 else None


def _source_stamp() -> str:
    """A hash of what the configuration hash covers besides settings: our sources and word
    lists. When it changes (someone edits the code while the suite runs) the reference is
    made again, since outputs of other code are rightly different."""
    digest = hashlib.sha256()
    for path in sorted([*(ROOT / "pipeline").glob("*.py"), *(ROOT / "dictionaries").glob("*.txt")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


class References:
    """The uninterrupted run's published bytes per input version (``trees[1]``), and its
    shard count (``trees["shards-1"]``)."""

    def __init__(self, top: Path):
        self.top, self.stamp, self.trees = top, None, {}

    def __getitem__(self, key):
        if self.stamp != _source_stamp():
            self._build()
        return self.trees[key]

    def _build(self) -> None:
        self.stamp = _source_stamp()
        for version in (1, 2):
            out = self.top / f"reference-v{version}-{self.stamp[:8]}"
            if not out.exists():
                done = subprocess.run(command(self.top / f"in-v{version}", out), cwd=ROOT, capture_output=True,
                                      text=True, timeout=120)
                assert done.returncode == 0, done.stderr
            self.trees[version] = _tree(out)
            self.trees[f"shards-{version}"] = len(shard_runs(out))


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The input folders, and the uninterrupted runs' results (:class:`References`)."""
    top = tmp_path_factory.mktemp("kill")
    for version in (1, 2):
        make_input(top / f"in-v{version}", version)
    trees = References(top)
    assert trees["shards-1"] >= 8
    return top, trees


def _fresh_input(tmp_path: Path, top: Path, version: int = 1) -> Path:
    source = tmp_path / "in"
    shutil.copytree(top / f"in-v{version}", source)
    return source


@pytest.mark.parametrize(
    "point", ["folders", "shard", "commit:3", "state", "place:1", "place:25", "summary", "complete"]
)
def test_killed_at_any_point_the_rerun_gives_the_uninterrupted_bytes(reference, tmp_path, point):
    top, trees = reference
    source = _fresh_input(tmp_path, top)
    before = digest_tree(source)
    out = tmp_path / "out"

    if point == "folders":
        run = Run(command(source, out))
        deadline = time.monotonic() + 60
        while len(committed_shards(out)) < 3:
            assert run.process.poll() is None and time.monotonic() < deadline, run.stderr
            time.sleep(0.005)
    else:
        run = Run(command(source, out), env={batch.PAUSE_VARIABLE: point})
        run.wait_paused()
    assert_nothing_partial(out, trees[1])
    run.kill()
    assert_nothing_partial(out, trees[1])
    config_hash = _only_config(out)
    finished_before, logged_before = committed_shards(out, config_hash), len(shard_runs(out, config_hash))

    again = Run(command(source, out))
    assert again.finish() == 0, again.stderr
    assert _tree(out) == trees[1]
    assert visible_temporaries(out) == []
    assert batch.read_state(out)["config_hash"] == config_hash, "the code changed during the test"
    runs = shard_runs(out)
    redone = runs[logged_before:]
    assert not set(redone) & finished_before, "a finished shard was cleaned again"
    assert len(runs) == len(set(runs))
    assert set(redone) | finished_before == committed_shards(out)
    assert len(committed_shards(out)) == trees["shards-1"]
    assert digest_tree(source) == before  # the input is only ever read


def test_killed_at_random_moments_until_it_finishes(reference, tmp_path):
    # No hook: SIGKILL whenever it lands (inside a write, a rename, Luigi's bookkeeping).
    # Each attempt gets a little further, as shards and placed files survive the kills.
    top, trees = reference
    source = _fresh_input(tmp_path, top)
    out = tmp_path / "out"
    rng = random.Random(20240501)
    kills = 0
    for attempt in range(12):
        run = Run(command(source, out))
        try:
            status = run.process.wait(timeout=rng.uniform(0.25, 0.9))
        except subprocess.TimeoutExpired:
            run.kill()
            kills += 1
            assert_nothing_partial(out, trees[1])
            continue
        run.finish()
        assert status == 0, run.stderr
        break
    else:
        assert Run(command(source, out)).finish() == 0
    assert kills >= 2
    assert _tree(out) == trees[1]
    assert visible_temporaries(out) == []
    runs = shard_runs(out)
    assert len(runs) == len(set(runs)), "a finished shard was cleaned again"
    assert len(committed_shards(out)) == trees["shards-1"]
    print(f"{kills} kills, {len(runs)} shard runs logged of {trees['shards-1']}")


def test_killed_twice_while_publishing_then_finished(reference, tmp_path):
    top, trees = reference
    source = _fresh_input(tmp_path, top)
    out = tmp_path / "out"
    for point in ("place:4", "place:9"):
        run = Run(command(source, out), env={batch.PAUSE_VARIABLE: point})
        run.wait_paused()
        run.kill()
        assert_nothing_partial(out, trees[1])
        assert batch.read_state(out)["complete"] is False
    assert Run(command(source, out)).finish() == 0
    assert _tree(out) == trees[1]
    assert visible_temporaries(out) == []


def test_killed_while_replacing_an_older_result(reference, tmp_path):
    top, trees = reference
    source = _fresh_input(tmp_path, top, version=1)
    out = tmp_path / "out"
    assert Run(command(source, out)).finish() == 0
    shutil.rmtree(source)
    shutil.copytree(top / "in-v2", source)

    run = Run(command(source, out), env={batch.PAUSE_VARIABLE: "place:6"})
    run.wait_paused()
    run.kill()
    # A mix of whole files, each the old result's or the new one's; the old summary stays
    # until the new result is complete.
    assert_nothing_partial(out, trees[1], trees[2])
    old_summary = json.loads((out / "summary.json").read_bytes())
    old_summary["timings"] = {"stages": {}, "total_seconds": 0.0}
    assert json.dumps(old_summary).encode() == trees[1]["summary.json"]
    assert Run(command(source, out)).finish() == 0
    assert _tree(out) == trees[2]
    assert visible_temporaries(out) == []


def test_killed_with_forked_workers(reference, tmp_path):
    top, trees = reference
    source = _fresh_input(tmp_path, top)
    out = tmp_path / "out"
    run = Run(command(source, out, "--workers", "2"), env={batch.PAUSE_VARIABLE: "shard:2"})
    run.wait_paused()
    run.kill()  # the group: the scheduling process and both forked workers
    assert_nothing_partial(out, trees[1])
    assert Run(command(source, out, "--workers", "2")).finish() == 0
    assert _tree(out) == trees[1]


# --- luigid ---------------------------------------------------------------------------------


def test_a_worker_killed_under_luigid_has_its_shard_finished_by_another(reference, tmp_path, start_luigid):
    top, trees = reference
    source = _fresh_input(tmp_path, top)
    out = tmp_path / "out"
    # The scheduler notices a silent worker after 2 s and hands its running shard back 1 s
    # later (defaults: 60 s and 15 min); pruning on every request makes that prompt.
    config = tmp_path / "luigi.cfg"
    config.write_text(
        "[core]\nautoload_range = true\n"
        "[scheduler]\nworker_disconnect_delay = 2\nretry_delay = 1\nprune_on_get_work = true\n"
        "[worker]\nwait_interval = 0.1\nwait_jitter = 0.1\nping_interval = 0.5\n",
        encoding="utf-8",
    )
    env = {"LUIGI_CONFIG_PATH": str(config)}
    with start_luigid(tmp_path, env) as (url, _):
        doomed = Run(command(source, out, "--scheduler-url", url), env={**env, batch.PAUSE_VARIABLE: "shard"})
        doomed.wait_paused()
        survivor = Run(command(source, out, "--scheduler-url", url), env=env)
        time.sleep(0.5)
        doomed.kill()
        assert survivor.finish(timeout=120) == 0, survivor.stderr
    assert _tree(out) == trees[1]
    runs = batch.read_runs(out, batch.read_state(out)["config_hash"])
    assert {fields[2] for fields in runs} == {str(survivor.process.pid)}  # the dead worker logged none
    assert len(runs) == trees["shards-1"] == len({fields[0] for fields in runs})


# --- full and read-only output folders -------------------------------------------------------


def _sh(*argv: str) -> bool:
    return subprocess.run(argv, capture_output=True).returncode == 0


@pytest.fixture
def mounts():
    """Mount helper that unmounts everything it mounted; skips when mounting is not allowed."""
    done: list[Path] = []

    def mount(*args: str, target: Path) -> None:
        if not _sh("mount", *args, str(target)):
            pytest.skip("mounting is not allowed here (needs root / CAP_SYS_ADMIN); the simulated tests cover it")
        done.append(target)

    yield mount
    for target in reversed(done):
        _sh("umount", "-l", str(target))


def test_a_full_output_folder_is_a_clear_error_and_keeps_the_old_result(reference, tmp_path, mounts):
    top, trees = reference
    source = _fresh_input(tmp_path, top)
    out = tmp_path / "out"
    out.mkdir()
    mounts("-t", "tmpfs", "-o", "size=4m", "tmpfs", target=out)
    small = tmp_path / "small"
    shutil.copytree(source / "desk0", small)
    assert Run(command(small, out)).finish() == 0
    old = _tree(out)

    run = Run(command(source, out))
    assert run.finish() == 3
    assert "No space left on device" in run.stderr
    assert "keeps its previous result" in run.stderr or "while publishing" in run.stderr
    assert_nothing_partial(out, old, trees[1])
    if "keeps its previous result" in run.stderr:
        assert _tree(out) == old

    assert _sh("mount", "-o", "remount,size=64m", str(out))
    assert Run(command(source, out)).finish() == 0
    assert _tree(out) == trees[1]


def test_a_read_only_output_folder_is_a_clear_error_and_changes_nothing(reference, tmp_path, mounts):
    top, trees = reference
    source = _fresh_input(tmp_path, top)
    out = tmp_path / "out"
    stamp = _source_stamp()
    assert Run(command(source, out)).finish() == 0
    before = digest_tree(out)
    mounts("--bind", str(out), target=out)
    assert _sh("mount", "-o", "remount,bind,ro", str(out))

    # Nothing to do: a finished result on read-only storage is not an error (unless the
    # code was edited meanwhile: then there is, rightly, something to do).
    status = Run(command(source, out)).finish()
    assert status == 0 or _source_stamp() != stamp
    (source / "desk0" / "new.txt").write_text("A new article inBGeneva.\n", encoding="utf-8")
    run = Run(command(source, out))
    assert run.finish() == 3
    assert f"ocr-repair: cannot write to {out}: Read-only file system; nothing was changed" in run.stderr
    assert digest_tree(out) == before


class _RefuseWrites:
    """Make the file calls the pipeline uses fail for paths under ``root`` with ``code``,
    as a read-only or full file system would (in-process; the local scheduler with one
    worker runs every task in this process). ``after`` lets that many calls through first."""

    def __init__(self, monkeypatch, root: Path, code: int, after: int = 0, only=None):
        self.root, self.code, self.left, self.only = str(root), code, after, only
        real_open, real_os_open, real_mkdir = builtins.open, os.open, os.mkdir
        real_link, real_replace, real_rename = os.link, os.replace, os.rename

        def refuse(path) -> bool:
            path = os.fspath(path)
            if not path.startswith(self.root) or (self.only and not re.search(self.only, path)):
                return False
            if self.left > 0:
                self.left -= 1
                return False
            return True

        def fail(path):
            raise OSError(self.code, os.strerror(self.code), os.fspath(path))

        def fake_open(file, mode="r", *args, **kwargs):
            if isinstance(file, (str, bytes, os.PathLike)) and any(c in mode for c in "wax+") and refuse(file):
                fail(file)
            return real_open(file, mode, *args, **kwargs)

        def fake_os_open(path, flags, *args, **kwargs):
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and refuse(path):
                fail(path)
            return real_os_open(path, flags, *args, **kwargs)

        def wrap(real):
            def call(src, dst, *args, **kwargs):
                if refuse(dst):
                    fail(dst)
                return real(src, dst, *args, **kwargs)
            return call

        def fake_mkdir(path, *args, **kwargs):
            if refuse(path) and not os.path.isdir(path):
                fail(path)
            return real_mkdir(path, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", fake_open)
        monkeypatch.setattr(os, "open", fake_os_open)
        monkeypatch.setattr(os, "mkdir", fake_mkdir)
        monkeypatch.setattr(os, "link", wrap(real_link))
        monkeypatch.setattr(os, "replace", wrap(real_replace))
        monkeypatch.setattr(os, "rename", wrap(real_rename))


def _in_process(source: Path, out: Path, capsys) -> tuple[int, str]:
    luigi.task_register.Register.clear_instance_cache()
    status = main(["run", str(source), "--out", str(out), "--shard-size", SHARD_SIZE, "-q"])
    return status, capsys.readouterr().err


def test_simulated_read_only_output(reference, tmp_path, capsys, monkeypatch):
    top, trees = reference
    source = _fresh_input(tmp_path, top)
    out = tmp_path / "out"
    assert _in_process(source, out, capsys)[0] == 0
    before = digest_tree(out)
    (source / "desk0" / "new.txt").write_text("A new article inBGeneva.\n", encoding="utf-8")
    with monkeypatch.context() as patch:
        _RefuseWrites(patch, out, errno.EROFS)
        status, err = _in_process(source, out, capsys)
    assert status == 3
    assert f"cannot write to {out}: Read-only file system; nothing was changed" in err
    assert digest_tree(out) == before


def test_simulated_full_disk_while_cleaning_and_while_publishing(reference, tmp_path, capsys, monkeypatch):
    top, trees = reference
    source = _fresh_input(tmp_path, top)
    out = tmp_path / "out"
    # Full after a few shard files: shards fail, nothing is published.
    with monkeypatch.context() as patch:
        _RefuseWrites(patch, out, errno.ENOSPC, after=40)
        status, err = _in_process(source, out, capsys)
    assert status == 3
    assert re.search(r"CleanShard failed: OSError: \[Errno 28\] No space left on device", err)
    assert "keeps its previous result" in err
    assert not (out / "summary.json").exists() and not (out / "clean").exists()
    # Full while publishing (the summary cannot be written): the state says incomplete.
    with monkeypatch.context() as patch:
        _RefuseWrites(patch, out, errno.ENOSPC, only=r"summary\.json")
        status, err = _in_process(source, out, capsys)
    assert status == 3
    assert "CleanBatch failed: OSError: [Errno 28] No space left on device" in err
    assert "while publishing; a re-run completes" in err
    assert batch.read_state(out)["complete"] is False
    assert_nothing_partial(out, trees[1])
    assert _in_process(source, out, capsys)[0] == 0
    assert _tree(out) == trees[1]
    assert visible_temporaries(out) == []


def test_files_reach_the_disk_before_the_state_says_complete(tmp_path, capsys, monkeypatch):
    # A power cut cannot be simulated here; the order that makes it harmless can be checked.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("the talks inBGeneva\n", encoding="utf-8")
    events = []
    real_write = batch.write_atomic
    monkeypatch.setattr(batch, "flush_to_disk", lambda folder: events.append("flush"))

    def record(target, data, durable=False):
        if target.name == batch.STATE_FILE:
            events.append("state complete" if json.loads(data)["complete"] else "state incomplete")
        return real_write(target, data, durable)

    monkeypatch.setattr(batch, "write_atomic", record)
    assert _in_process(tmp_path / "in", tmp_path / "out", capsys)[0] == 0
    assert events == ["state incomplete", "flush", "state complete"]
