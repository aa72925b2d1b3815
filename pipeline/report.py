"""Reports for people: per-document statistics and HTML pages, and a batch summary.

Every number and every highlight here is derived from the edit log (the original text, the
applied edits and the suggestions), never from a clean text computed elsewhere: the clean
text a page shows is :func:`pipeline.edits.apply_edits` of that log, so a page cannot show a
change the log does not hold, nor hide one it does.

The functions are pure: they take data and return a dict or a string, and the caller decides
where it goes. Pages are self-contained (inline CSS and SVG, no external resources, no
JavaScript), and the same input always gives the same bytes.

>>> from pipeline.edits import Edit
>>> log = [Edit(2, 3, "B", " ", "joiner", 0.95, "glyph 'B'")]
>>> page = document_report_html("doc", "ofBits", log, [])
>>> page.count('class="edit ')
1
"""

from __future__ import annotations

import bisect
import html
import json
import math
import re
import unicodedata
import zlib
from collections import Counter
from typing import Mapping, Sequence
from urllib.parse import quote

from .edits import Edit, EditConflict, check_edits

#: Confidence histograms have this many bins of equal width over 0..1.
CONFIDENCE_BINS = 10
#: Rankings in the batch summary keep this many documents.
RANKING_SIZE = 50
#: Characters of the original shown on each side of a suggestion.
CONTEXT_CHARS = 40
#: Applied edits below this confidence get a wavy underline: they are applied, but they are
#: where a reviewer's eye is best spent.
UNSURE_BELOW = 0.8

# --- making characters visible and safe --------------------------------------------------

_SYMBOLS = {
    "\n": "⏎",
    " ": "·",
    "\t": "⇥",
    "\r": "␍",
    "\f": "␌",
    "\v": "␋",
    "\x00": "␀",
    "\x7f": "␡",
    "\u00a0": "⍽",
}
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}


def _code(ch: str) -> str:
    return f"⟨U+{ord(ch):04X}⟩"


def visible(text: str, inserted: bool = False) -> str:
    """``text`` with whitespace and invisible characters replaced by visible symbols.

    Used for the removed and inserted text of an edit, where a change of whitespace would
    otherwise be invisible. With ``inserted``, a newline is shown as ``¶`` and kept, so the
    clean text keeps its lines.

    >>> visible("of\\nits ")
    'of⏎its·'
    >>> visible("\\n", inserted=True)
    '¶\\n'
    >>> visible("a\\u200bb\\x00")
    'a⟨U+200B⟩b␀'
    """
    out = []
    for ch in text:
        if ch == "\n" and inserted:
            out.append("¶\n")
        elif ch in _SYMBOLS:
            out.append(_SYMBOLS[ch])
        elif ord(ch) < 0x20:
            out.append(chr(0x2400 + ord(ch)))  # the Control Pictures block: ␁, ␂, ...
        elif unicodedata.category(ch) in _INVISIBLE_CATEGORIES or (not out and unicodedata.combining(ch)):
            # A combining mark that starts the string would fuse with whatever the page puts
            # before it and not be seen; inside a word it belongs to its letter.
            out.append(_code(ch))
        else:
            out.append(ch)
    return "".join(out)


# Characters HTML cannot carry faithfully (NUL, C0/C1 controls, lone surrogates, which would
# not even encode as UTF-8) and bidi embeddings/overrides/isolates, which would reorder the
# text around them and so misrepresent it. They are shown as codes wherever they appear.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def _picture(ch: str) -> str:
    return visible(ch)


def _esc(text: str) -> str:
    """Escape for HTML text or a quoted attribute value."""
    return html.escape(_UNSAFE.sub(lambda m: _picture(m.group()), text), quote=True)


def _text_html(text: str) -> str:
    """Escape running text, keeping its spaces and newlines and marking unsafe characters."""
    out = []
    cursor = 0
    for match in _UNSAFE.finditer(text):
        out.append(html.escape(text[cursor : match.start()], quote=True))
        ch = match.group()
        name = unicodedata.name(ch, "") if unicodedata.category(ch) != "Cs" else "SURROGATE"
        label = f"U+{ord(ch):04X} {name}".strip()
        out.append(f'<span class="cp" title="{html.escape(label)}">{html.escape(_picture(ch))}</span>')
        cursor = match.end()
    out.append(html.escape(text[cursor:], quote=True))
    return "".join(out)


def _conf(value: float) -> str:
    return f"{value:.3f}"


def _int(value: float) -> str:
    return f"{round(value):,}"


# --- rule colours -------------------------------------------------------------------------

#: (background, strong) colour per known rule; unknown rules get a colour from their name.
_RULE_COLOURS = {
    "joiner": ("#ffe08a", "#b7791f"),
    "reflow": ("#cfe3ff", "#2b6cb0"),
    "page_break": ("#e3d3ff", "#6b46c1"),
    "line_end_hyphen": ("#b8efe3", "#2c7a7b"),
    "trim_space": ("#e2e8f0", "#4a5568"),
    "missing_space": ("#c6f6d5", "#2f855a"),
    "encoding": ("#fed7e2", "#b83280"),
    "ligature": ("#fde3c8", "#9c4221"),
}


def _rule_colours(rule: str) -> tuple[str, str]:
    """Colours for a rule; a merged rule ("joiner+reflow") takes its first part's."""
    first = rule.split("+", 1)[0]
    if first in _RULE_COLOURS:
        return _RULE_COLOURS[first]
    hue = zlib.crc32(first.encode("utf-8", "surrogatepass")) % 360  # stable across runs
    return (f"hsl({hue},85%,86%)", f"hsl({hue},55%,35%)")


