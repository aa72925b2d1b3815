"""Clean reference text to damage and to measure on: the ground-truth side of the evaluation
data, and a small hand-written set of modern news prose.

The evaluation data is third-party and lives outside the repository (``../shared/eval/``,
see its README); nothing from it is ever copied here. Every reader returns nothing, or raises
:class:`EvalDataMissing` with the path it looked for, when the data is absent, so callers can
skip with a printed reason.

Rule of the house: tune on train/dev, report on test.

>>> len(MODERN_NEWS) >= 15
True
>>> all("\\n" not in p for p in MODERN_NEWS)
True
>>> sum(len(a.split("\\n\\n")) for a in modern_articles()) == len(MODERN_NEWS)
True
"""

from __future__ import annotations

import csv
import functools
import os
import re
import zlib
from pathlib import Path
from typing import Iterator

__all__ = [
    "EvalDataMissing",
    "MODERN_NEWS",
    "MUST_SURVIVE",
    "bare",
    "bln600_articles",
    "dev_half",
    "eval_dir",
    "freiburg_lines",
    "modern_articles",
    "news_articles",
    "overproof_articles",
    "require_eval_dir",
]

#: Overrides the location of the evaluation data (for a checkout elsewhere).
ENV_VAR = "OCR_REPAIR_EVAL_DIR"


class EvalDataMissing(FileNotFoundError):
    """The third-party evaluation data is not where we looked."""


def eval_dir() -> Path | None:
    """The evaluation data folder (``/work/shared/eval`` beside the repository), or None.

    ``$OCR_REPAIR_EVAL_DIR`` wins when set, so that a checkout elsewhere can point at it.
    """
    override = os.environ.get(ENV_VAR)
    path = Path(override) if override else Path(__file__).resolve().parents[1].parent / "shared" / "eval"
    return path if path.is_dir() else None


def require_eval_dir() -> Path:
    """Like :func:`eval_dir`, but raise :class:`EvalDataMissing` naming the path looked at."""
    found = eval_dir()
    if found is None:
        looked = os.environ.get(ENV_VAR) or str(Path(__file__).resolve().parents[1].parent / "shared" / "eval")
        raise EvalDataMissing(f"evaluation data not found at {looked} (set ${ENV_VAR} to override)")
    return found


# --- BLN600 -------------------------------------------------------------------------------

_BLN_SPLITS = ("train", "test")


def _is_headline(sentence: str) -> bool:
    # BLN600 rows are sentences; a headline ("CHARGE OF SETTING FIRE TO A HOUSE.") is a
    # short all-capitals row, and starting a paragraph there keeps the article's shape.
    letters = [c for c in sentence if c.isalpha()]
    return bool(letters) and len(sentence) <= 120 and all(c.isupper() for c in letters)


def dev_half(sample_id: str) -> bool:
    """Is this BLN600 train article in the tuning half held out from training with
    ``--holdout`` (scripts/train_error_model.py)? A fixed split by article: about half of the 480.

    >>> dev_half("3200797029") in (True, False)
    True
    """
    return zlib.crc32(sample_id.encode("utf-8")) % 2 == 1


def bln600_articles(
    split: str = "test", *, sentences_per_paragraph: int = 4, paragraph_chars: int = 600
) -> Iterator[str]:
    """Yield BLN600 ground-truth articles of ``split`` ("train" or "test").

    Rows are sentence-like pieces of one ``Sample ID``; consecutive rows are joined with
    spaces into paragraphs of at most ``sentences_per_paragraph`` rows (or about
    ``paragraph_chars`` characters), headlines standing alone, and paragraphs are separated
    by one blank line. The grouping is deterministic, so truth never changes between runs.
    Raises :class:`EvalDataMissing` when the data is absent.
    """
    if split not in _BLN_SPLITS:
        raise ValueError(f"BLN600 split must be one of {_BLN_SPLITS}, got {split!r}")
    path = require_eval_dir() / "bln600" / f"{split}.csv"
    csv.field_size_limit(10**9)
    with path.open(encoding="utf-8", newline="") as stream:
        sample: str | None = None
        paragraphs: list[str] = []
        current: list[str] = []

        def close_paragraph() -> None:
            if current:
                paragraphs.append(" ".join(current))
                current.clear()

        def finish() -> str | None:
            close_paragraph()
            text = "\n\n".join(paragraphs)
            paragraphs.clear()
            return text or None

        for row in csv.DictReader(stream):
            sentence = " ".join(row["Ground Truth"].split())
            if row["Sample ID"] != sample:
                if sample is not None and (article := finish()):
                    yield article
                sample = row["Sample ID"]
            if not sentence:
                continue
            if _is_headline(sentence):
                close_paragraph()
                paragraphs.append(sentence)
                continue
            current.append(sentence)
            if len(current) >= sentences_per_paragraph or sum(map(len, current)) >= paragraph_chars:
                close_paragraph()
        if sample is not None and (article := finish()):
            yield article


