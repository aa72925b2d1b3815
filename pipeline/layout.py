"""Layout repairs: spaces that extraction lost, and hard-wrapped lines back into paragraphs.

Two stages, both returning :class:`~pipeline.edits.Edit` lists against the text they get:

* :func:`spacing_edits` inserts a space where one was lost (``September 22,2016``,
  ``U.S.Secretary``, ``However,the``); rule ``missing_space``.
* :func:`layout_edits` finds out whether the document was hard-wrapped at some width and, if
  so, joins the lines a width forced apart (``reflow``), rejoins words broken at a line-end
  hyphen (``line_end_hyphen``), removes blank lines that a page break left inside a sentence
  (``page_break``); it also trims stray spaces (``trim_space``).

>>> from pipeline.edits import apply_edits
>>> lex = load_lexicon()
>>> text = ("It was hard to escape the impression that Moscow decided to bomb its way out\\n"
...         "of its most important achievement in Geneva, which it had sought for months.\\n")
>>> apply_edits(text, layout_edits(text, lex, Config()))[:90]
'It was hard to escape the impression that Moscow decided to bomb its way out of its most i'
>>> apply_edits("On September 22,2016 the U.S.Secretary spoke.", spacing_edits(
...     "On September 22,2016 the U.S.Secretary spoke.", lex, Config()))
'On September 22, 2016 the U.S. Secretary spoke.'

Design notes
------------
Wrap detection looks only at *interior* lines (a non-blank line followed by a non-blank
line): in a wrapped document they cluster just under the width, while a document with one
line per paragraph has almost none, and lists, poems and tables have interior lines that do
not show the two signs of wrapping together (lengths close to one width, and breaks in
mid-sentence). Breaks that must stay whatever the width (before a list item or an indented
line, around a table or a heading: "blocked") are left out of the statistics. Every break
that shows a sign of continuing (a function word, a comma, a hyphen, a lowercase next line)
and is not blocked is joined, so a reflowed output has no such break left and is not seen as
wrapped again: the stage is idempotent by construction, not by luck. The features that
decide "continues" and "blocked" therefore never depend on the estimated width, and a join
never changes them for the lines around it (it can only make a line a heading, which blocks
more).

Text order of the edits is the order they are made in; nothing is sorted.

Line-end hyphens: decided only where lines are joined. With ``keeps_lines`` the break is
real and the hyphen stays as written; with ``dehyphenate`` off a hyphen break is left alone
(no join either: ``cease- fire`` would be worse than the break).
"""

from __future__ import annotations

import itertools
import math
import re

import regex

from .config import Config
from .edits import Edit, _new_edit
from .lexicon import Lexicon, load_lexicon

__all__ = ["layout_edits", "spacing_edits", "is_wrapped"]

# =============================================================================================
# Missing spaces
# =============================================================================================

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBREVIATIONS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
# "September 22,2016", "Sept. 21,2016": the year is four digits that stop there, so
# thousands ("22,000": three digits) and number lists ("1,2016,2017") never match. Month
# and day may sit either side of one line break, with any stray spaces that layout trims
# later (the date must be seen the same before and after that trim).
_DATE_COMMA = regex.compile(
    rf"\b(?:(?:{_MONTHS})|(?:{_MONTH_ABBREVIATIONS})\.?)(?:[ \u00a0]|[ \t\u00a0]*\r?\n[ \t]*)?\d{{1,2}},"
    r"(?=(?:1[0-9]|20)\d\d(?!\d|[.,]\d))"
)
# "Sept.21": a month abbreviation glued to its day. Not before a decimal; the comma after
# the day may itself be glued ("Sept.21,2016"), and both insertions are made in one pass.
_MONTH_DAY = regex.compile(rf"\b(?:{_MONTH_ABBREVIATIONS})\.(?=\d{{1,2}}(?!\d|\.\d))")
#: What a _MONTH_DAY match needs, found faster.
_DOT_DIGIT = regex.compile(r"\.\d")
# A period glued to a capitalised word: candidates only; the token decides.
_GLUED_PERIOD = regex.compile(r"(?<=\p{L})\.(?=\p{Lu}\p{Ll})")
# A comma glued between two words; chains of three or more ("red,green,blue") are data.
# The cheap pattern finds candidates (a comma directly before a letter, rare in prose); the
# two anchored ones read the words either side. One pattern doing all three ran at 9 MB/s.
_COMMA_BEFORE_LETTER = re.compile(r",(?=[^\W\d_])")
_WORD_BEFORE_COMMA = regex.compile(r"(?<![\p{L}\p{N},'’])\p{L}{2,}(?:['’]\p{L}+)?$")
_WORD_AFTER_COMMA = regex.compile(r"\p{L}{2,}(?![\p{L}\p{N}]|,[\p{L}\p{N}])")
#: Initials before a name, glued or spaced ("D.Petrov", "J. R. R. Tolkien"), for the
#: document's style; a word character before the first initial would make it part of a word.
_INITIALS_GLUED = regex.compile(r"(?<![\p{L}\p{N}.])(?:\p{Lu}\.)+\p{Lu}\p{Ll}")
_INITIALS_SPACED = regex.compile(r"(?<![\p{L}\p{N}.])(?:\p{Lu}\. ?)*\p{Lu}\. \p{Lu}\p{Ll}")
#: Counting stops here: the verdict only needs to compare the two counts.
_STYLE_LIMIT = 50
#: Longest abbreviation in a citation chain ("Phys", "Nucl", "Proc", "Natl").
_ABBREVIATION_LETTERS = 5
_CHAIN = regex.compile(r"[\p{L}\p{N}]+(?:\.[\p{L}\p{N}]+)+")
# Signs that a token is an address, a path or code rather than prose.
_URLISH = regex.compile(r"://|(?i:www)\.|@|/|\\|=|_|#|\.[a-z]{2,4}\b(?!\.)")
# Name parts that make a dotted token a domain or a file name ("Amazon.Com", "Setup.Exe").
_FILE_PARTS = frozenset(
    "com org net edu gov mil int biz info html htm php asp aspx jsp txt pdf doc docx xls xlsx "
    "ppt pptx csv jpg jpeg png gif svg xml json yaml yml exe dll zip tar mov mp4 wav".split()
)
_SPACE = re.compile(r"\s")
_LAST_SPACE = re.compile(r"\s(?=\S*\Z)")
#: Tokens longer than this are not prose; looking further would make a giant token quadratic.
_TOKEN_WINDOW = 100

