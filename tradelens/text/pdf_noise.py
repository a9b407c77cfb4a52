"""Watermarks and stamps removed from a PDF page by geometry, never by word lists.

A diagonal "DRAFT" or "CONFIDENTIAL" watermark is text like any other in the PDF: pdfminer
calls a character rotated by 45 degrees 'upright' and pdfplumber reads its letters into the
lines they cross, so a provision gains stray capitals and can lose its wording. A stamp
("RECEIVED", a registry number) is large type printed over the body text. Neither can be
told by its words (a treaty may well say "draft" or "confidential"), but both by where and
how they are printed:

- orientation: each character's text matrix gives its baseline angle; characters whose
  angle differs from the page's dominant direction (the angle most characters share) by
  more than `MAX_ANGLE_DEGREES` are dropped. An OCR line that follows a scan's slight
  tilt (a fraction of a degree) stays.
- stamps: runs of type at least `STAMP_SIZE_RATIO` times the page's body size whose box
  overlaps body characters are dropped. A heading is large too, but it has a line of its
  own; type printed over the text is not part of it.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from tradelens.text.headings import heading_number, is_heading_word, successive_divisions

MAX_ANGLE_DEGREES = 5.0
STAMP_SIZE_RATIO = 1.8

Char = dict[str, Any]


def char_angle(char: Char) -> float:
    """The baseline's angle in degrees (0 for normal text, 90 for text running upwards)."""
    matrix = char.get("matrix")
    if not matrix:
        return 0.0
    a, b = float(matrix[0]), float(matrix[1])
    return math.degrees(math.atan2(b, a))


def _difference(first: float, second: float) -> float:
    gap = abs(first - second) % 360
    return min(gap, 360 - gap)


def dominant_angle(chars: list[Char]) -> float:
    """The direction most of the page's characters are printed in, to the degree."""
    counts = Counter(round(char_angle(c)) for c in chars if str(c.get("text", "")).strip())
    return float(counts.most_common(1)[0][0]) if counts else 0.0


def noise_chars(chars: list[Char]) -> set[int]:
    """Indexes into `chars` of the watermark and stamp characters."""
    if not chars:
        return set()
    main = dominant_angle(chars)
    dropped = {i for i, c in enumerate(chars)
               if _difference(char_angle(c), main) > MAX_ANGLE_DEGREES}
    kept = [(i, c) for i, c in enumerate(chars) if i not in dropped and str(c["text"]).strip()]
    if not kept:
        return dropped
    sizes: Counter[float] = Counter(round(float(c["size"]), 1) for _, c in kept)
    body = sizes.most_common(1)[0][0]
    # Spaces count as part of a stamp's line (so none is left behind), not as body text.
    large = [(i, c) for i, c in enumerate(chars) if i not in dropped
             and float(c["size"]) >= STAMP_SIZE_RATIO * body]
    if not any(str(c["text"]).strip() for _, c in large):
        return dropped
    normal = [c for _, c in kept if float(c["size"]) < STAMP_SIZE_RATIO * body]
    for run in _runs(large):
        box = (min(c["x0"] for _, c in run), min(c["top"] for _, c in run),
               max(c["x1"] for _, c in run), max(c["bottom"] for _, c in run))
        if any(_overlap(box, c) for c in normal):
            dropped.update(i for i, _ in run)
    return dropped


def _runs(chars: list[tuple[int, Char]]) -> list[list[tuple[int, Char]]]:
    """Large characters grouped into lines: same size (within 10 %), same baseline."""
    runs: list[list[tuple[int, Char]]] = []
    for item in sorted(chars, key=lambda ic: (round(ic[1]["top"]), ic[1]["x0"])):
        _, char = item
        for run in runs:
            last = run[-1][1]
            if (abs(float(last["size"]) - float(char["size"])) <= 0.1 * float(last["size"])
                    and abs(last["top"] - char["top"]) <= 0.5 * float(last["size"])
                    and char["x0"] - last["x1"] <= 2 * float(last["size"])):
                run.append(item)
                break
        else:
            runs.append([item])
    return runs


