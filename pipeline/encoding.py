"""Encoding damage: mojibake, C1 controls, Latin ligatures, through ftfy.

ftfy decides *what* the text should be; this module only turns its answer into minimal
:class:`~pipeline.edits.Edit` records against the input. ftfy is configured so that it
repairs encoding damage and nothing else (see :data:`FTFY_CONFIG`): correct text, curly
quotes, CJK, emoji, line breaks and control characters that other stages read all pass
through unchanged.

>>> from pipeline.config import Config
>>> edits = encoding_edits("Syriaâ€™s civil war, the ﬁrst cafÃ©\\n", Config())
>>> [(e.before, e.after, e.rule) for e in edits]
[('â€™', '’', 'encoding'), ('ﬁ', 'fi', 'ligature'), ('Ã©', 'é', 'encoding')]
>>> encoding_edits("“Syria’s” — Zoë, 東京 🙂\\n", Config())
[]
"""

from __future__ import annotations

import bisect

import re
import sys
from difflib import SequenceMatcher
from typing import Iterator, Sequence

import ftfy
from ftfy.chardata import LIGATURES

from .config import Config
from .edits import Edit

#: ftfy's settings. Only switches that repair text which cannot be right as it stands are on.
FTFY_CONFIG = ftfy.TextFixerConfig(
    # Off: entities are plain ASCII, so "&amp;" may be literal text (an article about HTML, a
    # quoted URL), and PDF extraction never HTML-escapes. ftfy's "auto" mode also decides per
    # line (off when the line has a "<"), so one document would be treated inconsistently.
    # Text scraped from HTML should be unescaped once, with document-level evidence, upstream.
    unescape_html=False,
    # Off: not encoding damage, and keeping every ftfy change inside non-ASCII lines lets us
    # skip pure-ASCII lines entirely (most of an English article).
    remove_terminal_escapes=False,
    fix_encoding=True,
    # On (ftfy's defaults): each acts only inside a line ftfy already judged to be mojibake,
    # and ftfy's own negative cases pass with them.
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    # On: "ﬁ" in extracted text is a font artefact; the letters are what the author wrote.
    fix_latin_ligatures=True,
    # Off: fullwidth forms and the ideographic space are correct in CJK text.
    fix_character_width=False,
    # Off: typographic quotes are correct text; straightening them would be a false edit.
    uncurl_quotes=False,
    # Off: line breaks belong to the layout stage (and CR/LF must survive --keep-line-breaks).
    fix_line_breaks=False,
    # On: a lone surrogate cannot even be written as UTF-8; a pair is one character.
    fix_surrogates=True,
    # Off: it deletes U+000B (Word's manual line break, the layout stage's business), U+FEFF
    # and U+FFFC, and C0 controls that some PDFs emit as joiner glyphs, which the joiner stage
    # must still see to learn the document's junk glyphs.
    remove_control_chars=False,
    # Off: NFC/NFKC rewrite correct text (NFKC even "10³" -> "103"); not encoding damage.
    normalization=None,
    explain=True,
)

ENCODING_CONFIDENCE = 0.95
LIGATURE_CONFIDENCE = 0.9

#: With every switch above, ftfy leaves pure-ASCII text alone, so only lines holding a
#: character outside ASCII need it.
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LIGATURE_CHARS = re.compile("[" + "".join(chr(c) for c in LIGATURES) + "]")
#: A line ftfy could change (with FTFY_CONFIG) matches this: every pattern of ftfy's mojibake
#: detector (badness.BADNESS_RE, which gates all its re-decoding) needs two adjacent
#: non-ASCII characters or one of Œ œ Ã Â or a C1 control; the other fixes we keep need a C1
#: control, a ligature or a surrogate. Lines with a lone "’" or "—" among ASCII, most lines of
#: an English article, skip ftfy altogether. tests/test_encoding.py checks the claim against
#: the installed ftfy.
_CANDIDATE_CHAR = re.compile("[ŒœÃÂ\x80-\x9f\ud800-\udfff" + "".join(chr(c) for c in LIGATURES) + "]")
_CANDIDATE = re.compile("[^\x00-\x7f]{2}|" + _CANDIDATE_CHAR.pattern)
#: _CANDIDATE led by one set: a character outside ASCII, then another, or itself a
#: _CANDIDATE_CHAR (every one is outside ASCII).
_CANDIDATE_RUN = re.compile("[^\x00-\x7f](?:[^\x00-\x7f]|(?<=" + _CANDIDATE_CHAR.pattern + "))")
_TOKENS = re.compile(r"\s+|\S+")

