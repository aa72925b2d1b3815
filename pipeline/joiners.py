"""Junk glyphs that stand where a line break once separated two words.

PDF extractors write one or more junk characters in place of a soft line break: ``ofRits``
(of its), ``inBGeneva``, ``Syria.®BAnd``, ``a&®U.S.``. Which characters act as joiners differs
from one extractor to the next, so nothing here knows them in advance: each document teaches
its own glyph set.

How it decides, in three steps:

1. **Candidates.** One regex pass finds runs of characters that could be glyphs (capital
   letters after a non-capital, or symbols that do not belong inside words) sitting inside a
   token. Plain text has almost none, so the dictionaries see only suspicious tokens.
2. **Evidence.** A run is a *clear split* when removing it leaves two common words
   (both Zipf >= 3) and the token as written is not a word. Each clear split counts for the
   characters of its run. A character becomes a joiner of this document when it has two or
   more clear splits (or one, plus the configured prior), or when it sits in a run with an
   established joiner and is not a letter (``&®`` beside ``®``).
3. **Decision.** Each candidate run made only of joiner characters is split where the pieces
   are plausible words or names (the document's own vocabulary counts) and the token as
   written is not itself a known word: ``eBay``, ``McBride``, ``LeBron`` stay whole.

>>> from pipeline.lexicon import load_lexicon
>>> text = "It looks as if Moscow hasBlittle capacity to deliver ofBRussia and toBrestrain itsBallies."
>>> found = repair_joiners(text, load_lexicon())
>>> [(e.before, e.after) for e in found.edits]
[('B', ' '), ('B', ' '), ('B', ' '), ('B', ' ')]
>>> found.glyphs
{'B': 4.0}
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import regex

from .config import Config
from .edits import Edit
from .lexicon import Lexicon

# Characters that never act as joiners: word-internal punctuation (hyphens, apostrophes,
# periods, commas), brackets and quotes, and characters that are structural in e-mail
# addresses, URLs, code and maths (a split there would break "john@example.com" or
# "snake_case"). Lowercase letters and digits are excluded by the pattern itself: a
# lowercase joiner cannot be told from a misspelling by its shape.
_NEVER_GLYPH = "-‐‑–—'’‘`.,;:\"“”„()[]{}<>/\\@_=+*^$#"
_SYMBOL = r"[^\s\p{L}\p{N}" + regex.escape(_NEVER_GLYPH) + r"\p{M}\p{Cc}\p{Cf}]"
_GLYPH = r"(?:\p{Lu}|" + _SYMBOL + r")"

# A run of glyph candidates inside a token. A run of capitals needs a non-capital on its
# left ("ofRits", "Syria.BAnd", "12Bhours"), because capitals after capitals are acronyms
# ("NATO"), and a capital after an opening quote, bracket or hyphen starts a word ("“No",
# "al-Qaida"); a run that starts with a symbol may follow anything ("UN®forces"). The right
# side must start a word: a letter, digit or opening quote/bracket.
CANDIDATE_RUN = regex.compile(
    r"(?:(?<=[^\s\p{Lu}“\"‘'(\[{\-‐])" + _GLYPH + r"{1,6}|(?<=\S)" + _SYMBOL + _GLYPH + r"{0,5})"
    r"(?=[\p{L}\p{N}“\"‘(\[])"
)
_TOKEN_EDGE = regex.compile(r"\s")
#: Opening and closing punctuation peeled off a piece before it is looked up.
_LEADING = "“\"‘'([{"
_TRAILING = "”\"’'.,;:!?)]}"
_NUMBER = regex.compile(r"\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s|%|am|pm)?", regex.IGNORECASE)
_INITIALISM = regex.compile(r"(?:\p{L}\.){2,}")
_POSSESSIVE = regex.compile(r"(?:['’]s|s['’])$")
# Shapes a real word has: lower, Title, UPPER, or inner capitals of a known word (McBride).
_PLAIN_SHAPE = regex.compile(r"\p{Ll}+|\p{Lu}\p{Ll}*|\p{Lu}+s?")
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand half".split()
)

#: A piece this common counts as clear evidence (Zipf 3 = once per million words: "skeptical").
CLEAR_ZIPF = 3.0
#: A token as written at least this common is a word, not two words glued: "iPad", "LeBron".
#: Chosen below the rarest names of the seed that must survive (CoH 2.1 has no right piece,
#: McHale 2.7) and above wordfreq's web junk made of two glued words ("ofb" 1.5, "theb" 1.4).
WHOLE_WORD_ZIPF = 2.0
#: The same for a token that starts in lowercase (see _is_word_as_written).
CAMEL_WORD_ZIPF = 3.5
#: Clear splits a character needs to count as a joiner of the document without any prior.
MIN_EVIDENCE = 2.0
#: Zipf points a reading loses per run character that is not an established joiner: enough
#: that a plain word wins ("and Eat" over "and at"), not so much that junk wins ("Eday").
UNPROVEN_COST = 2.5
#: Longest token examined; longer "tokens" are not words (base64, URLs, runs of symbols).
MAX_TOKEN = 80


@dataclass(frozen=True, slots=True)
class JoinerSplit:
    """One way to read a candidate: ``left`` + glyph ``run`` + ``right``."""

    run_start: int
    run_end: int
    run: str
    left: str
    right: str
    left_zipf: float
    right_zipf: float
    #: The left piece ends with a hyphen ("seven-Bday"): the glyph alone goes.
    after_hyphen: bool = False

    @property
    def weakest(self) -> float:
        return min(self.left_zipf, self.right_zipf)


@dataclass
class JoinerResult:
    edits: list[Edit]
    #: Joiner characters learned from this document and their evidence (clear splits).
    glyphs: dict[str, float]
    candidates: int = 0
    suggestions: int = 0
    per_glyph: Counter = field(default_factory=Counter)

    def summary(self) -> dict:
        return {
            "glyphs": dict(self.glyphs),
            "candidates": self.candidates,
            "splits": len(self.edits),
            "per_glyph": dict(self.per_glyph),
        }


class _Vocabulary:
    """The document's own words, counted where they stand alone (not glued to a glyph)."""

    _WORD = regex.compile(r"(?<![\p{L}\p{N}])\p{L}[\p{L}\p{M}'’]*(?![\p{L}\p{N}])")

    def __init__(self, text: str) -> None:
        self.counts = Counter(self._WORD.findall(text))

    def count(self, word: str) -> int:
        return self.counts.get(word, 0)


