"""Batch runs end to end through Luigi (``ocr-repair run``, ``luigi --module pipeline.tasks``,
the daily task and its backfill), on the local scheduler in this process.

Expected texts come from :func:`pipeline.clean_text` itself; these tests check what the
batch adds: names, formats, skipping, identity (what is redone and what is not), atomic
publishing and exit codes. Shard runs are counted from ``OUT/.work/<config>/runs.log``.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import luigi
import pytest
from luigi.execution_summary import LuigiStatusCode

from pipeline import Config, batch, clean_text, tasks
from pipeline.cli import main
from pipeline.edits import Edit, apply_edits

ROOT = Path(__file__).resolve().parents[1]

ARTICLE = (
    "It was hard to escape the impression that Moscow decided to bomb its way out\n"
    "ofBits most important achievement inBGeneva, which itBhad sought forBmonths.\n"
    "\n"
    "The Kerry-Lavrov agreement on aBseven-day cease-\nfire was signed on September 22,2016.\n"
)
WIRE = [
    {"id": "w1", "source": "AP", "text": "the Kerry-Lavrov agreement inBGeneva onBCessation ofBHostilities", "tags": ["syria"]},
    "this line is not JSON",
    {"id": "../../x", "text": "an id that tries to leave\nthe folder", "n": 2},
    {"id": "/etc/passwd", "text": "an absolute id"},
    {"source": "AP", "text": "no id at all"},
    {"id": 7, "text": "an integer id, inBGeneva"},
    {"id": "w1", "text": "the same id again"},
]


@pytest.fixture(autouse=True)
def fresh_luigi_instances():
    # Luigi caches task instances by parameters; each test starts from a clean slate.
    luigi.task_register.Register.clear_instance_cache()
    yield
    luigi.task_register.Register.clear_instance_cache()


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _wire_bytes(records=WIRE) -> bytes:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def batch_in(tmp_path) -> Path:
    root = tmp_path / "in"
    _write(root / "a.txt", ARTICLE)
    _write(root / "nested" / "deeper" / "Zürich notes 2016.txt", ARTICLE.replace("Moscow", "Москва"))
    _write(root / "bad.txt", "first line\ncafé au lait\n".encode("latin-1"))
    _write(root / "feeds" / "wire.jsonl", _wire_bytes())
    _write(root / "notes.md", "not an input\n")
    for n in range(8):
        _write(root / "more" / f"m{n:02d}.txt", f"Item {n}: the talks inBGeneva went on forBmonths.\n")
    return root


def run(argv, capsys) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def files_under(out: Path) -> set[str]:
    return {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not p.relative_to(out).as_posix().startswith(".work/")
    }


def runs(out: Path) -> list[list[str]]:
    state = batch.read_state(out)
    return batch.read_runs(out, state["config_hash"]) if state else []


def all_runs(out: Path) -> list[list[str]]:
    return [fields for log in (out / ".work").glob("*/runs.log") for fields in batch.read_runs(out, log.parent.name)]


# --- one batch -----------------------------------------------------------------------------


def test_batch_writes_every_output_under_its_name(batch_in, tmp_path, capsys):
    out = tmp_path / "out"
    status, stdout, stderr = run(["run", batch_in, "--out", out, "--shard-size", "2", "-q"], capsys)

    assert status == 1  # done, with skipped inputs
    assert "===== Luigi Execution Summary =====" in stdout and "ran successfully" in stdout
    assert "skipped bad.txt: not valid UTF-8 at byte 14 (0xe9: invalid continuation byte)" in stderr
    assert "skipped feeds/wire.jsonl: line 2: not valid JSON" in stderr
    assert 'skipped feeds/wire.jsonl: line 5: no "id"' in stderr

    txts = ["a.txt", "nested/deeper/Zürich notes 2016.txt"] + [f"more/m{n:02d}.txt" for n in range(8)]
    expected = {"summary.json", "summary.html", "clean/feeds/wire.jsonl", "reports/feeds/wire.jsonl.edits.jsonl"}
    for name in txts:
        expected |= {f"clean/{name}", f"reports/{name}.html", f"reports/{name}.edits.jsonl"}
    expected |= {
        f"reports/feeds/wire.jsonl/{name}.html"
        for name in ["w1", "%2E.%2F..%2Fx", "%2Fetc%2Fpasswd", "7", "w1~7"]
    }
    assert files_under(out) == expected

    # Nothing was written outside OUT (ids like ../../x included).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]
    assert {p.relative_to(batch_in).as_posix() for p in batch_in.rglob("*") if p.is_file()} == {
        "a.txt", "nested/deeper/Zürich notes 2016.txt", "bad.txt", "feeds/wire.jsonl", "notes.md",
        *(f"more/m{n:02d}.txt" for n in range(8)),
    }

    for name in txts:
        original = (batch_in / name).read_text(encoding="utf-8")
        result = clean_text(original)
        assert (out / "clean" / name).read_text(encoding="utf-8") == result.text
        records = [json.loads(line) for line in (out / "reports" / f"{name}.edits.jsonl").read_text(encoding="utf-8").splitlines()]
        applied = [Edit.from_dict(r) for r in records if r["applied"]]
        assert apply_edits(original, applied) == result.text
        assert all("id" not in r for r in records)
        assert "<html" in (out / "reports" / f"{name}.html").read_text(encoding="utf-8").lower()

    clean_records = [json.loads(line) for line in (out / "clean" / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines()]
    good = [r for r in WIRE if isinstance(r, dict) and "id" in r]
    assert [r["id"] for r in clean_records] == [r["id"] for r in good]
    for record, source in zip(clean_records, good):
        assert list(record) == list(source)  # fields kept, in their order
        assert record == {**source, "text": clean_text(source["text"]).text}
    edits = [json.loads(line) for line in (out / "reports" / "feeds" / "wire.jsonl.edits.jsonl").read_text(encoding="utf-8").splitlines()]
    assert edits and all("id" in r for r in edits)
    assert {r["id"] for r in edits} <= {r["id"] for r in good}

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["documents"] == len(txts) + len(good)
    assert {(s["path"], s["reason"].split(":")[0]) for s in summary["skipped"]} == {
        ("bad.txt", "not valid UTF-8 at byte 14 (0xe9"),
        ("feeds/wire.jsonl", "line 2"),
        ("feeds/wire.jsonl", "line 5"),
    }
    assert summary["version"] and summary["config"] == Config().fingerprint()
    assert summary["edits_per_rule"].get("joiner", 0) > 0
    for entry in summary["most_changed"]:
        assert (out / entry["report"]).is_file()
    assert "<html" in (out / "summary.html").read_text(encoding="utf-8").lower()


def test_second_run_does_no_work_and_adding_a_file_redoes_only_its_shard(batch_in, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["run", batch_in, "--out", out, "--shard-size", "2", "-q"]
    assert run(args, capsys)[0] == 1
    first_runs = runs(out)
    plan = tasks.CleanBatch(input=batch_in, out=out, shard_size=2).plan()
    assert len(plan.shards) >= 3
    assert sorted(r[0] for r in first_runs) == sorted(s.id for s in plan.shards)  # each shard once
    summary_mtime = (out / "summary.json").stat().st_mtime_ns

    status, stdout, _ = run(args, capsys)
    assert status == 1
    assert "Did not run any tasks" in stdout
    assert runs(out) == first_runs
    assert (out / "summary.json").stat().st_mtime_ns == summary_mtime

    # A new file whose name does not end a shard joins one shard: that shard alone is redone.
    name = next(
        f"more/m03-{n}.txt" for n in range(200)
        if not batch.ends_shard(batch.Unit(f"more/m03-{n}.txt", "txt", 0, 0, 0, 1, "", 1), 2)
    )
    _write(batch_in / name, "Added later: theBtalks went on.\n")
    untouched = (out / "clean" / "a.txt").stat().st_ino
    assert run(args, capsys)[0] == 1
    new_runs = runs(out)[len(first_runs):]
    assert len(new_runs) == 1
    assert name in {u.relpath for s in tasks.CleanBatch(input=batch_in, out=out, shard_size=2).plan().shards
                    if s.id == new_runs[0][0] for u in s.units}
    assert (out / "clean" / name).read_text(encoding="utf-8") == clean_text("Added later: theBtalks went on.\n").text
    assert (out / "clean" / "a.txt").stat().st_ino == untouched  # not rewritten

    # A removed input takes its outputs with it; its shard's other files (if any) are
    # redone as one shard, nothing else.
    (batch_in / "more" / "m05.txt").unlink()
    assert run(args, capsys)[0] == 1
    assert len(runs(out)) - (len(first_runs) + 1) <= 1
    assert not any("m05" in name for name in files_under(out))
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["totals"]["documents"] == 15


def test_a_new_configuration_gives_a_fresh_result_and_never_a_mix(batch_in, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    args = ["run", batch_in, "--out", out, "--shard-size", "2", "-q"]
    assert run(args, capsys)[0] == 1
    before = {name: (out / name).read_bytes() for name in files_under(out) if name.startswith("clean/")}
    old_hash = batch.read_state(out)["config_hash"]

    # The new configuration's run fails in one shard: nothing is published, OUT is untouched.
    real = batch.process_shard

    def fail_on_a(root, shard, config, dest, on_document=None):
        if any(unit.relpath == "a.txt" for unit in shard.units):
            raise RuntimeError("disk on fire")
        return real(root, shard, config, dest, on_document)

    monkeypatch.setattr(batch, "process_shard", fail_on_a)
    status, stdout, stderr = run(args + ["--set", "reflow=false"], capsys)
    assert status == 3
    assert "failed" in stdout and "keeps its previous result" in stderr
    assert {name: (out / name).read_bytes() for name in before} == before
    assert batch.read_state(out)["config_hash"] == old_hash
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["config"]["reflow"] is True

    # Run again: the shards done before the failure are kept, the failed one is done, and
    # every published file comes from the new configuration.
    monkeypatch.setattr(batch, "process_shard", real)
    done_before = len(all_runs(out))
    assert run(args + ["--set", "reflow=false"], capsys)[0] == 1
    assert len(all_runs(out)) == done_before + 1
    state = batch.read_state(out)
    assert state["config_hash"] != old_hash
    flat = Config(reflow=False)
    for name in before:
        relpath = name.removeprefix("clean/")
        original = (batch_in / relpath).read_text(encoding="utf-8")
        if relpath.endswith(".jsonl"):
            texts = [json.loads(line)["text"] for line in (out / name).read_text(encoding="utf-8").splitlines()]
            sources = [r["text"] for r in WIRE if isinstance(r, dict) and "id" in r]
            assert texts == [clean_text(t, flat).text for t in sources]
        else:
            assert (out / name).read_text(encoding="utf-8") == clean_text(original, flat).text
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["config"]["reflow"] is False

    # Back to the defaults: their shards are still there, so nothing is cleaned again.
    count = len(all_runs(out))
    assert run(args, capsys)[0] == 1
    assert len(all_runs(out)) == count
    assert {name: (out / name).read_bytes() for name in before} == before


def test_large_jsonl_split_across_shards_is_published_whole_and_in_order(tmp_path, capsys):
    root = tmp_path / "in"
    records = [{"id": f"n{i:03d}", "seq": i, "text": f"Report {i}: the talks inBGeneva went on. " + "More words here. " * 60}
               for i in range(80)]
    lines = [json.dumps(r) for r in records]
    lines[50] = '{"id": "broken", "text": '
    _write(root / "big.jsonl", "\n".join(lines) + "\n")
    out = tmp_path / "out"
    assert run(["run", root, "--out", out, "--shard-size", "1", "-q"], capsys)[0] == 1
    assert len(runs(out)) >= 2  # more than one piece, each its own shard
    published = [json.loads(line) for line in (out / "clean" / "big.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["seq"] for r in published] == [i for i in range(80) if i != 50]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [s["reason"].split(":")[0] for s in summary["skipped"]] == ["line 51"]
    assert len(list((out / "reports" / "big.jsonl").glob("*.html"))) == 79


def test_output_inside_the_input_is_not_read_back(batch_in, capsys):
    out = batch_in / "out"
    assert run(["run", batch_in, "--out", out, "-q"], capsys)[0] == 1
    status, stdout, _ = run(["run", batch_in, "--out", out, "-q"], capsys)
    assert status == 1 and "Did not run any tasks" in stdout
    assert not (out / "clean" / "out").exists()


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--set", "no_such_setting=1"], "unknown setting"),
        (["--set", "reflow=maybe"], "expected true/false"),
        (["--workers", "0"], "must be at least 1"),
    ],
)
def test_usage_errors_exit_2(batch_in, tmp_path, capsys, extra, message):
    status, _, stderr = run(["run", batch_in, "--out", tmp_path / "out", *extra], capsys)
    assert status == 2 and message in stderr
    assert not (tmp_path / "out").exists()


def test_input_must_be_a_folder_outside_out(batch_in, tmp_path, capsys):
    assert run(["run", tmp_path / "missing", "--out", tmp_path / "out"], capsys)[0] == 2
    assert run(["run", batch_in / "a.txt", "--out", tmp_path / "out"], capsys)[0] == 2
    status, _, stderr = run(["run", batch_in / "more", "--out", batch_in], capsys)
    assert status == 2 and "inside --out" in stderr


def test_run_help_documents_exit_codes(capsys):
    assert main(["run", "--help"]) == 0
    text = capsys.readouterr().out
    assert "exit status:" in text and "3  a task failed" in text and "--scheduler-url" in text


# --- the Luigi way -------------------------------------------------------------------------


def test_luigi_command_with_repair_section_matches_the_cli(batch_in, tmp_path, capsys):
    config = tmp_path / "luigi.cfg"
    config.write_text("[core]\nautoload_range = true\n[repair]\nreflow = false\n", encoding="utf-8")
    out = tmp_path / "out-luigi"
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "luigi"), "--module", "pipeline.tasks", "CleanBatch",
         "--input", str(batch_in), "--out", str(out), "--shard-size", "2", "--local-scheduler",
         "--log-level", "WARNING"],
        cwd=tmp_path, env={**os.environ, "LUIGI_CONFIG_PATH": str(config)}, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    flat = Config(reflow=False)
    assert (out / "clean" / "a.txt").read_text(encoding="utf-8") == clean_text(ARTICLE, flat).text

    # The same settings through ocr-repair run give the same bytes.
    cli_out = tmp_path / "out-cli"
    run(["run", batch_in, "--out", cli_out, "--shard-size", "2", "-q", "--set", "reflow=false"], capsys)
    names = files_under(out)
    assert names == files_under(cli_out)
    for name in names - {"summary.json", "summary.html"}:
        assert (out / name).read_bytes() == (cli_out / name).read_bytes(), name


def test_unknown_name_in_the_repair_section_is_an_error(monkeypatch):
    parser = luigi.configuration.get_config()
    monkeypatch.setattr(parser, "has_section", lambda section: section == "repair")
    monkeypatch.setattr(parser, "options", lambda section: ["reflow", "min_confidance"])
    with pytest.raises(ValueError, match="min_confidance"):
        tasks.resolve_config()


# --- scheduled runs ------------------------------------------------------------------------


# Luigi's own RangeBase.param_name defaults to None on a string parameter, and says so.
@pytest.mark.filterwarnings('ignore:Parameter "param_name" with value "None":UserWarning')
def test_daily_runs_and_backfill(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    _write(inbox / "2024-05-01" / "a.txt", ARTICLE)
    _write(inbox / "2024-05-03" / "feed.jsonl", _wire_bytes(WIRE[:1]))
    may = lambda day: datetime.date(2024, 5, day)  # noqa: E731

    backfill = luigi.tools.range.RangeDailyBase(
        of=tasks.DailyClean, of_params={"inbox": str(inbox), "out": str(out)},
        start=may(1), stop=may(4), days_back=100_000,
    )
    result = tasks.build(backfill)
    # The missing inbox day is not done: a missing external dependency, retried next time.
    assert result.status == LuigiStatusCode.MISSING_EXT
    assert "InputFolder" in result.summary_text
    assert (out / "2024-05-01" / "clean" / "a.txt").read_text(encoding="utf-8") == clean_text(ARTICLE).text
    assert (out / "2024-05-03" / "clean" / "feed.jsonl").is_file()
    assert not (out / "2024-05-02").exists()
    assert [tasks.DailyClean(may(d), inbox=inbox, out=out).complete() for d in (1, 2, 3)] == [True, False, True]

    # The same day again does nothing.
    luigi.task_register.Register.clear_instance_cache()
    again = tasks.build(tasks.DailyClean(date=may(1), inbox=inbox, out=out))
    assert again.status == LuigiStatusCode.SUCCESS and "Did not run any tasks" in again.summary_text

    # The late day arrives: the next backfill does it, and only it.
    _write(inbox / "2024-05-02" / "b.txt", "Late: inBGeneva.\n")
    luigi.task_register.Register.clear_instance_cache()
    late = tasks.build(luigi.tools.range.RangeDailyBase(
        of=tasks.DailyClean, of_params={"inbox": str(inbox), "out": str(out)},
        start=may(1), stop=may(4), days_back=100_000,
    ))
    assert late.status == LuigiStatusCode.SUCCESS
    assert "DailyClean(date=2024-05-02" in late.summary_text
    assert "2024-05-01" not in late.summary_text.split("ran successfully")[1]
    assert (out / "2024-05-02" / "clean" / "b.txt").is_file()

    # RangeDaily (bulk completeness) agrees.
    luigi.task_register.Register.clear_instance_cache()
    bulk = luigi.tools.range.RangeDaily(
        of=tasks.DailyClean, of_params={"inbox": str(inbox), "out": str(out)},
        start=may(1), stop=may(4), days_back=100_000,
    )
    assert bulk.requires() == []


def test_an_empty_inbox_day_is_done_with_an_empty_result(tmp_path):
    (tmp_path / "inbox" / "2024-06-01").mkdir(parents=True)
    task = tasks.DailyClean(date=datetime.date(2024, 6, 1), inbox=tmp_path / "inbox", out=tmp_path / "out")
    assert tasks.build(task).status == LuigiStatusCode.SUCCESS
    summary = json.loads((tmp_path / "out" / "2024-06-01" / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["documents"] == 0 and task.complete()


def test_run_as_a_module_script(batch_in, tmp_path):
    # The console script's entry point, in a fresh process, with two forked workers.
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run", str(batch_in), "--out", str(tmp_path / "out"),
         "--workers", "2", "--shard-size", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "ocr-repair: 18/18 documents" in done.stderr  # the progress line's last state
    assert "skipped bad.txt" in done.stderr


def test_inputs_whose_outputs_would_collide_are_skipped_not_overwritten(tmp_path, capsys):
    root = tmp_path / "in"
    _write(root / "a.txt", "Plain text: ofBits.\n")
    # Its reports would need reports/a.txt.edits.jsonl as a folder: a.txt has that file.
    _write(root / "a.txt.edits.jsonl", _wire_bytes(WIRE[:1]))
    out = tmp_path / "out"
    status, _, stderr = run(["run", root, "--out", out, "-q"], capsys)
    assert status == 1
    assert "skipped a.txt.edits.jsonl: its output names collide with those of a.txt" in stderr
    assert (out / "reports" / "a.txt.edits.jsonl").is_file() and (out / "clean" / "a.txt").is_file()
    assert not (out / "clean" / "a.txt.edits.jsonl").exists()


def _published_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in files_under(out)}


def test_gc_frees_old_configurations_and_unused_shards_and_keeps_the_result(batch_in, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["run", batch_in, "--out", out, "--shard-size", "2", "-q"]
    assert run(args, capsys)[0] == 1
    old_hash = batch.read_state(out)["config_hash"]
    assert run(args + ["--set", "reflow=false"], capsys)[0] == 1
    state = batch.read_state(out)
    new_hash = state["config_hash"]
    assert new_hash != old_hash and (out / ".work" / old_hash).is_dir()

    # Recent folders are kept by default: a run of the other configuration may be using them.
    status, stdout, _ = run(["gc", out], capsys)
    assert status == 0 and "removed 0 folders" in stdout and "changed recently" in stdout
    assert (out / ".work" / old_hash).is_dir()

    # A removed input leaves a shard of the published configuration unused.
    (batch_in / "more" / "m05.txt").unlink()
    assert run(args + ["--set", "reflow=false"], capsys)[0] == 1
    state = batch.read_state(out)
    shards = {p.name for p in (out / ".work" / new_hash / "shards").iterdir()}
    assert set(state["shards"]) < shards
    published = _published_bytes(out)

    status, stdout, _ = run(["gc", out, "--min-age", "0", "--dry-run"], capsys)
    assert status == 0 and "would remove" in stdout
    assert (out / ".work" / old_hash).is_dir()

    status, stdout, _ = run(["gc", out, "--min-age", "0"], capsys)
    assert status == 0
    assert f"removed .work/{old_hash}\n" in stdout
    assert not (out / ".work" / old_hash).exists()
    assert {p.name for p in (out / ".work" / new_hash / "shards").iterdir()} == set(state["shards"])
    assert _published_bytes(out) == published  # the result never depended on what went

    # The published configuration still has every shard: a re-run does nothing.
    count = len(all_runs(out))
    status, stdout, _ = run(args + ["--set", "reflow=false"], capsys)
    assert status == 1 and "Did not run any tasks" in stdout
    assert len(all_runs(out)) == count and _published_bytes(out) == published

    status, _, stderr = run(["gc", tmp_path / "in"], capsys)
    assert status == 1 and "not an output folder" in stderr


# A court report printed with "x" for "e", a confusion the learned table never saw (as
# tests/test_spelling.py's X_FOR_E).
X_FOR_E = (
    "Thx prisonxr was chargxd at thx police-court with stealing jxwellery from thx house of Sir Robxrt. "
    "Thx magistratx said thx dxfendant had callxd at thx house on thx xvening of March 23 and said hx had "
    "bxxn there bxfore. Thx chargxs wxre rxad ovxr, and thx prisonxr was rxmanded for a wxek; "
    "Mr. Pittendreigh appxarxd for him."
)


def test_a_shard_is_a_batch_whose_error_model_adapts_to_its_ocr_engine(tmp_path, capsys):
    inbox = tmp_path / "in"
    inbox.mkdir()
    for k in range(6):
        (inbox / f"r{k}.txt").write_text(X_FOR_E, encoding="utf-8")
    read = {}
    for adapt in ("true", "false"):
        out = tmp_path / f"out-{adapt}"
        args = ["run", inbox, "--out", out, "--shard-size", "10", "-q", "--set", "fix_spelling=true",
                "--set", f"adapt_to_batch={adapt}"]
        assert run(args, capsys)[0] == 0
        read[adapt] = [(out / "clean" / f"r{k}.txt").read_text(encoding="utf-8") for k in range(6)]
    alone = clean_text(X_FOR_E, Config(fix_spelling=True)).text
    assert read["false"] == [alone] * 6
    assert read["true"][0] == alone and any("said he had been there" in text for text in read["true"])
