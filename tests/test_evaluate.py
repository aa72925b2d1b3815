"""ocr-repair eval: scoring folders and the third-party sets, skipping what is absent."""

from __future__ import annotations

import pytest

from pipeline import Config
from pipeline.corpora import ENV_VAR, eval_dir
from pipeline.evaluate import (
    SETS,
    TEST_SETS,
    Sample,
    evaluate,
    icdar_sample,
    load_set,
    main,
    overproof_form,
)

HAVE_DATA = eval_dir() is not None
needs_data = pytest.mark.skipif(not HAVE_DATA, reason="evaluation data (../shared/eval) not found")


def test_overproof_sides_are_scored_without_hyphens_between_letters_or_at_line_ends():
    assert overproof_form("the con-\nstitution of the north-\neast") == "the constitution of the northeast"
    assert overproof_form("a gum-tree,  £10 - 12") == "a gumtree, £10 - 12"


def test_icdar_gold_is_scored_only_where_there_is_some():
    sample = icdar_sample("x", "[OCR_toInput] Tbe ct sat\n[OCR_aligned] Tbe c@t sat\n[ GS_aligned] ### cat s@t\n")
    assert sample.text == "Tbe ct sat"
    assert sample.pieces == ((3, 10, " cat st"),)
    with pytest.raises(ValueError, match="do not match"):
        icdar_sample("y", "[OCR_toInput] abc\n[OCR_aligned] abd\n[ GS_aligned] abc\n")


def test_a_pair_of_folders_is_scored_and_the_repairs_written(tmp_path, capsys):
    noisy, truth, out = tmp_path / "ocr", tmp_path / "truth", tmp_path / "out"
    (noisy / "a").mkdir(parents=True)
    (truth / "a").mkdir(parents=True)
    # (Three misreadings learned confusions explain: "wxatch" is weaker evidence, see
    # pipeline.spelling.UNEXPLAINED_EVIDENCE.)
    report = ("The prisoeer was charged with stealing a wxatch; tbe cbarges were rcad and lie "
              "was sub- sequently remanded by the magistrate at the police-court.")
    (noisy / "a" / "one.txt").write_text(report, encoding="utf-8")
    (truth / "a" / "one.txt").write_text(
        "The prisoner was charged with stealing a watch; the charges were read and he was "
        "subsequently remanded by the magistrate at the police-court.", encoding="utf-8")
    (noisy / "orphan.txt").write_text("no truth for this one", encoding="utf-8")

    assert main(["--input", str(noisy), "--truth", str(truth), "--output", str(out)]) == 0
    printed = capsys.readouterr()
    assert "skipped orphan.txt" in printed.err
    assert str(noisy) in printed.out and "CER in" in printed.out
    written = (out / "a" / "one.txt").read_text(encoding="utf-8")
    assert "prisoner" in written and "subsequently" in written


def test_evaluate_counts_errors_before_and_after_and_broken_words():
    samples = [Sample("s", "The prisoeer was in tbe dock.", "The prisoner was in the dock.")]
    tally = evaluate(samples, spelling_config=Config(fix_spelling=True), with_default=False)
    assert tally.char_errors["input"] > 0 and tally.ref_words == 6
    assert tally.cer("spelling") <= tally.cer("input")
    assert tally.broken["spelling"] == 0


def test_bad_arguments_are_refused():
    with pytest.raises(SystemExit):
        main(["--output", "somewhere"])
    with pytest.raises(SystemExit):
        main(["--sets", "no-such-set"])
    with pytest.raises(SystemExit):
        main(["--input", "only-input"])


