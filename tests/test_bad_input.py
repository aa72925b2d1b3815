"""Bad input: whatever lands in the input folder, each file is cleaned (with the decoding it
needed, recorded) or skipped with its reason, the rest of the batch goes on, and the exit
status says which. The decoding policy is pipeline.documents.decode_bytes; the size limit
is pipeline.batch.Reading.max_file_mb.

The batch runs in a subprocess, so that its peak memory can be measured on its own, and,
when the tests run as root, without the capabilities that let root read any file
(CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, dropped from the bounding set before exec), so
that a file with mode 000 really cannot be read: chmod alone proves nothing to root.
"""

from __future__ import annotations

import codecs
import ctypes
import gzip
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from pipeline import batch, clean_text
from pipeline.documents import BinaryData, DecodeError, Skipped, decode_bytes, parse_jsonl, parse_txt

ROOT = Path(__file__).resolve().parents[1]
SEED = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
TEXT = "Café society: the talks inBGeneva went on forBmonths, ofBits own accord.\nIt was hard.\n"
MiB = 1 << 20


# --- the decoding policy, byte by byte ------------------------------------------------------

RANDOM = random.Random(5).randbytes(4096)


@pytest.mark.parametrize(
    "data, strict, guessed",
    [
        (b"", ("", "utf-8"), ("", "utf-8")),
        ("café".encode(), ("café", "utf-8"), ("café", "utf-8")),
        (codecs.BOM_UTF8 + "café".encode(), ("café", "utf-8-sig"), ("café", "utf-8-sig")),
        ("café".encode("utf-16"), ("café", "utf-16"), ("café", "utf-16")),
        (codecs.BOM_UTF16_BE + "café".encode("utf-16-be"), ("café", "utf-16"), ("café", "utf-16")),
        ("café 🙂".encode("utf-32"), ("café 🙂", "utf-32"), ("café 🙂", "utf-32")),
        # A UTF-16 BOM and an odd number of bytes: not UTF-16 as it stands.
        (codecs.BOM_UTF16_LE + b"a\x00b", "not valid UTF-16", ("a\ufffd", "utf-16 with replacement")),
        ("“Zoë” — café".encode("cp1252"), "not valid UTF-8 at byte 0 (0x93", ("“Zoë” — café", "cp1252")),
        (b"caf\xe9 \x81", "not valid UTF-8 at byte 3", ("café \x81", "latin-1")),
        ("naïve café résumé ".encode() + b"\xff", "0xff: invalid start byte",
         ("naïve café résumé \ufffd", "utf-8 with replacement")),
        (b"a\x00b\x00c\x00" + "ok".encode() * 50, ("a\x00b\x00c\x00" + "ok" * 50, "utf-8"), None),
        ("text\r\nwith CRLF\rand CR\n".encode(), ("text\r\nwith CRLF\rand CR\n", "utf-8"), None),
    ],
)
def test_decode_bytes_policy(data, strict, guessed):
    for guess, expected in ((False, strict), (True, guessed if guessed is not None else strict)):
        if isinstance(expected, str):
            with pytest.raises(DecodeError, match=expected.replace("(", r"\(")):
                decode_bytes(data, guess)
        else:
            assert decode_bytes(data, guess) == expected


def _zip() -> bytes:
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w") as archive:
        archive.writestr("article.txt", TEXT)
    return sink.getvalue()


BINARIES = {
    "PDF": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 >>\nstream\nx\x9c\x03\x00endstream\n",
    "PNG": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    "zip": _zip(),
    "gzip": gzip.compress(TEXT.encode(), mtime=0),
    "JPEG": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "GIF": b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
    "ELF executable": Path(sys.executable).resolve().read_bytes()[:4096],
    "control bytes": RANDOM,
    "UTF-16 text without a byte-order mark": TEXT.encode("utf-16-le"),
}


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_binary_files_are_named_never_decoded(kind):
    for guess in (False, True):
        with pytest.raises(BinaryData, match="binary file") as raised:
            decode_bytes(BINARIES[kind], guess)
        assert kind in str(raised.value)


def test_nul_bytes_in_text_are_kept_and_survive_the_repair():
    text, decoding = decode_bytes(TEXT.replace("talks", "ta\x00lks").encode())
    assert decoding == "utf-8" and "\x00" in text
    cleaned = clean_text(text)
    assert "ta\x00lks" in cleaned.text  # kept: the input's, not ours to drop


