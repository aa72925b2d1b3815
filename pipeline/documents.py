"""The documents of a batch: a ``.txt`` file is one article, a ``.jsonl`` file one article per
line (an object with ``id`` and ``text``; its other fields ride along untouched).

Readers never raise for bad input: they yield a :class:`Skipped` record naming the file (and
line) and the reason, so that one bad file or line cannot stop a batch of thousands. Text is
strict UTF-8 (a BOM is allowed and dropped); other encodings are reported, not guessed.

>>> docs = list(parse_jsonl(b'{"id": 7, "text": "ofBits", "src": "AP"}\\nnot json\\n', "feed.jsonl"))
>>> docs[0].id, docs[0].text, docs[0].line, docs[0].record("of its")
(7, 'ofBits', 1, {'id': 7, 'text': 'of its', 'src': 'AP'})
>>> docs[1]
Skipped(path='feed.jsonl', reason='line 2: not valid JSON: Expecting value (column 1)')
>>> safe_filename("../../x"), safe_filename("Lavrov 2016/09"), safe_filename("..")
('%2E.%2F..%2Fx', 'Lavrov%202016%2F09', '%2E.')
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Union

__all__ = [
    "Document",
    "Skipped",
    "DecodeError",
    "decode_text",
    "parse_txt",
    "parse_jsonl",
    "read_txt",
    "read_jsonl",
    "relative_name",
    "safe_filename",
]


@dataclass(frozen=True)
class Document:
    """One article. ``relpath`` is its file, relative to the batch root, with ``/``."""

    id: Union[str, int]
    text: str
    #: The JSONL record's other fields, in their order (empty for a ``.txt`` file).
    metadata: dict = field(default_factory=dict)
    relpath: str = ""
    #: 1-based line of a JSONL record; None for a ``.txt`` file.
    line: int | None = None
    #: How the bytes were decoded ("utf-8", or "utf-8-sig" when a BOM was dropped).
    decoding: str = "utf-8"
    #: The record's keys in their original order, so that ``text`` goes back where it was.
    keys: tuple[str, ...] = ()

    def record(self, text: str) -> dict:
        """The JSONL record with ``text`` in place of the original text."""
        if not self.keys:
            return {**self.metadata, "text": text}
        return {key: text if key == "text" else self.metadata[key] for key in self.keys}


@dataclass(frozen=True)
class Skipped:
    """An input (or a JSONL line: the reason starts with ``line N:``) left out, and why."""

    path: str
    reason: str

    def to_dict(self) -> dict:
        return {"path": self.path, "reason": self.reason}


Item = Union[Document, Skipped]


class DecodeError(ValueError):
    """Bytes that are not UTF-8; the message gives the offset and the offending byte."""


def decode_text(data: bytes) -> tuple[str, str]:
    """``(text, decoding)``: strict UTF-8 with an optional BOM, which is dropped.

    >>> decode_text(b"\\xef\\xbb\\xbfcaf\\xc3\\xa9")
    ('café', 'utf-8-sig')
    >>> decode_text(b"caf\\xe9 au lait")
    Traceback (most recent call last):
    ...
    pipeline.documents.DecodeError: not valid UTF-8 at byte 3 (0xe9: invalid continuation byte)
    """
    bom = data.startswith(codecs.BOM_UTF8)
    skipped = len(codecs.BOM_UTF8) if bom else 0
    try:
        text = data[skipped:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = skipped + error.start
        raise DecodeError(f"not valid UTF-8 at byte {offset} (0x{data[offset]:02x}: {error.reason})") from None
    return text, "utf-8-sig" if bom else "utf-8"


def relative_name(path: Path | str, root: Path | str) -> str:
    """``path`` relative to ``root`` with ``/`` separators, as every record names a file."""
    return Path(os.path.relpath(path, root)).as_posix()


# --- .txt ----------------------------------------------------------------------------------


def parse_txt(data: bytes, relpath: str) -> Item:
    """The one document of a ``.txt`` file's bytes; its id is its relative path."""
    try:
        text, decoding = decode_text(data)
    except DecodeError as error:
        return Skipped(relpath, str(error))
    return Document(id=relpath, text=text, relpath=relpath, decoding=decoding)


def read_txt(path: Path | str, root: Path | str) -> Iterator[Item]:
    """Yield the document of the ``.txt`` file ``path`` (or why it was skipped)."""
    relpath = relative_name(path, root)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        yield Skipped(relpath, read_error(error))
        return
    yield parse_txt(data, relpath)


# --- .jsonl --------------------------------------------------------------------------------


def _reject_constant(name: str) -> None:
    # NaN and Infinity are not JSON; accepting them would write records other tools reject.
    raise ValueError(f"{name} is not valid JSON")


