#!/usr/bin/env python
"""Word-pair counts of BLN600 train's ground truth, for the spelling stage's word context.

    python scripts/build_ocr_bigrams.py                          # dictionaries/ocr_bigrams_en.txt
    python scripts/build_ocr_bigrams.py --holdout --output DIR/ocr_bigrams_en.txt
                                             # the articles outside dev_half() only (tuning)

symspellpy's packaged bigrams are modern web English; the newspapers the stage repairs are
19th-century British ones, whose common pairs ("the prisoner", "the magistrates", "sir robert")
the transcriptions of BLN600 train hold. Two words are a pair when they are adjacent in a
human transcription with no clause punctuation between them, read as the stage reads a word's
neighbours (pipeline/spelling.py, _Reader.neighbour): lowercase, edge punctuation stripped.
Pairs seen fewer than MIN_COUNT times are left out; every word's count is kept (one word on
its line). Test data are never read.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from pipeline.corpora import EvalDataMissing  # noqa: E402
from pipeline.spelling import _CLAUSE_BREAK, _parts  # noqa: E402
from train_error_model import train_rows  # noqa: E402

OUTPUT = ROOT / "dictionaries" / "ocr_bigrams_en.txt"
#: Pairs seen fewer times are not written (a single sighting says little).
MIN_COUNT = 2


def count(texts) -> tuple[Counter, Counter]:
    """(word counts, adjacent pair counts) of ``texts``, words as the spelling stage reads them.

    >>> words, pairs = count(["The prisoner, said the prisoner."])
    >>> pairs["the prisoner"], pairs["prisoner said"], words["prisoner"]
    (2, 0, 2)
    """
    words: Counter = Counter()
    pairs: Counter = Counter()
    for text in texts:
        previous = None
        for token in text.split():
            opens, core, closes = _parts(token)
            word = core.lower() if core.isalpha() else None
            if word:
                words[word] += 1
            if previous and word and not any(c in _CLAUSE_BREAK for c in opens):
                pairs[previous + " " + word] += 1
            previous = word if word and not any(c in _CLAUSE_BREAK for c in closes) else None
    return words, pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--holdout", action="store_true",
                        help="count the articles outside dev_half() only (for scripts/eval_spelling.py --holdout)")
    args = parser.parse_args(argv)
    try:
        rows = train_rows(args.holdout)
    except EvalDataMissing as error:
        print(f"cannot count: {error}", file=sys.stderr)
        return 1
    words, pairs = count(row["Ground Truth"] for row in rows)
    kept = {pair: n for pair, n in pairs.items() if n >= MIN_COUNT}
    with args.output.open("w", encoding="utf-8") as out:
        out.write(f"# Word and adjacent word-pair counts of the human transcriptions of BLN600 train "
                  f"({len(rows)} rows{', outside dev_half()' if args.holdout else ''}),\n"
                  f"# built by scripts/build_ocr_bigrams.py; pairs seen fewer than {MIN_COUNT} times left out.\n"
                  f"# word<TAB>count, or word word<TAB>count.\n")
        for word, n in sorted(words.items(), key=lambda item: (-item[1], item[0])):
            out.write(f"{word}\t{n}\n")
        for pair, n in sorted(kept.items(), key=lambda item: (-item[1], item[0])):
            out.write(f"{pair}\t{n}\n")
    print(f"{len(words)} words, {len(kept)} pairs from {len(rows)} rows -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
