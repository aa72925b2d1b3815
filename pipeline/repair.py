"""Run the repair stages in order and compose their edits into one log against the input.

Each stage reads the text the previous stages produced and returns edits against that text;
:func:`pipeline.edits.compose` maps them back onto the original. The clean text is *derived*
from the final log, never kept beside it, so the log cannot disagree with the text.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .config import Config
from .edits import Edit, apply_edits, compose
from .lexicon import load_lexicon


@dataclass(frozen=True)
class Cleaned:
    """The result of :func:`clean_text`.

    ``edits`` are applied (``apply_edits(original, edits) == text``); ``suggestions`` fell below
    ``config.min_confidence`` and are reported for review, not applied. ``notes`` hold what the
    stages learned about the document (joiner glyphs, wrap width) and their timings.
    """

    original: str
    text: str
    edits: tuple[Edit, ...]
    suggestions: tuple[Edit, ...] = ()
    notes: dict = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.edits)


def clean_text(text: str, config: Config | None = None) -> Cleaned:
    """Find and repair extraction and OCR damage in ``text``.

    >>> result = clean_text("It was hard to escape the impression that Moscow decided "
    ...     "to bomb its way out\\nofBits most important achievement inBGeneva, "
    ...     "which itBhad sought forBmonths.\\n")
    >>> result.text
    'It was hard to escape the impression that Moscow decided to bomb its way out of its most important achievement in Geneva, which it had sought for months.\\n'
    >>> sorted({e.rule for e in result.edits})
    ['joiner', 'reflow']
    """
    if not isinstance(text, str):
        raise TypeError(f"clean_text expects str, got {type(text).__name__}")
    config = config or Config()
    lexicon = load_lexicon(config)
    notes: dict = {"timings": {}}
    log: list[Edit] = []
    current = text

    def run(name: str, stage) -> list[Edit]:
        nonlocal log, current
        started = time.perf_counter()
        edits = stage(current)
        notes["timings"][name] = time.perf_counter() - started
        if edits:
            log = compose(text, log, edits)
            current = apply_edits(current, edits)
        return edits

    if config.fix_encoding:
        from .encoding import encoding_edits

        run("encoding", lambda t: encoding_edits(t, config))
    if config.repair_joiners:
        from .joiners import repair_joiners

        def joiners(t: str) -> list[Edit]:
            found = repair_joiners(t, lexicon, config)
            notes["joiners"] = found.summary()
            return found.edits

        run("joiners", joiners)
    from .layout import layout_edits, spacing_edits

    # Spacing before layout, so that layout measures lines as they will be, and again after
    # it, for a word rejoined across a line ("Septem-" / "ber 21,2016").
    if config.fix_spacing:
        run("spacing", lambda t: spacing_edits(t, lexicon, config))
    laid_out = run("layout", lambda t: layout_edits(t, lexicon, config, notes))
    if config.fix_spacing and any(e.rule == "line_end_hyphen" and "\n" in e.before for e in laid_out):
        run("spacing_after_layout", lambda t: spacing_edits(t, lexicon, config))
    # Spelling last: it reads words, so it wants the lines rejoined and the spaces put back.
    if config.fix_spelling:
        from .spelling import spelling_edits

        run("spelling", lambda t: spelling_edits(t, lexicon, config, notes))

    applied = tuple(e for e in log if e.confidence >= config.min_confidence)
    suggested = tuple(e for e in log if e.confidence < config.min_confidence)
    clean = apply_edits(text, applied) if suggested else current
    return Cleaned(original=text, text=clean, edits=applied, suggestions=suggested, notes=notes)
