"""Joiner glyphs: learned per document, split only on evidence, never through real words."""

from __future__ import annotations

import pytest

from pipeline import clean_text
from pipeline.config import Config
from pipeline.edits import apply_edits
from pipeline.joiners import repair_joiners, word_zipf
from pipeline.lexicon import load_lexicon

LEX = load_lexicon()

# Damaged prose with a glyph per old line end; every glyph below stands for a space.
BASE = (
    "The ministers met in the capital on Monday to discuss{g}the new agreement, which "
    "officials said would take effect{g}next month. Critics argued that the deal gave too "
    "much{g}away and that the talks had been rushed. The opposition leader said{g}the "
    "government had failed to consult{g}parliament before signing, and promised to "
    "challenge{g}the decision in court. Analysts expect the{g}markets to react calmly."
)


def repaired(text: str, config: Config | None = None) -> str:
    return apply_edits(text, [e for e in repair_joiners(text, LEX, config).edits if e.confidence >= 0.5])


def clean_reference() -> str:
    return BASE.format(g=" ")


@pytest.mark.parametrize("glyph", ["B", "R", "Q", "&", "%", "!", "\ufffd", "¤", "§", "~", "|", "®"])
def test_a_glyph_never_configured_is_learned_from_the_document(glyph):
    assert repaired(BASE.format(g=glyph)) == clean_reference()


def test_glyph_runs_and_glyphs_beside_punctuation_digits_and_quotes():
    text = (
        "It was over.B\u201cNo,\u201d she said.BThe talks lasted 12Bhours and endedBin a stalemate, "
        "officialsBsaid,Bwhile othersBEwaited.®BAnd then the®BUN spoke aboutBthe plan."
    )
    out = repaired(text)
    assert out == (
        "It was over. \u201cNo,\u201d she said. The talks lasted 12 hours and ended in a stalemate, "
        "officials said, while others waited. And then the UN spoke about the plan."
    )


def test_the_right_glyph_is_removed_when_the_next_word_is_capitalised():
    text = "the leaders ofBRussia and ofBFrance metBin Paris, whileBRome andBRussia waited."
    assert repaired(text) == "the leaders of Russia and of France met in Paris, while Rome and Russia waited."


def test_number_and_singular_unit_become_a_hyphenated_modifier():
    text = "A sevenBday truce wasBagreed after aBthreeBweek siege and 12Bhours ofBtalks."
    assert repaired(text) == "A seven-day truce was agreed after a three-week siege and 12 hours of talks."


def test_compound_attested_in_the_document_keeps_its_hyphen():
    text = "The cease-fire held. A newBceaseBfire wasBsigned inBGeneva."
    assert repaired(text) == "The cease-fire held. A new cease-fire was signed in Geneva."


INNER_CAPITALS = (
    "Shares of eBay, PayPal and JPMorgan rose as YouTube and WhatsApp users bought iPhone "
    "and PlayStation gifts at McDonald\u2019s. LeBron met DeVos, MacArthur and O\u2019Neill at "
    "the CoH talks, where the UN and NATO discussed al-Qaida near Deir-iz-Zor. McHale of "
    "BlackRock, SoundCloud and LinkedIn said AT&T and R&D at 3M grew. Yahoo! fell; DiCaprio, "
    "McBride, DeLay, McMaster and LaGuardia spoke on Wi-Fi about COVID-19 and the U.S.-Russia deal."
)


def test_words_with_inner_capitals_are_kept_when_no_glyph_is_learned():
    assert repair_joiners(INNER_CAPITALS, LEX).edits == []


def test_words_with_inner_capitals_are_kept_in_a_document_whose_joiner_is_that_capital():
    # B, D, P and H are joiners here; McBride, DeVos, eBay, PayPal, McHale must still survive.
    damaged = INNER_CAPITALS + " " + " ".join(
        f"{a}Bsaid {b}Dwas {c}Pgood {d}Hfor all."
        for a, b, c, d in (("they", "it", "a", "day"), ("we", "this", "the", "week"), ("you", "that", "so", "time"))
    )
    result = repair_joiners(damaged, LEX)
    assert {"B", "D", "P", "H"} <= set(result.glyphs)
    fixed = apply_edits(damaged, result.edits)
    assert fixed.startswith(INNER_CAPITALS)


