"""The spelling stage's fast paths give what the general paths they stand for give."""

from __future__ import annotations

import random

import pytest

from pipeline import Config
from pipeline.lexicon import load_lexicon
from pipeline.spelling import BOUNDARY, _Reader, candidates, load_resources, rewrite_candidates, wider_candidates

SPELLING = Config(fix_spelling=True)
LEX = load_lexicon()


def _misread(word: str, rng: random.Random) -> str:
    """``word`` with one letter replaced, deleted or doubled, or a learned confusion's piece."""
    i = rng.randrange(len(word))
    choice = rng.random()
    if choice < 0.4:
        return word[:i] + rng.choice("abcdefghiklmnorstuez") + word[i + 1 :]
    if choice < 0.6:
        return word[:i] + word[i + 1 :] if len(word) > 1 else word
    if choice < 0.7:
        return word[:i] + word[i] + word[i:]
    for truth, ocr in (("h", "li"), ("m", "rn"), ("ll", "u"), ("oo", "ee"), ("h", "b"), ("e", "c")):
        if truth in word:
            return word.replace(truth, ocr, 1)
    return word


@pytest.fixture(scope="module")
def run_together() -> list[str]:
    """Tokens of two to four common words run together, one or none of them misread
    (``tbatthedeceased``), and misread single words: what the noisy split and the candidate
    search see in OCR'd pages."""
    rng = random.Random(11)
    resources = load_resources()
    common = [w for w, lp in resources.split_pieces.items() if lp > -14.0]
    out = []
    for _ in range(700):
        words = [rng.choice(common) for _ in range(rng.randint(2, 4))]
        k = rng.randrange(len(words))
        if rng.random() < 0.8:
            words[k] = _misread(words[k], rng)
        out.append("".join(words))
        out.append(_misread(rng.choice(common), rng))
    return out


def test_a_learned_confusion_never_costs_less_than_the_least_letter_cost(run_together):
    """longest_piece_lp's bound on a misread piece takes the least cost of any misreading of
    letters for letters off the likeliest word: no misreading costs less."""
    resources = load_resources()
    model, least = resources.model, resources.model.least_letter_cost
    assert 0.0 < model.least_cost <= least <= model.unseen
    pairs = 0
    for q in run_together[:400]:
        for c in candidates(q, resources, 8):
            assert model.cost(q, c) >= least
            # and with a space in the printed word (_misread_join: "me nory")
            assert model.cost(q[:3] + BOUNDARY + q[3:], c) >= model.least_cost
            pairs += 1
    assert pairs > 1000


def test_the_noisy_split_searched_best_bound_first_is_the_search_in_text_order(monkeypatch, run_together):
    original = _Reader._noisy_split
    results = []

    def both(self, q, best, found):
        fast = original(self, q, best, found)
        assert fast == original(self, q, best, found, exhaustive=True), q
        results.append(fast)
        return fast

    monkeypatch.setattr(_Reader, "_noisy_split", both)
    reader = _Reader("warm up", LEX, SPELLING)
    for q in run_together:
        if q.isalpha() and len(q) >= 6:
            reader.split(q, noisy=True)
    assert len(results) > 300 and sum(r is not None for r in results) > 100


def test_the_table_of_rewrites_holds_what_trying_each_rewrite_in_place_finds(run_together):
    resources = load_resources()
    model, words = resources.model, resources.index.words
    queries = run_together + ["liome", "tlie", "rnore", "wlien", "sbe", "tbe"]
    queries += [w.replace(t, o, 1) for w in list(words)[:3000] for t, o in (("m", "rn"), ("h", "li")) if t in w]
    found = 0
    for q in queries:
        expected = rewrite_candidates(q, model, words)
        assert set(resources.rewritten.get(q, ())) == expected, q
        found += bool(expected)
    assert found > 500
    assert "home" in resources.rewritten["liome"] and "more" in resources.rewritten["rnore"]


def test_the_wide_search_reads_every_string_two_deletions_make(run_together):
    """wider_candidates skips the second of a doubled letter: the strings it leaves out are
    made anyway, and the candidates are those of every string two deletions or fewer make."""
    import itertools

    resources = load_resources()
    index = resources.wide_index
    for q in run_together[:300] + ["committee", "llama", "bookkeeper", "aaaa", "success"]:
        keys = {q} | {"".join(c for k, c in enumerate(q) if k not in drop)
                      for r in (1, 2) for drop in itertools.combinations(range(len(q)), r)}
        expected = set().union(*(index.get(k, ()) for k in keys)) - {q}
        assert wider_candidates(q, resources) == expected, q


