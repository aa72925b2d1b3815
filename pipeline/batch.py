"""Batch runs, without Luigi: find the inputs, cut them into shards with stable identities,
clean one shard into a folder of outputs, publish finished shards as one result, and show
progress. ``pipeline/tasks.py`` wraps these in Luigi tasks; nothing here imports Luigi.

Layout of an output folder ``OUT``::

    clean/<relpath>                    the clean text (.txt), or the records with clean text (.jsonl)
    reports/<relpath>.html             a .txt file's report
    reports/<relpath>/<id>.html        one report per article of a .jsonl file (see safe_filename)
    reports/<relpath>.edits.jsonl      the edit records (with "id" for .jsonl articles)
    summary.json, summary.html         the batch summary
    .work/<config>/shards/<shard>/     one finished shard; appears at once (a directory rename)
    .work/<config>/runs.log            a line per shard run: shard, host, pid, seconds, time, ...
    .work/published.json               what OUT holds: plan id, configuration, files

Identity. A shard's id hashes the configuration identity (:func:`config_identity`) and, for
each of its units, the relative path, piece number, first line and a BLAKE2 hash of the
bytes. Units are grouped in path order, and a group ends after a unit whose *name* hashes to
0 modulo the shard size, so adding, changing or removing one file changes the one group that
holds it (two when the new name itself ends a group) and no other. (A group also ends early
at 4 x the shard size in units or at two .jsonl pieces' worth of bytes; such an early end
can move only as far as the next boundary chosen by name.) A plan (all shard ids, plus what
was skipped while listing) is published only when every shard of it is finished, and only
from shards of its one configuration.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import socket
import stat
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Callable, Iterable, Sequence, TextIO

from . import __version__
from .config import Config
from .documents import Document, Skipped, jsonl_unusable, parse_jsonl, parse_txt, read_error, safe_filename
from .repair import clean_text
from .report import build_summary, document_report_html, document_stats, summary_html

#: Expected units (files, or pieces of a large .jsonl file) per shard. About 50 news articles
#: make a shard of roughly half a second of work: big enough that Luigi's per-task cost is
#: small, small enough that 2,000 articles give about 40 shards to spread over workers.
DEFAULT_SHARD_SIZE = 50


def piece_bytes_for(shard_size: int) -> int:
    """Bytes per piece of a .jsonl file (cut at line ends): about ``shard_size`` articles of
    5 KB, so that one large file is shared among workers and appending to it redoes only
    its last piece."""
    return max(64 << 10, shard_size * 5 << 10)


def max_shard_bytes_for(shard_size: int) -> int:
    """A shard is closed early at this many bytes (or at 4 x the shard size in units), so
    that .jsonl pieces or an unlucky run of names without a boundary cannot make one task
    that keeps a worker busy while the others idle."""
    return 2 * piece_bytes_for(shard_size)


WORK = ".work"
STATE_FILE = "published.json"
KINDS = {".txt": "txt", ".jsonl": "jsonl"}
#: Libraries whose upgrade can change a repair; their versions are part of the identity.
_LIBRARIES = ("regex", "rapidfuzz", "symspellpy", "ftfy", "wordfreq")

#: Largest .txt file (or .jsonl line) cleaned, in MiB; larger ones are skipped, saying so.
#: Memory is what limits it: a worker's peak grows by about 100 MB per MiB of typical
#: damaged prose and up to 290 MB per MiB where every other word has a repair (the edit log
#: and the HTML report grow with the repairs). At 5 MiB that is about 0.5 GB, and 1.5 GB in
#: the worst case measured (tests/test_bad_input.py). News articles are 2-50 KB; a file of
#: many MB is a book or a dump, and worth a deliberate --max-file-mb.
DEFAULT_MAX_FILE_MB = 5.0
DECODE_MODES = ("utf-8", "auto")


@dataclass(frozen=True)
class Reading:
    """How input files are read (the ``[reading]`` section of luigi.cfg, or ``run``'s flags).

    ``decode``: "utf-8" reads UTF-8, or UTF-16/UTF-32 with a byte-order mark, and skips
    anything else, naming the first bad byte; "auto" also reads mostly-UTF-8 with U+FFFD for
    bad bytes, then cp1252, then Latin-1 (see :func:`pipeline.documents.decode_bytes`).
    ``max_file_mb``: larger .txt files and .jsonl lines are skipped (see
    :data:`DEFAULT_MAX_FILE_MB`).
    """

    decode: str = "utf-8"
    max_file_mb: float = DEFAULT_MAX_FILE_MB

    def __post_init__(self):
        if self.decode not in DECODE_MODES:
            raise ValueError(f"decode must be one of {', '.join(DECODE_MODES)}, got {self.decode!r}")
        if not self.max_file_mb > 0:
            raise ValueError(f"max_file_mb must be above 0, got {self.max_file_mb!r}")

    @property
    def guess(self) -> bool:
        return self.decode == "auto"

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * (1 << 20))

    def too_large(self, size: int) -> str:
        return f"too large to clean: {size / (1 << 20):.1f} MiB, over the {self.max_file_mb:g} MiB limit (max_file_mb)"


# --- a test hook ---------------------------------------------------------------------------

#: Test only (tests/test_kill_resume.py): ``OCR_REPAIR_TEST_PAUSE=POINT[:N]`` makes a process
#: stop the N-th time (default 1) it reaches POINT, say so on stderr and sleep, so that a test
#: can kill it there. Never set it in production: the run would hang at that point.
PAUSE_VARIABLE = "OCR_REPAIR_TEST_PAUSE"
#: shard    a document's files written in a shard's private folder, manifest not yet
#: commit   a shard renamed into place, its runs.log line not yet written
#: state    the published state marked incomplete, no file placed yet
#: place    a file placed in OUT (N counts files)
#: summary  every file placed, summary.json not written
#: complete summary written, the state not yet marked complete
PAUSE_POINTS = ("shard", "commit", "state", "place", "summary", "complete")
_pauses: Counter = Counter()


def test_pause(point: str) -> None:
    wanted = os.environ.get(PAUSE_VARIABLE)
    if not wanted:
        return
    name, _, count = wanted.partition(":")
    if name != point:
        return
    _pauses[point] += 1
    if _pauses[point] != int(count or 1):
        return
    os.write(2, f"ocr-repair: test pause at {point} (pid {os.getpid()})\n".encode())
    while True:
        time.sleep(60)


test_pause.__test__ = False  # not a test, whatever pytest's collector thinks of the name


# --- identity ------------------------------------------------------------------------------


def _library_versions() -> dict[str, str]:
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


@functools.lru_cache(maxsize=1)
def _code_identity() -> str:
    """A hash of the package's own source: a repair changed without a version bump must not
    mix with results of the old code."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def config_identity(config: Config, reading: Reading | None = None) -> str:
    """A hash of everything that decides the outputs besides the input: every setting (the
    repair's and the reading's), the bytes of the word lists, the package version and
    source, and the versions of the libraries used."""
    dictionaries = {}
    folder = config.resolved_dictionary_dir()
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
        dictionaries[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    payload = {
        "config": config.fingerprint(),
        "dictionaries": dictionaries,
        "version": __version__,
        "code": _code_identity(),
        "libraries": _library_versions(),
        "reading": {"decode": (reading or Reading()).decode, "max_file_mb": (reading or Reading()).max_file_mb},
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --- finding inputs ------------------------------------------------------------------------


@dataclass(frozen=True)
class InputFile:
    relpath: str
    path: str
    kind: str


def _display_name(name: str) -> str:
    # A name that is not UTF-8 arrives with surrogate escapes, which JSON cannot carry.
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def inside(path: Path | str, root: Path | str) -> bool:
    """Whether ``path``, with every symbolic link resolved, lies inside ``root`` (resolved too)."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


OUTSIDE = "symbolic link to outside the input folder: not followed"


def find_inputs(root: Path | str, exclude: Iterable[Path | str] = ()) -> tuple[list[InputFile], list[Skipped]]:
    """The ``.txt`` and ``.jsonl`` files under ``root`` (recursively, in path order), and the
    ones that cannot be used. Hidden names (``.*``) are left out, and so is every folder in
    ``exclude`` (the output folder, when it sits inside the input).

    Symbolic links: a link to a file inside ``root`` is read (it is part of the input); a
    link to anything outside ``root`` is never followed and is listed as skipped, so that a
    link in a shared inbox cannot publish a file from elsewhere on the machine. Links to
    folders are not walked (their files inside ``root`` are found under their own names).
    """
    root = Path(root)
    excluded = {os.path.realpath(path) for path in exclude}
    found: list[InputFile] = []
    skipped: list[Skipped] = []

    def listing_failed(error: OSError) -> None:
        name = os.path.relpath(error.filename, root) if error.filename else "."
        skipped.append(Skipped(_display_name(Path(name).as_posix()), f"cannot list folder: {error.strerror or error}"))

    for folder, dirnames, filenames in os.walk(root, onerror=listing_failed):
        visible = [name for name in dirnames if not name.startswith(".")]
        for name in visible:
            path = os.path.join(folder, name)
            if os.path.islink(path) and not inside(path, root):
                skipped.append(Skipped(_display_name(Path(os.path.relpath(path, root)).as_posix()), OUTSIDE))
        dirnames[:] = sorted(name for name in visible if os.path.realpath(os.path.join(folder, name)) not in excluded)
        for name in filenames:
            kind = KINDS.get(os.path.splitext(name)[1].lower())
            if name.startswith(".") or kind is None:
                continue
            path = os.path.join(folder, name)
            relpath = Path(os.path.relpath(path, root)).as_posix()
            try:
                relpath.encode("utf-8")
            except UnicodeEncodeError:
                skipped.append(Skipped(_display_name(relpath), "file name is not valid UTF-8"))
                continue
            if os.path.islink(path) and not inside(path, root):
                skipped.append(Skipped(relpath, OUTSIDE))
                continue
            found.append(InputFile(relpath, path, kind))
    found.sort(key=lambda item: item.relpath)
    skipped.sort(key=lambda item: item.path)
    return found, skipped


# --- units and shards ----------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A whole ``.txt`` file, or whole lines ``start:end`` (bytes) of a ``.jsonl`` file."""

    relpath: str
    kind: str
    index: int  # piece number within the file
    start: int
    end: int
    first_line: int
    digest: str  # BLAKE2b of the bytes start:end
    documents: int  # articles expected (non-blank lines of a .jsonl piece)

    @property
    def size(self) -> int:
        return self.end - self.start

    def identity(self) -> list:
        # The byte offsets are left out: a piece that moved but kept its bytes and its line
        # numbers gives the same outputs.
        return [self.relpath, self.kind, self.index, self.first_line, self.digest]


@dataclass(frozen=True)
class Shard:
    id: str
    units: tuple[Unit, ...]
    #: How its units' bytes become text (part of the configuration hash in ``id``).
    reading: Reading = Reading()

    @property
    def documents(self) -> int:
        return sum(unit.documents for unit in self.units)

    @property
    def size(self) -> int:
        return sum(unit.size for unit in self.units)


@dataclass(frozen=True)
class Plan:
    root: str
    config_hash: str
    shards: tuple[Shard, ...]
    skipped: tuple[Skipped, ...]
    id: str

    @property
    def documents(self) -> int:
        return sum(shard.documents for shard in self.shards)

    @property
    def size(self) -> int:
        return sum(shard.size for shard in self.shards)


def _hasher():
    return hashlib.blake2b(digest_size=16)


# Hashing reads every input, and complete() is asked more than once per run: keep what this
# process has hashed, keyed by what stat says. Only a cache; shards check the bytes again.
_UNITS_MEMO: dict[tuple, tuple[Unit, ...]] = {}
_MEMO_LIMIT = 200_000


class Unusable(Exception):
    """An input file that is left out of the plan; the message is the reason."""


def file_units(item: InputFile, piece_bytes: int, max_bytes: int | None = None) -> tuple[Unit, ...]:
    """The units of one input file; raises OSError when it cannot be read, and
    :class:`Unusable` when a .txt file is larger than ``max_bytes`` or a .jsonl file is
    not UTF-8 lines (see :func:`pipeline.documents.jsonl_unusable`). A .jsonl line longer
    than ``max_bytes`` is a unit of its own, which the shard skips unread."""
    info = os.stat(item.path)
    if not stat.S_ISREG(info.st_mode):
        raise OSError(0, "not a regular file")
    if item.kind == "txt" and max_bytes is not None and info.st_size > max_bytes:
        raise Unusable(Reading(max_file_mb=max_bytes / (1 << 20)).too_large(info.st_size))
    key = (item.path, item.relpath, item.kind, piece_bytes, max_bytes, info.st_size, info.st_mtime_ns, info.st_ino,
           info.st_dev)
    units = _UNITS_MEMO.get(key)
    if units is None:
        units = _hash_txt(item) if item.kind == "txt" else _hash_jsonl(item, piece_bytes, max_bytes)
        if len(_UNITS_MEMO) >= _MEMO_LIMIT:
            _UNITS_MEMO.clear()
        _UNITS_MEMO[key] = units
    if isinstance(units, str):
        raise Unusable(units)
    return units


def _hash_txt(item: InputFile) -> tuple[Unit, ...]:
    digest = _hasher()
    size = 0
    with open(item.path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return (Unit(item.relpath, "txt", 0, 0, size, 1, digest.hexdigest(), 1),)


#: Bytes read at a time while hashing: a .jsonl line of any length costs no more memory.
_READ_CHUNK = 1 << 20


def _hash_jsonl(item: InputFile, piece_bytes: int, max_bytes: int | None = None) -> tuple[Unit, ...] | str:
    """The pieces of a .jsonl file, or the reason it cannot be read line by line."""
    units: list[Unit] = []
    digest = _hasher()
    start = position = documents = lines = 0
    first_line = 1

    def piece() -> Unit:
        return Unit(item.relpath, "jsonl", len(units), start, position, first_line, digest.hexdigest(), documents)

    with open(item.path, "rb") as stream:
        reason = jsonl_unusable(stream.read(64))
        if reason is not None:
            return reason
        stream.seek(0)
        while chunk := stream.readline(_READ_CHUNK):
            length, blank = len(chunk), not chunk.strip()
            alone = None  # the line's own hash, for a line too large to clean
            if not chunk.endswith(b"\n") and length == _READ_CHUNK:
                # A line of a MiB or more: hashed on its own too, while it is read.
                before, alone = digest.copy(), _hasher()
                digest.update(chunk)
                alone.update(chunk)
                while not chunk.endswith(b"\n") and (chunk := stream.readline(_READ_CHUNK)):
                    digest.update(chunk)
                    alone.update(chunk)
                    length += len(chunk)
                    blank = blank and not chunk.strip()
                digest_with_line = digest
                digest = before
            else:
                digest_with_line = None
            if max_bytes is not None and length > max_bytes:
                # Too large to clean: a unit of its own, which the shard skips unread, so
                # that the lines around it are still cleaned.
                if alone is None:
                    alone = _hasher()
                    alone.update(chunk)
                if position > start:
                    units.append(piece())
                start, first_line, digest, documents = position, lines + 1, alone, 0 if blank else 1
                position += length
                lines += 1
                units.append(piece())
                digest, start, first_line, documents = _hasher(), position, lines + 1, 0
                continue
            if digest_with_line is not None:
                digest = digest_with_line
            else:
                digest.update(chunk)
            position += length
            lines += 1
            if not blank:
                documents += 1
            if position - start >= piece_bytes:
                units.append(piece())
                digest, start, first_line, documents = _hasher(), position, lines + 1, 0
    if position > start or not units:
        units.append(piece())
    return tuple(units)


def ends_shard(unit: Unit, shard_size: int) -> bool:
    """Whether a shard ends after ``unit``: decided by its name alone, so that the
    boundaries stay where they are when other files come and go."""
    if shard_size <= 1:
        return True
    key = f"{unit.relpath}\0{unit.index}".encode("utf-8")
    number = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")
    return number % shard_size == 0


def group_units(units: Sequence[Unit], shard_size: int, max_bytes: int) -> list[list[Unit]]:
    groups: list[list[Unit]] = []
    current: list[Unit] = []
    size = 0
    for unit in units:
        if current and (size + unit.size > max_bytes or len(current) >= 4 * max(shard_size, 1)):
            groups.append(current)
            current, size = [], 0
        current.append(unit)
        size += unit.size
        if ends_shard(unit, shard_size):
            groups.append(current)
            current, size = [], 0
    if current:
        groups.append(current)
    return groups


def _hash_json(data: object, length: int = 24) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def plan_batch(
    root: Path | str,
    config_hash: str,
    *,
    shard_size: int = DEFAULT_SHARD_SIZE,
    exclude: Iterable[Path | str] = (),
    reading: Reading | None = None,
) -> Plan:
    """Everything a batch over ``root`` has to do, as shards with content-derived ids.

    Reads (and hashes) every input; the same input and configuration always give the same
    plan, on any machine that sees the same bytes under the same relative paths.
    """
    if shard_size < 1:
        raise ValueError(f"shard size must be at least 1, got {shard_size}")
    piece_bytes = piece_bytes_for(shard_size)
    max_shard_bytes = max_shard_bytes_for(shard_size)
    files, skipped = find_inputs(root, exclude)
    units: list[Unit] = []
    max_bytes = (reading or Reading()).max_bytes
    for item in files:
        try:
            units.extend(file_units(item, piece_bytes, max_bytes))
        except OSError as error:
            skipped.append(Skipped(item.relpath, read_error(error)))
        except Unusable as error:
            skipped.append(Skipped(item.relpath, str(error)))
    shards = tuple(
        Shard(_hash_json([config_hash, [unit.identity() for unit in group]]), tuple(group), reading or Reading())
        for group in group_units(units, shard_size, max_shard_bytes)
    )
    skipped.sort(key=lambda item: item.path)
    plan_id = _hash_json([config_hash, [shard.id for shard in shards], [s.to_dict() for s in skipped]])
    return Plan(str(root), config_hash, shards, tuple(skipped), plan_id)


# --- where things go -----------------------------------------------------------------------


def work_dir(out: Path | str, config_hash: str) -> Path:
    return Path(out) / WORK / config_hash


def shards_dir(out: Path | str, config_hash: str) -> Path:
    return work_dir(out, config_hash) / "shards"


def shard_dir(out: Path | str, config_hash: str, shard_id: str) -> Path:
    return shards_dir(out, config_hash) / shard_id


MANIFEST = "manifest.json"


def shard_done(out: Path | str, config_hash: str, shard_id: str) -> bool:
    return (shard_dir(out, config_hash, shard_id) / MANIFEST).is_file()


# --- cleaning a shard ----------------------------------------------------------------------


def _read_unit(root: Path | str, unit: Unit, reading: Reading | None = None) -> tuple[bytes | None, str | None]:
    reading = reading or Reading()
    if unit.size > reading.max_bytes:
        where = f"line {unit.first_line}: " if unit.kind == "jsonl" else ""
        return None, where + reading.too_large(unit.size)
    path = Path(root) / unit.relpath
    if not inside(path, root):
        # Replaced by a link (to a file or through a folder) after it was listed.
        return None, OUTSIDE
    try:
        with open(path, "rb") as stream:
            stream.seek(unit.start)
            data = stream.read(unit.size)
    except OSError as error:
        return None, read_error(error)
    digest = _hasher()
    digest.update(data)
    if len(data) != unit.size or digest.hexdigest() != unit.digest:
        # The outputs would be filed under the hash of bytes they were not made from.
        return None, "changed while the batch ran; it is done on the next run"
    return data, None


def _edit_lines(doc: Document, cleaned, with_id: bool) -> str:
    records = [(edit, True) for edit in cleaned.edits] + [(edit, False) for edit in cleaned.suggestions]
    records.sort(key=lambda item: (item[0].start, item[0].end, not item[1]))
    lines = []
    for edit, applied in records:
        data = {"id": doc.id} if with_id else {}
        data.update(edit.to_dict())
        data["applied"] = applied
        lines.append(json.dumps(data, ensure_ascii=False) + "\n")
    return "".join(lines)


def _clean_document(doc: Document, config: Config, timings: Counter,
                    adaptation=None) -> tuple[bytes, bytes, bytes, dict]:
    """(clean output, edit records, report page, stats) of one document, all encoded, so
    that anything that can fail for this document fails here and skips only it.
    ``adaptation``: the shard's (see clean_text)."""
    started = time.perf_counter()
    cleaned = clean_text(doc.text, config, adaptation)
    elapsed = time.perf_counter() - started
    stages = {name: float(seconds) for name, seconds in (cleaned.notes.get("timings") or {}).items()}
    timings.update(stages)
    timings["repair (other)"] += max(0.0, elapsed - sum(stages.values()))

    started = time.perf_counter()
    jsonl = doc.line is not None
    doc_id = str(doc.id)
    title = f"{doc_id} ({doc.relpath}, line {doc.line})" if jsonl else doc.relpath
    page = document_report_html(doc_id, doc.text, cleaned.edits, cleaned.suggestions, title=title)
    stats = document_stats(doc_id, cleaned, {"decoding": doc.decoding})
    stats["path"] = doc.relpath
    if jsonl:
        stats["line"] = doc.line
        output = json.dumps(doc.record(cleaned.text), ensure_ascii=False) + "\n"
    else:
        output = cleaned.text
    result = (
        output.encode("utf-8"),
        _edit_lines(doc, cleaned, with_id=jsonl).encode("utf-8"),
        page.encode("utf-8"),
        stats,
    )
    timings["reports"] += time.perf_counter() - started
    return result


def process_shard(
    root: Path | str,
    shard: Shard,
    config: Config,
    dest: Path | str,
    on_document: Callable[[int, int], None] | None = None,
    reading: Reading | None = None,
) -> dict:
    """Clean every document of ``shard`` into files in the (new, private) folder ``dest``,
    and write its ``manifest.json`` last. Returns the manifest. ``reading`` says how bytes
    become text (:class:`Reading`; by default the shard's own).

    Files are named by position (``u0003.clean``, ``u0003.d00012.html``): the manifest maps
    them to inputs and ids, and :func:`publish` decides the final names. ``on_document(done,
    total)`` is called after each document.
    """
    dest = Path(dest)
    reading = reading or shard.reading
    timings: Counter = Counter()
    # The shard is a batch: with fix_spelling, the error model adapts to its OCR engine as its
    # documents are read, in the shard's order (see pipeline.spelling.EngineAdaptation).
    adaptation = None
    if config.fix_spelling and config.adapt_to_batch:
        from .spelling import EngineAdaptation

        adaptation = EngineAdaptation()
    units_out = []
    files: dict[str, int] = {}
    done = 0
    total = shard.documents

    def write(name: str, data: bytes) -> None:
        # dest is private until it is renamed into place, so plain writes are atomic enough.
        with open(dest / name, "xb") as stream:
            stream.write(data)
        files[name] = len(data)

    for number, unit in enumerate(shard.units):
        prefix = f"u{number:04d}"
        entry: dict = {"relpath": unit.relpath, "kind": unit.kind, "index": unit.index, "clean": None,
                       "edits": None, "documents": [], "skipped": []}
        units_out.append(entry)
        started = time.perf_counter()
        data, problem = _read_unit(root, unit, reading)
        timings["read"] += time.perf_counter() - started
        if problem is not None:
            entry["skipped"].append(Skipped(unit.relpath, problem).to_dict())
            continue
        guess = reading.guess
        if unit.kind == "txt":
            items = [parse_txt(data, unit.relpath, guess=guess, hint=True)]
        else:
            items = parse_jsonl(data, unit.relpath, unit.first_line, guess=guess, hint=True)
        del data  # a large file's bytes need not live beside its text and its outputs
        clean_parts: list[bytes] = []
        edit_parts: list[bytes] = []
        for item in items:
            if isinstance(item, Skipped):
                entry["skipped"].append(item.to_dict())
                continue
            try:
                output, edits, page, stats = _clean_document(item, config, timings, adaptation)
            except Exception as error:  # a bug met by one document must not cost the batch
                where = f"line {item.line}: " if item.line is not None else ""
                reason = f"{where}repair failed: {type(error).__name__}: {error}"
                entry["skipped"].append(Skipped(item.relpath, reason).to_dict())
                continue
            started = time.perf_counter()
            report = f"{prefix}.d{len(entry['documents']):05d}.html"
            write(report, page)
            clean_parts.append(output)
            edit_parts.append(edits)
            entry["documents"].append({"id": item.id, "line": item.line, "report": report, "stats": stats})
            timings["write"] += time.perf_counter() - started
            done += 1
            test_pause("shard")
            if on_document is not None:
                on_document(done, total)
        if unit.kind == "txt" and not entry["documents"]:
            continue  # skipped: a .txt file gets outputs only when it was cleaned
        started = time.perf_counter()
        entry["clean"], entry["edits"] = f"{prefix}.clean", f"{prefix}.edits.jsonl"
        write(entry["clean"], b"".join(clean_parts))
        write(entry["edits"], b"".join(edit_parts))
        timings["write"] += time.perf_counter() - started

    manifest = {
        "format": 1,
        "shard": shard.id,
        "units": units_out,
        "documents": done,
        "bytes": shard.size,
        "timings": {name: round(seconds, 6) for name, seconds in sorted(timings.items())},
        "files": files,
    }
    with open(dest / MANIFEST, "x", encoding="utf-8") as stream:
        json.dump(manifest, stream, ensure_ascii=False)
    return manifest


def new_shard_folder(out: Path | str, config_hash: str, shard_id: str) -> Path:
    """A fresh private folder beside the shards, to be committed with :func:`commit_shard`."""
    parent = shards_dir(out, config_hash)
    parent.mkdir(parents=True, exist_ok=True)
    path = parent / f".tmp-{shard_id}-{uuid.uuid4().hex[:12]}"
    path.mkdir()
    return path


def commit_shard(tmp: Path, out: Path | str, config_hash: str, shard_id: str) -> bool:
    """Move a finished shard folder into place in one rename; False (and ``tmp`` removed)
    when an identical shard got there first."""
    final = shard_dir(out, config_hash, shard_id)
    if final.exists() and not (final / MANIFEST).is_file():
        shutil.rmtree(final, ignore_errors=True)  # left half-made by a crash: redo it
    try:
        os.rename(tmp, final)
        test_pause("commit")
        return True
    except OSError:
        if (final / MANIFEST).is_file():
            shutil.rmtree(tmp, ignore_errors=True)
            return False
        raise


def log_run(out: Path | str, config_hash: str, shard_id: str, seconds: float, kept: bool = True) -> None:
    """Append a line to ``runs.log``: shard, host, pid, seconds, UTC time, "kept" (or
    "discarded" when an identical shard was committed first: the work was done twice), and
    the peak memory of the process so far, in MB."""
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    status = "kept" if kept else "discarded"
    line = f"{shard_id}\t{socket.gethostname()}\t{os.getpid()}\t{seconds:.3f}\t{when}\t{status}\t{peak_rss_mb():.0f}\n"
    path = work_dir(out, config_hash) / "runs.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    # One write() with O_APPEND: lines from concurrent workers do not interleave.
    handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        os.write(handle, line.encode("utf-8"))
    finally:
        os.close(handle)


def peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Kilobytes on Linux, bytes on macOS.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def read_runs(out: Path | str, config_hash: str) -> list[list[str]]:
    path = work_dir(out, config_hash) / "runs.log"
    if not path.exists():
        return []
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line]


# --- publishing ----------------------------------------------------------------------------


def _temporary_beside(target: Path) -> Path:
    # Hidden (dot), so that no reader of OUT mistakes it for a result; the name is cut so
    # that a target name near the file system's limit still has a temporary beside it.
    stem = target.name.encode("utf-8", "surrogateescape")[:64].decode("utf-8", "ignore")
    return target.parent / f".{stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"


#: What :func:`_temporary_beside` names; one left in OUT is from a publish that was killed.
_TEMPORARY = re.compile(r"\..*\.[0-9]+\.[0-9a-f]{8}\.tmp", re.DOTALL)


def write_atomic(target: Path, data: bytes, durable: bool = False) -> None:
    """Replace ``target`` with ``data`` at once (temporary file in the same folder, then
    ``os.replace``); ``durable`` also syncs it to disk first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary_beside(target)
    try:
        with open(temporary, "xb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _place(sources: Sequence[Path], target: Path) -> None:
    """Make ``target`` hold the concatenation of ``sources``, atomically. One source is
    hard-linked (no copy, no second disk footprint); where links are not allowed, copied."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if len(sources) == 1:
        with contextlib.suppress(OSError):
            if os.path.samefile(sources[0], target):
                return  # published by an earlier run from the same shard
    temporary = _temporary_beside(target)
    try:
        if len(sources) == 1:
            try:
                os.link(sources[0], temporary)
            except OSError:
                shutil.copyfile(sources[0], temporary)
        else:
            with open(temporary, "xb") as stream:
                for source in sources:
                    with open(source, "rb") as part:
                        shutil.copyfileobj(part, stream)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def cannot_write(out: Path | str) -> str | None:
    """Why files cannot be written in ``out`` (read-only, full, not allowed), or None: a
    probe file is created in ``OUT/.work``, written, and removed."""
    probe = _temporary_beside(Path(out) / WORK / "probe")
    try:
        probe.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            # A block's worth, so that a full disk says so here (an empty file needs none).
            os.write(handle, b"\0" * 4096)
        finally:
            os.close(handle)
            with contextlib.suppress(OSError):
                os.unlink(probe)
    except OSError as error:
        return error.strerror or str(error)
    return None


def read_state(out: Path | str) -> dict | None:
    try:
        return json.loads((Path(out) / WORK / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_published(out: Path | str, plan_id: str) -> bool:
    """Whether ``out`` holds exactly the result of plan ``plan_id``, every file present."""
    state = read_state(out)
    if not state or state.get("plan") != plan_id or not state.get("complete"):
        return False
    out = Path(out)
    return all((out / name).exists() for name in state.get("files", ()))


class DamagedShard(RuntimeError):
    """A finished shard whose files are not what its manifest says (a crash, or an edit)."""


def _load_manifest(out: Path, config_hash: str, shard: Shard) -> tuple[Path, dict]:
    folder = shard_dir(out, config_hash, shard.id)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for name, size in manifest.get("files", {}).items():
        try:
            actual = (folder / name).stat().st_size
        except OSError:
            actual = None
        if actual != size:
            # Removing it makes the next run clean this shard again instead of failing forever.
            shutil.rmtree(folder, ignore_errors=True)
            raise DamagedShard(
                f"shard {shard.id} was damaged ({name}: {actual} bytes, expected {size}); "
                "it has been removed and is redone on the next run"
            )
    return folder, manifest


def _report_names(relpath: str, documents: Sequence[dict]) -> list[str]:
    """Report paths (relative to OUT) for the articles of one .jsonl file, in order; a
    repeated id gets ``~<line>`` so that no report overwrites another."""
    used: set[str] = set()
    names = []
    for doc in documents:
        name = safe_filename(doc["id"])
        if name in used:
            name = f"{name}~{doc['line']}"
            while name in used:
                name += "~"
        used.add(name)
        names.append(f"reports/{relpath}/{name}.html")
    return names


def publish(
    out: Path | str,
    plan: Plan,
    config: Config,
) -> dict:
    """Publish the finished shards of ``plan`` as ``out``'s result, and return the summary.

    Every shard must be finished. Files of an earlier result that this one does not have are
    removed (only files this code published: the state file lists them). The state file is
    marked incomplete first and complete last, so an interrupted publish is redone.
    """
    out = Path(out)
    with _publish_lock(out):
        if is_published(out, plan.id):
            return read_summary(out) or {}  # another worker published this very plan
        return _publish(out, plan, config)


@contextlib.contextmanager
def _publish_lock(out: Path):
    """One publish at a time per OUT: two runs with different settings (say, two machines
    with different luigi.cfg) must not interleave their files."""
    try:
        import fcntl
    except ImportError:  # not on Windows: no lock
        yield
        return
    (out / WORK).mkdir(parents=True, exist_ok=True)
    handle = os.open(out / WORK / "publish.lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _publish(out: Path, plan: Plan, config: Config) -> dict:
    started = time.perf_counter()
    previous = read_state(out) or {}
    previous_files = set(previous.get("files", ()))
    if previous and not previous.get("complete"):
        _remove_temporaries(out, previous_files)

    timings: Counter = Counter()
    stats: list[dict] = []
    skipped: list[dict] = [item.to_dict() for item in plan.skipped]
    placements: dict[str, list[Path]] = {}  # target (relative to out) -> sources, in order
    # Which input produced each output file and folder, to catch two inputs whose outputs
    # would overwrite each other (a file "a.txt.edits.jsonl" beside "a.txt", say).
    files_owned: dict[str, str] = {}
    dirs_owned: dict[str, str] = {}

    # Pieces of one .jsonl file are consecutive in the plan (units are in path order).
    files: list[tuple[str, str, list[tuple[Path, dict]]]] = []
    for shard in plan.shards:
        folder, manifest = _load_manifest(out, plan.config_hash, shard)
        timings.update(manifest.get("timings", {}))
        for entry in manifest["units"]:
            if files and files[-1][0] == entry["relpath"]:
                files[-1][2].append((folder, entry))
            else:
                files.append((entry["relpath"], entry["kind"], [(folder, entry)]))

    for relpath, kind, parts in files:
        documents = [(folder, doc) for folder, entry in parts for doc in entry["documents"]]
        file_skipped = [item for _, entry in parts for item in entry["skipped"]]
        outputs: dict[str, list[Path]] = {}
        with_output = [(folder, entry) for folder, entry in parts if entry["clean"]]
        if with_output:
            outputs[f"clean/{relpath}"] = [folder / entry["clean"] for folder, entry in with_output]
            outputs[f"reports/{relpath}.edits.jsonl"] = [folder / entry["edits"] for folder, entry in with_output]
        if kind == "txt":
            names = [f"reports/{relpath}.html"] * len(documents)
        else:
            names = _report_names(relpath, [doc for _, doc in documents])
        for name, (folder, doc) in zip(names, documents):
            outputs[name] = [folder / doc["report"]]
        clash = _collision(outputs, files_owned, dirs_owned)
        if clash is not None:
            skipped.append({"path": relpath, "reason": f"its output names collide with those of {clash}"})
            continue
        too_long = _too_long(out, outputs)
        if too_long is not None:
            skipped.append({"path": relpath, "reason": too_long})
            continue
        for name in outputs:
            files_owned[name] = relpath
            for parent in _parents(name):
                dirs_owned.setdefault(parent, relpath)
        placements.update(outputs)
        skipped.extend(file_skipped)
        for name, (_, doc) in zip(names, documents):
            record = dict(doc["stats"])
            record["report"] = name
            stats.append(record)

    new_files = set(placements) | {"summary.json", "summary.html"}
    state = {"plan": plan.id, "config_hash": plan.config_hash, "complete": False,
             "files": sorted(new_files | previous_files)}
    write_atomic(out / WORK / STATE_FILE, _json_bytes(state), durable=True)
    test_pause("state")

    # Stale files go first: a file of the old result may sit where a folder of the new one goes.
    for name in sorted(previous_files - new_files):
        with contextlib.suppress(FileNotFoundError):
            (out / name).unlink()
        _prune_empty(out, name)
    for name, sources in placements.items():
        _place(sources, out / name)
        test_pause("place")
    test_pause("summary")

    _remove_abandoned(shards_dir(out, plan.config_hash))
    timings["publish"] += time.perf_counter() - started
    summary = build_summary(
        stats,
        skipped,
        {name: round(seconds, 6) for name, seconds in timings.items()},
        config.fingerprint(),
        __version__,
    )
    summary["batch"] = {
        "config_hash": plan.config_hash,
        "plan": plan.id,
        "shards": len(plan.shards),
        "input_bytes": plan.size,
    }
    # "decodings" counts; this names the documents that were not plain UTF-8, so that a
    # guessed cp1252 can be checked.
    decoded_as: dict[str, list[str]] = {}
    for record in stats:
        if record.get("decoding") not in (None, "utf-8", "utf-8-sig"):
            where = record["path"] if record.get("line") is None else f"{record['path']}:{record['line']}"
            decoded_as.setdefault(record["decoding"], []).append(where)
    summary["decoded_as"] = decoded_as
    write_atomic(out / "summary.json", _json_bytes(summary))
    write_atomic(out / "summary.html", summary_html(summary).encode("utf-8"))
    test_pause("complete")
    # Shard files are written without fsync (one per file would be slow); the published
    # files are links to them. Before the state says "complete" on disk, their data must
    # be there too, or a power cut could leave a complete state over empty files.
    flush_to_disk(out)
    state.update(complete=True, files=sorted(new_files), documents=len(stats), skipped=len(skipped),
                 shards=sorted(shard.id for shard in plan.shards))
    write_atomic(out / WORK / STATE_FILE, _json_bytes(state), durable=True)
    return summary


def flush_to_disk(folder: Path | str) -> None:
    """Write everything cached for the file system that holds ``folder`` to disk: syncfs(2)
    on Linux (that file system only), sync(2) elsewhere."""
    try:
        import ctypes

        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
        handle = os.open(folder, os.O_RDONLY)
        try:
            if syncfs(handle) == 0:
                return
        finally:
            os.close(handle)
    except (OSError, AttributeError):
        pass
    if hasattr(os, "sync"):
        os.sync()


def _collision(names: Iterable[str], files_owned: dict[str, str], dirs_owned: dict[str, str]) -> str | None:
    """The input whose outputs already use one of ``names``, as a file or as a folder (or
    hold a file where one of ``names`` needs a folder); None when all are free."""
    for name in names:
        owner = files_owned.get(name) or dirs_owned.get(name)
        if owner is None:
            owner = next((files_owned[p] for p in _parents(name) if p in files_owned), None)
        if owner is not None:
            return owner
    return None


def _remove_temporaries(out: Path, names: Iterable[str]) -> None:
    """Remove the hidden temporaries that a killed publish left beside its files. Called
    under the publish lock, when the state says the last publish did not finish: no other
    publish can be writing them."""
    folders = {out, out / WORK} | {(out / name).parent for name in names}
    for folder in folders:
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder):
                if _TEMPORARY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


#: Longest file name and path (in bytes) a file system takes: POSIX's usual NAME_MAX and
#: PATH_MAX, less the terminating NUL, when the file system does not say.
_NAME_MAX, _PATH_MAX = 255, 4095


def _too_long(out: Path, names: Iterable[str]) -> str | None:
    """Why one of ``names`` (relative to ``out``) cannot be created, if it cannot: an input
    deep enough or with a long enough name gets outputs with longer paths (OUT's own path,
    ".edits.jsonl"), and one such file must not make the whole publish fail."""
    try:
        name_max = os.pathconf(out, "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = _NAME_MAX
    base = len(os.fsencode(out))
    # The temporary beside a file has a name of up to 64 + 32 bytes.
    temporary = 1 + 64 + 1 + 10 + 1 + 8 + 4
    for name in names:
        parts = [len(part.encode("utf-8")) for part in name.split("/")]
        longest = max(parts)
        if longest > name_max:
            return f"an output file name would have {longest} bytes, more than the file system allows ({name_max})"
        length = base + sum(parts) + len(parts) + max(0, temporary - parts[-1])
        if length > _PATH_MAX:
            return f"an output path would have about {length} bytes, more than the file system allows ({_PATH_MAX})"
    return None


#: A shard's private folder older than this was left by a worker that died (a live one
#: renames it within seconds or minutes).
ABANDONED_AFTER = 24 * 3600


def _remove_abandoned(folder: Path) -> None:
    cutoff = time.time() - ABANDONED_AFTER
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(".tmp-") and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                shutil.rmtree(entry.path, ignore_errors=True)


#: ``ocr-repair gc`` leaves alone what was touched more recently than this: a run of another
#: configuration may be writing there now.
GC_MIN_AGE = ABANDONED_AFTER


def collect_garbage(out: Path | str, min_age: float = GC_MIN_AGE, dry_run: bool = False) -> dict:
    """Remove from ``OUT/.work`` what the published result does not need: the folders of
    other configurations (an upgrade or a settings change leaves a full set of shards behind),
    shards of the published configuration that its plan no longer uses, and temporaries of
    interrupted runs; each only when nothing in it changed for ``min_age`` seconds. The
    published files are links of their own, so they never depend on what is removed.

    Returns ``{"removed": [folders, relative to OUT], "bytes": n, "kept": [(folder, why)]}``.
    Runs under the publish lock, so it never races a publish.
    """
    out = Path(out)
    work = out / WORK
    removed: list[str] = []
    kept: list[tuple[str, str]] = []
    freed = 0
    if not work.is_dir():
        return {"removed": removed, "bytes": freed, "kept": kept}
    cutoff = time.time() - min_age

    def drop(folder: Path) -> None:
        nonlocal freed
        size = _tree_bytes(folder)
        if not dry_run:
            shutil.rmtree(folder)
        freed += size
        removed.append(folder.relative_to(out).as_posix())

    with _publish_lock(out):
        state = read_state(out) or {}
        published = state.get("config_hash") if state.get("complete") else None
        needed = set(state.get("shards", ())) if published else set()
        for entry in sorted(work.iterdir()):
            if not entry.is_dir() or entry.is_symlink():
                continue
            name = entry.relative_to(out).as_posix()
            if entry.name != published:
                if not published:
                    kept.append((name, "no complete result is published: it may be needed"))
                elif _newest_mtime(entry) >= cutoff:
                    kept.append((name, "changed recently: a run may be using it"))
                else:
                    drop(entry)
                continue
            if "shards" not in state:
                kept.append((name, "the published result does not list its shards (written by an older version)"))
                continue
            shards = entry / "shards"
            for shard in sorted(shards.iterdir()) if shards.is_dir() else ():
                if shard.name in needed or not shard.is_dir() or shard.is_symlink():
                    continue
                if _newest_mtime(shard) >= cutoff:
                    kept.append((shard.relative_to(out).as_posix(), "changed recently: a run may be using it"))
                else:
                    drop(shard)
    return {"removed": removed, "bytes": freed, "kept": kept}


def _newest_mtime(folder: Path) -> float:
    newest = 0.0
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files, "."]:
            with contextlib.suppress(OSError):
                newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
    return newest


def _tree_bytes(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
    return total


def _parents(name: str) -> list[str]:
    parts = name.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _prune_empty(out: Path, name: str) -> None:
    for parent in reversed(_parents(name)):
        if "/" not in parent:
            break  # keep clean/ and reports/ themselves
        try:
            (out / parent).rmdir()
        except OSError:
            break


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def read_summary(out: Path | str) -> dict | None:
    try:
        return json.loads((Path(out) / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --- progress ------------------------------------------------------------------------------


class Progress:
    """A progress line on ``stream``: documents done of those to do, MB done and MB/s.

    It counts finished shards by listing the shard folder (a shard appears there whole, by
    rename), so it sees the work of every worker process, forked or on another machine, and
    needs nothing from them. It writes with ``os.write``: Luigi forks worker processes
    while this thread runs, and a fork must not inherit a lock held by it.
    """

    def __init__(
        self, folder: Path, shards: Sequence[Shard], stream: TextIO | None = None, interval: float | None = None
    ):
        self.folder = Path(folder)
        self.pending = {shard.id: shard for shard in shards}
        self.total_documents = sum(shard.documents for shard in shards)
        self.total_bytes = sum(shard.size for shard in shards)
        self.documents = 0
        self.bytes = 0
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        # On a terminal the line is redrawn in place; in a log (cron) a line now and then.
        self.interval = interval if interval is not None else (0.5 if self.tty else 30.0)
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._drawn = False

    def poll(self) -> None:
        if not self.pending:
            return
        try:
            names = set(os.listdir(self.folder))
        except OSError:
            return
        for shard_id in [s for s in self.pending if s in names]:
            shard = self.pending.pop(shard_id)
            self.documents += shard.documents
            self.bytes += shard.size

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        return (
            f"ocr-repair: {self.documents}/{self.total_documents} documents, "
            f"{self.bytes / 1e6:.1f}/{self.total_bytes / 1e6:.1f} MB, "
            f"{self.bytes / 1e6 / elapsed:.2f} MB/s, {elapsed:.0f} s"
        )

    def _emit(self, text: str) -> None:
        data = text.encode("utf-8", "replace")
        try:
            os.write(self.stream.fileno(), data)
        except (AttributeError, OSError, ValueError):
            with contextlib.suppress(Exception):
                self.stream.write(text)
                self.stream.flush()

    def _show(self) -> None:
        if self.tty:
            self._emit("\r" + self.line() + "\x1b[K")
            self._drawn = True
        else:
            self._emit(self.line() + "\n")

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.poll()
            self._show()

    def start(self) -> "Progress":
        if self.pending:
            self._thread = threading.Thread(target=self._loop, name="ocr-repair-progress", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop, and leave the final count on a line of its own (when there was work)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self.poll()
            if self.tty:
                self._emit("\r" + self.line() + "\x1b[K\n")
            else:
                self._emit(self.line() + "\n")