# How sure each insertion is. The date pattern is specific enough that only a typo in a
# number list could fool it; an abbreviation before a capitalised word is nearly always a
# lost space; a sentence word before one could also be a product or code name.
_CONF_DATE = 0.9
_CONF_MONTH_DAY = 0.85
_CONF_ABBREVIATION = 0.8
_CONF_INITIALS = 0.75
_CONF_SENTENCE = 0.7
_CONF_COMMA = 0.75
_CONF_WEAK = 0.55
#: Zipf frequency above which a word is a common word rather than a rare name or noise
#: ("the" 7.7, "Secretary" 5.0, "Tolkien" 3.2, junk such as "ofb" about 1.5).
_COMMON_ZIPF = 3.0


def _token_bounds(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The whitespace-delimited token around ``text[start:end]``, or None when it is longer
    than :data:`_TOKEN_WINDOW` (not prose, and not worth the scan). The limit is on the whole
    token, not on each side of the match: an insertion splits a token, and its parts must
    not become eligible where the whole was not."""
    lo = max(0, start - _TOKEN_WINDOW)
    m = _LAST_SPACE.search(text, lo, start)
    if m is None and lo > 0:
        return None
    a = m.end() if m else lo
    hi = min(len(text), end + _TOKEN_WINDOW)
    m = _SPACE.search(text, end, hi)
    if m is None and hi < len(text):
        return None
    b = m.start() if m else hi
    return (a, b) if b - a <= _TOKEN_WINDOW else None


def _plain_token(text: str, start: int, end: int) -> bool:
    """Is the token around ``text[start:end]`` of a size and shape that prose has?"""
    bounds = _token_bounds(text, start, end)
    return bounds is not None and _URLISH.search(text, bounds[0], bounds[1]) is None


def _period_insertion(
    text: str, p: int, lexicon: Lexicon, glued_initials_style: bool = False
) -> tuple[float, str] | None:
    """Confidence and reason for a space after the period at ``p``, or None."""
    bounds = _token_bounds(text, p, p + 1)
    if bounds is None:
        return None
    a, b = bounds
    token = text[a:b]
    if _URLISH.search(token):
        return None
    for chain in _CHAIN.finditer(token):
        if chain.start() + a <= p < chain.end() + a:
            break
    else:
        return None
    segments = chain.group().split(".")
    if any(s.lower() in _FILE_PARTS for s in segments):
        return None
    # Two joints between words of two or more letters: a dotted name ("System.IO.File",
    # "www.Example.Com"), never damaged prose, which loses one space at a time. Joints with
    # a number do not count: the date rule may split them ("Sep.21"), and the verdict must
    # not change when it has (idempotence).
    if sum(1 for x, y in zip(segments, segments[1:]) if len(x) > 1 < len(y) and x.isalpha() and y.isalpha()) >= 2:
        return None
    k = text.count(".", a + chain.start(), p)  # segments[k] ends at p
    right = segments[k + 1]
    if not right.isalpha() or sum(c.islower() for c in right) < 2 or lexicon.zipf(right) <= 0:
        return None
    left_full = ".".join(segments[: k + 1]) + "."
    left = segments[k]
    if left_full in lexicon.abbreviations:
        return _CONF_ABBREVIATION, f"abbreviation {left_full} glued to {right}"
    if all(len(s) == 1 and s.isupper() for s in segments[: k + 1]):
        if glued_initials_style:
            return None
        return _CONF_INITIALS, f"initials {left_full} glued to {right}"
    # A chain of short capitalised abbreviations, each with its period: a citation
    # ("Phys.Rev.", "Nucl.Phys.B"), not a sentence end.
    after = a + chain.end()
    if (
        left[:1].isupper()
        and len(left) <= _ABBREVIATION_LETTERS
        and len(right) <= _ABBREVIATION_LETTERS
        and k + 1 == len(segments) - 1
        and after < len(text)
        and text[after] == "."
    ):
        return None
    if not left.isalpha() or len(left) < 2 or lexicon.zipf(left) <= 0:
        return None
    if lexicon.zipf(f"{left}.{right}") > 0:  # a dotted word the lexicon knows as written
        return None
    if min(lexicon.zipf(left), lexicon.zipf(right)) >= _COMMON_ZIPF:
        return _CONF_SENTENCE, f"sentence end {left}. glued to {right}"
    return _CONF_WEAK, f"{left}. glued to {right} (rare words)"


def _shows_damage(text: str, lexicon: Lexicon, config: Config | None) -> bool:
    """Does ``text`` show extraction or OCR damage of its own: hard-wrapped lines, or the
    misread words the spelling stage's noise gate looks for?"""
    from .spelling import looks_misread

    return is_wrapped(text, lexicon, config)[0] or looks_misread(text, lexicon, config)


def _glued_initials_style(text: str) -> bool:
    """Does the author write initials against the name ("D.Petrov, P.Wiegmann")? Then a
    glued pair is the text's style, not a lost space: at least two glued, more than spaced.
    A damaged article loses a space here and there among spaced initials ("U.S.Secretary")."""
    glued = _count(_INITIALS_GLUED, text, _STYLE_LIMIT + 1)
    return glued >= 2 and glued > _count(_INITIALS_SPACED, text, glued)


def _count(pattern, text: str, limit: int) -> int:
    """How many times ``pattern`` matches in ``text``, counting no further than ``limit``."""
    return sum(1 for _ in itertools.islice(pattern.finditer(text), limit))


def spacing_edits(text: str, lexicon: Lexicon, config: Config | None = None, damaged: bool = True) -> list[Edit]:
    """Insert the spaces that extraction lost (rule ``missing_space``).

    A date run together (``22,2016``) is damage wherever it stands. A word glued to the next
    by a comma or a period (``plane,thus``, ``D.Petrov``, ``target.Second``) is damage only
    in text that shows damage: ``damaged`` says the caller saw some (joiner glyphs); else the
    text must itself look hard-wrapped or misread. In text that shows none, it is the
    author's own typing, which a faithful copy keeps (Freiburg arXiv dev: 8 such insertions,
    every one against the LaTeX source; in OCR'd text, BLN600 train and Freiburg ACL dev,
    they were right).

    >>> lex = load_lexicon()
    >>> [e.start for e in spacing_edits("Sept. 21,2016 and 22,000 people", lex)]
    [9]
    >>> spacing_edits("See example.com, Node.js, ASP.NET, 3.5 and J.R.R. Tolkien.", lex)
    []
    >>> [e.why for e in spacing_edits("We cut the plane,thus:", lex, damaged=False)]
    []
    """
    if not text:
        return []
    found: dict[int, Edit] = {}
    shows_damage = True if damaged else None  # None: not yet asked of the text

    def glued_counts() -> bool:
        nonlocal shows_damage
        if shows_damage is None:
            shows_damage = _shows_damage(text, lexicon, config)
        return shows_damage

    def add(position: int, confidence: float, why: str) -> None:
        if position not in found:
            found[position] = Edit(position, position, "", " ", "missing_space", confidence, why)

    # Every rule skips a token that looks like an address or a path: an insertion splits a
    # token, and a part of a token that was skipped must not become eligible afterwards.
    # Each pattern scans the whole text; where a text cannot hold a match (no comma before a
    # year's first digit, no period before a digit) the scan is skipped.
    if ",1" in text or ",2" in text:
        for m in _DATE_COMMA.finditer(text):
            if _plain_token(text, m.end() - 1, m.end()):
                add(m.end(), _CONF_DATE, "date: day, year")
    if _DOT_DIGIT.search(text):
        for m in _MONTH_DAY.finditer(text):
            if _plain_token(text, m.start(), m.end()):
                add(m.end(), _CONF_MONTH_DAY, "date: month abbreviation, day")
    style = None  # found on the first glued period: most texts have none
    for m in _GLUED_PERIOD.finditer(text):
        if not glued_counts():
            break
        if style is None:
            style = _glued_initials_style(text)
        decided = _period_insertion(text, m.start(), lexicon, style)
        if decided:
            add(m.end(), *decided)
    for m in _COMMA_BEFORE_LETTER.finditer(text):
        p = m.start()
        lm = _WORD_BEFORE_COMMA.search(text, max(0, p - _TOKEN_WINDOW), p)
        rm = _WORD_AFTER_COMMA.match(text, p + 1)
        if lm is None or rm is None or lm.start() == max(0, p - _TOKEN_WINDOW) > 0:
            continue
        left, right = lm.group(), rm.group()
        if (len(left) < 3 or len(right) < 3) and (left[:1].isupper() or right[:1].isupper()):
            continue  # short capitalised tokens are symbols or codes: "(Ga,Mn)As", "Fe,Co"
        zl, zr = lexicon.zipf(left), lexicon.zipf(right)
        if zl <= 0 or zr <= 0:
            continue
        if not _plain_token(text, lm.start(), rm.end()) or not glued_counts():
            continue
        confidence = _CONF_COMMA if min(zl, zr) >= _COMMON_ZIPF else _CONF_WEAK
        add(p + 1, confidence, f"comma glued between {left} and {right}")
    return [found[p] for p in sorted(found)]


# =============================================================================================
# Layout: wrap detection, reflow, line-end hyphens, page breaks, stray spaces
# =============================================================================================

# --- thresholds (how each was chosen) --------------------------------------------------------
#: The wrap width is this percentile of interior line lengths: the longest lines of a wrapped
#: text sit at the width, and a 10 % tail leaves room for outliers (a caption set in another
#: font, a URL) without letting them set the width. The seed: 94.
_WIDTH_PERCENTILE = 0.9
#: How far below the width a line may end and still have been forced by it, as a share of
#: the width. PDF text is set in proportional fonts, so a full line of capitals and "m"s
#: has fewer characters than one of "i"s: the seed's full lines range from 80 to 105
#: characters at width 94 (its shortest forced line plus the next word is 86, 8.5 % short).
#: 12 % covers that with a margin; a monospaced wrap needs only the next word's length.
_TOLERANCE_SHARE = 0.12
_MIN_TOLERANCE = 3
#: Narrower "wraps" are lists, verse or tables; newspaper columns extract at 30 or more.
_MIN_WIDTH = 30
#: At least this share of interior lines must reach the width (minus tolerance). Wrapped
#: prose is above 0.9 (the seed: 49 of 51; only headings and datelines fall short); free
#: verse and addresses stay well below, though verse in regular metre can pass (a sonnet:
#: 13 of 13), which is why the next share is needed too. 0.6 lets a short article with a
#: two-line heading (three interior lines, two full) count.
_MIN_FULL_SHARE = 0.6
#: ...and at least this share must show a break inside a sentence (a function word or a
#: hyphen at the end, a lowercase start next). The seed: 0.92 (47 of 51); wrapped prose
#: generally 0.6 or more, since most lines end inside a sentence and few sentences start a
#: line. Verse that capitalises every line shows only its rare function-word ends.
_MIN_CONTINUED_SHARE = 0.3
#: Lines this much longer than the width are not part of the wrap...
_LONG_LINE_FACTOR = 1.25
#: ...and a wrapped text has almost none of its characters in them (a reflowed one has most).
_MAX_LONG_SHARE = 0.25
#: With fewer interior lines than this the statistics mean nothing; then every interior line
#: must itself be a long line broken in mid-sentence (the clean_text doctest: two lines).
_MIN_INTERIOR_FOR_STATISTICS = 3
#: Shortest line that counts as wrapped in such a tiny document: below the narrowest width
#: at which hard-wrapped prose (e-mail at 60-72, PDF pages at 80-100) is usually set.
_SMALL_DOC_MIN_LENGTH = 60

# Line-end kinds.
_PLAIN, _SENTENCE, _FUNCTION, _MARK, _HYPHEN, _SOFT = range(6)

# --- confidences -----------------------------------------------------------------------------
# Priors on one scale, from how often each kind of evidence misleads: a full line followed
# by a word that could not fit is a wrap almost by definition; a function word or a comma at
# the end could also end a heading or a verse line; blank lines are usually paragraphs, so a
# page break needs the most evidence. On 420 documents damaged by pipeline/damage.py (no
# glyphs, 5 % page breaks, 30 % hyphenated words) every reflow and hyphen edit at these
# confidences was right; the only misses were page breaks after a full stop, left below
# min_confidence as suggestions on purpose.
_CONF_FULL_LINE = 0.95  # the next word would not have fit: the width broke the line
_CONF_NEAR_FULL = 0.9  # within the tolerance of the width
_CONF_FULL_SENTENCE = 0.8  # full, but ends a sentence: paragraphs are set off by blank lines
_CONF_FULL_SENTENCE_NO_BLANKS = 0.65  # ...or not: then a paragraph may end there
_CONF_FUNCTION_WORD = 0.85
_CONF_MARK = 0.8
_CONF_LOWERCASE = 0.75
_REASON_CONFIDENCE = {_FUNCTION: _CONF_FUNCTION_WORD, _MARK: _CONF_MARK, _PLAIN: _CONF_LOWERCASE}
_WHY_FORCED = "line broken by the wrap"
_WHY_CONTINUES = "line ends inside a sentence"
_CONF_PAGE_STRONG = 0.85
_CONF_PAGE = 0.75
_CONF_PAGE_WEAK = 0.6  # a lone short line after the gap, no sign beyond the width
#: Below Config.min_confidence on purpose: reported for review, not applied by clean_text.
_CONF_PAGE_SUGGEST = 0.45
_CONF_HYPHEN_DOCUMENT = 0.9
_CONF_HYPHEN_DICTIONARY = 0.8
_CONF_HYPHEN_WORDS = 0.7  # joined word more frequent than a part that is a word too
_CONF_HYPHEN_UNSURE = 0.55
#: A joined word about as frequent as its rarer part: BLN600 train (damaged like the seed),
#: 8 such line-end hyphens were soft (``her-`` / ``self``, ``out-`` / ``side``), 2 unclear.
_CONF_HYPHEN_CLOSE = 0.6
_CONF_TRIM = 0.95

#: Zipf frequency from which a joined word counts as known (below: noise and rare forms;
#: "capitulation" is 2.9, "wellknown" 1.6, "prewar" 2.6 but less frequent than its parts).
_KNOWN_ZIPF = 2.0
#: A part below this is a fragment rather than a word ("regu" 1.8, "lar" 2.7; wordfreq's
#: large list knows many fragments, "ment" 3.1 and "ing" 4.0, so this decides only together
#: with the joined word's own frequency).
_WORD_ZIPF = 3.0
#: How far (in Zipf) a closed word may fall below its rarer part and still be read as one
#: word split for the line: a typesetter breaks common words at any syllable ("her-" /
#: "self", "break-" / "fast", Zipf 0.5 below), while a compound kept open or hyphenated
#: leaves its closed form much rarer than its parts ("make-up" 1.7 below, "re-open" 1.8,
#: "out-door" 0.9, "fire-arms" 0.9). Set on BLN600 train's damaged articles.
_CLOSE_MARGIN = 0.6
#: A joined word at least this frequent counts as a word when a part is no word at all
#: ("vic-" / "tualler" 1.35, "embit-" / "ter" 1.2).
_RARE_ZIPF = 1.0

_CLOSERS = "\"'’”»)]}"
_OPENERS = "\"'‘“«([{"
_TERMINALS = ".?!:…"
_CONTINUING_MARKS = frozenset(",;—–-(“‘«[&/+")
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion half dozen".split()
)
_INITIALS = regex.compile(r"(?:\p{Lu}\.)+")
# A next line that starts a list item, a heading or a quoted block: never joined onto.
_BLOCK_START = re.compile(r"(?:[-*•·‣▪◦●○■□►➢]\s|\d{1,3}[.)]\s|[a-z]\)\s|\([a-z0-9]{1,3}\)\s|#{1,6}\s|>)")
_BLOCK_FIRST = frozenset("-*•·‣▪◦●○■□►➢#>")
_DASH_START = re.compile(r"[—–]\s")
_BOX = re.compile(r"[\u2500-\u257f]")
#: What a line may be trimmed of: Unicode's White_Space, as the other stages' patterns read
#: it (``\s``). ``str.strip()`` would also take U+001C-U+001F, which the joiner stage reads as
#: part of a token: trimming them changed its evidence for the next run.
_BLANK = "".join(chr(c) for c in range(0x110000) if chr(c).isspace() and not 0x1C <= c <= 0x1F)
_FIRST_TOKEN = re.compile("[^" + re.escape(_BLANK) + "]+")
_WORD = re.compile(r"[^\W_]+")