def test_a_single_unexplained_capital_is_not_enough_evidence():
    # One "ofRits"-like token in otherwise clean text: not two clear splits, so no edit.
    text = "Officials said the plan toRelease funds was approved on Monday by the council."
    assert repair_joiners(text, LEX).edits == []


def test_emails_urls_and_identifiers_are_not_split():
    text = (
        "Write to news@example.com or see https://example.com/BreakingNews and snake_case "
        "or camelCase names like getValue and setUp.BWe saidBthat."
    )
    fixed = repaired(text)
    assert "news@example.com" in fixed and "https://example.com/BreakingNews" in fixed
    assert "getValue" in fixed and "setUp." in fixed


def test_piece_plausibility_peels_punctuation_and_knows_initialisms():
    assert word_zipf("U.S.", LEX) == 4.0
    assert word_zipf("\u201cterrorist\u201d", LEX) > 3
    assert word_zipf("al-Haleb", LEX) > 0
    assert word_zipf("ussia", LEX) == 0


def test_the_glyph_prior_lets_one_occurrence_count():
    text = "Officials said the plan toRrelease funds was approved."
    assert repair_joiners(text, LEX).edits == []
    assert repaired(text, Config(glyph_prior=(("R", 2.0),))) == "Officials said the plan to release funds was approved."


def _wrap_with_glyphs(words: list[str], width: int, glyph_at) -> str:
    """Lay words out at ``width`` and put ``glyph_at(line_number)`` where each line ended."""
    lines, line = [], []
    for word in words:
        if line and len(" ".join(line + [word])) > width:
            lines.append(" ".join(line))
            line = []
        line.append(word)
    lines.append(" ".join(line))
    text = lines[0]
    for number, line in enumerate(lines[1:], 1):
        text += glyph_at(number) + line
    return text


PROSE = (
    "the council said on Monday that the new budget would be debated in the spring and that "
    "officials expected a long discussion about the cost of the roads the schools and the new "
    "hospital which had been promised to the town for many years by every government that came "
    "to power and every minister who had visited the region during the long campaign for votes "
    "before the election that was held in the autumn of last year when turnout was very high "
    "and the result was close enough to be contested in the courts for several months after"
).split()


def test_a_glyph_seen_once_is_repaired_where_the_rhythm_of_old_line_ends_expects_one():
    damaged = _wrap_with_glyphs(PROSE, 64, lambda n: "R" if n == 4 else "B")
    result = repair_joiners(damaged, LEX)
    assert "R" not in result.glyphs  # seen once: not learned
    assert apply_edits(damaged, result.edits) == " ".join(PROSE)
    assert result.by_rhythm == 1


def test_dashes_glued_to_words_are_punctuation_not_glyphs():
    text = "He said ofBit allBthat.BThen –The witness,Bwho was there:BYes–Have you seen it?BNo."
    fixed = repaired(text)
    assert "–The witness" in fixed and "Yes–Have you" in fixed


def test_money_and_measures_are_words_beside_a_glyph():
    text = "He paid 8l.B10s. forBthe 4lb.Bloaf andB£100 forBits rent inBthe town."
    assert repaired(text) == "He paid 8l. 10s. for the 4lb. loaf and £100 for its rent in the town."


def test_a_doubled_glyph_before_a_function_word_is_one_run():
    text = "They ranBBand hid. It wasBBat night. She sawBthe man. He leftBthe house."
    assert repaired(text) == "They ran and hid. It was at night. She saw the man. He left the house."


def test_a_lone_symbol_between_function_words_is_a_joiner_but_rock_and_roll_stays():
    assert repaired("He said more than&to be expected.") == "He said more than to be expected."
    assert repaired("They played rock&roll all night.") == "They played rock&roll all night."


def test_ampersand_initialisms_survive_and_a_glyph_after_them_is_repaired():
    text = "Its R&DBbudget grew whileBAT&T andBS&P fell, saidBthe report."
    assert repaired(text) == "Its R&D budget grew while AT&T and S&P fell, said the report."


def test_a_compound_is_judged_by_the_last_part_of_its_left_piece():
    text = "The 34-yearBold manBsaid theBcease-fire heldBin the north."
    assert repaired(text) == "The 34-year-old man said the cease-fire held in the north."


