"""Reading order for one PDF page: columns, superscript footnote markers, the footnote zone.

pdfplumber gives positioned words; treaty PDFs set body text in one or two columns, put
footnote markers in raised small type and the footnotes themselves in small type at the
foot of the page. Reading a page top to bottom across both columns, or leaving footnotes
inline, splits sentences and glues unrelated text into clauses. This module works on plain
word dicts (text, x0, x1, top, bottom, size) so it can be tested without a PDF.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

Word = dict

_SMALL = 0.85          # words below this share of the body size are small type
_ROW_TOLERANCE = 2.0   # points of 'top' within which words sit on the same line
_GUTTER_MIN = 8.0      # points: a gap this wide between words may be a column gutter
_MAX_SPANNING = 0.2    # share of a two-column page's lines that may run across the gutter
_MARKER = re.compile(r"^(?:\d{1,3}|[*†‡§])(?:[,;]\s*(?:\d{1,3}|[*†‡§]))*$|^\d{2,9}$")
_FOOTNOTE_START = re.compile(r"^(\d{1,3}|[*†‡§])(?:[.)]?)$")
PAGE_NUMBER = re.compile(
    r"^\s*(?:page|página|pagina)?\s*[-–—]?\s*\d{1,4}\s*(?:(?:of|de|sur|/)\s*\d{1,4})?\s*[-–—]?\s*$",
    re.I,
)


@dataclass
class PageLine:
    text: str
    top: float
    #: 0 full width, 1 left column, 2 right column
    column: int = 0
    markers: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    #: Small type between body lines that is no marker and no footnote (a block of
    #: endnotes set small, say): kept in reading order for the endnote reader, then dropped.
    small: bool = False


@dataclass
class PageLayout:
    lines: list[PageLine]
    #: marker -> footnote text, for the footnotes printed at the foot of this page.
    footnotes: dict[str, str]
    #: Running headers and footers told apart by their small type; not agreement text.
    margin: list[PageLine]
    columns: int
    #: The x between the columns of a two-column page.
    gutter: float | None = None


def body_font_size(words: list[Word]) -> float:
    """The size most characters are set in: the document's body text."""
    weights: Counter[float] = Counter()
    for word in words:
        weights[round(float(word["size"]), 1)] += len(word["text"])
    return weights.most_common(1)[0][0] if weights else 10.0


def layout_page(words: list[Word], width: float, body_size: float,
                gutter_hint: float | None = None) -> PageLayout:
    """Order a page's words into lines, lift markers and footnotes out of the text.

    `gutter_hint` is the gutter of the document's other two-column pages: a page with too
    few words to show its own (the short last page of a side-by-side bilingual print)
    takes it when its lines do stand apart there."""
    body = [w for w in words if w["size"] >= _SMALL * body_size]
    small = [w for w in words if w["size"] < _SMALL * body_size]
    gutter = _find_gutter(body, width)
    if gutter is None:
        gutter = _gutter_under_titles(body, width)
    if gutter is None and gutter_hint is not None and _apart_at(body, gutter_hint):
        gutter = gutter_hint
    rows = _rows(body)
    markers, small_text = _split_markers(small, rows, body_size)
    loose = []
    for word in small_text:
        if _inside_rows(word, rows, body_size):
            _nearest_row(word, rows).append(word)
        else:
            loose.append(word)
    body_bottom = max((w["bottom"] for w in body), default=0.0)
    body_top = min((w["top"] for w in body), default=0.0)
    # Neither running header (wholly above the body) nor foot of the page (below it).
    between = [{**w, "loose": True} for w in loose
               if w["bottom"] >= body_top and w["top"] <= body_bottom]
    foot_words = [w for w in small_text if w["top"] > body_bottom]
    head_words = [w for w in small_text if w["bottom"] < body_top]
    # Small type above all body text is a running header; below it, footnotes or a footer.
    margin = [PageLine(_join(row), row[0]["top"]) for row in _rows(head_words)]
    lines = _ordered_lines(sorted(rows + _rows(between), key=lambda row: row[0]["top"]), gutter)
    _attach_markers([line for line in lines if not line.small], markers, gutter)
    # The foot of the page is read full width: footnotes and footers span both columns.
    foot_lines, footnotes = _footnote_zone(
        _ordered_lines(_rows(foot_words, 0.45 * body_size), None), body_size)
    return PageLayout(lines=lines, footnotes=footnotes, margin=margin + foot_lines,
                      columns=2 if gutter is not None else 1, gutter=gutter)


