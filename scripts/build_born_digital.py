#!/usr/bin/env python
"""A stand-in for born-digital technical text with tokenization damage, for the spelling stage.

The Freiburg arXiv.pdftotext benchmark is pdftotext's output of papers typeset from LaTeX:
no OCR misreadings, only spaces lost or put inside words and the like. Its dev split gives the
spelling stage nothing to do (13 of 10,000 lines pass the noise gate, none gets an edit), so
it cannot tell whether a change keeps the stage off such text. This script builds a larger
set of the same class of damage, reproducibly, from text on this machine:

* ``arxiv``: Freiburg arXiv dev's ``correct.txt`` (one line per document, as the benchmark
  scores it), and ``acl``: Freiburg ACL dev's ``spelling.txt`` (spaces and spelling fixed);
* ``docstrings``: paragraphs of prose from the docstrings of the Python standard library and
  of the installed packages (technical English full of identifiers, names and units);
* ``doc``: paragraphs of the README files under /usr/share/doc.

Each clean paragraph is damaged with tokenization noise modelled on Freiburg dev's
``corrupt.txt`` against ``correct.txt`` (measured by aligning the two, character by
character; see PROFILES), once per profile and seed; its truth is the clean paragraph, so
any spelling edit to a word that the damage did not touch is a false one. Profile ``clean``
leaves the paragraph as it is.

    python scripts/build_born_digital.py --out /tmp/born_digital.jsonl
    python scripts/born_digital_edits.py /tmp/born_digital.jsonl     # the spelling stage's false edits

The text itself is not committed (the sources' licences differ): this script is the set.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import random
import re
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.corpora import eval_dir  # noqa: E402
from pipeline.damage import _soft_split  # noqa: E402


@dataclass(frozen=True)
class Profile:
    """Rates of tokenization damage (each a probability per place where it can happen)."""

    #: A space put between two letters of a word ("inter preted").
    inner_space: float
    #: A space lost between two words, or after a comma or stop before a word ("ofthe").
    lost_space: float
    #: A space put before a closing mark or an opening bracket after a word ("F (R, T )").
    mark_space: float
    #: A word of seven letters or more broken by a hyphen where a line once ended ("di-rectly").
    hyphen: float
    #: A space put after a compound's own hyphen ("task- specific").
    hyphen_space: float
    #: A word written letter by letter ("o f f i c i a l").
    spaced_word: float


#: Freiburg dev, corrupt.txt aligned with correct.txt (Levenshtein.editops):
#: arXiv.pdftotext: 337 spaces put between two letters of 669,910 gaps inside words (0.05%);
#: 18 spaces lost between two letters of 192,700 spaces, 38 after a comma, 62 beside "+", "|",
#: "±" in formulas; 365 spaces put before "(", 265 before ",", 226 before ")", 204 before ".";
#: no hyphen put inside a word. ACL: 1014 spaces put inside words of 49,708 gaps (2%, much of it
#: whole words spaced out: "o f f i c i a l"), 181 spaces lost between letters of 15,720 (1.2%),
#: 49 spaces put after a compound's hyphen, 45 words of 17,208 tokens broken by a hyphen
#: ("appro-priate"); marks spaced off less often than in arXiv. The lines differ a lot (most
#: clean, a few dense with damage): each document's rates are scaled by a draw from an
#: exponential distribution of mean 1 (see damage_line). "arxiv4" is arXiv's rates four
#: times over, to get more lines past the noise gate.
PROFILES: dict[str, Profile] = {
    "clean": Profile(0, 0, 0, 0, 0, 0),
    "arxiv": Profile(inner_space=0.0005, lost_space=0.001, mark_space=0.15, hyphen=0.0, hyphen_space=0.0,
                     spaced_word=0.0),
    "arxiv4": Profile(inner_space=0.002, lost_space=0.004, mark_space=0.3, hyphen=0.0, hyphen_space=0.0,
                      spaced_word=0.0),
    "acl": Profile(inner_space=0.012, lost_space=0.012, mark_space=0.03, hyphen=0.01, hyphen_space=0.15,
                   spaced_word=0.003),
}

_WORD = re.compile(r"[A-Za-z]+")
_PLAIN = re.compile(r"[(\"'“‘]*[A-Za-z][a-z'’-]*[.,;:!?)\"'”’]*")


def damage_line(text: str, profile: Profile, rng: random.Random) -> str:
    """``text`` with ``profile``'s tokenization damage, at rates scaled for this line."""
    if profile == PROFILES["clean"]:
        return text
    scale = rng.expovariate(1.0)
    p_inner, p_lost = profile.inner_space * scale, profile.lost_space * scale
    p_mark, p_hyphen = profile.mark_space * scale, profile.hyphen * scale
    p_hyphen_space, p_spaced = profile.hyphen_space * scale, profile.spaced_word * scale
    out: list[str] = []
    tokens = text.split(" ")
    for i, token in enumerate(tokens):
        core = token
        if p_spaced and _WORD.fullmatch(core) and len(core) >= 3 and rng.random() < p_spaced:
            core = " ".join(core)
        elif p_hyphen and len(core) >= 7 and rng.random() < p_hyphen:
            split = _soft_split(core, len(core))
            if split is not None:
                core = split[0] + "-" + split[1]
        # Spaces inside words, between two letters.
        chars = []
        for k, c in enumerate(core):
            if (k and c.isalpha() and core[k - 1].isalpha() and p_inner and rng.random() < p_inner):
                chars.append(" ")
            elif (k and c in ",.;:)(" and core[k - 1].isalnum() and p_mark and rng.random() < p_mark
                  and (c != "." or k == len(core) - 1)):
                chars.append(" ")
            elif (k and core[k - 1] == "-" and k > 1 and core[k - 2].isalpha() and c.isalpha()
                  and p_hyphen_space and rng.random() < p_hyphen_space):
                chars.append(" ")
            chars.append(c)
        out.append("".join(chars))
        if i + 1 < len(tokens):
            nxt = tokens[i + 1]
            joinable = token[-1:].isalnum() or token[-1:] in ",." and len(token) > 1
            if joinable and nxt[:1].isalnum() and p_lost and rng.random() < p_lost:
                continue  # the space lost
            out.append(" ")
    return "".join(out)


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text`` that read as prose, each on one line."""
    found = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.strip().split("\n")]
        if not lines or any(line.startswith((">>>", "...", "$", "#", "%", "|", "+-", "==", "--", "..", "*", "-"))
                            for line in lines):
            continue
        paragraph = " ".join(lines)
        tokens = paragraph.split()
        if not 8 <= len(tokens) <= 250 or not paragraph[0].isupper() or paragraph[-1] not in ".:":
            continue
        if sum(bool(_PLAIN.fullmatch(t)) for t in tokens) < 0.8 * len(tokens):
            continue  # code, tables, lists of options
        found.append(paragraph)
    return found


def docstring_paragraphs() -> list[str]:
    """Prose paragraphs of the docstrings of the standard library and the installed packages,
    in a fixed order, each once."""
    roots = [Path(sysconfig.get_paths()["stdlib"]), Path(sysconfig.get_paths()["purelib"])]
    seen: set[str] = set()
    out: list[str] = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            parts = set(path.relative_to(root).parts)
            if parts & {"test", "tests", "idle_test"} or (root is roots[0] and "site-packages" in parts):
                continue  # tests' docstrings are terse; the stdlib's own site-packages is another root
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except (SyntaxError, UnicodeDecodeError, ValueError, OSError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                    doc = ast.get_docstring(node)
                    if doc:
                        for paragraph in _paragraphs(doc):
                            if paragraph not in seen:
                                seen.add(paragraph)
                                out.append(paragraph)
    return out


def doc_paragraphs(folder: Path = Path("/usr/share/doc")) -> list[str]:
    """Prose paragraphs of the README files under ``folder``, in a fixed order, each once."""
    seen: set[str] = set()
    out: list[str] = []
    for path in sorted(folder.rglob("README*")):
        if not path.is_file():
            continue
        try:
            raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile):
            continue
        for paragraph in _paragraphs(text):
            if paragraph not in seen:
                seen.add(paragraph)
                out.append(paragraph)
    return out


def freiburg_lines(benchmark: str, name: str) -> list[str]:
    root = eval_dir()
    if root is None:
        return []
    path = root / "freiburg" / "dev" / benchmark / name
    # Not splitlines(): it also splits on form feeds and misaligns the parallel files.
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="JSON lines: id, source, profile, seed, text, truth")
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    parser.add_argument("--profiles", nargs="*", default=["clean", "arxiv", "arxiv4", "acl"])
    parser.add_argument("--real", action="store_true",
                        help="also Freiburg ACL and arXiv dev's own corrupt.txt (profile 'real'), to compare")
    parser.add_argument("--per-source", type=int, default=4000,
                        help="at most this many paragraphs of each source (a fixed sample)")
    args = parser.parse_args(argv)
    sources = {
        "arxiv": [line for line in freiburg_lines("arXiv.pdftotext", "correct.txt") if line.strip()],
        "acl": [line for line in freiburg_lines("ACL", "spelling.txt") if line.strip()],
        "docstrings": docstring_paragraphs(),
        "doc": doc_paragraphs(),
    }
    n = 0
    with args.out.open("w", encoding="utf-8") as out:
        for source, paragraphs in sources.items():
            if len(paragraphs) > args.per_source:
                paragraphs = random.Random(source).sample(paragraphs, args.per_source)
            print(f"{source}: {len(paragraphs)} paragraphs", file=sys.stderr)
            for profile in args.profiles:
                for seed in args.seeds if profile != "clean" else args.seeds[:1]:
                    rng = random.Random(f"{source}/{profile}/{seed}")
                    for i, truth in enumerate(paragraphs):
                        text = damage_line(truth, PROFILES[profile], rng)
                        record = {"id": f"{source}/{profile}/{seed}/{i}", "source": source, "profile": profile,
                                  "seed": seed, "text": text, "truth": truth}
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
                        n += 1
        if args.real:
            for source, benchmark, truth in (("arxiv", "arXiv.pdftotext", "correct.txt"), ("acl", "ACL", "spelling.txt")):
                pairs = zip(freiburg_lines(benchmark, "corrupt.txt"), freiburg_lines(benchmark, truth))
                for i, (text, truth) in enumerate(pairs):
                    record = {"id": f"{source}/real/0/{i}", "source": source, "profile": "real", "seed": 0,
                              "text": text, "truth": truth}
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    n += 1
    print(f"{n} documents written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