def test_sets_whose_data_is_absent_are_skipped_with_the_reason(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(ENV_VAR, str(tmp_path))  # an evaluation folder with nothing in it
    assert main(["--sets", "bln600", "overproof2", "icdar2017", "freiburg-acl"]) == 0
    printed = capsys.readouterr().out
    for name in ("bln600", "overproof2", "icdar2017", "freiburg-acl"):
        assert f"skipped {name}:" in printed


def test_every_test_set_is_known():
    assert set(TEST_SETS) <= set(SETS)
    assert all(not name.endswith(("-train", "-dev")) for name in TEST_SETS)


@needs_data
def test_a_slice_of_real_newspapers_gets_better_and_loses_no_correct_words():
    samples = load_set("bln600")[:4]
    tally = evaluate(samples, SETS["bln600"].form, Config(fix_spelling=True))
    assert tally.documents == 4
    assert tally.cer("spelling") < tally.cer("input")
    assert tally.wer("spelling") < tally.wer("input")
    assert tally.broken["spelling"] <= 0.002 * tally.ref_words


@needs_data
def test_overproof_is_scored_beside_the_overproof_system():
    samples = load_set("overproof3")[:2]
    tally = evaluate(samples, SETS["overproof3"].form, Config(fix_spelling=True), with_default=False)
    assert "peer" in tally.sides
    assert tally.cer("spelling") <= tally.cer("input")


@needs_data
@pytest.mark.slow
@pytest.mark.parametrize("name", TEST_SETS)
def test_no_test_set_comes_out_worse_for_the_spelling_repair(name):
    spec = SETS[name]
    tally = evaluate(load_set(name), spec.form, Config(fix_spelling=True))
    # Against the default pipeline, the spelling stage's own effect: never worse by more than
    # a hair. (arXiv's truth keeps its authors' typos and run-together terms, "thanl",
    # "worldvolume": repairing them costs a few characters in 220,000 words.)
    assert tally.char_errors["spelling"] <= tally.char_errors["default"] * 1.005


@needs_data
def test_wrapped_bln600_train_scores_as_the_unwrapped_input_and_is_in_column_lines():
    plain = {s.name: s for s in load_set("bln600-train")}
    wrapped = load_set("bln600-train-wrapped")
    held_out = load_set("bln600-train-wrapped-holdout")
    assert len(wrapped) == len(plain) and 0.4 * len(plain) < len(held_out) < 0.6 * len(plain)
    assert {s.name for s in load_set("bln600-train-holdout")} == {s.name for s in held_out}
    assert load_set("bln600-train-wrapped")[0] == wrapped[0]  # deterministic
    for sample in wrapped[:40]:
        original = plain[sample.name]
        assert sample.truth == original.truth
        assert overproof_form(sample.text) == overproof_form(original.text)
        assert sum(len(line) <= 45 for line in sample.text.split("\n")) > 0.95 * sample.text.count("\n")
    assert SETS["bln600-train-wrapped-holdout"].form is overproof_form
    assert not {"bln600-train-wrapped", "bln600-train-holdout", "bln600-train-wrapped-holdout"} & set(TEST_SETS)


# A court report printed with "x" for "e", a confusion the learned table never saw (as
# tests/test_spelling.py's X_FOR_E).
X_FOR_E = (
    "Thx prisonxr was chargxd at thx police-court with stealing jxwellery from thx house of Sir Robxrt. "
    "Thx magistratx said thx dxfendant had callxd at thx house on thx xvening of March 23 and said hx had "
    "bxxn there bxfore. Thx chargxs wxre rxad ovxr, and thx prisonxr was rxmanded for a wxek; "
    "Mr. Pittendreigh appxarxd for him."
)


def test_a_set_is_scored_as_one_batch_whose_error_model_adapts_to_its_ocr_engine():
    truth = X_FOR_E.replace("x", "e")
    samples = [Sample(f"s{k}", X_FOR_E, truth) for k in range(6)]
    adapted = evaluate(samples, spelling_config=Config(fix_spelling=True), with_default=False)
    alone = evaluate(samples, spelling_config=Config(fix_spelling=True, adapt_to_batch=False), with_default=False)
    assert adapted.char_errors["spelling"] < alone.char_errors["spelling"]
