"""Word lists: wordfreq's frequencies plus our own lists in ``dictionaries/``.

Loaded once per (language, folder) and cached. Frequencies are Zipf values (log10 of
occurrences per billion words: "the" is about 7.7, a rare name about 1.5, unknown 0.0).

>>> lex = load_lexicon()
>>> lex.zipf("the") > 7 and lex.zipf("Lavrov") > 2 and lex.zipf("ofRits") == 0.0
True
>>> lex.zipf("Syria’s") == lex.zipf("syria's")
True
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .config import Config

#: Apostrophes that mean the same in a word.
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})


def read_term_counts(stream: IO[str], source: str = "<stream>") -> dict[str, int]:
    """Read a ``term count`` list (symspellpy's format): one term and one integer per line.

    >>> import io
    >>> read_term_counts(io.StringIO("cease-fire 120\\nSept. 1\\n"))
    {'cease-fire': 120, 'Sept.': 1}
    """
    terms: dict[str, int] = {}
    for number, line in enumerate(stream, 1):
        line = line.strip()
        if not line:
            continue
        term, _, count = line.rpartition(" ")
        if not term:
            raise ValueError(f"{source}:{number}: expected 'term count', got {line!r}")
        try:
            terms[term] = int(count)
        except ValueError:
            raise ValueError(f"{source}:{number}: count is not an integer in {line!r}") from None
    return terms


def read_word_list(path: Path) -> dict[str, int]:
    """Read one of our ``dictionaries/*.txt`` files; a missing file is an error, not a warning."""
    if not path.is_file():
        raise FileNotFoundError(f"dictionary {path} is missing (see dictionaries/README.md)")
    with path.open(encoding="utf-8") as stream:
        return read_term_counts(stream, str(path))


@dataclass
class Lexicon:
    """Frequencies for known words, and the small closed lists the layout rules need."""

    frequencies: dict[str, float]
    #: Abbreviations whose final period does not end a sentence ("Sept.", "U.S.").
    abbreviations: frozenset[str] = frozenset()
    #: Words a sentence or heading cannot end on ("of", "the"): a line ending on one goes on.
    function_words: frozenset[str] = frozenset()
    #: Singular nouns that, after a number, make a hyphenated modifier ("seven-day").
    compound_units: frozenset[str] = frozenset()
    #: Hyphenated compounds known to keep their hyphen ("cease-fire").
    hyphenated: frozenset[str] = frozenset()
    #: Lowercase last parts the press hyphenates after a name ("street": "Bow-street").
    hyphenated_last_parts: frozenset[str] = frozenset()
    load_seconds: float = 0.0
    sources: dict[str, str] = field(default_factory=dict)
    #: Memo for the repair stages' word lookups, shared by every document of the process.
    piece_cache: dict = field(default_factory=dict, repr=False)

    @functools.cached_property
    def hyphen_heads(self) -> frozenset[str]:
        """Everything before the last hyphen of a listed compound ("cease", "mother-in"): a
        pair can make a listed compound only if its first part is one of these."""
        return frozenset(c.rsplit("-", 1)[0] for c in self.hyphenated)

    def zipf(self, word: str) -> float:
        """Zipf frequency of ``word`` (case-insensitive, any apostrophe), 0.0 when unknown."""
        key = word.lower()
        found = self.frequencies.get(key)
        if found is None and not key.isascii():
            found = self.frequencies.get(key.translate(_APOSTROPHES))
        return found or 0.0

    def __contains__(self, word: str) -> bool:
        return self.zipf(word) > 0.0


def _zipf_from_proportion(proportion: float) -> float:
    return round(math.log10(proportion) + 9.0, 2)


def _load_wordfreq(language: str) -> dict[str, float]:
    try:
        from wordfreq import get_frequency_dict
    except ImportError as error:  # pragma: no cover - a broken install
        raise RuntimeError("wordfreq is not installed: pip install -e . installs it") from error
    return {word: _zipf_from_proportion(p) for word, p in get_frequency_dict(language, "large").items() if p > 0}


@functools.lru_cache(maxsize=4)
def _load(language: str, folder: str) -> Lexicon:
    started = time.perf_counter()
    frequencies = _load_wordfreq(language)
    directory = Path(folder)
    # Our additions: words the frequency list lacks, as 'term count' (count per billion).
    for term, count in read_word_list(directory / f"extra_words_{language}.txt").items():
        frequencies.setdefault(term.lower(), _zipf_from_proportion(max(count, 1) / 1e9))
    lexicon = Lexicon(
        frequencies=frequencies,
        abbreviations=frozenset(read_word_list(directory / f"abbreviations_{language}.txt")),
        function_words=frozenset(w.lower() for w in read_word_list(directory / f"function_words_{language}.txt")),
        compound_units=frozenset(w.lower() for w in read_word_list(directory / f"compound_units_{language}.txt")),
        hyphenated=frozenset(
            w.lower()
            for path in sorted(directory.glob(f"hyphenated*_{language}.txt"))
            if path.name != f"hyphenated_last_parts_{language}.txt"
            for w in read_word_list(path)
        ),
        hyphenated_last_parts=frozenset(
            w.lower() for w in read_word_list(directory / f"hyphenated_last_parts_{language}.txt")
        ),
        sources={"frequencies": f"wordfreq {language} large", "folder": str(directory)},
    )
    lexicon.load_seconds = time.perf_counter() - started
    return lexicon


def load_lexicon(config: Config | None = None) -> Lexicon:
    """The lexicon for ``config`` (cached: the lists load once per process)."""
    config = config or Config()
    return _load(config.language, str(config.resolved_dictionary_dir()))