def _strip(piece: str) -> str:
    return piece.lstrip(_LEADING).rstrip(_TRAILING)


def word_zipf(piece: str, lexicon: Lexicon, vocabulary: _Vocabulary | None = None) -> float:
    """How plausible ``piece`` is as a word, on the Zipf scale (0.0 = not a word).

    Punctuation around it is peeled off; numbers, initialisms (``U.S.``) and listed
    abbreviations count as common words; a hyphenated piece is as plausible as its rarest
    part; a word of the document's own vocabulary is at least moderately plausible.

    >>> from pipeline.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> word_zipf("“Russia,", lex) > 4, word_zipf("U.S.", lex), word_zipf("12", lex)
    (True, 4.0, 4.0)
    >>> word_zipf("ussia", lex), word_zipf("BWashington", lex), word_zipf("x", lex)
    (0.0, 0.0, 0.0)
    """
    if piece in lexicon.abbreviations:
        return 4.0
    core = _strip(piece)
    if not core:
        return 0.0
    if _NUMBER.fullmatch(core):
        return 4.0
    if _INITIALISM.fullmatch(core + ("." if not core.endswith(".") else "")) and len(core) <= 12:
        return 4.0
    if core + "." in lexicon.abbreviations and piece.endswith("."):
        return 4.0
    if "-" in core:
        if core.lower() in lexicon.hyphenated:
            return 4.0
        parts = core.split("-")
        if any(not p for p in parts):
            return 0.0
        # Name parts ("Haleb" in al-Haleb) are rare in frequency lists; a known one counts.
        scores = [max(word_zipf(p, lexicon, vocabulary), 2.0 if p[:1].isupper() and lexicon.zipf(p) > 0 else 0.0) for p in parts]
        return min(scores)
    base = _POSSESSIVE.sub("", core) if len(core) > 3 else core
    if not base or not base[0].isalpha():
        return 0.0
    if len(base) == 1:
        # Single letters are words only as "a", "I" (and "O" in verse); the frequency list
        # rates every letter highly because tokenisers split "U.S" and "'s" into letters.
        return lexicon.zipf(base) if base in ("a", "A", "I") else 0.0
    zipf = lexicon.zipf(base)
    if not _PLAIN_SHAPE.fullmatch(base) and zipf < 2.5:
        return 0.0  # "BWashington", "EDay": a shape no word has, and not a known brand
    if vocabulary is not None and zipf < 3.0 and vocabulary.count(base) >= 2:
        zipf = 3.0
    return zipf