def parse_jsonl(data: bytes, relpath: str, first_line: int = 1) -> Iterator[Item]:
    """Yield a document per non-blank line of ``data`` (whole lines of a ``.jsonl`` file
    starting at line ``first_line``), or a :class:`Skipped` naming the line."""
    for number, raw in enumerate(data.split(b"\n"), first_line):
        decoding = "utf-8"
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
            decoding = "utf-8-sig"
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield Skipped(relpath, f"line {number}: not valid UTF-8 at byte {error.start} of the line")
            continue
        try:
            record = json.loads(line, parse_constant=_reject_constant)
        except json.JSONDecodeError as error:
            yield Skipped(relpath, f"line {number}: not valid JSON: {error.msg} (column {error.colno})")
            continue
        except (ValueError, RecursionError) as error:
            yield Skipped(relpath, f"line {number}: not valid JSON: {error}")
            continue
        if not isinstance(record, dict):
            yield Skipped(relpath, f"line {number}: not a JSON object")
            continue
        if "id" not in record:
            yield Skipped(relpath, f'line {number}: no "id"')
            continue
        doc_id = record["id"]
        # bool is an int to Python, but true/false as an id is a data error, not a name.
        if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
            yield Skipped(relpath, f'line {number}: "id" must be a string or an integer')
            continue
        text = record.get("text")
        if not isinstance(text, str):
            what = "no" if "text" not in record else "a non-string"
            yield Skipped(relpath, f'line {number}: {what} "text"')
            continue
        # Escapes can make lone surrogates (\\ud800), which cannot be written as UTF-8.
        surrogate = _lone_surrogate(record) if "\\u" in line else None
        if surrogate is not None:
            reason = f"line {number}: holds a lone surrogate (\\u{ord(surrogate):04x}...), which is not text"
            yield Skipped(relpath, reason)
            continue
        metadata = {key: value for key, value in record.items() if key != "text"}
        yield Document(
            id=doc_id,
            text=text,
            metadata=metadata,
            relpath=relpath,
            line=number,
            decoding=decoding,
            keys=tuple(record),
        )


def _lone_surrogate(value: object) -> str | None:
    """The first lone surrogate in a parsed JSON value's strings and keys, if any."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            return value[error.start]
        return None
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        found = _lone_surrogate(item)
        if found is not None:
            return found
    return None


def read_jsonl(
    path: Path | str, root: Path | str, start: int = 0, end: int | None = None, first_line: int = 1
) -> Iterator[Item]:
    """Yield the documents of a ``.jsonl`` file, or of its bytes ``start:end`` (which must
    be whole lines, the first being line ``first_line``), each with its line number."""
    relpath = relative_name(path, root)
    try:
        with open(path, "rb") as stream:
            stream.seek(start)
            data = stream.read() if end is None else stream.read(end - start)
    except OSError as error:
        yield Skipped(relpath, read_error(error))
        return
    yield from parse_jsonl(data, relpath, first_line)


def read_error(error: OSError) -> str:
    """A short reason for a failed read, without the path (the record names the file)."""
    if isinstance(error, FileNotFoundError):
        return "cannot read: no such file"
    if isinstance(error, PermissionError):
        return "cannot read: permission denied"
    if isinstance(error, IsADirectoryError):
        return "cannot read: is a directory"
    return f"cannot read: {error.strerror or error}"


# --- ids as file names ---------------------------------------------------------------------

#: Longest name (in UTF-8 bytes) kept as is; a longer one is cut and given a hash, since
#: file systems stop at 255 bytes and the caller adds a suffix.
NAME_LIMIT = 120


def safe_filename(doc_id: object) -> str:
    """A file name for an article id that cannot leave its folder, hide, or collide.

    Letters, digits, ``-``, ``_`` and ``.`` stay (a leading ``.`` does not: it would make
    ``.``, ``..`` or a hidden file); every other character becomes ``%XX`` per UTF-8 byte,
    ``%`` included, so different ids give different names. The empty id is ``%``; an id
    longer than :data:`NAME_LIMIT` bytes is cut and ends in ``~`` and a hash of the whole
    id (``~`` is always escaped otherwise, so such names cannot collide with others).

    >>> safe_filename("AP-2016.09.22_001"), safe_filename(""), safe_filename("a%2Fb")
    ('AP-2016.09.22_001', '%', 'a%252Fb')
    >>> safe_filename("/etc/passwd"), safe_filename("Zürich"), safe_filename(12)
    ('%2Fetc%2Fpasswd', 'Zürich', '12')
    """
    text = str(doc_id)
    if not text:
        return "%"
    parts = []
    for position, char in enumerate(text):
        keep = (char.isalnum() and char.isprintable()) or char in "-_" or (char == "." and position > 0)
        if keep:
            parts.append(char)
        else:
            parts.extend(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
    name = "".join(parts)
    if len(name.encode("utf-8")) > NAME_LIMIT:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        cut = name.encode("utf-8")[: NAME_LIMIT - 17].decode("utf-8", "ignore")
        # Never end the cut inside an escape: "%2" + "~..." would read as a different id.
        if "%" in cut[-2:]:
            cut = cut[: cut.rindex("%")]
        name = f"{cut}~{digest}"
    return name
