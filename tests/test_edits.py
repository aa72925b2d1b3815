"""The edit log replays and reverts exactly, and composing stages keeps it pointing into the input."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.edits import (
    Edit,
    EditConflict,
    apply_edits,
    compose,
    read_jsonl,
    revert_edits,
    write_jsonl,
)

ALPHABET = st.sampled_from(list("ab \n-B.é’"))


@st.composite
def text_and_edits(draw, text=None):
    """A text and a random set of non-overlapping edits against it."""
    if text is None:
        text = draw(st.text(ALPHABET, max_size=40))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    edits = []
    last_end = -1
    last_insert = None
    for i in range(0, len(cuts) - 1, 2):
        start, end = cuts[i], cuts[i + 1]
        if start < last_end or (start == end and (start == last_insert or start == last_end)):
            continue
        after = draw(st.text(ALPHABET, max_size=3))
        if start == end and not after:
            continue
        edits.append(Edit(start, end, text[start:end], after, "r", 0.9))
        last_end = end
        last_insert = start if start == end else None
    return text, edits


@given(text_and_edits())
def test_edits_replay_and_revert_exactly(case):
    text, edits = case
    edited = apply_edits(text, edits)
    assert revert_edits(edited, edits) == text


@given(st.data())
@settings(max_examples=300)
def test_composed_log_points_into_the_original(data):
    original, first = data.draw(text_and_edits())
    middle = apply_edits(original, first)
    _, second = data.draw(text_and_edits(text=middle))
    final = apply_edits(middle, second)
    log = compose(original, first, second)
    assert apply_edits(original, log) == final
    assert revert_edits(final, log) == original


def test_an_edit_that_does_not_match_the_text_is_refused():
    with pytest.raises(EditConflict):
        apply_edits("abc", [Edit(0, 1, "x", "y", "r", 1.0)])


def test_overlapping_edits_are_refused():
    with pytest.raises(EditConflict):
        apply_edits("abcd", [Edit(0, 2, "ab", "", "r", 1.0), Edit(1, 3, "bc", "", "r", 1.0)])


def test_edits_round_trip_through_json_lines():
    edits = [Edit(2, 3, "B", " ", "joiner", 0.97, "glyph 'B'"), Edit(5, 5, "", " ", "missing_space", 0.8)]
    stream = io.StringIO()
    write_jsonl(edits, stream)
    stream.seek(0)
    assert list(read_jsonl(stream)) == edits


def _reference_apply(text: str, edits) -> str:
    """apply_edits as it was: every edit checked in order (the checks apply_edits falls back on
    to name the first failure), then the text joined."""
    from pipeline.edits import _check_ordered

    ordered = sorted(edits, key=lambda e: (e[0], e[1]))
    _check_ordered(text, ordered)
    parts, cursor = [], 0
    for start, end, _, after, _, _, _ in ordered:
        parts += [text[cursor:start], after]
        cursor = end
    return "".join(parts + [text[cursor:]])


def _reference_compose_disjoint(base, new):
    """_compose_disjoint as it was, before it passed earlier edits wholly before a new one."""
    from pipeline.edits import _touches

    result, growth, j = [], 0, 0
    for start, end, before, after, rule, confidence, why in new:
        while j < len(base):
            old = base[j]
            out_start = old[0] + growth
            out_end = out_start + len(old[3])
            if _touches(out_start, out_end, start, end):
                return None
            if out_start >= end:
                break
            result.append(old)
            growth += len(old[3]) - (old[1] - old[0])
            j += 1
        result.append(Edit(start - growth, end - growth, before, after, rule, confidence, why))
    return result + base[j:]


def _random_edits(rnd, text):
    edits = []
    for _ in range(rnd.randrange(0, 5)):
        start = rnd.randrange(-1, len(text) + 2)
        end = start + rnd.choice([0, 0, 1, 2, -1])
        before = text[start:end] if rnd.random() < 0.9 and start >= 0 else "x"
        edits.append(Edit(start, end, before, rnd.choice(["", " ", "-", "ab"]), "r", 1.0))
    return edits


def test_edits_are_checked_and_applied_as_before():
    # apply_edits checks and joins in one pass; the first edit that does not fit must raise
    # the same error as when every edit was checked first.
    import random

    rnd = random.Random(5)
    text = "ofBits most inBGeneva,\nwhich"
    for _ in range(4000):
        edits = _random_edits(rnd, text)
        try:
            expected = _reference_apply(text, edits)
        except Exception as error:  # noqa: BLE001
            with pytest.raises(type(error)) as raised:
                apply_edits(text, edits)
            assert str(raised.value) == str(error)
        else:
            assert apply_edits(text, edits) == expected


def test_disjoint_composition_is_as_before():
    import random

    from pipeline.edits import _compose_disjoint, _SPAN

    rnd = random.Random(6)
    text = "ofBits most inBGeneva,\nwhich it had"
    for _ in range(4000):
        try:
            base = sorted(_random_edits(rnd, text), key=_SPAN)
            middle = apply_edits(text, base)
            new = sorted(_random_edits(rnd, middle), key=_SPAN)
            apply_edits(middle, new)
        except Exception:  # noqa: BLE001 - edits that do not fit are no composition
            continue
        assert _compose_disjoint(base, new) == _reference_compose_disjoint(base, new)
