"""The documents of a batch: a ``.txt`` file is one article, a ``.jsonl`` file one article per
line (an object with ``id`` and ``text``; its other fields ride along untouched).

Readers never raise for bad input: they yield a :class:`Skipped` record naming the file (and
line) and the reason, so that one bad file or line cannot stop a batch of thousands. How bytes
become text is :func:`decode_bytes`: UTF-8 (a BOM is dropped), UTF-16 or UTF-32 with a BOM, and
binary files (PDF, PNG, zip...) recognised and skipped; with ``guess=True`` (``decode = auto``
in a batch) also UTF-8 with a few bad bytes replaced, then cp1252, then Latin-1. How each
document was decoded is its ``decoding``, reported with it: nothing is guessed silently.

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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Union

__all__ = [
    "Document",
    "Skipped",
    "DecodeError",
    "BinaryData",
    "DECODINGS",
    "decode_bytes",
    "decode_text",
    "parse_txt",
    "parse_jsonl",
    "jsonl_unusable",
    "file_signature",
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
    #: How the bytes were decoded: one of :data:`DECODINGS` ("utf-8-sig": a UTF-8 BOM was dropped).
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
    """Bytes that are not text in an encoding we read; the message says why (for UTF-8, the
    offset and the offending byte)."""


class BinaryData(DecodeError):
    """Bytes that are not text at all: a known file format, or too many control bytes."""


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


#: Every ``decoding`` a document can have, from the least to the most guessed.
DECODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-32", "utf-8 with replacement", "utf-16 with replacement",
             "utf-32 with replacement", "cp1252", "latin-1")

# UTF-32 first: its little-endian BOM begins with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

#: File signatures ("magic numbers") of formats that get saved as .txt by mistake. Only
#: signatures that no text starts with: "%PDF-" is the one printable one, and a text that
#: begins with it is a PDF's source.
_SIGNATURES = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"PK\x07\x08", "zip"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x7fELF", "ELF executable"),
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office (OLE)"),
    (b"SQLite format 3\x00", "SQLite"),
    (b"\xca\xfe\xba\xbe", "Java class"),
    (b"OggS\x00", "Ogg"),
    (b"fLaC", "FLAC"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF font"),
)

#: C0 controls that text does not use: all but tab, LF, VT, FF, CR and ESC (terminal
#: escapes in captured logs), plus DEL. NUL is one of them.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_NOT_CONTROL = bytes(sorted(set(range(256)) - set(_CONTROL_BYTES)))
#: Shares of control bytes above which data is binary. Valid UTF-8 is strong evidence of
#: text (random bytes are never valid UTF-8), so it may hold more before we call it binary:
#: PDFs emit control characters as joiner glyphs, and overstruck man pages use backspaces.
#: Random or compressed bytes hold about 10.5% control bytes.
_BINARY_SHARE_UTF8 = 0.30
_BINARY_SHARE_OTHER = 0.05
#: NUL bytes above this share make even valid UTF-8 binary (UTF-16 text without a BOM is
#: valid UTF-8, half of it NUL).
_NUL_SHARE = 0.10


def file_signature(data: bytes) -> str | None:
    """The binary format ``data`` starts with, if it is one we know.

    >>> file_signature(b"%PDF-1.7\\n"), file_signature(b"Plain text")
    ('PDF', None)
    """
    for magic, name in _SIGNATURES:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] in (b"WAVE", b"WEBP", b"AVI "):
        return data[8:12].decode("ascii").strip()
    if data[4:8] == b"ftyp":
        return "MP4/QuickTime"
    return None


def _binary_reason(data: bytes, valid_utf8: bool) -> str | None:
    if not data:
        return None
    controls = len(data.translate(None, _NOT_CONTROL))
    nuls = data.count(0)
    if nuls > _NUL_SHARE * len(data):
        # Text in UTF-16 without a BOM has its NULs on one side of every pair of bytes.
        even = data[0::2].count(0)
        if max(even, nuls - even) > 0.9 * nuls and nuls > 0.3 * len(data):
            return "binary file (NUL bytes; UTF-16 text without a byte-order mark?)"
        return f"binary file ({nuls} NUL bytes in {len(data)})"
    if controls > (_BINARY_SHARE_UTF8 if valid_utf8 else _BINARY_SHARE_OTHER) * len(data):
        return f"binary file ({controls} control bytes in {len(data)})"
    return None


_ESCAPED = re.compile("[\udc80-\udcff]+")


def _mostly_utf8(data: bytes) -> str | None:
    """``data`` as UTF-8 with U+FFFD for bad bytes, when it holds good multi-byte characters
    and at least as many as bad spots (a UTF-8 file with a stray or cut byte); else None.
    A cp1252 or Latin-1 text almost never holds a valid UTF-8 sequence by chance."""
    escaped = data.decode("utf-8", "surrogateescape")  # a bad byte becomes U+DC80..U+DCFF
    spots = _ESCAPED.findall(escaped)
    good = len(escaped) - len(escaped.encode("ascii", "ignore")) - sum(map(len, spots))
    return data.decode("utf-8", "replace") if good and good >= len(spots) else None


def decode_bytes(data: bytes, guess: bool = True) -> tuple[str, str]:
    """``(text, decoding)`` of a file's bytes, or :class:`DecodeError` saying why not
    (:class:`BinaryData` for a binary file). In order:

    1. a UTF-8, UTF-16 or UTF-32 byte-order mark decides (and is dropped; with ``guess``,
       bad bytes after it become U+FFFD: "utf-8 with replacement" and so on);
    2. a known binary signature (PDF, PNG, zip, ...) or too many NUL or control bytes:
       binary, never text;
    3. valid UTF-8 is ``"utf-8"``;
    4. only with ``guess``: mostly valid UTF-8 (good multi-byte characters at least as many
       as bad spots) is ``"utf-8 with replacement"`` (each bad spot becomes U+FFFD); else
       ``"cp1252"`` when every byte is defined there; else ``"latin-1"``, which reads
       any byte. Without ``guess``, a :class:`DecodeError` names the first bad byte.

    NUL and other control characters in text are kept: the repair handles them, and what
    the input holds is the user's to judge.

    >>> decode_bytes(b"\\xff\\xfec\\x00a\\x00f\\x00\\xe9\\x00")
    ('café', 'utf-16')
    >>> decode_bytes(b"caf\\xe9 \\x93cr\\xe8me\\x94"), decode_bytes(b"caf\\xe9 \\x81")
    (('café “crème”', 'cp1252'), ('café \\x81', 'latin-1'))
    >>> decode_bytes(b"na\\xc3\\xafve caf\\xc3\\xa9, cut \\xc3")
    ('naïve café, cut \\ufffd', 'utf-8 with replacement')
    >>> decode_bytes(b"%PDF-1.4\\n%\\xe2\\xe3\\xcf\\xd3\\n")
    Traceback (most recent call last):
    ...
    pipeline.documents.BinaryData: binary file (PDF)
    >>> decode_bytes(b"caf\\xe9", guess=False)
    Traceback (most recent call last):
    ...
    pipeline.documents.DecodeError: not valid UTF-8 at byte 3 (0xe9: unexpected end of data)
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return decode_text(data)
        except DecodeError:
            if not guess:
                raise
            # The BOM says UTF-8: a bad byte in it is damage, not another encoding.
            return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace"), "utf-8 with replacement"
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name  # the codec drops the BOM
            except UnicodeDecodeError as error:
                if not guess:
                    raise DecodeError(f"not valid {name.upper()} at byte {error.start} ({error.reason})") from None
                return data.decode(name, "replace"), f"{name} with replacement"
    signature = file_signature(data)
    if signature is not None:
        raise BinaryData(f"binary file ({signature})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    reason = _binary_reason(data, text is not None)
    if reason is not None:
        raise BinaryData(reason)
    if text is not None:
        return text, "utf-8"
    if not guess:
        return decode_text(data)  # raises, naming the first bad byte
    text = _mostly_utf8(data)
    if text is not None:
        return text, "utf-8 with replacement"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90 or 0x9d: not cp1252
        return data.decode("latin-1"), "latin-1"


def relative_name(path: Path | str, root: Path | str) -> str:
    """``path`` relative to ``root`` with ``/`` separators, as every record names a file."""
    return Path(os.path.relpath(path, root)).as_posix()


# --- .txt ----------------------------------------------------------------------------------


def parse_txt(data: bytes, relpath: str, guess: bool = False, hint: bool = False) -> Item:
    """The one document of a ``.txt`` file's bytes; its id is its relative path. ``guess``
    as for :func:`decode_bytes`; ``hint`` adds to the reason of a file that is not UTF-8
    what guessing would read it as."""
    try:
        text, decoding = decode_bytes(data, guess)
    except BinaryData as error:
        return Skipped(relpath, str(error))
    except DecodeError as error:
        reason = str(error)
        if hint and not guess:
            reason += f"; decode=auto would read it as {decode_bytes(data, True)[1]}"
        return Skipped(relpath, reason)
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


def jsonl_unusable(head: bytes) -> str | None:
    """Why a ``.jsonl`` file that starts with ``head`` cannot be read line by line, if it
    cannot: JSON Lines is UTF-8, and a file in UTF-16 or UTF-32 (its BOM says so) or in a
    binary format is neither lines nor JSON.

    >>> jsonl_unusable(b"\\xff\\xfe{\\x00"), jsonl_unusable(b"PK\\x03\\x04"), jsonl_unusable(b'{"id"')
    ('a .jsonl file must be UTF-8; this one is UTF-16 (it has a byte-order mark)', 'binary file (zip)', None)
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            return f"a .jsonl file must be UTF-8; this one is {name.upper()} (it has a byte-order mark)"
    signature = file_signature(head)
    return None if signature is None else f"binary file ({signature})"


def _decode_line(raw: bytes) -> tuple[str, str]:
    """A JSONL line that is not UTF-8, read as :func:`decode_bytes` guesses (no binary
    test: a binary line is not JSON, and says so)."""
    text = _mostly_utf8(raw)
    if text is not None:
        return text, "utf-8 with replacement"
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def parse_jsonl(
    data: bytes, relpath: str, first_line: int = 1, guess: bool = False, hint: bool = False
) -> Iterator[Item]:
    """Yield a document per non-blank line of ``data`` (whole lines of a ``.jsonl`` file
    starting at line ``first_line``), or a :class:`Skipped` naming the line. A line that is
    not UTF-8 is skipped (``hint``: saying what ``guess`` would read it as), or with
    ``guess`` read as :func:`decode_bytes` would; a binary file, or a piece of one, is one
    :class:`Skipped`, not one per line."""
    if first_line == 1:
        reason = jsonl_unusable(data[:64])
        if reason is not None:
            yield Skipped(relpath, reason)
            return
    reason = _binary_reason(data, valid_utf8=False)
    if reason is not None:
        if first_line != 1:
            last = first_line + data.count(b"\n") - (1 if data.endswith(b"\n") else 0)
            reason = f"lines {first_line}-{last}: " + reason.replace("binary file", "binary data")
        yield Skipped(relpath, reason)
        return
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
            if not guess:
                reason = f"line {number}: not valid UTF-8 at byte {error.start} of the line"
                if hint:
                    reason += f"; decode=auto would read it as {_decode_line(raw)[1]}"
                yield Skipped(relpath, reason)
                continue
            line, decoding = _decode_line(raw)
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