def _slug(part: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", part)


def _rule_classes(rule: str) -> str:
    parts = rule.split("+")
    classes = " ".join(f"rule-{_slug(p)}" for p in parts)
    return classes + (" merged" if len(parts) > 1 else "")


def _palette_css(rules: Sequence[str]) -> str:
    return "\n".join(
        f".r{i}{{--bg:{bg};--fg:{fg}}}" for i, (bg, fg) in enumerate(_rule_colours(r) for r in rules)
    )


# --- per-document statistics -------------------------------------------------------------


def _bin(confidence: float) -> int:
    # A confidence computed as a tenth (0.1 * 3 == 0.30000000000000004, but 0.7 - 0.4 ==
    # 0.29999999999999993) can land a hair below its bin edge; the epsilon puts it in the bin
    # that starts there, as a person reading "0.3" expects.
    return min(CONFIDENCE_BINS - 1, max(0, math.floor(confidence * CONFIDENCE_BINS + 1e-9)))


def _histogram(edits: Sequence[Edit]) -> list[int]:
    counts = [0] * CONFIDENCE_BINS
    for edit in edits:
        counts[_bin(edit.confidence)] += 1
    return counts


def _changed_chars(edits: Sequence[Edit]) -> int:
    # A one-for-one replacement changes one character, as does an insertion or deletion of
    # one; so each edit counts the longer of its two sides.
    return sum(max(len(e.before), len(e.after)) for e in edits)


def document_stats(doc_id: str, cleaned, metadata: Mapping | None = None) -> dict:
    """A plain, JSON-able record of what the repair did to one document.

    ``cleaned`` is a :class:`pipeline.repair.Cleaned` (only ``original``, ``edits``,
    ``suggestions`` and ``notes`` are read). From ``metadata``, ``decoding`` (how the bytes
    were decoded) and ``report`` (relative link to the document's page) are copied when
    given. ``changed_ratio`` is changed characters (the longer side of each edit) over input
    characters; ``unsure`` is the sum of ``1 - confidence`` over applied edits plus one per
    suggestion, so it grows both with doubtful edits and with edits left for review.

    >>> from pipeline.repair import Cleaned
    >>> from pipeline.edits import Edit
    >>> c = Cleaned("ofBits inBGeneva", "of its in Geneva",
    ...             (Edit(2, 3, "B", " ", "joiner", 0.9), Edit(9, 10, "B", " ", "joiner", 0.7)))
    >>> s = document_stats("a", c)
    >>> s["edits"], s["edits_per_rule"], s["joiner_glyphs"], s["unsure"]
    (2, {'joiner': 2}, {'B': 2}, 0.4)
    """
    original = cleaned.original
    edits = check_edits(original, list(cleaned.edits))
    suggestions = sorted(cleaned.suggestions, key=lambda e: (e.start, e.end))
    metadata = metadata or {}
    notes = cleaned.notes or {}

    confidences = [e.confidence for e in edits]
    changed = _changed_chars(edits)
    chars_out = len(original) + sum(len(e.after) - len(e.before) for e in edits)
    glyphs = (notes.get("joiners") or {}).get("glyphs") or {}
    decoding = metadata.get("decoding", notes.get("decoding"))

    record = {
        "id": doc_id,
        "chars_in": len(original),
        "chars_out": chars_out,
        "bytes_in": len(original.encode("utf-8", "surrogatepass")),
        "edits": len(edits),
        "suggestions": len(suggestions),
        "edits_per_rule": dict(sorted(Counter(e.rule for e in edits).items())),
        "suggestions_per_rule": dict(sorted(Counter(e.rule for e in suggestions).items())),
        "joiner_glyphs": dict(sorted(Counter(e.before for e in edits if "joiner" in e.rule).items())),
        "confidence_mean": round(sum(confidences) / len(confidences), 4) if confidences else None,
        "confidence_min": min(confidences) if confidences else None,
        "confidence_histogram": {"applied": _histogram(edits), "suggested": _histogram(suggestions)},
        "changed_chars": changed,
        "changed_ratio": round(changed / max(len(original), 1), 6),
        "unsure": round(sum(1 - c for c in confidences) + len(suggestions), 4),
        "glyphs": {str(k): float(v) for k, v in sorted(glyphs.items())},
        "decoding": decoding,
    }
    if metadata.get("report"):
        record["report"] = str(metadata["report"])
    return record


# --- the document page -------------------------------------------------------------------

_DOC_CSS = """
:root{color-scheme:light}
body{font:16px/1.55 Georgia,'DejaVu Serif',serif;color:#1a202c;background:#fbfaf7;margin:0;padding:1.5rem}
main{max-width:60rem;margin:0 auto}
h1{font-size:1.5rem;margin:.2rem 0 .4rem}
h2{font:600 1.05rem system-ui,'DejaVu Sans',sans-serif;margin:1.6rem 0 .5rem;border-bottom:1px solid #e2e8f0;padding-bottom:.2rem}
.meta,nav,.keys,table,.toggle,.sugg-note{font:13px/1.5 system-ui,'DejaVu Sans',sans-serif;color:#4a5568}
nav a{margin-right:1rem}
code{font-family:'DejaVu Sans Mono',monospace;font-size:.9em}
.text{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #e2e8f0;border-radius:6px;padding:1rem 1.25rem}
.edit,.swatch,.proposal{border-bottom:2px solid var(--fg);margin:0 .1em}
.edit.merged{border-bottom:3px double var(--fg)}
del,ins{padding:0 .12em}
del.ws{text-decoration:none}
del{color:#9b2c2c;background:#fde8e8;text-decoration:line-through;text-decoration-color:#c53030}
ins{text-decoration:none;background:var(--bg,#fefcbf);color:#1a202c;font-weight:600}
.edit:hover,.edit:target,.sugg:target{outline:2px solid var(--fg);outline-offset:1px}
.cp{font:11px system-ui,sans-serif;background:#edf2f7;color:#4a5568;border-radius:2px;padding:0 1px}
.sugg{outline:1.5px dotted var(--fg);outline-offset:1px;color:inherit;text-decoration:none}
.sugg .mk{font:700 10px system-ui,sans-serif;color:var(--fg);vertical-align:super}
.toggle{display:inline-block;margin:0 0 .4rem}
#show-removed:not(:checked)~#text del{display:none}
#legend table{border-collapse:collapse}
#legend td,#legend th{padding:.15rem .7rem .15rem 0;text-align:left}
#legend td.n{text-align:right}
.tag{display:inline-block;border-radius:3px;padding:0 .35rem;background:var(--bg);box-shadow:inset 0 -2px 0 var(--fg);color:#1a202c}
#suggestions ol{padding-left:1.6rem}
#suggestions li{margin:.5rem 0;padding:.4rem .6rem;background:#fff;border:1px solid #e2e8f0;border-left:4px solid var(--fg);border-radius:4px}
.ctx{white-space:pre-wrap;overflow-wrap:anywhere}
.ctx .nl{color:#a0aec0}
.why{font:13px/1.5 system-ui,'DejaVu Sans',sans-serif;color:#4a5568;margin-top:.2rem}
.why>span,.keys>span{margin-right:1.1em;display:inline-block}
.why code,#edit-list code{font-size:15px;background:#edf2f7;border-radius:2px;padding:0 .25em}
code.none{color:#a0aec0;background:none}
.keys b{font-size:15px}
.unsure{text-decoration:underline wavy #c53030;text-underline-offset:4px}
#edit-list table{border-collapse:collapse;width:100%}
#edit-list td,#edit-list th{border-bottom:1px solid #edf2f7;padding:.2rem .5rem;text-align:left;vertical-align:top}
#edit-list td.n{text-align:right;white-space:nowrap}
summary{cursor:pointer;font:600 1.05rem system-ui,'DejaVu Sans',sans-serif}
"""


def _line_of(newlines: list[int], offset: int) -> int:
    return bisect.bisect_left(newlines, offset) + 1


def _hover(kind: str, edit: Edit) -> str:
    lines = [f"{kind}{edit.rule}, confidence {_conf(edit.confidence)}"]
    if edit.why:
        lines.append(edit.why)
    lines.append(f"“{visible(edit.before)}” → “{visible(edit.after)}”")
    return _esc("\n".join(lines))


def _change_html(edit: Edit) -> str:
    """The removed and inserted text of an edit, with whitespace made visible."""
    parts = []
    if edit.before:
        # A struck-through "·" reads as a dash: removed whitespace is shown by colour alone.
        ws = ' class="ws"' if edit.before.isspace() else ""
        parts.append(f"<del{ws}>{_esc(visible(edit.before))}</del>")
    if edit.after:
        parts.append(f"<ins>{_esc(visible(edit.after, inserted=True))}</ins>")
    return "".join(parts)


def _side(text: str) -> str:
    """One side of a change for lists: the text made visible, or ∅ for nothing."""
    if not text:
        return '<code class="none" title="nothing">∅</code>'
    return f"<code>{_esc(visible(text))}</code>"


def _context_html(text: str) -> str:
    return _text_html(text).replace("\n", '<span class="nl">⏎</span>')


def _check_suggestions(original: str, suggestions: Sequence[Edit]) -> list[Edit]:
    for s in suggestions:
        if not 0 <= s.start <= s.end <= len(original) or original[s.start : s.end] != s.before:
            raise EditConflict(f"suggestion at {s.start}:{s.end} expects {s.before!r}, text differs")
    return sorted(suggestions, key=lambda e: (e.start, e.end))


def document_report_html(
    doc_id: str,
    original: str,
    edits: Sequence[Edit],
    suggestions: Sequence[Edit],
    title: str | None = None,
) -> str:
    """A self-contained HTML page showing the clean text with every applied edit in place.

    Each applied edit, in position order, is ``<span class="edit r<N> rule-<rule>" id="e<n>"
    data-rule=...>`` holding ``<del>`` (what was removed) and ``<ins>`` (what was inserted),
    whitespace made visible (``⏎`` removed line break, ``¶`` inserted one, ``·`` space); its
    ``title`` gives rule, confidence and reason. The text outside the edits is the
    original's, so the page reads as :func:`~pipeline.edits.apply_edits` of the log.
    Suggestions (``#suggestions``, ``li#s<n>``) are listed with context and marked in the
    text (dotted box) without being applied. ``data-span="start:end"`` ties each element to
    its record in the edit log. Raises :class:`~pipeline.edits.EditConflict` when the edits
    do not fit ``original``.
    """
    applied = check_edits(original, list(edits))
    proposed = _check_suggestions(original, list(suggestions))
    try:
        # Suggestions come from the same log as the edits, so they do not overlap them; if a
        # caller mixes logs they still get their list, only not the marks in the text.
        check_edits(original, applied + proposed)
        mark_suggestions = True
    except EditConflict:
        mark_suggestions = False

    rules = sorted({e.rule for e in applied} | {e.rule for e in proposed})
    rule_index = {rule: i for i, rule in enumerate(rules)}
    newlines = [i for i, ch in enumerate(original) if ch == "\n"]
    title = doc_id if title is None else title
    chars_out = len(original) + sum(len(e.after) - len(e.before) for e in applied)

    def classes(rule: str) -> str:
        return f"r{rule_index[rule]} {_rule_classes(rule)}"

    # The text: the original between edits, each edit shown as removed + inserted.
    items = [(e.start, e.end, 0, n, e) for n, e in enumerate(applied, 1)]
    if mark_suggestions:
        items += [(s.start, s.end, 1, n, s) for n, s in enumerate(proposed, 1)]
    items.sort(key=lambda item: (item[0], item[1]))
    body: list[str] = []
    cursor = 0
    for start, end, kind, n, e in items:
        body.append(_text_html(original[cursor:start]))
        if kind == 0:
            unsure = " unsure" if e.confidence < UNSURE_BELOW else ""
            body.append(
                f'<span class="edit {classes(e.rule)}{unsure}" id="e{n}" data-span="{e.start}:{e.end}" '
                f'data-rule="{_esc(e.rule)}" data-confidence="{_conf(e.confidence)}" title="{_hover("", e)}">'
                f"{_change_html(e)}</span>"
            )
        else:
            body.append(
                f'<a class="sugg {classes(e.rule)}" id="at-s{n}" href="#s{n}" data-span="{e.start}:{e.end}" '
                f'title="{_hover("suggestion, not applied: ", e)}"><span class="mk">?</span>'
                f"{_text_html(e.before)}</a>"
            )
        cursor = end
    body.append(_text_html(original[cursor:]))

    applied_per_rule = Counter(e.rule for e in applied)
    proposed_per_rule = Counter(e.rule for e in proposed)
    sample = {}
    for e in applied + proposed:
        sample.setdefault(e.rule, e)
    legend_rows = "".join(
        f'<tr><td><span class="swatch r{i}">{_change_html(sample[rule])}</span></td>'
        f'<td><span class="tag r{i}">{_esc(rule)}</span></td>'
        f'<td class="n">{_int(applied_per_rule[rule])}</td><td class="n">{_int(proposed_per_rule[rule])}</td></tr>'
        for i, rule in enumerate(rules)
    )
    legend = (
        '<section id="legend"><h2>Legend</h2>'
        + (
            f"<table><thead><tr><th>example</th><th>rule</th><th>applied</th><th>suggested</th></tr></thead>"
            f"<tbody>{legend_rows}</tbody></table>"
            if rules
            else '<p class="keys">No edits and no suggestions: the text is shown as it came.</p>'
        )
        + '<p class="keys"><span><del>removed</del></span><span><ins>inserted</ins></span>'
        "<span><b>⏎</b> removed line break</span><span><b>¶</b> inserted line break</span>"
        "<span><b>·</b> space</span><span><b>⟨U+…⟩</b> invisible character</span>"
        f'<span><span class="unsure">wavy</span> confidence below {UNSURE_BELOW}</span>'
        '<span><span class="sugg" style="--fg:#718096"><span class="mk">?</span>dotted</span> '
        "suggestion, not applied</span><span>Hover an edit for its rule, confidence and "
        "reason.</span></p></section>"
    )

    # Suggestions, with the original around them.
    sugg_items = []
    for n, s in enumerate(proposed, 1):
        left = original[max(0, s.start - CONTEXT_CHARS) : s.start]
        right = original[s.end : s.end + CONTEXT_CHARS]
        lead = "…" if s.start > CONTEXT_CHARS else ""
        tail = "…" if s.end + CONTEXT_CHARS < len(original) else ""
        back = f'<span><a href="#at-s{n}">in text</a></span>' if mark_suggestions else ""
        why = f"<span>{_esc(s.why)}</span>" if s.why else ""
        sugg_items.append(
            f'<li class="suggestion {classes(s.rule)}" id="s{n}" data-span="{s.start}:{s.end}" '
            f'data-rule="{_esc(s.rule)}" data-confidence="{_conf(s.confidence)}">'
            f'<div class="ctx">{lead}{_context_html(left)}<span class="proposal r{rule_index[s.rule]}">'
            f"{_change_html(s)}</span>{_context_html(right)}{tail}</div>"
            f'<div class="why"><span class="tag r{rule_index[s.rule]}">{_esc(s.rule)}</span>'
            f"<span>confidence {_conf(s.confidence)}</span><span>line {_line_of(newlines, s.start)}</span>"
            f"<span>{_side(s.before)} → {_side(s.after)}</span>"
            f"{why}{back}</div></li>"
        )
    suggestions_html = (
        f'<section id="suggestions"><h2>Suggestions for review ({len(proposed)})</h2>'
        + (
            '<p class="sugg-note">Proposed edits below the confidence threshold. They are not '
            "applied: the text above shows the original here.</p><ol>" + "".join(sugg_items) + "</ol>"
            if proposed
            else '<p class="sugg-note">None: every proposed edit was applied.</p>'
        )
        + "</section>"
    )

    edit_rows = "".join(
        f'<tr><td class="n"><a href="#e{n}">{n}</a></td><td class="n">{_line_of(newlines, e.start)}</td>'
        f'<td><span class="tag r{rule_index[e.rule]}">{_esc(e.rule)}</span></td>'
        f'<td class="n">{_conf(e.confidence)}</td>'
        f"<td>{_side(e.before)} → {_side(e.after)}</td>"
        f"<td>{_esc(e.why)}</td></tr>"
        for n, e in enumerate(applied, 1)
    )
    edit_list = (
        f'<section><details id="edit-list"><summary>All {len(applied)} applied edits</summary>'
        "<table><thead><tr><th>#</th><th>line</th><th>rule</th><th>confidence</th><th>change</th>"
        f"<th>why</th></tr></thead><tbody>{edit_rows}</tbody></table></details></section>"
    )

    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_esc(title)} · ocr-repair report</title>"
        f"<style>{_DOC_CSS}{_palette_css(rules)}</style></head>\n<body><main>"
        f'<header><h1>{_esc(title)}</h1><p class="meta">Document <code>{_esc(doc_id)}</code> · '
        f"{_int(len(original))} → {_int(chars_out)} characters · {_int(len(applied))} edits applied · "
        f"{_int(len(proposed))} suggestions</p>"
        '<nav><a href="#text">Clean text</a><a href="#suggestions">Suggestions</a>'
        '<a href="#edit-list">All edits</a></nav></header>\n'
        f"{legend}\n"
        '<section id="clean"><h2>Clean text, with the edits</h2>'
        '<input type="checkbox" id="show-removed" checked>'
        '<label class="toggle" for="show-removed"> show removed text</label>'
        f'<div id="text" class="text">{"".join(body)}</div></section>\n'
        f"{suggestions_html}\n{edit_list}\n</main></body></html>\n"
    )