def test_codes_measurements_and_a_repeated_brand_teach_no_glyph():
    text = (
        "Mathematics Subject Classification 82B05, 82B20 and 91A10, 91A13. The fainter galaxies "
        "(32±5% vs. 19±4%) were fit with SigmaPlot, and SigmaPlot again; LMXBs and HMXBs at "
        "0.005GeV and 1GeV in the UrQMD model, UrQMD again."
    )
    assert repair_joiners(text, LEX).edits == []


def test_two_camel_case_brands_and_roman_numerals_teach_no_glyph():
    # Each capital, taken out, leaves two words ("Sigma lot", "Graph ad", "sec. I"), but
    # it starts a word of its own: a product's name, a section number (Freiburg arXiv dev).
    for text in (
        "Data analysis was performed using SigmaPlot 8.0 (SPSS Inc) and Prism (GraphPad software).",
        "In sec.II, a model of the array is introduced, and the curves are derived in sec.III.",
    ):
        assert repair_joiners(text, LEX).edits == []


# --- learned again on the repaired text, and the rarer shapes of damage ----------------------

def _glued(words: list[str], every: int = 6, glyph: str = "B") -> str:
    """``words`` with ``glyph`` in place of every ``every``-th space: a document whose
    extractor is seen gluing words all along (a dozen clear splits or more)."""
    return "".join(w + (glyph if i % every == every - 1 else " ") for i, w in enumerate(words)).rstrip(" B")


GLUED = _glued(PROSE + PROSE[:40])


def test_the_stage_reaches_its_fixed_point_in_one_run():
    # "T" has no evidence until the B joiners are gone ("in", "nt", "or" stand alone).
    # (Lowercase "ker": "KerThe" would read as two capitalised words run together, a name.)
    text = "ofBinBntBorBhs kerTerThe ker kerThe"
    result = repair_joiners(text, LEX)
    # T is split where it glues lowercase words, learned or taken as a second glyph.
    assert "B" in result.glyphs and result.per_glyph["T"] >= 2
    once = apply_edits(text, result.edits)
    assert repair_joiners(once, LEX).edits == []


def test_a_second_glyph_seen_once_between_rarer_lowercase_words_is_repaired():
    fixed = repaired(GLUED + ". The hangman&stooped after the prisoner, to trap the unwaryEthat arrive.")
    assert fixed.endswith("The hangman stooped after the prisoner, to trap the unwary that arrive.")


def test_two_unknown_names_glued_by_an_established_capital_are_split():
    fixed = repaired(GLUED + ". Before the Serjeant, FredericaBFurneau, and Mr. TyssonBAmhurst spoke.")
    assert fixed.endswith("Before the Serjeant, Frederica Furneau, and Mr. Tysson Amhurst spoke.")


def test_a_second_glyph_seen_once_in_a_short_article_with_an_established_joiner():
    text = ("The councilBsaid on Monday thatBthe new budget would beBdebated in the spring, "
            "and that theRhighest bids wouldBwin.")
    assert repaired(text) == ("The council said on Monday that the new budget would be debated in the spring, "
                              "and that the highest bids would win.")


def test_the_pronoun_i_before_a_glyph_is_a_word():
    assert repaired(GLUED + ". He said: IBam sure.").endswith("He said: I am sure.")


def test_two_words_in_capitals_glued_by_a_learned_capital_are_split():
    fixed = repaired(GLUED + ". MARGARETBHUNTER, the INCORRIGIBLEBOFFENDER, and the WOOLBROKER.")
    assert fixed.endswith("MARGARET HUNTER, the INCORRIGIBLE OFFENDER, and the WOOLBROKER.")


def test_a_learned_capital_after_a_compounds_hyphen_goes_where_the_document_knows_the_compound():
    text = GLUED + ". He lived in Kent-road, then Mile-end-road, and now Richmond-Broad, by the Broad-street."
    fixed = repaired(text)
    assert "Richmond-road," in fixed and "Broad-street" in fixed


def test_more_glyph_on_the_right_reads_on_to_the_word_after_it():
    fixed = repaired(GLUED + '. He exclaimed,BBB"Now, go." The prisoners.BB-Inspector Smith came.')
    assert fixed.endswith('He exclaimed, "Now, go." The prisoners. -Inspector Smith came.')


def test_a_second_glyph_seen_once_between_common_words_is_split_only_where_a_joiner_is_established():
    # Four characters after a B: not where the rhythm of old line ends expects a joiner.
    assert repaired(GLUED + ". SoBtheyRapproached the house.").endswith("So they approached the house.")
    # Without an established joiner it is one unexplained capital, and stays.
    plain = " ".join(PROSE) + ". So theyRapproached the house."
    assert repair_joiners(plain, LEX).edits == []


