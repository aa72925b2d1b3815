#!/usr/bin/env python
"""Tuning numbers for the OCR spelling repair, on the tuning splits only (BLN600 train).

    python scripts/eval_spelling.py            # all of it (about a minute)
    python scripts/train_error_model.py --holdout --output /tmp/m/ocr_confusions_en.txt \
        --real-words-output /tmp/m/ocr_real_words_en.txt   # (with the other lists copied to /tmp/m)
    python scripts/build_ocr_bigrams.py --holdout --output /tmp/m/ocr_bigrams_en.txt
    python scripts/eval_spelling.py --holdout /tmp/m   # measured on the held-out half only

    python scripts/eval_spelling.py --holdout /tmp/m --wrapped   # the same in newspaper-column lines
    python scripts/eval_spelling.py --holdout /tmp/m --bands     # and the cut by how damaged the input is
    ocr-repair eval --sets bln600-train-holdout bln600-train-wrapped-holdout --option dictionary_dir=/tmp/m

With ``--wrapped`` the OCR side is hard-wrapped into newspaper-column lines with line-end
hyphens (the set ``bln600-train-wrapped``, :func:`pipeline.damage.wrap_columns`), as Overproof
gives its OCR, and every side is scored as Overproof is (:func:`pipeline.evaluate.overproof_form`).

With ``--holdout DIR`` the error model and the word-pair counts come from DIR (built from the
articles outside ``dev_half``) and only the held-out articles are scored: the honest figure, since the shipped
model has seen every train article. The figures cited in pipeline/spelling.py say which.

Prints what the constants in pipeline/spelling.py cite:

* the CER of BLN600 train before and after the spelling stage (run on the default
  pipeline's output, as in clean_text);
* calibration: the edits binned by confidence, and the share of each bin that made the text
  better (closer to the transcription), worse, or neither;
* each rule's share of edits that made the text better (the rules' confidences);
* words changed per 10,000 in the train transcription (clean text: every change counts);
* with ``--bands``, the documents grouped by their input CER (the spelling stage's input
  against the truth): per band the CER before and after, the cut, the edits, those that made
  the text worse, and the correct words made wrong (:func:`pipeline.scoring.broken_words`).

The report numbers come from ``ocr-repair eval`` (pipeline/evaluate.py) on the test splits.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import Config, clean_text  # noqa: E402
from pipeline.corpora import dev_half, eval_dir, news_articles  # noqa: E402
from pipeline.edits import apply_edits  # noqa: E402
from pipeline.evaluate import SETS, load_set  # noqa: E402
from pipeline.lexicon import load_lexicon  # noqa: E402
from pipeline.scoring import broken_words, changed_words, normalise, words  # noqa: E402
from pipeline.spelling import spelling_edits  # noqa: E402


def rule_of(edit) -> str:
    if "by a space" in edit.why:
        return "join_word (space)"
    if "compound" in edit.why:
        return "join_word (compound)"
    if edit.why.startswith("a capital"):
        return "spelling (capital I)"
    for start, name in (("specks", "spelling (specks)"), ("a lone letter", "spelling (lone letter)"),
                        ("a stray quote", "spelling (stray quote)")):
        if edit.why.startswith(start):
            return name
    return edit.rule


#: Input CER bands for --bands: on the held-out half of BLN600 train 30, 83, 55, 46, 21 and 10
#: documents.
BANDS = (0.0, 0.02, 0.04, 0.07, 0.12, 0.20)


def print_bands(documents: list[tuple[int, int, int, int, int, int]]) -> None:
    print("\ninput CER   docs  CER in  CER out  cut    edits  worse  broken")
    for k, low in enumerate(BANDS):
        high = BANDS[k + 1] if k + 1 < len(BANDS) else None
        rows = [d for d in documents if d[1] >= low * d[0] and (high is None or d[1] < high * d[0])]
        if not rows:
            continue
        reference, before, after, edits, worse, broken = (sum(column) for column in zip(*rows))
        label = f"{100 * low:.0f}-{100 * high:.0f}%" if high is not None else f"{100 * low:.0f}%+"
        print(f"{label:10s} {len(rows):5d} {100 * before / reference:6.2f}% {100 * after / reference:7.2f}% "
              f"{100 * (before - after) / max(before, 1):5.1f}% {edits:6d} {worse:6d} {broken:7d}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--holdout", type=Path, metavar="DIR",
                        help="dictionary folder with a model trained by train_error_model.py --holdout; "
                        "score the held-out half of BLN600 train only")
    parser.add_argument("--wrapped", action="store_true",
                        help="the OCR in newspaper-column lines (bln600-train-wrapped), scored as Overproof is")
    parser.add_argument("--bands", action="store_true",
                        help="also the cut per band of the documents' input CER")
    args = parser.parse_args(argv)
    if eval_dir() is None:
        print("evaluation data not found (../shared/eval): nothing to measure", file=sys.stderr)
        return 1
    config = Config(fix_spelling=True, dictionary_dir=str(args.holdout) if args.holdout else None)
    lexicon = load_lexicon(config)
    bins: dict[int, Counter] = defaultdict(Counter)
    rules: dict[str, Counter] = defaultdict(Counter)
    reference = before = after = 0
    documents: list[tuple[int, int, int, int, int, int]] = []  # reference, before, after, edits, worse, broken
    set_name = "bln600-train-wrapped" if args.wrapped else "bln600-train"
    form = SETS[set_name].form if args.wrapped else normalise
    for sample in load_set(set_name):
        if args.holdout and not dev_half(sample.name):
            continue
        base = clean_text(sample.text).text  # what the spelling stage gets in the pipeline
        truth = form(sample.truth)
        edits = spelling_edits(base, lexicon, config)
        base_errors = Levenshtein.distance(truth, form(base))
        reference += len(truth)
        before += base_errors
        output = apply_edits(base, edits)
        errors = Levenshtein.distance(truth, form(output))
        after += errors
        worse = 0
        for edit in edits:
            delta = Levenshtein.distance(truth, form(apply_edits(base, [edit]))) - base_errors
            outcome = "better" if delta < 0 else "worse" if delta > 0 else "neither"
            worse += delta > 0
            bins[min(int(edit.confidence * 10), 9)][outcome] += 1
            rules[rule_of(edit)][outcome] += 1
        if args.bands:
            documents.append((len(truth), base_errors, errors, len(edits), worse,
                              broken_words(truth, form(base), form(output))))
    print(f"BLN600 train{' (held-out half)' if args.holdout else ''}{' in column lines' if args.wrapped else ''}: CER {100 * before / reference:.2f}% -> {100 * after / reference:.2f}% "
          f"({100 * (before - after) / before:.1f}% less) with the spelling stage")
    print("\nconfidence   edits  better  worse  neither  share better")
    for k in sorted(bins):
        c = bins[k]
        n = sum(c.values())
        print(f"{k / 10:.1f}-{(k + 1) / 10:.1f}   {n:6d} {c['better']:7d} {c['worse']:6d} {c['neither']:8d}  "
              f"{c['better'] / n:.2f}")
    print("\nrule                    edits  better  share better")
    for rule, c in sorted(rules.items()):
        n = sum(c.values())
        print(f"{rule:22s} {n:6d} {c['better']:7d}  {c['better'] / n:.2f}")
    if args.bands:
        print_bands(documents)
    transcription = news_articles("train")
    n_words = sum(len(words(t)) for t in transcription)
    changed = sum(changed_words(t, clean_text(t, config).text) - changed_words(t, clean_text(t).text)
                  for t in transcription)
    print(f"\nBLN600 train transcription: {changed} words changed by the spelling stage in {n_words} "
          f"({1e4 * changed / n_words:.2f} per 10,000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
