#!/usr/bin/env python
"""Speed of a batch run: 2,000 damaged news articles (about 5 MB) through ``ocr-repair run``
with 2 workers, from input to clean text and every report; then the same command again
(nothing to do), then again after adding one file (one shard to redo).

    python scripts/bench_batch.py                  # 2,000 articles, 2 workers
    python scripts/bench_batch.py --articles 500 --workers 4 --keep /tmp/bench

Prints wall time (target <= 30 s), peak memory of each worker process (target <= 1 GB,
from the ``runs.log`` line each shard writes: ru_maxrss of the process that ran it; plus
ru_maxrss over all child processes), and the time of the second run (target: a few
seconds). The articles are BLN600 train ground truth (from ../shared/eval, read in place)
damaged with pipeline.damage like the seed; without the evaluation data, the hand-written
modern prose is damaged instead (say so in any numbers you quote). A fifth of them go into
.jsonl files (100 articles a file, with extra fields), the rest are .txt files in folders
of 100.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def damaged_articles(count: int, seed: str) -> tuple[list[str], str]:
    from pipeline import corpora
    from pipeline.damage import damage_many

    source = "BLN600 train"
    texts = corpora.news_articles("train")
    if not texts:
        source = "modern prose (evaluation data absent)"
        texts = corpora.modern_articles(3)
    out: list[str] = []
    copy = 0
    while len(out) < count:
        # Each pass damages the same articles differently (own seed), as a new batch would be.
        out.extend(d.text for d in damage_many(texts[: count - len(out)], seed=f"{seed}:{copy}"))
        copy += 1
    return out, source


def write_inputs(folder: Path, articles: list[str], jsonl_share: float) -> int:
    jsonl_count = int(len(articles) * jsonl_share)
    size = 0
    for number, text in enumerate(articles[: len(articles) - jsonl_count]):
        path = folder / f"txt-{number // 100:03d}" / f"article-{number:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        size += len(data)
    rest = articles[len(articles) - jsonl_count :]
    for start in range(0, len(rest), 100):
        lines = [
            json.dumps({"id": f"feed-{start + i:05d}", "source": "bench", "text": text}, ensure_ascii=False)
            for i, text in enumerate(rest[start : start + 100])
        ]
        data = ("\n".join(lines) + "\n").encode("utf-8")
        (folder / "feeds").mkdir(exist_ok=True)
        (folder / "feeds" / f"feed-{start // 100:03d}.jsonl").write_bytes(data)
        size += len(data)
    return size


def run(input_dir: Path, out: Path, workers: int) -> tuple[float, int, str]:
    command = [sys.executable, "-m", "pipeline.cli", "run", str(input_dir), "--out", str(out),
               "--workers", str(workers), "--quiet"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"ocr-repair run failed with exit status {done.returncode}")
    return elapsed, done.returncode, done.stdout


def ran_tasks(summary_text: str) -> str:
    for line in summary_text.splitlines():
        if "ran successfully" in line or "Did not run any tasks" in line:
            return line.strip(" *:")
    return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000, help="articles in the batch (default 2000)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--jsonl-share", type=float, default=0.2, help="share of articles in .jsonl files (default 0.2)")
    parser.add_argument("--seed", default="bench-batch", help="damage seed")
    parser.add_argument("--keep", type=Path, help="build the batch in this folder and keep it")
    args = parser.parse_args(argv)

    from pipeline import batch

    folder = args.keep or Path(tempfile.mkdtemp(prefix="ocr-repair-bench-"))
    if args.keep and folder.exists():
        shutil.rmtree(folder)
    input_dir, out = folder / "in", folder / "out"
    input_dir.mkdir(parents=True)
    try:
        started = time.perf_counter()
        articles, source = damaged_articles(args.articles, args.seed)
        size = write_inputs(input_dir, articles, args.jsonl_share)
        print(f"input: {len(articles)} damaged articles from {source}, {size / 1e6:.2f} MB "
              f"(generated in {time.perf_counter() - started:.1f} s)")

        first, status, summary = run(input_dir, out, args.workers)
        state = json.loads((out / ".work" / "published.json").read_text(encoding="utf-8"))
        result = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        runs = batch.read_runs(out, state["config_hash"])
        peaks: dict[str, float] = defaultdict(float)
        for fields in runs:
            peaks[fields[2]] = max(peaks[fields[2]], float(fields[6]))
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"first run, {args.workers} workers: {first:.1f} s wall (target <= 30 s), "
              f"{size / 1e6 / first:.2f} MB/s, exit status {status}; {ran_tasks(summary)}")
        print(f"  {result['totals']['documents']} documents, {len(state['files'])} files published, "
              f"{result['batch']['shards']} shards, {result['totals']['skipped']} skipped")
        # With --workers > 1 Luigi forks a process per task, so "per worker" is per task process.
        values = sorted(peaks.values())
        print(f"  peak memory of the {len(values)} process(es) that cleaned shards (runs.log): "
              f"max {values[-1]:.0f} MB, median {values[len(values) // 2]:.0f} MB (target <= 1024 MB); "
              f"largest process of the run, scheduler included (ru_maxrss of children): {children:.0f} MB")
        stages = result["timings"]["stages"]
        print("  work by stage (s, summed over workers): "
              + ", ".join(f"{k} {v:.2f}" for k, v in sorted(stages.items(), key=lambda kv: -kv[1])))

        second, _, summary = run(input_dir, out, args.workers)
        print(f"second run, same input: {second:.2f} s (target: a few seconds); {ran_tasks(summary)}")

        before = len(batch.read_runs(out, state["config_hash"]))
        (input_dir / "txt-000" / "added.txt").write_bytes(articles[0].encode("utf-8"))
        third, _, summary = run(input_dir, out, args.workers)
        redone = len(batch.read_runs(out, state["config_hash"])) - before
        print(f"third run, one file added: {third:.2f} s, {redone} shard(s) cleaned again; {ran_tasks(summary)}")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