def test_the_split_searches_stop_where_no_piece_begins_or_ends(run_together):
    """piece_prefixes holds every beginning of a split piece (its log prior where it is one)
    and piece_suffixes every ending: the searches that stop at the first string outside them
    find every piece a search of every length finds."""
    resources = load_resources()
    pieces, prefixes, suffixes = resources.split_pieces, resources.piece_prefixes, resources.piece_suffixes
    assert {w: lp for w, lp in prefixes.items() if lp is not None} == pieces
    for q in run_together[:400]:
        for s in range(len(q)):
            every = [q[s:i] for i in range(s + 1, len(q) + 1) if q[s:i] in pieces]
            stopped = []
            for i in range(s + 1, len(q) + 1):
                lp = prefixes.get(q[s:i], False)
                if lp is False:
                    break
                if lp is not None:
                    stopped.append(q[s:i])
            assert stopped == every
        for k in range(1, len(q)):
            if q[k:] in pieces:  # (the search for a last piece goes from the shortest ending)
                assert all(q[m:] in suffixes for m in range(k, len(q)))


def test_a_misread_piece_is_read_as_trying_every_candidate_finds(run_together):
    """_misread_piece stops at the first candidate whose log prior less the least cost of a
    misreading is below the best score; trying all of them gives the same reading."""
    resources = load_resources()
    reader = _Reader("warm up", LEX, SPELLING)
    pieces_lp, model = resources.split_pieces, resources.model
    found = 0
    for q in run_together:
        for s in range(0, len(q) - 2, 2):
            piece = q[s : s + 7]
            resources.piece_readings.pop(piece, None)
            expected = None
            for c in candidates(piece, resources, 4):
                lp = pieces_lp.get(c)
                if lp is not None:
                    score = lp - model.cost(piece, c)
                    if expected is None or score > expected[0] or score == expected[0] and c < expected[1]:
                        expected = (score, c)
            assert reader._misread_piece(piece) == expected, piece
            found += expected is not None
    assert found > 500


def test_the_association_memo_decide_reads_holds_what_association_computes():
    """decide looks a pair's association up in ContextModel.memo before asking association:
    each entry there is what association computes afresh."""
    from pipeline.spelling import spelling_edits

    context = load_resources().context
    text = ("The prisoeer was seen by tbe constable, who fonnd him in tbe yard with tbe wxatch; "
            "tbe cbarges were read, and he was sub- sequently remanded for a week. ") * 5
    spelling_edits(text, LEX, SPELLING)
    pairs = list(context.memo.items())
    assert len(pairs) > 20
    saved = dict(context.memo)
    try:
        context.memo.clear()
        for (left, right), value in pairs:
            context.memo.clear()
            assert context.association(left, right) == value
    finally:
        context.memo.clear()
        context.memo.update(saved)


def test_the_block_costs_the_error_model_keeps_are_what_block_cost_computes(run_together):
    resources = load_resources()
    model = resources.model
    for q in run_together[:300]:
        for c in candidates(q, resources, 8):
            model.cost(q, c)
    assert len(model.block_costs) > len(model.costs)
    assert all(model.block_cost(ocr, truth) == cost for (ocr, truth), cost in model.block_costs.items())



def test_a_word_split_by_a_space_and_misread_is_read_as_trying_every_candidate_finds(run_together):
    """_joined_reading (of _misread_join) stops at the first candidate whose log prior less the
    least cost of a misreading is below the best score; scoring them all gives the same. Where
    none scores WIDE_BELOW or more, the WIDE_SCORED commonest words two edits away are scored
    too, when asked (the wide search asks the index for only so many of each entry)."""
    from pipeline.spelling import JOIN_ZIPF, WIDE_BELOW, WIDE_JOIN_LENGTH, WIDE_SCORED, _log_prior

    resources = load_resources()
    model, targets = resources.model, resources.index.words
    reader = _Reader("warm up", LEX, SPELLING)
    found = wide = 0
    for q in run_together + ["menory", "dlscharged", "honse", "constable"]:
        for k in (2, 3, 4):
            printed = q[:k] + BOUNDARY + q[k:]
            expected = None
            for word in candidates(q, resources, 4):
                if targets[word] >= JOIN_ZIPF:
                    score = _log_prior(targets[word]) - model.cost(printed, word)
                    if expected is None or score > expected[0] or score == expected[0] and word < expected[1]:
                        expected = (score, word)
            if len(q) >= WIDE_JOIN_LENGTH and (expected is None or expected[0] < WIDE_BELOW):
                seen = {w for w in candidates(q, resources, 4) if targets[w] >= JOIN_ZIPF}
                for word in sorted(wider_candidates(q, resources) - seen, key=resources.index.rank.__getitem__)[:WIDE_SCORED]:
                    score = _log_prior(targets[word]) - model.cost(printed, word)
                    if expected is None or score > expected[0] or score == expected[0] and word < expected[1]:
                        expected = (score, word)
                        wide += 1
            assert reader._joined_reading(printed, q, wide=True) == expected, printed
            found += expected is not None
    assert found > 500 and wide > 50
