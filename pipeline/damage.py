"""Damage clean text the way the seed article was damaged, keeping the truth and an exact log.

The seed (``seeds/000_e96e1724211ec8aa.txt``) went through two steps that we reproduce:

1. PDF extraction of a page laid out at some width W1 (55-85 characters) wrote one to three
   junk glyphs where the layout had a line break between two words (``ofRits``,
   ``Syria.®BAnd``, ``sevenBEday`` for ``seven-`` / ``day``). The glyphs are fixed per
   document; extractors differ in which ones they emit.
2. Something then hard-wrapped the result again at W2 (85-100) with real newlines, breaking
   compounds at their hyphen (``cease-`` / ``fire``) and a few long words (``regu-`` /
   ``lar``), with stray leading spaces, page breaks in mid-sentence (``John\\n\\n\\n\\nKerry``),
   a blank line between paragraphs, and some lost spaces (``September 22,2016``,
   ``U.S.Secretary``).

The result carries the truth (each paragraph on one line, paragraphs separated by one blank
line) and the exact edits that turn the damaged text into it, so a repair can be scored word
by word or edit by edit.

>>> import random
>>> d = damage("The agreement in Geneva was meant to instill trust between the two militaries.",
...            random.Random(7), DamageSpec(width1=(30, 30), width2=(40, 40), soft_hyphen_rate=0,
...                                         leading_space_rate=0, page_break_rate=0))
>>> print(d.text)
The agreement in Geneva wasEmeant to
instill trust betweenRthe two
militaries.
<BLANKLINE>
>>> d.truth
'The agreement in Geneva was meant to instill trust between the two militaries.'
>>> apply_edits(d.text, d.edits) == d.truth
True
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .edits import Edit, apply_edits

__all__ = [
    "Damaged",
    "DamageSpec",
    "COLUMN_HYPHEN_RATE",
    "COLUMN_WIDTHS",
    "SEED_GLYPHS",
    "UNSEEN_GLYPHS",
    "damage",
    "damage_many",
    "glyph_set",
    "wrap_columns",
]

#: The seed's glyphs and roughly how often each starts or fills a run: mostly ``B``, a few
#: ``R``, ``E``, ``H``, ``®``, ``&``.
SEED_GLYPHS: tuple[tuple[str, float], ...] = (
    ("B", 0.80),
    ("E", 0.06),
    ("R", 0.05),
    ("H", 0.05),
    ("®", 0.025),
    ("&", 0.015),
)

#: Glyphs that other extractors emit and that no configuration of the repair should know
#: about: a benchmark damages with these to measure the glyph learning itself.
UNSEEN_GLYPHS: tuple[str, ...] = ("¤", "§", "~", "\ufffd", "Q", "%", "|")


def glyph_set(main: str, secondary: Iterable[str] = (), main_weight: float = 0.85) -> tuple[tuple[str, float], ...]:
    """A per-document glyph set: one main glyph and a few secondary ones sharing the rest.

    >>> glyph_set("¤", "§%")
    (('¤', 0.85), ('§', 0.075), ('%', 0.075))
    >>> glyph_set("Q")
    (('Q', 1.0),)
    """
    others = list(secondary)
    if not others:
        return ((main, 1.0),)
    share = round((1.0 - main_weight) / len(others), 6)
    return ((main, main_weight),) + tuple((g, share) for g in others)


@dataclass(frozen=True)
class DamageSpec:
    """How to damage: every probability and range, with the seed's values as defaults."""

    #: (glyph, weight) pairs: each glyph of a run is drawn independently with these weights.
    glyphs: tuple[tuple[str, float], ...] = SEED_GLYPHS
    #: Weights of runs of 1, 2, 3 glyphs (the seed: mostly one, ``BE``/``®B`` now and then).
    run_lengths: tuple[float, ...] = (0.86, 0.12, 0.02)
    #: Share of original line ends between words that get a run (1.0: all, as in the seed).
    glyph_rate: float = 1.0
    #: The original layout's width, drawn uniformly per document (inclusive).
    width1: tuple[int, int] = (55, 85)
    #: The second hard wrap's width, drawn uniformly per document (inclusive).
    width2: tuple[int, int] = (85, 100)
    #: At an original line end after a compound's hyphen: chance that the run replaces the
    #: hyphen (``sevenBEday``) rather than follow it (``seven-Bday``).
    hyphen_glyph_rate: float = 0.5
    #: At the second wrap, chance that a long word which does not fit is hyphenated
    #: (``regu-`` / ``lar``) instead of moving to the next line whole.
    soft_hyphen_rate: float = 0.15
    #: Chance that a new line of the second wrap starts with a stray space.
    leading_space_rate: float = 0.05
    #: Chance that a line break inside a paragraph is a page break (3-4 blank lines).
    page_break_rate: float = 0.015
    #: Chance that a space is lost where the seed lost one (``22,2016``, ``U.S.Secretary``).
    missing_space_rate: float = 0.5

    def __post_init__(self) -> None:
        if not self.glyphs:
            raise ValueError("DamageSpec.glyphs must name at least one glyph")
        for glyph, weight in self.glyphs:
            if len(glyph) != 1 or glyph.isspace() or glyph == "-":
                raise ValueError(f"a glyph is one visible character other than '-', got {glyph!r}")
            if weight < 0:
                raise ValueError(f"glyph weight must be >= 0, got {weight!r} for {glyph!r}")
        if not self.run_lengths or any(w < 0 for w in self.run_lengths):
            raise ValueError("run_lengths must be non-negative weights of runs of 1, 2, 3... glyphs")
        for name in ("width1", "width2"):
            low, high = getattr(self, name)
            if not 10 <= low <= high:
                raise ValueError(f"{name} must be a (low, high) range with 10 <= low <= high")

    @property
    def glyph_chars(self) -> frozenset[str]:
        return frozenset(g for g, _ in self.glyphs)

    def replace_glyphs(self, glyphs: Sequence[tuple[str, float]] | str) -> "DamageSpec":
        """The same spec with another glyph set (a string means one glyph, or a main one
        followed by secondary ones: ``"¤§"``)."""
        from dataclasses import replace

        if isinstance(glyphs, str):
            glyphs = glyph_set(glyphs[0], glyphs[1:])
        return replace(self, glyphs=tuple(glyphs))