# Line-start and whole-line flags, as bits: this runs once per line of every document.
_LOWER, _ALNUM, _BLOCK, _DASH, _INDENT, _HEADING, _TABLE = (1 << k for k in range(7))
#: A line with one of these never joins the next one...
_STOPS_AFTER = _TABLE | _HEADING
#: ...nor is joined onto the previous one.
_STOPS_BEFORE = _TABLE | _HEADING | _BLOCK | _INDENT
#: A next line with one of these may block the break (a dash, only after a sentence): one
#: test for the common line, which has none.
_STOPS_BEFORE_OR_DASH = _STOPS_BEFORE | _DASH


def _line_end(content: str, lexicon: Lexicon) -> int:
    e = content[-1]
    if e.isalpha():
        last = content[content.rfind(" ") + 1 :]
        return _FUNCTION if last.lower() in lexicon.function_words else _PLAIN
    if e == "-":
        if len(content) >= 2 and (content[-2].isalnum() or content[-2] == "."):
            return _HYPHEN
        return _MARK
    if e == "\u00ad":
        return _SOFT
    if e in _CONTINUING_MARKS:
        return _MARK
    core = content.rstrip(_CLOSERS)
    if not core or core[-1] not in _TERMINALS:
        return _PLAIN
    if core[-1] == ".":
        last = core[core.rfind(" ") + 1 :].lstrip(_OPENERS)
        if last in lexicon.abbreviations or (last[1:2] == "." and _INITIALS.fullmatch(last)):
            return _PLAIN  # "Sept." or "John F." at a line end does not end the sentence
    return _SENTENCE


