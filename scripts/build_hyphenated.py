"""Build dictionaries/hyphenated_corpus_en.txt: compounds that real text writes with a hyphen,
and dictionaries/hyphenated_last_parts_en.txt: last parts it hyphenates after a name.

A compound is listed when the ground truth of the tuning splits (BLN600 train, Freiburg dev:
ACL and arXiv) writes it hyphenated at least twice, and more often hyphenated than open
("police station") or closed ("policestation"). The count written is the hyphenated count.

A last part is listed when the news ground truth (BLN600 train) writes it, in lowercase,
hyphenated after at least five different capitalised words, five times or more, and more
than five times as often hyphenated as open after a capitalised word ("Bow-street",
"Kent-road": the usage of the 19th-century press). The count written is the hyphenated count.
Only tuning splits are read, never test.

    python scripts/build_hyphenated.py            # rewrites both files
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
LAST_PARTS = ROOT / "dictionaries" / "hyphenated_last_parts_en.txt"
WORD = regex.compile(r"\p{L}+(?:-\p{L}+)*")
NAME_PAIR = regex.compile(r"(?<![\p{L}'’-])(\p{Lu}\p{Ll}+(?:['’]s)?)([- ])(\p{Ll}+)\b")


def last_parts(texts) -> dict[str, int]:
    """Lowercase last parts hyphenated after many different capitalised words, and seldom
    written open after one."""
    hyphenated: Counter = Counter()
    open_pairs: Counter = Counter()
    firsts: dict[str, set[str]] = {}
    for text in texts:
        for m in NAME_PAIR.finditer(text):
            part = m.group(3)
            if m.group(2) == "-":
                hyphenated[part] += 1
                firsts.setdefault(part, set()).add(m.group(1))
            else:
                open_pairs[part] += 1
    return {
        part: n
        for part, n in hyphenated.items()
        if n >= 5 and len(firsts[part]) >= 5 and n > 5 * open_pairs[part]
    }


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
    news = list(news_articles("train"))
    texts = list(news)
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
    parts = last_parts(news)
    LAST_PARTS.write_text("".join(f"{p} {n}\n" for p, n in sorted(parts.items())), encoding="utf-8")
    print(f"{len(parts)} last parts from {len(news)} news texts -> {LAST_PARTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
