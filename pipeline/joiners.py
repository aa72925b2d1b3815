"""Junk glyphs that stand where a line break once separated two words.

PDF extractors write one or more junk characters in place of a soft line break: ``ofRits``
(of its), ``inBGeneva``, ``Syria.®BAnd``, ``a&®U.S.``. Which characters act as joiners differs
from one extractor to the next, so nothing here knows them in advance: each document teaches
its own glyph set.

How it decides:

1. **Candidates.** Runs of characters that could be glyphs (capitals after a non-capital, or
   symbols that do not belong inside words) sitting inside a token; plain text has almost
   none, so the dictionaries see only suspicious tokens. Each candidate gets its *readings*:
   left word + glyph run + right word, where the run may leave its last capitals to the right
   word (``ofBRussia``: glyph ``B``, word ``Russia``). A token that is a word as written
   (``eBay``, ``McBride``, ``LeBron``, ``al-Qaida``) is no candidate.
2. **Evidence.** A reading is a *clear split* when both words are common (Zipf >= 3). Each
   clear split counts for the characters of its run; a character with two of them (or one,
   plus ``Config.glyph_prior``) is a joiner of this document.
3. **Decision.** A candidate whose run holds an established joiner is split on its best
   reading: a real right-hand word is kept whole (``Mr.RHall``), characters that are no
   joiner ride along only into clear words (``sevenBEday``), one unknown word (a name) is
   accepted beside a common word and a well-established glyph. Then the rarer cases: a glyph
   seen too seldom to learn is split where the rhythm of the old line ends (one old line width
   apart) expects a joiner, and a lone symbol between two function words is a joiner by shape.
4. **Replacement.** A space, or a hyphen where the pair is a compound the document, our lists
   or grammar say is hyphenated (``seven-day``, ``thirty-two``, ``cease-fire``), or nothing
   where the extractor kept the compound's own hyphen (``seven-Bday``).

>>> from pipeline.lexicon import load_lexicon
>>> text = "It looks as if Moscow hasBlittle capacity to deliver ofBRussia and toBrestrain itsBallies."
>>> found = repair_joiners(text, load_lexicon())
>>> [(e.before, e.after) for e in found.edits]
[('B', ' '), ('B', ' '), ('B', ' '), ('B', ' ')]
>>> found.glyphs
{'B': 4.0}
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from .config import Config
from .edits import Edit
from .lexicon import Lexicon

# Characters that never act as joiners: word-internal punctuation (hyphens, apostrophes,
# periods, commas), brackets and quotes, currency signs that open numbers (£100), and
# characters that are structural in e-mail addresses, URLs, code and maths (a split there
# would break "john@example.com" or "snake_case"). Lowercase letters and digits are excluded
# by the pattern itself: a lowercase joiner cannot be told from a misspelling by its shape.
_NEVER_GLYPH = "-‐‑–—'’‘`.,;:\"“”„()[]{}<>/\\@_=+*^$#£€¥"
_SYMBOL = r"[^\s\p{L}\p{N}" + regex.escape(_NEVER_GLYPH) + r"\p{M}\p{Cc}\p{Cf}]"
_GLYPH = r"(?:\p{Lu}|" + _SYMBOL + r")"

# A run of glyph candidates inside a token, in three shapes:
# - capitals or symbols after a non-capital: "ofRits", "Syria.®BAnd", "12Bhours",
#   "Police-Bconstable" (a capital after an opening quote or bracket starts a word: "“No";
#   a straight quote after a non-space closes: 'servant."BWitness');
# - capitals between an all-caps word and lowercase: "ATBthe", "ABBconstable" (where the
#   word ends inside the capitals is decided by the readings);
# - a symbol after anything: "UN®forces".
# The right side must start a word: a letter, digit, opening quote or bracket, or currency.
CANDIDATE_RUN = regex.compile(
    r"(?:(?:(?<=[^\s\p{Lu}“\"‘'(\[{])|(?<=\S[\"']))" + _GLYPH + r"{1,6}"
    r"|(?<=\p{Lu})\p{Lu}{1,3}(?=\p{Ll})"
    r"|(?<=\S)" + _SYMBOL + _GLYPH + r"{0,5})"
    r"(?=[\p{L}\p{N}“\"‘(\[£$€¥—–]|-[\p{Lu}\"“])"
)
# Every candidate lies inside a maximal run of capitals and symbols; finding those runs is
# cheap, and the full pattern then runs only in the few windows that can hold a candidate.
# A run inside a token, or two or more glyph characters anywhere ("ATBthe"): single
# capitals that start a word, most of all capitals in prose, are not even matched.
_GLYPH_RUN = regex.compile(r"(?<=\S)" + _GLYPH + "+|" + _GLYPH + "{2,}")


def candidate_runs(text: str) -> list[tuple[int, int]]:
    """The spans CANDIDATE_RUN matches in ``text`` (the same list, found faster on prose,
    where most capitals start a word and are skipped without running the pattern).

    >>> text = "The UN met inBGeneva; theBUN and ATBthe NATO ofBits"
    >>> [text[s:e] for s, e in candidate_runs(text)]
    ['BG', 'BU', 'TB', 'B']
    """
    found: list[tuple[int, int]] = []
    length = len(text)
    for run in _GLYPH_RUN.finditer(text):
        start, end = run.span()
        if (
            (start == 0 or text[start - 1].isspace())
            and (end == start + 1 or end >= length or not text[end].islower())
            and run.group().isalpha()
        ):
            continue  # a capital that starts a word, or an acronym: never a candidate
        if end == start + 1 and end < length and text[end].islower() and text[start - 1].islower():
            found.append((start, end))  # "ofBits": the pattern would match exactly this
            continue
        # The window reaches two characters past the run: the lookahead may need "-N".
        found.extend(m.span() for m in CANDIDATE_RUN.finditer(text, start, min(length, end + 2)))
    return found


#: Opening and closing punctuation peeled off a piece before it is looked up.
_LEADING = "“\"‘'([{-–—"
_TRAILING = "”\"’'.,;:!?)]}"
#: Sentence punctuation that may end the left word inside a run ("God!BI'm").
_LEFT_ATTACHABLE = "!?"
_NUMBER = regex.compile(
    r"[£$€¥]?\d+(?:[.,:/'’·]\d+)*(?:st|nd|rd|th|s|d|l|%|am|pm|lbs?|oz|ft|yds?|cwt|mm|cm|km|kg|mg|m)?\.?",
    regex.IGNORECASE,
)
_INITIALISM = regex.compile(r"(?:\p{L}\.){2,}")
_INITIAL = regex.compile(r"\p{Lu}\.")
_AMPERSAND_INITIALISM = regex.compile(r"\p{Lu}{1,3}&\p{Lu}{1,3}")
_DASHES = ("—", "–", "--")
_GLUED_DASH = regex.compile(r"[–—]+")
_POSSESSIVE = regex.compile(r"(?:['’]s|s['’])$")
# Shapes a real word has: lower, Title, UPPER, or inner capitals of a known word (McBride).
_PLAIN_SHAPE = regex.compile(r"\p{Ll}+|\p{Lu}\p{Ll}*|\p{Lu}+s?")
# Two capitals then lowercase: not a shape words are written in ("BAnd", "BWashington"),
# whatever the lowercase form means.
_CAPS_THEN_LOWER = regex.compile(r"\p{Lu}{2}\p{Ll}")
# An unknown word that still looks like one (a surname, a rare place): used only beside a
# common word and an established glyph ("Wollam,BRfootman", "R.BCunliffe's").
_UNKNOWN_LEFT = regex.compile(
    r"[“\"‘'(]*(?:\p{Lu}['’]|Ma?c)?\p{Lu}?\p{Ll}{2,}(?:['’]s)?(?:-\p{L}\p{Ll}+)*[”\"’'.,;:!?)]*"
)
# A lone capital, alone or before a comma or period: an initial or a police division ("L
# Division", "B, said"), trusted only beside an established glyph.
_LONE_CAPITAL = regex.compile(r"\p{Lu}[.,]?")
_UNKNOWN_RIGHT = regex.compile(
    r"[“\"‘'(]*(?:\p{Lu}['’]|Ma?c)?\p{Lu}\p{Ll}{2,}(?:['’]s)?(?:-\p{L}\p{Ll}+)*[”\"’'.,;:!?)]*"
)
# After a lowercase word, a lowercase unknown word ("five,Bhorsekeeper"); never after a short
# capitalised name prefix, where the rest of a name follows ("DeBakey", "McBurney").
_LOWER_LEFT = regex.compile(r"[“\"‘'(]*\p{Ll}[\p{Ll}-]*[”\"’'.,;:!?)]*")
_UNKNOWN_LOWER_RIGHT = regex.compile(r"[“\"‘'(]*\p{Ll}{4,}(?:['’]s)?[”\"’'.,;:!?)]*")
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand half".split()
)

_TENS = frozenset("twenty thirty forty fifty sixty seventy eighty ninety".split())
_UNITS = frozenset("one two three four five six seven eight nine first second third fourth fifth sixth seventh eighth ninth".split())
#: Prefixes written with a hyphen before a word and never standing alone in prose.
_BOUND_PREFIXES = frozenset("non anti pro ex co semi multi quasi pseudo ultra vice self".split())

#: A piece this common counts as clear evidence (Zipf 3 = once per million words: "skeptical").
CLEAR_ZIPF = 3.0
#: A right-hand piece at least this common is a word in its own right, so a reading that
#: keeps it whole wins over one that eats its first capital ("Mr.RHall" is "Mr. Hall", not
#: "Mr. all"); below it, the capital is more likely junk ("sevenBEday": "Eday" is 1.2).
RIGHT_WORD_ZIPF = 2.0
#: Dropping an established joiner capital from a name-like word needs a word at least this
#: common left behind ("ring" 4.8 yes, "aston" 3.7 no).
DOUBLED_RUN_ZIPF = 4.0
#: How much commoner the lowercase word must be than the capitalised one: "it" 7.0 over "Bit"
#: 5.4 passes, "all" 6.5 over "ball" 5.0 does not. Where the document is seen doubling its
#: glyph (two forced doubled runs, "BBthe"), about as common is enough ("road" over "Broad").
DOUBLED_MARGIN = 1.5
DOUBLED_HABIT_MARGIN = -0.5
#: A word this common is among the hundred most frequent: "at" 7.3, "it" 7.1, "and" 7.4,
#: but not "pain" 4.6 or "arrow" 4.2.
FUNCTION_WORD_ZIPF = 6.0
#: A token as written at least this common is a word, not two words glued: "iPad", "LeBron".
#: Chosen below the rarest names of the seed that must survive (CoH 2.1 has no right piece,
#: McHale 2.7) and above wordfreq's web junk made of two glued words ("ofb" 1.5, "theb" 1.4).
WHOLE_WORD_ZIPF = 2.0
#: The same for a token that starts in lowercase (see _is_word_as_written).
CAMEL_WORD_ZIPF = 3.5
#: Clear splits a character needs to count as a joiner of the document without any prior.
MIN_EVIDENCE = 2.0
#: What a repeat of an already counted token adds to the evidence.
REPEAT_WEIGHT = 0.25
#: A reading with one unknown piece needs a glyph this well established, and a common word
#: (Zipf >= GUESS_PARTNER_ZIPF) on the other side.
GUESS_EVIDENCE = 3.0
GUESS_PARTNER_ZIPF = 3.5
#: Beside a glyph established by at least STRONG_EVIDENCE clear splits, a rarer partner will
#: do ("Shortling,Blabourer": "labourer" is 2.6).
GUESS_LOOSE_PARTNER_ZIPF = 2.5
STRONG_EVIDENCE = 10.0
#: Confirmed joiners needed before the rhythm of old line ends is trusted.
RHYTHM_MIN_SPLITS = 4
#: Both words beside a lone symbol must be this common (function-word territory: "than"
#: 5.9, "to" 7.4), and the split is reported with modest confidence.
LONE_SYMBOL_ZIPF = 5.0
LONE_SYMBOL_CONFIDENCE = 0.6
#: Slack, in characters, on an old line's length (stray spaces, re-hyphenation, run lengths).
RHYTHM_SLACK = 6
#: Entries of the process-wide memo of plain words (a few tens of MB at most).
PIECE_CACHE_SIZE = 300_000
#: Longest token examined; longer "tokens" are not words (base64, URLs, runs of symbols).
MAX_TOKEN = 80


class JoinerSplit(NamedTuple):
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
    #: One piece is an unknown word, trusted only beside an established glyph.
    guessed: bool = False

    @property
    def weakest(self) -> float:
        return min(self.left_zipf, self.right_zipf)

    def order(self, learned: dict[str, float] | None) -> tuple:
        """Sort key, best reading last: keep a real right-hand word whole, prefer runs made of
        established joiners, then the likelier left word (where the capitals of "ABBconstable"
        end), then the shortest run."""
        unproven = sum(1 for c in self.run if c.isalpha() and c not in learned) if learned is not None else 0
        return (
            not self.guessed,
            self.right_zipf >= RIGHT_WORD_ZIPF,
            -unproven,
            self.left_zipf,
            -len(self.run),
            self.right_zipf,
        )


@dataclass
class JoinerResult:
    edits: list[Edit]
    #: Joiner characters learned from this document and their evidence (clear splits).
    glyphs: dict[str, float]
    candidates: int = 0
    per_glyph: Counter = field(default_factory=Counter)
    #: Splits accepted for a glyph seen too rarely, because they fall where the rhythm of the
    #: old line ends expects one; and the old line lengths that rhythm was measured as.
    by_rhythm: int = 0
    line_lengths: tuple[int, int] | None = None

    def summary(self) -> dict:
        return {
            "glyphs": dict(self.glyphs),
            "candidates": self.candidates,
            "splits": len(self.edits),
            "per_glyph": dict(self.per_glyph),
            "by_rhythm": self.by_rhythm,
            "old_line_lengths": list(self.line_lengths) if self.line_lengths else None,
        }


class _Vocabulary:
    """The document's own words where they stand alone (whitespace-delimited, quotes and
    closing punctuation peeled off: "Band" in "girl,Band" does not count), and its
    hyphenated compounds with their parts. Built from ``str.split`` and a ``Counter``, which
    run in C, so it costs little even on large documents."""

    _WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’]*")
    _COMPOUND = regex.compile(r"\p{L}[\p{L}\p{M}'’.]*(?:-\p{L}[\p{L}\p{M}'’]*)+")

    def __init__(self, text: str) -> None:
        self.compounds: Counter = Counter()
        self.prefixes: Counter = Counter()
        self.suffixes: Counter = Counter()
        partners: dict[tuple[int, str], set[str]] = {}
        words = text.split()
        # Plain words are counted in C; only tokens with punctuation take the loop below.
        counts: Counter = Counter(filter(str.isalpha, words))
        for token, number in Counter(itertools.filterfalse(str.isalpha, words)).items():
            core = token.lstrip(_LEADING).rstrip(_TRAILING)
            if core.isalpha() or (core[:1].isalpha() and self._WORD.fullmatch(core)):
                counts[core] += number
            elif "-" in core and self._COMPOUND.fullmatch(core):
                compound = core.lower()
                self.compounds[compound] += number
                parts = compound.split("-")
                partners.setdefault((0, parts[0]), set()).add(parts[-1])
                partners.setdefault((1, parts[-1]), set()).add(parts[0])
        # A habit needs two different partners: "Police-court" and "Police-constable", not
        # "rebel-held" twice.
        for (side, part), others in partners.items():
            if len(others) >= 2:
                (self.prefixes if side == 0 else self.suffixes)[part] = sum(
                    self.compounds[f"{part}-{o}" if side == 0 else f"{o}-{part}"] for o in others
                )
        self.counts = counts
        self._lower: Counter | None = None
        #: word_zipf results for this document (pieces repeat: "the", "of", "said").
        self.zipf_cache: dict[str, float] = {}

    def count(self, word: str) -> int:
        return self.counts.get(word, 0)

    def count_any_case(self, word: str) -> int:
        if self._lower is None:
            self._lower = Counter()
            for w, n in self.counts.items():
                self._lower[w.lower()] += n
        return self._lower.get(word.lower(), 0)


def _strip(piece: str) -> str:
    return piece.lstrip(_LEADING).rstrip(_TRAILING)


def word_zipf(piece: str, lexicon: Lexicon, vocabulary: _Vocabulary | None = None) -> float:
    """How plausible ``piece`` is as a word, on the Zipf scale (0.0 = not a word).

    Punctuation around it is peeled off; numbers, initialisms (``U.S.``) and listed
    abbreviations count as common words; a hyphenated piece is as plausible as its rarest
    part; a word of the document's own vocabulary is at least moderately plausible.

    >>> from pipeline.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> word_zipf("“Russia,", lex) > 4, word_zipf("U.S.", lex), word_zipf("12", lex), word_zipf("Va.,", lex)
    (True, 4.0, 4.0, 4.0)
    >>> word_zipf("ussia", lex), word_zipf("BWashington", lex), word_zipf("x", lex)
    (0.0, 0.0, 0.0)
    """
    if vocabulary is not None:
        cached = vocabulary.zipf_cache.get(piece)
        if cached is not None:
            return cached
    # Plain words ("the", "said,") recur across documents: their frequency is memoised for the
    # process on the lexicon; only the document's own vocabulary is asked again.
    entry = lexicon.piece_cache.get(piece)
    if entry is None:
        entry = _plain_word(piece, lexicon)
        if len(lexicon.piece_cache) < PIECE_CACHE_SIZE:
            lexicon.piece_cache[piece] = entry
    zipf, core = entry
    if core is None:
        zipf = _word_zipf(piece, lexicon, vocabulary)
    elif vocabulary is not None and zipf < 3.0 and vocabulary.count(core) >= 2:
        zipf = 3.0
    if vocabulary is not None:
        vocabulary.zipf_cache[piece] = zipf
    return zipf


def _plain_word(piece: str, lexicon: Lexicon) -> tuple[float, str | None]:
    """(frequency, word) for a plain word in plain punctuation, else (0.0, None)."""
    if piece in lexicon.abbreviations or piece in _DASHES:
        return 0.0, None
    core = _strip(piece)
    if (
        len(core) > 1 and core.isalpha() and (core.islower() or core.istitle() or core.isupper())
        and not (core + "." in lexicon.abbreviations and piece.lstrip(_LEADING).startswith(core + "."))
    ):
        return lexicon.zipf(core), core
    return 0.0, None


def _word_zipf(piece: str, lexicon: Lexicon, vocabulary: "_Vocabulary | None") -> float:
    if piece in lexicon.abbreviations or piece in _DASHES:
        return 4.0  # "Sept.", or a dash standing as a word: "Memorial —Blong-term"
    core = _strip(piece)
    if (
        len(core) > 1 and core.isalpha() and (core.islower() or core.istitle() or core.isupper())
        and not (core + "." in lexicon.abbreviations and piece.lstrip(_LEADING).startswith(core + "."))
    ):
        # The common case, a plain word: the same answer as the full ladder below, sooner.
        zipf = lexicon.zipf(core)
        if vocabulary is not None and zipf < 3.0 and vocabulary.count(core) >= 2:
            zipf = 3.0
        return zipf
    if core.endswith("-") and len(core) > 2 and core[-2].isalpha():
        # "Police-" before a line break: the layout stage decides about that hyphen.
        return _word_zipf(core[:-1], lexicon, vocabulary)
    if not core:
        return 0.0
    if _AMPERSAND_INITIALISM.fullmatch(core):
        return 4.0  # "R&D", "AT&T", "S&P"
    if _NUMBER.fullmatch(core):
        return 4.0
    if len(core) <= 12 and _INITIALISM.fullmatch(core + ("." if not core.endswith(".") else "")):
        return 4.0
    if core + "." in lexicon.abbreviations and piece.lstrip(_LEADING).startswith(core + "."):
        return 4.0
    if _INITIAL.fullmatch(piece.lstrip(_LEADING)[:2]) and len(core) == 1:
        return 3.0  # an initial: "R." in "Sir R. Cunliffe"
    if "–" in core or "—" in core:
        # A dash glued between words ("away–these"): each side must be a word.
        parts = [p for p in _GLUED_DASH.split(core) if p]
        return min((word_zipf(p, lexicon, vocabulary) for p in parts), default=0.0)
    if "-" in core:
        if core.lower() in lexicon.hyphenated:
            return 4.0
        parts = core.split("-")
        if any(not p for p in parts):
            return 0.0
        # Name parts ("Haleb" in al-Haleb) are rare in frequency lists; a known one counts.
        # A one-letter part counts only as a brand's prefix before a real word ("T-Mobile"),
        # not as a doubled glyph before an abbreviation ("BB-Mr.").
        scores = [
            max(
                word_zipf(p, lexicon, vocabulary),
                2.0 if p[:1].isupper() and lexicon.zipf(p) > 0 and (len(p) > 1 or (i == 0 and len(parts[1]) > 2)) else 0.0,
            )
            for i, p in enumerate(parts)
        ]
        return min(scores)
    base = _POSSESSIVE.sub("", core) if len(core) > 3 else core
    if not base or not base[0].isalpha():
        return 0.0
    if len(base) == 1:
        # Single letters are words only as "a", "I" (and "O" in verse); the frequency list
        # rates every letter highly because tokenisers split "U.S" and "'s" into letters.
        return lexicon.zipf(base) if base in ("a", "A", "I") else 0.0
    zipf = lexicon.zipf(base)
    if _CAPS_THEN_LOWER.match(base) and not (vocabulary is not None and vocabulary.count(base) >= 2):
        return 0.0  # "BAnd", "BWashington": "band" is a word, "BAnd" is not
    if not _PLAIN_SHAPE.fullmatch(base) and zipf < 2.5:
        return 0.0  # "EDay": a shape no word has, and not a known brand
    if vocabulary is not None and zipf < 3.0 and vocabulary.count(base) >= 2:
        zipf = 3.0
    return zipf


_SPACE = regex.compile(r"\s")
_DASH = regex.compile(r"[-–—]")
_DASH_BEFORE = regex.compile(r"(?r)[-–—]")
_SPACE_BEFORE = regex.compile(r"(?r)\s")


def _token_bounds(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The whitespace-delimited token around ``start:end``, or None if it is longer than
    MAX_TOKEN (base64, URLs, runs of symbols are not words)."""
    low = max(0, start - MAX_TOKEN)
    before = _SPACE_BEFORE.search(text, low, start)
    if before is None and low > 0:
        return None
    high = min(len(text), end + MAX_TOKEN)
    after = _SPACE.search(text, end, high)
    if after is None and high < len(text):
        return None
    left, right = (before.end() if before else 0), (after.start() if after else len(text))
    # The whole token, not each side, must be short: otherwise the glyphs near the middle of
    # a long one are split and the rest on the next run (cleaning would not be idempotent).
    return (left, right) if right - left <= MAX_TOKEN else None