# --- the batch summary -------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _ranking_entry(stats: Mapping) -> dict:
    entry = {
        "id": stats["id"],
        "report": stats.get("report") or f"reports/{stats['id']}.html",
        "changed_ratio": stats["changed_ratio"],
        "changed_chars": stats["changed_chars"],
        "edits": stats["edits"],
        "suggestions": stats["suggestions"],
        "unsure": stats["unsure"],
        "chars_in": stats["chars_in"],
    }
    # Callers may add where the document came from (an article of a .jsonl file has an id
    # that alone does not say which file to open).
    for key in ("path", "line"):
        if stats.get(key) is not None:
            entry[key] = stats[key]
    return entry


def build_summary(
    stats: Sequence[Mapping],
    skipped: Sequence[Mapping],
    timings: Mapping,
    config_fingerprint: Mapping,
    version: str,
    *,
    top: int = RANKING_SIZE,
) -> dict:
    """Sum a batch's :func:`document_stats` records into one JSON-able summary.

    ``skipped`` items name a ``path`` and a ``reason``; ``timings`` maps stage names to
    seconds, with an optional ``total`` (otherwise the stages' sum). Rankings list the
    ``top`` documents by ``changed_ratio`` and by ``unsure``, leaving out those with none.

    >>> s = build_summary([{"id": "a", "chars_in": 10, "chars_out": 9, "bytes_in": 10, "edits": 1,
    ...     "suggestions": 0, "edits_per_rule": {"joiner": 1}, "suggestions_per_rule": {},
    ...     "joiner_glyphs": {"B": 1}, "confidence_histogram": {"applied": [0] * 9 + [1],
    ...     "suggested": [0] * 10}, "changed_chars": 1, "changed_ratio": 0.1, "unsure": 0.05,
    ...     "glyphs": {"B": 3.0}, "decoding": None}], [], {"total": 2.0}, {}, "0.1.0")
    >>> s["totals"]["edits"], s["edits_per_rule"], [d["id"] for d in s["most_changed"]]
    (1, {'joiner': 1}, ['a'])
    """
    totals = Counter()
    per_rule: Counter = Counter()
    sugg_per_rule: Counter = Counter()
    glyph_runs: Counter = Counter()
    learned_docs: Counter = Counter()
    learned_weight: Counter = Counter()
    decodings: Counter = Counter()
    applied_hist = [0] * CONFIDENCE_BINS
    suggested_hist = [0] * CONFIDENCE_BINS
    for s in stats:
        for key in ("chars_in", "chars_out", "bytes_in", "edits", "suggestions", "changed_chars"):
            totals[key] += s.get(key, 0)
        totals["unsure"] += s.get("unsure", 0.0)
        totals["changed_documents"] += 1 if s.get("edits") else 0
        per_rule.update(s.get("edits_per_rule", {}))
        sugg_per_rule.update(s.get("suggestions_per_rule", {}))
        glyph_runs.update(s.get("joiner_glyphs", {}))
        for glyph, weight in s.get("glyphs", {}).items():
            learned_docs[glyph] += 1
            learned_weight[glyph] += weight
        if s.get("decoding") is not None:
            decodings[str(s["decoding"])] += 1
        hist = s.get("confidence_histogram", {})
        for i, n in enumerate(hist.get("applied", [])[:CONFIDENCE_BINS]):
            applied_hist[i] += n
        for i, n in enumerate(hist.get("suggested", [])[:CONFIDENCE_BINS]):
            suggested_hist[i] += n

    stages = {str(k): float(v) for k, v in timings.items() if k != "total" and _is_number(v)}
    total_seconds = float(timings["total"]) if _is_number(timings.get("total")) else sum(stages.values())
    by_changed = sorted((s for s in stats if s["changed_ratio"] > 0), key=lambda s: (-s["changed_ratio"], s["id"]))
    by_unsure = sorted((s for s in stats if s["unsure"] > 0), key=lambda s: (-s["unsure"], s["id"]))

    def by_count(counter: Counter) -> dict:
        return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))

    return {
        "version": version,
        "config": dict(config_fingerprint),
        "totals": {
            "documents": len(stats),
            "skipped": len(skipped),
            "changed_documents": totals["changed_documents"],
            "chars_in": totals["chars_in"],
            "chars_out": totals["chars_out"],
            "bytes_in": totals["bytes_in"],
            "edits": totals["edits"],
            "suggestions": totals["suggestions"],
            "changed_chars": totals["changed_chars"],
            "unsure": round(totals["unsure"], 4),
        },
        "edits_per_rule": by_count(per_rule),
        "suggestions_per_rule": by_count(sugg_per_rule),
        "joiner_glyphs": by_count(glyph_runs),
        "learned_glyphs": {
            glyph: {"documents": n, "weight": round(learned_weight[glyph], 4)}
            for glyph, n in by_count(learned_docs).items()
        },
        "confidence_histogram": {
            "bins": [[i / CONFIDENCE_BINS, (i + 1) / CONFIDENCE_BINS] for i in range(CONFIDENCE_BINS)],
            "applied": applied_hist,
            "suggested": suggested_hist,
        },
        "decodings": by_count(decodings),
        "ranking_size": top,
        "most_changed": [_ranking_entry(s) for s in by_changed[:top]],
        "most_unsure": [_ranking_entry(s) for s in by_unsure[:top]],
        "skipped": sorted(
            ({"path": str(item.get("path", "")), "reason": str(item.get("reason", ""))} for item in skipped),
            key=lambda item: (item["path"], item["reason"]),
        ),
        "timings": {
            "stages": stages,
            "total_seconds": round(total_seconds, 6),
            "mb_per_second": round(totals["bytes_in"] / 1e6 / total_seconds, 3) if total_seconds > 0 else None,
            "chars_per_second": round(totals["chars_in"] / total_seconds) if total_seconds > 0 else None,
        },
    }


