#!/usr/bin/env python
"""The spelling stage's edits on born-digital text: which make a line worse, and of what kind.

    python scripts/build_born_digital.py --out /tmp/bd.jsonl
    python scripts/born_digital_edits.py /tmp/bd.jsonl [--workers 2] [--show 40]

Each document (a JSON line of the builder: text, truth, source, profile) is cleaned with
``Config(fix_spelling=True)``; the spelling stage's input (the text the stages before it
made) and its edits are caught on the way, and each edit is applied alone to that input and
scored against the truth (Levenshtein distance over whitespace-normalised text, as
pipeline/evaluate.py scores). An edit that moves the text away from the truth is a false
edit; it is counted by the rule that made it and by the kind of word it changed (see kind).
Born-digital text has no misreadings, so every edit that changes a word the truth holds is
false, and the figures to watch are the false edits and the lines made worse.

On the default build (103,670 documents; two workers, about half a minute), with main as of
45a1b29: 7553 edits, 5481 better, 1440 false (735 to pieces the damage cut, 388 to words no
list knows, 224 splitting such words run together, 42 to common words); after the changes
citing this script in pipeline/spelling.py: 6451 edits, 5455 better, 719 false (196, 244,
224, 30), 99,598 character errors left rather than 100,348. As of 066e7f6: 6470 edits, 5461
better, 732 false (205 cut, 247 unknown, 224 run together, 30 common; split_word 253), 99,606
errors left; with COMMON_PIECE_ZIPF's rule (compound terms left whole): 6240, 5388, 575 (203,
247, 69, 30; split_word 96), 99,522; with that and CHANNEL_EVIDENCE_COST's gate too (main after
merging both): 5747 edits, 5332 better, 278 false (98, 73, 69, 25), 99,257. With the pieces
of words cut in three left out of the evidence (RESPACED_TOKENS), quotations' marks and
unexplained dotted names weighed as evidence as unknown words are (_MISREAD_KINDS), names
written as code left alone (_CODE_NAME), and pieces of rare words not read: 5516 edits, 5291
better, 173 false (42 cut, 35 unknown, 66 run together, 21 common), 99,169. As of 0b76cf1 (one
worker): 5659 edits, 5390 better, 170 false (41 cut, 33 unknown, 66 run together, 21 common),
98,946 errors left; with _Reader._recut, _compound_family and quotations' partners found behind
brackets: 5564, 5383, 111 (26, 25, 34, 17), 98,885. As of 1b63f61 with stray stops that end the
text or stand before an unknown word weighed as no evidence (_Reader._stop_before_word): 5537,
5383, 85 (24 cut, 8 unknown, 34 run together, 10 common), 98,859.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import sys
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pipeline.spelling as spelling  # noqa: E402
from pipeline import Config, clean_text  # noqa: E402
from pipeline.edits import apply_edits  # noqa: E402
from pipeline.lexicon import load_lexicon  # noqa: E402
from pipeline.scoring import normalise  # noqa: E402

_CONFIG = Config(fix_spelling=True)
_LEXICON = load_lexicon(_CONFIG)
_CAUGHT: list = []
_ORIGINAL = spelling.spelling_edits


def _catching(text, *args, **kwargs):
    edits = _ORIGINAL(text, *args, **kwargs)
    _CAUGHT.append((text, edits))
    return edits


spelling.spelling_edits = _catching

_TOKEN = re.compile(r"\S+")
_EDGE = re.compile(r"^[\"'“‘(\[{]+|[\"'”’)\]},.;:!?]+$")


def _token_at(text: str, start: int, end: int) -> str:
    """The run of tokens of ``text`` that the span touches."""
    a = text.rfind(" ", 0, start) + 1
    b = text.find(" ", end)
    return text[a : b if b >= 0 else len(text)]


def kind(before_token: str, rule: str, truth_cores: set[str]) -> str:
    """What the changed word was, for counting: a piece the damage made (a word cut or run
    together), or a word of the truth: a symbol or variable, a hyphenated term, an identifier,
    a name, an acronym, a common word (a real-word edit), or a word no list knows (an author's
    term or typo, run together or not)."""
    core = _EDGE.sub("", before_token)
    if not core:
        return "mark"
    if " " in before_token or core not in truth_cores:
        return "cut by the noise"
    if any(c.isdigit() for c in core) or any(c in core for c in "_=<>+^\\/{}[]$|") or len(core) <= 2:
        return "symbol/variable"
    if "-" in core:
        return "hyphenated term"
    if re.search(r"[a-z][A-Z]", core) or "." in core:
        return "identifier"
    if core.isupper():
        return "acronym"
    if core[0].isupper():
        return "name/capitalised"
    if _LEXICON.zipf(core.lower()) >= 3.0:
        return "common word"
    return "unknown word run together" if rule == "split_word" else "unknown word"


def score(record: dict) -> dict:
    _CAUGHT.clear()
    result = clean_text(record["text"], _CONFIG)
    out = {"id": record["id"], "source": record["source"], "profile": record["profile"], "edits": []}
    truth = normalise(record["truth"])
    out["before"] = Levenshtein.distance(normalise(record["text"]), truth)
    out["after"] = Levenshtein.distance(normalise(result.text), truth)
    if not _CAUGHT:
        return out
    base, edits = _CAUGHT[-1]
    out["spell_in"] = Levenshtein.distance(normalise(base), truth)
    truth_cores = {_EDGE.sub("", t) for t in truth.split()}
    for edit in edits:
        alone = Levenshtein.distance(normalise(apply_edits(base, [edit])), truth)
        token = _token_at(base, edit.start, edit.end)
        out["edits"].append({
            "before": edit.before, "after": edit.after, "rule": edit.rule, "why": edit.why,
            "confidence": edit.confidence, "delta": alone - out["spell_in"], "token": token,
            "kind": kind(token, edit.rule, truth_cores), "context": base[max(0, edit.start - 60) : edit.end + 60],
        })
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--only", nargs="*", help="only these sources or profiles")
    parser.add_argument("--show", type=int, default=30, help="print this many false edits")
    parser.add_argument("--json", type=Path, help="write every document's result here")
    args = parser.parse_args(argv)
    records = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    if args.only:
        records = [r for r in records if r["source"] in args.only or r["profile"] in args.only]
    if args.limit:
        records = records[: args.limit]
    with multiprocessing.Pool(args.workers) as pool:
        results = pool.map(score, records, chunksize=50)
    if args.json:
        with args.json.open("w", encoding="utf-8") as f:
            for r in results:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    groups: dict[tuple[str, str], Counter] = {}
    false_by_kind: Counter = Counter()
    kind_profile: Counter = Counter()
    false_by_rule: Counter = Counter()
    examples = []
    for r in results:
        g = groups.setdefault((r["source"], r["profile"]), Counter())
        g["docs"] += 1
        g["before"] += r["before"]
        g["after"] += r["after"]
        g["spell_in"] += r.get("spell_in", r["after"])
        g["edits"] += len(r["edits"])
        g["docs worse"] += r["after"] > r.get("spell_in", r["after"])
        for e in r["edits"]:
            if e["delta"] > 0:
                g["false"] += 1
                false_by_kind[e["kind"]] += 1
                kind_profile[e["kind"], r["profile"]] += 1
                false_by_rule[e["rule"]] += 1
                examples.append((r["id"], e))
            elif e["delta"] < 0:
                g["better"] += 1
    print(f"{'source':12} {'profile':8} {'docs':>6} {'edits':>6} {'better':>6} {'false':>6} {'worse docs':>10}"
          f" {'errors in':>9} {'before spell':>12} {'after':>6}")
    total: Counter = Counter()
    for (source, profile), g in sorted(groups.items()):
        total.update(g)
        print(f"{source:12} {profile:8} {g['docs']:6d} {g['edits']:6d} {g['better']:6d} {g['false']:6d}"
              f" {g['docs worse']:10d} {g['before']:9d} {g['spell_in']:12d} {g['after']:6d}")
    print(f"{'all':21} {total['docs']:6d} {total['edits']:6d} {total['better']:6d} {total['false']:6d}"
          f" {total['docs worse']:10d} {total['before']:9d} {total['spell_in']:12d} {total['after']:6d}")
    print("\nfalse edits by kind:", dict(false_by_kind.most_common()))
    print("false edits by rule:", dict(false_by_rule.most_common()))
    profiles = sorted({p for _, p in groups})
    print(f"\n{'false edits by kind':28}" + "".join(f"{p:>8}" for p in profiles) + f"{'all':>8}")
    for k, n in false_by_kind.most_common():
        print(f"{k:28}" + "".join(f"{kind_profile[k, p]:8d}" for p in profiles) + f"{n:8d}")
    for doc_id, e in examples[: args.show]:
        print(f"  {doc_id:28} {e['rule']:10} {e['kind']:18} {e['before']!r} -> {e['after']!r} in {e['token']!r}"
              f" ({e['confidence']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
