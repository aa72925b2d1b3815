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
   accepted beside a common word and a well-established glyph. A right piece that is more
   glyph (``BB"Now``, ``B-Inspector``) reads on to the word after it. Two words in capitals
   are split at a learned capital (``MARGARETBHUNTER``), and a learned capital after a
   compound's hyphen that makes a word as written goes where the compound without it is
   known (``Richmond-Broad`` in a document of ``-road`` streets). Then the rarer cases: a
   glyph seen too seldom to learn is split where the rhythm of the old line ends (one old line
   width apart) expects a joiner, a lone symbol between two function words is a joiner by
   shape, and in a document with a well-established joiner, so is a second glyph seen once
   between two common lowercase words (``theyRapproached``).
4. **Replacement.** A space, or a hyphen where the pair is a compound the document, our lists
   or grammar say is hyphenated (``seven-day``, ``thirty-two``, ``cease-fire``; not after
   ``one``: ``one night``), or nothing where the extractor kept the compound's own hyphen
   (``seven-Bday``).
5. **Fixed point.** Repairs change the document's vocabulary, so a glyph may find its evidence
   only in the repaired text. The stage learns again on its own output while that could teach
   it something (checked cheaply on what the pass left), so cleaning its output changes
   nothing.

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
import functools
import itertools
import math
import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from .config import Config
from .edits import Edit, apply_edits, compose
from .lexicon import _APOSTROPHES, Lexicon

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
# The same class as _GLYPH written as one negated set, which the regex engine scans faster.
_GLYPH_SET = r"[^\s\p{Ll}\p{Lt}\p{Lm}\p{Lo}\p{N}" + regex.escape(_NEVER_GLYPH) + r"\p{M}\p{Cc}\p{Cf}]"
_GLYPH_RUN = regex.compile(r"(?<=\S)" + _GLYPH_SET + "+|" + _GLYPH_SET + "{2,}")
# The regex engine tests that negated set slowly, character by character; a positive set is
# scanned twice as fast. In ASCII the set is a handful of characters, written out below; any
# other character may be one. The runs of this wider set hold every run of the exact one
# (the exact set is inside it), and are exactly those runs where they are ASCII; the others
# are searched again with the exact pattern, within their bounds.
_ASCII_GLYPHS = "".join(c for c in map(chr, range(128)) if regex.fullmatch(_GLYPH_SET, c))


def _ascii_class(chars: str) -> str:
    """The ASCII characters ``chars`` as the ranges of a character class, the one holding
    "a" first: the engine tests a set member by member, and most of a text is lowercase."""
    codes = sorted(set(map(ord, chars)))
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    ranges.sort(key=lambda r: not r[0] <= ord("a") <= r[1])
    return "".join(f"\\x{a:02x}" if a == b else f"\\x{a:02x}-\\x{b:02x}" for a, b in ranges)


# Written as its complement, the ASCII characters that are no glyph, in ranges: a lowercase
# letter then fails at the first member (a quarter less time to scan damaged news than the
# glyphs listed one by one).
_MAYBE_GLYPH = "[^" + _ascii_class("".join(c for c in map(chr, range(128)) if c not in _ASCII_GLYPHS)) + "]"
_ASCII_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
#: What may stand before a candidate's capitals: neither space, a capital, nor an opening
#: quote or bracket (CANDIDATE_RUN's first branch), in ASCII and dashes.
_BEFORE_CAPITALS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789,.-:;!?–—")
#: Unicode's White_Space, what ``\s`` matches in the regex module, as a character set's
#: members (tests/test_joiners.py checks every code point). The standard ``re`` module's
#: ``\s`` also takes U+001C-U+001F, which this stage reads as part of a token.
_WHITE_SPACE_SET = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: Runs of _MAYBE_GLYPH inside a token, or of two or more anywhere: in the regex module,
#: ``(?<=\S)G+|G{2,}``. Written here as one branch that starts with the set (the glyph, then
#: a non-space before it or a second glyph after it) and run by the standard ``re`` module,
#: which skips to a member of a leading set at C speed instead of trying the alternation at
#: every character: the same spans at twice the speed on damaged news
#: (tests/test_joiners.py compares the two patterns).
_MAYBE_GLYPH_RUN_SLOW = regex.compile(r"(?<=\S)" + _MAYBE_GLYPH + "+|" + _MAYBE_GLYPH + "{2,}")
_MAYBE_GLYPH_RUN = re.compile(
    _MAYBE_GLYPH + r"(?:(?<=[^" + _WHITE_SPACE_SET + r"][\s\S])|(?=" + _MAYBE_GLYPH + "))" + _MAYBE_GLYPH + "*"
)


def candidate_runs(text: str, capitals: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """The spans CANDIDATE_RUN matches in ``text`` (the same list, found faster on prose,
    where most capitals start a word and are skipped without running the pattern).

    >>> text = "The UN met inBGeneva; theBUN and ATBthe NATO ofBits"
    >>> [text[s:e] for s, e in candidate_runs(text)]
    ['BG', 'BU', 'TB', 'B']
    """
    found: list[tuple[int, int]] = []
    append = found.append
    length = len(text)
    for wide in _MAYBE_GLYPH_RUN.finditer(text):
        start, end = wide.span()
        if end == start + 1 and text[start] < "\x80":
            # One ASCII character, most runs: the first answers of the loop below, sooner.
            if end < length and text[end].islower():
                before = text[start - 1]
                if before.islower():
                    append((start, end))  # "ofBits"
                    continue
                if before.isspace() and text[start].isalpha():
                    continue
                if (
                    (before in "“‘([{" or (before in "\"'" and (start < 2 or text[start - 2] in " \n")))
                    and "A" <= text[start] <= "Z"
                ):
                    # A capital that starts a word after an opening quote or bracket ('"The',
                    # "(New"): the pattern's first branch does not match after those, no other
                    # takes a letter, and a lowercase letter next starts nothing in the window.
                    continue
            elif (start == 0 or text[start - 1].isspace()) and text[start].isalpha():
                continue
            runs: tuple | list = ((start, end),)
        elif text[start:end].isascii():
            runs = ((start, end),)
        else:
            runs = [run.span() for run in _GLYPH_RUN.finditer(text, start, end)]
        for start, end in runs:
            if end == start + 1:
                if end < length and text[end].islower():
                    before = text[start - 1]
                    if before.islower():
                        append((start, end))  # "ofBits": the pattern would match exactly this
                        continue
                    if before.isspace() and text[start].isalpha():
                        continue  # a capital that starts a word
                elif (start == 0 or text[start - 1].isspace()) and text[start].isalpha():
                    continue
            elif (
                (start == 0 or text[start - 1].isspace())
                and (end >= length or not text[end].islower())
                and text[start:end].isalpha()
            ):
                # An acronym: never a candidate. A long one may be two words in capitals glued
                # by a capital glyph ("MARGARETBHUNTER"): ``capitals`` collects those for later.
                if capitals is not None and end - start >= CAPITALS_MIN_LENGTH:
                    capitals.append((start, end))
                continue
            if (
                end - start <= 6 and start and end < length and text[start - 1] in _BEFORE_CAPITALS
                and text[end] in _ASCII_LOWER and text[start:end].isupper() and text[start:end].isascii()
                and text[start:end].isalpha()
            ):
                # "inBGeneva", "Police-Bconstable", "said,BThe": a few capitals (A-Z) after a
                # lowercase letter, a digit or punctuation that opens nothing, and before a
                # lowercase one, which the pattern's first branch matches whole (and nothing
                # else in the window: a match after the run would need a character beyond it).
                append((start, end))
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
# Two capitalised words, names no dictionary need know, either side of a learned capital.
_GLUED_NAME = regex.compile(r"[“\"‘'(]*\p{Lu}\p{Ll}+")
_GLUED_NAME_RIGHT = regex.compile(r"\p{Lu}\p{Ll}{2,}(?:['’]s)?[”\"’'.,;:!?)]*")
#: What a reading that guesses an unknown word keeps of its confidence.
GUESSED_FACTOR = 0.8
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
#: ("vice" is not one: it stands alone, "vice Barry", "vice versa".)
_BOUND_PREFIXES = frozenset("non anti pro ex co semi multi quasi pseudo ultra self".split())
#: Last parts of a left piece that the rules of _replace hyphenate by their own list.
_HYPHEN_LEFTS = _NUMBER_WORDS | _TENS | _BOUND_PREFIXES

#: A piece this common counts as clear evidence (Zipf 3 = once per million words: "skeptical").
CLEAR_ZIPF = 3.0
#: A Roman numeral in capitals ("II", "XIV").
_ROMAN_NUMERAL = regex.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
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
#: The same confidence for a second glyph seen once between two common lowercase words in a
#: document with a joiner established by STRONG_EVIDENCE.
SECOND_GLYPH_CONFIDENCE = 0.6
#: ...where both words are at least this common: known words, if rare ("unwary" 2.6,
#: "slunk" 2.4). BLN600 train damaged like the seed: 281 -> 275 errors left at 2.0 (the same
#: from 1.0 to 2.2), unconfigured glyphs unchanged; at 3.0 (a clear split) the rule missed them.
PAIR_ZIPF = 2.0
#: Slack, in characters, on an old line's length (stray spaces, re-hyphenation, run lengths).
RHYTHM_SLACK = 6
#: Entries of the process-wide memo of plain words (a few tens of MB at most).
PIECE_CACHE_SIZE = 300_000
#: Entries of the process-wide memos of how pieces read in reasons, and of rounded
#: confidences (a few MB at most).
SAID_CACHE_SIZE = 50_000
#: Shortest run of capitals looked at as two words glued by a capital glyph ("EARLYBTRAINS").
CAPITALS_MIN_LENGTH = 7
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


#: Tuple constructors without NamedTuple's keyword handling (the hot path makes ~40 a document).
_new_split = functools.partial(tuple.__new__, JoinerSplit)
_new_edit = functools.partial(tuple.__new__, Edit)
_START = operator.itemgetter(0)
_BEFORE = operator.itemgetter(2)


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
    #: What the pass saw (candidate spans and tokens, readings, clear ones, words as written,
    #: matches without a reading): what a pass over the repaired text could still learn from.
    pass_state: tuple = field(default=((), (), {}, (), (), (), (), set()), repr=False)

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
        self.text = text
        self._compounds: Counter | None = None
        self._lower: tuple[str, dict[str, int]] | None = None
        self._hyphenation: tuple | None = None
        #: What a left or a right piece must be for the document to make a compound of
        #: them (see hyphenation()); None until it is asked.
        self.hyphen_lefts: set[str] | None = None
        self.hyphen_rights: set[str] | None = None
        self._name_parts: dict[str, bool] | None = None
        #: count() answers (a piece's word is asked about again and again).
        self._asked: dict[str, int] = {}
        #: word_zipf results for this document (pieces repeat: "the", "of", "said").
        self.zipf_cache: dict[str, float] = {}

    # Compounds are gathered on first use, from hyphen to hyphen, and a word's count is found
    # by scanning for it: a document asks about a dozen rare words, and counting all of its
    # words costs more (a tenth of the stage on damaged news).

    @property
    def compounds(self) -> Counter:
        if self._compounds is None:
            compounds: Counter = Counter()
            text = self.text
            # From hyphen to hyphen: a document has a few dozen, and splitting it all costs more.
            length = len(text)
            at = text.find("-")
            while at >= 0:
                # The token around the hyphen: the nearest space or newline on each side, when
                # nothing between them is other whitespace (which str.isprintable rejects).
                start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
                space, newline = text.find(" ", at), text.find("\n", at)
                if space < 0:
                    end = newline if newline >= 0 else length
                else:
                    end = space if newline < 0 else min(space, newline)
                if not text[start:end].isprintable():
                    before = _SPACE_BEFORE.search(text, 0, at)
                    after = _SPACE.search(text, at)
                    start, end = (before.end() if before else 0), (after.start() if after else length)
                core = text[start:end].lstrip(_LEADING).rstrip(_TRAILING)
                if self._COMPOUND.fullmatch(core):
                    compounds[core.lower()] += 1
                at = text.find("-", end)
            partners: dict[tuple[int, str], set[str]] = {}
            for compound in compounds:
                parts = compound.split("-")
                partners.setdefault((0, parts[0]), set()).add(parts[-1])
                partners.setdefault((1, parts[-1]), set()).add(parts[0])
            self._prefixes: Counter = Counter()
            self._suffixes: Counter = Counter()
            # A habit needs two different partners: "Police-court" and "Police-constable", not
            # "rebel-held" twice.
            for (side, part), others in partners.items():
                if len(others) >= 2:
                    (self._prefixes if side == 0 else self._suffixes)[part] = sum(
                        compounds[f"{part}-{o}" if side == 0 else f"{o}-{part}"] for o in others
                    )
            self._compounds = compounds
        return self._compounds

    def hyphenation(self) -> tuple[Counter, set[str], Counter, Counter]:
        """(compounds, their first parts, habitual first parts, habitual last parts)."""
        if self._hyphenation is None:
            compounds = self.compounds
            heads = {c.rsplit("-", 1)[0] for c in compounds}
            self._hyphenation = (compounds, heads, self._prefixes, self._suffixes)
            # For _replace's first test: what a left piece or a right piece must be for the
            # document to make a compound of them.
            self.hyphen_lefts = heads.union(self._prefixes)
            self.hyphen_rights = set(self._suffixes)
        return self._hyphenation

    @property
    def prefixes(self) -> Counter:
        """First parts the document hyphenates with two different partners or more."""
        self.compounds  # noqa: B018 - builds them
        return self._prefixes

    @property
    def suffixes(self) -> Counter:
        self.compounds  # noqa: B018
        return self._suffixes

    def hyphenates_after_names(self, part: str) -> bool:
        """Does the document not write ``part`` open after a name more often than hyphenated
        ("Kemble street", "Thames street" against "Bow-street")?"""
        if self._name_parts is None:
            self._name_parts = {}
        known = self._name_parts.get(part)
        if known is None:
            found = regex.findall(r"\p{Lu}\p{Ll}+(?:['’]s)?([- ])" + regex.escape(part) + r"\b", self.text)
            known = self._name_parts[part] = found.count(" ") <= found.count("-")
        return known

    def count(self, word: str) -> int:
        """How often ``word`` stands alone as a whitespace-delimited token, quotes and
        punctuation around it peeled off (the same as ``counts[word]``)."""
        known = self._asked.get(word)
        if known is None:
            known = self._asked[word] = self._scan(self.text, word)
        return known

    def _scan(self, text: str, word: str) -> int:
        number = 0
        if word and (word.isalpha() or (word[:1].isalpha() and self._WORD.fullmatch(word))):
            length = len(text)
            size = len(word)
            at = text.find(word)
            while at >= 0:
                before = at
                while before and text[before - 1] in _LEADING:
                    before -= 1
                if not before or text[before - 1].isspace():
                    after = at + size
                    while after < length and text[after] in _TRAILING:
                        after += 1
                    if after == length or text[after].isspace():
                        number += 1
                at = text.find(word, at + 1)
        return number

    def at_least(self, word: str, times: int) -> bool:
        """``count(word) >= times``, answered by a substring count where that suffices."""
        known = self._asked.get(word)
        if known is not None:
            return known >= times
        if self.text.count(word) < times:
            return False
        return self.count(word) >= times

    def count_any_case(self, word: str) -> int:
        """``count`` in any case ("Police" and "police" alike)."""
        if self._lower is None:
            self._lower = (self.text.lower(), {})
        lowered, asked = self._lower
        word = word.lower()
        known = asked.get(word)
        if known is None:
            known = asked[word] = self._scan(lowered, word)
        return known


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
    return _zipf_of_entry(piece, lexicon.piece_cache.get(piece), lexicon, vocabulary)


def _zipf_of_entry(piece: str, entry: tuple[float, str | None] | None, lexicon: Lexicon,
                   vocabulary: _Vocabulary | None) -> float:
    """word_zipf of a piece the document has not asked about, given the process-wide memo's
    ``entry`` for it (the hot path has looked both up already)."""
    if entry is None:
        entry = _plain_word(piece, lexicon)
        if len(lexicon.piece_cache) < PIECE_CACHE_SIZE:
            lexicon.piece_cache[piece] = entry
    zipf, core = entry
    if core is None:
        zipf = _word_zipf(piece, lexicon, vocabulary)
    elif vocabulary is not None and zipf < 3.0 and vocabulary.at_least(core, 2):
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
        if vocabulary is not None and zipf < 3.0 and vocabulary.at_least(core, 2):
            zipf = 3.0
        return zipf
    if core.endswith("-") and len(core) > 2 and core[-2].isalpha():
        # "Police-" before a line break: the layout stage decides about that hyphen.
        return _word_zipf(core[:-1], lexicon, vocabulary)
    if not core:
        return 0.0
    # Each pattern runs only where its first characters allow a match (an ampersand; a digit
    # or currency sign first, or a character outside ASCII; a period second).
    if "&" in core and _AMPERSAND_INITIALISM.fullmatch(core):
        return 4.0  # "R&D", "AT&T", "S&P"
    if (core[0] in "0123456789$" or not core[0].isascii()) and _NUMBER.fullmatch(core):
        return 4.0
    if 2 <= len(core) <= 12 and core[1] == "." and _INITIALISM.fullmatch(core + ("." if not core.endswith(".") else "")):
        return 4.0
    if core + "." in lexicon.abbreviations and piece.lstrip(_LEADING).startswith(core + "."):
        return 4.0
    if len(core) == 1 and _INITIAL.fullmatch(piece.lstrip(_LEADING)[:2]):
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
    base = _POSSESSIVE.sub("", core) if len(core) > 3 and ("'" in core or "’" in core) else core
    if not base or not base[0].isalpha():
        return 0.0
    if len(base) == 1:
        # Single letters are words only as "a", "I" (and "O" in verse); the frequency list
        # rates every letter highly because tokenisers split "U.S" and "'s" into letters.
        return lexicon.zipf(base) if base in ("a", "A", "I") else 0.0
    zipf = lexicon.zipf(base)
    if _CAPS_THEN_LOWER.match(base) and not (vocabulary is not None and vocabulary.at_least(base, 2)):
        return 0.0  # "BAnd", "BWashington": "band" is a word, "BAnd" is not
    if not _PLAIN_SHAPE.fullmatch(base) and zipf < 2.5:
        return 0.0  # "EDay": a shape no word has, and not a known brand
    if vocabulary is not None and zipf < 3.0 and vocabulary.at_least(base, 2):
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
    # Fast path: the nearest space or newline on each side, when the token between them holds
    # no other whitespace (str.isprintable is false for every other \s character).
    left = max(text.rfind(" ", low, start), text.rfind("\n", low, start)) + 1
    if left or not low:
        high = end + MAX_TOKEN
        right = text.find(" ", end, high)
        newline = text.find("\n", end, right if right >= 0 else high)
        if newline >= 0:
            right = newline
        elif right < 0 and high >= len(text):
            right = len(text)
        if right >= 0 and text[left:right].isprintable():
            return (left, right) if right - left <= MAX_TOKEN else None
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
    known_zipf = vocabulary.zipf_cache.get  # word_zipf's own memo, asked first
    if match_end - match_start == 1 and text[match_start - 1] not in "&%-‐!?" and not text[match_start - 1].isupper():
        # The common shape, one glyph between two plain pieces ("ofBthe"): the general loop
        # below gives the same single reading; fall through to it when anything is unusual.
        left, right = text[t0:match_start], text[match_end:t1]
        if left and right and left not in _DASHES and right not in _DASHES:
            left_zipf = known_zipf(left)
            if left_zipf is None:
                left_zipf = word_zipf(left, lexicon, vocabulary)
            if left_zipf > 0:
                right_zipf = known_zipf(right)
                if right_zipf is None:
                    right_zipf = word_zipf(right, lexicon, vocabulary)
                if right_zipf > 0:
                    return [_new_split((match_start, match_end, text[match_start], left, right, left_zipf, right_zipf,
                                        False, False))]
    readings = []
    before, first = text[match_start - 1], text[match_start]
    all_caps_shape = before.isupper() and first.isupper()
    if before.islower() and first.isupper():
        starts = [match_start]  # what _run_starts gives this shape ("inBGeneva"), sooner
    else:
        starts = _run_starts(text, match_start, match_end)
    for start in starts:
        left = text[t0:start]
        after_hyphen = left[-1:] in ("-", "‐")
        # "seven-Bday": the extractor kept the compound's hyphen and put the glyph after it.
        left_word = left[:-1] if after_hyphen else left
        if not left_word:
            continue
        left_zipf = known_zipf(left_word)
        if left_zipf is None:
            left_zipf = word_zipf(left_word, lexicon, vocabulary)
        for cut in range(start + 1, match_end + 1):
            right = text[cut:t1]
            if not right:
                continue
            if all_caps_shape and len(_strip(right)) < 3 and not (right.islower() and _strip(left_word) == "I"):
                # "ATBthe", "UNBRussia"; but "LMXBs", "AGNs" are plural acronyms. The pronoun
                # is the one capital that is a word alone: "IBam" is "I am".
                continue
            if (left_word in _DASHES or right in _DASHES) and not (right[:1].islower() or left_word[-1:].islower()):
                continue  # a dash beside a capital starts a name or heading ("–MRS."), not a word
            right_zipf = known_zipf(right)
            if right_zipf is None:
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
                    # (_UNKNOWN_RIGHT and _LONE_CAPITAL start with a capital or an opener.)
                    (not right[0].islower() and (_UNKNOWN_RIGHT.fullmatch(right) or _LONE_CAPITAL.fullmatch(right)))
                    or (_LOWER_LEFT.fullmatch(left_word) and _UNKNOWN_LOWER_RIGHT.fullmatch(right))
                ):
                    guessed = True
                else:
                    continue
            if guessed:
                readings.append(_new_split((start, cut, text[start:cut], left_word, right, max(left_zipf, 1.0),
                                            max(right_zipf, 1.0), after_hyphen, True)))
            else:
                readings.append(_new_split((start, cut, text[start:cut], left_word, right, left_zipf, right_zipf,
                                            after_hyphen, False)))
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
    token_start = split.run_start - len(split.left) - split.after_hyphen
    return _replace(split.left, split.right, split.after_hyphen, lexicon, vocabulary, token_start)


#: A name as the first part of a street's name: "Bryant", "White's".
_NAME = regex.compile(r"\p{Lu}\p{Ll}+(?:['’]s)?")
#: What ends a sentence before a token (maybe with closing quotes), or a paragraph break.
_SENTENCE_BEFORE = regex.compile(r"(?:[.!?:][”\"’')\]]*|\n[ \t]*\n)\s*$")


def _replace(left: str, right: str, after_hyphen: bool, lexicon: Lexicon, vocabulary: _Vocabulary,
             token_start: int = -1) -> str:
    if after_hyphen:
        return ""
    if left[-1] in _TRAILING or right[0] in _LEADING:
        return " "
    # Neither piece has punctuation on the glyph's side, so one strip each is enough.
    left = left.lstrip(_LEADING)
    right = right.rstrip(_TRAILING)
    if not left or not right or not right.isalpha():
        return " "
    last = left.rsplit("-", 1)[-1]
    # The compound is made with the left piece's last part: "34-year" + "old" is "year-old".
    if not (last.isalpha() or last.replace(".", "").isalpha()):
        return " "
    right_lower, last_lower = right.lower(), last.lower()
    left_lower = left.lower()
    known_heads = lexicon.hyphen_heads
    # Every rule below needs the left piece or its last part to head a compound (listed or
    # the document's), to be a number word or a bound prefix, or to be a habitual first part,
    # or the right piece to be a habitual or a listed last part: most pairs are none of these.
    lefts = vocabulary.hyphen_lefts
    if lefts is None:
        vocabulary.hyphenation()  # finds them
        lefts = vocabulary.hyphen_lefts
    if (
        left_lower not in known_heads and left_lower not in lefts and last_lower not in _HYPHEN_LEFTS
        and right_lower not in vocabulary.hyphen_rights and right_lower not in lexicon.hyphenated_last_parts
        and (last is left or (last_lower not in known_heads and last_lower not in lefts))
    ):
        return " "
    compounds, heads, prefixes, suffixes = vocabulary.hyphenation()
    # "U.S.-Russia" when the document writes it so; "34-year" + "old" as "year-old". A
    # compound can be listed only if its first part heads a listed one (a set lookup spares
    # building the string for almost every pair).
    if left_lower in known_heads or left_lower in heads:
        compound = f"{left_lower}-{right_lower}"
        if compound in lexicon.hyphenated or compound in compounds:
            return "-"
    if last is not left and (last_lower in known_heads or last_lower in heads):
        compound = f"{last_lower}-{right_lower}"
        if compound in lexicon.hyphenated or compound in compounds:
            return "-"
    if last_lower in _NUMBER_WORDS and right_lower in lexicon.compound_units and last_lower != "one":
        # "seven-day": a singular noun after a number above one makes a modifier; after "one"
        # the singular is the plain noun ("for one night").
        return "-"
    if last_lower in _TENS and right_lower in _UNITS:
        return "-"  # compound numbers are always hyphenated: "thirty-two"
    if last_lower in _BOUND_PREFIXES and right_lower not in lexicon.function_words:
        return "-"  # "non-commissioned", "anti-government": these prefixes never stand alone
    # A habit of the document: it writes "Police-court", "Church-street" (never after a
    # function word: "the court"; never before a name: "John Reed").
    if (prefixes or suffixes) and right.islower() and left.isalpha():
        if left_lower not in lexicon.function_words:
            for part, habit in ((left_lower, prefixes), (right_lower, suffixes)):
                hyphenated = habit.get(part, 0)
                if hyphenated >= 2 and hyphenated > vocabulary.count_any_case(part):
                    return "-"
    # The press's habit: a street word after a name ("Bryant-street", "Provost-road"; our list
    # is what the tuning corpus hyphenates after many names), unless the document writes such
    # pairs open more often, or the capital only starts a sentence ("Every street").
    if (
        right_lower in lexicon.hyphenated_last_parts and right.islower() and _NAME.fullmatch(left)
        and left_lower not in lexicon.function_words and token_start >= 0
        and not _SENTENCE_BEFORE.search(vocabulary.text, max(0, token_start - 4), token_start)
        and token_start > 0 and vocabulary.hyphenates_after_names(right_lower)
    ):
        return "-"
    return " "


#: Sentence or title context before the run: a capitalised word is expected after it
#: (sentence punctuation, maybe followed by closing quotes or brackets; not a possessive
#: apostrophe: "companies’BBlong-term"; not a semicolon: "sober;BBas sober").
_CAPITAL_EXPECTED = regex.compile(r"[.!?:][”\"’')\]]*$")
_CLOSING = "”\"’')]"
_SENTENCE_MARKS = frozenset(".!?:")


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
    if best.right.lstrip(_LEADING)[:1] in learned and _glyphs_only(best.right, learned):
        # "exclaimed,BBB\"Now", "prisoners.BB-Inspector": what the reading keeps as the right
        # word's start is more of the glyph; read on to the word after it.
        longer = [o for o in usable if o.run_start == best.run_start and o.run_end > best.run_end
                  and not _glyphs_only(o.right, learned)]
        if longer:
            best = max(longer, key=lambda r: r.order(learned))
    right = _strip(best.right)
    if best.after_hyphen and right[:1].isupper() and right[0] in learned:
        # "bed-BBroom", "Kent-BBroad": a doubled glyph after a compound's hyphen, where the
        # compound without it is known and with it is not.
        for other in usable:
            if (
                other.run_start == best.run_start and other.run_end == best.run_end + 1 and other.after_hyphen
                and other.right[:1].islower() and _known_compound(other, lexicon, vocabulary)
                and not _known_compound(best, lexicon, vocabulary)
            ):
                return other
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
        left.rstrip(_CLOSING)[-1:] in _SENTENCE_MARKS  # _CAPITAL_EXPECTED.search(left), sooner
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


_LEADING_CAPITALS = regex.compile(r"\p{Lu}+(?=[-–—\"“”'‘’]|$)")


def _glyphs_only(piece: str, learned: dict[str, float]) -> bool:
    """Is the piece's first word (up to a dash or quote) made of learned capital glyphs only
    ("BB" in 'BB"Now', "B" in "B-Inspector")?"""
    found = _LEADING_CAPITALS.match(piece.lstrip(_LEADING).rstrip(_TRAILING))
    return found is not None and all(c in learned for c in found.group())


def _outranks_rest(readings: list[JoinerSplit]) -> bool:
    """Does the first reading rank above all others by ``order`` whatever is learned: plain,
    a real right-hand word, and every other reading a guess or junk on the right?"""
    first = readings[0]
    return (
        not first.guessed and first.right_zipf >= RIGHT_WORD_ZIPF
        and all(r.guessed or r.right_zipf < RIGHT_WORD_ZIPF for r in readings[1:])
    )


def _read_on(text: str, best: JoinerSplit, span: tuple[int, int, int, int], learned: dict[str, float],
             lexicon: Lexicon, vocabulary: _Vocabulary) -> JoinerSplit:
    """Where the right piece stopped at the next candidate and what it kept is more glyph
    ('exclaimed,BBB"Now', "READER.BH-Cannot"), read on to the end of the token: the longer
    run of learned glyphs whose right piece is a word."""
    start, end, _, token_end = span
    if token_end <= best.run_end + len(best.right):
        return best
    piece_start = best.run_start - len(best.left) - best.after_hyphen
    longer = [
        r for r in _readings(text, start, end, (piece_start, token_end), lexicon, vocabulary)
        if r.run_start == best.run_start and r.run_end > best.run_end and not r.guessed
        and all(c in learned for c in r.run) and not _glyphs_only(r.right, learned)
    ]
    return max(longer, key=lambda r: r.order(learned)) if longer else best


def _known_compound(split: JoinerSplit, lexicon: Lexicon, vocabulary: _Vocabulary) -> bool:
    """Is left + right (without the glyph) a compound our lists or the document know, while
    the document never writes it with the capital ("Richmond-road", not "Richmond-Broad")?"""
    last_part = _strip(split.left).rsplit("-", 1)[-1]
    last = last_part.lower()
    right = _strip(split.right)
    head = right.split("-", 1)[0].lower()
    compounds, _, _, suffixes = vocabulary.hyphenation()
    as_written = f"{last}-{split.run}{right}".lower()
    if compounds.get(as_written, 0) > 1:
        return False  # the document writes it so more than here
    whole = f"{last}-{right}".lower()
    return (
        whole in lexicon.hyphenated or compounds.get(whole, 0) > 0
        or f"{last}-{head}" in lexicon.hyphenated or suffixes.get(head, 0) >= 2
        or (head in lexicon.hyphenated_last_parts and _NAME.fullmatch(last_part) is not None)
    )


def _capitals_split(text: str, start: int, end: int, learned: dict[str, float], lexicon: Lexicon,
                    vocabulary: _Vocabulary) -> JoinerSplit | None:
    """The best split of a run of capitals at one learned capital glyph into two words in
    capitals, both plausible and one common, where the run as written is no word and the glyph
    cannot start the right-hand one."""
    glyphs = [i for i in range(start + 1, end - 2) if text[i] in learned and learned[text[i]] >= GUESS_EVIDENCE]
    if not glyphs:
        return None
    token = _token_bounds(text, start, end)
    if token is None or lexicon.zipf(text[start:end]) > 0:
        return None
    best = None
    for at in glyphs:
        left, right = text[token[0] : at], text[at + 1 : token[1]]
        if len(_strip(right)) < 3 or (len(_strip(left)) < 3 and _strip(left) not in ("A", "I")):
            continue
        left_zipf, right_zipf = word_zipf(left, lexicon, vocabulary), word_zipf(right, lexicon, vocabulary)
        if min(left_zipf, right_zipf) < RIGHT_WORD_ZIPF or max(left_zipf, right_zipf) < GUESS_PARTNER_ZIPF:
            continue
        if word_zipf(text[at : token[1]], lexicon, vocabulary) >= RIGHT_WORD_ZIPF:
            continue  # the capital may start the right-hand word: "WOOLBROKER" is no "WOOL ROKER"
        split = _new_split((at, at + 1, text[at], left, right, left_zipf, right_zipf, False, False))
        if best is None or split.weakest > best.weakest:
            best = split
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


def _capital_starts_a_part(left: str, capital: str, right: str, lexicon: Lexicon) -> bool:
    """Is the run ``capital`` one capital, and does ``left + capital + right`` read as
    written, the capital starting its part: two capitalised words run together as brands and
    products are named ("SigmaPlot", "GraphPad"), or a Roman numeral after an abbreviation
    ("sec.II")? Then taking the capital out gives two words too, but proves nothing about a
    glyph (Freiburg arXiv dev: the only two capitals learned as glyphs there).

    >>> from pipeline.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> _capital_starts_a_part("Sigma", "P", "lot", lex), _capital_starts_a_part("sec.", "I", "II", lex)
    (True, True)
    >>> _capital_starts_a_part("of", "B", "its", lex), _capital_starts_a_part("Moscow", "B", "had", lex)
    (False, False)
    """
    if len(capital) != 1 or not capital.isupper():
        return False
    part = capital + right
    if len(part) >= 2 and part.isupper() and _ROMAN_NUMERAL.fullmatch(part):
        return True
    return (
        len(left) >= 2 and left.istitle() and left.isalpha() and right.isalpha() and right.islower()
        and lexicon.zipf(part.lower()) >= CLEAR_ZIPF
    )


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


def _symbol_before_name(split: JoinerSplit, learned: dict[str, float]) -> bool:
    """Symbols alone, glued between a word and a capitalised word ("Agricultural&Hall",
    "Mr.&Best"), in a document already seen gluing words: the symbols are the glyph even
    unlearned, and the capital stays with its word rather than riding along as a learned
    glyph. In clean text the same shape is a name or a breadcrumb ("Procter&Gamble",
    "Tom&Jerry", "Home•News"), so the caller asks for the damage first."""
    if split.guessed or split.after_hyphen or any(c.isalnum() for c in split.run):
        return False
    right = _strip(split.right)
    # Capitals that are themselves learned glyphs go with the run instead ("the®BUN").
    return right[:1].isupper() and right[1:2].islower() and split.weakest >= RIGHT_WORD_ZIPF


def _clear_lowercase_pair(split: JoinerSplit, learned: dict[str, float], text: str) -> bool:
    """In a document with an established joiner, a split of a single glyph between two
    lowercase words is the extractor's second glyph, seen once ("theyRapproached",
    "joy&which", "the unwaryEthat arrive"): words carry no capital or symbol between two
    words of their own."""
    if split.guessed or split.after_hyphen or split.weakest < PAIR_ZIPF:
        return False
    start = split.run_start - len(split.left)
    if start > 0 and text[start - 1].isalpha() and text[start - 1] not in learned:
        return False  # the left piece is the tail of a word ("ou" of "~YouTube" after a glyph)
    if any(c not in learned for c in split.run[:-1]) or len(split.run) > 2:
        return False
    left, right = _strip(split.left), _strip(split.right)
    return left.isalpha() and left.islower() and right.isalpha() and right.islower()


@functools.lru_cache(maxsize=65536)
def _confidence(evidence: float, weakest: float) -> float:
    # Glyph reliability: one clear split in the document gives 0.5, four give 0.8, more -> 1.
    reliability = evidence / (evidence + 1.0)
    # Piece plausibility: a common word (Zipf >= 4) ~0.97, a rare name (Zipf 1.2) ~0.6.
    # Frequencies have two decimals (564 values in wordfreq's English list) while the pairs
    # with the evidence are many: each factor is memoised on its own.
    plausibility = _PLAUSIBILITY.get(weakest)
    if plausibility is None:
        plausibility = 1.0 - 0.5 * math.exp(-0.8 * max(weakest - 0.4, 0.0))
        if len(_PLAUSIBILITY) < SAID_CACHE_SIZE:
            _PLAUSIBILITY[weakest] = plausibility
    return _thousandths(reliability * plausibility)


def _thousandths(value: float) -> float:
    """``round(value, 3)``, sooner for 0 < value < 1000 (a confidence): ``value * 1000`` is
    off its exact product by under 1e-10, so away from a tie its nearest integer n is the
    exact one, and ``n / 1000`` (exact operands, one rounding) is the float nearest n/1000,
    which is what round() returns. Near a tie, or outside the range, round() decides."""
    scaled = value * 1000.0
    whole = math.floor(scaled) if 0.0 < value < 1000.0 else 0
    fraction = scaled - whole
    if 0.0 < value < 1000.0 and not 0.4999 < fraction < 0.5001:
        return (whole + (fraction > 0.5)) / 1000.0
    return round(value, 3)


#: _confidence's plausibility by the weaker piece's frequency.
_PLAUSIBILITY: dict[float, float] = {}


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
        self.text = text
        self.paragraph_starts: list[int] = []
        self.paragraph_ends: list[int] = []

    def _paragraphs(self) -> None:
        # Found on the first question only: most documents ask none.
        self.paragraph_starts.append(0)
        for blank in self._BLANK_LINE.finditer(self.text):
            self.paragraph_ends.append(blank.start())
            self.paragraph_starts.append(blank.end())
        self.paragraph_ends.append(len(self.text))

    def expects(self, position: int) -> bool:
        if self.range is None:
            return False
        if not self.paragraph_starts:
            self._paragraphs()
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


def _repair_pass(text: str, lexicon: Lexicon, config: Config) -> JoinerResult:
    """One pass: learn the glyphs of ``text`` and return the edits that split on them."""
    capitals: list[tuple[int, int]] = []
    matches = candidate_runs(text, capitals)
    if not matches:
        return JoinerResult([], {})
    vocabulary = _Vocabulary(text)
    known_zipf = vocabulary.zipf_cache.get  # word_zipf's own memo, asked first in the hot path
    zipf_memo = vocabulary.zipf_cache
    plain_word = lexicon.piece_cache.get  # and the process-wide one behind it
    frequency = lexicon.frequencies.get

    # Step 1: candidates and their readings. For the fixed point (see repair_joiners), each
    # match is also kept as a candidate's span, or as a word as written with its token.
    candidates: list[list[JoinerSplit]] = []
    spans: list[tuple[int, int, int, int]] = []
    as_written: list[tuple[int, int, int, int]] = []
    unread: list[tuple[int, int]] = []
    after_hyphen: list[JoinerSplit] = []
    general: list[int] = []  # candidates not of the common shape, scored in step 2
    evidence: Counter = Counter()
    for glyph, weight in config.glyph_prior:
        evidence[glyph] += weight
    seen_tokens: set[str] = set()
    clear: list[tuple[int, str]] = []
    length = len(text)
    rfind, find = text.rfind, text.find
    last_match = len(matches) - 1
    for index, (match_start, match_end) in enumerate(matches):
        # _token_bounds's fast path, inline (it keeps the token's text too); the call where
        # that path does not apply.
        token = None
        low = match_start - MAX_TOKEN if match_start > MAX_TOKEN else 0
        left = rfind(" ", low, match_start)
        # A newline counts only after that space: looked for in the few characters between
        # (a slice and ``in`` cost less than a bounded rfind's arguments).
        if "\n" in text[left + 1 if left >= 0 else low : match_start]:
            newline = rfind("\n", low, match_start)
            left = (left if left > newline else newline) + 1  # max(), without the call
        else:
            left += 1
        if left or not low:
            high = match_end + MAX_TOKEN
            right = find(" ", match_end, high)
            stop = right if right >= 0 else high
            newline = find("\n", match_end, stop) if "\n" in text[match_end:stop] else -1
            if newline >= 0:
                right = newline
            elif right < 0 and high >= length:
                right = length
            if right >= 0:
                token_text = text[left:right]
                if token_text.isprintable():
                    if right - left > MAX_TOKEN:
                        continue
                    token = (left, right)
        if token is None:
            token = _token_bounds(text, match_start, match_end)
            if token is None:
                continue
            token_text = text[token[0] : token[1]]
        if "://" in token_text or "www." in token_text or "WWW." in token_text:
            continue
        # Another candidate run in the same token ("aBthreeBweek") bounds this one's pieces.
        piece_start, piece_end = token
        whole = True  # (piece_start, piece_end) == token
        if index and matches[index - 1][1] > piece_start:
            piece_start = matches[index - 1][1]
            whole = False
        if index < last_match and matches[index + 1][0] < piece_end:
            piece_end = matches[index + 1][0]
            whole = False
        before = text[match_start - 1]
        if (
            match_end - match_start == 1 and whole
            and (before.islower() or (before not in "&%-‐!?" and not before.isupper()))
        ):
            # The common shape, "ofBits" alone in its token: _readings' single reading and
            # _is_word_as_written's test, inline (a third of the stage's time on damaged news).
            left, right = text[piece_start:match_start], text[match_end:piece_end]
            # word_zipf, whose answer for a common plain word needs neither the document nor
            # a call: the process-wide memo's frequency as it stands.
            left_zipf = known_zipf(left)
            if left_zipf is None:
                entry = plain_word(left)
                if entry is not None and entry[0] >= 3.0 and entry[1] is not None:
                    left_zipf = zipf_memo[left] = entry[0]
                else:
                    left_zipf = _zipf_of_entry(left, entry, lexicon, vocabulary)
            if left_zipf > 0 and left not in _DASHES:
                right_zipf = known_zipf(right)
                if right_zipf is None:
                    entry = plain_word(right)
                    if entry is not None and entry[0] >= 3.0 and entry[1] is not None:
                        right_zipf = zipf_memo[right] = entry[0]
                    else:
                        right_zipf = _zipf_of_entry(right, entry, lexicon, vocabulary)
                if right_zipf > 0 and right not in _DASHES:
                    if "-" not in token_text and "–" not in token_text and "—" not in token_text:
                        core = token_text.lstrip(_LEADING).rstrip(_TRAILING)
                        threshold = WHOLE_WORD_ZIPF if core[:1].isupper() else CAMEL_WORD_ZIPF
                        # lexicon.zipf(core), inline
                        key = core.lower()
                        whole = frequency(key)
                        if whole is None and not key.isascii():
                            whole = frequency(key.translate(_APOSTROPHES))
                        if (whole or 0.0) >= threshold or (
                            ("'" in core or "’" in core) and lexicon.zipf(_POSSESSIVE.sub("", core)) >= threshold
                        ):
                            as_written.append((match_start, match_end) + token)
                            continue
                    elif _is_word_as_written(text, token, match_start, lexicon):
                        as_written.append((match_start, match_end) + token)
                        continue
                    glyph = text[match_start]
                    if left_zipf >= CLEAR_ZIPF and right_zipf >= CLEAR_ZIPF:
                        # Step 2 for this one now: its only reading is its best.
                        left_core = left.lstrip(_LEADING).rstrip(_TRAILING)
                        right_core = right.lstrip(_LEADING).rstrip(_TRAILING)
                        # _clear_pieces, whose first answer is the common one: two words.
                        # _capital_starts_a_part is false when both parts start in lowercase
                        # ("ofBits": no part starts with the capital, and no Roman numeral).
                        if (
                            ((left_core[:1].isalpha() and right_core[:1].isalpha()) or _clear_pieces(left_core, right_core))
                            and (
                                (left_core[:1].islower() and right_core[:1].islower())
                                or not _capital_starts_a_part(left_core, glyph, right_core, lexicon)
                            )
                        ):
                            clear.append((len(candidates), glyph))
                            pair = left_core + glyph + right_core
                            evidence[glyph] += REPEAT_WEIGHT if pair in seen_tokens else 1.0
                            seen_tokens.add(pair)
                    candidates.append([_new_split((match_start, match_end, glyph, left, right,
                                                   left_zipf, right_zipf, False, False))])
                    spans.append((match_start, match_end) + token)
                    continue
        general.append(len(candidates))
        if (
            match_end - match_start >= 2 and piece_start < match_start and text[match_start].isupper()
            and not before.isupper() and before not in "&‐" and whole
            and "-" not in token_text and "–" not in token_text and "—" not in token_text
        ):
            # The next commonest shape, a run that starts with a capital after no capital, alone
            # in a token without dashes ("inBGeneva", "ofBBthe", "said,BThe"): _readings'
            # readings (the run may leave its last capitals to the right word), inline, then
            # _is_word_as_written's test. The run starts where it is matched (no "&" or capital
            # before it), no hyphen ends the left piece, and no dash check applies.
            readings = []
            left = text[piece_start:match_start]
            left_zipf = known_zipf(left)
            if left_zipf is None:
                left_zipf = word_zipf(left, lexicon, vocabulary)
            for cut in range(match_start + 1, match_end + 1):
                right = text[cut:piece_end]
                if not right:
                    continue
                right_zipf = known_zipf(right)
                if right_zipf is None:
                    right_zipf = word_zipf(right, lexicon, vocabulary)
                if left_zipf > 0 and right_zipf > 0:
                    readings.append(_new_split((match_start, cut, text[match_start:cut], left, right, left_zipf,
                                                right_zipf, False, False)))
                elif (
                    left_zipf <= 0 and right_zipf >= GUESS_LOOSE_PARTNER_ZIPF
                    and (_UNKNOWN_LEFT.fullmatch(left) or _LONE_CAPITAL.fullmatch(left))
                ) or (
                    right_zipf <= 0 and left_zipf >= GUESS_LOOSE_PARTNER_ZIPF and (
                        # (_UNKNOWN_RIGHT and _LONE_CAPITAL start with a capital or an opener.)
                        (not right[0].islower() and (_UNKNOWN_RIGHT.fullmatch(right) or _LONE_CAPITAL.fullmatch(right)))
                        or (_LOWER_LEFT.fullmatch(left) and _UNKNOWN_LOWER_RIGHT.fullmatch(right))
                    )
                ):
                    readings.append(_new_split((match_start, cut, text[match_start:cut], left, right,
                                                max(left_zipf, 1.0), max(right_zipf, 1.0), False, True)))
            if not readings:
                unread.append((match_start, match_end) + token)
                general.pop()
                continue
            if _is_word_as_written(text, token, match_start, lexicon):
                as_written.append((match_start, match_end) + token)
                general.pop()
                continue
            candidates.append(readings)
            spans.append((match_start, match_end) + token)
            continue
        readings = _readings(text, match_start, match_end, (piece_start, piece_end), lexicon, vocabulary)
        if not whole and all(r.guessed for r in readings):
            # The neighbour was no glyph after all ("FatahBal-Haleb": the H starts "Haleb";
            # "U.S.-RussiaBmilitary": the R starts "Russia").
            readings = readings + _readings(text, match_start, match_end, token, lexicon, vocabulary)
        if not readings:
            unread.append((match_start, match_end) + token)  # no reading now; the repaired text may give one
        elif _is_word_as_written(text, token, match_start, lexicon) or (
            not whole and _is_word_as_written(text, (piece_start, piece_end), match_start, lexicon)
        ):
            as_written.append((match_start, match_end) + token)
            if readings[0].after_hyphen and match_end - match_start == 1:
                after_hyphen.extend(r for r in readings if r.after_hyphen and not r.guessed and r.right[:1].islower())
        else:
            candidates.append(readings)
            spans.append((match_start, match_end) + token)
            continue
        general.pop()

    # Step 2: evidence per character, from clear splits only (the common shape was counted
    # in step 1; the order does not matter).
    for index in general:
        readings = candidates[index]
        best = readings[0]
        if len(readings) > 1 and not _outranks_rest(readings):
            best = max(readings, key=lambda r: r.order(None))
        if best.guessed or best.weakest < CLEAR_ZIPF:
            continue
        left, right = _strip(best.left), _strip(best.right)
        if _clear_pieces(left, right) and not _capital_starts_a_part(left, best.run, right, lexicon):
            clear.append((index, best.run))
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
    for index in general:  # a candidate of the common shape has one reading, of one glyph
        readings = candidates[index]
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

    # Each decision becomes its edit at once (the common case is most of them).
    edits: list[Edit] = []
    positions: list[int] = []
    described: dict[str, tuple[str, str]] = {}
    # For the fixed point: matches an applied split leaves characters of, and candidates left.
    # A rare piece an applied split sets free may now stand alone often enough to count.
    wide: list[tuple[int, int, int, str]] = []
    freed: set[str] = set()
    kept: list[int] = []
    min_confidence = config.min_confidence
    said_pieces = _SAID_PIECES
    known_rounding = _ROUNDED.get

    def emit(split: JoinerSplit, confidence: float, index: int) -> None:
        run_start, run_end, run, left, right, left_zipf, right_zipf, after_hyphen, guessed = split
        if after_hyphen:
            after = ""
        elif left[-1] in _TRAILING or right[0] in _LEADING:
            after = " "  # _replace's first answers, without the call
        else:
            after = _replace(left, right, after_hyphen, lexicon, vocabulary, run_start - len(left) - after_hyphen)
        rounded = known_rounding(confidence)
        if rounded is None:
            rounded = _round3(confidence)
        confidence = rounded
        if confidence < min_confidence:
            if index >= 0:
                kept.append(index)
        else:
            if index >= 0:
                span = spans[index]
                if span[0] != run_start or span[1] != run_end:
                    wide.append((index, run_start, run_end, after))
            if left_zipf <= CLEAR_ZIPF:
                freed.add(_strip(left))
            if right_zipf <= CLEAR_ZIPF:
                freed.add(_strip(right))
        said = described.get(run)
        if said is None:
            counts = "; ".join(f"{c!r}: {evidence.get(c, 0):g} clear splits" for c in dict.fromkeys(run))
            rhythm_note = "" if any(c in learned for c in run) else "; where the rhythm of old line ends expects a joiner"
            said = described[run] = (f"glyph {run!r} ({counts}) between ", rhythm_note)
        known = said_pieces.get(left)
        left_said = known[1] if known is not None and known[0] == left_zipf else _said_piece(left, left_zipf)
        known = said_pieces.get(right)
        right_said = known[1] if known is not None and known[0] == right_zipf else _said_piece(right, right_zipf)
        if guessed:
            why = f"{said[0]}{left_said} and {right_said}; one side is an unknown word{said[1]}"
        else:
            why = f"{said[0]}{left_said} and {right_said}{said[1]}"
        edits.append(_new_edit((run_start, run_end, run, after, "joiner", confidence, why)))
        positions.append(run_start)

    undecided: list[int] = []
    # A document whose extractor is seen gluing words at every line end.
    damaged = any(n >= STRONG_EVIDENCE for n in learned.values())
    # One whose joiner is established, if the document is short (a glyph per old line end:
    # a 200-word article has a dozen). A second glyph seen once between lowercase words
    # needs no more: modern hand-written set damaged like the seed, 27 -> 17 errors left,
    # BLN600 train and Freiburg dev unchanged.
    established = any(n >= GUESS_EVIDENCE for n in learned.values())
    learned_strength = learned.get
    for index, readings in enumerate(candidates):
        best = readings[0]
        if len(readings) == 1 and not best[8]:  # not guessed
            run = best[2]
            strength = learned_strength(run)
            # (A run of one character is learned or not: its get above said which.)
            if strength is None and len(run) > 1 and all(c in learned for c in run):
                strength = min(learned[c] for c in run)
            if strength is not None:
                # The common case, one reading made of established joiners: nothing to choose.
                if best[4][0] in learned and _glyphs_only(best[4], learned):
                    best = _read_on(text, best, spans[index], learned, lexicon, vocabulary)
                    strength = learned[best.run] if best.run in learned else min(learned[c] for c in best.run)
                left_zipf, right_zipf = best[5], best[6]
                emit(best, _confidence(strength, right_zipf if right_zipf < left_zipf else left_zipf), index)
                continue
        if (
            best.right[0] not in learned and not best.right.isupper() and not best.after_hyphen
            and all(c in learned for c in best.run) and _outranks_rest(readings)
        ):
            # "inBGeneva": a plain reading made of joiners that keeps a word whole, the others
            # guesses or junk (which rank below it and cannot pass for a doubled glyph's common
            # word): the general choice below would pick it too, so take it without ranking.
            best = _prefer_lowercase_word(best, [best], learned, lexicon, vocabulary, doubles)
            if best.right[0] in learned and _glyphs_only(best.right, learned):
                best = _read_on(text, best, spans[index], learned, lexicon, vocabulary)
            emit(best, _confidence(min(learned[c] for c in best.run), best.weakest), index)
            continue
        if len(readings) == 2:
            second = readings[1]
            right = second[4]
            if (
                not second[8] and not second[7] and second[6] >= RIGHT_WORD_ZIPF
                and (best[8] or best[6] < RIGHT_WORD_ZIPF)
                and right[0].islower() and right[0] not in learned and all(c in learned for c in second[2])
            ):
                # "ofBBthe": the longer run of joiners leaves a real lowercase word, the shorter a
                # guess or junk ("Bthe"). The general choice below ranks it first, and
                # _prefer_lowercase_word keeps a lowercase word: take it without ranking.
                emit(second, _confidence(min(learned[c] for c in second[2]), second.weakest), index)
                continue
        usable = [
            r for r in readings
            if (any(c in learned for c in r.run) and (not r.guessed or _guess_allowed(r, learned)))
            or (damaged and _symbol_before_name(r, learned))
        ]
        # A letter that is no established joiner rides along only into a clear word
        # ("othersBEwaited"), or into a plain word where the only other reading is a guess
        # ("theBHlodgers"); never into junk ("WilliamBRasser" is not "William asser").
        proven = [r for r in usable if all(c in learned or not c.isalpha() for c in r.run)]
        fallback_zipf = RIGHT_WORD_ZIPF if all(r.guessed for r in proven) else CLEAR_ZIPF
        usable = [r for r in usable if r in proven or (not r.guessed and r.right_zipf >= fallback_zipf)]
        if not usable:
            undecided.append(index)
            continue
        best = _prefer_lowercase_word(max(usable, key=lambda r: r.order(learned)), usable, learned, lexicon, vocabulary, doubles)
        if best.right[0] in learned and _glyphs_only(best.right, learned):
            best = _read_on(text, best, spans[index], learned, lexicon, vocabulary)
        if not any(c in learned for c in best.run):
            emit(best, LONE_SYMBOL_CONFIDENCE, index)  # a symbol before a name, by its shape
            continue
        strength = min(learned[c] for c in best.run if c in learned)
        # A character trusted only for standing beside a joiner costs a little certainty.
        unproven = sum(1 for c in best.run if c not in learned)
        confidence = _confidence(strength, best.weakest) * (0.9**unproven) * (GUESSED_FACTOR if best.guessed else 1.0)
        emit(best, confidence, index)

    # Step 3b: words as written that only a learned glyph makes so. After a hyphen, a
    # learned capital before a compound's last part the document or our lists know
    # ("Richmond-Broad" where "-road" is the document's habit, "breakfast-Broom").
    for split in after_hyphen:
        strength = learned.get(split.run, 0.0)
        if strength >= GUESS_EVIDENCE and _known_compound(split, lexicon, vocabulary):
            emit(split, _confidence(strength, split.weakest), -1)
    # Two words in capitals glued by a learned capital ("MARGARETBHUNTER", "ABHAWKER").
    for start, end in capitals:
        split = _capitals_split(text, start, end, learned, lexicon, vocabulary)
        if split is not None:
            emit(split, _confidence(learned[split.run], split.weakest), -1)

    # Two names glued by a capital the document glues with all along ("FredericaBFurneau",
    # "TyssonBAmhurst"): no dictionary reads either, but a capital between two capitalised
    # words is no word's own ("SigmaPlot" has one capital at the joint, not two).
    # (The candidate run takes the name's capital too: "BF" in "FredericaBFurneau".)
    for start, _, t0, t1 in unread:
        glyph = text[start]
        if learned.get(glyph, 0.0) < STRONG_EVIDENCE or not glyph.isupper():
            continue
        strength = learned[glyph]
        left, right = text[t0:start], text[start + 1 : t1]
        if _GLUED_NAME.fullmatch(left) and _GLUED_NAME_RIGHT.fullmatch(right):
            split = _new_split((start, start + 1, glyph, left, right, word_zipf(left, lexicon, vocabulary),
                                word_zipf(right, lexicon, vocabulary), False, True))
            emit(split, _confidence(strength, RIGHT_WORD_ZIPF) * GUESSED_FACTOR, -1)

    # Step 4: a glyph too rare to learn, where the rhythm of old line ends expects a joiner.
    rhythm = _Rhythm(positions, text)
    by_rhythm = 0
    for index in undecided:
        readings = candidates[index]
        # Where the rhythm expects a joiner, a name or a rare word beside a common one will do
        # ("Wilmshurst,Ethe", "andEemetics").
        plain = [
            r for r in readings
            if (not r.guessed and r.weakest >= RIGHT_WORD_ZIPF)
            or (max(r.left_zipf, r.right_zipf) >= GUESS_PARTNER_ZIPF and r.weakest >= 1.0)
        ]
        if not plain:
            kept.append(index)
            continue
        best = _prefer_lowercase_word(max(plain, key=lambda r: r.order(None)), plain, {}, lexicon, vocabulary)
        if rhythm.expects(best.run_start):
            emit(best, 0.75 * _confidence(max(evidence.get(best.run[0], 0.0), 1.0), best.weakest) + 0.25, index)
            by_rhythm += 1
        elif _lone_symbol_joiner(best):
            emit(best, LONE_SYMBOL_CONFIDENCE, index)
        elif established and _clear_lowercase_pair(best, learned, text):
            emit(best, SECOND_GLYPH_CONFIDENCE, index)
        else:
            kept.append(index)

    edits.sort(key=_START)
    per_glyph: Counter = Counter()
    per_glyph.update(map(_BEFORE, edits))
    result = JoinerResult(edits, learned, candidates=len(candidates), per_glyph=per_glyph, by_rhythm=by_rhythm,
                          line_lengths=rhythm.range)
    result.pass_state = (spans, candidates, dict(clear), as_written, unread, wide, kept, freed)
    return result


#: How a piece reads in an edit's reason, with the frequency it was said with: piece ->
#: (Zipf, text). Pieces recur across documents ("the", "of"), and formatting them was a good
#: part of making an edit. A piece the document's vocabulary rates otherwise is said anew.
_SAID_PIECES: dict[str, tuple[float, str]] = {}
#: round(confidence, 3) by confidence: few values recur, and round() is slow on floats.
_ROUNDED: dict[float, float] = {}


#: A frequency as a reason writes it, by frequency: a few hundred values recur, and
#: formatting a float is a good part of saying a piece first seen.
_SAID_ZIPF: dict[float, str] = {}


def _said_piece(piece: str, zipf: float) -> str:
    """How ``piece`` reads in a reason: ``'of' (Zipf 7.4)``; memoised."""
    number = _SAID_ZIPF.get(zipf) if zipf > 0 else None
    if number is None:
        number = f"{zipf:.1f}"
        if zipf > 0 and len(_SAID_ZIPF) < SAID_CACHE_SIZE:
            _SAID_ZIPF[zipf] = number
    said = f"{piece!r} (Zipf {number})"
    # Only positive values are kept: 0.0 and -0.0 are equal, and would read alike.
    if zipf > 0 and len(_SAID_PIECES) < SAID_CACHE_SIZE:
        _SAID_PIECES[piece] = (zipf, said)
    return said


def _round3(confidence: float) -> float:
    rounded = _thousandths(confidence)
    if confidence > 0 and len(_ROUNDED) < SAID_CACHE_SIZE:
        _ROUNDED[confidence] = rounded
    return rounded


#: Passes at most: the first, and re-learning passes while the repaired text teaches more.
MAX_PASSES = 3


def _may_learn_more(text: str, result: JoinerResult, applied: list[Edit], lexicon: Lexicon, config: Config) -> bool:
    """Could a fresh pass over the repaired text learn a glyph it would split on? Only from
    candidate characters the applied edits left inside a word, and only where a character has
    enough of them (each clear split counts at most 1) to reach MIN_EVIDENCE.

    A candidate left whole, in a token no edit touched, reads the same again unless one of
    its pieces is a rare word an applied split set free (the vocabulary lends a word seen
    twice some plausibility); a word as written stays one unless its token changed; a capital that
    now starts a word ("in Geneva") is no candidate. Cheap: only what the pass left is looked
    at, not every candidate.
    """
    spans, candidates, clear, as_written, unread, wide, kept, freed = result.pass_state
    edit_starts = [e[0] for e in applied]  # the starts, by index (cheaper than the field name)

    def touched(t0: int, t1: int) -> bool:
        at = bisect.bisect_left(edit_starts, t0)
        return at < len(edit_starts) and edit_starts[at] < t1

    def may_gain(piece: str) -> bool:
        return bool(freed) and _strip(piece) in freed

    left: Counter = Counter()
    for index, run_start, run_end, after in wide:
        start, end = spans[index][:2]
        left.update(text[start:run_start])
        left.update(text[run_end + (after == " ") : end])  # a capital now starting a word is none
    for index in kept:
        start, end, t0, t1 = spans[index]
        if touched(t0, t1) or any(may_gain(r.left) or may_gain(r.right) for r in candidates[index]):
            left.update(text[start:end])
        elif index in clear:
            run = clear[index]  # it gives the same clear split again
            for char in run:
                left[char] += 1 / len(run)
    for start, end, t0, t1 in unread:
        if touched(t0, t1) or may_gain(text[t0:start]) or any(may_gain(text[cut:t1]) for cut in range(start + 1, end + 1)):
            left.update(text[start:end])
    for start, end, t0, t1 in as_written:
        if touched(t0, t1):
            left.update(text[start:end])
    prior = dict(config.glyph_prior)
    return any(n + prior.get(c, 0.0) >= MIN_EVIDENCE for c, n in left.items())


def repair_joiners(text: str, lexicon: Lexicon, config: Config | None = None) -> JoinerResult:
    """Learn this document's joiner glyphs and return the edits that split on them.

    Repairs change the document's vocabulary, and a glyph too rare to learn may find its
    evidence in the repaired text ("ofBinBntBorBhs KerTerThe Ker KerThe": "T" is learned once
    the "B" joiners are gone). So the stage re-learns on its own repaired text, while that
    text still teaches it to split, and returns edits that reach that fixed point at once:
    cleaning the output again changes nothing.

    >>> from pipeline.lexicon import load_lexicon
    >>> from pipeline.edits import apply_edits
    >>> text = "ofBinBntBorBhs KerTerThe Ker KerThe"
    >>> once = apply_edits(text, repair_joiners(text, load_lexicon()).edits)
    >>> repair_joiners(once, load_lexicon()).edits
    []
    """
    config = config or Config()
    result = _repair_pass(text, lexicon, config)
    if not result.edits:
        return result
    total = JoinerResult(result.edits, dict(result.glyphs), candidates=result.candidates,
                         per_glyph=Counter(result.per_glyph), by_rhythm=result.by_rhythm,
                         line_lengths=result.line_lengths)
    applied_log: list[Edit] = []
    current = text
    for _ in range(MAX_PASSES - 1):
        minimum = config.min_confidence
        applied = [e for e in result.edits if e[5] >= minimum]  # by confidence
        if not applied or not _may_learn_more(current, result, applied, lexicon, config):
            break
        repaired = apply_edits(current, applied)
        again = _repair_pass(repaired, lexicon, config)
        if not any(e.confidence >= config.min_confidence for e in again.edits):
            break
        applied_log = compose(text, applied_log, applied)
        current, result = repaired, again
        for glyph, evidence in again.glyphs.items():
            total.glyphs[glyph] = max(evidence, total.glyphs.get(glyph, 0.0))
        total.per_glyph.update(again.per_glyph)
        total.by_rhythm += again.by_rhythm
    total.edits = compose(text, applied_log, result.edits) if applied_log else result.edits
    return total