@functools.lru_cache(maxsize=4)
def _news_articles(split: str) -> tuple[str, ...]:
    return tuple(bln600_articles(split))


def news_articles(split: str = "test") -> list[str]:
    """BLN600 articles of ``split`` ("train" to tune on, "test" to report on), cached.

    Returns an empty list when the evaluation data is absent; callers say so.
    """
    if eval_dir() is None:
        return []
    return list(_news_articles(split))


# --- Overproof ----------------------------------------------------------------------------

_OVERPROOF_HEADER = "*$*OVERPROOF*$*"
_LINE_END_HYPHEN = re.compile(r"([^\W\d_]+)-$")
_LINE_START_WORD = re.compile(r"([^\W\d_]+)")


def _read_overproof(path: Path) -> Iterator[list[str]]:
    lines: list[str] | None = None
    with path.open(encoding="utf-8") as stream:
        for raw in stream:
            raw = raw.rstrip("\n")
            if raw.startswith(_OVERPROOF_HEADER):
                if lines:
                    yield lines
                lines = []
                continue
            parts = raw.split("||@@||")
            if lines is None or len(parts) != 3:
                continue
            lines.append(parts[1])
    if lines:
        yield lines


_STREET_WORDS = {"street", "road", "lane", "square", "place", "terrace", "row", "court", "park", "bridge"}


def _hyphen_decision(head: str, tail: str, vocabulary: set[str], lexicon) -> str | None:
    """'join' (a soft hyphen: con-/stitution), 'keep' (a compound: gum-/tree) or None (unsure)."""
    joined = (head + tail).lower()
    hyphenated = f"{head}-{tail}".lower()
    # The article's own words are the best witness: the same word unbroken elsewhere.
    if joined in vocabulary and hyphenated not in vocabulary:
        return "join"
    if hyphenated in vocabulary and joined not in vocabulary:
        return "keep"
    if hyphenated in lexicon.hyphenated:
        return "keep"
    z_joined, z_head, z_tail = lexicon.zipf(joined), lexicon.zipf(head), lexicon.zipf(tail)
    if z_joined >= 3.0 or (z_joined > 0 and min(z_head, z_tail) == 0):
        return "join"
    if z_joined == 0 and min(z_head, z_tail) >= 3.0:
        # "Thorns-/hope", "Peak-/man": a capitalised head with known parts is most often a
        # name set solid, except for the period's hyphenated street names.
        if head[:1].isupper() and tail.lower() not in _STREET_WORDS:
            return None
        return "keep"
    return None


def _join_overproof(lines: list[str], lexicon, strict: bool) -> str | None:
    vocabulary = {w.strip(".,;:!?\"'()").lower() for line in lines for w in line.split()[:-1]}
    vocabulary |= {w.strip(".,;:!?\"'()").lower() for line in lines for w in line.split()[1:]}
    out: list[str] = []
    glue = False  # the previous line ended in a soft hyphen: join without a space
    for index, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if out:
            out.append("" if glue else " ")
        glue = False
        nxt = next((l.strip() for l in lines[index + 1 :] if l.strip()), "")
        end = _LINE_END_HYPHEN.search(text)
        start = _LINE_START_WORD.match(nxt)
        if end and start and nxt[:1].islower():
            decision = _hyphen_decision(end.group(1), start.group(1), vocabulary, lexicon)
            if decision is None:
                if strict:
                    return None
                decision = "join"
            if decision == "join":
                text, glue = text[:-1], True
            else:
                glue = True  # keep the hyphen, close up: "gum-tree"
        elif text.endswith("-") and nxt[:1].isupper():
            glue = True  # "Anglo-" / "Saxon": a compound with a capital keeps its hyphen
        out.append(text)
    joined = " ".join("".join(out).split())
    return joined or None