def test_one_and_vice_stand_alone_before_a_noun():
    text = GLUED + ". For oneBnight, viceBversa, a sevenBday truce."
    assert repaired(text).endswith("For one night, vice versa, a seven-day truce.")


def test_a_street_word_after_a_name_takes_the_hyphen_the_press_gives_it():
    # "street" is in dictionaries/hyphenated_last_parts_en.txt (built from BLN600 train).
    assert "lived in Bryant-street," in repaired(GLUED + ". He lived in BryantBstreet, by the river.")
    # Not where the capital only starts a sentence, nor where the document writes such pairs open.
    assert repaired(GLUED + ". It rained. MainBstreet was dark.").endswith("It rained. Main street was dark.")
    opened = GLUED + ". He left Thames street for Kemble street and then NewgateBstreet, by the river."
    assert "then Newgate street," in repaired(opened)


def test_a_symbol_glued_before_a_name_is_the_glyph_and_the_name_keeps_its_capital():
    # B is learned here, & is not: "&B" + "est" is no reading to prefer over "&" + "Best".
    # A few characters after a B: not where the rhythm of old line ends expects a joiner.
    fixed = repaired(GLUED + ". HeBmet Mr.&Best andBthe§Rev. Smith at the®BUN.")
    assert fixed.endswith("He met Mr. Best and the Rev. Smith at the UN.")


@pytest.mark.parametrize("text", [
    "Procter&Gamble and Tom&Jerry are names, not damage.",
    "You are here: Home•News•World. The talks went on for months.",
    "It" + "\ufffdIt" * 20 + " was hard to escape the impression",  # found by the byte fuzzer
])
def test_a_symbol_before_a_capitalised_word_is_left_alone_in_a_document_not_seen_damaged(text):
    assert clean_text(text).edits == ()


def test_a_symbol_before_a_capitalised_word_is_the_glyph_in_a_damaged_document():
    text = ("It was hard to escape the impression thatBMoscow decided to bomb its way outBof its most "
            "important achievement inBGeneva, which itBhad sought forBmonths, and theBtalks andBthe "
            "ceasefire andBthe aid went on atBthe Agricultural&Hall inBthe town ofBAleppo.")
    assert "Agricultural Hall" in clean_text(text).text



def _reference_candidate_runs(text: str) -> list[tuple[int, int]]:
    """candidate_runs as it was before its faster pre-scan: the exact glyph set everywhere,
    and the pattern run on every run it does not skip."""
    from pipeline.joiners import _GLYPH_RUN, CANDIDATE_RUN

    found = []
    length = len(text)
    for run in _GLYPH_RUN.finditer(text):
        start, end = run.span()
        if end == start + 1:
            if end < length and text[end].islower():
                if text[start - 1].islower():
                    found.append((start, end))
                    continue
                if text[start - 1].isspace() and run.group().isalpha():
                    continue
            elif (start == 0 or text[start - 1].isspace()) and text[start].isalpha():
                continue
        elif (
            (start == 0 or text[start - 1].isspace())
            and (end >= length or not text[end].islower())
            and run.group().isalpha()
        ):
            continue
        found.extend(m.span() for m in CANDIDATE_RUN.finditer(text, start, min(length, end + 2)))
    return found


@pytest.mark.parametrize("seed", range(3))
def test_the_fast_pre_scan_finds_what_the_exact_one_finds(seed):
    # The pre-scan runs a wider set the regex engine scans faster and searches again only
    # where a run holds a character outside ASCII; "inBGeneva" skips the pattern.
    import random

    from pipeline.joiners import candidate_runs

    rnd = random.Random(seed)
    alphabet = list("abcxyzBBGQ®•&%!?|~-'\".,( )\n\tÉéΩωǅʰ中١\u00a0\u2028\u200b") + ["of", "in", "Geneva", "ATB"]
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 40)))
        assert candidate_runs(text) == _reference_candidate_runs(text), text


