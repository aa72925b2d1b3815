"""One immutable configuration: a switch per repair and every threshold, each with its reason.

Overrides go through ``Config(...)`` keywords or ``config._replace(...)``; nothing deep inside
a repair reads a global. :func:`config_from_mapping` builds one from strings, as read from a
``luigi.cfg`` section or the command line.

>>> Config().min_confidence
0.5
>>> config_from_mapping({"keep_line_breaks": "true", "min_confidence": "0.7"}).keep_line_breaks
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, NamedTuple

#: Where our own word lists live (see dictionaries/README.md).
DEFAULT_DICTIONARY_DIR = Path(__file__).resolve().parent.parent / "dictionaries"


class Config(NamedTuple):
    # --- which repairs run -------------------------------------------------------------
    #: Mojibake, ligatures, C1 controls, through ftfy (never its quote uncurling or NFC).
    fix_encoding: bool = True
    #: Junk glyphs standing where a line break separated two words ("ofRits" -> "of its").
    repair_joiners: bool = True
    #: Join hard-wrapped lines into paragraphs; False keeps every original line break.
    reflow: bool = True
    #: Same as reflow=False, named for the users who ask for line-aligned output.
    keep_line_breaks: bool = False
    #: Line-end hyphens: join "regu-/lar", keep "cease-/fire" as "cease-fire".
    dehyphenate: bool = True
    #: Missing spaces: "September 22,2016", "U.S.Secretary".
    fix_spacing: bool = True
    #: Stray spaces at line starts and ends.
    trim_spaces: bool = True

    # --- thresholds ----------------------------------------------------------------------
    #: Edits below this confidence are reported as suggestions and not applied. 0.5 is the
    #: point where a repair is more likely right than wrong by its own estimate.
    min_confidence: float = 0.5
    #: Characters that some extractors are known to emit as joiners, with a prior weight
    #: (pseudo-count of confirmed splits). Evidence from the document decides; the prior only
    #: helps a glyph seen once or twice. Empty by default, so every glyph is learned from the
    #: document; the benchmark measures with and without it.
    glyph_prior: tuple[tuple[str, float], ...] = ()

    # --- resources -----------------------------------------------------------------------
    #: Folder with our word lists; None means the repository's dictionaries/.
    dictionary_dir: str | None = None
    #: Language of the frequency list (wordfreq's code).
    language: str = "en"

    # --- OCR spelling repair (pipeline/spelling.py) ---------------------------------------
    #: OCR misreadings: misread words ("prisoeer", "Crown Lnnd"), real words printed for
    #: others ("lie" for "he"), words run together ("ofjewellery") or split at a stray hyphen
    #: ("sub- sequently"). Off by default: it is meant for OCR'd text, it is slower than the
    #: rest together (0.43-0.47 MB/s with it, 5.7 without, on BLN600's OCR), and old books' own
    #: spellings ("hee", "againe") are among the words it can take for misreadings.
    fix_spelling: bool = False
    #: With fix_spelling, in a batch (``ocr-repair run``'s shards, ``ocr-repair eval``'s sets):
    #: the error model is re-priced for the batch's OCR engine by the sure repairs of the
    #: documents read before (pipeline.spelling.EngineAdaptation). ``clean_text`` alone reads
    #: each document with the model as learned.
    adapt_to_batch: bool = True

    @property
    def keeps_lines(self) -> bool:
        return self.keep_line_breaks or not self.reflow

    def resolved_dictionary_dir(self) -> Path:
        return Path(self.dictionary_dir) if self.dictionary_dir else DEFAULT_DICTIONARY_DIR

    def fingerprint(self) -> dict:
        """Every setting as plain data, for reports and for task identity."""
        data = self._asdict()
        data["glyph_prior"] = [list(item) for item in self.glyph_prior]
        return data


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _parse(name: str, raw: object, default: object) -> object:
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    if isinstance(default, bool):
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError(f"setting {name}: expected true/false, got {raw!r}")
    if isinstance(default, float):
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"setting {name}: expected a number, got {raw!r}") from None
    if name == "glyph_prior":
        # "B:2,®:1" -> (("B", 2.0), ("®", 1.0))
        items = []
        for chunk in filter(None, (c.strip() for c in text.split(","))):
            glyph, _, weight = chunk.rpartition(":")
            if len(glyph) != 1:
                raise ValueError(f"setting glyph_prior: expected CHAR:WEIGHT, got {chunk!r}")
            items.append((glyph, float(weight)))
        return tuple(items)
    if name == "dictionary_dir":
        return text or None
    return text


def config_from_mapping(values: Mapping[str, object], base: Config | None = None) -> Config:
    """Build a :class:`Config` from a mapping of setting names to values (strings allowed).

    Unknown names raise ``ValueError``, so a typo in ``luigi.cfg`` is not silently ignored.
    """
    base = base or Config()
    defaults = base._asdict()
    changes = {}
    for name, raw in values.items():
        key = name.replace("-", "_")
        if key not in defaults:
            raise ValueError(f"unknown setting {name!r}; known: {', '.join(sorted(defaults))}")
        changes[key] = _parse(key, raw, Config._field_defaults[key])
    return base._replace(**changes)