def _find_gutter(words: list[Word], width: float) -> float | None:
    """An x in the middle of the page that (almost) no body word crosses, with text both sides."""
    if len(words) < 40:
        return None
    cover = [0] * (int(width) + 2)
    for word in words:
        for x in range(max(0, int(word["x0"])), min(len(cover), int(word["x1"]) + 1)):
            cover[x] += 1
    low, high = int(width * 0.35), int(width * 0.65)
    best = min(range(low, high + 1), key=lambda x: (cover[x], abs(x - width / 2)))
    left = sum(1 for w in words if w["x1"] <= best)
    right = sum(1 for w in words if w["x0"] >= best)
    # A short last column (the end of a chapter) still makes a two-column page.
    if cover[best] <= max(2, 0.04 * len(words)) and min(left, right) >= max(15, 0.05 * len(words)):
        # Centre the gutter in the empty strip around `best`.
        lo, hi = best, best
        while lo > 0 and cover[lo - 1] == cover[best]:
            lo -= 1
        while hi < len(cover) - 1 and cover[hi + 1] == cover[best]:
            hi += 1
        if hi - lo >= 6:
            return (lo + hi) / 2
    return None


def _gutter_under_titles(words: list[Word], width: float) -> float | None:
    """The gutter of a two-column page that a title printed across both columns hides.

    A chapter title set across the page (CSS `column-span: all`) puts words over the gutter,
    so no x is clear from top to bottom. Counted by line instead of by word, the gutter is
    still the x that (almost) no line crosses: only the few title lines do. Those lines
    are set aside and the gutter is looked for in the lines left. A one-column page has
    no such x: most of its lines cross every x in the middle of the page.
    """
    rows = _rows(words)
    if len(rows) < 8:
        return None
    crossed = [0] * (int(width) + 2)
    for row in rows:
        for x0, x1 in _spans(row):
            for x in range(max(0, int(x0)), min(len(crossed), int(x1) + 1)):
                crossed[x] += 1
    low, high = int(width * 0.35), int(width * 0.65)
    best = min(range(low, high + 1), key=lambda x: (crossed[x], abs(x - width / 2)))
    if crossed[best] == 0 or crossed[best] > _MAX_SPANNING * len(rows):
        return None
    columns = [w for row in rows if not _crosses(row, best) for w in row]
    return _find_gutter(columns, width)


def _apart_at(words: list[Word], x: float) -> bool:
    """Whether a page's lines stand apart at x: some line has text on both sides of it
    with a gutter between, and (almost) none runs across it, as in a one-column page."""
    rows = _rows(words)
    crossing = sum(1 for row in rows if _crosses(row, x))
    both = sum(1 for row in rows if not _crosses(row, x)
               and any(w["x1"] <= x for w in row) and any(w["x0"] >= x for w in row))
    return both >= 1 and crossing <= _MAX_SPANNING * len(rows)


def _spans(row: list[Word]) -> list[tuple[float, float]]:
    """A line's stretches of type: words joined across gaps narrower than a gutter."""
    spans: list[tuple[float, float]] = []
    for word in sorted(row, key=lambda w: w["x0"]):
        if spans and word["x0"] - spans[-1][1] < _GUTTER_MIN:
            spans[-1] = (spans[-1][0], max(spans[-1][1], word["x1"]))
        else:
            spans.append((word["x0"], word["x1"]))
    return spans


def _crosses(row: list[Word], x: float) -> bool:
    """True if the line runs across x: a word over it, or only a word space around it."""
    return any(x0 < x < x1 for x0, x1 in _spans(row))


def _rows(words: list[Word], tolerance: float = _ROW_TOLERANCE) -> list[list[Word]]:
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= tolerance:
            rows[-1].append(word)
        else:
            rows.append([word])
    return rows


def _split_markers(small: list[Word], rows: list[list[Word]],
                   body_size: float) -> tuple[list[Word], list[Word]]:
    """Small digits raised within a body line are footnote markers; the rest is small text."""
    markers, rest = [], []
    for word in small:
        if _MARKER.match(word["text"]) and _inside_rows(word, rows, body_size):
            markers.append(word)
        else:
            rest.append(word)
    return markers, rest