def _token_bounds(text: str, start: int, end: int) -> tuple[int, int] | None:
    left = start
    limit = max(0, start - MAX_TOKEN)
    while left > limit and not text[left - 1].isspace():
        left -= 1
    if left == limit and left > 0 and not text[left - 1].isspace():
        return None
    right = end
    limit = min(len(text), end + MAX_TOKEN)
    while right < limit and not text[right].isspace():
        right += 1
    if right == limit and right < len(text) and not text[right].isspace():
        return None
    return left, right


def _readings(text: str, match_start: int, match_end: int, token: tuple[int, int], lexicon: Lexicon,
              vocabulary: _Vocabulary) -> list[JoinerSplit]:
    """Every way to read the candidate run as glyphs: a prefix of the run is the glyph run,
    the rest belongs to the right-hand word (``ofBRussia``: glyph ``B``, word ``Russia``)."""
    t0, t1 = token
    left = text[t0:match_start]
    after_hyphen = left[-1:] in ("-", "‐")
    # "seven-Bday": the extractor kept the compound's hyphen and put the glyph after it.
    left_word = left[:-1] if after_hyphen else left
    if not left_word:
        return []
    readings = []
    for cut in range(match_start + 1, match_end + 1):
        right = text[cut:t1]
        if not right:
            continue
        left_zipf = word_zipf(left_word, lexicon, vocabulary)
        if left_zipf <= 0:
            return []
        right_zipf = word_zipf(right, lexicon, vocabulary)
        if right_zipf > 0:
            readings.append(
                JoinerSplit(match_start, cut, text[match_start:cut], left_word, right, left_zipf, right_zipf, after_hyphen)
            )
    return readings


def _is_word_as_written(text: str, token: tuple[int, int], run_start: int, lexicon: Lexicon) -> bool:
    """Is the token, as written, a known word ("iPad", "LeBron")? In a hyphenated token only
    the hyphen-delimited part that holds the run counts ("al-Qaida": "Qaida")."""
    t0, t1 = token
    left = text.rfind("-", t0, run_start)
    right = text.find("-", run_start, t1)
    core = _strip(text[left + 1 if left >= 0 else t0 : right if right >= 0 else t1])
    # Names with an inner capital start with one (LeBron, McHale, DeVos); brands that start in
    # lowercase are either very common (iPhone 4.4, eBay 4.0) or have a one-letter prefix that
    # is no word at all. So "toRre" is a glued pair even though "torre" (2.9) is a word.
    threshold = WHOLE_WORD_ZIPF if core[:1].isupper() else CAMEL_WORD_ZIPF
    return max(lexicon.zipf(_POSSESSIVE.sub("", core)), lexicon.zipf(core)) >= threshold


def _replacement(split: JoinerSplit, text: str, lexicon: Lexicon, vocabulary: _Vocabulary) -> str:
    """A space, or a hyphen where the pair is a hyphenated compound (``seven-day``)."""
    if split.after_hyphen:
        return ""
    left = _strip(split.left)
    right = _strip(split.right)
    if not left or not right or split.left[-1] in _TRAILING or split.right[0] in _LEADING:
        return " "
    compound = f"{left}-{right}"
    if compound.lower() in lexicon.hyphenated or vocabulary.count(compound) > 0:
        return "-"
    if right.lower() in lexicon.compound_units and (left.lower() in _NUMBER_WORDS or left.isdigit()):
        return "-"
    return " "


