"""Agreements of our own words printed to PDF by headless Chromium, the way a publisher
sets a treaty: two columns, titles across both columns, a running head, a diagonal mark.

reportlab (tests/pdf_maker.py) fills fixed frames; a browser flows text through CSS
columns, breaks pages where the text runs out and prints a `column-span: all` title
across the gutter, which is the layout that hides a page's columns from a reader.
"""

from __future__ import annotations

import html
import random
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

_SUBJECTS = ["Each Party", "The Parties", "A Party", "The competent authority of each Party",
             "The Joint Committee", "Neither Party"]
_VERBS = ["shall endeavour to promote", "shall maintain", "may adopt", "shall ensure",
          "shall not require", "recognises the importance of", "shall cooperate on",
          "shall publish", "may review"]
_OBJECTS = ["measures on the protection of consumers who trade online",
            "a framework for the electronic authentication of documents",
            "the transparency of rules on customs procedures",
            "the exchange of information on sanitary measures",
            "conditions for the licensing of service suppliers",
            "the use of paperless trading systems", "procedures for the review of decisions",
            "regulatory cooperation between its agencies",
            "access to the texts of its laws and regulations",
            "the treatment of small and medium-sized enterprises"]
_QUALIFIERS = ["in accordance with its laws and regulations", "to the extent practicable",
               "within a reasonable period of time", "on a non-discriminatory basis",
               "subject to its available resources", "in a timely manner",
               "consistent with its international obligations", "where appropriate"]


@dataclass
class Article:
    number: str
    title: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Division:
    """A chapter, Part or annex: its heading as printed and its articles."""
    heading: str
    articles: list[Article] = field(default_factory=list)
    #: Printed before the heading, on its own (a protocol's own title, say).
    preamble: str = ""


def sentence(rng: random.Random, tag: str) -> str:
    """A drafting sentence of our own; `tag` makes every paragraph's text unique."""
    return (f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
            f"{rng.choice(_QUALIFIERS)} (provision {tag}).")


def make_division(heading: str, numbers: list[str], seed: int, paragraphs: int = 3,
                  sentences: int = 3, preamble: str = "") -> Division:
    rng = random.Random(seed)
    division = Division(heading, preamble=preamble)
    for number in numbers:
        titles = ["Definitions", "Scope", "Cooperation", "Transparency", "Review",
                  "Contact Points", "Consultations", "Final Provisions"]
        article = Article(number, rng.choice(titles))
        for p in range(1, paragraphs + 1):
            text = " ".join(sentence(rng, f"{seed}-{number}-{p}-{s}")
                            for s in range(sentences))
            article.paragraphs.append(f"{p}. {text}")
        division.articles.append(article)
    return division


#: How a publisher prints a treaty (two columns, running head, diagonal watermark); the
#: printed-ToTA bench uses the same style.
PRINT_CSS = """
@page { size: A4; margin: 22mm 16mm 18mm 16mm; }
body { font-family: "DejaVu Serif", "Liberation Serif", serif; font-size: 9.5pt;
       line-height: 1.3; margin: 0; }
.head { position: fixed; top: -13mm; left: 0; right: 0; text-align: center;
        font-size: 7pt; font-style: italic; }
.mark { position: fixed; top: 110mm; left: 10mm; font-size: 54pt; font-weight: bold;
        color: rgba(0, 0, 0, 0.12); transform: rotate(-40deg); white-space: nowrap; }
.cols { column-count: COLUMNS; column-gap: 9mm; text-align: justify; }
h1 { font-size: 13pt; text-align: center; margin: 0 0 10pt; }
h2 { column-span: all; font-size: 11pt; text-align: center; margin: 10pt 0 6pt; }
h3 { font-size: 9.5pt; margin: 7pt 0 1pt; break-after: avoid; }
p.title { font-weight: bold; margin: 0 0 3pt; break-after: avoid; }
p { margin: 0 0 4pt; }
.break { break-before: page; }
"""


def print_css(columns: int = 2) -> str:
    """The print style for a page set in `columns` columns."""
    return PRINT_CSS.replace("COLUMNS", str(columns))


def agreement_html(title: str, divisions: list[Division], columns: int = 2,
                   running_head: str = "", page_break_before: set[str] | None = None) -> str:
    """The agreement as printable HTML. `page_break_before` names articles that start a
    new page (so their heading sits at the top of the page, under the running head)."""
    out = []
    breaks = page_break_before or set()
    for division in divisions:
        if division.preamble:
            out.append(f"<h2>{html.escape(division.preamble)}</h2>")
        if division.heading:
            out.append(f"<h2>{html.escape(division.heading)}</h2>")
        for article in division.articles:
            cls = " class='break'" if article.number in breaks else ""
            out.append(f"<h3{cls}>Article {html.escape(article.number)}</h3>"
                       f"<p class='title'>{html.escape(article.title)}</p>")
            out += [f"<p>{html.escape(p)}</p>" for p in article.paragraphs]
    head = f"<div class='head'>{html.escape(running_head)}</div>" if running_head else ""
    css = print_css(columns)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title><style>{css}</style></head><body>{head}"
            "<div class='mark'>CONFIDENTIAL DRAFT</div>"
            f"<h1>{html.escape(title)}</h1><div class='cols'>{''.join(out)}</div>"
            "</body></html>")


def print_pdf(page: str, target: Path) -> Path:
    """Print the HTML to `target` with headless Chromium (no header or footer of its own)."""
    if not CHROMIUM:
        pytest.fail("printed-layout tests need Debian's chromium: run `make browser`")
    source = target.with_suffix(".html")
    source.write_text(page, encoding="utf-8")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--print-to-pdf={target}", source.as_uri()],
                   check=True, capture_output=True, timeout=180)
    source.unlink()
    return target
