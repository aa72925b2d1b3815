"""Readers, file names for ids, and shard identity (pipeline.documents, pipeline.batch):
everything a batch decides before Luigi is involved. No test here cleans text."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import batch
from pipeline.config import Config
from pipeline.documents import (
    Document,
    Skipped,
    decode_text,
    parse_jsonl,
    read_jsonl,
    read_txt,
    safe_filename,
)

# --- .txt ----------------------------------------------------------------------------------


def test_read_txt_gives_one_document_named_by_relative_path(tmp_path):
    (tmp_path / "a b").mkdir()
    path = tmp_path / "a b" / "Zürich.txt"
    path.write_bytes(b"\xef\xbb\xbfof\xc2\xa0its\r\n")
    [doc] = read_txt(path, tmp_path)
    assert doc == Document(id="a b/Zürich.txt", text="of\u00a0its\r\n", relpath="a b/Zürich.txt", decoding="utf-8-sig")


def test_read_txt_reports_bad_utf8_and_missing_files(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("first\ncafé\n".encode("latin-1"))
    assert list(read_txt(bad, tmp_path)) == [
        Skipped("latin1.txt", "not valid UTF-8 at byte 9 (0xe9: invalid continuation byte)")
    ]
    assert list(read_txt(tmp_path / "gone.txt", tmp_path)) == [Skipped("gone.txt", "cannot read: no such file")]


def test_decode_text_offsets_count_the_bom():
    with pytest.raises(ValueError, match="at byte 4 "):
        decode_text(b"\xef\xbb\xbfa\xff")


# --- .jsonl --------------------------------------------------------------------------------


def test_jsonl_records_keep_their_other_fields_in_order():
    data = b'{"source": "AP", "text": "ofBits", "id": "a1", "tags": ["x"], "n": 1.5}\r\n'
    [doc] = parse_jsonl(data, "feed.jsonl")
    assert (doc.id, doc.text, doc.line) == ("a1", "ofBits", 1)
    assert doc.metadata == {"source": "AP", "id": "a1", "tags": ["x"], "n": 1.5}
    assert json.dumps(doc.record("of its")) == '{"source": "AP", "text": "of its", "id": "a1", "tags": ["x"], "n": 1.5}'


def test_jsonl_bad_lines_are_skipped_with_line_numbers():
    lines = [
        b'{"id": 1, "text": "fine"}',
        b"",
        b"   ",
        b'{"id": 2, "text": "cut off',
        b"[1, 2]",
        b'{"text": "no id"}',
        b'{"id": true, "text": "bool id"}',
        b'{"id": {"a": 1}, "text": "object id"}',
        b'{"id": 3}',
        b'{"id": 4, "text": 17}',
        b'{"id": 5, "text": NaN}',
        b'{"id": 6, "text": "caf\xe9"}',
        b'{"id": 7, "text": "lone \\ud800 surrogate"}',
        b'{"id": "", "text": "empty id is an id"}',
    ]
    items = list(parse_jsonl(b"\n".join(lines) + b"\n", "f.jsonl", first_line=10))
    docs = [item for item in items if isinstance(item, Document)]
    reasons = [item.reason for item in items if isinstance(item, Skipped)]
    assert [(d.id, d.line) for d in docs] == [(1, 10), ("", 23)]
    assert reasons == [
        "line 13: not valid JSON: Unterminated string starting at (column 19)",
        "line 14: not a JSON object",
        'line 15: no "id"',
        'line 16: "id" must be a string or an integer',
        'line 17: "id" must be a string or an integer',
        'line 18: no "text"',
        'line 19: a non-string "text"',
        "line 20: not valid JSON: NaN is not valid JSON",
        "line 21: not valid UTF-8 at byte 22 of the line",
        "line 22: holds a lone surrogate (\\ud800...), which is not text",
    ]


def test_read_jsonl_reads_a_byte_range_of_whole_lines(tmp_path):
    path = tmp_path / "f.jsonl"
    lines = [json.dumps({"id": n, "text": f"article {n}"}) + "\n" for n in range(5)]
    path.write_text("".join(lines), encoding="utf-8")
    start = len(lines[0]) + len(lines[1])
    end = start + len(lines[2]) + len(lines[3])
    docs = list(read_jsonl(path, tmp_path, start, end, first_line=3))
    assert [(d.id, d.line) for d in docs] == [(2, 3), (3, 4)]


def test_bom_is_dropped_on_the_first_line_only():
    [doc] = parse_jsonl(b'\xef\xbb\xbf{"id": 1, "text": "a"}\n', "f.jsonl")
    assert doc.decoding == "utf-8-sig"
    [skip] = parse_jsonl(b'\xef\xbb\xbf{"id": 1, "text": "a"}\n', "f.jsonl", first_line=2)
    assert isinstance(skip, Skipped)


# --- ids as file names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc_id", ["../../x", "..", ".", "/etc/passwd", "a/../../b", "\\..\\x", "", "x\x00y", ".hidden", "~", "%2F", "CON"]
)
def test_safe_filename_stays_in_its_folder(doc_id, tmp_path):
    name = safe_filename(doc_id)
    assert name and "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".")
    target = (tmp_path / f"{name}.html").resolve()
    assert target.parent == tmp_path.resolve()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_safe_filename_is_safe_short_and_injective(a, b):
    for doc_id in (a, b):
        name = safe_filename(doc_id)
        assert "/" not in name and "\x00" not in name and not name.startswith(".")
        # Room for ".html" and a "~<line>" suffix within the 255-byte limit of file systems.
        assert len(name.encode("utf-8")) <= 255 - len(".html") - len("~1234567890")
    if a != b:
        assert safe_filename(a) != safe_filename(b)


def test_safe_filename_keeps_readable_ids_readable():
    assert safe_filename("AP-2016-09-22.001") == "AP-2016-09-22.001"
    assert safe_filename("Genève 12") == "Genève%2012"
    assert safe_filename(42) == "42"


# --- finding inputs ------------------------------------------------------------------------


def _write(path: Path, text: str = "x\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_find_inputs_walks_sorted_and_leaves_out_hidden_other_and_out(tmp_path):
    root = tmp_path / "in"
    for name in ["b.txt", "a/z.jsonl", "a/y.TXT", "a/notes.md", ".hidden.txt", ".git/x.txt", "out/clean/a.txt"]:
        _write(root / name)
    os.mkfifo(root / "pipe.txt")
    found, skipped = batch.find_inputs(root, exclude=[root / "out"])
    assert [(f.relpath, f.kind) for f in found] == [("a/y.TXT", "txt"), ("a/z.jsonl", "jsonl"), ("b.txt", "txt"), ("pipe.txt", "txt")]
    assert skipped == []
    plan = batch.plan_batch(root, "cfg", exclude=[root / "out"])
    assert plan.skipped == (Skipped("pipe.txt", "cannot read: not a regular file"),)


def test_file_names_that_are_not_utf8_are_skipped(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    with open(os.path.join(os.fsencode(root), b"caf\xe9.txt"), "wb") as stream:
        stream.write(b"text\n")
    found, skipped = batch.find_inputs(root)
    assert found == []
    assert skipped == [Skipped("caf\ufffd.txt", "file name is not valid UTF-8")]


# --- shards and their identity -------------------------------------------------------------


def _corpus(root: Path, count: int = 40) -> None:
    for number in range(count):
        _write(root / f"part{number % 3}" / f"article-{number:03d}.txt", f"article {number}\n")


def _shards(root: Path, config_hash: str = "cfg", shard_size: int = 4) -> dict[str, tuple[str, ...]]:
    plan = batch.plan_batch(root, config_hash, shard_size=shard_size)
    return {shard.id: tuple(unit.relpath for unit in shard.units) for shard in plan.shards}


def test_plan_is_deterministic_and_covers_every_file_once(tmp_path):
    _corpus(tmp_path)
    first, second = _shards(tmp_path), _shards(tmp_path)
    assert first == second
    paths = [path for group in first.values() for path in group]
    assert sorted(paths) == paths and len(paths) == len(set(paths)) == 40
    assert 4 <= len(first) <= 25  # about 40 / 4 shards


def _boundary(relpath: str, shard_size: int = 4) -> bool:
    return batch.ends_shard(batch.Unit(relpath, "txt", 0, 0, 0, 1, "", 1), shard_size)


def test_adding_a_file_changes_only_the_shard_it_falls_in(tmp_path):
    _corpus(tmp_path)
    before = _shards(tmp_path)
    name = next(f"part1/added-{n}.txt" for n in range(100) if not _boundary(f"part1/added-{n}.txt"))
    _write(tmp_path / name, "new\n")
    after = _shards(tmp_path)
    new = set(after) - set(before)
    assert len(new) == 1 and name in after[new.pop()]
    assert len(set(before) - set(after)) == 1


def test_a_new_file_that_ends_a_shard_changes_at_most_two(tmp_path):
    _corpus(tmp_path)
    before = _shards(tmp_path)
    name = next(f"part1/added-{n}.txt" for n in range(100) if _boundary(f"part1/added-{n}.txt"))
    _write(tmp_path / name, "new\n")
    after = _shards(tmp_path)
    assert 1 <= len(set(after) - set(before)) <= 2


def test_changing_or_removing_a_file_changes_only_its_shard(tmp_path):
    _corpus(tmp_path)
    before = _shards(tmp_path)
    _write(tmp_path / "part2" / "article-020.txt", "changed\n")
    changed = _shards(tmp_path)
    assert len(set(changed) - set(before)) == 1
    (tmp_path / "part0" / "article-021.txt").unlink()
    removed = _shards(tmp_path)
    assert len(set(removed) - set(changed)) == 1


def test_touching_a_file_without_changing_it_changes_nothing(tmp_path):
    _corpus(tmp_path)
    before = _shards(tmp_path)
    path = tmp_path / "part0" / "article-003.txt"
    os.utime(path, ns=(1, 1))
    path.write_bytes(path.read_bytes())
    assert _shards(tmp_path) == before


def test_configuration_is_part_of_every_shard_id(tmp_path):
    _corpus(tmp_path)
    assert not set(_shards(tmp_path, "cfg-a")) & set(_shards(tmp_path, "cfg-b"))


def test_large_jsonl_is_cut_in_pieces_at_line_ends(tmp_path):
    lines = [json.dumps({"id": n, "text": "word " * 400}) + "\n" for n in range(100)]  # ~200 KB
    path = tmp_path / "big.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    plan = batch.plan_batch(tmp_path, "cfg", shard_size=1)
    units = [unit for shard in plan.shards for unit in shard.units]
    assert len(units) >= 3 and len(plan.shards) == len(units)
    assert [u.index for u in units] == list(range(len(units)))
    assert units[0].start == 0 and units[-1].end == path.stat().st_size
    assert all(a.end == b.start for a, b in zip(units, units[1:]))
    assert sum(u.documents for u in units) == 100
    for unit in units:
        docs = list(read_jsonl(path, tmp_path, unit.start, unit.end, unit.first_line))
        assert [d.line for d in docs] == [d.id + 1 for d in docs]
    # Appending redoes only the last piece (and adds new ones).
    with path.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps({"id": 100, "text": "late"}) + "\n")
    again = batch.plan_batch(tmp_path, "cfg", shard_size=1)
    assert [s.id for s in again.shards[:-1]] == [s.id for s in plan.shards[:-1]]
    assert again.shards[-1].id != plan.shards[-1].id


def test_an_empty_jsonl_file_is_one_empty_unit(tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    [shard] = batch.plan_batch(tmp_path, "cfg").shards
    assert [(u.relpath, u.documents, u.size) for u in shard.units] == [("empty.jsonl", 0, 0)]


# --- configuration identity ----------------------------------------------------------------


def test_config_identity_follows_settings_and_word_lists(tmp_path):
    base = batch.config_identity(Config())
    assert batch.config_identity(Config()) == base
    assert batch.config_identity(Config(reflow=False)) != base
    words = tmp_path / "dictionaries"
    words.mkdir()
    for path in Config().resolved_dictionary_dir().glob("*.txt"):
        (words / path.name).write_bytes(path.read_bytes())
    copied = batch.config_identity(Config(dictionary_dir=str(words)))
    with (words / "abbreviations_en.txt").open("a", encoding="utf-8") as stream:
        stream.write("Xyz. 1\n")
    assert batch.config_identity(Config(dictionary_dir=str(words))) != copied


# --- progress ------------------------------------------------------------------------------


class _Log:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass

    def isatty(self):
        return False


def test_progress_counts_shards_as_their_folders_appear(tmp_path):
    shards = [batch.Shard(f"s{n}", (batch.Unit(f"{n}.txt", "txt", 0, 0, 500_000, 1, "", 10),)) for n in range(4)]
    log = _Log()
    progress = batch.Progress(tmp_path, shards, stream=log, interval=60)
    (tmp_path / "s1").mkdir()
    (tmp_path / ".tmp-s2-abc").mkdir()  # not finished: not counted
    progress.poll()
    assert (progress.documents, progress.bytes) == (10, 500_000)
    assert progress.line().startswith("ocr-repair: 10/40 documents, 0.5/2.0 MB, ")
    progress.start()
    progress.stop()
    assert log.text.startswith("ocr-repair: 10/40 documents") and log.text.endswith(" s\n")