class _Lines:
    """The text cut into lines: offsets and, for each non-blank line, what the layout rules
    need to know about it (none of it depends on the width, see the module notes)."""

    def __init__(self, text: str, lexicon: Lexicon) -> None:
        raw = self.raw = text.split("\n")
        count = len(raw)
        self.count = count
        start = self.start = [0] * count
        lead = self.lead = [0] * count  # leading whitespace
        length = self.length = [0] * count  # content length; 0 marks a blank line
        first = self.first = [0] * count  # length of the first token
        flags = self.flags = [0] * count
        end = self.end = [0] * count
        # Whole-text checks first, so that most lines skip the per-line ones.
        tabs = "\t" in text
        wide_gaps = "   " in text
        boxes = not text.isascii() and _BOX.search(text) is not None
        table_signs = tabs or wide_gaps or boxes
        function_words = lexicon.function_words
        position = 0
        for i, line in enumerate(raw):
            start[i] = position
            position += len(line) + 1
            content = line.strip(_BLANK)  # also drops the "\r" of a "\r\n"
            if not content:
                continue
            length[i] = len(content)
            # No leading space where the line starts as its content does (that is no space).
            skip = 0 if line[0] == content[0] else len(line) - len(line.lstrip(_BLANK))
            lead[i] = skip
            space = content.find(" ")
            first[i] = space if space > 0 and not tabs else _FIRST_TOKEN.match(content).end()
            c0 = content[0]
            f = 0
            if c0.islower():
                f = _LOWER | _ALNUM
                if content[1:2] == ")" and _BLOCK_START.match(content):
                    f |= _BLOCK
            elif c0.isalnum():
                f = _ALNUM
                # The patterns run only on lines whose first character allows a match.
                if c0.isdigit() and _BLOCK_START.match(content):
                    f |= _BLOCK
            elif (c0 in _BLOCK_FIRST or c0 == "(") and _BLOCK_START.match(content):
                f = _BLOCK
            elif c0 in "—–" and _DASH_START.match(content):
                f = _DASH
            # One stray space is extraction noise; more, or a tab, is indentation that means
            # something (a paragraph start, a quotation, code).
            if skip and (skip >= 2 or line[0] == "\t"):
                f |= _INDENT
            # An all-capitals line of two words or more ("SYRIA TALKS COLLAPSE"); not "/ AP".
            if content.isupper() and len(_WORD.findall(content)) >= 2:
                f |= _HEADING
            if table_signs and (
                (tabs and "\t" in content) or (wide_gaps and "   " in content)
                or (boxes and not content.isascii() and _BOX.search(content))
            ):
                f |= _TABLE
            flags[i] = f
            e = content[-1]
            if e.isalpha():  # the common case, inlined
                end[i] = _FUNCTION if content[content.rfind(" ") + 1 :].lower() in function_words else _PLAIN
            else:
                end[i] = _line_end(content, lexicon)

    def body(self, i: int) -> int:
        """Length of line ``i`` without its line end (a "\r\n" is one line end)."""
        line = self.raw[i]
        return len(line) - 1 if line[-1:] == "\r" and i < self.count - 1 else len(line)

    def cend(self, i: int) -> int:
        """Offset in line ``i`` where its content ends (trailing whitespace follows)."""
        return self.lead[i] + self.length[i]


