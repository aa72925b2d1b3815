#!/usr/bin/env python
"""Speed of the repair, single process: dictionary load time, ``clean_text`` MB/s on damaged
articles, a plain regex pass over the same text for scale, and peak memory.

    python scripts/bench.py            # 4 MB of damaged articles
    python scripts/bench.py --mb 1

The articles are BLN600 train ground truth (from ../shared/eval, read in place) damaged with
pipeline.damage like the seed; without the evaluation data, the hand-written modern prose is
damaged instead (say so in any numbers you quote). Speed does not depend on the split, and
train keeps the test split untouched.
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import time
from collections import defaultdict

import regex


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


#: How many junk-glyph runs the generated input holds (for its density).
GLYPH_RUNS = [0]


def damaged_articles(megabytes: float, seed: str, width1: tuple[int, int] | None = None) -> tuple[list[str], str]:
    """Damaged articles totalling at least ``megabytes`` MB of UTF-8, and where they came from.
    ``width1`` sets the original layout's width, and so how dense the junk glyphs are."""
    from pipeline import corpora
    from pipeline.damage import DamageSpec, damage_many

    spec = DamageSpec() if width1 is None else DamageSpec(width1=width1)

    source = "BLN600 train"
    texts = corpora.news_articles("train")
    if not texts:
        source = "modern prose (evaluation data absent)"
        texts = corpora.modern_articles(3)
    wanted = int(megabytes * 1_000_000)
    out: list[str] = []
    size = 0
    copy = 0
    while size < wanted:
        # Each pass damages the same articles differently (own seed), as a new batch would be.
        for d in damage_many(texts, seed=f"{seed}:{copy}", spec=spec):
            out.append(d.text)
            GLYPH_RUNS[0] += len(d.glyph_spans)
            size += len(d.text.encode("utf-8"))
            if size >= wanted:
                break
        copy += 1
    return out, source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=4.0, help="megabytes of damaged text to clean (default 4)")
    parser.add_argument("--seed", default="bench", help="damage seed")
    parser.add_argument("--width1", type=int, nargs=2, metavar=("LOW", "HIGH"),
                        help="original line widths (default: the generator's 55-85, a glyph every "
                             "~70 characters; the seed's old lines are 70-90, a glyph every ~92)")
    args = parser.parse_args(argv)

    print(f"python {sys.version.split()[0]}, single process")
    from pipeline.lexicon import load_lexicon

    started = time.perf_counter()
    lexicon = load_lexicon()
    cold = time.perf_counter() - started
    started = time.perf_counter()
    load_lexicon()
    warm = time.perf_counter() - started
    print(f"load_lexicon: first call {cold:.3f} s ({len(lexicon.frequencies):,} words), "
          f"second (cached) call {warm * 1e6:.1f} µs")
    print(f"peak memory after loading: {peak_rss_mb():.0f} MB")

    started = time.perf_counter()
    articles, source = damaged_articles(args.mb, args.seed, tuple(args.width1) if args.width1 else None)
    size = sum(len(a.encode("utf-8")) for a in articles)
    print(f"input: {len(articles)} damaged articles from {source}, {size / 1e6:.2f} MB, "
          f"one junk-glyph run per {size / max(GLYPH_RUNS[0], 1):.0f} bytes (the seed: one per 92) "
          f"(generated in {time.perf_counter() - started:.1f} s)")

    from pipeline import clean_text

    # The first call pays for lazy imports (ftfy, stage modules): shown apart from the rate.
    started = time.perf_counter()
    clean_text(articles[0])
    print(f"first clean_text call (lazy imports, one article): {time.perf_counter() - started:.3f} s")

    stage_seconds: dict[str, float] = defaultdict(float)
    started = time.perf_counter()
    cpu_started = time.process_time()
    for article in articles:
        result = clean_text(article)
        for stage, seconds in result.notes.get("timings", {}).items():
            stage_seconds[stage] += seconds
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    # CPU time is the per-core figure, and does not count what other processes on a shared
    # machine take from this one; wall time is shown beside it.
    print(f"clean_text: {size / 1e6 / cpu:.3f} MB/s per core ({cpu:.2f} s of CPU); "
          f"wall {elapsed:.2f} s, {size / 1e6 / elapsed:.3f} MB/s")
    if stage_seconds:
        print("  by stage: " + ", ".join(f"{s} {t:.2f} s ({100 * t / elapsed:.0f}%)"
                                        for s, t in sorted(stage_seconds.items(), key=lambda i: -i[1])))

    text = "\n\n".join(articles)
    word = regex.compile(r"\w+")
    started = time.perf_counter()
    found = len(word.findall(text))
    elapsed = time.perf_counter() - started
    print(f"regex.findall(r'\\w+'): {elapsed:.3f} s, {size / 1e6 / elapsed:.1f} MB/s ({found:,} words)")
    space = re.compile(r"\s+")
    started = time.perf_counter()
    space.sub(" ", text)
    elapsed = time.perf_counter() - started
    print(f"re.sub(r'\\s+', ' '): {elapsed:.3f} s, {size / 1e6 / elapsed:.1f} MB/s")

    print(f"peak memory (ru_maxrss): {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