#: ftfy's own bound on the text it fixes in one piece (its fix_text splits there too).
MAX_SEGMENT = 1_000_000
#: Above this many differing characters, align words first: character-level
#: SequenceMatcher is quadratic on long, similar strings.
_CHAR_DIFF_LIMIT = 2_000
_TOKEN_DIFF_LIMIT = 20_000


def encoding_edits(text: str, config: Config | None = None) -> list[Edit]:
    """Edits that repair the encoding damage in ``text``, sorted by position.

    ``apply_edits(text, encoding_edits(text))`` equals ``ftfy.fix_text(text, FTFY_CONFIG)``
    (for lines shorter than :data:`MAX_SEGMENT`), and running again on that gives no edits.
    """
    if config is not None and not config.fix_encoding:
        return []
    if text.isascii():
        return []
    edits: list[Edit] = []
    for start, end in _segments(text):
        edits.extend(_segment_edits(text, start, end))
    return edits


def may_need_encoding(text: str) -> bool:
    """Could ftfy (with :data:`FTFY_CONFIG`) change any line of ``text``? False is certain;
    one scan at C speed settles most documents, before working out which lines changed."""
    return not text.isascii() and _has_candidate(text)


def lines_need_encoding(text: str, positions: Sequence[tuple[int, int]]) -> bool:
    """Could ftfy (with :data:`FTFY_CONFIG`) change a line of ``text`` that holds one of the
    ``positions`` (spans, as ``(start, end)``)? False is certain; True means "look".

    ftfy reads a line as a whole, so a line that another stage rejoined or trimmed may read
    as mojibake where its pieces did not; but only a line matching :data:`_CANDIDATE` can.
    """
    if not may_need_encoding(text):
        return False
    seen_end = -1
    for start, end in sorted(positions):
        if end <= seen_end:
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        if line_end < 0:
            line_end = len(text)
        if _has_candidate(text, max(line_start, seen_end + 1), line_end):
            return True
        seen_end = line_end
    return False


def _has_candidate(text: str, start: int = 0, end: int = sys.maxsize) -> bool:
    """``_CANDIDATE.search(text, start, end) is not None``, found twice as fast on damaged
    news: the engine scans for a pattern led by one set quickly, but tries an alternation at
    every character (_CANDIDATE_RUN says the same with the set first)."""
    return _CANDIDATE_RUN.search(text, start, end) is not None


