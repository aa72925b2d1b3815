"""Score the repair against human ground truth: error rates before and after, and the damage done.

Two ways in:

* a pair of folders, ``--input DIR --truth DIR``: every file under the input folder is scored
  against the file with the same relative name under the truth folder (``--output DIR``
  writes the repaired files there);
* the third-party evaluation sets in ``../shared/eval`` (see its README), ``--sets``:
  BLN600 test, Overproof 2 and 3, ICDAR 2017 English, Freiburg ACL and arXiv.pdftotext test
  (and the tuning splits, for tuning: ``bln600-train``, ``freiburg-acl-dev``, ...). A set
  whose data is absent is skipped with the reason.

Each document goes through the full pipeline, :func:`pipeline.clean_text`, twice: with the
default configuration and with ``fix_spelling`` on. Scores follow the data's README: WER and
CER on whitespace-normalised text; the reduction is relative (``1 - after / before``); "broken"
counts the reference words the input had right and the output lost. On Overproof the third
column (the commercial Overproof system's own output) is scored the same way as a peer.

    ocr-repair eval --sets bln600 overproof2 overproof3
    python -m pipeline.evaluate --input scans/ocr --truth scans/truth --output scans/repaired

>>> overproof_form("con-\\nstitution of the north-\\nEast  gum-tree")
'constitution of the northEast gumtree'
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import regex

from .config import Config, config_from_mapping
from .corpora import EvalDataMissing, dev_half, require_eval_dir
from .damage import wrap_columns
from .edits import Edit, apply_edits
from .scoring import broken_words, normalise, words
from rapidfuzz.distance import Levenshtein

__all__ = ["Sample", "Tally", "SETS", "TEST_SETS", "load_set", "evaluate", "main", "overproof_form"]


# =============================================================================================
# Samples
# =============================================================================================


@dataclass(frozen=True)
class Sample:
    """One document: what the pipeline gets, and what a careful human wrote.

    ``pieces`` (ICDAR 2017) are the spans of ``text`` that have gold, with the gold for each;
    text outside them is repaired but not scored. ``peer`` is another system's output.
    """

    name: str
    text: str
    truth: str
    peer: str | None = None
    pieces: tuple[tuple[int, int, str], ...] | None = None


def overproof_form(text: str) -> str:
    """Overproof's human lines keep line-end hyphens without saying which are soft, so every
    side is scored with hyphens between letters, and at line ends, removed."""
    text = _LINE_END_HYPHEN.sub("", text)
    return normalise(_INNER_HYPHEN.sub("", text))


_LINE_END_HYPHEN = regex.compile(r"(?<=\p{L})-[ \t]*\n\s*(?=\p{L})")
_INNER_HYPHEN = regex.compile(r"(?<=\p{L})-(?=\p{L})")


@dataclass(frozen=True)
class EvalSet:
    name: str
    description: str
    load: Callable[[Path], list[Sample]]
    form: Callable[[str], str] = normalise
    peer_name: str | None = None


def _bln600(split: str) -> Callable[[Path], list[Sample]]:
    def load(root: Path) -> list[Sample]:
        path = root / "bln600" / f"{split}.csv"
        if not path.is_file():
            raise EvalDataMissing(f"{path} not found")
        csv.field_size_limit(10**9)
        articles: dict[str, tuple[list[str], list[str]]] = {}
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                ocr, truth = articles.setdefault(row["Sample ID"], ([], []))
                ocr.append(row["OCR Text"])
                truth.append(row["Ground Truth"])
        # One row is one sentence-like piece of the article: a line each, as OCR gives them.
        return [Sample(sid, "\n".join(ocr), " ".join(truth)) for sid, (ocr, truth) in articles.items()]

    return load


def _bln600_train_half(wrapped: bool, holdout: bool) -> Callable[[Path], list[Sample]]:
    """BLN600 train, or its held-out half (:func:`pipeline.corpora.dev_half`), with the OCR
    side hard-wrapped into newspaper-column lines (:func:`pipeline.damage.wrap_columns`, one
    generator per article seeded by its id) if ``wrapped``: a stand-in for Overproof's
    hard-wrapped OCR to tune on. The truth is untouched; scored with :func:`overproof_form`,
    the wrapped input scores exactly as the unwrapped one."""

    def load(root: Path) -> list[Sample]:
        samples = _bln600("train")(root)
        if holdout:
            samples = [s for s in samples if dev_half(s.name)]
        if wrapped:
            samples = [
                Sample(s.name, wrap_columns(s.text, random.Random(f"columns:{s.name}")), s.truth) for s in samples
            ]
        return samples

    return load


_OVERPROOF_HEADER = "*$*OVERPROOF*$*"
_OVERPROOF_SEPARATOR = "||@@||"


def _overproof(dataset: int) -> Callable[[Path], list[Sample]]:
    def load(root: Path) -> list[Sample]:
        path = root / "overproof" / f"dataset{dataset}.txt"
        if not path.is_file():
            raise EvalDataMissing(f"{path} not found")
        samples: list[Sample] = []
        name: str | None = None
        columns: list[list[str]] = [[], [], []]

        def close() -> None:
            if name is not None and any(columns[0]):
                ocr, human, peer = ("\n".join(c) for c in columns)
                samples.append(Sample(name, ocr, human, peer))

        with path.open(encoding="utf-8") as stream:
            for raw in stream:
                raw = raw.rstrip("\n")
                if raw.startswith(_OVERPROOF_HEADER):
                    close()
                    name = raw.split()[1] if len(raw.split()) > 1 else str(len(samples))
                    columns = [[], [], []]
                    continue
                parts = raw.split(_OVERPROOF_SEPARATOR)
                if name is None or len(parts) != 3:
                    continue
                for column, part in zip(columns, parts):
                    column.append(part)
        close()
        return samples

    return load


_ICDAR_FIELDS = ("[OCR_toInput] ", "[OCR_aligned] ", "[ GS_aligned] ")


def icdar_sample(name: str, content: str) -> Sample:
    """An ICDAR 2017 file as a sample: the input is ``OCR_toInput``; the gold is scored only
    where ``GS_aligned`` has some (``#`` marks text with no gold), ``@`` gaps deleted.

    >>> s = icdar_sample("x", "[OCR_toInput] Tbe ct sat\\n[OCR_aligned] Tbe c@t sat\\n[ GS_aligned] ### cat s@t\\n")
    >>> s.pieces  # no gold for "Tbe"; the gold's "a" has no OCR character, the OCR's "a" no gold
    ((3, 10, ' cat st'),)
    """
    lines = content.split("\n")
    fields = {}
    for line in lines:
        for key in _ICDAR_FIELDS:
            if line.startswith(key):
                fields[key] = line[len(key) :]
    if len(fields) != 3:
        raise ValueError(f"{name}: expected the three ICDAR 2017 lines")
    ocr, aligned, gold = (fields[k] for k in _ICDAR_FIELDS)
    if len(aligned) != len(gold) or aligned.replace("@", "") != ocr:
        raise ValueError(f"{name}: aligned lines do not match the input")
    pieces: list[tuple[int, int, str]] = []
    position = 0  # offset in ocr of aligned[j]
    start = None
    truth: list[str] = []
    for j, (a, g) in enumerate(zip(aligned, gold)):
        if g == "#":
            if start is not None:
                pieces.append((start, position, "".join(truth)))
                start, truth = None, []
        else:
            if start is None:
                start = position
            if g != "@":
                truth.append(g)
        if a != "@":
            position += 1
    if start is not None:
        pieces.append((start, position, "".join(truth)))
    pieces = [p for p in pieces if p[1] > p[0] or p[2]]
    return Sample(name, ocr, " ".join(p[2] for p in pieces), None, tuple(pieces))


def _icdar(root: Path) -> list[Sample]:
    folder = root / "icdar2017_en"
    files = sorted(folder.glob("*/*.txt"), key=lambda p: (p.parent.name, len(p.stem), p.stem))
    if not files:
        raise EvalDataMissing(f"{folder} has no */*.txt files")
    return [icdar_sample(f"{p.parent.name}/{p.name}", p.read_text(encoding="utf-8")) for p in files]


def _freiburg(split: str, benchmark: str) -> Callable[[Path], list[Sample]]:
    def load(root: Path) -> list[Sample]:
        folder = root / "freiburg" / split / benchmark
        corrupt = folder / "corrupt.txt"
        # Where the benchmark has a spelling-corrected truth, that is what a speller aims at.
        truth = folder / "spelling.txt" if (folder / "spelling.txt").is_file() else folder / "correct.txt"
        if not corrupt.is_file() or not truth.is_file():
            raise EvalDataMissing(f"{folder} lacks corrupt.txt or correct.txt")
        # Not splitlines(): it also splits on form feeds and misaligns the parallel files.
        inputs = corrupt.read_text(encoding="utf-8").rstrip("\n").split("\n")
        truths = truth.read_text(encoding="utf-8").rstrip("\n").split("\n")
        if len(inputs) != len(truths):
            raise ValueError(f"{folder}: {len(inputs)} input lines but {len(truths)} truth lines")
        return [Sample(f"{benchmark}:{i + 1}", a, b) for i, (a, b) in enumerate(zip(inputs, truths))]

    return load


SETS: dict[str, EvalSet] = {
    s.name: s
    for s in (
        EvalSet("bln600", "BLN600 test (19th-c. British newspapers, OCR)", _bln600("test")),
        EvalSet("overproof2", "Overproof 2 (Sydney Morning Herald 1842-1954)", _overproof(2), overproof_form, "Overproof"),
        EvalSet("overproof3", "Overproof 3 (Chronicling America 1871-1921)", _overproof(3), overproof_form, "Overproof"),
        EvalSet("icdar2017", "ICDAR 2017 English (monographs, periodicals)", _icdar),
        EvalSet("freiburg-acl", "Freiburg ACL test (PDF/OCR of papers)", _freiburg("test", "ACL")),
        EvalSet("freiburg-arxiv", "Freiburg arXiv.pdftotext test", _freiburg("test", "arXiv.pdftotext")),
        # Tuning splits: tune here, report on the test sets above.
        EvalSet("bln600-train", "BLN600 train (tuning)", _bln600("train")),
        # BLN600 train as Overproof gives its OCR, in newspaper-column lines with line-end
        # hyphens, scored as Overproof is; the held-out half (and, to compare, its unwrapped
        # input) goes with the model of scripts/train_error_model.py --holdout:
        #   ocr-repair eval --sets bln600-train-holdout bln600-train-wrapped-holdout --option dictionary_dir=DIR
        EvalSet("bln600-train-wrapped", "BLN600 train in column lines (tuning)", _bln600_train_half(True, False),
                overproof_form),
        EvalSet("bln600-train-holdout", "BLN600 train, held-out half (tuning)", _bln600_train_half(False, True),
                overproof_form),
        EvalSet("bln600-train-wrapped-holdout", "BLN600 train, held-out half in column lines (tuning)",
                _bln600_train_half(True, True), overproof_form),
        EvalSet("freiburg-acl-dev", "Freiburg ACL dev (tuning)", _freiburg("dev", "ACL")),
        EvalSet("freiburg-arxiv-dev", "Freiburg arXiv.pdftotext dev (tuning)", _freiburg("dev", "arXiv.pdftotext")),
    )
}
#: What ``--sets`` means when not given: every test set.
TEST_SETS = ("bln600", "overproof2", "overproof3", "icdar2017", "freiburg-acl", "freiburg-arxiv")


def load_set(name: str) -> list[Sample]:
    """The samples of one named set; raises :class:`EvalDataMissing` when its data is absent."""
    if name not in SETS:
        raise ValueError(f"unknown set {name!r}; known: {', '.join(SETS)}")
    return SETS[name].load(require_eval_dir())


# =============================================================================================
# Scoring
# =============================================================================================

#: The systems scored for each document, in table order.
SIDES = ("input", "default", "spelling", "peer")


@dataclass
class Tally:
    """Sums over the documents of one set: reference size, and per side the errors left."""

    documents: int = 0
    ref_chars: int = 0
    ref_words: int = 0
    char_errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SIDES, 0))
    word_errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SIDES, 0))
    broken: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SIDES, 0))
    sides: set[str] = field(default_factory=set)
    input_bytes: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: {"default": 0.0, "spelling": 0.0})
    edits: int = 0

    def cer(self, side: str) -> float:
        return self.char_errors[side] / self.ref_chars if self.ref_chars else 0.0

    def wer(self, side: str) -> float:
        return self.word_errors[side] / self.ref_words if self.ref_words else 0.0

    def reduction(self, side: str, unit: str = "char") -> float:
        """Relative reduction of the error rate, in percent (negative: worse than the input)."""
        errors = self.char_errors if unit == "char" else self.word_errors
        before = errors["input"]
        return 100.0 * (before - errors[side]) / before if before else 0.0

    def add(self, reference: str, outputs: dict[str, str]) -> None:
        self.ref_chars += len(reference)
        ref_words = words(reference)
        self.ref_words += len(ref_words)
        source = outputs["input"]
        for side, output in outputs.items():
            self.sides.add(side)
            self.char_errors[side] += Levenshtein.distance(reference, output)
            self.word_errors[side] += Levenshtein.distance(ref_words, words(output))
            if side != "input":
                self.broken[side] += broken_words(reference, source, output)


def _output_pieces(sample: Sample, edits: Sequence[Edit], text: str) -> list[str]:
    """The repaired text of each gold piece: the edits that lie inside it, applied to it."""
    if sample.pieces is None:
        return [text]
    out = []
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for start, end, _ in sample.pieces:
        inside = [
            Edit(e.start - start, e.end - start, e.before, e.after, e.rule, e.confidence)
            for e in ordered
            if start <= e.start and e.end <= end and not (e.start == e.end == end)
        ]
        out.append(apply_edits(sample.text[start:end], inside))
    return out


def evaluate(
    samples: Iterable[Sample],
    form: Callable[[str], str] = normalise,
    spelling_config: Config | None = None,
    with_default: bool = True,
    writer: Callable[[Sample, str], None] | None = None,
) -> Tally:
    """Run the full pipeline over ``samples`` and score every side against the truth."""
    from .repair import clean_text

    spelling_config = spelling_config or Config(fix_spelling=True)
    configs = {"spelling": spelling_config}
    if with_default:
        configs["default"] = Config()
    tally = Tally()
    # The set is a batch: the spelling run adapts its error model to the set's OCR engine.
    from .spelling import EngineAdaptation

    adaptation = EngineAdaptation()
    for sample in samples:
        tally.documents += 1
        tally.input_bytes += len(sample.text.encode("utf-8"))
        results = {}
        for side, config in configs.items():
            started = time.process_time()
            result = clean_text(sample.text, config, adaptation if side == "spelling" else None)
            tally.seconds[side] += time.process_time() - started
            results[side] = result
        tally.edits += len(results["spelling"].edits)
        if writer is not None:
            writer(sample, results["spelling"].text)
        if sample.pieces is None:
            references = [sample.truth]
            sides = {"input": [sample.text]}
            sides.update({side: [r.text] for side, r in results.items()})
        else:
            references = [p[2] for p in sample.pieces]
            sides = {"input": [sample.text[a:b] for a, b, _ in sample.pieces]}
            sides.update({side: _output_pieces(sample, r.edits, r.text) for side, r in results.items()})
        if sample.peer is not None:
            sides["peer"] = [sample.peer]
        for i, reference in enumerate(references):
            tally.add(form(reference), {side: form(texts[i]) for side, texts in sides.items() if i < len(texts)})
    return tally


# =============================================================================================
# Reporting
# =============================================================================================


def format_table(rows: list[tuple[str, Tally, str | None]]) -> str:
    """One line per set: CER and WER before and after (default config, then with the
    spelling repair), the relative reductions, broken words, and a peer where there is one."""
    header = (
        f"{'set':<20}{'docs':>6}{'words':>9} | {'CER in':>7}{'default':>8}{'spell':>7}{'red.':>7}"
        f" | {'WER in':>7}{'default':>8}{'spell':>7}{'red.':>7} | {'broken':>8}{'(def.)':>7}"
        f" | {'peer':<10}{'CER':>7}{'red.':>7}{'WER':>7}{'red.':>7}{'broken':>7}"
    )
    lines = [header, "-" * len(header)]
    for name, t, peer in rows:
        default_cer = f"{100 * t.cer('default'):7.2f}%" if "default" in t.sides else f"{'-':>8}"
        default_wer = f"{100 * t.wer('default'):7.2f}%" if "default" in t.sides else f"{'-':>8}"
        default_broken = f"{t.broken['default']:>7}" if "default" in t.sides else f"{'-':>7}"
        line = (
            f"{name:<20}{t.documents:>6}{t.ref_words:>9} | {100 * t.cer('input'):6.2f}%{default_cer}"
            f"{100 * t.cer('spelling'):6.2f}%{t.reduction('spelling'):6.1f}%"
            f" | {100 * t.wer('input'):6.2f}%{default_wer}{100 * t.wer('spelling'):6.2f}%"
            f"{t.reduction('spelling', 'word'):6.1f}% | {t.broken['spelling']:>8}{default_broken}"
        )
        if peer and "peer" in t.sides:
            line += (
                f" | {peer:<10}{100 * t.cer('peer'):6.2f}%{t.reduction('peer'):6.1f}%"
                f"{100 * t.wer('peer'):6.2f}%{t.reduction('peer', 'word'):6.1f}%{t.broken['peer']:>7}"
            )
        lines.append(line)
    return "\n".join(lines)


def _folder_samples(input_dir: Path, truth_dir: Path) -> tuple[list[Sample], list[str]]:
    samples, missing = [], []
    for path in sorted(p for p in input_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(input_dir)
        truth = truth_dir / relative
        if not truth.is_file():
            missing.append(str(relative))
            continue
        samples.append(
            Sample(str(relative), path.read_text(encoding="utf-8", errors="replace"),
                   truth.read_text(encoding="utf-8", errors="replace"))
        )
    return samples, missing


def measure_speed(texts: Sequence[str], config: Config) -> tuple[float, float]:
    """(megabytes, megabytes per CPU second) of ``clean_text`` over ``texts``.

    CPU time of this process, not the wall clock: the figure is per core, and other work on
    the machine does not make it look slower. Dictionaries are loaded before the clock
    starts (once per process, about three seconds with the spelling repair).
    """
    from .repair import clean_text

    clean_text("warm up: load the dictionaries before the clock starts", config)
    size = sum(len(t.encode("utf-8")) for t in texts)
    started = time.process_time()
    for text in texts:
        clean_text(text, config)
    seconds = time.process_time() - started
    return size / 1e6, size / 1e6 / seconds if seconds else float("inf")


def clean_text_changes(config: Config) -> list[tuple[str, int, int]]:
    """(name, words, changed words) of ``clean_text`` on text that needs no repair: BLN600
    test's human transcription (when the data is there) and the hand-written modern prose of
    :mod:`pipeline.corpora`. A repair that changes clean text is a false repair."""
    from .corpora import bln600_articles, eval_dir, modern_articles
    from .repair import clean_text
    from .scoring import changed_words

    sets = [("modern prose (pipeline/corpora.py)", modern_articles())]
    root = eval_dir()
    if root is not None:
        sets.insert(0, ("BLN600 test transcription", list(bln600_articles("test"))))
        corrected = root / "freiburg" / "test" / "ACL" / "spelling.txt"
        if corrected.is_file():
            # Modern prose with spaces and spelling corrected by hand, a line per sample.
            lines = corrected.read_text(encoding="utf-8").rstrip("\n").split("\n")
            sets.append(("Freiburg ACL test, corrected", lines))
    out = []
    for name, texts in sets:
        n_words = sum(len(words(t)) for t in texts)
        changed = sum(changed_words(t, clean_text(t, config).text) for t in texts)
        out.append((name, n_words, changed))
    return out


def _parse_options(pairs: Sequence[str]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise argparse.ArgumentTypeError(f"--option expects NAME=VALUE, got {pair!r}")
        options[name.strip()] = value.strip()
    return options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ocr-repair eval",
        description="Score the repair (full pipeline, default and with fix_spelling on) against ground truth.",
    )
    parser.add_argument("--input", type=Path, help="folder of noisy texts")
    parser.add_argument("--truth", type=Path, help="folder of ground-truth texts, same relative names")
    parser.add_argument("--output", type=Path, help="write the repaired texts here (with --input)")
    parser.add_argument(
        "--sets", nargs="*", metavar="SET",
        help=f"evaluation sets in ../shared/eval (default with no --input: {' '.join(TEST_SETS)}; "
        f"known: {', '.join(SETS)})",
    )
    parser.add_argument("--limit", type=int, default=0, help="score only the first N documents of each set")
    parser.add_argument("--no-default", action="store_true", help="skip the run with the default configuration")
    parser.add_argument(
        "--option", action="append", default=[], metavar="NAME=VALUE",
        help="a configuration setting for the spelling run (repeatable), e.g. min_confidence=0.7",
    )
    parser.add_argument("--speed", action="store_true",
                        help="also time clean_text with fix_spelling on over BLN600's OCR text (train and test)")
    parser.add_argument("--clean", action="store_true",
                        help="also count the words changed in clean text (BLN600 test transcription, modern prose)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``ocr-repair eval``: print a table of error rates; 0 on success, 2 on bad arguments."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if (args.input is None) != (args.truth is None):
        parser.error("--input and --truth go together")
    if args.output is not None and args.input is None:
        parser.error("--output needs --input and --truth")
    try:
        config = config_from_mapping(_parse_options(args.option), Config(fix_spelling=True))
    except (ValueError, argparse.ArgumentTypeError) as error:
        parser.error(str(error))
    rows: list[tuple[str, Tally, str | None]] = []

    if args.input is not None:
        if not args.input.is_dir() or not args.truth.is_dir():
            parser.error("--input and --truth must be folders")
        samples, missing = _folder_samples(args.input, args.truth)
        for name in missing:
            print(f"skipped {name}: no truth file", file=sys.stderr)
        if args.limit:
            samples = samples[: args.limit]
        writer = None
        if args.output is not None:
            def writer(sample: Sample, text: str) -> None:
                target = args.output / sample.name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        rows.append((str(args.input), evaluate(samples, normalise, config, not args.no_default, writer), None))

    names = args.sets if args.sets else (list(TEST_SETS) if args.input is None and args.sets is None else [])
    for name in names:
        if name not in SETS:
            parser.error(f"unknown set {name!r}; known: {', '.join(SETS)}")
    for name in names:
        spec = SETS[name]
        try:
            samples = load_set(name)
        except EvalDataMissing as error:
            print(f"skipped {name}: {error}")
            continue
        if args.limit:
            samples = samples[: args.limit]
        tally = evaluate(samples, spec.form, config, not args.no_default)
        rows.append((name, tally, spec.peer_name))
        print(f"{name}: {spec.description}, {tally.documents} documents, {tally.edits} edits with spelling on, "
              f"{tally.input_bytes / 1e6 / max(tally.seconds['spelling'], 1e-9):.2f} MB/s", flush=True)

    if rows:
        print()
        print(format_table(rows))
    if args.clean:
        print()
        defaults = {name: changed for name, _, changed in clean_text_changes(Config())}
        for name, n_words, changed in clean_text_changes(config):
            print(f"clean text, {name}: {changed} of {n_words} words changed with fix_spelling on "
                  f"({1e4 * changed / max(n_words, 1):.2f} per 10,000; {defaults[name]} with the defaults)")
    if args.speed:
        try:
            texts = [s.text for name in ("bln600-train", "bln600") for s in load_set(name)]
        except EvalDataMissing as error:
            print(f"speed not measured: {error}")
        else:
            size, rate = measure_speed(texts, config)
            default_size, default_rate = measure_speed(texts, Config())
            print(f"\nspeed: clean_text over {size:.2f} MB of BLN600 OCR text on one core: "
                  f"{rate:.2f} MB/s with fix_spelling on, {default_rate:.2f} MB/s with the defaults")
    return 0


if __name__ == "__main__":
    sys.exit(main())