def _run_starts(text: str, match_start: int, match_end: int) -> list[int]:
    """Where the glyph run may start inside a candidate match."""
    if text[match_start - 1].isupper() and text[match_start].isupper():
        return list(range(match_start, match_end))  # the all-caps shape: "ABBconstable"
    if text[match_start - 1] == "&" and text[match_start - 2 : match_start - 1].isupper() and match_end - match_start > 1:
        return [match_start + 1]  # "R&DBbudget": the D closes "R&D"
    if (
        text[match_start] == "&" and text[match_start - 1].isupper()
        and match_end - match_start > 2 and text[match_start + 1].isupper()
    ):
        return [match_start + 2]  # the same, matched from the ampersand
    if text[match_start] == "%" and text[match_start - 1].isdigit():
        # "12%Bof": the percent sign belongs to the number; only what follows may be a glyph.
        return [match_start + 1] if match_end > match_start + 1 else []
    starts = [match_start]
    position = match_start
    while position < match_end - 1 and text[position] in _LEFT_ATTACHABLE:
        position += 1
        starts.append(position)  # "God!BI'm": the "!" may belong to the left word
    return starts


def _readings(text: str, match_start: int, match_end: int, piece_bounds: tuple[int, int], lexicon: Lexicon,
              vocabulary: _Vocabulary) -> list[JoinerSplit]:
    """Every way to read the candidate as left word + glyph run + right word. A run may leave
    its last capitals to the right-hand word (``ofBRussia``: glyph ``B``, word ``Russia``)."""
    t0, t1 = piece_bounds
    if match_end - match_start == 1 and text[match_start - 1] not in "&%-‐!?" and not text[match_start - 1].isupper():
        # The common shape, one glyph between two plain pieces ("ofBthe"): the general loop
        # below gives the same single reading; fall through to it when anything is unusual.
        left, right = text[t0:match_start], text[match_end:t1]
        if left and right and left not in _DASHES and right not in _DASHES:
            left_zipf = word_zipf(left, lexicon, vocabulary)
            if left_zipf > 0:
                right_zipf = word_zipf(right, lexicon, vocabulary)
                if right_zipf > 0:
                    return [JoinerSplit(match_start, match_end, text[match_start], left, right, left_zipf, right_zipf)]
    readings = []
    all_caps_shape = text[match_start - 1].isupper() and text[match_start].isupper()
    for start in _run_starts(text, match_start, match_end):
        left = text[t0:start]
        after_hyphen = left[-1:] in ("-", "‐")
        # "seven-Bday": the extractor kept the compound's hyphen and put the glyph after it.
        left_word = left[:-1] if after_hyphen else left
        if not left_word:
            continue
        left_zipf = word_zipf(left_word, lexicon, vocabulary)
        for cut in range(start + 1, match_end + 1):
            right = text[cut:t1]
            if not right:
                continue
            if all_caps_shape and len(_strip(right)) < 3:
                continue  # "ATBthe", "UNBRussia"; but "LMXBs", "AGNs" are plural acronyms
            if (left_word in _DASHES or right in _DASHES) and not (right[:1].islower() or left_word[-1:].islower()):
                continue  # a dash beside a capital starts a name or heading ("–MRS."), not a word
            right_zipf = word_zipf(right, lexicon, vocabulary)
            guessed = False
            if left_zipf <= 0 or right_zipf <= 0:
                if after_hyphen and right_zipf <= 0:
                    continue  # a capital after a hyphen starts a name part: "al-Haleb"
                if left_zipf <= 0 and right_zipf >= GUESS_LOOSE_PARTNER_ZIPF and (
                    _UNKNOWN_LEFT.fullmatch(left_word) or _LONE_CAPITAL.fullmatch(left_word)
                ):
                    guessed = True
                elif right_zipf <= 0 and left_zipf >= GUESS_LOOSE_PARTNER_ZIPF and (
                    _UNKNOWN_RIGHT.fullmatch(right)
                    or _LONE_CAPITAL.fullmatch(right)
                    or (_LOWER_LEFT.fullmatch(left_word) and _UNKNOWN_LOWER_RIGHT.fullmatch(right))
                ):
                    guessed = True
                else:
                    continue
            readings.append(
                JoinerSplit(start, cut, text[start:cut], left_word, right, max(left_zipf, 1.0 if guessed else 0.0),
                            max(right_zipf, 1.0 if guessed else 0.0), after_hyphen, guessed)
            )
    return readings


