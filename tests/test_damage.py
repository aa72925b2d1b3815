"""The damage generator: its truth must be exactly the clean input, and its glyphs must sit
only where the original layout broke a line, or every score built on it is wrong."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.corpora import MODERN_NEWS, modern_articles
from pipeline.damage import UNSEEN_GLYPHS, Damaged, DamageSpec, damage, damage_many, glyph_set
from pipeline.edits import apply_edits, output_spans
from pipeline.scoring import normalise

SEED_LIKE = DamageSpec()
ARTICLES = modern_articles(3) + ["\n\n".join(MODERN_NEWS)]
SPECS = [SEED_LIKE] + [SEED_LIKE.replace_glyphs(g) for g in UNSEEN_GLYPHS] + [
    SEED_LIKE.replace_glyphs(glyph_set("&", "%!")),  # glyphs that also occur in the text
]


def cases(count: int = 40):
    """(clean text, spec, damaged) for several articles, glyph sets and generator seeds."""
    for index in range(count):
        text = ARTICLES[index % len(ARTICLES)]
        spec = SPECS[index % len(SPECS)]
        yield text, spec, damage(text, random.Random(index), spec)


def line_end_points(d: Damaged) -> list[int]:
    """Offsets in the truth where the original layout (lines1) ended a line inside a paragraph."""
    points = []
    paragraphs: list[list[str]] = [[]]
    for line in d.lines1:
        if line == "":
            paragraphs.append([])
        else:
            paragraphs[-1].append(line)
    position = 0
    for number, lines in enumerate(paragraphs):
        if number:
            assert d.truth.startswith("\n\n", position)
            position += 2
        for index, line in enumerate(lines):
            assert d.truth.startswith(line, position), (line, d.truth[position : position + 80])
            position += len(line)
            if index + 1 < len(lines):
                points.append(position)
                if d.truth[position] == " ":
                    position += 1
    assert position == len(d.truth)
    return points


def glyph_edits(d: Damaged):
    spans = set(d.glyph_spans)
    ordered = sorted(d.edits, key=lambda e: (e.start, e.end))
    return [(e, out) for e, out in zip(ordered, output_spans(ordered)) if (e.start, e.end) in spans]


def test_truth_is_the_clean_text_reflowed():
    for text, _, d in cases():
        assert normalise(d.truth) == normalise(text)
        # Paragraphs on one line each, one blank line between them.
        assert d.truth.split("\n\n") == [" ".join(p.split()) for p in text.split("\n\n")]


def test_edits_turn_the_damaged_text_into_the_truth():
    for _, _, d in cases():
        assert apply_edits(d.text, d.edits) == d.truth


def test_damage_is_real():
    for text, _, d in cases(10):
        assert normalise(d.text) != normalise(text)
        assert d.glyph_spans


def test_glyph_runs_are_made_of_the_spec_glyphs():
    for _, spec, d in cases():
        for start, end in d.glyph_spans:
            run = d.text[start:end]
            assert 1 <= len(run) <= 3 and set(run) <= spec.glyph_chars, run


def test_every_original_line_end_has_a_glyph_and_no_other_place_does():
    for _, _, d in cases():
        points = line_end_points(d)
        breaks = []
        for edit, (start, end) in glyph_edits(d):
            assert edit.after in (" ", "-", "")
            # " " and "" sit where the line ended; "-" (the run took the hyphen) ends there.
            breaks.append(end if edit.after == "-" else start)
        assert sorted(breaks) == points


def test_no_glyph_inside_a_word_that_was_not_at_a_line_end():
    # Every glyph character outside the runs was already in the clean text, even for
    # glyphs the text uses itself ("&" in AT&T, "%" in 4.2%, "B" in BEIRUT).
    for text, spec, d in cases():
        in_runs = Counter("".join(d.text[s:e] for s, e in d.glyph_spans))
        shown = Counter(d.text)
        clean = Counter(text)
        for glyph in spec.glyph_chars:
            assert shown[glyph] == clean[glyph] + in_runs[glyph], glyph


def test_glyphs_stand_between_two_non_spaces():
    for _, _, d in cases():
        for start, end in d.glyph_spans:
            assert not d.text[start - 1].isspace() and not d.text[end].isspace()


def test_deterministic_given_the_rng():
    text = ARTICLES[0]
    assert damage(text, random.Random(5)) == damage(text, random.Random(5))
    assert damage(text, random.Random(5)).text != damage(text, random.Random(6)).text
    assert damage_many(ARTICLES, seed=1) == damage_many(ARTICLES, seed=1)
    # One text's damage does not depend on the texts before it.
    assert damage_many(ARTICLES, seed=1)[1] == damage_many(ARTICLES[:2], seed=1)[1]


def test_widths_are_drawn_from_the_spec_and_respected():
    for _, spec, d in cases():
        assert spec.width1[0] <= d.width1 <= spec.width1[1]
        assert spec.width2[0] <= d.width2 <= spec.width2[1]
        for line in d.lines1:
            assert len(line) <= d.width1 or " " not in line
        for line in d.text.split("\n"):
            # One stray leading space may push a line one past the width.
            assert len(line.lstrip(" ")) <= d.width2 or " " not in line.strip()


def test_the_seed_kinds_of_damage_all_occur():
    seen: Counter = Counter()
    for _, _, d in cases(60):
        for edit, _ in glyph_edits(d):
            seen[f"run{len(edit.before)}"] += 1
            if edit.after == "-":
                seen["run replaced hyphen"] += 1  # sevenBEday
            if edit.after == "":
                seen["run after hyphen"] += 1  # seven-Bday
            if d.text[edit.start - 1] in ".,;:":
                seen["run after punctuation"] += 1  # Syria.®BAnd
        for edit in d.edits:
            if edit.rule == "dehyphenate" and edit.before.startswith("-"):
                seen["soft hyphen"] += 1  # regu-/lar
            elif edit.rule == "dehyphenate":
                seen["compound broken at its hyphen"] += 1  # cease-/fire
            elif edit.rule == "spacing":
                seen["missing space"] += 1
            elif edit.rule == "reflow" and edit.before.count("\n") >= 4:
                seen["page break"] += 1
            elif edit.rule == "reflow" and edit.before.endswith(" "):
                seen["leading space"] += 1
    for kind in (
        "run1", "run2", "run3", "run replaced hyphen", "run after hyphen", "run after punctuation",
        "soft hyphen", "compound broken at its hyphen", "missing space", "page break", "leading space",
    ):
        assert seen[kind], kind


def test_soft_hyphen_truth_is_the_unbroken_word():
    found = 0
    for _, _, d in cases(60):
        for edit in d.edits:
            if edit.rule == "dehyphenate" and edit.before.startswith("-"):
                assert edit.after == ""
                assert d.text[edit.start - 1].isalpha() and d.text[edit.end].isalpha()
                found += 1
    assert found


def test_missing_spaces_only_where_the_seed_lost_them():
    for _, _, d in cases(60):
        for edit in d.edits:
            if edit.rule == "spacing":
                before = d.text[max(0, edit.start - 20) : edit.start]
                after = d.text[edit.end : edit.end + 12]
                assert re.search(r"(\d{1,2},$)|((?:[A-Z]\.){2,}$)", before), before
                assert re.match(r"\d{4}|[A-Z]", after), after


def test_spec_rejects_what_would_corrupt_the_truth():
    with pytest.raises(ValueError):
        DamageSpec(glyphs=((" ", 1.0),))
    with pytest.raises(ValueError):
        DamageSpec(glyphs=(("-", 1.0),))
    with pytest.raises(ValueError):
        DamageSpec(glyphs=())


def test_no_glyphs_when_the_rate_is_zero():
    d = damage(ARTICLES[0], random.Random(1), DamageSpec(glyph_rate=0.0))
    assert not d.glyph_spans


_word = st.text(alphabet="abcXYZ-’.,&%B¤", min_size=1, max_size=14)
_paragraph = st.lists(_word, min_size=1, max_size=60).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(_paragraph, min_size=1, max_size=4), st.integers(0, 2**32))
def test_invariants_hold_on_arbitrary_words(paragraphs, seed):
    text = "\n\n".join(paragraphs)
    spec = DamageSpec(glyphs=(("B", 0.7), ("¤", 0.3)), soft_hyphen_rate=0.5, page_break_rate=0.1)
    d = damage(text, random.Random(seed), spec)
    assert normalise(d.truth) == normalise(text)
    assert apply_edits(d.text, d.edits) == d.truth
    in_runs = Counter("".join(d.text[s:e] for s, e in d.glyph_spans))
    for glyph in "B¤":
        assert d.text.count(glyph) == text.count(glyph) + in_runs[glyph]
    assert len(d.glyph_spans) == len(line_end_points(d))


# --- newspaper columns (wrap_columns) ---------------------------------------------------------


def test_column_wrapping_keeps_the_text_as_overproof_scores_it():
    from pipeline.damage import COLUMN_WIDTHS, wrap_columns
    from pipeline.evaluate import overproof_form

    ocr = ("The prisoeer was charged with stealing a wxatch; tbe cbarges were read and lie was sub-\n"
           "sequently remanded.\nThe stair- ease of the police-court, in Belgrave- terrace, was "
           "con8titution-ally unsafe at 1842-1954 and thereabouts, said Inspector Phillips.")
    for seed in range(60):
        wrapped = wrap_columns(ocr, random.Random(seed), hyphen_rate=1.0)
        assert overproof_form(wrapped) == overproof_form(ocr)
        lines = wrapped.split("\n")
        assert len(lines) > 5
        # A column: every line within the width, but for a unit that cannot be broken.
        assert max(len(line) for line in lines) <= max(COLUMN_WIDTHS[1], len("Belgrave- terrace,"))
        assert "stair- ease" in wrapped and "Belgrave- terrace," in wrapped  # never joined by the wrap
        assert re.search(r"sub-\n", wrapped)  # the OCR's own line-end hyphen stays one
        for line, following in zip(lines, lines[1:]):
            if line.endswith("-") and line[-2].isalpha() and following[:1].isalpha():
                head = line.rsplit(" ", 1)[-1][:-1]
                tail = re.match(r"[A-Za-z]*", following).group()
                assert len(head.lstrip("(\"'")) >= 2 and (len(tail) >= 2 or "-" in head)
    assert wrap_columns(ocr, random.Random(3)) == wrap_columns(ocr, random.Random(3))


def test_column_wrapping_breaks_some_long_words_at_line_ends():
    from pipeline.damage import wrap_columns

    text = " ".join(["The constitution of the colony was considered at considerable length."] * 20)
    broken = sum(bool(re.search(r"[a-z]-\n[a-z]", wrap_columns(text, random.Random(seed)))) for seed in range(20))
    assert broken >= 10
    assert not re.search(r"-\n", wrap_columns(text, random.Random(0), hyphen_rate=0.0))
