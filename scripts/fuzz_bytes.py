"""Byte-level fuzzer for the readers and the repair: random and mutated byte strings through
decode_bytes (both modes), parse_txt, parse_jsonl and clean_text. Pure Python (no atheris
needed), deterministic for a given seed.

Checks, for every input: nothing but DecodeError escapes decode_bytes, and only binary data
is refused when guessing; decoded text is valid Unicode (writable as UTF-8); the readers
never raise; for text that is cleaned, clean_text does not raise and its edits replay to the
clean text and revert to the input exactly. Whether cleaning the clean text again changes
nothing is counted ("not idempotent") and shown, and is a failure with
--strict-idempotence (as in the tests; the cases it once found are kept in
tests/test_fuzz.py).

    .venv/bin/python scripts/fuzz_bytes.py --seconds 60 --seed 1
    .venv/bin/python scripts/fuzz_bytes.py --iterations 5000

Prints the counts as JSON; exits 1 if any check failed (the failing inputs are printed,
as Python bytes literals, for a test to replay).
"""

from __future__ import annotations

import argparse
import codecs
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import clean_text  # noqa: E402
from pipeline.documents import BinaryData, DecodeError, Document, Skipped, decode_bytes, parse_jsonl, parse_txt  # noqa: E402
from pipeline.edits import apply_edits, revert_edits  # noqa: E402

TEXT = (
    "It was hard to escape the impression that Moscow decided to bomb its way out\n"
    "ofBits most important achievement inBGeneva, which itBhad sought forBmonths.\n"
    "The Kerry-Lavrov agreement on aBseven-day cease-\nfire was signed on September 22,2016.\n"
    "Syriaâ€™s civil war — the ﬁrst cafÃ© in Aleppo reopened. “Zoë” said: 3 €.\n"
)

SEEDS = [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    TEXT.encode("utf-16"),
    TEXT.encode("utf-32"),
    TEXT.encode("cp1252", "replace"),
    TEXT.encode("latin-1", "replace"),
    TEXT.replace("\n", "\r\n").encode("utf-8"),
    TEXT.replace("\n", "\r").encode("utf-8"),
    TEXT.encode("utf-8").replace(b" ", b"\x00", 3),
    b'{"id": 1, "text": "ofBits inBGeneva", "src": "AP"}\n{"id": "a/../b", "text": "caf\\u00e9"}\n',
    b'{"id": 2, "text": "\\ud800 lone"}\n[1,2]\n{"text": "no id"}\nnot json\n\n',
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 3 >>\nstream\nx\x9c\x03endstream\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
    b"",
]