def _is_word_as_written(text: str, token: tuple[int, int], run_start: int, lexicon: Lexicon) -> bool:
    """Is the token, as written, a known word ("iPad", "LeBron")? In a hyphenated token only
    the hyphen-delimited part that holds the run counts ("al-Qaida": "Qaida")."""
    t0, t1 = token
    segment = text[t0:t1]
    if "-" in segment or "–" in segment or "—" in segment:
        # Hyphens and glued dashes delimit the word that holds the run ("–The", "Yes–Have").
        before = _DASH_BEFORE.search(text, t0, run_start)
        after = _DASH.search(text, run_start, t1)
        segment = text[before.end() if before else t0 : after.start() if after else t1]
    core = _strip(segment)
    # Names with an inner capital start with one (LeBron, McHale, DeVos); brands that start in
    # lowercase are either very common (iPhone 4.4, eBay 4.0) or have a one-letter prefix that
    # is no word at all. So "toRre" is a glued pair even though "torre" (2.9) is a word.
    threshold = WHOLE_WORD_ZIPF if core[:1].isupper() else CAMEL_WORD_ZIPF
    if lexicon.zipf(core) >= threshold:
        return True
    return ("'" in core or "’" in core) and lexicon.zipf(_POSSESSIVE.sub("", core)) >= threshold


