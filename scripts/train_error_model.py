#!/usr/bin/env python
"""Learn how OCR misreads, from BLN600 train: dictionaries/ocr_confusions_en.txt (characters)
and dictionaries/ocr_real_words_en.txt (real words printed for others, "lie" for "he").

    python scripts/train_error_model.py            # rewrites both files (reads train only)
    python scripts/train_error_model.py --holdout --output DIR/ocr_confusions_en.txt \
        --real-words-output DIR/ocr_real_words_en.txt   # half of train, for honest tuning
                                                        # (scripts/eval_spelling.py --holdout DIR)

Method (a Brill-Moore style channel model, counted rather than fitted):

1. Each BLN600 train row pairs an OCR line with its human transcription. The two are aligned
   word by word (Levenshtein over whitespace tokens); a replaced block with as many OCR words
   as truth words gives 1:1 word pairs, and equal words are pairs too (they count how often a
   character is read right). Edge punctuation is stripped, both sides are lowercased, and a
   pair is kept when the truth is a word (letters, inner apostrophes or hyphens) and the two
   are close enough to be one word misread (distance <= max(2, len/3)): a wider gap is a
   misalignment, not a confusion.
2. Each kept pair is aligned character by character; adjacent non-equal operations form one
   block, so ``rn`` read for ``m`` is one confusion, not a substitution plus an insertion. A
   block with an empty side (a dropped or an extra character) takes its left neighbour on
   both sides (its right one at the start of the word): ``unlawvful`` gives ``wv`` for ``w``,
   and no row has an empty field.
3. The denominator of P(ocr | truth) is how often the truth string occurs in the truth words
   of all pairs. It is written as the identity row ``t<TAB>t<TAB>n`` (the times ``t`` was read
   as itself), so P(o | t) = count(o, t) / (sum of the counts of the rows whose truth is t).

Only the train split is read; test is for reporting. Confusions seen once are dropped (one
sighting is as likely a transcription slip as a habit of the OCR); the corrector gives
unseen edits a floor probability instead (or more, by pipeline.spelling._unseen_backoff).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import regex
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.corpora import EvalDataMissing, dev_half, require_eval_dir  # noqa: E402
from pipeline.spelling import MAX_PIECE, confusions  # noqa: E402

OUTPUT = ROOT / "dictionaries" / "ocr_confusions_en.txt"
REAL_WORDS_OUTPUT = ROOT / "dictionaries" / "ocr_real_words_en.txt"
#: A printed word this common (Zipf) is a real word; its misreadings are listed when seen
#: at least MIN_COUNT times.
REAL_WORD_ZIPF = 3.0
#: Confusions seen fewer times than this are left out (see the module docstring).
MIN_COUNT = 2

_EDGE = regex.compile(r"^[\p{P}\p{S}]+|[\p{P}\p{S}]+$")
_TRUTH_WORD = regex.compile(r"\p{L}+(?:['’-]\p{L}+)*")


def strip_edges(token: str) -> str:
    return _EDGE.sub("", token)


#: A word boundary inside a confusion: ``f<TAB>f␣`` is a space lost after an ``f``
#: ("ofjewellery"), ``l<TAB>␣`` a space read as an ``l`` ("withltherobbery").
BOUNDARY = "␣"
#: Most words on either side of a block of words run together or split apart.
MAX_WORDS = 3


def word_pairs(ocr: str, truth: str):
    """(ocr, truth) pairs of one aligned row, lowercased, edge punctuation stripped; words run
    together or split apart give pairs with ``␣`` for the spaces.

    >>> list(word_pairs("the cbarges in ofjewellery.", "the charges in of jewellery."))
    [('the', 'the'), ('cbarges', 'charges'), ('in', 'in'), ('ofjewellery', 'of␣jewellery')]
    >>> list(word_pairs("the pri- soner", "the prisoner"))  # a stray hyphen is layout, not OCR
    [('the', 'the')]
    """
    o_words, t_words = ocr.split(), truth.split()
    # Adjacent non-equal operations form one block, so that a word split by a stray hyphen
    # ("de- clared" for "declared") is a 2:1 block, not a pair "clared"/"declared" that would
    # teach the model that OCR drops whole syllables.
    blocks: list[list[int]] = []
    for op in Levenshtein.opcodes(t_words, o_words):
        if op.tag == "equal":
            blocks.append([op.src_start, op.src_end, op.dest_start, op.dest_end, 1])
        elif blocks and not blocks[-1][4]:
            blocks[-1][1], blocks[-1][3] = op.src_end, op.dest_end
        else:
            blocks.append([op.src_start, op.src_end, op.dest_start, op.dest_end, 0])
    for t0, t1, o0, o1, equal in blocks:
        if equal:
            yield from _close_pairs([([t], [t]) for t in t_words[t0:t1]])
            continue
        # A line-end hyphen left inside the line ("sub- sequently") is layout, handled by its
        # own rule; it is not a habit of the OCR.
        if any(o.endswith("-") for o in o_words[o0:o1]):
            continue
        if t1 - t0 == o1 - o0:
            pairs = _close_pairs([([t], [o]) for t, o in zip(t_words[t0:t1], o_words[o0:o1])])
            if len(pairs) == t1 - t0:
                yield from pairs
                continue
        if 0 < t1 - t0 <= MAX_WORDS and 0 < o1 - o0 <= MAX_WORDS:
            # Words run together or split apart, or a 1:1 pairing that does not hold up.
            yield from _close_pairs([(t_words[t0:t1], o_words[o0:o1])])


def _close_pairs(groups: list[tuple[list[str], list[str]]]) -> list[tuple[str, str]]:
    """The groups whose two sides are close enough to be one text misread, as strings."""
    out = []
    for ts, os_ in groups:
        t = BOUNDARY.join(strip_edges(w).lower() for w in ts)
        o = BOUNDARY.join(strip_edges(w).lower() for w in os_)
        if not all(_TRUTH_WORD.fullmatch(piece) for piece in t.split(BOUNDARY)) or not o.strip(BOUNDARY):
            continue
        if Levenshtein.distance(t, o) > max(2, len(t) // 3):
            continue
        out.append((o, t))
    return out


def read_pairs(rows) -> Counter:
    """(ocr, truth) word pairs of all rows, counted."""
    pairs: Counter = Counter()
    for row in rows:
        pairs.update(word_pairs(row["OCR Text"], row["Ground Truth"]))
    return pairs


def train(pairs: Counter) -> tuple[Counter, Counter, int]:
    """Confusion counts, truth-substring occurrences, and the number of word pairs read."""
    confusion: Counter = Counter()
    occurrences: Counter = Counter()
    for (ocr, truth), n in pairs.items():
        # A word stands between spaces, and each of them could be lost or misread.
        padded = BOUNDARY + truth + BOUNDARY
        for k in range(1, MAX_PIECE + 1):
            for i in range(len(padded) - k + 1):
                occurrences[padded[i : i + k]] += n
        occurrences[BOUNDARY] -= n  # the spaces are shared with the next word: count each once
        if ocr != truth:
            for piece in confusions(ocr, truth):
                confusion[piece] += n
    return confusion, occurrences, sum(pairs.values())


def write_table(confusion: Counter, occurrences: Counter, n_pairs: int, n_rows: int, path: Path) -> int:
    kept = {(o, t): n for (o, t), n in confusion.items() if n >= MIN_COUNT}
    misread: Counter = Counter()
    for (o, t), n in kept.items():
        misread[t] += n
    lines = [
        "# OCR character confusions learned from BLN600 train (British Library newspapers, 1800s).",
        f"# Built by scripts/train_error_model.py on {date.today().isoformat()} from {n_rows} rows, "
        f"{n_pairs} aligned word pairs.",
        "# Format: ocr_string<TAB>truth_string<TAB>count; UTF-8, lowercase. A row t<TAB>t<TAB>n says t was",
        "# read as itself n times, so P(ocr | truth) = count / (sum of counts of the rows with that truth).",
        "# A lost or extra character is anchored on its left neighbour (wv<TAB>w: an extra v after w).",
        f"# {BOUNDARY} is a space between words: f<TAB>f{BOUNDARY} a space lost after f, l<TAB>{BOUNDARY} a space read as l.",
        f"# Confusions seen fewer than {MIN_COUNT} times are left out. Source data: BLN600 (Thomas, Gaizauskas,",
        "# Lu, LREC-COLING 2024), MIT-licensed repository, research release; only counts are kept here.",
    ]
    for t in sorted(misread, key=lambda s: (len(s), s)):
        lines.append(f"{t}\t{t}\t{max(occurrences[t] - misread[t], 1)}")
    for (o, t), n in sorted(kept.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"{o}\t{t}\t{n}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(kept)


def write_real_words(pairs: Counter, n_rows: int, path: Path) -> int:
    """The real words OCR printed for other words ("lie" for "he"), with how often each
    printed word was meant as printed: ``printed<TAB>meant<TAB>count`` rows, the identity row
    ``w<TAB>w<TAB>n`` counting the times ``w`` was right."""
    from pipeline.lexicon import load_lexicon

    lexicon = load_lexicon()
    printed: Counter = Counter()
    for (ocr, truth), n in pairs.items():
        if BOUNDARY not in ocr and BOUNDARY not in truth:
            printed[ocr] += n
    kept = {
        (ocr, truth): n
        for (ocr, truth), n in pairs.items()
        if ocr != truth and n >= MIN_COUNT and BOUNDARY not in ocr + truth
        and ocr.isalpha() and lexicon.zipf(ocr) >= REAL_WORD_ZIPF
    }
    words = sorted({ocr for ocr, _ in kept})
    lines = [
        "# Real words that OCR printed for other words, learned from BLN600 train (British Library",
        f"# newspapers, 1800s) by scripts/train_error_model.py on {date.today().isoformat()} from {n_rows} rows.",
        "# Format: printed<TAB>meant<TAB>count; UTF-8, lowercase. A row w<TAB>w<TAB>n says w was printed and",
        "# meant n - 1 times (one added: never is not impossible), so P(meant | printed) = count / (sum of",
        "# the counts of the rows with that printed word)",
        f"# at the training data's noise. Printed words are those with a wordfreq Zipf frequency >= {REAL_WORD_ZIPF};",
        f"# misreadings seen fewer than {MIN_COUNT} times are left out. Source data: BLN600 (Thomas, Gaizauskas,",
        "# Lu, LREC-COLING 2024), MIT-licensed repository, research release; only counts are kept here.",
    ]
    for word in words:
        lines.append(f"{word}\t{word}\t{pairs.get((word, word), 0) + 1}")
    for (ocr, truth), n in sorted(kept.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"{ocr}\t{truth}\t{n}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(kept)


def train_rows(holdout: bool = False) -> list[dict[str, str]]:
    """The rows of BLN600 train; with ``holdout``, only the articles outside :func:`dev_half`.
    Raises :class:`EvalDataMissing` when the data is absent."""
    source = require_eval_dir() / "bln600" / "train.csv"
    csv.field_size_limit(10**9)
    with source.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return [row for row in rows if not dev_half(row["Sample ID"])] if holdout else rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write the confusion table")
    parser.add_argument("--real-words-output", type=Path, default=REAL_WORDS_OUTPUT,
                        help="where to write the real-word misreadings")
    parser.add_argument("--holdout", action="store_true",
                        help="train on the articles outside dev_half() only, so that scripts/eval_spelling.py "
                        "--holdout measures on articles the model never saw (write to another --output)")
    args = parser.parse_args(argv)
    try:
        rows = train_rows(args.holdout)
    except EvalDataMissing as error:
        print(f"cannot train: {error}", file=sys.stderr)
        return 1
    pairs = read_pairs(rows)
    confusion, occurrences, n_pairs = train(pairs)
    kept = write_table(confusion, occurrences, n_pairs, len(rows), args.output)
    print(f"{kept} confusions from {len(rows)} rows ({n_pairs} word pairs) -> {args.output}")
    real = write_real_words(pairs, len(rows), args.real_words_output)
    print(f"{real} real-word misreadings -> {args.real_words_output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