# --- charts --------------------------------------------------------------------------------

_SERIES = {"applied": "#3b82f6", "suggested": "#f59e0b"}


def _label(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _hbar_chart(chart_id: str, caption: str, rows: Sequence[tuple[str, Sequence[tuple[float, str, str]]]],
                fmt=_int) -> str:
    """Horizontal bars, one row per label, each bar a stack of (value, colour, series) parts."""
    if not rows:
        return (
            f'<figure id="{chart_id}"><figcaption>{_esc(caption)}</figcaption>'
            '<p class="empty">Nothing to show.</p></figure>'
        )
    label_w = min(220, 16 + 7 * max(len(_label(label)) for label, _ in rows))
    bar_w, row_h, pad = 400, 22, 6
    width = label_w + bar_w + 90
    height = pad * 2 + row_h * len(rows)
    largest = max(sum(v for v, _, _ in parts) for _, parts in rows) or 1
    out = [
        f'<figure id="{chart_id}"><figcaption>{_esc(caption)}</figcaption>'
        f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_esc(caption)}</title>'
    ]
    for row, (label, parts) in enumerate(rows):
        y = pad + row * row_h
        out.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{_esc(_label(label))}</text>'
        )
        x = float(label_w)
        total = 0.0
        for value, colour, series in parts:
            w = bar_w * value / largest
            if value > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{max(w, 1):.1f}" height="{row_h - 6}" fill="{colour}">'
                    f"<title>{_esc(label)}: {_esc(fmt(value))} {_esc(series)}</title></rect>"
                )
            x += w
            total += value
        values = [v for v, _, _ in parts]
        shown = " + ".join(fmt(v) for v in values) if len(values) > 1 and all(values) else fmt(total)
        out.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{_esc(shown)}</text>')
    out.append("</svg></figure>")
    return "".join(out)