def _continues(end_a: int, flags_b: int, dehyphenate: bool) -> int | None:
    """Why the break after a line ending ``end_a`` before a line with ``flags_b`` is inside
    a sentence, or None."""
    if end_a == _HYPHEN or end_a == _SOFT:
        return end_a if flags_b & _ALNUM and dehyphenate else None
    if end_a == _FUNCTION or end_a == _MARK:
        return end_a
    if flags_b & _LOWER and end_a != _SENTENCE:
        return _PLAIN  # stands for "the next line goes on in lowercase"
    return None


def _blocked(flags_a: int, end_a: int, flags_b: int, dehyphenate: bool) -> bool:
    """Must the break between two lines stay, whatever the width says?"""
    return bool(
        flags_a & _STOPS_AFTER
        or flags_b & _STOPS_BEFORE
        or (flags_b & _DASH and end_a == _SENTENCE)
        or (not dehyphenate and (end_a == _HYPHEN or end_a == _SOFT) and flags_b & _ALNUM)
    )


#: Line flags are below this.
_FLAG_VALUES = 1 << 7
#: _continues(e, f, dehyphenate) at ``e * _FLAG_VALUES + f``, for dehyphenate False and True:
#: the per-line loops look it up rather than call it.
_REASONS = tuple(
    [_continues(e, f, dehyphenate) for e in range(_SOFT + 1) for f in range(_FLAG_VALUES)]
    for dehyphenate in (False, True)
)
#: Does that break count as continuing in the wrap statistics (see _detect)? A comma or a
#: semicolon only before a lowercase start.
_CONTINUING = tuple(
    [reason is not None and (reason != _MARK or key % _FLAG_VALUES & _LOWER) for key, reason in enumerate(reasons)]
    for reasons in _REASONS
)


class _Wrap:
    """The wrap detection's verdict and the numbers behind it."""

    def __init__(self, wrapped: bool, width: int | None, tolerance: int, interior: int, full: int, continued: int):
        self.wrapped = wrapped
        self.width = width
        self.tolerance = tolerance
        self.interior = interior
        self.full = full
        self.continued = continued


