#!/usr/bin/env python
"""How the spelling stage fares with an error model that does not know the OCR engine, on
tuning data only (the held-out half of BLN600 train, Freiburg ACL dev).

    python scripts/cross_engine.py --holdout /tmp/m            # about two minutes
    python scripts/cross_engine.py --holdout /tmp/m --wrapped  # the held-out half in column lines
    python scripts/cross_engine.py --holdout /tmp/m --batch    # read as one batch: the model
                                                               # adapts (EngineAdaptation)

Overproof's OCR comes from other engines than BLN600's, and no training data exists for them,
so the question "does the corrector cope with confusions its table never saw?" is asked of
models made to look like another engine's, each scored on the held-out half of BLN600 train
(the articles the model in DIR, from ``train_error_model.py --holdout``, never saw):

* ``as trained``: DIR's confusion table as it is (the in-engine figure);
* ``random half N``: a random half of its confusion types dropped (draw N), as if the other
  engine shared half of BLN600's engine's habits;
* ``letters ...``: every confusion whose truth holds one of those letters dropped;
* ``Freiburg ACL dev``: a table counted on Freiburg ACL dev's OCR (another engine, ACL papers)
  by the training script's own method, the rest of DIR unchanged.

Word-boundary confusions (lost spaces) are kept in the dropped tables. Prints, per model, the
CER before and after the spelling stage and the edits that made the text better or worse (as
``scripts/eval_spelling.py`` counts them). The figures cited by ``_unseen_backoff`` in
pipeline/spelling.py come from here.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import zlib
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import Config, clean_text  # noqa: E402
from pipeline.corpora import dev_half, eval_dir  # noqa: E402
from pipeline.edits import apply_edits  # noqa: E402
from pipeline.evaluate import SETS, load_set  # noqa: E402
from pipeline.lexicon import load_lexicon  # noqa: E402
from pipeline.scoring import normalise  # noqa: E402
from pipeline.spelling import BOUNDARY, EngineAdaptation, spelling_edits  # noqa: E402
from scripts.train_error_model import read_pairs, train, write_table  # noqa: E402

CONFUSIONS = "ocr_confusions_en.txt"
#: Letters whose confusions the two letter-class models drop.
HELD_OUT_LETTERS = ("ehnrtu", "acdilos")


def _rows(path: Path) -> list[tuple[str, str, int]]:
    rows = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip() and not line.startswith("#"):
            ocr, truth, count = line.split("\t")
            rows.append((ocr, truth, int(count)))
    return rows


def _model_dir(source: Path, target: Path, rows: list[tuple[str, str, int]] | None = None, table: Path | None = None) -> Path:
    """A copy of the dictionary folder ``source`` with another confusion table."""
    target.mkdir(parents=True)
    for item in source.iterdir():
        if item.name != CONFUSIONS:
            shutil.copy(item, target / item.name)
    if table is not None:
        shutil.copy(table, target / CONFUSIONS)
    else:
        assert rows is not None
        (target / CONFUSIONS).write_text("".join(f"{o}\t{t}\t{n}\n" for o, t, n in rows), encoding="utf-8")
    return target


def _dropped(rows, keep) -> list[tuple[str, str, int]]:
    return [(o, t, n) for o, t, n in rows if o == t or BOUNDARY in o + t or keep(o, t)]


def acl_dev_table(path: Path) -> None:
    """The confusion table of Freiburg ACL dev's OCR (corrupt.txt against spelling.txt)."""
    folder = eval_dir() / "freiburg" / "dev" / "ACL"
    ocr = (folder / "corrupt.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")
    truth = (folder / "spelling.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")
    rows = [{"OCR Text": o, "Ground Truth": t} for o, t in zip(ocr, truth)]
    confusion, occurrences, n_pairs = train(read_pairs(rows))
    write_table(confusion, occurrences, n_pairs, len(rows), path)


def score(docs, folder: Path, form, batch: bool = False) -> str:
    """``batch``: the documents are read in order as one batch, the error model re-priced by
    the sure repairs of those before (pipeline.spelling.EngineAdaptation)."""
    config = Config(fix_spelling=True, dictionary_dir=str(folder))
    lexicon = load_lexicon(config)
    adaptation = EngineAdaptation() if batch else None
    reference = before = after = better = worse = 0
    for base, truth in docs:
        edits = spelling_edits(base, lexicon, config, adaptation=adaptation)
        errors = Levenshtein.distance(truth, form(base))
        reference += len(truth)
        before += errors
        after += Levenshtein.distance(truth, form(apply_edits(base, edits)))
        for edit in edits:
            delta = Levenshtein.distance(truth, form(apply_edits(base, [edit]))) - errors
            better += delta < 0
            worse += delta > 0
    return (f"CER {100 * before / reference:.3f}% -> {100 * after / reference:.3f}% "
            f"({100 * (before - after) / before:.2f}% less), {better} edits better, {worse} worse")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--holdout", type=Path, metavar="DIR", required=True,
                        help="dictionary folder with a model trained by train_error_model.py --holdout")
    parser.add_argument("--wrapped", action="store_true", help="the OCR in newspaper-column lines")
    parser.add_argument("--batch", action="store_true",
                        help="read the documents as one batch, the error model adapting to each model's engine")
    args = parser.parse_args(argv)
    if eval_dir() is None:
        print("evaluation data not found (../shared/eval): nothing to measure", file=sys.stderr)
        return 1
    set_name = "bln600-train-wrapped" if args.wrapped else "bln600-train"
    form = SETS[set_name].form if args.wrapped else normalise
    docs = [(clean_text(s.text).text, form(s.truth)) for s in load_set(set_name) if dev_half(s.name)]
    rows = _rows(args.holdout / CONFUSIONS)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        models = [("as trained", args.holdout)]
        for seed in (0, 1):
            kept = _dropped(rows, lambda o, t, s=seed: zlib.crc32(f"{s}{o}\t{t}".encode()) % 2 == 0)
            models.append((f"random half {seed}", _model_dir(args.holdout, work / f"half{seed}", kept)))
        for letters in HELD_OUT_LETTERS:
            kept = _dropped(rows, lambda o, t, h=frozenset(letters): not set(t) & h)
            models.append((f"letters {letters}", _model_dir(args.holdout, work / letters, kept)))
        acl_dev_table(work / "acl.txt")
        models.append(("Freiburg ACL dev", _model_dir(args.holdout, work / "acl", table=work / "acl.txt")))
        for name, folder in models:
            print(f"{name:18s} {score(docs, folder, form, args.batch)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