def test_readers_record_the_decoding_and_skip_binary_once():
    data = "“Zoë” ofBits".encode("cp1252")
    assert parse_txt(data, "a.txt") == Skipped("a.txt", "not valid UTF-8 at byte 0 (0x93: invalid start byte)")
    assert parse_txt(data, "a.txt", hint=True).reason.endswith("; decode=auto would read it as cp1252")
    doc = parse_txt(data, "a.txt", guess=True)
    assert (doc.text, doc.decoding) == ("“Zoë” ofBits", "cp1252")

    lines = b'{"id": 1, "text": "fine"}\n' + '{"id": 2, "text": "“Zoë”"}\n'.encode("cp1252")
    assert [getattr(item, "decoding", None) for item in parse_jsonl(lines, "f.jsonl", guess=True)] == ["utf-8", "cp1252"]
    # A zip renamed .jsonl is one skip, not one per line of garbage.
    assert list(parse_jsonl(BINARIES["zip"], "z.jsonl")) == [Skipped("z.jsonl", "binary file (zip)")]
    [skip] = parse_jsonl(RANDOM + b"\n", "z.jsonl", first_line=40)
    assert skip.reason.startswith("lines 40-") and ": binary data (" in skip.reason
    assert list(parse_jsonl("\n".join(["x"] * 3).encode("utf-16"), "u.jsonl")) == [
        Skipped("u.jsonl", "a .jsonl file must be UTF-8; this one is UTF-16 (it has a byte-order mark)")
    ]


# --- one batch of everything ------------------------------------------------------------------


