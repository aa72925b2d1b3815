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