def _overlap(box: tuple[float, float, float, float], char: Char) -> bool:
    """True if the body character's centre lies inside the box."""
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def without_noise(page):  # noqa: ANN001, ANN201 - a pdfplumber page in, a filtered page out
    """The page with its watermark and stamp characters filtered out."""
    chars = page.chars
    dropped = noise_chars(chars)
    if not dropped:
        return page
    drop = {_key(chars[i]) for i in dropped}
    return page.filter(lambda obj: obj.get("object_type") != "char" or _key(obj) not in drop)


def _key(char: Char) -> tuple:
    return (char["text"], round(float(char["x0"]), 3), round(float(char["top"]), 3),
            char.get("matrix"))


def repeated_words(pages: list[list[dict]]) -> list[list[dict]]:
    """Each page's words without those printed at the same place on most pages.

    A running head or foot placed by the publisher (a browser prints a `position: fixed`
    element on every page, sometimes over the body's last lines) repeats word for word at
    the same coordinates; agreement text flows and does not. Learnt from the document
    itself, so no list of header words is needed. A word must repeat on at least three
    pages and on most of them, so a short document keeps all its text; and a division
    heading whose number changes from page to page ("Article 1", "Article 2", ... each at
    the top of its page) is the text's structure, not a running head, so it stays.
    """
    if len(pages) < 3:
        return pages
    seen: Counter[tuple] = Counter()
    for words in pages:
        seen.update({_place(w) for w in words})
    threshold = max(3, int(0.6 * len(pages)) + 1)
    repeated = {place for place, count in seen.items() if count >= threshold}
    repeated -= _numbered_headings(pages, repeated)
    if not repeated:
        return pages
    return [_without(words, repeated) for words in pages]


def _numbered_headings(pages: list[list[dict]], repeated: set[tuple]) -> set[tuple]:
    """The repeated places whose line is, on every page, a division heading, and a
    different division on (nearly) every page. A running head names the current chapter
    over a run of pages ("Chapter 9 - page 3" on four pages, "Chapter 10" on the next), so
    its divisions are far fewer than its pages."""
    divisions: dict[tuple, list[str | None]] = {}
    for words in pages:
        rows = _rows(words)
        for word in words:
            place = _place(word)
            if place in repeated:
                division = heading_number(_line_of(word, rows)) \
                    if is_heading_word(word["text"]) else None
                divisions.setdefault(place, []).append(division)
    return {place for place, found in divisions.items() if successive_divisions(found)}


def _rows(words: list[dict]) -> dict[int, list[dict]]:
    """The page's words by printed row (top to the point), so a word's line is found
    without scanning the page again (a hostile PDF may repeat whole pages)."""
    rows: dict[int, list[dict]] = {}
    for word in words:
        rows.setdefault(round(float(word["top"])), []).append(word)
    return rows


def _near(word: dict, rows: dict[int, list[dict]]) -> list[dict]:
    """The words within a point of `word`'s row."""
    row = round(float(word["top"]))
    return [w for key in (row - 1, row, row + 1) for w in rows.get(key, ())
            if abs(w["top"] - word["top"]) <= 1]


def _line_of(word: dict, rows: dict[int, list[dict]]) -> str:
    """The text of the printed line `word` starts or sits in, from `word` rightwards."""
    same_row = sorted((w for w in _near(word, rows) if w["x0"] >= word["x0"]),
                      key=lambda w: w["x0"])
    return " ".join(w["text"] for w in same_row)


def _without(words: list[dict], repeated: set[tuple]) -> list[dict]:
    running = [w for w in words if _place(w) in repeated]
    if not running:
        return words
    running_rows = _rows(running)

    def numbered(word: dict) -> bool:  # a number set in a running line's type and row
        return word["text"].strip("-–—/.()").isdigit() and any(
            abs(word["size"] - r["size"]) <= 0.2 for r in _near(word, running_rows))

    return [w for w in words if _place(w) not in repeated and not numbered(w)]


def _place(word: dict) -> tuple:
    return (word["text"], round(float(word["x0"])), round(float(word["top"])))
