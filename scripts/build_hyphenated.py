"""Build dictionaries/hyphenated_corpus_en.txt: compounds that real text writes with a hyphen.

A compound is listed when the ground truth of the tuning splits (BLN600 train, Freiburg dev:
ACL and arXiv) writes it hyphenated at least twice, and more often hyphenated than open
("police station") or closed ("policestation"). The count written is the hyphenated count.
Only tuning splits are read, never test.

    python scripts/build_hyphenated.py            # rewrites the file
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.corpora import eval_dir, freiburg_lines, news_articles  # noqa: E402

OUTPUT = ROOT / "dictionaries" / "hyphenated_corpus_en.txt"
WORD = regex.compile(r"\p{L}+(?:-\p{L}+)*")


def count(texts) -> tuple[Counter, Counter, Counter]:
    hyphenated: Counter = Counter()
    open_pairs: Counter = Counter()
    closed: Counter = Counter()
    for text in texts:
        words = [w.lower() for w in WORD.findall(text)]
        closed.update(words)
        for a, b in zip(words, words[1:]):
            open_pairs[f"{a}-{b}"] += 1
        for w in words:
            if w.count("-") == 1:
                hyphenated[w] += 1
    return hyphenated, open_pairs, closed


def main() -> int:
    if eval_dir() is None:
        print("evaluation data not found (../shared/eval): nothing to build", file=sys.stderr)
        return 1
    texts = list(news_articles("train"))
    for benchmark in ("ACL", "arXiv.pdftotext"):
        texts.extend(freiburg_lines("dev", benchmark))
    hyphenated, open_pairs, closed = count(texts)
    kept = {
        compound: n
        for compound, n in hyphenated.items()
        if n >= 2 and n > open_pairs[compound] + closed[compound.replace("-", "")]
    }
    OUTPUT.write_text("".join(f"{c} {n}\n" for c, n in sorted(kept.items())), encoding="utf-8")
    print(f"{len(kept)} compounds from {len(texts)} texts -> {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
