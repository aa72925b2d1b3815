"""Error rates on whitespace-normalised text, and counts of the good words a repair broke.

Scores follow the evaluation data's README: every run of whitespace is one space, so a
repair that reflows lines differently is not penalised, and a word is what lies between
spaces (punctuation stays attached: ``Syria.`` and ``Syria`` are different words).

>>> wer("of its most", "ofRits most")
0.6666666666666666
>>> word_errors("of its most", "of its most")
0
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import regex
from rapidfuzz.distance import Levenshtein

__all__ = [
    "normalise",
    "words",
    "word_errors",
    "char_errors",
    "wer",
    "cer",
    "equal_mask",
    "broken_words",
    "broken_word_list",
    "changed_words",
    "error_pairs",
]

_SPACE = regex.compile(r"\s+")


def normalise(text: str) -> str:
    """Every run of whitespace (newlines, tabs, no-break spaces) becomes one space; strip.

    >>> normalise("  ofRits\\n\\n\\n most\\timportant ")
    'ofRits most important'
    """
    return _SPACE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """The whitespace-separated words of ``text``.

    >>> words(" a  b\\nc ")
    ['a', 'b', 'c']
    """
    return text.split()


def word_errors(reference: str, hypothesis: str) -> int:
    """Word-level Levenshtein distance (substitutions, insertions, deletions of words).

    >>> word_errors("in Geneva on", "inBGeneva on")  # one substitution, one deletion
    2
    """
    return Levenshtein.distance(words(reference), words(hypothesis))


def char_errors(reference: str, hypothesis: str) -> int:
    """Character-level Levenshtein distance on whitespace-normalised text.

    >>> char_errors("in Geneva", "inBGeneva\\n")
    1
    """
    return Levenshtein.distance(normalise(reference), normalise(hypothesis))


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: :func:`word_errors` divided by the number of reference words.

    An empty reference gives 0.0 for an empty hypothesis and 1.0 otherwise, so that a
    corpus average never divides by zero.

    >>> wer("a b c d", "a b x d")
    0.25
    >>> wer("", "")
    0.0
    """
    return _error_rate(words(reference), words(hypothesis))


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate on whitespace-normalised text.

    >>> cer("of its", "ofRits")
    0.16666666666666666
    """
    return _error_rate(normalise(reference), normalise(hypothesis))


def _error_rate(reference: Sequence, hypothesis: Sequence) -> float:
    """Levenshtein distance over the reference's length (words or characters); an empty
    reference scores 0 against an empty hypothesis and 1 against anything else."""
    if not reference:
        return 0.0 if not hypothesis else 1.0
    return Levenshtein.distance(reference, hypothesis) / len(reference)


def equal_mask(reference: Sequence[str], other: Sequence[str]) -> list[bool]:
    """For each reference word: is it aligned as *equal* to a word of ``other``?

    The alignment is one minimal Levenshtein alignment; where several exist (a repeated
    word next to an error) the choice can move an error by one word but never changes
    how many words are equal.

    >>> equal_mask(["of", "its", "most"], ["ofRits", "most"])
    [False, False, True]
    """
    mask = [False] * len(reference)
    for op in Levenshtein.opcodes(reference, other):
        if op.tag == "equal":
            for i in range(op.src_start, op.src_end):
                mask[i] = True
    return mask


def broken_word_list(reference: str, source: str, output: str) -> list[tuple[int, str]]:
    """(index, word) of the reference words that ``source`` had right and ``output`` lost.

    >>> broken_word_list("buy on eBay now", "buy on eBay now", "buy on e ay now")
    [(2, 'eBay')]
    """
    ref = words(reference)
    right_before = equal_mask(ref, words(source))
    right_after = equal_mask(ref, words(output))
    return [(i, ref[i]) for i in range(len(ref)) if right_before[i] and not right_after[i]]


def broken_words(reference: str, source: str, output: str) -> int:
    """How many reference words the source had right and the output got wrong.

    This is the false-edit count: a repair that fixes ``inBGeneva`` but splits ``eBay``
    fixed one word and broke one.

    >>> broken_words("in Geneva on eBay", "inBGeneva on eBay", "in Geneva on e ay")
    1
    >>> broken_words("in Geneva", "inBGeneva", "inBGeneva")  # not fixed, but not broken
    0
    """
    return len(broken_word_list(reference, source, output))


def changed_words(source: str, output: str) -> int:
    """Number of source words not kept as they were in the output.

    On text with no damage every change is a false change: this is the numerator of the
    false-change rate (per 10,000 words).

    >>> changed_words("the U.S. and NATO", "the U.S. and NATO")
    0
    >>> changed_words("buy on eBay", "buy on e ay")
    1
    >>> changed_words("a well-known fact", "a well known fact")
    1
    """
    src = words(source)
    return sum(1 for kept in equal_mask(src, words(output)) if not kept)


def error_pairs(reference: str, hypothesis: str) -> Counter:
    """Count the remaining errors as (reference words, hypothesis words) pairs.

    Adjacent non-equal operations form one block (a substitution next to a deletion is
    one error seen by a reader: ``of its`` -> ``ofRits``); each block is one pair, its
    words joined by spaces, an empty side shown as ``∅``. Meant for the "most frequent
    remaining errors" list.

    >>> error_pairs("of its most", "ofRits most")
    Counter({('of its', 'ofRits'): 1})
    >>> error_pairs("a b", "a b c")
    Counter({('∅', 'c'): 1})
    """
    ref, hyp = words(reference), words(hypothesis)
    pairs: Counter = Counter()
    block: list[int] | None = None  # [ref_start, ref_end, hyp_start, hyp_end]

    def flush() -> None:
        if block is not None:
            left = " ".join(ref[block[0] : block[1]]) or "∅"
            right = " ".join(hyp[block[2] : block[3]]) or "∅"
            pairs[(left, right)] += 1

    for op in Levenshtein.opcodes(ref, hyp):
        if op.tag == "equal":
            flush()
            block = None
        elif block is None:
            block = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            block[1], block[3] = op.src_end, op.dest_end
    flush()
    return pairs