@dataclass(frozen=True)
class Damaged:
    """Damaged text, its truth, and where the damage is.

    ``apply_edits(text, edits) == truth`` holds exactly; ``glyph_spans`` are the
    ``(start, end)`` offsets in ``text`` of every junk-glyph run; ``lines1`` is the original
    layout (truth characters, one entry per line, ``""`` between paragraphs).
    """

    text: str
    truth: str
    glyph_spans: tuple[tuple[int, int], ...]
    edits: tuple[Edit, ...]
    width1: int
    width2: int
    lines1: tuple[str, ...] = field(repr=False, default=())


# --- pieces -------------------------------------------------------------------------------
# A paragraph is a list of pieces [shown, truth, kind]; the damaged text is the join of
# ``shown``, the truth the join of ``truth``, and a piece whose two sides differ is one edit.
WORD, SPACE, HYPHEN, GLUE, JOINER, BREAK, SOFT, COMPOUND = (
    "word", "space", "hyphen", "glue", "joiner", "break", "soft", "compound"
)

# Rule names as the repair stages use them (pipeline.config), so that a gold edit can be
# compared with the engine's edit of the same kind.
_RULES = {
    GLUE: "spacing", JOINER: "joiner", HYPHEN: "joiner", BREAK: "reflow", SOFT: "dehyphenate",
    COMPOUND: "dehyphenate",
}