def _prose(size: int) -> str:
    """``size`` characters (and bytes: ASCII only) of the seed article, on one line."""
    text = SEED.replace("\n", " ").encode("ascii", "ignore").decode()
    return (text * (size // len(text) + 1))[:size]


def _jsonl(*records) -> bytes:
    return b"".join((r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode()) + b"\n" for r in records)


def build_corpus(root: Path, outside: Path) -> dict:
    """Every kind of bad input under ``root``; returns what each should become, per mode:
    {relpath or (relpath, line): {"utf-8": expectation, "auto": expectation}}, where an
    expectation is ("clean", decoding) or ("skip", start of the reason)."""
    expect: dict = {}

    def put(relpath: str, data: bytes, strict, auto=None):
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expect[relpath] = {"utf-8": strict, "auto": auto or strict}

    put("plain/utf8.txt", TEXT.encode(), ("clean", "utf-8"))
    put("plain/utf8-bom.txt", codecs.BOM_UTF8 + TEXT.encode(), ("clean", "utf-8-sig"))
    put("enc/utf16-le.txt", TEXT.encode("utf-16"), ("clean", "utf-16"))
    put("enc/utf16-be.txt", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), ("clean", "utf-16"))
    put("enc/utf32.txt", TEXT.encode("utf-32"), ("clean", "utf-32"))
    cp1252 = TEXT.replace("Café", "“Café”") + "Zoë — 3 € \n"
    put("enc/cp1252.txt", cp1252.encode("cp1252"),
        ("skip", "not valid UTF-8 at byte 0 (0x93: invalid start byte); decode=auto would read it as cp1252"),
        ("clean", "cp1252"))
    put("enc/latin1.txt", TEXT.encode("latin-1") + b"\x8d\n",
        ("skip", "not valid UTF-8 at byte 3 (0xe9: invalid continuation byte); decode=auto would read it as latin-1"),
        ("clean", "latin-1"))
    put("enc/invalid-utf8.txt", TEXT.encode() + b"cut short: \xe2\x80\n",
        ("skip", "not valid UTF-8 at byte"), ("clean", "utf-8 with replacement"))
    put("enc/utf16-no-bom.txt", TEXT.encode("utf-16-le"),
        ("skip", "binary file (NUL bytes; UTF-16 text without a byte-order mark?)"))
    for kind, name in [("PDF", "paper.txt"), ("PNG", "scan.txt"), ("zip", "archive.txt"), ("gzip", "page.txt"),
                       ("ELF executable", "program.txt"), ("control bytes", "random.txt")]:
        put(f"binary/{name}", BINARIES[kind], ("skip", f"binary file ({kind}" if kind != "control bytes" else "binary file ("))
    put("binary/archive.jsonl", BINARIES["zip"], ("skip", "binary file (zip)"))
    put("binary/utf16.jsonl", _jsonl({"id": 1, "text": "x"}).decode().encode("utf-16"),
        ("skip", "a .jsonl file must be UTF-8; this one is UTF-16"))
    put("empty.txt", b"", ("clean", "utf-8"))
    put("empty.jsonl", b"", ("clean", None))
    put("nul.txt", TEXT.replace("talks", "ta\x00lks").replace("months", "mon\x00ths").encode(), ("clean", "utf-8"))
    put("crlf.txt", TEXT.replace("\n", "\r\n").encode() * 3, ("clean", "utf-8"))
    put("cr.txt", TEXT.replace("\n", "\r").encode() * 3, ("clean", "utf-8"))
    put("token.txt", ("A token: " + "x" * 100_000 + " and after it ofBits.\n").encode(), ("clean", "utf-8"))
    put("big/long-line.txt", _prose(5_000_000).encode(), ("clean", "utf-8"),
        ("skip", "too large to clean: 4.8 MiB, over the 1 MiB limit (max_file_mb)"))
    deep = "/".join(f"level{n:02d}" for n in range(40))
    put(f"deep/{deep}/article.txt", TEXT.encode(), ("clean", "utf-8"))
    put("names/with space, é and 東京 (2016).txt", TEXT.encode(), ("clean", "utf-8"))
    # A 250-byte name: fine as an input, but reports/<name>.edits.jsonl would be 262 bytes.
    put("names/" + "n" * 246 + ".txt", TEXT.encode(),
        ("skip", "an output file name would have 262 bytes, more than the file system allows"))
    # A folder named like an input file is walked, not read.
    put("folder.txt/inside.txt", TEXT.encode(), ("clean", "utf-8"))

    feed = [
        {"id": "ok-1", "text": TEXT, "source": "AP"},
        b'{"id": "cut", "text": "unterminated',
        b"[1, 2, 3]",
        b'{"text": "no id"}',
        b'{"id": true, "text": "boolean id"}',
        b'{"id": "no-text"}',
        b'{"id": "n", "text": 17}',
        b'{"id": "nan", "text": NaN}',
        b'{"id": "lone", "text": "\\ud800"}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"id": 1' + b"1" * 5000 + b', "text": "a huge number"}',
        '{"id": "cp", "text": "“Zoë” ofBits"}'.encode("cp1252"),
        b"",
        b'{"id": "crlf", "text": "line ends\\r\\nin CRLF"}\r',
        {"id": "ok-2", "text": "the end inBGeneva"},
    ]
    put("feeds/mixed.jsonl", _jsonl(*feed), ("clean", None))
    reasons = {
        2: "not valid JSON: Unterminated string", 3: "not a JSON object", 4: 'no "id"',
        5: '"id" must be a string or an integer', 6: 'no "text"', 7: 'a non-string "text"',
        8: "not valid JSON: NaN is not valid JSON", 9: "holds a lone surrogate", 10: "not valid JSON",
        11: "not valid JSON",
    }
    for line, reason in reasons.items():
        expect[("feeds/mixed.jsonl", line)] = {"utf-8": ("skip", f"line {line}: {reason}")} | {"auto": ("skip", f"line {line}: {reason}")}
    for line in (1, 14, 15):
        expect[("feeds/mixed.jsonl", line)] = {"utf-8": ("clean", "utf-8"), "auto": ("clean", "utf-8")}
    expect[("feeds/mixed.jsonl", 12)] = {
        "utf-8": ("skip", "line 12: not valid UTF-8 at byte 22 of the line; decode=auto would read it as cp1252"),
        "auto": ("clean", "cp1252"),
    }
    giant = {"id": "giant", "text": _prose(6 * MiB)}
    put("feeds/giant-line.jsonl", _jsonl({"id": "before", "text": TEXT}, giant, {"id": "after", "text": TEXT}),
        ("clean", None))
    expect[("feeds/giant-line.jsonl", 1)] = expect[("feeds/giant-line.jsonl", 3)] = {
        "utf-8": ("clean", "utf-8"), "auto": ("clean", "utf-8")}
    expect[("feeds/giant-line.jsonl", 2)] = {
        "utf-8": ("skip", "line 2: too large to clean: 6.0 MiB, over the 5 MiB limit"),
        "auto": ("skip", "line 2: too large to clean: 6.0 MiB, over the 1 MiB limit"),
    }

    # 200 MB, written in pieces: skipped by its size, before a byte of it is read.
    (root / "big").mkdir(exist_ok=True)
    with open(root / "big" / "huge.txt", "wb") as stream:
        block = _prose(MiB).encode()
        for _ in range(200):
            stream.write(block)
    expect["big/huge.txt"] = {"utf-8": ("skip", "too large to clean: 200.0 MiB, over the 5 MiB limit"),
                              "auto": ("skip", "too large to clean: 200.0 MiB, over the 1 MiB limit")}

    # Links: to outside the input (never followed), to inside (read), dangling.
    secret = outside / "secret.txt"
    secret.write_text("outside the input: must never be published\n", encoding="utf-8")
    (root / "links").mkdir()
    os.symlink(secret, root / "links" / "outside.txt")
    os.symlink(outside, root / "links" / "outside-folder")
    os.symlink("../plain/utf8.txt", root / "links" / "inside.txt")
    os.symlink("nowhere.txt", root / "links" / "dangling.txt")
    expect["links/outside.txt"] = expect["links/outside-folder"] = {
        m: ("skip", "symbolic link to outside the input folder: not followed") for m in ("utf-8", "auto")}
    expect["links/inside.txt"] = {m: ("clean", "utf-8") for m in ("utf-8", "auto")}
    expect["links/dangling.txt"] = {m: ("skip", "cannot read: no such file") for m in ("utf-8", "auto")}

    # Unreadable (mode 000; the batch runs as nobody when we are root), a FIFO, a name
    # that is not UTF-8.
    put("unreadable.txt", TEXT.encode(), ("skip", "cannot read: permission denied"))
    os.chmod(root / "unreadable.txt", 0)
    os.mkfifo(root / "pipe.txt")
    expect["pipe.txt"] = {m: ("skip", "cannot read: not a regular file") for m in ("utf-8", "auto")}
    with open(os.path.join(os.fsencode(root), b"caf\xe9.txt"), "wb") as stream:
        stream.write(TEXT.encode("latin-1"))
    expect["caf\ufffd.txt"] = {m: ("skip", "file name is not valid UTF-8") for m in ("utf-8", "auto")}
    return expect


_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 24, 1, 2


def _without_dac_override() -> None:
    """preexec_fn: the child (root) then obeys file modes like any user."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _permissions_bind(probe: Path) -> bool:
    """Whether a child of ours is refused a mode-000 file (true for non-root; for root, when
    it may drop the capabilities)."""
    probe.write_text("x", encoding="utf-8")
    probe.chmod(0)
    try:
        done = subprocess.run([sys.executable, "-c", f"open({str(probe)!r}).read()"], capture_output=True,
                              preexec_fn=_without_dac_override if os.geteuid() == 0 else None)
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        probe.unlink()
    return done.returncode != 0 and b"PermissionError" in done.stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    top = tmp_path_factory.mktemp("bad-input")
    root, outside = top / "in", top / "outside"
    root.mkdir()
    outside.mkdir()
    expect = build_corpus(root, outside)
    if not _permissions_bind(top / "probe"):
        # Root that cannot drop its capabilities reads the file; then it is simply cleaned.
        expect["unreadable.txt"] = {m: ("clean", "utf-8") for m in ("utf-8", "auto")}
    yield top, root, expect
    (root / "unreadable.txt").chmod(0o644)
    (root / "big" / "huge.txt").unlink()  # pytest keeps the last runs' folders: not 200 MB each


def _run_measured(argv: list[str], out: Path) -> tuple[int, str, float]:
    """Run ``ocr-repair`` in a new process (as root, without the capabilities that bypass
    file modes); returns its exit status, stderr and peak resident memory in MB (of it and
    any worker it forked)."""
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", *argv], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err,
            preexec_fn=_without_dac_override if os.geteuid() == 0 and _permissions_bind(out.parent / ".probe") else None,
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return process.returncode, err.read().decode("utf-8"), usage.ru_maxrss / 1024


def _manifest_records(out: Path) -> dict:
    """Per-document stats and per-file skips from the shard manifests (the per-document
    record of how each was decoded)."""
    state = batch.read_state(out)
    docs, skips = {}, []
    for manifest in (out / ".work" / state["config_hash"] / "shards").glob("*/manifest.json"):
        for unit in json.loads(manifest.read_text(encoding="utf-8"))["units"]:
            for doc in unit["documents"]:
                docs[(unit["relpath"], doc["line"])] = doc["stats"]
            skips.extend(unit["skipped"])
    return docs, skips


@pytest.mark.parametrize("mode", ["utf-8", "auto"])
def test_every_bad_input_is_cleaned_or_skipped_and_the_batch_goes_on(corpus, mode):
    top, root, expect = corpus
    out = top / f"out-{mode}"
    extra = ["--decode", "auto", "--max-file-mb", "1"] if mode == "auto" else []
    started = time.monotonic()
    status, stderr, peak_mb = _run_measured(["run", str(root), "--out", str(out), "-q", *extra], out)
    elapsed = time.monotonic() - started
    assert status == 1, stderr  # published, with skips
    print(f"{mode}: peak RSS {peak_mb:.0f} MB, {elapsed:.1f} s")
    assert peak_mb < 1500, f"peak RSS {peak_mb:.0f} MB"
    assert elapsed < 60

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    skipped = {(item["path"], item["reason"]) for item in summary["skipped"]}
    docs, _ = _manifest_records(out)
    for key, modes in expect.items():
        verdict, detail = modes[mode]
        relpath, line = key if isinstance(key, tuple) else (key, None)
        if verdict == "skip":
            reasons = [reason for path, reason in skipped if path == relpath and reason.startswith(detail)]
            assert reasons, f"{key}: expected skip {detail!r}; got {[r for p, r in skipped if p == relpath]}"
            assert f"skipped {relpath}: {reasons[0]}" in stderr
            if line is None:
                assert not (out / "clean" / relpath).exists()
        elif line is not None or detail is not None:
            stats = docs[(relpath, line)]
            assert stats["decoding"] == detail, key
    # Every skip is accounted for by an expectation; nothing else was left out.
    expected_skips = {k if isinstance(k, str) else k[0] for k, m in expect.items() if m[mode][0] == "skip"}
    assert {path for path, _ in skipped} == expected_skips
    assert summary["totals"]["skipped"] == len(summary["skipped"])

    # What was cleaned is exactly what clean_text makes of the decoded text.
    for key, modes in expect.items():
        if isinstance(key, tuple) or modes[mode][0] != "clean" or modes[mode][1] is None:
            continue
        data = (root / key).read_bytes()
        text, decoding = decode_bytes(data, guess=mode == "auto")
        assert decoding == modes[mode][1]
        assert (out / "clean" / key).read_bytes() == clean_text(text).text.encode("utf-8"), key
    assert "\x00" in (out / "clean" / "nul.txt").read_text(encoding="utf-8")
    assert (out / "clean" / "empty.txt").read_bytes() == b""
    records = [json.loads(line) for line in (out / "clean" / "feeds" / "mixed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == (["ok-1", "cp", "crlf", "ok-2"] if mode == "auto" else ["ok-1", "crlf", "ok-2"])
    giant = [json.loads(line)["id"] for line in (out / "clean" / "feeds" / "giant-line.jsonl").read_text(encoding="utf-8").splitlines()]
    assert giant == ["before", "after"]

    # Decodings: counted in the summary, and the guessed ones named.
    counts = summary["decodings"]
    assert counts.get("utf-16") == 2 and counts.get("utf-32") == 1 and counts.get("utf-8-sig") == 1
    if mode == "auto":
        assert counts["cp1252"] == 2 and counts["latin-1"] == 1 and counts["utf-8 with replacement"] == 1
        assert summary["decoded_as"]["cp1252"] == ["enc/cp1252.txt", "feeds/mixed.jsonl:12"]
        assert 'read as cp1252: 2 document(s), listed under "decoded_as"' in stderr
    else:
        assert set(counts) == {"utf-8", "utf-8-sig", "utf-16", "utf-32"}

    # Nothing from outside the input, and nothing outside OUT.
    published = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (out / "clean").rglob("*") if p.is_file())
    assert "must never be published" not in published
    assert sorted(p.name for p in top.iterdir()) == sorted(["in", "outside", *(p.name for p in top.glob("out-*"))])


def test_run_help_documents_decoding_and_the_size_limit(capsys):
    from pipeline.cli import main

    assert main(["run", "--help"]) == 0
    text = capsys.readouterr().out
    for needle in ("--decode {utf-8,auto}", "--max-file-mb N", "decoding (--decode", "cp1252", "Latin-1",
                   "binary file (PDF)", "size limit", "NUL and", "3  a task failed", "full, read-only"):
        assert needle in text, needle


def test_bad_reading_settings_are_usage_errors(tmp_path, capsys):
    from pipeline.cli import main

    (tmp_path / "in").mkdir()
    assert main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--max-file-mb", "0"]) == 2
    assert main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--decode", "guess"]) == 2
    assert "must be a number above 0" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_clean_command_reads_utf16_and_names_binary_files(tmp_path, capsysbinary):
    from pipeline.cli import main

    (tmp_path / "u.txt").write_bytes(TEXT.encode("utf-16"))
    (tmp_path / "p.txt").write_bytes(BINARIES["PDF"])
    (tmp_path / "w.txt").write_bytes("“Zoë” ofBits\n".encode("cp1252"))
    status = main(["clean", str(tmp_path / "u.txt"), str(tmp_path / "p.txt"), str(tmp_path / "w.txt")])
    captured = capsysbinary.readouterr()
    assert status == 1
    assert captured.out.decode() == clean_text(TEXT).text
    assert captured.err.decode().splitlines() == [
        f"ocr-repair: {tmp_path / 'p.txt'}: binary file (PDF)",
        f"ocr-repair: {tmp_path / 'w.txt'}: not valid UTF-8 at byte 0 (0x93: invalid start byte)",
    ]
    assert main(["clean", "--decode", "auto", str(tmp_path / "w.txt")]) == 0
    assert capsysbinary.readouterr().out.decode() == clean_text("“Zoë” ofBits\n").text


def test_unreadable_file_in_process_monkeypatched(tmp_path, capsys, monkeypatch):
    # The same skip without a second user: open() refuses one file, as EACCES would.
    import builtins

    from pipeline.cli import main

    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "locked.txt").write_text(TEXT, encoding="utf-8")
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if str(file).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    status = main(["run", str(root), "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err
    assert status == 1
    assert "skipped locked.txt: cannot read: permission denied" in err
    assert (tmp_path / "out" / "clean" / "a.txt").is_file()


def test_jsonl_lines_over_the_limit_become_units_of_their_own(tmp_path):
    sizes = [10, 600_000, 10, 10, (1 << 20) + 5, 2_500_000, 10, 700_000, 10]
    lines = [json.dumps({"id": n, "text": "w" * size}).encode() + b"\n" for n, size in enumerate(sizes)]
    data = b"".join(lines)
    (tmp_path / "f.jsonl").write_bytes(data)
    limit = 0.5  # MiB: lines 2, 5, 6 and 8 are over it, two of them shorter than the 1 MiB read chunk
    plan = batch.plan_batch(tmp_path, "cfg", shard_size=1, reading=batch.Reading(max_file_mb=limit))
    units = [unit for shard in plan.shards for unit in shard.units]
    assert units[0].start == 0 and units[-1].end == len(data)
    assert all(a.end == b.start for a, b in zip(units, units[1:]))
    for unit in units:
        digest = batch._hasher()
        digest.update(data[unit.start : unit.end])
        assert digest.hexdigest() == unit.digest
    alone = [u.first_line for u in units if u.size > limit * (1 << 20)]
    assert alone == [2, 5, 6, 8]
    assert all(u.documents == 1 for u in units if u.first_line in alone)
    assert sum(u.documents for u in units) == len(sizes)


def test_an_input_whose_outputs_would_pass_path_max_is_skipped_alone(tmp_path, capsys):
    from pipeline.cli import main

    root, out = tmp_path / "in", tmp_path / ("o" * 200)
    deep = root.joinpath(*["d" * 250] * 15)  # about 3,850 bytes: readable
    deep.mkdir(parents=True)
    (deep / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "b.txt").write_text(TEXT, encoding="utf-8")
    assert len(os.fsencode(deep / "a.txt")) < 4000
    status = main(["run", str(root), "--out", str(out), "-q"])
    err = capsys.readouterr().err
    assert status == 1
    assert re.search(r"skipped (d{250}/){15}a\.txt: an output path would have about \d+ bytes", err), err
    assert (out / "clean" / "b.txt").read_text(encoding="utf-8") == clean_text(TEXT).text


@pytest.mark.slow
def test_a_file_just_under_the_limit_stays_under_the_memory_bound(tmp_path):
    # The worst case the limit was chosen for: a repair every few words, at the limit.
    root = tmp_path / "in"
    root.mkdir()
    dense = ("the talks inBGeneva went on forBmonths, " * (5 * MiB // 40))[: 5 * MiB - 1]
    (root / "dense.txt").write_text(dense, encoding="utf-8")
    status, stderr, peak_mb = _run_measured(["run", str(root), "--out", str(tmp_path / "out"), "-q"], tmp_path / "out")
    print(f"dense 5 MiB: peak RSS {peak_mb:.0f} MB")
    assert status == 0, stderr
    assert peak_mb < 1700, f"peak RSS {peak_mb:.0f} MB"
