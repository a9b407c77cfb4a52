"""Structure that survives a publisher's layout: agreements of our own words printed to PDF
by headless Chromium (tests/print_maker.py) segment like the text they were printed from.

Each case is a layout that used to lose articles: a chapter title across both columns
(the page was read across the gutter), a running head printed over the body's last lines,
"Part IV - Title" divisions, an annex whose articles restart at 1, a protocol printed after
its parent agreement's name.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from tests.print_maker import Division, agreement_html, make_division, print_pdf
from tradelens.text import read_document
from tradelens.text.segment import segment


def _plain(text: str) -> str:
    # Line-end hyphens are taken out when lines are joined ("non-" + "discriminatory").
    return re.sub(r"[\s\-]+", "", text)


def _by_article(clauses) -> dict[tuple[str | None, str | None], str]:
    out: dict[tuple[str | None, str | None], list[str]] = {}
    for clause in clauses:
        label = f"{clause.paragraph}. " if clause.paragraph.isdigit() else ""
        out.setdefault((clause.chapter, clause.article), []).append(label + clause.text)
    return {key: " ".join(texts) for key, texts in out.items()}


def _expected(divisions: list[Division], chapter_of) -> dict[tuple[str, str], str]:
    return {(chapter_of(d), a.number): " ".join(a.paragraphs)
            for d in divisions for a in d.articles}


def _compare(expected: dict, found: dict) -> list[str]:
    """Articles missing, in the wrong division, or whose text differs from the source."""
    problems = []
    for key, text in expected.items():
        if key not in found:
            problems.append(f"{key} not found (found: {list(found)[:8]} ...)")
            continue
        ratio = difflib.SequenceMatcher(None, _plain(found[key]), _plain(text),
                                        autojunk=False).ratio()
        if ratio < 0.99:
            problems.append(f"{key} text differs ({ratio:.3f}): {found[key][:160]}")
    return problems


@pytest.fixture(scope="module")
def chapters_across_columns(tmp_path_factory: pytest.TempPathFactory):
    """Eight chapters in two columns; every chapter title is printed across both columns,
    most of them in the middle of a page, with a running head and a diagonal mark."""
    divisions = [make_division(f"Chapter {c} - Subject Matter {c}",
                               [f"{c}.{a}" for a in range(1, 5)], seed=c) for c in range(1, 9)]
    target = tmp_path_factory.mktemp("printed") / "columns.pdf"
    print_pdf(agreement_html("Agreement between Ruritania and Freedonia", divisions,
                             running_head="Ruritania - Freedonia Agreement"), target)
    return divisions, segment(read_document(target))


def test_titles_across_both_columns_keep_every_article_whole(chapters_across_columns) -> None:
    divisions, clauses = chapters_across_columns
    expected = _expected(divisions, lambda d: "Chapter " + d.heading.split()[1]
                         + " (Subject Matter " + d.heading.split()[1] + ")")
    assert _compare(expected, _by_article(clauses)) == []


def test_running_head_printed_over_the_body_is_not_agreement_text(
        chapters_across_columns) -> None:
    _, clauses = chapters_across_columns
    leaked = [c.clause_id for c in clauses if "Ruritania - Freedonia" in c.text
              or "Freedonia Agreement" in c.text]
    assert leaked == []


def test_one_column_pages_are_still_read_line_by_line(tmp_path: Path) -> None:
    """The gutter search under titles must not find columns in one-column text."""
    divisions = [make_division(f"Chapter {c} - Subject Matter {c}",
                               [f"{c}.{a}" for a in range(1, 4)], seed=10 + c)
                 for c in range(1, 4)]
    target = print_pdf(agreement_html("Agreement between Ruritania and Freedonia", divisions,
                                      columns=1), tmp_path / "one.pdf")
    expected = _expected(divisions, lambda d: "Chapter " + d.heading.split()[1]
                         + " (Subject Matter " + d.heading.split()[1] + ")")
    assert _compare(expected, _by_article(segment(read_document(target)))) == []


def _label(heading: str) -> str:
    """'Part IV - Institutional Provisions' -> 'Part IV (Institutional Provisions)'."""
    head, _, title = heading.partition(" - ")
    return f"{head} ({title})"


def test_parts_and_annexes_with_restarted_numbers_are_their_own_divisions(
        tmp_path: Path) -> None:
    """Four Parts, then an annex and an appendix whose articles restart at 1; Article 8
    starts a page, right under the running head."""
    divisions = [make_division("Part I - General Provisions", ["1", "2", "3"], seed=21),
                 make_division("Part II - Trade in Goods", ["4", "5", "6"], seed=22),
                 make_division("Part III - Digital Trade", ["7", "8", "9"], seed=23),
                 make_division("Part IV - Institutional Provisions", ["10", "11", "12"],
                               seed=24),
                 make_division("Annex I - Paperless Trading", ["1", "2", "3"], seed=25),
                 make_division("Appendix 1 - Contact Points", ["1", "2"], seed=26)]
    target = print_pdf(agreement_html("Agreement between Ruritania and Freedonia", divisions,
                                      running_head="Ruritania - Freedonia",
                                      page_break_before={"8"}), tmp_path / "parts.pdf")
    clauses = segment(read_document(target))
    assert _compare(_expected(divisions, lambda d: _label(d.heading)),
                    _by_article(clauses)) == []
    # Each annex article is its own clause id, and its location names the annex.
    annexed = [c for c in clauses if c.chapter and c.chapter.startswith(("Annex", "Appendix"))]
    assert len({c.article_key for c in annexed}) == 5
    assert all(c.location.startswith(c.chapter) for c in annexed)
    eight = next(c for c in clauses if c.article == "8")
    assert eight.page > next(c for c in clauses if c.article == "7").page


def test_a_protocol_takes_its_own_title_not_its_parent_agreements(tmp_path: Path) -> None:
    divisions = [make_division("", ["1", "2", "3"], seed=31, preamble=(
        "Protocol on Electronic Documents to the Agreement between Ruritania and Freedonia"))]
    target = print_pdf(agreement_html("Agreement between Ruritania and Freedonia", divisions),
                       tmp_path / "protocol.pdf")
    document = read_document(target)
    assert document.title == ("Protocol on Electronic Documents to the Agreement between "
                              "Ruritania and Freedonia")
    assert [c.article for c in segment(document) if c.paragraph == "1"] == ["1", "2", "3"]


def test_a_compound_split_at_its_hyphen_keeps_it_when_the_document_writes_it_so() -> None:
    from tradelens.models import Block
    from tradelens.text.hyphenation import join_hyphenated

    lines = ["Each Party shall allow the cross-border transfer of", "information. The cross-",
             "border flow of data and the locali-", "sation of computing facilities."]
    joined = join_hyphenated([Block(kind="line", text=text) for text in lines])
    text = " ".join(block.text for block in joined)
    assert "The cross-border flow" in text
    assert "localisation of computing" in text