def _replacement(split: JoinerSplit, lexicon: Lexicon, vocabulary: _Vocabulary) -> str:
    """A space, or a hyphen where the pair is a hyphenated compound (``seven-day``).

    The compound is hyphenated when the document or our list spells it so, when a number
    meets a singular unit, or when the document habitually hyphenates that first or last part
    ("Police-court", "Police-station": then "PoliceBconstable" is "Police-constable").
    """
    if split.after_hyphen:
        return ""
    left = _strip(split.left)
    right = _strip(split.right)
    if not left or not right or split.left[-1] in _TRAILING or split.right[0] in _LEADING:
        return " "
    last = left.rsplit("-", 1)[-1]
    # The compound is made with the left piece's last part: "34-year" + "old" is "year-old".
    if not right.isalpha() or not (last.isalpha() or last.replace(".", "").isalpha()):
        return " "
    right_lower, last_lower = right.lower(), last.lower()
    # "U.S.-Russia" when the document writes it so; "34-year" + "old" as "year-old".
    compound = f"{left}-{right}".lower()
    if compound in lexicon.hyphenated or compound in vocabulary.compounds:
        return "-"
    if last is not left:
        compound = f"{last_lower}-{right_lower}"
        if compound in lexicon.hyphenated or compound in vocabulary.compounds:
            return "-"
    if right_lower in lexicon.compound_units and last_lower in _NUMBER_WORDS:
        return "-"
    if last_lower in _TENS and right_lower in _UNITS:
        return "-"  # compound numbers are always hyphenated: "thirty-two"
    if last_lower in _BOUND_PREFIXES:
        return "-"  # "non-commissioned", "anti-government": these prefixes never stand alone
    # A habit of the document: it writes "Police-court", "Church-street" (never after a
    # function word: "the court"; never before a name: "John Reed").
    if (vocabulary.prefixes or vocabulary.suffixes) and right.islower() and left.isalpha():
        left_lower = left.lower()
        if left_lower not in lexicon.function_words:
            for part, habit in ((left_lower, vocabulary.prefixes), (right_lower, vocabulary.suffixes)):
                hyphenated = habit.get(part, 0)
                if hyphenated >= 2 and hyphenated > vocabulary.count_any_case(part):
                    return "-"
    return " "
    if not (left.replace(".", "").replace("-", "").isalpha() and right.isalpha()):
        return " "
    last = left.rsplit("-", 1)[-1]
    # "U.S.-Russia" when the document writes it so; "34-year" + "old" as "year-old".
    compound = f"{left}-{right}".lower()
    if compound in lexicon.hyphenated or compound in vocabulary.compounds:
        return "-"
    if last is not left:
        compound = f"{last}-{right}".lower()
        if compound in lexicon.hyphenated or compound in vocabulary.compounds:
            return "-"
    if right.lower() in lexicon.compound_units and last.lower() in _NUMBER_WORDS:
        return "-"
    if last.lower() in _TENS and right.lower() in _UNITS:
        return "-"  # compound numbers are always hyphenated: "thirty-two"
    if last.lower() in _BOUND_PREFIXES:
        return "-"  # "non-commissioned", "anti-government": these prefixes never stand alone
    # A habit of the document: it writes "Police-court", "Church-street" (never after a
    # function word: "the court"; never before a name: "John Reed").
    if right.islower() and left.isalpha() and left.lower() not in lexicon.function_words:
        for part, habit in ((left.lower(), vocabulary.prefixes), (right.lower(), vocabulary.suffixes)):
            hyphenated = habit.get(part, 0)
            if hyphenated >= 2 and hyphenated > vocabulary.count_any_case(part):
                return "-"
    return " "


