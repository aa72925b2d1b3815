"""Run the repair stages in order and compose their edits into one log against the input.

Each stage reads the text the previous stages produced and returns edits against that text;
:func:`pipeline.edits.compose` maps them back onto the original. The clean text is *derived*
from the final log, never kept beside it, so the log cannot disagree with the text.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass, field

from .config import Config
from .edits import _SPAN, Edit, _touches, apply_edits, compose, output_spans
from .lexicon import load_lexicon

#: Most rounds of encoding and layout after the first layout (each round must change text,
#: and in the fuzzers' worst cases one round settles it).
_SETTLE_ROUNDS = 3


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


def clean_text(text: str, config: Config | None = None, adaptation=None) -> Cleaned:
    """Find and repair extraction and OCR damage in ``text``.

    >>> result = clean_text("It was hard to escape the impression that Moscow decided "
    ...     "to bomb its way out\\nofBits most important achievement inBGeneva, "
    ...     "which itBhad sought forBmonths.\\n")
    >>> result.text
    'It was hard to escape the impression that Moscow decided to bomb its way out of its most important achievement in Geneva, which it had sought for months.\\n'
    >>> sorted({e.rule for e in result.edits})
    ['joiner', 'reflow']

    ``adaptation``: the batch the text belongs to (a pipeline.spelling.EngineAdaptation; with
    ``fix_spelling`` and ``adapt_to_batch``): the spelling stage reads the text with the error
    model re-priced for the documents of the batch before it, and adds this one's sure repairs.
    """
    if not isinstance(text, str):
        raise TypeError(f"clean_text expects str, got {type(text).__name__}")
    config = config or Config()
    lexicon = load_lexicon(config)
    notes: dict = {"timings": {}}
    log: list[Edit] = []
    current = text

    suggested: list[Edit] = []

    def run(name: str, stage) -> list[Edit]:
        # Edits below the threshold are suggestions: moved onto the input and kept aside, never
        # applied, so that later stages read the text the user will get (a second run reads it
        # too, and must find nothing more to do).
        nonlocal log, current
        started = time.perf_counter()
        edits = stage(current)
        notes["timings"][name] = time.perf_counter() - started
        minimum = config.min_confidence
        applied = [e for e in edits if e[5] >= minimum]  # by confidence
        weak = [e for e in edits if e[5] < minimum] if len(applied) < len(edits) else []
        if weak:
            suggested.extend(_onto_input(text, log, weak))
        if applied:
            log = compose(text, log, applied)
            current = apply_edits(current, applied)
        return applied

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
    # Joiner glyphs are damage: then a word glued to the next by a comma or period is too.
    damaged = bool(notes.get("joiners", {}).get("glyphs"))
    if config.fix_spacing:
        run("spacing", lambda t: spacing_edits(t, lexicon, config, damaged))
    laid_out = run("layout", lambda t: layout_edits(t, lexicon, config, notes))
    # Layout can bring mojibake together that ftfy read apart ("Â" + "\n" + "r" reflowed to
    # "Â r", a mangled no-break space), or trim the space that made a line look right to it.
    # A second run would then repair what this one left, so settle here: encoding again where
    # a line changed that ftfy could read differently, and layout again on what that changed.
    from .encoding import encoding_edits, lines_need_encoding, may_need_encoding

    def reads_anew(edits: list[Edit]) -> bool:
        """Could ftfy read a line that ``edits`` changed differently now? Which lines they
        changed is worked out only for a document ftfy could change at all."""
        return config.fix_encoding and may_need_encoding(current) and lines_need_encoding(current, output_spans(edits))

    unsettled = reads_anew(laid_out)
    # A word rejoined across a line ("p1-" / "0") is a token the joiner stage never read: where
    # such a token holds a glyph candidate, the joiner stage reads the text again (rare: words
    # split at a line end seldom hold capitals or symbols inside).
    if config.repair_joiners and _joined_token_has_candidate(current, laid_out):
        if run("joiners_after_layout", lambda t: repair_joiners(t, lexicon, config).edits):
            laid_out = run("layout_after_joiners", lambda t: layout_edits(t, lexicon, config, {}))
    if config.fix_spacing and any(e.rule == "line_end_hyphen" and "\n" in e.before for e in laid_out):
        spaced = run("spacing_after_layout", lambda t: spacing_edits(t, lexicon, config, damaged))
        unsettled = unsettled or reads_anew(spaced)
    for _ in range(_SETTLE_ROUNDS if unsettled else 0):
        if not run("encoding_after_layout", lambda t: encoding_edits(t, config)):
            break
        # What ftfy made of the rejoined line is new text to the stages after it ("out" +
        # "â€\n" + "of" reflowed and decoded is "out†of"); this is rare, so run them all.
        if config.repair_joiners:
            run("joiners_after_encoding", lambda t: repair_joiners(t, lexicon, config).edits)
        if config.fix_spacing:
            run("spacing_after_encoding", lambda t: spacing_edits(t, lexicon, config, damaged))
        changed = run("layout_after_encoding", lambda t: layout_edits(t, lexicon, config, {}))
        if not changed or not reads_anew(changed):
            break
    # Spelling last: it reads words, so it wants the lines rejoined and the spaces put back.
    if config.fix_spelling:
        from .spelling import spelling_edits

        if not config.adapt_to_batch:
            adaptation = None
        run("spelling", lambda t: spelling_edits(t, lexicon, config, notes, damaged, adaptation))

    return Cleaned(original=text, text=current, edits=tuple(log), suggestions=_compatible(log, suggested), notes=notes)


def _joined_token_has_candidate(text: str, laid_out: list[Edit]) -> bool:
    """Does a token that layout rejoined (a line-end hyphen's line break removed) in ``text``
    (layout's output) hold a joiner-glyph candidate?"""
    # A join removes a line break and writes nothing: no stripped-away ``after`` holds a
    # space, so it is empty. Most documents have none (reflow writes a space): then the
    # output spans are not worth working out.
    if not any(not edit.after and "\n" in edit.before for edit in laid_out):
        return False
    joins = [span for edit, span in zip(sorted(laid_out, key=_SPAN), output_spans(laid_out))
             if not edit.after and "\n" in edit.before]
    from .joiners import candidate_runs

    for start, end in joins:
        lo = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
        hi_space, hi_line = text.find(" ", end), text.find("\n", end)
        hi = min(h for h in (hi_space, hi_line, len(text)) if h >= 0)
        if candidate_runs(text[lo:hi]):
            return True
    return False


def _onto_input(original: str, log: list[Edit], edits: list[Edit]) -> list[Edit]:
    """``edits`` (against ``apply_edits(original, log)``) as edits against ``original``.

    An edit that touches what an applied edit wrote cannot stand apart from it: it is left out.
    """
    if not log:
        return edits
    kept = set(log)
    moved = [e for e in compose(original, log, edits) if e not in kept]
    return _apart(log, moved)


def _apart(fixed: list[Edit], edits: list[Edit]) -> list[Edit]:
    """The ``edits`` that touch none of the ``fixed`` ones, nor an earlier one of ``edits``
    (insertions touch what they border), in their order."""
    spans = sorted((e.start, e.end) for e in fixed)
    starts = [s for s, _ in spans]
    result: list[Edit] = []
    for edit in edits:
        i = bisect.bisect_right(starts, edit.end)
        # Fixed spans are disjoint and sorted: walk left from the last one starting at or
        # before edit.end while they can still reach it.
        while i > 0 and spans[i - 1][1] >= edit.start:
            if _touches(spans[i - 1][0], spans[i - 1][1], edit.start, edit.end):
                break
            i -= 1
        else:
            result.append(edit)
            bisect.insort(spans, (edit.start, edit.end))
            bisect.insort(starts, edit.start)
    return result


def _compatible(log: list[Edit], suggestions: list[Edit]) -> tuple[Edit, ...]:
    """Suggestions that touch neither an applied edit (a later stage repaired the place
    another way) nor an earlier suggestion, sorted: so that applying edits and suggestions
    together is always possible."""
    if not suggestions:
        return ()
    return tuple(sorted(_apart(log, suggestions), key=lambda e: (e.start, e.end)))
