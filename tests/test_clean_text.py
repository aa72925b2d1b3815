"""End to end: the public API on the seed, on clean text, and on any text at all."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import Config, apply_edits, clean_text, revert_edits

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_e96e1724211ec8aa.txt"
GOLDEN = ROOT / "tests" / "golden" / "000_e96e1724211ec8aa.clean.txt"


def test_seed_comes_out_as_a_careful_editor_wrote_it():
    result = clean_text(SEED.read_text(encoding="utf-8"))
    assert result.text == GOLDEN.read_text(encoding="utf-8")
    assert result.suggestions == ()


def test_seed_edit_log_replays_and_reverts_byte_for_byte():
    original = SEED.read_text(encoding="utf-8")
    result = clean_text(original)
    assert apply_edits(original, result.edits) == result.text
    assert revert_edits(result.text, result.edits).encode("utf-8") == original.encode("utf-8")
    assert {e.rule for e in result.edits} >= {"joiner", "reflow", "page_break", "missing_space", "trim_space"}
    assert all(0.0 < e.confidence <= 1.0 and e.why for e in result.edits if e.rule == "joiner")


def test_cleaning_the_clean_seed_changes_nothing():
    golden = GOLDEN.read_text(encoding="utf-8")
    assert clean_text(golden).edits == ()


def test_keep_line_breaks_repairs_glyphs_but_keeps_every_line():
    original = SEED.read_text(encoding="utf-8")
    result = clean_text(original, Config(keep_line_breaks=True))
    assert result.text.count("\n") == original.rstrip(" ").count("\n")
    assert "of its most important" in result.text and "inBGeneva" not in result.text


CLEAN_NEWS = """\
WASHINGTON — The Senate voted 52-48 on Tuesday to confirm the nominee, ending a months-long fight that split both parties.

“We did what we said we would do,” Sen. Mitch McConnell told reporters. Democrats, led by Sen. Chuck Schumer of New York, said the vote would “haunt” Republicans in November’s midterm elections.

Shares of eBay, PayPal and JPMorgan Chase rose 2.5% after the announcement, while YouTube’s parent, Alphabet Inc., fell. Analysts at McKinsey & Co. and PricewaterhouseCoopers said the U.S. economy grew at a 3.1% annual rate in the July-September quarter.

In Deir-iz-Zor, fighters loyal to al-Qaida clashed with Kurdish-led forces; the U.N. envoy, Staffan de Mistura, called for a seven-day cease-fire. NATO’s secretary-general, Jens Stoltenberg, met LeBron James and Betsy DeVos at the iPhone launch on Sept. 12, 2016.
"""


def test_clean_news_prose_comes_out_unchanged():
    result = clean_text(CLEAN_NEWS)
    assert result.text == CLEAN_NEWS
    assert result.edits == () and result.suggestions == ()


def test_empty_and_whitespace_only_inputs():
    for text in ("", "\n", "   ", "\n\n\n", "\r\n"):
        result = clean_text(text)
        assert apply_edits(text, result.edits) == result.text


ANY_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(list("Bb® \n-.,’“”")),
    max_size=300,
)
PROSE_LIKE = st.lists(
    st.sampled_from(
        ["the", "of", "Russia", "U.S.", "cease-", "fire", "inBGeneva", "ofRits", "12Bhours", "McBride",
         "eBay", "22,2016", "\n", "\n\n", " ", "  ", "-\n", "Syria.®BAnd", "regu-", "lar", "“quoted”", "—"]
    ),
    max_size=120,
).map(" ".join)


@given(ANY_TEXT | PROSE_LIKE)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_input_raises_and_the_log_replays_and_reverts(text):
    result = clean_text(text)
    assert apply_edits(text, result.edits) == result.text
    assert revert_edits(result.text, result.edits) == text


@given(ANY_TEXT | PROSE_LIKE)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_cleaning_clean_output_changes_nothing(text):
    once = clean_text(text).text
    assert clean_text(once).text == once