_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}
_DAY = re.compile(r"\d{1,2},")
_YEAR = re.compile(r"\d{4}\b")
_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")
# A hyphen inside a word where a typesetter may break: letters or digits on both sides, but
# not between two digits (scores and ranges like 62-38 are kept whole).
_COMPOUND_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W_])|(?<=\.)-(?=[^\W_])")
_HYPHENATABLE = re.compile(r"([\"'“‘(]*)([A-Za-z]{7,})([^A-Za-z]*)")
_VOWELS = set("aeiouyAEIOUY")
_DIGRAPHS = {"th", "ch", "sh", "ph", "wh", "ck", "gh", "ng", "qu", "wr", "kn"}


def _missing_space_after(words: list[str], i: int) -> bool:
    """Could the space after ``words[i]`` be one the seed's extractor lost?"""
    word, nxt = words[i], words[i + 1]
    if _DAY.fullmatch(word) and i > 0 and words[i - 1].rstrip(".").lower() in _MONTHS:
        return bool(_YEAR.match(nxt))  # "September 22,2016"
    return bool(_DOTTED.fullmatch(word)) and nxt[:1].isupper()  # "U.S.Secretary"


def _word_pieces(word: str) -> list[list[str]]:
    """A word split at its compound hyphens: ``seven-day`` -> seven, -, day."""
    pieces: list[list[str]] = []
    cursor = 0
    for match in _COMPOUND_HYPHEN.finditer(word):
        pieces.append([word[cursor : match.start()], word[cursor : match.start()], WORD])
        pieces.append(["-", "-", HYPHEN])
        cursor = match.end()
    pieces.append([word[cursor:], word[cursor:], WORD])
    return pieces


def _units(words: list[str], glued: set[int]) -> list[tuple[list[list[str]], list[str] | None]]:
    """Unbreakable units and the breakable separator after each (None after the last).

    A unit is a word piece, or words joined by a lost space; separators are spaces and
    compound hyphens.
    """
    units: list[tuple[list[list[str]], list[str] | None]] = []
    current: list[list[str]] = []
    for i, word in enumerate(words):
        pieces = _word_pieces(word)
        for piece in pieces:
            if piece[2] == HYPHEN:
                units.append((current, piece))
                current = []
            else:
                current.append(piece)
        if i + 1 < len(words):
            if i in glued:
                current.append(["", " ", GLUE])
            else:
                units.append((current, [" ", " ", SPACE]))
                current = []
    units.append((current, None))
    return units


def _width(pieces: Iterable[list[str]], side: int = 0) -> int:
    """Width of the shown (side 0) or true (side 1) characters."""
    return sum(len(p[side]) for p in pieces)


def _run(rng: random.Random, spec: DamageSpec) -> str:
    glyphs = [g for g, _ in spec.glyphs]
    weights = [w for _, w in spec.glyphs]
    length = rng.choices(range(1, len(spec.run_lengths) + 1), weights=spec.run_lengths)[0]
    return "".join(rng.choices(glyphs, weights=weights, k=length))


def _layout1(
    units: list[tuple[list[list[str]], list[str] | None]], width: int, rng: random.Random, spec: DamageSpec
) -> tuple[list[list[str]], list[str]]:
    """Greedy wrap at ``width``; every line end becomes a glyph run. Returns pieces and lines."""
    pieces: list[list[str]] = []
    lines: list[str] = []
    line: list[str] = []
    position = 0
    for index, (unit, separator) in enumerate(units):
        # The original page had the space that extraction later lost: measure the truth.
        unit_width = _width(unit, 1) + (1 if separator is not None and separator[2] == HYPHEN else 0)
        if index and position + (1 if units[index - 1][1][2] == SPACE else 0) + unit_width > width and position:
            previous = pieces[-1]  # the separator that ends this line
            lines.append("".join(line).rstrip(" "))
            line = []
            if rng.random() < spec.glyph_rate:
                run = _run(rng, spec)
                if previous[2] == SPACE:
                    previous[0], previous[2] = run, JOINER
                elif rng.random() < spec.hyphen_glyph_rate:
                    previous[0] = run  # "sevenBEday": the run took the hyphen's place
                else:
                    # "seven-Bday": the hyphen stays, and is no longer a place to break.
                    previous[2] = WORD
                    pieces.append([run, "", JOINER])
            position = 0
        elif index and units[index - 1][1][2] == SPACE:
            position += 1
        pieces.extend(unit)
        line.extend(p[1] for p in unit)
        position += unit_width
        if separator is not None:
            pieces.append(separator)
            line.append(separator[1])
    lines.append("".join(line).rstrip(" "))
    return pieces, lines