def _detect(lines: _Lines, dehyphenate: bool) -> _Wrap:
    length, first, flags, end = lines.length, lines.first, lines.flags, lines.end
    # Breaks that must stay whatever the width (before a list item, around a table or a
    # heading) say nothing about wrapping either way: they are left out of the counts.
    pairs = [
        i
        for i in range(lines.count - 1)
        if length[i] and length[i + 1] and not (
            # _blocked(flags[i], end[i], flags[i + 1], dehyphenate), inline
            flags[i] & _STOPS_AFTER
            or (flags[i + 1] & _STOPS_BEFORE_OR_DASH and (flags[i + 1] & _STOPS_BEFORE or end[i] == _SENTENCE))
            or (not dehyphenate and (end[i] == _HYPHEN or end[i] == _SOFT) and flags[i + 1] & _ALNUM)
        )
    ]
    n = len(pairs)
    if not n:
        return _Wrap(False, None, 0, 0, 0, 0)
    # Only the signs that verse does not share count here: a function word or a hyphen at
    # the end, a lowercase start after it. A comma or semicolon ends most lines of a sonnet,
    # so it counts only before a lowercase start.
    # (_CONTINUING holds the answer for every line end and flags, without a call.)
    table = _CONTINUING[dehyphenate]
    continuing = [table[end[i] * _FLAG_VALUES + flags[i + 1]] for i in pairs]
    continued = sum(continuing)
    total = sum(length)
    if n >= _MIN_INTERIOR_FOR_STATISTICS:
        ordered = sorted(length[i] for i in pairs)
        width = ordered[max(0, math.ceil(_WIDTH_PERCENTILE * n) - 1)]
        tolerance = max(_MIN_TOLERANCE, round(_TOLERANCE_SHARE * width))
        full = sum(1 for i in pairs if length[i] + 1 + first[i + 1] >= width - tolerance)
        long_chars = sum(x for x in length if x > _LONG_LINE_FACTOR * width)
        wrapped = (
            width >= _MIN_WIDTH
            and full >= _MIN_FULL_SHARE * n
            and continued >= _MIN_CONTINUED_SHARE * n
            and long_chars <= _MAX_LONG_SHARE * total
        )
    else:
        width = max(length[i] for i in pairs)
        tolerance = max(_MIN_TOLERANCE, round(_TOLERANCE_SHARE * width))
        full = n
        long_chars = sum(x for x in length if x > _LONG_LINE_FACTOR * width)
        wrapped = (
            all(continuing)
            and all(length[i] >= _SMALL_DOC_MIN_LENGTH for i in pairs)
            and long_chars <= _MAX_LONG_SHARE * total
        )
    return _Wrap(wrapped, width, tolerance, n, full, continued)


def is_wrapped(text: str, lexicon: Lexicon | None = None, config: Config | None = None) -> tuple[bool, int | None]:
    """Whether ``text`` looks hard-wrapped, and at what width.

    >>> is_wrapped("One paragraph on one line.\\n\\nAnother one, also on a single line.\\n")
    (False, None)
    """
    config = config or Config()
    verdict = _detect(_Lines(text, lexicon or load_lexicon(config)), config.dehyphenate)
    return verdict.wrapped, verdict.width if verdict.wrapped else None


class _Evidence:
    """The document's own spellings, for line-end hyphens (built once, on first need).

    Only the hyphenated tokens are taken apart; a word is looked up as a whole token, bare
    or with the punctuation that commonly clings to it. This runs on every document with a
    line-end hyphen, and a loop over every distinct token cost a third of the stage.
    """

    _STRIP = "\"'‘’“”«»()[]{}.,;:!?*…—–"
    # What clings to a word in news prose often enough to matter; rarer shapes only cost a
    # missed piece of evidence, and the lexicon decides instead.
    _SHAPES = tuple(
        (b, a)
        for b in ("", "(", "“", "\"")
        for a in ("", ".", ",", ";", ":", "?", ")", "”", "’s", "'s", ".”", ",”")
    )

    _SHAPE_SET = frozenset(_SHAPES)

    def __init__(self, text: str) -> None:
        # A long text repeats its words: lowercasing the distinct tokens is cheaper there
        # than lowercasing every character, and it is taken apart once. A short one is
        # lowercased whole and searched instead: a document asks about a few words, and
        # taking it apart cost more than all of them.
        self.tokens: set[str] | None = None
        if len(text) > 100_000:
            self.tokens = {t.lower() for t in set(text.split())}
            hyphenated = [t for t in self.tokens if "-" in t]
        else:
            lowered = self.lowered = text.lower()
            hyphenated = []
            at = lowered.find("-")
            while at >= 0:
                start, end = _token_span(lowered, at, at + 1)
                hyphenated.append(lowered[start:end])
                at = lowered.find("-", end)
        self.compounds: set[str] = set()
        for token in hyphenated:
            parts = [p for p in token.strip(self._STRIP).split("-")]
            if len(parts) > 1 and all(parts):
                self.compounds.add("-".join(parts))
                self.compounds.update(f"{x}-{y}" for x, y in zip(parts, parts[1:]))

    def has_word(self, word: str) -> bool:
        """Is ``word`` (lowercase, no whitespace) a token of the text, bare or with one of
        the _SHAPES of punctuation around it?"""
        tokens = self.tokens
        if tokens is not None:
            return any(b + word + a in tokens for b, a in self._SHAPES)
        lowered, size, shapes = self.lowered, len(word), self._SHAPE_SET
        at = lowered.find(word)
        while at >= 0:
            start, end = _token_span(lowered, at, at + size)
            if (lowered[start:at], lowered[at + size : end]) in shapes:
                return True
            at = lowered.find(word, at + 1)
        return False


