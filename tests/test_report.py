"""Reports show exactly the edit log: one highlight per applied edit, every suggestion listed,
hostile text escaped, summary counts that add up, and the same bytes for the same input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline import Config, clean_text
from pipeline.edits import Edit, EditConflict, apply_edits, check_edits
from pipeline.repair import Cleaned
from pipeline.report import (
    RANKING_SIZE,
    build_summary,
    document_report_html,
    document_stats,
    summary_html,
    visible,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_e96e1724211ec8aa.txt"
SEED_ID = "000_e96e1724211ec8aa"
HOSTILE = "<script>alert(1)</script> \"'&<>"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text) -> Cleaned:
    return clean_text(seed_text)


@pytest.fixture(scope="module")
def seed_strict(seed_text) -> Cleaned:
    """The seed at a threshold high enough to leave some edits as suggestions."""
    return clean_text(seed_text, Config(min_confidence=0.9))


# --- reading pages back --------------------------------------------------------------------


class Page(HTMLParser):
    """Collects what the tests look at: edits, suggestions, the text, tags and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.edits: list[dict] = []  # {"attrs", "del", "ins"}
        self.suggestions: list[dict] = []  # the list items in #suggestions
        self.markers: list[dict] = []  # suggestion marks inside the text
        self.text_parts: list[tuple[str, object]] = []  # ("text", str) | ("edit", attrs) | ("sugg", attrs)
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.ids: list[str] = []
        self.data_by_id: dict[str, list[str]] = {}

    def _classes(self, attrs: dict) -> list[str]:
        return (attrs.get("class") or "").split()

    def _inside(self, predicate) -> dict | None:
        for _, attrs in reversed(self.stack):
            if predicate(attrs):
                return attrs
        return None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        for name in ("href", "src"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if attrs.get("id"):
            self.ids.append(attrs["id"])
            self.data_by_id[attrs["id"]] = []
        in_text = self._inside(lambda a: a.get("id") == "text") is not None
        classes = self._classes(attrs)
        if tag == "span" and "edit" in classes:
            self.edits.append({"attrs": attrs, "del": "", "ins": ""})
            if in_text:
                self.text_parts.append(("edit", attrs))
        if tag == "a" and "sugg" in classes and in_text:
            self.markers.append(attrs)
            self.text_parts.append(("sugg", attrs))
        if tag == "li" and "suggestion" in classes:
            self.suggestions.append({"attrs": attrs, "text": ""})
        if tag not in ("meta", "input", "br", "img", "link"):
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, attrs in self.stack:
            if attrs.get("id"):
                self.data_by_id[attrs["id"]].append(data)
        edit = self._inside(lambda a: "edit" in self._classes(a))
        if edit is not None and self.edits and self.edits[-1]["attrs"] is edit:
            if self.stack[-1][0] in ("del", "ins"):
                self.edits[-1][self.stack[-1][0]] += data
            return
        if self._inside(lambda a: "sugg" in self._classes(a)) is not None:
            return
        if self._inside(lambda a: "suggestion" in self._classes(a)) is not None:
            self.suggestions[-1]["text"] += data
        if self._inside(lambda a: a.get("id") == "text") is not None:
            self.text_parts.append(("text", data))


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def span_of(attrs: dict) -> tuple[int, int]:
    start, end = attrs["data-span"].split(":")
    return int(start), int(end)


def report(cleaned: Cleaned, doc_id: str = SEED_ID, **kw) -> str:
    return document_report_html(doc_id, cleaned.original, cleaned.edits, cleaned.suggestions, **kw)


# --- the document page ---------------------------------------------------------------------


def test_seed_report_has_one_highlight_per_applied_edit(seed):
    assert len(seed.edits) > 50  # the seed is a real workout, not an empty page
    page = parse(report(seed))
    ordered = check_edits(seed.original, seed.edits)
    assert len(page.edits) == len(ordered)
    for n, (element, edit) in enumerate(zip(page.edits, ordered), 1):
        attrs = element["attrs"]
        assert attrs["id"] == f"e{n}"
        assert span_of(attrs) == (edit.start, edit.end)
        assert attrs["data-rule"] == edit.rule
        assert float(attrs["data-confidence"]) == pytest.approx(edit.confidence, abs=5e-4)
        assert element["del"] == visible(edit.before)
        assert element["ins"] == visible(edit.after, inserted=True)
        assert edit.rule in attrs["title"] and f"{edit.confidence:.3f}" in attrs["title"]
        if edit.why:
            assert edit.why in attrs["title"]
        assert f"rule-{edit.rule.split('+')[0]}" in attrs["class"]


def test_seed_report_shows_whitespace_edits_visibly(seed):
    page = parse(report(seed))
    shown = {span_of(e["attrs"]): (e["del"], e["ins"]) for e in page.edits}
    line_joins = [e for e in seed.edits if (e.before, e.after) == ("\n", " ")]
    glyphs = [e for e in seed.edits if (e.before, e.after) == ("B", " ")]
    assert line_joins and glyphs
    assert all(shown[(e.start, e.end)] == ("⏎", "·") for e in line_joins)
    assert all(shown[(e.start, e.end)] == ("B", "·") for e in glyphs)


def test_page_text_is_the_original_with_the_log_applied(seed):
    """Reading the page back (unchanged text + each highlighted edit's ``after``) gives the
    clean text: the page shows the log, not some other text."""
    page = parse(report(seed))
    by_span = {(e.start, e.end): e for e in seed.edits}
    rebuilt = []
    for kind, value in page.text_parts:
        rebuilt.append(value if kind == "text" else by_span[span_of(value)].after)
    assert "".join(rebuilt) == apply_edits(seed.original, seed.edits) == seed.text


def test_legend_counts_rules(seed):
    html_page = report(seed)
    page = parse(html_page)
    legend = "".join(page.data_by_id["legend"])
    for rule in {e.rule for e in seed.edits}:
        assert rule in legend
    # applied count next to the rule tag
    count = sum(1 for e in seed.edits if e.rule == "joiner")
    assert f'joiner</span></td><td class="n">{count}</td>' in html_page


def test_suggestions_are_listed_with_context_and_not_applied(seed_strict):
    assert seed_strict.suggestions, "min_confidence=0.9 should leave suggestions on the seed"
    html_page = report(seed_strict)
    page = parse(html_page)
    assert "suggestions" in page.ids
    assert len(page.edits) == len(seed_strict.edits)
    ordered = sorted(seed_strict.suggestions, key=lambda e: (e.start, e.end))
    assert len(page.suggestions) == len(ordered)
    for item, s in zip(page.suggestions, ordered):
        assert span_of(item["attrs"]) == (s.start, s.end)
        assert item["attrs"]["data-rule"] == s.rule
        text = item["text"]
        assert s.rule in text and f"{s.confidence:.3f}" in text and s.why in text
        assert visible(s.before) in text and visible(s.after) in text
        # some of the original's words around it
        left = seed_strict.original[max(0, s.start - 15) : s.start].split()
        if left:
            assert left[-1] in text.replace("⏎", " ")
    # marked in the text, where the original is still shown
    assert [span_of(m) for m in page.markers] == [(s.start, s.end) for s in ordered]
    after = {(e.start, e.end): e.after for e in seed_strict.edits}
    rebuilt = []
    for kind, value in page.text_parts:
        if kind == "text":
            rebuilt.append(value)
        elif kind == "edit":
            rebuilt.append(after[span_of(value)])
        else:  # a suggestion: the original, untouched
            start, end = span_of(value)
            rebuilt.append(seed_strict.original[start:end])
    assert "".join(rebuilt) == seed_strict.text


def test_no_suggestions_says_so(seed):
    page = parse(report(seed))
    assert "None" in "".join(page.data_by_id["suggestions"])
    assert page.suggestions == []


def test_overlapping_suggestions_are_still_listed():
    original = "ofBits"
    edits = [Edit(2, 3, "B", " ", "joiner", 0.9)]
    suggestions = [Edit(1, 3, "fB", "f-", "odd", 0.2, "overlaps the edit")]
    page = parse(document_report_html("d", original, edits, suggestions))
    assert len(page.edits) == 1 and len(page.suggestions) == 1 and page.markers == []


def test_hostile_text_is_escaped():
    original = f"{HOSTILE} ofBits \x00\u202eevil\ud800 end\n"
    i = original.index("B")
    edits = [
        Edit(0, 8, "<script>", "<b>&amp;", "joiner", 0.7, f"why {HOSTILE}"),
        Edit(i, i + 1, "B", " ", "joiner", 0.95, "glyph"),
    ]
    j = original.index("alert(")
    suggestions = [Edit(j, j + 6, "alert(", "<img src=x onerror=alert(2)>", f"r{HOSTILE}", 0.2, HOSTILE)]
    page = document_report_html(HOSTILE, original, edits, suggestions, title=HOSTILE)
    page.encode("utf-8")  # a lone surrogate would fail here
    assert "<script" not in page and "<img" not in page and "<b>&amp;" not in page
    assert "&lt;script&gt;" in page and "&quot;" in page and "&#x27;" in page
    assert "\x00" not in page and "\u202e" not in page
    parsed = parse(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert len(parsed.edits) == 2 and len(parsed.suggestions) == 1
    assert parsed.edits[0]["ins"] == "<b>&amp;"  # shown as text, character for character
    assert HOSTILE in "".join(parsed.data_by_id["suggestions"])


def test_pages_load_nothing_from_outside(seed_strict):
    for url in parse(report(seed_strict)).urls:
        assert url.startswith("#"), url


def test_bad_log_is_refused():
    with pytest.raises(EditConflict):
        document_report_html("d", "abc", [Edit(0, 1, "x", "y", "r", 0.9)], [])
    with pytest.raises(EditConflict):
        document_report_html("d", "abc", [], [Edit(0, 1, "x", "y", "r", 0.1)])


def test_empty_document():
    page = parse(document_report_html("empty", "", [], []))
    assert page.edits == [] and "text" in page.ids


def test_visible():
    assert visible("a b\n\t") == "a·b⏎⇥"
    assert visible("\n", inserted=True) == "¶\n"
    assert visible("\u00ad") == "⟨U+00AD⟩"
    assert visible("\u0301é") == "⟨U+0301⟩é"


# --- statistics ----------------------------------------------------------------------------


def test_document_stats_from_the_log(seed_strict):
    stats = document_stats(SEED_ID, seed_strict, {"decoding": "utf-8", "report": f"reports/{SEED_ID}.txt.html"})
    json.dumps(stats, allow_nan=False)
    assert stats["id"] == SEED_ID
    assert stats["chars_in"] == len(seed_strict.original)
    assert stats["chars_out"] == len(seed_strict.text)
    assert stats["edits"] == len(seed_strict.edits) == sum(stats["edits_per_rule"].values())
    assert stats["suggestions"] == len(seed_strict.suggestions) == sum(stats["suggestions_per_rule"].values())
    assert sum(stats["confidence_histogram"]["applied"]) == stats["edits"]
    assert sum(stats["confidence_histogram"]["suggested"]) == stats["suggestions"]
    joiners = [e for e in seed_strict.edits if "joiner" in e.rule]
    assert sum(stats["joiner_glyphs"].values()) == len(joiners)
    assert set(stats["joiner_glyphs"]) == {e.before for e in joiners}
    assert stats["confidence_min"] == min(e.confidence for e in seed_strict.edits)
    assert stats["unsure"] == pytest.approx(
        sum(1 - e.confidence for e in seed_strict.edits) + len(seed_strict.suggestions), abs=1e-3
    )
    assert 0 < stats["changed_ratio"] < 0.1
    assert stats["glyphs"] == seed_strict.notes["joiners"]["glyphs"]
    assert stats["decoding"] == "utf-8" and stats["report"].startswith("reports/")


def test_stats_of_unchanged_document():
    stats = document_stats("plain", clean_text("Nothing to fix here.\n"))
    assert stats["edits"] == 0 and stats["confidence_mean"] is None and stats["changed_ratio"] == 0
    json.dumps(stats, allow_nan=False)


def test_confidence_bins_at_edges():
    edits = tuple(Edit(i, i, "", " ", "r", c) for i, c in enumerate([0.0, 0.3, 0.7, 0.9999, 1.0]))
    stats = document_stats("x", Cleaned("abcde", "", edits))
    assert stats["confidence_histogram"]["applied"] == [1, 0, 0, 1, 0, 0, 0, 1, 0, 2]


# --- the batch summary ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def batch(seed, seed_strict):
    stats = [
        document_stats("a/seed", seed, {"report": "reports/a/seed.txt.html", "decoding": "utf-8"}),
        document_stats("b/strict", seed_strict, {"report": "reports/b/strict.txt.html"}),
        document_stats("c/plain", clean_text("Nothing to fix here.\n")),
    ]
    skipped = [{"path": "z/bad.txt", "reason": "not UTF-8 at byte 3"}, {"path": "y/empty.txt", "reason": "empty"}]
    timings = {"read": 0.25, "clean": 1.5, "write": 0.25, "total": 2.0}
    summary = build_summary(stats, skipped, timings, Config().fingerprint(), "0.1.0")
    return stats, summary


def test_summary_counts_add_up(batch):
    stats, summary = batch
    json.dumps(summary, allow_nan=False)
    totals = summary["totals"]
    assert totals["documents"] == 3 and totals["skipped"] == 2 and totals["changed_documents"] == 2
    for key in ("chars_in", "chars_out", "edits", "suggestions", "changed_chars"):
        assert totals[key] == sum(s[key] for s in stats)
    assert sum(summary["edits_per_rule"].values()) == totals["edits"]
    assert sum(summary["suggestions_per_rule"].values()) == totals["suggestions"]
    assert sum(summary["confidence_histogram"]["applied"]) == totals["edits"]
    assert sum(summary["confidence_histogram"]["suggested"]) == totals["suggestions"]
    assert len(summary["confidence_histogram"]["bins"]) == 10
    assert sum(summary["joiner_glyphs"].values()) == sum(sum(s["joiner_glyphs"].values()) for s in stats)
    assert summary["decodings"] == {"utf-8": 1}
    assert [s["path"] for s in summary["skipped"]] == ["y/empty.txt", "z/bad.txt"]
    assert summary["timings"]["total_seconds"] == 2.0
    assert summary["timings"]["stages"] == {"read": 0.25, "clean": 1.5, "write": 0.25}
    assert summary["timings"]["mb_per_second"] == pytest.approx(totals["bytes_in"] / 1e6 / 2.0, abs=1e-3)
    assert summary["version"] == "0.1.0" and summary["config"]["min_confidence"] == 0.5


def test_summary_rankings(batch):
    _, summary = batch
    changed = summary["most_changed"]
    unsure = summary["most_unsure"]
    assert [d["id"] for d in changed] == sorted(
        ["a/seed", "b/strict"], key=lambda i: -next(d["changed_ratio"] for d in changed if d["id"] == i)
    )
    assert unsure[0]["id"] == "b/strict"  # the suggestions left for review count
    assert "c/plain" not in {d["id"] for d in changed + unsure}
    assert changed[0]["report"].startswith("reports/") and changed[0]["report"].endswith(".txt.html")


def test_summary_keeps_the_top_documents():
    text = "ab" * 50
    stats = [
        document_stats(f"d{i:03}", Cleaned(text, "", (Edit(0, i % 7 + 1, text[: i % 7 + 1], "", "r", 0.5),)))
        for i in range(120)
    ]
    summary = build_summary(stats, [], {}, {}, "v")
    assert len(summary["most_changed"]) == RANKING_SIZE == len(summary["most_unsure"])
    ratios = [d["changed_ratio"] for d in summary["most_changed"]]
    assert ratios == sorted(ratios, reverse=True)
    assert summary["timings"]["mb_per_second"] is None  # no time given: no speed invented
    assert summary["most_changed"][0]["report"] == f"reports/{summary['most_changed'][0]['id']}.html"


def test_summary_html_has_charts_and_tables(batch):
    _, summary = batch
    page = summary_html(summary)
    parsed = parse(page)
    assert parsed.tags.count("svg") >= 4
    for chart in ("chart-rules", "chart-glyphs", "chart-confidence", "chart-timings"):
        assert chart in parsed.ids
    assert "rect" in parsed.tags
    assert "reports/a/seed.txt.html" in parsed.urls and "reports/b/strict.txt.html" in parsed.urls
    for url in parsed.urls:
        assert url.startswith("reports/"), url
    assert "most-changed" in parsed.ids and "most-unsure" in parsed.ids and "skipped" in parsed.ids
    assert "not UTF-8 at byte 3" in page
    assert "script" not in parsed.tags and "http://www.w3.org/2000/svg" in page  # a namespace, not a load


def test_summary_html_escapes_hostile_names():
    cleaned = Cleaned(f"x{HOSTILE}", "", (Edit(0, 1, "x", "", "joiner", 0.9),))
    stats = [document_stats(HOSTILE, cleaned, {"report": "javascript:alert(1)#?.html", "decoding": HOSTILE})]
    summary = build_summary(stats, [{"path": HOSTILE, "reason": HOSTILE}], {"<b>": 1.0}, {HOSTILE: HOSTILE}, HOSTILE)
    page = summary_html(summary)
    parsed = parse(page)
    assert "<script" not in page and "script" not in parsed.tags and "b" not in parsed.tags
    assert not any(url.lower().startswith("javascript:") for url in parsed.urls)
    assert "javascript%3Aalert%281%29%23%3F.html" in parsed.urls


def test_empty_batch():
    summary = build_summary([], [], {}, {}, "v")
    page = summary_html(summary)
    assert summary["totals"]["documents"] == 0 and "No edits" in page


# --- determinism ---------------------------------------------------------------------------

_DIGEST = """
import hashlib, json, sys
from pipeline import Config, clean_text
from pipeline.report import build_summary, document_report_html, document_stats, summary_html
text = open(sys.argv[1], encoding="utf-8").read()
c = clean_text(text, Config(min_confidence=0.9))
page = document_report_html("seed", c.original, c.edits, c.suggestions)
stats = document_stats("seed", c)
summary = build_summary([stats], [], {"clean": 1.0}, Config().fingerprint(), "v")
blob = page + json.dumps(stats, sort_keys=False) + json.dumps(summary) + summary_html(summary)
print(hashlib.sha256(blob.encode("utf-8")).hexdigest())
"""


def test_output_is_deterministic(seed_strict):
    one = report(seed_strict)
    assert one == report(seed_strict)
    stats = document_stats("s", seed_strict)
    summary = build_summary([stats], [], {"clean": 1.0}, Config().fingerprint(), "v")
    again = build_summary([stats], [], {"clean": 1.0}, Config().fingerprint(), "v")
    assert summary_html(summary) == summary_html(again)
    # Set and dict orders must not leak into the bytes: compare across hash seeds.
    digests = set()
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        out = subprocess.run(
            [sys.executable, "-c", _DIGEST, str(SEED)], env=env, capture_output=True, text=True, check=True, cwd=ROOT
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_rankings_say_where_an_article_came_from():
    cleaned = Cleaned("ofBits", "", (Edit(2, 3, "B", " ", "joiner", 0.9),))
    record = dict(document_stats("art-7", cleaned), path="feeds/day.jsonl", line=12)
    record["report"] = "reports/feeds/day.jsonl/art-7.html"
    summary = build_summary([record], [], {}, {}, "v")
    assert summary["most_changed"][0]["path"] == "feeds/day.jsonl" and summary["most_changed"][0]["line"] == 12
    page = summary_html(summary)
    assert "feeds/day.jsonl, line 12" in page and 'href="reports/feeds/day.jsonl/art-7.html"' in page


def test_chart_labels_show_whitespace_runs():
    cleaned = Cleaned("of\nBits", "", (Edit(2, 4, "\nB", " ", "joiner+reflow", 0.9),))
    page = summary_html(build_summary([document_stats("d", cleaned)], [], {}, {}, "v"))
    assert ">⏎B<" in page and "joiner+reflow" in page