def _segments(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the lines (without their "\\n") that hold a non-ASCII character.

    Only "\\n" ends a line: str.splitlines() would also split at U+0085, which is C1 mojibake
    for "…" that ftfy must see in context.
    """
    pos = 0
    while True:
        found = _NON_ASCII.search(text, pos)
        if found is None:
            return
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        if end < 0:
            end = len(text)
        yield from _bounded(text, start, end)
        pos = end + 1


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split a huge line into pieces of at most MAX_SEGMENT, at whitespace where possible.

    Splitting at whitespace keeps a mojibake sequence (which holds no whitespace, bar the
    NBSP-turned-space that restore_byte_a0 handles) in one piece.
    """
    while end - start > MAX_SEGMENT:
        cut = start + MAX_SEGMENT
        space = max(text.rfind(" ", start + MAX_SEGMENT // 2, cut), text.rfind("\t", start + MAX_SEGMENT // 2, cut))
        if space > start:
            cut = space + 1
        yield start, cut
        start = cut
    if end > start:
        yield start, end


def _segment_edits(text: str, start: int, end: int) -> list[Edit]:
    segment = text[start:end]
    if not _has_candidate(segment):
        return []
    fixed, steps = ftfy.fix_and_explain(segment, FTFY_CONFIG)
    if fixed == segment:
        return []
    why = describe_steps(steps or [])

    # Align against the segment with its ligatures already taken apart, so that a ligature
    # becomes an exact one-character edit and the encoding diff never has to match "ﬁ" with
    # "fi" (which SequenceMatcher may misalign next to other f's and i's).
    ligatures = [m.start() for m in _LIGATURE_CHARS.finditer(segment)]
    if ligatures:
        expanded, origin = _expand_ligatures(segment, ligatures)
    else:
        expanded, origin = segment, None

    hunks = _hunks(expanded, fixed)
    if origin is not None:
        hunks = _widen_to_characters(hunks, origin)
    edits: list[Edit] = []
    covered: set[int] = set()  # ligature positions swallowed by an encoding edit
    for i1, i2, j1, j2 in hunks:
        o1, o2 = (origin[i1], origin[i2]) if origin is not None else (i1, i2)
        # Ligatures are sorted: bisect to the hunk's, so a long line stays linear.
        covered.update(ligatures[bisect.bisect_left(ligatures, o1) : bisect.bisect_left(ligatures, o2)])
        edits.append(
            Edit(start + o1, start + o2, segment[o1:o2], fixed[j1:j2], "encoding", ENCODING_CONFIDENCE, why)
        )
    for p in ligatures:
        if p not in covered:
            char = segment[p]
            edits.append(
                Edit(
                    start + p,
                    start + p + 1,
                    char,
                    LIGATURES[ord(char)],
                    "ligature",
                    LIGATURE_CONFIDENCE,
                    f"ftfy: fix_latin_ligatures ({char} -> {LIGATURES[ord(char)]})",
                )
            )
    edits.sort(key=lambda e: (e.start, e.end))
    return edits


def _expand_ligatures(segment: str, positions: Sequence[int]) -> tuple[str, list[int]]:
    """The segment with ligatures replaced, and for each of its offsets (plus the end) the
    offset in ``segment`` of the character it came from."""
    parts: list[str] = []
    origin: list[int] = []
    cursor = 0
    for p in positions:
        parts.append(segment[cursor:p])
        origin.extend(range(cursor, p))
        letters = LIGATURES[ord(segment[p])]
        parts.append(letters)
        origin.extend([p] * len(letters))
        cursor = p + 1
    parts.append(segment[cursor:])
    origin.extend(range(cursor, len(segment) + 1))
    return "".join(parts), origin


def _widen_to_characters(
    hunks: list[tuple[int, int, int, int]], origin: Sequence[int]
) -> list[tuple[int, int, int, int]]:
    """Widen hunks that end inside a ligature's letters to the whole ligature.

    What a hunk gains lies in an equal stretch, so the same letters join both sides; hunks
    that come to touch are merged, so no two edits share a character.
    """
    out: list[list[int]] = []
    for i1, i2, j1, j2 in hunks:
        while i1 > 0 and origin[i1] == origin[i1 - 1]:
            i1 -= 1
            j1 -= 1
        while i2 < len(origin) - 1 and origin[i2] == origin[i2 - 1]:
            i2 += 1
            j2 += 1
        if out and i1 <= out[-1][1]:
            out[-1][1], out[-1][3] = i2, j2
        else:
            out.append([i1, i2, j1, j2])
    return [tuple(h) for h in out]  # type: ignore[misc]


def _hunks(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """Replaced spans ``(i1, i2, j1, j2)``: ``a[i1:i2]`` became ``b[j1:j2]``, in order.

    Hunks separated only by non-ASCII, non-space characters are merged: those are the
    remains of one mojibake sequence that happen to match a character of the repair
    ("Ã©©" -> "é©" is one edit, not "Ã" -> "é" plus a deleted "©").
    """
    raw = _diff(a, b, 0, len(a), 0, len(b))
    merged: list[list[int]] = []
    for index, (i1, i2, j1, j2) in enumerate(raw):
        if i1 == i2 or j1 == j2:
            # A bare deletion ("Â" before "©") or insertion reads better as the whole
            # sequence replaced: take in one equal non-ASCII neighbour, if there is one.
            next_i1 = raw[index + 1][0] if index + 1 < len(raw) else len(a)
            if i2 < next_i1 and _mojibake_part(a[i2]):
                i2, j2 = i2 + 1, j2 + 1
            elif i1 > (merged[-1][1] if merged else 0) and _mojibake_part(a[i1 - 1]):
                i1, j1 = i1 - 1, j1 - 1
        if merged:
            last = merged[-1]
            gap = a[last[1] : i1]
            if all(_mojibake_part(c) for c in gap):
                last[1], last[3] = i2, j2
                continue
        merged.append([i1, i2, j1, j2])
    return [tuple(h) for h in merged]  # type: ignore[misc]


def _mojibake_part(char: str) -> bool:
    return not char.isascii() and not char.isspace()


def _diff(a: str, b: str, i1: int, i2: int, j1: int, j2: int) -> list[tuple[int, int, int, int]]:
    """Non-equal opcodes between ``a[i1:i2]`` and ``b[j1:j2]`` in absolute offsets."""
    # A common prefix and suffix are the usual case (one repair in a long line) and cheap to
    # strip, so SequenceMatcher only sees the changed middle.
    n = _common_length(a, b, i1, j1, min(i2 - i1, j2 - j1), 1)
    i1, j1 = i1 + n, j1 + n
    n = _common_length(a, b, i2, j2, min(i2 - i1, j2 - j1), -1)
    i2, j2 = i2 - n, j2 - n
    if i1 == i2 and j1 == j2:
        return []
    if i1 == i2 or j1 == j2:
        return [(i1, i2, j1, j2)]
    if max(i2 - i1, j2 - j1) <= _CHAR_DIFF_LIMIT:
        matcher = SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
        return [
            (i1 + p1, i1 + p2, j1 + q1, j1 + q2)
            for tag, p1, p2, q1, q2 in matcher.get_opcodes()
            if tag != "equal"
        ]
    # Long middle: align whitespace-separated tokens first (whitespace survives every repair
    # we allow, save restore_byte_a0's rare NBSP), then characters within changed tokens.
    ta = _TOKENS.findall(a, i1, i2)
    tb = _TOKENS.findall(b, j1, j2)
    oa = _offsets(ta, i1)
    ob = _offsets(tb, j1)
    if len(ta) == len(tb) and all(x == y if x.isspace() else not y.isspace() for x, y in zip(ta, tb)):
        # The usual case, even on a line of a megabyte: the same whitespace in the same
        # places, so tokens pair up one to one and only differing words need a diff.
        pairs = [(k, k + 1, k, k + 1) for k in range(len(ta)) if ta[k] != tb[k]]
    elif max(len(ta), len(tb)) > _TOKEN_DIFF_LIMIT:
        return [(i1, i2, j1, j2)]  # correct if not minimal; only for pathological input
    else:
        matcher = SequenceMatcher(None, ta, tb, autojunk=False)
        pairs = [(p1, p2, q1, q2) for tag, p1, p2, q1, q2 in matcher.get_opcodes() if tag != "equal"]
    result: list[tuple[int, int, int, int]] = []
    for p1, p2, q1, q2 in pairs:
        s1, s2, t1, t2 = oa[p1], oa[p2], ob[q1], ob[q2]
        if max(s2 - s1, t2 - t1) <= _CHAR_DIFF_LIMIT:
            result.extend(_diff(a, b, s1, s2, t1, t2))
        else:
            result.append((s1, s2, t1, t2))
    return result


def _common_length(a: str, b: str, i: int, j: int, limit: int, direction: int) -> int:
    """Length of the common run starting at a[i], b[j] (direction 1) or ending there (-1).

    Binary search over slice comparisons: C-speed on a megabyte line, where a Python loop
    over characters would not be.
    """
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        same = a[i : i + mid] == b[j : j + mid] if direction > 0 else a[i - mid : i] == b[j - mid : j]
        if same:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _offsets(tokens: Sequence[str], base: int) -> list[int]:
    offsets = [base]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return offsets


def describe_steps(steps: Sequence[tuple[str, str]]) -> str:
    """ftfy's explanation in words, without the ligature step (ligatures get their own edit).

    >>> describe_steps([("encode", "sloppy-windows-1252"), ("decode", "utf-8")])
    'ftfy: decode utf-8 read as sloppy-windows-1252'
    >>> describe_steps([("encode", "latin-1"), ("transcode", "restore_byte_a0"), ("decode", "utf-8")])
    'ftfy: decode utf-8 read as latin-1 (restore_byte_a0)'
    """
    words: list[str] = []
    pending: str | None = None
    extras: list[str] = []
    for action, parameter in steps:
        if action == "encode":
            pending, extras = parameter, []
        elif action == "decode" and pending is not None:
            detail = f" ({', '.join(extras)})" if extras else ""
            words.append(f"decode {parameter} read as {pending}{detail}")
            pending, extras = None, []
        elif action == "transcode" and pending is not None:
            extras.append(parameter)
        elif parameter != "fix_latin_ligatures":
            words.append(parameter)
    return "ftfy: " + "; ".join(words) if words else "ftfy"