def _histogram_chart(histogram: Mapping, threshold: object) -> str:
    applied = list(histogram.get("applied", []))
    suggested = list(histogram.get("suggested", []))
    bins = len(applied)
    caption = "Confidence of edits (applied and suggested), bins of 0.1"
    if not bins or not (sum(applied) + sum(suggested)):
        return f'<figure id="chart-confidence"><figcaption>{caption}</figcaption><p class="empty">No edits.</p></figure>'
    left, bottom, top, bar_w, plot_h = 44, 34, 22, 48, 180
    width, height = left + bar_w * bins + 20, top + plot_h + bottom
    largest = max(a + s for a, s in zip(applied, suggested)) or 1
    out = [
        f'<figure id="chart-confidence"><figcaption>{caption}</figcaption>'
        f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{caption}</title>'
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + bar_w * bins}" y2="{top + plot_h}" stroke="#718096"/>'
    ]
    for i, (a, s) in enumerate(zip(applied, suggested)):
        x = left + i * bar_w
        y = top + plot_h
        for value, series in ((a, "applied"), (s, "suggested")):
            h = plot_h * value / largest
            if value:
                y -= h
                out.append(
                    f'<rect x="{x + 4}" y="{y:.1f}" width="{bar_w - 8}" height="{max(h, 1):.1f}" '
                    f'fill="{_SERIES[series]}">'
                    f"<title>{i / bins:.1f}–{(i + 1) / bins:.1f}: {_int(value)} {series}</title></rect>"
                )
        if a + s:
            out.append(f'<text x="{x + bar_w / 2:.0f}" y="{y - 4:.1f}" text-anchor="middle">{_int(a + s)}</text>')
        out.append(f'<text x="{x}" y="{top + plot_h + 16}" text-anchor="middle">{i / bins:.1f}</text>')
    out.append(f'<text x="{left + bins * bar_w}" y="{top + plot_h + 16}" text-anchor="middle">1.0</text>')
    if _is_number(threshold) and 0 <= threshold <= 1:
        tx = left + bar_w * bins * threshold
        # Near the right edge the label goes left of the line, to stay inside the chart.
        anchor, lx = ("end", tx - 4) if threshold > 0.7 else ("start", tx + 4)
        out.append(
            f'<line x1="{tx:.1f}" y1="{top - 8}" x2="{tx:.1f}" y2="{top + plot_h}" stroke="#c53030" '
            f'stroke-dasharray="4 3"/><text x="{lx:.1f}" y="{top - 10}" text-anchor="{anchor}" '
            f'fill="#c53030">min_confidence {threshold}</text>'
        )
    out.append(
        f'</svg><p class="key"><span style="background:{_SERIES["applied"]}"></span>applied'
        f'<span style="background:{_SERIES["suggested"]}"></span>suggested, not applied</p></figure>'
    )
    return "".join(out)


