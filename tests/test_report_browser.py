"""The seed's report in a real browser: every edit is laid out, visible and highlighted.

Headless Chromium (Debian's ``chromium``) runs twice on the same page at the same window
size: once with ``--dump-dom`` on a copy carrying a small probe script, which records what
the browser computed (boxes, colours, the CSS-only toggle) into the DOM it dumps; once with
``--screenshot``, whose pixels are then checked where the probe says the highlights are.
No network, no WebDriver: the flags below keep Chromium from reaching out (without them it
hangs on closed connections), and a fresh profile per run keeps runs independent.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from pipeline import Config, clean_text
from pipeline.report import document_report_html

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_e96e1724211ec8aa.txt"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WIDTH, HEIGHT = 1200, 2000

if CHROMIUM is None:
    print("test_report_browser: skipped, no chromium on PATH (apt-get install chromium)")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium); CI installs it in .ci/run"
)

FLAGS = [
    "--headless",
    "--no-sandbox",  # needed as root, harmless otherwise
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    f"--window-size={WIDTH},{HEIGHT}",
]

# Runs after the page is parsed and laid out; reading boxes forces layout.
PROBE = """<script>(function () {
  var out = {innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth};
  var text = document.getElementById('text');
  out.textTop = text.getBoundingClientRect().top;
  out.whiteSpace = getComputedStyle(text).whiteSpace;
  out.bodyColor = getComputedStyle(document.body).color;
  function box(el) { var r = el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }
  out.edits = Array.prototype.map.call(document.querySelectorAll('#text .edit'), function (el) {
    var ins = el.querySelector('ins'), del = el.querySelector('del'), s = getComputedStyle(el);
    return {
      id: el.id, rule: el.dataset.rule, box: box(el), display: s.display, visibility: s.visibility,
      opacity: s.opacity, title: el.title,
      ins: ins ? {box: box(ins), bg: getComputedStyle(ins).backgroundColor, color: getComputedStyle(ins).color,
                  visibility: getComputedStyle(ins).visibility} : null,
      del: del ? {box: box(del), bg: getComputedStyle(del).backgroundColor, color: getComputedStyle(del).color,
                  line: getComputedStyle(del).textDecorationLine, ws: del.classList.contains('ws')} : null
    };
  });
  out.suggestions = document.querySelectorAll('#suggestions li.suggestion').length;
  out.markers = Array.prototype.map.call(document.querySelectorAll('#text a.sugg'), box);
  var toggle = document.getElementById('show-removed'), dels = document.querySelectorAll('#text del');
  function hidden(d) { return getComputedStyle(d).display === 'none'; }
  toggle.checked = false;
  out.delsHiddenWhenOff = Array.prototype.every.call(dels, hidden);
  toggle.checked = true;
  out.delsShownWhenOn = !Array.prototype.some.call(dels, hidden);
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();</script>"""


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    # Chromium writes caches and settings under HOME/XDG dirs: keep them in the test's folder.
    xdg = str(tmp_path / "xdg")
    env = dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=xdg, XDG_CACHE_HOME=xdg)
    try:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=45,
            env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"chromium did not finish within 45 s: {' '.join(args)}")


def probe(tmp_path: Path, page: str, name: str) -> dict:
    path = tmp_path / f"{name}.probe.html"
    path.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    done = run_chromium(tmp_path, "--dump-dom", path.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, f"no probe output from chromium (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))


def read_png(path: Path) -> tuple[int, int, int, list[bytearray]]:
    """Width, height, bytes per pixel and rows of an 8-bit RGB/RGBA PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if kind == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:  # Up
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif kind == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def rgb(css: str) -> tuple[int, int, int]:
    numbers = re.findall(r"[\d.]+", css)
    return tuple(round(float(n)) for n in numbers[:3])


def transparent(css: str) -> bool:
    numbers = re.findall(r"[\d.]+", css)
    return css == "transparent" or (len(numbers) == 4 and float(numbers[3]) == 0)


def share_of_colour(png, box, colour, tolerance=6) -> float:
    """Share of the pixels inside ``box`` (left, top, width, height) close to ``colour``."""
    width, height, bpp, rows = png
    left, top, w, h = box
    x0, x1 = max(0, int(left) + 1), min(width, int(left + w) - 1)
    y0, y1 = max(0, int(top) + 1), min(height, int(top + h) - 1)
    total = hits = 0
    for y in range(y0, y1):
        row = rows[y]
        for x in range(x0, x1):
            px = row[x * bpp : x * bpp + 3]
            total += 1
            hits += all(abs(px[i] - colour[i]) <= tolerance for i in range(3))
    return hits / total if total else 0.0


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory):
    cleaned = clean_text(SEED.read_text(encoding="utf-8"))
    page = document_report_html("000_e96e1724211ec8aa", cleaned.original, cleaned.edits, cleaned.suggestions)
    tmp = tmp_path_factory.mktemp("browser")
    path = tmp / "report.html"
    path.write_text(page, encoding="utf-8")
    return cleaned, page, path, tmp


@pytest.fixture(scope="module")
def seed_probe(seed_page):
    _, page, _, tmp = seed_page
    return probe(tmp, page, "seed")


@pytest.fixture(scope="module")
def seed_screenshot(seed_page):
    _, _, path, tmp = seed_page
    shot = tmp / "report.png"
    done = run_chromium(tmp, f"--screenshot={shot}", path.as_uri())
    assert shot.exists(), f"no screenshot (exit {done.returncode}): {done.stderr[-2000:]}"
    return read_png(shot)


def test_every_edit_is_laid_out_and_visible(seed_page, seed_probe):
    cleaned = seed_page[0]
    edits = seed_probe["edits"]
    assert len(edits) == len(cleaned.edits)
    assert seed_probe["whiteSpace"] == "pre-wrap"
    assert seed_probe["scrollWidth"] <= seed_probe["innerWidth"], "the page scrolls sideways"
    for e in edits:
        left, top, width, height = e["box"]
        assert width > 0 and height > 0, e
        assert e["display"] != "none" and e["visibility"] == "visible" and float(e["opacity"]) == 1, e
        assert 0 <= left and left + width <= seed_probe["innerWidth"], e
        assert e["rule"] in e["title"]


def test_inserted_and_removed_text_is_highlighted(seed_probe):
    body = rgb(seed_probe["bodyColor"])
    backgrounds: dict[str, set] = {}
    for e in seed_probe["edits"]:
        if e["ins"]:
            assert not transparent(e["ins"]["bg"]), e
            assert e["ins"]["box"][2] > 0 and e["ins"]["box"][3] > 0 and e["ins"]["visibility"] == "visible", e
            backgrounds.setdefault(e["rule"], set()).add(e["ins"]["bg"])
        if e["del"]:
            assert not transparent(e["del"]["bg"]), e
            assert rgb(e["del"]["color"]) != body, e
            assert e["del"]["box"][2] > 0, e
            if not e["del"]["ws"]:
                assert "line-through" in e["del"]["line"], e
    # one colour per rule, and different rules told apart
    assert all(len(colours) == 1 for colours in backgrounds.values())
    assert backgrounds["joiner"] != backgrounds["reflow"]


def test_removed_text_can_be_hidden_without_javascript(seed_probe):
    assert seed_probe["delsHiddenWhenOff"] and seed_probe["delsShownWhenOn"]


def test_screenshot_shows_the_highlights(seed_probe, seed_screenshot):
    width, height, _, _ = seed_screenshot
    assert (width, height) == (WIDTH, HEIGHT) == (seed_probe["innerWidth"], HEIGHT)
    on_screen = [e for e in seed_probe["edits"] if e["ins"] and e["ins"]["box"][1] + e["ins"]["box"][3] < height]
    assert len(on_screen) >= 20, "the text should start within the first screen"
    highlighted = [
        e for e in on_screen if share_of_colour(seed_screenshot, e["ins"]["box"], rgb(e["ins"]["bg"])) >= 0.3
    ]
    assert len(highlighted) >= 0.9 * len(on_screen), (len(highlighted), len(on_screen))
    # and the page is not blank: the text area holds dark (text) pixels
    text_area = (60, seed_probe["textTop"] + 10, WIDTH - 120, 300)
    assert share_of_colour(seed_screenshot, text_area, (255, 255, 255), tolerance=0) < 0.97


def test_suggestions_are_visible(tmp_path):
    cleaned = clean_text(SEED.read_text(encoding="utf-8"), Config(min_confidence=0.9))
    assert cleaned.suggestions
    page = document_report_html("seed", cleaned.original, cleaned.edits, cleaned.suggestions)
    found = probe(tmp_path, page, "strict")
    assert found["suggestions"] == len(cleaned.suggestions)
    assert len(found["markers"]) == len(cleaned.suggestions)
    assert all(w > 0 and h > 0 for _, _, w, h in found["markers"])
    assert len(found["edits"]) == len(cleaned.edits)