#: Sentence or title context before the run: a capitalised word is expected after it
#: (sentence punctuation, maybe followed by closing quotes or brackets; not a possessive
#: apostrophe: "companies’BBlong-term"; not a semicolon: "sober;BBas sober").
_CAPITAL_EXPECTED = regex.compile(r"[.!?:][”\"’')\]]*$")


def _prefer_lowercase_word(best: JoinerSplit, usable: list[JoinerSplit], learned: dict[str, float],
                           lexicon: Lexicon, vocabulary: _Vocabulary, doubles: bool = False) -> JoinerSplit:
    """Mid-sentence, a capitalised right-hand word must be a name; if its capital is itself an
    established joiner and dropping it leaves a common word, the run was doubled ("BBand" is
    "and", "engagementBBring" is "engagement ring"), unless the document spells the
    capitalised word elsewhere ("CondoleezzaBRice" when "Rice" recurs) or a capital is expected
    there anyway ("Mr.RHall", "said.BThe"). In a document whose extractor is seen doubling its
    glyph (``doubles``), the lowercase word needs only to be about as common as the name
    ("theBBroad" is "the road").

    >>> from pipeline.lexicon import load_lexicon
    >>> r = repair_joiners("The band playedBBand sang. It wasBa hit. ThenBBit ended.", load_lexicon())
    >>> [e.before for e in r.edits]
    ['BB', 'B', 'BB']
    """
    right = _strip(best.right)
    if doubles and right.isupper() and len(right) <= 3 and right[0] in learned:
        # "child.BBI", "language.BBBA": in a document that doubles its glyph, a short run of
        # capitals starting with the glyph before a function word is the glyph again.
        for other in usable:
            if other.run_start == best.run_start and other.run_end > best.run_end and other.right_zipf >= FUNCTION_WORD_ZIPF:
                return other
    if not right[:1].isupper() or right.isupper() or best.right[0] in _LEADING or best.after_hyphen:
        return best  # after a hyphen the part keeps its own case: "Deir-iz-Zor"
    left = best.left.rstrip()
    if (
        _CAPITAL_EXPECTED.search(left)
        or left in lexicon.abbreviations
        or vocabulary.count(right) > 0
        or (right + "." in lexicon.abbreviations and best.right.lstrip(_LEADING).startswith(right + "."))
    ):
        return best  # a capital is expected, or the word is a name the document uses, or "Va."
    # After a comma a name is as likely as a doubled glyph (lists of places), and a capital
    # that is no established joiner is weak evidence: there, only a function word ("at",
    # "and", "it") behind the capital makes the run longer.
    if best.right[0] in learned and not left.endswith(","):
        needed = DOUBLED_RUN_ZIPF
    else:
        needed = FUNCTION_WORD_ZIPF
    for other in usable:
        if (
            other.run_start == best.run_start
            and other.run_end == best.run_end + 1
            and other.right[:1].islower()
            and other.right_zipf >= needed
            # "and" 7.4 over "Band" 4.9, "it" 7.0 over "Bit" 5.4; "Easton" is no "aston" (3.7).
            and other.right_zipf >= best.right_zipf + (DOUBLED_HABIT_MARGIN if doubles else DOUBLED_MARGIN)
        ):
            return other
    return best


