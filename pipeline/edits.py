"""The edit log: the single source of truth for every change the pipeline makes.

An :class:`Edit` replaces ``before`` (the characters ``start:end`` of the input) with ``after``.
A stage never returns a changed string, only edits whose spans point into its own input; one
function, :func:`apply_edits`, turns edits into text, and :func:`compose` maps a later stage's
edits back onto offsets in the original input, so the final log always points into what the
user gave us.

>>> log = [Edit(2, 3, "B", " ", "joiner", 0.99)]
>>> apply_edits("ofBits", log)
'of its'
>>> revert_edits("of its", log)
'ofBits'
"""

from __future__ import annotations

import functools
import json
import operator
from typing import IO, Iterable, Iterator, NamedTuple, Sequence


class EditConflict(ValueError):
    """Edits that overlap, or whose ``before`` does not match the text they point at."""


class Edit(NamedTuple):
    """Replace ``text[start:end]`` (which must equal ``before``) with ``after``.

    ``rule`` names the repair that made the change and ``confidence`` (0..1) says how sure it
    was; ``why`` is a short human-readable reason shown in reports. A NamedTuple rather than a
    dataclass: stages create one per joined line, and a tuple is several times cheaper.
    """

    start: int
    end: int
    before: str
    after: str
    rule: str
    confidence: float
    why: str = ""

    def to_dict(self) -> dict:
        return self._asdict()

    @classmethod
    def from_dict(cls, data: dict) -> "Edit":
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            before=str(data["before"]),
            after=str(data["after"]),
            rule=str(data["rule"]),
            confidence=float(data["confidence"]),
            why=str(data.get("why", "")),
        )


def _sort_key(edit: Edit) -> tuple[int, int]:
    # An insertion at p sorts before a replacement that starts at p, so both can apply.
    return (edit.start, edit.end)


#: The same key as _sort_key, in C (edits are sorted several times per stage).
_SPAN = operator.itemgetter(0, 1)
#: Edit's constructor without NamedTuple's keyword handling, for the hot paths.
_new_edit = functools.partial(tuple.__new__, Edit)


def check_edits(text: str, edits: Sequence[Edit]) -> list[Edit]:
    """Return the edits sorted by position, after checking that they fit ``text``.

    Raises :class:`EditConflict` when an edit's ``before`` is not what ``text`` holds at its
    span, when two edits overlap, or when two insertions share a point (their order would be
    ambiguous on replay).
    """
    ordered = sorted(edits, key=_SPAN)
    _check_ordered(text, ordered)
    return ordered


def _check_ordered(text: str, ordered: list[Edit]) -> None:
    length = len(text)
    previous_start = previous_end = -1
    for start, end, before, _, _, _, _ in ordered:
        if not 0 <= start <= end <= length:
            raise EditConflict(f"edit span {start}:{end} outside text of length {length}")
        if text[start:end] != before:
            raise EditConflict(f"edit at {start}:{end} expects {before!r}, text has {text[start:end]!r}")
        if previous_end >= 0:
            if start < previous_end:
                raise EditConflict(f"edits overlap at {previous_start}:{previous_end} and {start}:{end}")
            if start == end == previous_start == previous_end:
                raise EditConflict(f"two insertions at {start}")
        previous_start, previous_end = start, end


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits (in any order) to ``text``.

    >>> apply_edits("a b", [Edit(1, 2, " ", "\\n", "demo", 1.0)])
    'a\\nb'
    """
    ordered = sorted(edits, key=_SPAN)
    # _check_ordered's checks and the join in one pass, the checks as one test: an edit that
    # fails it fails one of them, and _check_ordered, checking every edit in the same order,
    # raises that one's error (the edits before it passed them all).
    length = len(text)
    parts: list[str] = []
    append = parts.append
    cursor = 0
    previous_start = previous_end = -1
    for start, end, before, after, _, _, _ in ordered:
        if (
            start < previous_end or not 0 <= start <= end <= length or text[start:end] != before
            or start == end == previous_start == previous_end
        ):
            _check_ordered(text, ordered)  # raises
            raise AssertionError(f"edit {start}:{end} passed every check yet failed one")
        previous_start, previous_end = start, end
        append(text[cursor:start])
        append(after)
        cursor = end
    append(text[cursor:])
    return "".join(parts)


def output_spans(edits: Sequence[Edit]) -> list[tuple[int, int]]:
    """Where each edit's ``after`` sits in the edited text, in the order of ``sorted(edits)``."""
    spans = []
    shift = 0
    for old_start, old_end, _, after, _, _, _ in sorted(edits, key=_SPAN):
        start = old_start + shift
        size = len(after)
        spans.append((start, start + size))
        shift += size - (old_end - old_start)
    return spans