INTERESTING = [b"\x00", b"\xff", b"\xfe", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xc3", b"\x80", b"\xe2\x80",
               b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\n", b"\r", b"\r\n", b'"', b"\\u", b"\\ud800", b"{", b"}",
               b"B", b"-\n", b"\xc2\xad", b"\xef\xac\x81", b"\x0c", b"\x1b[0m", b"%PDF-"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to eight random edits: flip, insert, delete, overwrite, splice, repeat, cut."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(8)
        at = rng.randint(0, len(buffer))
        if op == 0 and buffer:
            i = min(at, len(buffer) - 1)
            buffer[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            buffer[at:at] = rng.choice(INTERESTING)
        elif op == 2 and buffer:
            del buffer[at : at + rng.randint(1, 16)]
        elif op == 3:
            buffer[at : at + 1] = bytes([rng.randrange(256)])
        elif op == 4:
            other = rng.choice(SEEDS)
            cut = rng.randint(0, len(other))
            buffer[at:] = other[cut:]
        elif op == 5 and buffer:
            chunk = bytes(buffer[at : at + rng.randint(1, 8)])
            buffer[at:at] = chunk * rng.randint(1, 200)
        elif op == 6:
            del buffer[at:]
        else:
            buffer[at:at] = rng.randbytes(rng.randint(1, 32))
    return bytes(buffer)


def generate(rng: random.Random) -> bytes:
    choice = rng.random()
    if choice < 0.1:
        return rng.randbytes(rng.randint(0, 512))
    if choice < 0.2:
        return bytes(rng.choice(b"aB -\n.,'\"\xc3\xa9\x00\r") for _ in range(rng.randint(0, 400)))
    return mutate(rng.choice(SEEDS), rng)


def check(data: bytes, counts: Counter, clean: bool, strict_idempotence: bool = False) -> list[str]:
    """Run one input through everything; returns the failed checks (empty when all held)."""
    problems: list[str] = []
    texts = []
    for guess in (False, True):
        try:
            text, decoding = decode_bytes(data, guess)
        except BinaryData:
            counts["binary"] += 1
            continue
        except DecodeError:
            if guess:
                problems.append("guessing refused text that is not binary")
            counts["not utf-8"] += 1
            continue
        except Exception as error:  # noqa: BLE001  (that is the finding)
            problems.append(f"decode_bytes(guess={guess}) raised {type(error).__name__}: {error}")
            continue
        counts[f"decoded {decoding}"] += 1
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            problems.append(f"decode_bytes(guess={guess}) made text that is not valid Unicode")
        texts.append(text)
    for guess in (False, True):
        try:
            item = parse_txt(data, "f.txt", guess=guess, hint=True)
            counts["txt " + ("document" if isinstance(item, Document) else "skipped")] += 1
            for item in parse_jsonl(data, "f.jsonl", guess=guess, hint=True):
                if isinstance(item, Document):
                    item.text.encode("utf-8")
                    json.dumps(item.record(item.text), ensure_ascii=False).encode("utf-8")
                    counts["jsonl document"] += 1
                else:
                    assert isinstance(item, Skipped)
                    counts["jsonl skipped"] += 1
        except Exception as error:  # noqa: BLE001
            problems.append(f"reader raised {type(error).__name__}: {error}")
    if clean:
        for text in texts[-1:]:
            try:
                cleaned = clean_text(text)
                if apply_edits(text, list(cleaned.edits)) != cleaned.text:
                    problems.append("edits do not replay to the clean text")
                if revert_edits(cleaned.text, list(cleaned.edits)) != text:
                    problems.append("edits do not revert to the input")
                if clean_text(cleaned.text).text != cleaned.text:
                    counts["not idempotent"] += 1
                    if strict_idempotence:
                        problems.append("cleaning is not idempotent")
                counts["cleaned"] += 1
                counts["edits"] += len(cleaned.edits)
            except Exception as error:  # noqa: BLE001
                problems.append(f"clean_text raised {type(error).__name__}: {error}")
    return problems


def run(iterations: int | None = None, seconds: float | None = None, seed: int = 0,
        clean_every: int = 1, strict_idempotence: bool = False) -> tuple[Counter, list[tuple[bytes, list[str]]]]:
    """Fuzz until ``iterations`` inputs or ``seconds`` have gone by (whichever first);
    returns the counts and the failing inputs with their problems."""
    rng = random.Random(seed)
    counts: Counter = Counter()
    failures: list[tuple[bytes, list[str]]] = []
    deadline = time.monotonic() + seconds if seconds is not None else None
    number = 0
    while (iterations is None or number < iterations) and (deadline is None or time.monotonic() < deadline):
        data = generate(rng)
        problems = check(data, counts, clean=number % clean_every == 0, strict_idempotence=strict_idempotence)
        if problems:
            failures.append((data, problems))
        number += 1
    counts["inputs"] = number
    counts["failures"] = len(failures)
    return counts, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, help="inputs to try (default: until --seconds)")
    parser.add_argument("--seconds", type=float, help="time to fuzz (default 10 when --iterations is not given)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--clean-every", type=int, default=1, metavar="N", help="clean_text every N-th input (default 1)")
    parser.add_argument("--strict-idempotence", action="store_true", help="count a second cleaning that changes text as a failure")
    args = parser.parse_args(argv)
    seconds = args.seconds if args.seconds is not None or args.iterations is not None else 10.0
    counts, failures = run(args.iterations, seconds, args.seed, args.clean_every, args.strict_idempotence)
    print(json.dumps(dict(sorted(counts.items())), indent=1))
    for data, problems in failures[:20]:
        print(f"FAILED {data!r}: {'; '.join(problems)}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