def test_the_glyph_run_scan_in_re_finds_what_the_regex_pattern_finds():
    # The scan is run by the standard re module, written as one branch that starts with the
    # set; its whitespace must be the regex module's \s (re's own also takes U+001C-U+001F).
    import random

    import regex

    from pipeline.joiners import _MAYBE_GLYPH_RUN, _MAYBE_GLYPH_RUN_SLOW, _WHITE_SPACE_SET

    every = "".join(map(chr, range(0x110000)))
    assert regex.findall(r"\s", every) == regex.findall("[" + _WHITE_SPACE_SET + "]", every)
    rnd = random.Random(7)
    alphabet = list("abzAZB®•&%!?|~-'\".,( )\n\t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2005\u2028\u202f\u3000"
                    "\u200bÉéΩ中١\U0001F600")
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 30)))
        assert [m.span() for m in _MAYBE_GLYPH_RUN.finditer(text)] == [
            m.span() for m in _MAYBE_GLYPH_RUN_SLOW.finditer(text)
        ], repr(text)


@pytest.mark.parametrize("seed", range(2))
def test_capitals_after_punctuation_are_matched_as_the_pattern_matches_them(seed):
    # candidate_runs takes a few capitals between punctuation (or a letter or digit) and a
    # lowercase letter without running the pattern: "Police-Bconstable", "said,BThe".
    import random

    from pipeline.joiners import candidate_runs

    rnd = random.Random(seed)
    alphabet = list("abzAZBBQ19,.-:;!?–—“\"‘'([{ \n®é") + ["of", "the", "BT", "ABCDEFG"]
    for _ in range(4000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 16)))
        assert candidate_runs(text) == _reference_candidate_runs(text), text


def test_the_replacement_first_test_answers_as_the_rules_do():
    # _replace answers " " at once for a pair no rule can hyphenate; with that test made to
    # fail (every piece a possible compound part) the rules must give the same answers.
    import itertools

    from pipeline.joiners import _replace, _Vocabulary

    class Everything:
        def __contains__(self, item):
            return True

    lexicon = load_lexicon()
    text = ("The Police-court and Police-station, the Bow-street and Kemble-street, a rebel-held town, "
            "thirty-two men, non-stop, U.S.-Russia talks, a cease-fire, the year-old.\n\nThe end.")
    lefts = ["Police", "police", "Bow", "rebel", "thirty", "seven", "one", "non", "U.S.", "34-year", "cease",
             "the", "of", "Kemble", "Bryant", "“Police", "mother-in", "Mr.", "x"]
    rights = ["court", "street", "held", "two", "day", "stop", "Russia", "fire", "old", "the", "law", "its",
              "constable", "road", "Street", "town”"]
    fast = _Vocabulary(text)
    slow = _Vocabulary(text)
    slow.hyphenation()
    slow.hyphen_lefts = slow.hyphen_rights = Everything()
    for left, right in itertools.product(lefts, rights):
        for start in (0, 40):
            expected = _replace(left, right, False, lexicon, slow, start)
            assert _replace(left, right, False, lexicon, fast, start) == expected, (left, right)
    assert {_replace(l, r, False, lexicon, fast, 40) for l, r in itertools.product(lefts, rights)} == {" ", "-"}


def test_the_patterns_of_a_pieces_ladder_run_only_where_they_can_match():
    # _word_zipf runs _AMPERSAND_INITIALISM, _NUMBER and _INITIALISM only where a piece's
    # first characters allow a match, and layout's line-end test _INITIALS only where the
    # second character is a period: check that no match is skipped.
    import random

    from pipeline import joiners
    from pipeline.layout import _INITIALS

    rnd = random.Random(11)
    alphabet = list("aZR.&$£€¥1909st%' -é") + ["U.S.", "AT&T", "12", "th", "lbs", "Ⅻ", "١"]
    for _ in range(20000):
        core = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 6)))
        if joiners._AMPERSAND_INITIALISM.fullmatch(core):
            assert "&" in core
        if joiners._NUMBER.fullmatch(core):
            assert core[0] in "0123456789$" or not core[0].isascii(), core
        if joiners._INITIALISM.fullmatch(core + ("." if not core.endswith(".") else "")):
            assert 2 <= len(core) and core[1] == ".", core
        if _INITIALS.fullmatch(core):
            assert core[1:2] == ".", core
        if joiners._POSSESSIVE.search(core):
            assert "'" in core or "’" in core
    # And the sentence-end test before a capital, as a strip and a look at the last character.
    for _ in range(20000):
        left = "".join(rnd.choice(list("ab.!?:;,”\"’')]“(")) for _ in range(rnd.randrange(0, 6)))
        expected = joiners._CAPITAL_EXPECTED.search(left) is not None
        assert (left.rstrip(joiners._CLOSING)[-1:] in joiners._SENTENCE_MARKS) == expected, left