def _newline(rng: random.Random, spec: DamageSpec) -> str:
    breaks = "\n"
    if rng.random() < spec.page_break_rate:
        breaks = "\n" * rng.choice((4, 5))  # 3 or 4 blank lines: a page break mid-sentence
    return breaks + (" " if rng.random() < spec.leading_space_rate else "")


def _indent(newline: str) -> int:
    return len(newline) - len(newline.rstrip(" "))


def _soft_split(word: str, room: int) -> tuple[str, str] | None:
    """Split ``word`` for a line-end hyphen so that ``head + '-'`` fits in ``room``, or None.

    Breaks only at plausible syllable boundaries (V-CV, VC-CV, not inside th/ch/ck...),
    leaving at least three letters on each side.

    >>> _soft_split("regular,", 6)
    ('regu', 'lar,')
    >>> _soft_split("Moscow", 20) is None
    True
    """
    match = _HYPHENATABLE.fullmatch(word)
    if not match:
        return None
    before, core, after = match.groups()
    if after and any(c.isalnum() for c in after):
        return None
    best = None
    for k in range(3, len(core) - 2):
        a, b = core[k - 1], core[k]
        if len(before) + k + 1 > room:
            break
        next_vowel = core[k + 1] in _VOWELS if k + 1 < len(core) else False
        v_cv = a in _VOWELS and b not in _VOWELS and next_vowel
        vc_cv = (
            a not in _VOWELS
            and b not in _VOWELS
            and core[k - 2] in _VOWELS
            and next_vowel
            and (a + b).lower() not in _DIGRAPHS
        )
        if v_cv or vc_cv:
            best = k
    if best is None:
        return None
    return before + core[:best], core[best:] + after


def _layout2(pieces: list[list[str]], width: int, rng: random.Random, spec: DamageSpec) -> list[list[str]]:
    """Hard-wrap the damaged paragraph at ``width`` with real newlines."""
    # Atoms are what lies between break opportunities: unbroken spaces, and unbroken
    # compound hyphens (the break goes after the hyphen).
    atoms: list[list[list[str]]] = [[]]
    breaks: list[list[str]] = []
    for piece in pieces:
        if piece[2] == SPACE or (piece[2] == HYPHEN and piece[0] == "-"):
            if piece[2] == HYPHEN:
                atoms[-1].append(piece)
            breaks.append(piece)
            atoms.append([])
        else:
            atoms[-1].append(piece)

    out: list[list[str]] = list(atoms[0])
    position = _width(atoms[0])
    for brk, atom in zip(breaks, atoms[1:]):
        gap = 1 if brk[2] == SPACE else 0
        atom_width = _width(atom)
        if position + gap + atom_width <= width:
            if brk[2] == SPACE:
                out.append(brk)
            out.extend(atom)
            position += gap + atom_width
            continue
        # The atom does not fit: hyphenate a long plain word now and then, else move it.
        if (
            brk[2] == SPACE
            and len(atom) == 1
            and atom[0][2] == WORD
            and rng.random() < spec.soft_hyphen_rate
            and (split := _soft_split(atom[0][0], width - position - 1)) is not None
        ):
            head, tail = split
            newline = "-" + _newline(rng, spec)
            out.append(brk)
            out.append([head, head, WORD])
            out.append([newline, "", SOFT])
            out.append([tail, tail, WORD])
            position = len(tail) + _indent(newline)
            continue
        newline = _newline(rng, spec)
        if brk[2] == SPACE:
            brk[0], brk[2] = newline, BREAK
            out.append(brk)
        else:
            out.append([newline, "", COMPOUND])  # "cease-" / "fire": the hyphen stays
        out.extend(atom)
        position = atom_width + _indent(newline)
    return out