def _token_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The whitespace-delimited token (as ``str.split`` cuts them) around ``start:end``,
    which holds no whitespace."""
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    space, newline = text.find(" ", end), text.find("\n", end)
    if space < 0:
        right = newline if newline >= 0 else len(text)
    else:
        right = space if newline < 0 else min(space, newline)
    # str.isprintable is false for every whitespace character but the space: then there is
    # no other whitespace between.
    if text[left:right].isprintable():
        return left, right
    left, right = start, end
    while left and not text[left - 1].isspace():
        left -= 1
    while right < len(text) and not text[right].isspace():
        right += 1
    return left, right


def _hyphen_decision(
    left_token: str, right: str, lexicon: Lexicon, evidence: _Evidence
) -> tuple[bool, float, str]:
    """Keep the hyphen (True) or join the halves, with a confidence and a reason."""
    left_full = left_token.lstrip(_OPENERS)
    left = left_full.rsplit("-", 1)[-1]
    if not left.isalpha() or not right.isalpha():
        return True, _CONF_HYPHEN_DICTIONARY, "numbers or abbreviations keep their hyphen"
    compound = f"{left}-{right}".lower()
    whole = f"{left_full}-{right}".lower()
    joined = (left + right).lower()
    if compound in evidence.compounds or whole in evidence.compounds:
        return True, _CONF_HYPHEN_DOCUMENT, f"the document writes {compound}"
    if evidence.has_word(joined):
        return False, _CONF_HYPHEN_DOCUMENT, f"the document writes {joined}"
    if compound in lexicon.hyphenated or whole in lexicon.hyphenated:
        return True, _CONF_HYPHEN_DICTIONARY, f"{compound} is a listed compound"
    if right[0].isupper():
        return True, _CONF_HYPHEN_DICTIONARY, "a name after the hyphen"
    if left.lower() in _NUMBER_WORDS and right.lower() in lexicon.compound_units:
        return True, _CONF_HYPHEN_DICTIONARY, f"number and unit: {compound}"
    zj = lexicon.zipf(joined)
    smaller = min(lexicon.zipf(left), lexicon.zipf(right))
    if zj >= _KNOWN_ZIPF and smaller < _WORD_ZIPF:
        return False, _CONF_HYPHEN_DICTIONARY, f"{joined} is a word, a part is not"
    if zj >= _KNOWN_ZIPF and zj > smaller:
        return False, _CONF_HYPHEN_WORDS, f"{joined} is more frequent than its parts"
    if zj >= _WORD_ZIPF and zj > smaller - _CLOSE_MARGIN:
        return False, _CONF_HYPHEN_CLOSE, f"{joined} is about as frequent as its parts"
    if zj >= _RARE_ZIPF and smaller == 0.0:
        return False, _CONF_HYPHEN_WORDS, f"{joined} is a word, a part is no word at all"
    if zj < _KNOWN_ZIPF and smaller >= _WORD_ZIPF:
        return True, _CONF_HYPHEN_DICTIONARY, f"{left} and {right} are words, {joined} is not"
    return True, _CONF_HYPHEN_UNSURE, "unsure: the hyphen is kept"


def layout_edits(text: str, lexicon: Lexicon, config: Config | None = None, notes: dict | None = None) -> list[Edit]:
    """Edits that reflow a hard-wrapped ``text`` and trim stray spaces, in text order.

    Records what it found in ``notes["layout"]`` when ``notes`` is given.

    >>> lex = load_lexicon()
    >>> poem = "I wandered lonely as a cloud\\nThat floats on high o'er vales and hills,\\n"
    >>> layout_edits(poem, lex)
    []
    """
    config = config or Config()
    lines = _Lines(text, lexicon)
    verdict = _detect(lines, config.dehyphenate)
    start, lead = lines.start, lines.lead
    cend, body = lines.cend, lines.body  # per line, on demand: few lines need them
    length, first, flags, end = lines.length, lines.first, lines.flags, lines.end
    count = lines.count
    nonblank = [i for i in range(count) if length[i]]
    last_content = nonblank[-1] if nonblank else -1

    join = verdict.wrapped and not config.keeps_lines
    trim = config.trim_spaces
    trim_lead = trim and verdict.wrapped
    dehyphenate = config.dehyphenate
    width, tolerance = verdict.width or 0, verdict.tolerance
    # Paragraphs are set off by the shortest run of blank lines the document uses; a page
    # break adds more. With a single run there is nothing to compare: one line.
    runs = [j - i - 1 for i, j in zip(nonblank, nonblank[1:]) if j > i + 1]
    usual_run = min(runs) if len(runs) >= 2 else 1
    # A full line that ends a sentence: where blank lines set off paragraphs the width broke
    # it; otherwise a paragraph may end there, so be stricter.
    sentence_slack = tolerance if runs else tolerance // 2
    sentence_confidence = _CONF_FULL_SENTENCE if runs else _CONF_FULL_SENTENCE_NO_BLANKS
    reasons = _REASONS[dehyphenate]
    evidence: _Evidence | None = None
    stats = dict.fromkeys(("trimmed", "lines_joined", "page_breaks", "hyphens_joined", "hyphens_kept"), 0)
    edits: list[Edit] = []
    add = edits.append

    def trim_blank_lines(lo_line: int, hi_line: int) -> None:
        for k in range(lo_line, hi_line):
            if body(k):
                add(_new_edit((start[k], start[k] + body(k), text[start[k] : start[k] + body(k)], "", "trim_space", _CONF_TRIM, "trailing space")))
                stats["trimmed"] += 1

    def decide_page_break(i: int, j: int, gap: int) -> tuple[int | None, str, float, str] | None:
        """Join the unblocked break after line ``i`` (to line ``j``, ``gap`` > 0 blank lines
        between)? ``(reason, rule, confidence, why)`` or None. (The loop below decides a
        break without blank lines itself; ``fit`` is as there.)"""
        end_a = end[i]
        reason = reasons[end_a * _FLAG_VALUES + flags[j]]  # _continues(end_a, flags[j], dehyphenate)
        fit = length[i] + 1 + first[j]
        # A page break: blank lines inside a sentence that ran to the full width.
        if fit < width - tolerance:
            return None
        if end_a == _SENTENCE:
            if gap <= usual_run:
                return None  # a paragraph that ended at the margin
            # More blank lines than between paragraphs after a full sentence: a page break
            # or a section break, nothing tells which. For review only.
            confidence = _CONF_PAGE_SUGGEST
        elif reason is not None:
            confidence = _CONF_PAGE_STRONG
        elif gap <= usual_run:
            # As many blank lines as between paragraphs, and nothing but the width says the
            # sentence goes on: a caption or a byline ends like this too.
            confidence = _CONF_PAGE_SUGGEST
        elif (j + 1 < count and length[j + 1]) or length[j] * 2 >= width:
            confidence = _CONF_PAGE
        else:
            confidence = _CONF_PAGE_WEAK  # a lone short line after the gap: a heading?
        return reason, "page_break", confidence, f"{gap} blank line(s) inside a sentence"

    if trim and nonblank:
        trim_blank_lines(0, nonblank[0])
    start_taken = False  # the current line's leading space is inside the previous join edit
    for position, i in enumerate(nonblank):
        if trim_lead and lead[i] and not start_taken and not flags[i] & _INDENT:
            add(_new_edit((start[i], start[i] + lead[i], text[start[i] : start[i] + lead[i]], "", "trim_space", _CONF_TRIM, "stray leading space")))
            stats["trimmed"] += 1
        start_taken = False
        if i == last_content:
            break  # its trailing space belongs to the tail
        j = nonblank[position + 1]
        gap = j - i - 1
        decision = None
        end_a, flags_b = end[i], flags[j]
        # not _blocked(flags[i], end_a, flags_b, dehyphenate), inline: this runs once a line.
        if join and not (
            flags[i] & _STOPS_AFTER
            or (flags_b & _STOPS_BEFORE_OR_DASH and (flags_b & _STOPS_BEFORE or end_a == _SENTENCE))
            or (not dehyphenate and (end_a == _HYPHEN or end_a == _SOFT) and flags_b & _ALNUM)
        ):
            if gap:
                decision = decide_page_break(i, j, gap)
            else:
                # A line break: join it when the next line's first word could not have stayed
                # on the line (``fit``, the line's length plus a space plus that word, reaches
                # the width), or when it shows a sign of continuing (``reason``).
                reason = reasons[end_a * _FLAG_VALUES + flags_b]  # _continues(end_a, flags_b, dehyphenate)
                fit = length[i] + 1 + first[j]
                if end_a == _SENTENCE:
                    forced = fit >= width - sentence_slack
                    confidence = sentence_confidence
                else:
                    forced = fit >= width - tolerance
                    confidence = _CONF_FULL_LINE if fit > width else _CONF_NEAR_FULL
                if forced or reason is not None:
                    if not forced:
                        confidence = 0.0
                    if reason in _REASON_CONFIDENCE:
                        confidence = max(confidence, _REASON_CONFIDENCE[reason])
                    decision = reason, "reflow", confidence, _WHY_FORCED if forced else _WHY_CONTINUES
        if decision is None:
            if trim:
                if cend(i) < body(i):
                    lo, hi = start[i] + cend(i), start[i] + body(i)
                    add(_new_edit((lo, hi, text[lo:hi], "", "trim_space", _CONF_TRIM, "trailing space")))
                    stats["trimmed"] += 1
                trim_blank_lines(i + 1, j)
            continue
        reason, rule, confidence, why = decision
        lo = start[i] + lead[i] + length[i]  # start[i] + cend(i)
        hi = start[j] + lead[j]
        if reason == _HYPHEN or reason == _SOFT:
            if reason == _SOFT:
                keep, h_conf, h_why = False, _CONF_HYPHEN_DOCUMENT, "soft hyphen"
            else:
                if evidence is None:
                    evidence = _Evidence(text)
                left_token = text[start[i] + lead[i] : lo - 1]
                left_token = left_token[left_token.rfind(" ") + 1 :]
                word = _WORD.match(text, hi)
                keep, h_conf, h_why = _hyphen_decision(left_token, word.group() if word else "", lexicon, evidence)
            if gap:
                h_conf = min(h_conf, confidence)
                h_why += f"; {why}"
            if not keep:
                lo -= 1
            add(_new_edit((lo, hi, text[lo:hi], "", "line_end_hyphen", h_conf, h_why)))
            stats["hyphens_kept" if keep else "hyphens_joined"] += 1
            start_taken = True
        elif gap and trim:
            # The stray spaces either side go by their own trim edits, so that a page break
            # left as a suggestion does not keep them.
            if cend(i) < body(i):
                add(_new_edit((lo, start[i] + body(i), text[lo : start[i] + body(i)], "", "trim_space", _CONF_TRIM, "trailing space")))
                stats["trimmed"] += 1
            lo, hi = start[i] + body(i), start[j]
            add(_new_edit((lo, hi, text[lo:hi], " ", rule, confidence, why)))
            stats["page_breaks"] += 1
        else:
            add(_new_edit((lo, hi, text[lo:hi], " ", rule, confidence, why)))
            stats["page_breaks" if gap else "lines_joined"] += 1
            start_taken = True

    if trim:
        tail_edit = _tail_edit(text, start[last_content] + cend(last_content) if nonblank else 0)
        if tail_edit is not None:
            add(tail_edit)
            stats["trimmed"] += 1

    if notes is not None:
        notes["layout"] = {
            "wrapped": verdict.wrapped,
            "wrap_width": verdict.width if verdict.wrapped else None,
            "interior_lines": verdict.interior,
            "full_lines": verdict.full,
            "lines_joined": stats["lines_joined"],
            "page_breaks": stats["page_breaks"],
            "hyphens_joined": stats["hyphens_joined"],
            "hyphens_kept": stats["hyphens_kept"],
            "trimmed": stats["trimmed"],
        }
    return edits


def _tail_edit(text: str, tail_start: int) -> Edit | None:
    """Whitespace after the last content: one line end if there was one, else nothing."""
    tail = text[tail_start:]
    if not tail:
        return None
    newline = tail.find("\n")
    if newline < 0:
        want = ""
    else:
        want = "\r\n" if newline > 0 and tail[newline - 1] == "\r" else "\n"
    if tail == want:
        return None
    # The smallest edit: keep what tail and target share at either end.
    prefix = 0
    while prefix < min(len(tail), len(want)) and tail[prefix] == want[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(tail), len(want)) - prefix and tail[-1 - suffix] == want[-1 - suffix]:
        suffix += 1
    lo = tail_start + prefix
    hi = len(text) - suffix
    return Edit(lo, hi, text[lo:hi], want[prefix : len(want) - suffix], "trim_space", _CONF_TRIM, "whitespace at the end")