def overproof_articles(dataset: int = 2, *, strict: bool = True) -> Iterator[str]:
    """Yield Overproof articles (dataset 2 or 3) as one paragraph of human-corrected text.

    The human column keeps the line-end hyphen, so each line-end hyphen is resolved: joined
    when the article has the word unbroken elsewhere or the lexicon knows the joined word
    well, kept when the article or the lexicon knows the compound. With ``strict`` an
    article with any hyphen we cannot decide is left out (its truth would be a guess);
    without it, such hyphens are joined. Even decided hyphens are a judgement, not ground
    truth (``north-/east`` is joined because modern lists know ``northeast``): score line
    ends with care. Raises :class:`EvalDataMissing` when absent.
    """
    if dataset not in (2, 3):
        raise ValueError(f"Overproof dataset must be 2 or 3, got {dataset!r}")
    from .lexicon import load_lexicon

    path = require_eval_dir() / "overproof" / f"dataset{dataset}.txt"
    lexicon = load_lexicon()
    for lines in _read_overproof(path):
        article = _join_overproof(lines, lexicon, strict)
        if article:
            yield article


# --- Freiburg -----------------------------------------------------------------------------


def freiburg_lines(split: str = "dev", benchmark: str = "ACL", *, min_words: int = 0) -> list[str]:
    """The ``correct.txt`` lines (spaces fixed, spelling as printed) of a Freiburg benchmark.

    ``split`` is "dev" (tune) or "test" (report); ``benchmark`` is "ACL" or
    "arXiv.pdftotext". Lines shorter than ``min_words`` words (table cells, headings) are
    left out when asked. Raises :class:`EvalDataMissing` when absent.
    """
    path = require_eval_dir() / "freiburg" / split / benchmark / "correct.txt"
    if not path.is_file():
        raise EvalDataMissing(f"{path} not found")
    # Not splitlines(): that also splits on form feeds and misaligns the parallel files.
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    return [line for line in lines if len(line.split()) >= min_words]


# --- modern news prose, written for this project ----------------------------------------