def _confidence(evidence: float, weakest: float) -> float:
    # Glyph reliability: one clear split in the document gives 0.5, four give 0.8, more -> 1.
    reliability = evidence / (evidence + 1.0)
    # Piece plausibility: a common word (Zipf >= 4) ~0.97, a rare name (Zipf 1.2) ~0.6.
    plausibility = 1.0 - 0.5 * math.exp(-0.8 * max(weakest - 0.4, 0.0))
    return round(reliability * plausibility, 3)


def repair_joiners(text: str, lexicon: Lexicon, config: Config | None = None) -> JoinerResult:
    """Learn this document's joiner glyphs and return the edits that split on them."""
    config = config or Config()
    matches = list(CANDIDATE_RUN.finditer(text))
    if not matches:
        return JoinerResult([], {})
    vocabulary = _Vocabulary(text)

    # Step 1: candidates and their readings.
    candidates: list[tuple[tuple[int, int], list[JoinerSplit]]] = []
    for index, match in enumerate(matches):
        token = _token_bounds(text, match.start(), match.end())
        if token is None:
            continue
        token_text = text[token[0] : token[1]]
        if "://" in token_text or "www." in token_text.lower():
            continue
        # Another candidate run in the same token ("aBthreeBweek") bounds this one's pieces.
        piece_start, piece_end = token
        if index and matches[index - 1].end() > token[0]:
            piece_start = matches[index - 1].end()
        if index + 1 < len(matches) and matches[index + 1].start() < token[1]:
            piece_end = matches[index + 1].start()
        readings = _readings(text, match.start(), match.end(), (piece_start, piece_end), lexicon, vocabulary)
        if readings and not _is_word_as_written(text, token, match.start(), lexicon):
            candidates.append((token, readings))

    # Step 2: evidence per character, from clear splits only.
    evidence: Counter = Counter()
    for glyph, weight in config.glyph_prior:
        evidence[glyph] += weight
    for token, readings in candidates:
        best = max(readings, key=lambda r: r.left_zipf + r.right_zipf)
        if best.weakest >= CLEAR_ZIPF:
            for char in best.run:
                evidence[char] += 1.0 / len(best.run)
    learned = {c: round(n, 2) for c, n in evidence.items() if n >= MIN_EVIDENCE}

    # Step 3: decide.
    edits: list[Edit] = []
    per_glyph: Counter = Counter()
    for token, readings in candidates:
        # A reading needs an established joiner in its run. Other characters of the run ride
        # along at a cost (glyphs come in clusters: "&" in "a&®U.S.", "E" in "sevenBEday"),
        # so "andBEat" stays "and Eat" while "sevenBEday" loses the whole "BE".
        usable = [r for r in readings if any(c in learned for c in r.run)]
        if not usable:
            continue
        best = max(
            usable,
            key=lambda r: (r.left_zipf + r.right_zipf - UNPROVEN_COST * sum(c not in learned for c in r.run), -len(r.run)),
        )
        strength = min(learned[c] for c in best.run if c in learned)
        # A symbol trusted only for standing beside a joiner costs a little certainty.
        unproven = sum(1 for c in best.run if c not in learned)
        confidence = round(_confidence(strength, best.weakest) * (0.9**unproven), 3)
        after = _replacement(best, text, lexicon, vocabulary)
        why = (
            f"glyph {best.run!r} ({'; '.join(f'{c!r}: {learned.get(c, 0):g} clear splits' for c in dict.fromkeys(best.run))}) "
            f"between {_strip(best.left)!r} (Zipf {best.left_zipf:.1f}) and {_strip(best.right)!r} (Zipf {best.right_zipf:.1f})"
        )
        edits.append(Edit(best.run_start, best.run_end, best.run, after, "joiner", confidence, why))
        per_glyph[best.run] += 1
    return JoinerResult(edits, learned, candidates=len(candidates), per_glyph=per_glyph)