def _clear_pieces(left: str, right: str) -> bool:
    """Clear evidence needs words (punctuation already peeled off): two of them, or a number
    and a plain word ("12Bhours"); two numbers ("32±5"), or a number and a unit ("1GeV")
    prove nothing.

    >>> _clear_pieces("12", "hours"), _clear_pieces("1", "eV"), _clear_pieces("32", "5")
    (True, False, False)
    """
    left_word = left[:1].isalpha()
    right_word = right[:1].isalpha()
    if left_word and right_word:
        return True
    if left_word == right_word:
        return False  # two numbers
    # A plain word beside the number: lowercase or capitalised, not a unit's mixed case; a
    # word before a number needs three letters ("CfA1", "MnO3" are names of things).
    word, shortest = (right, 2) if right_word else (left, 3)
    return len(word) >= shortest and word.isalpha() and (word.islower() or word.istitle())


def _guess_allowed(split: JoinerSplit, learned: dict[str, float]) -> bool:
    """A reading with one unknown piece needs every run character established, and a common
    partner, or a fairly common one beside a very well established glyph."""
    strength = min(learned.get(c, 0.0) for c in split.run)
    partner = max(split.left_zipf, split.right_zipf)
    return strength >= GUESS_EVIDENCE and (partner >= GUESS_PARTNER_ZIPF or strength >= STRONG_EVIDENCE)