#: Short paragraphs of clean modern wire-news prose, written by hand for this project (MIT,
#: as the project; the events are illustrative). They are negative material: no repair
#: should change a word of them, and the words in :data:`MUST_SURVIVE` have the shapes a
#: joiner-glyph or case repair is most tempted to break (inner capitals, ``&``, ``!``, digits).
MODERN_NEWS: tuple[str, ...] = (
    "WASHINGTON (AP) — The U.S. Senate voted 62-38 on Tuesday to extend a stopgap spending bill "
    "through Sept. 30, averting a partial government shutdown that had threatened to furlough "
    "about 800,000 federal workers. “We got it done, but nobody should pretend this is how a "
    "government ought to work,” said Sen. Mark O’Neill, a Democrat from Oregon.",
    "Education Secretary Betsy DeVos told reporters on Monday that the department would review "
    "the rules for for-profit colleges, a move critics called a “gift to the industry.” Her office "
    "said the review would take 90 days and that no existing loans would be affected.",
    "Shares of eBay rose 4.2% in after-hours trading after the online marketplace reported "
    "third-quarter revenue of $2.6 billion, beating analysts’ forecasts. PayPal, which split from "
    "eBay in 2015, fell slightly; JPMorgan analysts said the two companies’ long-term prospects "
    "remain closely tied.",
    "Apple said it sold more than 48 million iPhone units in the quarter, while Sony reported that "
    "PlayStation sales had slowed ahead of the holiday season. Both companies blamed supply-chain "
    "problems in Asia and a stronger dollar for a weaker outlook.",
    "WhatsApp, the messaging service owned by Facebook, now has two billion users, the company "
    "said Wednesday. YouTube said separately that viewers watch more than a billion hours of video "
    "a day — much of it on phones connected to Wi-Fi rather than to cellular networks.",
    "LeBron James scored 31 points and grabbed 11 rebounds as the Los Angeles Lakers beat the "
    "Denver Nuggets 114-106 on Saturday night. It was the Lakers’ fifth straight win, and the "
    "34-year-old forward’s third triple-double in as many games.",
    "BEIRUT (AP) — Syrian government forces backed by Russian airstrikes advanced on rebel-held "
    "neighborhoods east of Deir-iz-Zor on Thursday, activists said. Fighters linked to al-Qaida "
    "withdrew from two villages, according to the Britain-based Syrian Observatory for Human "
    "Rights, which relies on a network of activists on the ground.",
    "The Cessation of Hostilities (CoH), negotiated in Geneva by U.S. and Russian diplomats, "
    "collapsed within a week. A UN spokesman said aid convoys had been unable to reach 1.2 million "
    "people in besieged areas, and NATO officials warned that U.S.-Russia military contacts were "
    "at their lowest level since the Cold War.",
    "McDonald’s said it would raise wages for 100,000 workers at company-owned restaurants by an "
    "average of 10%, following similar moves by Walmart and Target. The Chicago-based chain has "
    "faced pressure from labor groups pushing for a $15 minimum wage.",
    "Health officials reported 1,204 new cases of COVID-19 over the weekend, the highest two-day "
    "total since early February. Dr. Anne MacArthur, the state epidemiologist, urged residents to "
    "get booster shots before Thanksgiving: “The vaccines work. What doesn’t work is waiting.”",
    "AT&T agreed to pay $60 million to settle claims by the Federal Trade Commission that it slowed "
    "data speeds for customers with “unlimited” plans. The Dallas-based company did not admit "
    "wrongdoing. Verizon and T-Mobile faced similar complaints in 2019.",
    "3M, the maker of Post-it notes and Scotch tape, said it would cut 2,900 jobs worldwide and "
    "shift more of its R&D budget toward health care and electronics. Chief Executive Mike Roman "
    "said the St. Paul, Minn., company expected annual savings of $225 million to $250 million.",
    "Yahoo! was once the most visited website in the world. On Friday its former chief executive "
    "told a congressional panel that a 2013 breach had exposed all 3 billion of the company’s user "
    "accounts — three times as many as it first disclosed.",
    "U.S. Secretary of State John Kerry, speaking at the UN General Assembly in New York on "
    "September 21, 2016, called the strike on the aid convoy “a moment of truth.” Russian Foreign "
    "Minister Sergey Lavrov replied that Washington’s account was “one-sided,” and Mr. Lavrov said "
    "Moscow had offered a joint investigation.",
    "The National Weather Service said Hurricane Matthew, a Category 4 storm, was moving "
    "north-northwest at 10 mph late Tuesday, about 300 miles south-southeast of Nassau. "
    "Forecasters expected the storm’s center to pass near the Bahamas on Wednesday and warned of "
    "a storm surge of up to 15 feet.",
    "Gen. Douglas MacArthur’s papers, long held by a private collector in Norfolk, Va., were sold "
    "at auction on Oct. 4 for $1.1 million. The buyer, who asked not to be named, said the letters "
    "would be lent to the MacArthur Memorial — “where they belong.”",
)

#: Words of :data:`MODERN_NEWS` that no repair may change: inner capitals, glyph-like
#: characters that are real (``&``, ``!``), and shapes a joiner repair might split. Bare
#: words: compare with :func:`bare` of a whitespace token.
MUST_SURVIVE: tuple[str, ...] = (
    "eBay", "iPhone", "YouTube", "McDonald’s", "MacArthur", "O’Neill", "DeVos", "LeBron",
    "PayPal", "JPMorgan", "PlayStation", "WhatsApp", "al-Qaida", "Deir-iz-Zor", "CoH", "UN",
    "NATO", "COVID-19", "Wi-Fi", "3M", "AT&T", "R&D", "Yahoo!", "U.S.-Russia", "T-Mobile",
    "Post-it",
)


_EDGE_PUNCTUATION = "\"'“”‘’()[],.;:?"


def bare(token: str) -> str:
    """A whitespace token without the punctuation around it (keeps ``Yahoo!``, ``McDonald’s``).

    >>> [bare(t) for t in ("(CoH),", "McDonald’s", "Yahoo!", "“unlimited”", "U.S.")]
    ['CoH', 'McDonald’s', 'Yahoo!', 'unlimited', 'U.S']
    >>> all(w in {bare(t) for p in MODERN_NEWS for t in p.split()} for w in MUST_SURVIVE)
    True
    """
    return token.strip(_EDGE_PUNCTUATION)


def modern_articles(paragraphs_per_article: int = 3) -> list[str]:
    """:data:`MODERN_NEWS` grouped into short articles (paragraphs separated by a blank line)."""
    step = max(1, paragraphs_per_article)
    return ["\n\n".join(MODERN_NEWS[i : i + step]) for i in range(0, len(MODERN_NEWS), step)]