_SUMMARY_CSS = """
:root{color-scheme:light}
body{font:14px/1.5 system-ui,'DejaVu Sans',sans-serif;color:#1a202c;background:#fbfaf7;margin:0;padding:1.5rem}
main{max-width:72rem;margin:0 auto}
h1{font-size:1.5rem;margin:.2rem 0}
h2{font-size:1.1rem;margin:1.8rem 0 .6rem;border-bottom:1px solid #e2e8f0;padding-bottom:.2rem}
.meta{color:#4a5568}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0;padding:0}
.cards div{background:#fff;border:1px solid #e2e8f0;border-radius:6px;padding:.5rem .9rem;min-width:8rem}
.cards dt{color:#4a5568;font-size:12px}
.cards dd{margin:0;font-size:1.25rem;font-weight:600}
figure{margin:0 0 1.2rem;background:#fff;border:1px solid #e2e8f0;border-radius:6px;padding:.6rem .8rem;display:inline-block;vertical-align:top}
figcaption{font-weight:600;margin-bottom:.3rem}
svg.chart text{font:12px system-ui,'DejaVu Sans',sans-serif;fill:#2d3748}
.key span{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin:0 .3rem 0 .8rem;vertical-align:middle}
table{border-collapse:collapse;background:#fff;border:1px solid #e2e8f0}
th,td{padding:.25rem .6rem;border-bottom:1px solid #edf2f7;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}
code{font-family:'DejaVu Sans Mono',monospace;font-size:.92em}
.empty{color:#718096}
"""


