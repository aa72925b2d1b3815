"""Error rates and the false-edit counts: the numbers every acceptance criterion rests on."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.damage import damage
from pipeline.scoring import (
    broken_word_list,
    broken_words,
    cer,
    changed_words,
    equal_mask,
    error_pairs,
    normalise,
    wer,
    word_errors,
)

SEED = "It is hard to escape the impression that Russia has decided this week to bomb its way out"


def test_normalise_folds_every_kind_of_whitespace():
    assert normalise("\n a\t\tb \u00a0 c\r\n\n\n\nd  ") == "a b c d"
    assert normalise("") == ""


def test_reflow_is_not_an_error():
    reflowed = SEED.replace(" to ", "\n\n\n to\n")
    assert word_errors(SEED, reflowed) == 0
    assert wer(SEED, reflowed) == 0.0
    assert cer(SEED, reflowed) == 0.0


def test_word_and_character_error_rates():
    reference = "of its most important"
    assert word_errors(reference, "ofRits most important") == 2
    assert wer(reference, "ofRits most important") == pytest.approx(2 / 4)
    assert cer(reference, "ofRits most important") == pytest.approx(1 / len(reference))
    assert wer(reference, "") == 1.0
    assert wer("", "x") == 1.0 and cer("", "x") == 1.0
    assert wer("", " \n") == 0.0 and cer("", "") == 0.0


def test_punctuation_belongs_to_the_word():
    assert word_errors("Syria. And", "Syria And") == 1


def test_equal_mask_marks_aligned_words():
    assert equal_mask(["a", "b", "c"], ["a", "x", "c"]) == [True, False, True]
    assert equal_mask([], ["a"]) == []
    assert equal_mask(["a"], []) == [False]


def test_broken_words_counts_only_words_the_source_had_right():
    reference = "buy on eBay in Geneva now"
    source = "buy on eBay inBGeneva now"
    assert broken_words(reference, source, "buy on eBay in Geneva now") == 0  # a clean fix
    assert broken_words(reference, source, source) == 0  # nothing fixed, nothing broken
    assert broken_words(reference, source, "buy on e ay in Geneva now") == 1
    assert broken_word_list(reference, source, "buy on e ay in Geneva now") == [(2, "eBay")]
    # A word that was wrong in the source and is still wrong is not "broken".
    assert broken_words(reference, source, "buy on eBay in Genva now") == 0


def test_changed_words_on_undamaged_text():
    text = "the U.S.-Russia deal and AT&T, McDonald’s and Yahoo!"
    assert changed_words(text, text) == 0
    assert changed_words(text, text.replace("\n", " ")) == 0
    assert changed_words(text, text.replace("AT&T,", "AT T,")) == 1
    assert changed_words(text, text.replace("U.S.-Russia", "U.S. - Russia")) == 1
    assert changed_words(text, "") == len(text.split())
    assert changed_words("", "anything") == 0


def test_error_pairs_groups_adjacent_errors():
    pairs = error_pairs("in Geneva on Sept. 12 of its", "inBGeneva on Sept. 12 ofRits")
    assert pairs == {("in Geneva", "inBGeneva"): 1, ("of its", "ofRits"): 1}
    assert error_pairs("a b", "a b") == {}
    assert error_pairs("a b c", "a c") == {("b", "∅"): 1}


def test_scores_on_a_damaged_article():
    text = " ".join([SEED] * 20)
    d = damage(text, random.Random(3))
    assert word_errors(d.truth, d.truth) == 0
    assert word_errors(d.truth, d.text) > 0
    assert changed_words(d.truth, d.text) > 0
    # The damaged text as output of a "repair" breaks nothing it did not already get wrong.
    assert broken_words(d.truth, d.text, d.text) == 0
    assert broken_words(d.truth, d.text, d.truth) == 0


_words = st.lists(st.sampled_from(["a", "b", "c", "of", "its", "ofRits", "eBay"]), max_size=25).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(_words, _words, _words)
def test_properties(reference, source, output):
    assert word_errors(reference, reference) == 0
    assert word_errors(reference, output) == word_errors(output, reference)
    assert 0 <= broken_words(reference, source, output) <= len(reference.split())
    assert broken_words(reference, source, source) == 0
    assert broken_words(reference, source, reference) == 0
    assert changed_words(source, source) == 0
    # Every broken word is one the output got wrong, so it counts among the output's errors.
    assert broken_words(reference, source, output) <= word_errors(reference, output)
    assert sum(error_pairs(reference, output).values()) <= word_errors(reference, output)