def _lone_symbol_joiner(split: JoinerSplit) -> bool:
    """A symbol glued between two common lowercase words ("than&to", "said¤the") is a joiner
    even when the document has no other: words carry no symbols inside. Capitalised pieces are
    left alone ("Home•News" in a breadcrumb is not damage), and so is anything rarer than
    LONE_SYMBOL_ZIPF on either side ("rock&roll" is 4.4/4.8 and stays below it)."""
    if any(c.isalnum() for c in split.run) or split.after_hyphen:
        return False
    left, right = _strip(split.left), _strip(split.right)
    return (
        left.isalpha() and left.islower() and right.isalpha() and right.islower()
        and split.weakest >= LONE_SYMBOL_ZIPF
    )


def _confidence(evidence: float, weakest: float) -> float:
    # Glyph reliability: one clear split in the document gives 0.5, four give 0.8, more -> 1.
    reliability = evidence / (evidence + 1.0)
    # Piece plausibility: a common word (Zipf >= 4) ~0.97, a rare name (Zipf 1.2) ~0.6.
    plausibility = 1.0 - 0.5 * math.exp(-0.8 * max(weakest - 0.4, 0.0))
    return round(reliability * plausibility, 3)


class _Rhythm:
    """Old line ends fall one old line width apart. A candidate one line from the confirmed
    joiner (or paragraph start) before it, and one line from the next confirmed joiner (or
    within a line of the paragraph's end, whose last line is short), sits where a joiner is
    expected: strong evidence for a glyph seen too rarely to learn."""

    _BLANK_LINE = regex.compile(r"\n[ \t]*\n\s*")

    def __init__(self, positions: list[int], text: str) -> None:
        self.positions = sorted(positions)
        self.range: tuple[int, int] | None = None
        if len(self.positions) < RHYTHM_MIN_SPLITS:
            return
        gaps = sorted(b - a for a, b in zip(self.positions, self.positions[1:]))
        median = gaps[len(gaps) // 2]
        single = [g for g in gaps if g <= 1.5 * median]
        if len(single) < RHYTHM_MIN_SPLITS - 1:
            return
        self.range = (single[int(0.05 * (len(single) - 1))], single[int(0.95 * (len(single) - 1))])
        self.paragraph_starts = [0]
        self.paragraph_ends = []
        for blank in self._BLANK_LINE.finditer(text):
            self.paragraph_ends.append(blank.start())
            self.paragraph_starts.append(blank.end())
        self.paragraph_ends.append(len(text))

    def expects(self, position: int) -> bool:
        if self.range is None:
            return False
        low, high = self.range[0] - RHYTHM_SLACK, self.range[1] + RHYTHM_SLACK
        index = bisect.bisect_left(self.positions, position)
        paragraph_start = self.paragraph_starts[bisect.bisect_right(self.paragraph_starts, position) - 1]
        paragraph_end = self.paragraph_ends[bisect.bisect_left(self.paragraph_ends, position)]
        before = self.positions[index - 1] if index > 0 else -1
        before = max(before, paragraph_start)
        after = self.positions[index] if index < len(self.positions) else None
        left = position - before
        left_fits = low <= left <= high
        if after is not None and after < paragraph_end:
            right = after - position
            right_fits = low <= right <= high
            right_open = right >= low  # another line end may be missing beyond
        else:
            right_fits = right_open = paragraph_end - position <= high  # the short last line
        return (left_fits and (right_fits or right_open)) or (right_fits and left >= low)


def repair_joiners(text: str, lexicon: Lexicon, config: Config | None = None) -> JoinerResult:
    """Learn this document's joiner glyphs and return the edits that split on them."""
    config = config or Config()
    matches = candidate_runs(text)
    if not matches:
        return JoinerResult([], {})
    vocabulary = _Vocabulary(text)

    # Step 1: candidates and their readings.
    candidates: list[list[JoinerSplit]] = []
    for index, (match_start, match_end) in enumerate(matches):
        token = _token_bounds(text, match_start, match_end)
        if token is None:
            continue
        token_text = text[token[0] : token[1]]
        if "://" in token_text or "www." in token_text or "WWW." in token_text:
            continue
        # Another candidate run in the same token ("aBthreeBweek") bounds this one's pieces.
        piece_start, piece_end = token
        if index and matches[index - 1][1] > token[0]:
            piece_start = matches[index - 1][1]
        if index + 1 < len(matches) and matches[index + 1][0] < token[1]:
            piece_end = matches[index + 1][0]
        readings = _readings(text, match_start, match_end, (piece_start, piece_end), lexicon, vocabulary)
        if (piece_start, piece_end) != token and all(r.guessed for r in readings):
            # The neighbour was no glyph after all ("FatahBal-Haleb": the H starts "Haleb";
            # "U.S.-RussiaBmilitary": the R starts "Russia").
            readings = readings + _readings(text, match_start, match_end, token, lexicon, vocabulary)
        if (
            readings
            and not _is_word_as_written(text, token, match_start, lexicon)
            and ((piece_start, piece_end) == token or not _is_word_as_written(text, (piece_start, piece_end), match_start, lexicon))
        ):
            candidates.append(readings)

    # Step 2: evidence per character, from clear splits only.
    evidence: Counter = Counter()
    for glyph, weight in config.glyph_prior:
        evidence[glyph] += weight
    seen_tokens: set[str] = set()
    for readings in candidates:
        best = readings[0] if len(readings) == 1 else max(readings, key=lambda r: r.order(None))
        if best.guessed or best.weakest < CLEAR_ZIPF:
            continue
        left, right = _strip(best.left), _strip(best.right)
        if _clear_pieces(left, right):
            # A repeated token is one piece of evidence ("SigmaPlot" twice is a brand, not two
            # glued pairs); damage glues ever different pairs.
            token = left + best.run + right
            weight = REPEAT_WEIGHT if token in seen_tokens else 1.0
            seen_tokens.add(token)
            for char in best.run:
                evidence[char] += weight / len(best.run)
    learned = {c: round(n, 2) for c, n in evidence.items() if n >= MIN_EVIDENCE}

    # Step 3: decide where an established joiner is in the run. First, does this extractor
    # double its glyph? A doubled run is forced where one glyph alone leaves no word ("BBthe").
    forced_doubles = 0
    for readings in candidates:
        for r in readings:
            if (
                len(r.run) >= 2 and r.run[-1] == r.run[-2] and r.run[-1] in learned and not r.guessed
                and r.right_zipf >= CLEAR_ZIPF and r.right[:1].islower()
                and not any(
                    o.run_start == r.run_start and o.run_end == r.run_end - 1 and o.right_zipf >= RIGHT_WORD_ZIPF
                    for o in readings
                )
            ):
                forced_doubles += 1
    doubles = forced_doubles >= 2
    decided: list[tuple[JoinerSplit, float]] = []
    undecided: list[list[JoinerSplit]] = []
    for readings in candidates:
        best = readings[0]
        if len(readings) == 1 and not best.guessed and (best.run in learned or all(c in learned for c in best.run)):
            # The common case, one reading made of established joiners: nothing to choose.
            strength = learned[best.run] if best.run in learned else min(learned[c] for c in best.run)
            decided.append((best, _confidence(strength, best.weakest)))
            continue
        usable = [
            r for r in readings
            if any(c in learned for c in r.run)
            and (not r.guessed or _guess_allowed(r, learned))
        ]
        # A letter that is no established joiner rides along only into a clear word
        # ("othersBEwaited"), or into a plain word where the only other reading is a guess
        # ("theBHlodgers"); never into junk ("WilliamBRasser" is not "William asser").
        proven = [r for r in usable if all(c in learned or not c.isalpha() for c in r.run)]
        fallback_zipf = RIGHT_WORD_ZIPF if all(r.guessed for r in proven) else CLEAR_ZIPF
        usable = [r for r in usable if r in proven or (not r.guessed and r.right_zipf >= fallback_zipf)]
        if not usable:
            undecided.append(readings)
            continue
        best = _prefer_lowercase_word(max(usable, key=lambda r: r.order(learned)), usable, learned, lexicon, vocabulary, doubles)
        strength = min(learned[c] for c in best.run if c in learned)
        # A character trusted only for standing beside a joiner costs a little certainty.
        unproven = sum(1 for c in best.run if c not in learned)
        confidence = _confidence(strength, best.weakest) * (0.9**unproven) * (0.8 if best.guessed else 1.0)
        decided.append((best, confidence))

    # Step 4: a glyph too rare to learn, where the rhythm of old line ends expects a joiner.
    rhythm = _Rhythm([split.run_start for split, _ in decided], text)
    by_rhythm = 0
    for readings in undecided:
        # Where the rhythm expects a joiner, a name or a rare word beside a common one will do
        # ("Wilmshurst,Ethe", "andEemetics").
        plain = [
            r for r in readings
            if (not r.guessed and r.weakest >= RIGHT_WORD_ZIPF)
            or (max(r.left_zipf, r.right_zipf) >= GUESS_PARTNER_ZIPF and r.weakest >= 1.0)
        ]
        if not plain:
            continue
        best = _prefer_lowercase_word(max(plain, key=lambda r: r.order(None)), plain, {}, lexicon, vocabulary)
        if rhythm.expects(best.run_start):
            decided.append((best, 0.75 * _confidence(max(evidence.get(best.run[0], 0.0), 1.0), best.weakest) + 0.25))
            by_rhythm += 1
        elif _lone_symbol_joiner(best):
            decided.append((best, LONE_SYMBOL_CONFIDENCE))

    edits: list[Edit] = []
    per_glyph: Counter = Counter()
    described: dict[str, str] = {}
    for split, confidence in sorted(decided, key=lambda item: item[0].run_start):
        after = _replacement(split, lexicon, vocabulary)
        glyph = described.get(split.run)
        if glyph is None:
            counts = "; ".join(f"{c!r}: {evidence.get(c, 0):g} clear splits" for c in dict.fromkeys(split.run))
            glyph = described[split.run] = f"glyph {split.run!r} ({counts})"
        why = f"{glyph} between {split.left!r} (Zipf {split.left_zipf:.1f}) and {split.right!r} (Zipf {split.right_zipf:.1f})"
        if split.guessed:
            why += "; one side is an unknown word"
        if split.run[0] not in learned and not any(c in learned for c in split.run):
            why += "; where the rhythm of old line ends expects a joiner"
        edits.append(Edit(split.run_start, split.run_end, split.run, after, "joiner", round(confidence, 3), why))
        per_glyph[split.run] += 1
    return JoinerResult(edits, learned, candidates=len(candidates), per_glyph=per_glyph, by_rhythm=by_rhythm,
                        line_lengths=rhythm.range)