def _link(entry: Mapping) -> str:
    # Percent-encoding keeps the link a relative path whatever the file name holds (a ':'
    # cannot turn it into a scheme, a '#' or '?' cannot cut it short).
    return html.escape(quote(str(entry["report"]), safe="/"), quote=True)


def _ranking_table(table_id: str, entries: Sequence[Mapping]) -> str:
    if not entries:
        return f'<p id="{table_id}" class="empty">No documents.</p>'
    def where(e: Mapping) -> str:
        if "path" not in e or str(e["path"]) == str(e["id"]):
            return ""
        line = f", line {e['line']}" if "line" in e else ""
        return f'<br><span class="empty">{_esc(str(e["path"]))}{_esc(line)}</span>'

    rows = "".join(
        f'<tr><td class="n">{n}</td><td><a href="{_link(e)}">{_esc(str(e["id"]))}</a>{where(e)}</td>'
        f'<td class="n">{100 * e["changed_ratio"]:.2f} %</td><td class="n">{_int(e["changed_chars"])}</td>'
        f'<td class="n">{_int(e["edits"])}</td><td class="n">{_int(e["suggestions"])}</td>'
        f'<td class="n">{e["unsure"]:.2f}</td><td class="n">{_int(e["chars_in"])}</td></tr>'
        for n, e in enumerate(entries, 1)
    )
    return (
        f'<table id="{table_id}"><thead><tr><th class="n">#</th><th>document</th><th class="n">changed</th>'
        '<th class="n">changed chars</th><th class="n">edits</th><th class="n">suggestions</th>'
        f'<th class="n">unsure</th><th class="n">chars</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:,.1f} s"


def summary_html(summary: Mapping) -> str:
    """A self-contained page for a :func:`build_summary` result: totals, SVG charts (edits
    per rule, joiner glyph runs, confidence histogram, time per stage), the rankings linked
    to each document's page, skipped files, decodings and the configuration."""
    totals = summary["totals"]
    timings = summary.get("timings", {})
    config = summary.get("config", {})
    per_rule = summary.get("edits_per_rule", {})
    sugg_rule = summary.get("suggestions_per_rule", {})

    cards = [
        ("Documents", _int(totals["documents"])),
        ("Changed documents", _int(totals["changed_documents"])),
        ("Skipped", _int(totals["skipped"])),
        ("Characters in", _int(totals["chars_in"])),
        ("Characters out", _int(totals["chars_out"])),
        ("Edits applied", _int(totals["edits"])),
        ("Suggestions", _int(totals["suggestions"])),
        ("Total time", _seconds(timings.get("total_seconds", 0.0))),
    ]
    if timings.get("mb_per_second") is not None:
        cards.append(("Throughput", f"{timings['mb_per_second']:.2f} MB/s"))
    cards_html = "".join(f"<div><dt>{_esc(k)}</dt><dd>{_esc(v)}</dd></div>" for k, v in cards)

    rule_names = sorted(set(per_rule) | set(sugg_rule), key=lambda r: (-per_rule.get(r, 0) - sugg_rule.get(r, 0), r))
    rule_rows = [
        (r, [(per_rule.get(r, 0), _rule_colours(r)[1], "applied"),
             (sugg_rule.get(r, 0), _rule_colours(r)[0], "suggested")])
        for r in rule_names
    ]
    glyph_items = list(summary.get("joiner_glyphs", {}).items())
    # Glyph runs are what the joiners replaced, whitespace included: show them visibly.
    glyph_rows = [(visible(g), [(n, _RULE_COLOURS["joiner"][1], "edits")]) for g, n in glyph_items[:25]]
    if len(glyph_items) > 25:
        rest = glyph_items[25:]
        glyph_rows.append((f"{len(rest)} other runs", [(sum(n for _, n in rest), "#a0aec0", "edits")]))
    learned_rows = [
        (visible(g), [(v["documents"], "#805ad5", "documents")])
        for g, v in list(summary.get("learned_glyphs", {}).items())[:25]
    ]
    stage_rows = [(name, [(sec, "#4a5568", "")]) for name, sec in timings.get("stages", {}).items()]

    charts = (
        _hbar_chart("chart-rules", "Edits per rule: applied (dark) + suggested (light)", rule_rows)
        + " "
        + _hbar_chart("chart-glyphs", "Joiner edits per glyph run (what was replaced)", glyph_rows)
        + " "
        + _histogram_chart(summary.get("confidence_histogram", {}), config.get("min_confidence"))
        + " "
        + _hbar_chart("chart-learned", "Documents that learned each joiner glyph", learned_rows)
        + " "
        + _hbar_chart("chart-timings", "Seconds per stage", stage_rows, fmt=lambda v: f"{v:.3f}")
    )

    skipped = summary.get("skipped", [])
    skipped_html = (
        '<table id="skipped"><thead><tr><th>file</th><th>reason</th></tr></thead><tbody>'
        + "".join(f"<tr><td><code>{_esc(s['path'])}</code></td><td>{_esc(s['reason'])}</td></tr>" for s in skipped)
        + "</tbody></table>"
        if skipped
        else '<p id="skipped" class="empty">None: every file was read.</p>'
    )
    decodings = summary.get("decodings", {})
    decodings_html = (
        "<h2>Decodings</h2><table><thead><tr><th>decoding</th><th class=\"n\">documents</th></tr></thead><tbody>"
        + "".join(f'<tr><td><code>{_esc(k)}</code></td><td class="n">{_int(v)}</td></tr>' for k, v in decodings.items())
        + "</tbody></table>"
        if decodings
        else ""
    )
    timing_rows = "".join(
        f'<tr><td>{_esc(name)}</td><td class="n">{_seconds(sec)}</td></tr>'
        for name, sec in timings.get("stages", {}).items()
    )
    speed = []
    if timings.get("mb_per_second") is not None:
        speed.append(f"{timings['mb_per_second']:.2f} MB/s")
    if timings.get("chars_per_second") is not None:
        speed.append(f"{_int(timings['chars_per_second'])} characters/s")
    timings_html = (
        f'<table id="timings"><tbody>{timing_rows}<tr><th>total</th><th class="n">'
        f'{_seconds(timings.get("total_seconds", 0.0))}</th></tr></tbody></table>'
        + (f'<p class="meta">{_esc(" · ".join(speed))}</p>' if speed else "")
    )
    config_rows = "".join(
        f"<tr><td><code>{_esc(str(k))}</code></td>"
        f"<td><code>{_esc(json.dumps(v, ensure_ascii=False, default=str))}</code></td></tr>"
        for k, v in config.items()
    )
    top = summary.get("ranking_size", RANKING_SIZE)

    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>ocr-repair summary</title><style>{_SUMMARY_CSS}</style></head>\n<body><main>"
        f'<h1>ocr-repair summary</h1><p class="meta">version {_esc(str(summary.get("version", "")))} · '
        f"{_int(totals['documents'])} documents · {_int(totals['edits'])} edits · "
        f"{_int(totals['suggestions'])} suggestions</p>"
        f'<dl class="cards" id="totals">{cards_html}</dl>\n'
        f'<h2>What changed</h2><div id="charts">{charts}</div>\n'
        f'<h2>Most changed documents</h2><p class="meta">By share of characters changed; at most {top}.</p>'
        f"{_ranking_table('most-changed', summary.get('most_changed', []))}\n"
        '<h2>Least sure documents</h2><p class="meta">By unsure score: the sum of (1 − confidence) over '
        f"applied edits plus one per suggestion left for review; at most {top}.</p>"
        f"{_ranking_table('most-unsure', summary.get('most_unsure', []))}\n"
        f"<h2>Skipped files ({_int(len(skipped))})</h2>{skipped_html}\n"
        f"{decodings_html}"
        f"<h2>Timings</h2>{timings_html}\n"
        f'<h2>Configuration</h2><table id="config"><tbody>{config_rows}</tbody></table>\n'
        "</main></body></html>\n"
    )