def damage(text: str, rng: random.Random, spec: DamageSpec | None = None) -> Damaged:
    """Damage ``text`` (paragraphs separated by blank lines) as the seed article was damaged.

    Deterministic given the state of ``rng``. The truth is ``text`` with every paragraph on
    one line (runs of whitespace made single spaces) and one blank line between paragraphs.
    """
    spec = spec or DamageSpec()
    width1 = rng.randint(*spec.width1)
    width2 = rng.randint(*spec.width2)
    paragraphs = [p.split() for p in re.split(r"\n[ \t]*\n", text.strip())]
    paragraphs = [p for p in paragraphs if p]

    all_pieces: list[list[str]] = []
    lines1: list[str] = []
    for number, words in enumerate(paragraphs):
        glued = {
            i
            for i in range(len(words) - 1)
            if _missing_space_after(words, i) and rng.random() < spec.missing_space_rate
        }
        pieces, lines = _layout1(_units(words, glued), width1, rng, spec)
        pieces = _layout2(pieces, width2, rng, spec)
        if number:
            lines1.append("")
            all_pieces.append(["\n\n" + (" " if rng.random() < spec.leading_space_rate else ""), "\n\n", BREAK])
        elif rng.random() < spec.leading_space_rate:
            all_pieces.append([" ", "", BREAK])
        lines1.extend(lines)
        all_pieces.extend(pieces)
    if all_pieces:
        all_pieces.append(["\n", "", BREAK])

    shown_parts: list[str] = []
    truth_parts: list[str] = []
    edits: list[Edit] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for shown, truth, kind in all_pieces:
        if shown != truth:
            rule = _RULES.get(kind, "reflow")
            edits.append(Edit(offset, offset + len(shown), shown, truth, rule, 1.0, "damage truth"))
            if kind in (JOINER, HYPHEN):
                spans.append((offset, offset + len(shown)))
        shown_parts.append(shown)
        truth_parts.append(truth)
        offset += len(shown)
    damaged_text = "".join(shown_parts)
    truth_text = "".join(truth_parts)
    # The generator's one invariant: its truth is the input, reflowed. Cheap to check.
    expected = "\n\n".join(" ".join(words) for words in paragraphs)
    if truth_text != expected:  # pragma: no cover - a bug in this module
        raise AssertionError("damage() lost the truth")
    return Damaged(
        text=damaged_text,
        truth=truth_text,
        glyph_spans=tuple(spans),
        edits=tuple(edits),
        width1=width1,
        width2=width2,
        lines1=tuple(lines1),
    )


def damage_many(
    texts: Iterable[str], seed: int | str = 0, spec: DamageSpec | None = None
) -> list[Damaged]:
    """Damage each text with its own generator, seeded from ``seed`` and the text's index,
    so that one text's damage does not depend on how many came before it."""
    return [damage(text, random.Random(f"{seed}:{index}"), spec) for index, text in enumerate(texts)]


# --- newspaper columns ----------------------------------------------------------------------
# OCR of a newspaper keeps the column's lines: 28-45 characters, words broken at line ends
# with a hyphen (``con-`` / ``stitntion``), the break made by the compositor before the OCR
# misread the letters. ``wrap_columns`` lays OCR text out that way, so that a corpus whose rows
# are unwrapped (BLN600) can stand in for one that is not (Overproof) while tuning.

#: The column widths of newspaper OCR lines, drawn uniformly per article (inclusive).
COLUMN_WIDTHS: tuple[int, int] = (28, 45)
#: Chance that a word which does not fit at a line end is broken there with a hyphen, where it
#: can be. 0.25 gives 5.7% of the lines of BLN600 train ending in a hyphen (2284 of 40115), near the
#: Overproof sets' 661 line-end hyphens in 11k lines (6%, their README).
COLUMN_HYPHEN_RATE: float = 0.25

_COLUMN_WORD = re.compile(r"([^A-Za-z]*)([A-Za-z]{5,})([^A-Za-z]*)")