def _inside_rows(word: Word, rows: list[list[Word]], body_size: float) -> bool:
    return any(row[0]["top"] - 0.6 * body_size <= word["top"] <= row[0]["bottom"]
               and _overlaps_row(word, row) for row in rows)


def _overlaps_row(word: Word, row: list[Word]) -> bool:
    return min(w["x0"] for w in row) - 30 <= word["x0"] <= max(w["x1"] for w in row) + 30


def _nearest_row(word: Word, rows: list[list[Word]]) -> list[Word]:
    return min(rows, key=lambda row: abs(row[0]["top"] - word["top"]))


def _ordered_lines(rows: list[list[Word]], gutter: float | None) -> list[PageLine]:
    """Rows in reading order: in two-column bands, the left column before the right one.

    A row that crosses the gutter (a centred chapter title, say) closes the band above it.
    """
    if gutter is None:
        return [PageLine(_join(row), row[0]["top"], small=_loose(row)) for row in rows]
    lines: list[PageLine] = []
    left: list[PageLine] = []
    right: list[PageLine] = []
    for row in rows:
        if _crosses(row, gutter):
            lines += left + right
            left, right = [], []
            lines.append(PageLine(_join(row), row[0]["top"], small=_loose(row)))
            continue
        west = [w for w in row if w["x1"] <= gutter]
        east = [w for w in row if w["x0"] >= gutter]
        if west:
            left.append(PageLine(_join(west), west[0]["top"], column=1, small=_loose(west)))
        if east:
            right.append(PageLine(_join(east), east[0]["top"], column=2, small=_loose(east)))
    return lines + left + right


def _loose(words: list[Word]) -> bool:
    return all(w.get("loose") for w in words)


def _join(words: list[Word]) -> str:
    return " ".join(w["text"] for w in sorted(words, key=lambda w: w["x0"]))


def _attach_markers(lines: list[PageLine], markers: list[Word], gutter: float | None) -> None:
    """Give each marker to the line it is raised above (same column, nearest top)."""
    for marker in markers:
        column = 0 if gutter is None else (1 if marker["x0"] < gutter else 2)
        candidates = [line for line in lines
                      if line.top >= marker["top"] - 1 and line.column in (0, column)]
        if candidates:
            target = min(candidates, key=lambda line: line.top - marker["top"])
            target.markers.append(marker["text"])


def split_markers(marker: str, known: dict[str, str]) -> list[str]:
    """'2,3' or '123' printed for adjacent markers becomes ['2', '3'] / ['1', '2', '3'].

    Glued digits are split only into a run of consecutive footnotes that all exist.
    """
    parts = [p for p in re.split(r"[,;\s]+", marker) if p]
    if len(parts) > 1:
        return [m for part in parts for m in split_markers(part, known)]
    if marker in known or not marker.isdigit():
        return [marker]
    for cut in range(1, len(marker)):
        head = marker[:cut]
        run, expected, rest = [head], int(head) + 1, marker[cut:]
        while rest and rest.startswith(str(expected)):
            run.append(str(expected))
            rest, expected = rest[len(str(expected)):], expected + 1
        if not rest and len(run) > 1 and all(m in known for m in run):
            return run
    return [marker]


def _footnote_zone(lines: list[PageLine], body_size: float) -> tuple[list[PageLine],
                                                                      dict[str, str]]:
    """Split the foot of the page into footnotes ('7 For greater certainty ...') and the rest.

    Lines before the first footnote and lines far below the last one (a footer) stay lines.
    """
    footnotes: dict[str, str] = {}
    other: list[PageLine] = []
    current: str | None = None
    last_top = 0.0
    for line in lines:
        first, _, rest = line.text.partition(" ")
        start = _FOOTNOTE_START.match(first)
        if PAGE_NUMBER.match(line.text):
            other.append(line)
            continue
        if start and rest:
            current = start.group(1)
            footnotes[current] = rest.strip()
        elif current is not None and line.top - last_top <= 2.2 * body_size:
            footnotes[current] += " " + line.text
        else:
            other.append(line)
            continue
        last_top = line.top
    return other, footnotes
