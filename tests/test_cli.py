"""The ``ocr-repair`` command line: plumbing, not repairs (those are tested stage by stage).

Expected outputs come from :func:`pipeline.clean_text` itself, so these tests hold whatever
the stages decide; they check what the command adds: reading, decoding, formats, errors,
exit codes, atomic output, and bytes on stdout.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import Config, clean_text
from pipeline.cli import main
from pipeline.edits import Edit, apply_edits, read_jsonl

ROOT = Path(__file__).resolve().parents[1]

ARTICLE = (
    "It was hard to escape the impression that Moscow decided to bomb its way out\n"
    "ofBits most important achievement inBGeneva, which itBhad sought forBmonths.\n"
    "\n"
    "Syriaâ€™s civil war — the ﬁrst cafÃ© in Aleppo reopened.\n"
)
PLAIN = "Nothing to repair here.\n"


def clean(text: str, **settings) -> str:
    return clean_text(text, Config(**settings)).text


@pytest.fixture
def files(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text(PLAIN, encoding="utf-8")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("first line\ncaf\u00e9 au lait\n".encode("latin-1"))
    return {"article": article, "plain": plain, "latin1": latin1, "dir": tmp_path}


def run(argv, capsysbinary) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    captured = capsysbinary.readouterr()
    return status, captured.out.decode("utf-8"), captured.err.decode("utf-8")


# --- clean text ----------------------------------------------------------------------------


def test_clean_prints_clean_text(files, capsysbinary):
    status, out, err = run(["clean", files["article"]], capsysbinary)
    assert (status, err) == (0, "")
    assert out == clean(ARTICLE)
    assert "Syria’s" in out and "of its" in out  # the stages did run


def test_several_files_in_order(files, capsysbinary):
    status, out, _ = run(["clean", files["article"], files["plain"]], capsysbinary)
    assert status == 0
    assert out == clean(ARTICLE) + clean(PLAIN)


def test_stdin_dash_and_bom(monkeypatch, capsysbinary):
    data = b"\xef\xbb\xbf" + ARTICLE.encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    status, out, err = run(["clean", "-"], capsysbinary)
    assert (status, err) == (0, "")
    assert out == clean(ARTICLE)  # the BOM is not part of the text


def test_keep_line_breaks_and_set(files, capsysbinary):
    _, kept, _ = run(["clean", "--keep-line-breaks", files["article"]], capsysbinary)
    assert kept == clean(ARTICLE, keep_line_breaks=True)
    assert kept.count("\n") == ARTICLE.count("\n")
    _, no_encoding, _ = run(["clean", "--set", "fix_encoding=false", files["article"]], capsysbinary)
    assert "â€™" in no_encoding
    assert no_encoding == clean(ARTICLE, fix_encoding=False)


def test_output_file_is_written_atomically(files, capsysbinary):
    target = files["dir"] / "out" / "clean.txt"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    status, out, err = run(["clean", files["article"], "-o", target], capsysbinary)
    assert (status, out, err) == (0, "", "")
    assert target.read_text(encoding="utf-8") == clean(ARTICLE)
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)  # the file keeps its mode
    assert sorted(p.name for p in target.parent.iterdir()) == ["clean.txt"]  # no temp file left


def test_output_in_place(files, capsysbinary):
    status, _, _ = run(["clean", files["article"], "--output", files["article"]], capsysbinary)
    assert status == 0
    assert files["article"].read_text(encoding="utf-8") == clean(ARTICLE)


def test_output_not_replaced_when_every_input_fails(files, capsysbinary):
    target = files["dir"] / "kept.txt"
    target.write_text("previous result", encoding="utf-8")
    status, _, err = run(["clean", files["dir"] / "missing.txt", "-o", target], capsysbinary)
    assert status == 1 and "missing.txt" in err
    assert target.read_text(encoding="utf-8") == "previous result"


def test_unwritable_output(files, capsysbinary):
    status, _, err = run(["clean", files["plain"], "-o", files["dir"] / "no" / "such" / "x.txt"], capsysbinary)
    assert status == 1
    assert "cannot write" in err and "x.txt" in err


# --- edits and diff ------------------------------------------------------------------------


def test_edits_replay_exactly(files, capsysbinary):
    status, out, _ = run(["clean", "--edits", files["article"]], capsysbinary)
    assert status == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert records and all(set(r) == {"start", "end", "before", "after", "rule", "confidence", "why"} for r in records)
    edits = list(read_jsonl(io.StringIO(out)))
    assert apply_edits(ARTICLE, edits) == clean(ARTICLE)
    assert {"encoding", "ligature"} <= {rule for e in edits for rule in e.rule.split("+")}


def test_edits_with_suggestions(files, capsysbinary):
    # A threshold at the highest confidence any stage gives leaves something on both sides,
    # whatever the stages' exact numbers are.
    confidences = sorted({e.confidence for e in clean_text(ARTICLE, Config(min_confidence=0.0)).edits})
    if len(confidences) < 2:
        pytest.skip("every edit has the same confidence; nothing to split")
    threshold = confidences[-1]
    status, out, _ = run(
        ["clean", "--edits", "--suggestions", "--min-confidence", repr(threshold), files["article"]], capsysbinary
    )
    assert status == 0
    records = [json.loads(line) for line in out.splitlines()]
    applied = [Edit.from_dict(r) for r in records if r["applied"] is True]
    suggested = [Edit.from_dict(r) for r in records if r["applied"] is False]
    assert applied and suggested and len(applied) + len(suggested) == len(records)
    assert [r["start"] for r in records] == sorted(r["start"] for r in records)
    assert apply_edits(ARTICLE, applied) == clean(ARTICLE, min_confidence=threshold)
    assert all(e.confidence < threshold for e in suggested)
    assert all(e.confidence >= threshold for e in applied)
    # Suggestions point into the same input and do not collide with the applied edits.
    assert apply_edits(ARTICLE, applied + suggested) == clean(ARTICLE, min_confidence=0.0)


def test_edits_of_several_files_name_them(files, capsysbinary):
    _, out, _ = run(["clean", "--edits", files["article"], files["plain"]], capsysbinary)
    records = [json.loads(line) for line in out.splitlines()]
    assert records and {r["file"] for r in records} <= {str(files["article"]), str(files["plain"])}


def test_diff(files, capsysbinary):
    status, out, _ = run(["clean", "--diff", files["article"], files["plain"]], capsysbinary)
    assert status == 0
    name = str(files["article"])
    assert out.startswith(f"--- a/{name}\n+++ b/{name}\n@@ ")
    lines = out.splitlines()
    assert "-Syriaâ€™s civil war — the ﬁrst cafÃ© in Aleppo reopened." in lines
    assert any(line.startswith("+") and "Syria’s civil war" in line for line in lines)
    assert str(files["plain"]) not in out  # nothing to show for an unchanged file


def test_diff_without_final_newline(tmp_path, capsysbinary):
    path = tmp_path / "x.txt"
    path.write_text("Syriaâ€™s war", encoding="utf-8")
    _, out, _ = run(["clean", "--diff", path], capsysbinary)
    assert out.endswith("\n\\ No newline at end of file\n")
    assert "-Syriaâ€™s war\n\\ No newline at end of file\n+" in out


# --- errors and exit codes -----------------------------------------------------------------


def test_bad_inputs_among_good_ones(files, capsysbinary):
    missing = files["dir"] / "missing.txt"
    status, out, err = run(
        ["clean", files["article"], missing, files["latin1"], files["dir"], files["plain"]], capsysbinary
    )
    assert status == 1
    assert out == clean(ARTICLE) + clean(PLAIN)  # the good ones, in order
    errors = err.splitlines()
    assert errors == [
        f"ocr-repair: {missing}: no such file",
        f"ocr-repair: {files['latin1']}: not valid UTF-8 at byte 14 (0xe9: invalid continuation byte)",
        f"ocr-repair: {files['dir']}: is a directory",
    ]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root (or non-POSIX) reads any file")
def test_unreadable_file(files, capsysbinary):
    os.chmod(files["plain"], 0)
    try:
        status, _, err = run(["clean", files["plain"]], capsysbinary)
    finally:
        os.chmod(files["plain"], 0o644)
    assert status == 1 and f"{files['plain']}: permission denied" in err


def test_permission_denied_is_named(files, capsysbinary, monkeypatch):
    # The real chmod test above cannot run as root; the message path is the same.
    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    status, _, err = run(["clean", files["plain"]], capsysbinary)
    assert status == 1 and err == f"ocr-repair: {files['plain']}: permission denied\n"


def test_utf8_error_offset_counts_the_bom(tmp_path, capsysbinary):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfab\xff")
    _, _, err = run(["clean", path], capsysbinary)
    assert "not valid UTF-8 at byte 5 (0xff: invalid start byte)" in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["clean", "--set", "nonsense=1", "x"], "unknown setting 'nonsense'"),
        (["clean", "--set", "reflow=maybe", "x"], "expected true/false"),
        (["clean", "--set", "reflow", "x"], "expected NAME=VALUE"),
        (["clean", "--min-confidence", "2", "x"], "between 0 and 1"),
        (["clean", "--suggestions", "x"], "--suggestions needs --edits"),
        (["clean", "--diff", "--edits", "x"], "not allowed with"),
        (["clean"], "required: FILE"),
        (["polish", "x"], "invalid choice"),
        ([], "required: COMMAND"),
    ],
)
def test_usage_errors_exit_2(argv, message, capsysbinary):
    status, out, err = run(argv, capsysbinary)
    assert status == 2 and out == ""
    assert message in err


def test_help_documents_exit_codes(capsysbinary):
    for argv in (["--help"], ["clean", "--help"]):
        status, out, _ = run(argv, capsysbinary)
        assert status == 0
        assert "exit status:" in out and "  1  " in out and "  2  usage error" in out


# --- as a program --------------------------------------------------------------------------


def _program_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO", "PYTHONUTF8"))}
    env.update(LANG="C", LC_ALL="C", PYTHONUTF8="0")  # an ASCII locale must not matter
    return env


def test_module_as_program_writes_utf8_bytes(files):
    data = ARTICLE.encode("utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "clean", "-", str(files["dir"] / "missing.txt")],
        input=data,
        capture_output=True,
        env=_program_env(),
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stdout == clean(ARTICLE).encode("utf-8")  # exact bytes: UTF-8, "\n" untouched
    assert b"missing.txt: no such file" in done.stderr


def test_console_script(files):
    script = Path(sys.executable).with_name("ocr-repair")
    if not script.exists():
        pytest.skip(f"console script not installed at {script}")
    done = subprocess.run(
        [str(script), "clean", "--edits", str(files["article"])], capture_output=True, env=_program_env(), timeout=120
    )
    assert done.returncode == 0, done.stderr
    edits = list(read_jsonl(io.StringIO(done.stdout.decode("utf-8"))))
    assert apply_edits(ARTICLE, edits) == clean(ARTICLE)


def test_cli_does_not_import_luigi():
    code = "import sys, pipeline.cli; sys.exit('luigi' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=120).returncode == 0


def test_eval_scores_a_pair_of_folders(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "truth").mkdir()
    (tmp_path / "in" / "a.txt").write_text("It wasBa dark nightBand the rainBfell.\n", encoding="utf-8")
    (tmp_path / "truth" / "a.txt").write_text("It was a dark night and the rain fell.\n", encoding="utf-8")
    assert main(["eval", "--input", str(tmp_path / "in"), "--truth", str(tmp_path / "truth")]) == 0
    table = capsys.readouterr().out
    assert "CER" in table and "WER" in table and str(tmp_path / "in") in table