def _column_split(word: str, room: int) -> tuple[str, str] | None:
    """Break ``word`` for a line-end hyphen so that ``head + '-'`` fits in ``room``, or None.

    At a compound's own hyphen if there is one, else at the last syllable boundary that fits
    (after a vowel, or between two consonants after one, not inside th/ch/ck..., with a vowel
    somewhere after it), never inside the first or last two letters. The word may be misread
    (the compositor broke it before the OCR read it), so any run of five or more letters will
    do.

    >>> _column_split("constitntion,", 8)
    ('constit', 'ntion,')
    >>> _column_split("north-east", 8)
    ('north', 'east')
    >>> _column_split("(con8titution", 8) is None
    True
    >>> _column_split("strength", 20) is None
    True
    """
    if "-" in word:
        head, _, tail = word.rpartition("-")
        while head and len(head) + 1 > room:
            head, _, rest = head.rpartition("-")
            tail = rest + "-" + tail
        if head and head[-1].isalpha() and tail[:1].isalpha():
            return head, tail
        return None
    match = _COLUMN_WORD.fullmatch(word)
    if not match:
        return None
    before, core, after = match.groups()
    if any(c.isalnum() for c in before + after):
        return None
    best = None
    for k in range(2, len(core) - 1):
        a, b = core[k - 1], core[k]
        if len(before) + k + 1 > room:
            break
        # Looser than _soft_split's V-CV / VC-CV: the letters after the break may be misread.
        v_c = a in _VOWELS and b not in _VOWELS
        vc_c = a not in _VOWELS and b not in _VOWELS and core[k - 2] in _VOWELS and (a + b).lower() not in _DIGRAPHS
        if (v_c or vc_c) and any(c in _VOWELS for c in core[k:]):
            best = k
    if best is None:
        return None
    return before + core[:best], core[best:] + after


def _letter_hyphen(token: str) -> bool:
    return len(token) >= 2 and token[-1] == "-" and token[-2].isalpha()


def wrap_columns(
    text: str,
    rng: random.Random,
    widths: tuple[int, int] = COLUMN_WIDTHS,
    hyphen_rate: float = COLUMN_HYPHEN_RATE,
) -> str:
    """Hard-wrap ``text`` into newspaper-column lines of one width drawn from ``widths``,
    breaking some words that do not fit with a line-end hyphen.

    Scored as Overproof is (:func:`pipeline.evaluate.overproof_form`: line-end hyphens
    between letters removed and the pieces joined, inner hyphens removed, whitespace
    normalised), the result equals ``text``: a line break never falls after a hyphen that
    ``text`` has before a space (``stair- ease``), and always falls after one that it has
    before a line break. Deterministic given the state of ``rng``.

    >>> print(wrap_columns("The constitution of the colony was read at the meeting.",
    ...                    random.Random(1), widths=(14, 14), hyphen_rate=1.0))
    The constitu-
    tion of the
    colony was
    read at the
    meeting.
    """
    width = rng.randint(*widths)
    units: list[str] = []  # what must stay on one line
    forced: set[int] = set()  # units after which a line break must fall
    for match in re.finditer(r"(\s*)(\S+)", text):
        space, token = match.groups()
        if units and _letter_hyphen(units[-1].rsplit(" ", 1)[-1]) and token[0].isalpha():
            if "\n" in space:
                forced.add(len(units) - 1)
            else:
                units[-1] += " " + token
                continue
        units.append(token)
    lines: list[str] = []
    line = ""
    for i, unit in enumerate(units):
        if line and len(line) + 1 + len(unit) <= width:
            line += " " + unit
        elif not line:
            line = unit
        else:
            room = width - len(line) - 1
            split = _column_split(unit, room) if " " not in unit and rng.random() < hyphen_rate else None
            if split is not None:
                lines.append(line + " " + split[0] + "-")
                line = split[1]
            else:
                lines.append(line)
                line = unit
        if i in forced:
            lines.append(line)
            line = ""
    if line:
        lines.append(line)
    return "\n".join(lines)