def invert_edits(edits: Sequence[Edit]) -> list[Edit]:
    """The edits that turn the edited text back into the original."""
    ordered = sorted(edits, key=_sort_key)
    inverse: list[Edit] = []
    previous_end = None
    for edit, (start, end) in zip(ordered, output_spans(ordered)):
        if inverse and edit.start == previous_end:
            # Edits that touch in the original (two adjacent deletions, say) touch in the
            # output too and may collapse onto one point: invert them as one edit.
            last = inverse.pop()
            inverse.append(
                Edit(last.start, end, last.before + edit.after, last.after + edit.before, last.rule, last.confidence, last.why)
            )
        else:
            inverse.append(Edit(start, end, edit.after, edit.before, edit.rule, edit.confidence, edit.why))
        previous_end = edit.end
    return inverse


def revert_edits(edited: str, edits: Sequence[Edit]) -> str:
    """Give back the original text from the edited text and the log that produced it."""
    return apply_edits(edited, invert_edits(edits))


def _touches(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Do two spans overlap? An insertion (empty span) also touches what it borders."""
    if a0 == a1 or b0 == b1:
        return a0 <= b1 and b0 <= a1
    return a0 < b1 and b0 < a1


def _compose_disjoint(base: list[Edit], new: list[Edit]) -> list[Edit] | None:
    """compose() for the usual case, where no stage edit touches an earlier edit's output:
    one merge pass that shifts the new edits onto the original. None if any edit touches."""
    result: list[Edit] = []
    append = result.append
    growth = 0  # output minus original offset, after the earlier edits merged so far
    j = 0
    count = len(base)
    for edit in new:
        start, end, before, after, rule, confidence, why = edit
        while j < count:
            old = base[j]
            out_start = old[0] + growth
            out_end = out_start + len(old[3])
            if out_end < start:
                # Wholly before the new edit, most earlier edits: it touches nothing (the
                # tests below would find the same).
                append(old)
                growth += len(old[3]) - (old[1] - old[0])
                j += 1
                continue
            # _touches, inline: an insertion also touches what it borders.
            if out_start == out_end or start == end:
                if out_start <= end and start <= out_end:
                    return None
            elif out_start < end and start < out_end:
                return None
            if out_start >= end:
                break  # this earlier edit lies after the new one
            append(old)
            growth += len(old[3]) - (old[1] - old[0])
            j += 1
        append(_new_edit((start - growth, end - growth, before, after, rule, confidence, why)))
    result.extend(base[j:])
    return result


def compose(original: str, log: Sequence[Edit], stage_edits: Sequence[Edit]) -> list[Edit]:
    """Fold one stage's edits into ``log``, so that every record points into ``original``.

    ``log`` holds edits against ``original``; ``stage_edits`` hold edits against
    ``apply_edits(original, log)``. The result holds edits against ``original`` whose
    application gives the stage's output. Where a stage edit touches text that an earlier
    edit wrote, the two become one edit spanning both: its rule names both repairs, its
    confidence is the lower one, and its reasons are joined.

    >>> compose("ofRits", [Edit(2, 3, "R", " ", "joiner", 0.9)],
    ...         [Edit(3, 4, "i", "I", "case", 0.5)])  # doctest: +NORMALIZE_WHITESPACE
    [Edit(start=2, end=3, before='R', after=' ', rule='joiner', confidence=0.9, why=''),
     Edit(start=3, end=4, before='i', after='I', rule='case', confidence=0.5, why='')]
    >>> compose("ofRits", [Edit(2, 3, "R", " ", "joiner", 0.9)],
    ...         [Edit(1, 3, "f ", "f-", "hyphen", 0.6)])
    [Edit(start=1, end=3, before='fR', after='f-', rule='joiner+hyphen', confidence=0.6, why='')]
    """
    base = sorted(log, key=_SPAN)
    new = sorted(stage_edits, key=_SPAN)
    if not new:
        return base
    if not base:
        return new
    disjoint = _compose_disjoint(base, new)
    if disjoint is not None:
        return disjoint
    out = output_spans(base)
    # Events in the stage's input coordinates: earlier edits by where their output sits.
    events = [(s, e, 0, i) for i, (s, e) in enumerate(out)] + [(ed.start, ed.end, 1, j) for j, ed in enumerate(new)]
    events.sort()  # by (start, end, earlier-before-new, index): plain tuple order
    clusters: list[list[tuple[int, int, int, int]]] = []
    c0 = c1 = 0
    for ev in events:
        if clusters and _touches(c0, c1, ev[0], ev[1]):
            clusters[-1].append(ev)
            c1 = max(c1, ev[1])
        else:
            clusters.append([ev])
            c0, c1 = ev[0], ev[1]

    result: list[Edit] = []
    shift = 0  # original offset minus stage-input offset, left of the current cluster
    for cluster in clusters:
        olds = [base[ev[3]] for ev in cluster if ev[2] == 0]
        news = [new[ev[3]] for ev in cluster if ev[2] == 1]
        if not news:
            result.extend(olds)
        elif not olds:
            for ed in news:
                result.append(Edit(ed.start + shift, ed.end + shift, ed.before, ed.after, ed.rule, ed.confidence, ed.why))
        else:
            o0 = min(ev[0] for ev in cluster)
            o1 = max(ev[1] for ev in cluster)
            s0 = o0 + shift
            tail_shift = shift + sum((ed.end - ed.start) - len(ed.after) for ed in olds)
            s1 = o1 + tail_shift
            pieces = []
            cursor = s0
            for ed in olds:
                pieces.append(original[cursor : ed.start])
                pieces.append(ed.after)
                cursor = ed.end
            pieces.append(original[cursor:s1])
            segment = "".join(pieces)
            local = [Edit(ed.start - o0, ed.end - o0, ed.before, ed.after, ed.rule, ed.confidence, ed.why) for ed in news]
            after = apply_edits(segment, local)
            before = original[s0:s1]
            if before != after:  # a later stage may undo an earlier one: then nothing is left
                merged = olds + news
                rules: list[str] = []
                for ed in merged:
                    rules.extend(r for r in ed.rule.split("+") if r not in rules)
                result.append(
                    Edit(
                        s0,
                        s1,
                        before,
                        after,
                        "+".join(rules),
                        min(ed.confidence for ed in merged),
                        "; ".join(ed.why for ed in merged if ed.why),
                    )
                )
        shift += sum((ed.end - ed.start) - len(ed.after) for ed in olds)
    return result


def write_jsonl(edits: Iterable[Edit], stream: IO[str]) -> None:
    """Write one JSON object per edit."""
    for edit in edits:
        stream.write(json.dumps(edit.to_dict(), ensure_ascii=False) + "\n")


def read_jsonl(stream: IO[str]) -> Iterator[Edit]:
    """Read edits written by :func:`write_jsonl`; blank lines are skipped."""
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            yield Edit.from_dict(json.loads(line))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"line {number}: not an edit record ({error})") from None