def test_confidences_are_rounded_as_round_rounds_them():
    import math
    import random

    from pipeline.joiners import _thousandths

    rnd = random.Random(13)
    values = [rnd.random() for _ in range(200_000)] + [rnd.uniform(0, 1000) for _ in range(20_000)]
    ties = [(k + 0.5) / 1000 for k in range(1000)]
    values += ties + [math.nextafter(t, 2.0) for t in ties] + [math.nextafter(t, -1.0) for t in ties]
    values += [0.0, -0.0, 5e-324, 0.0005, 999.9995, 1000.0, -1.5, math.inf]
    for value in values:
        got, expected = _thousandths(value), round(value, 3)
        assert got == expected and math.copysign(1, got) == math.copysign(1, expected), value
    assert math.isnan(_thousandths(math.nan))


def test_guards_before_the_guessed_reading_patterns_skip_only_what_cannot_match():
    # The right piece's patterns for a guessed reading are not run on a piece that starts in
    # lowercase, and _capital_starts_a_part is not asked when both parts start in lowercase:
    # no lowercase character can start those patterns, nor give a part that answer.
    import sys

    from pipeline.joiners import _LONE_CAPITAL, _UNKNOWN_RIGHT, _capital_starts_a_part

    lex = load_lexicon()
    lowercase = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).islower()]
    for c in lowercase:
        for rest in ("", ".", "ab", "abc", "Abc", "cAbc", "acAbc", "'Abc", "abc's", "abc-Def"):
            assert _UNKNOWN_RIGHT.fullmatch(c + rest) is None
            assert _LONE_CAPITAL.fullmatch(c + rest) is None
    for left in ("of", "in", "ìtaly", "sec.", "the"):
        for capital in ("B", "I", "P", "BB", "É"):
            for right in ("its", "ii", "lot", "ìtem", "x"):
                assert not _capital_starts_a_part(left, capital, right, lex)


def test_tokens_found_inline_are_those_of_token_bounds():
    # _repair_pass finds each candidate's token inline, looking for a newline only where one
    # could be nearer than the space: every token it keeps must be _token_bounds's, and a
    # candidate _token_bounds refuses must be left out.
    import random

    from pipeline.joiners import MAX_TOKEN, _repair_pass, _token_bounds, candidate_runs

    lex = load_lexicon()
    words = ["ofBits", "the", "inBGeneva,", "theBUN", "said", "x" * (MAX_TOKEN - 3) + "Bab", "ATBthe", "“BThe", "B"]
    gaps = [" ", " ", "\n", " \n", "\n ", "\t", "  ", "\r\n", "\u00a0"]
    rnd = random.Random(10)
    for _ in range(1500):
        text = "".join(rnd.choice(words) + rnd.choice(gaps) for _ in range(rnd.randrange(1, 12)))
        state = _repair_pass(text, lex, Config()).pass_state
        kept = {}
        for group in (state[0], state[3], state[4]):  # spans, as written, unread
            for start, end, t0, t1 in group:
                kept[(start, end)] = (t0, t1)
        for start, end in candidate_runs(text):
            bounds = _token_bounds(text, start, end)
            if bounds is None:
                assert (start, end) not in kept, text
            elif (start, end) in kept:
                assert kept[(start, end)] == bounds, text


@pytest.mark.parametrize("seed", range(2))
def test_a_capital_after_an_opening_quote_or_bracket_is_skipped_as_the_pattern_skips_it(seed):
    # candidate_runs skips a capital before a lowercase letter after an opening quote or
    # bracket ('"The', "(New") without running the pattern; a straight quote after a
    # non-space closes, and the capital after it stays a candidate ('said."BWitness').
    import random

    from pipeline.joiners import candidate_runs

    rnd = random.Random(20 + seed)
    alphabet = list("“‘([{\"'\"' \n\t\u00a0x.,TBa") + ["he", "The", "“The", "(New", "\"The", "x\"The", "'Tis"]
    for _ in range(4000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 16)))
        assert candidate_runs(text) == _reference_candidate_runs(text), text
