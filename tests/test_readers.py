"""DOCX, HTML and Akoma Ntoso readers on documents built here, checked through segmentation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.docx_maker import Para, write_docx
from tradelens.text import read_document
from tradelens.text.segment import segment


def _draft(path: Path) -> Path:
    """A digital-trade draft as a negotiator would circulate it in Word."""
    return write_docx(path, [
        Para([("text", "Draft Digital Trade Chapter (round 3)")], style="Title"),
        Para([("text", "Chapter 5 Digital Trade")], style="Heading1"),
        Para([("text", "Definitions")], style="Heading2", num=(2, 0)),
        Para([("text", "For the purposes of this Chapter, “computing facilities” means "
                       "servers and storage devices used to process or store information.")]),
        Para([("text", "Cross-Border Transfer of Information")], style="Heading2",
             num=(2, 0)),
        Para([("text", "Each Party shall "), ("del", "endeavour to "),
              ("text", "allow the cross-border transfer of information by electronic means"),
              ("ins", ", including personal information,"),
              ("text", " where this activity is for the conduct of the business of a "
                       "covered person."), ("note", "For greater certainty, this paragraph "
                                                    "does not apply to financial information."),
              ("comment", "Party B: we cannot accept the deletion of 'endeavour'.")],
             num=(1, 0)),
        Para([("text", "Nothing in this Article shall prevent a Party from adopting measures "
                       "necessary to achieve a legitimate public policy objective, provided "
                       "that the measure:")], num=(1, 0)),
        Para([("text", "is not applied as arbitrary or unjustifiable discrimination; and")],
             num=(1, 1)),
        Para([("text", "does not restrict transfers more than the objective requires.")],
             num=(1, 1)),
        Para([("text", "Location of Computing Facilities")], style="Heading2", num=(2, 0)),
        Para([("text", "[No Party shall require a covered person to use or locate computing "
                       "facilities in its territory as a condition for conducting business.] / "
                       "[The Parties recognise the importance of not requiring the use or "
                       "location of computing facilities in their territory.]")], num=(3, 0)),
    ], title="Digital Trade Chapter - negotiating draft")


@pytest.fixture(scope="module")
def draft_clauses(tmp_path_factory: pytest.TempPathFactory):
    path = _draft(tmp_path_factory.mktemp("docx") / "draft.docx")
    document = read_document(path)
    return document, {c.clause_id.split(":", 1)[1]: c for c in segment(document)}


def test_docx_numbering_and_heading_styles_give_the_structure(draft_clauses) -> None:
    document, clauses = draft_clauses
    assert document.format == "docx"
    assert document.title == "Digital Trade Chapter - negotiating draft"
    assert set(clauses) >= {"art5.1:p0", "art5.2:p1", "art5.2:p2", "art5.3:p1"}
    transfer = clauses["art5.2:p1"]
    assert transfer.article_title == "Cross-Border Transfer of Information"
    assert transfer.chapter == "Chapter 5 (Digital Trade)"
    assert [s.label for s in clauses["art5.2:p2"].subparagraphs] == ["(a)", "(b)"]
    assert clauses["art5.1:p0"].defined_terms == ["computing facilities"]


def test_docx_tracked_changes_give_the_accepted_text(draft_clauses) -> None:
    _, clauses = draft_clauses
    transfer = clauses["art5.2:p1"]
    assert "Each Party shall allow the cross-border transfer" in transfer.text
    assert "endeavour" not in transfer.text
    assert "including personal information," in transfer.text
    assert ("deleted", "endeavour to  [Party B]") in transfer.changes
    assert any(kind == "inserted" and "personal information" in text
               for kind, text in transfer.changes)


def test_docx_footnotes_and_comments_stay_with_their_paragraph(draft_clauses) -> None:
    _, clauses = draft_clauses
    transfer = clauses["art5.2:p1"]
    assert transfer.footnotes == ["1 For greater certainty, this paragraph does not apply to "
                                  "financial information."]
    assert "financial information" not in transfer.text
    assert transfer.comments == ["Party B: we cannot accept the deletion of 'endeavour'."]
    assert not clauses["art5.2:p2"].footnotes and not clauses["art5.2:p2"].comments


def test_docx_bracketed_options_are_kept_apart(draft_clauses) -> None:
    _, clauses = draft_clauses
    options = clauses["art5.3:p1"].options
    assert len(options) == 2
    assert options[0].startswith("No Party shall require") and "recognise" not in options[0]
    assert options[1].startswith("The Parties recognise") and "No Party" not in options[1]


def test_docx_is_analysed_end_to_end_on_its_accepted_text(tmp_path: Path) -> None:
    path = _draft(tmp_path / "draft.docx")
    result = run_cli("analyse", str(path), "--out", str(tmp_path / "out"),
                     "--store", str(tmp_path / "store"), "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "draft.json").read_text())
    flows = report["categories"]["data_free_flow"]
    # "shall endeavour to allow" would be soft; the accepted text makes it hard.
    assert flows["status"] == "hard"
    assert any(f["clause_id"] == "draft:art5.2:p1" for f in flows["findings"])


def test_docx_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    import zipfile

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<a>" + " " * (80 * 1024 * 1024) + "</a>")
    with pytest.raises(Exception, match="zip bomb") as info:
        read_document(bomb)
    assert str(bomb) in str(info.value)


HTML = """<!DOCTYPE html>
<html><head><title>Harbour Economic Partnership</title><style>p {color: red}</style>
<script>document.write("not agreement text")</script></head>
<body><nav>Home | Treaties | Search</nav>
<h2>Chapter 9: Electronic Commerce</h2>
<h3>Article 9.4: Cross-Border Flow of Information</h3>
<p>1. Each Party shall permit the cross-border transfer of information by electronic means
where this activity is for the conduct of the business of a covered
person.<sup><a href="#fn3">3</a></sup></p>
<p>2. Nothing in this Article shall prevent a Party from adopting measures necessary to achieve
a legitimate public policy objective.</p>
<h3>Data Storage</h3>
<p>Neither Party shall require the use of computing facilities in its territory as a
condition for conducting business.</p>
<ol class="footnotes"><li id="fn3">For greater certainty, this Article does not apply to
public records. <a href="#ref3">&#8617;</a></li></ol>
<footer>Published by the Treaty Office</footer>
</body></html>"""


def test_html_headings_paragraphs_and_footnotes(tmp_path: Path) -> None:
    path = tmp_path / "harbour.html"
    path.write_text(HTML, encoding="utf-8")
    document = read_document(path)
    assert document.format == "html" and document.title == "Harbour Economic Partnership"
    clauses = {c.clause_id.split(":", 1)[1]: c for c in segment(document)}
    flow = clauses["art9.4:p1"]
    assert flow.article_title == "Cross-Border Flow of Information"
    assert flow.footnotes == ["3 For greater certainty, this Article does not apply to "
                              "public records."]
    assert "public records" not in flow.text and not flow.text.endswith("3")
    storage = next(c for c in clauses.values() if c.article_title == "Data Storage")
    assert storage.text.startswith("Neither Party shall require")
    every = " ".join(c.text for c in clauses.values())
    for noise in ("not agreement text", "Home | Treaties", "Treaty Office", "color: red"):
        assert noise not in every


AKN = """<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">
 <act name="agreement"><meta/>
  <preface><p><docTitle>Agreement on Digital Economy Cooperation</docTitle></p></preface>
  <body>
   <chapter eId="chp_3"><num>Chapter 3</num><heading>Digital Economy</heading>
    <article eId="chp_3__art_3.7"><num>Article 3.7</num><heading>Source Code</heading>
     <paragraph eId="chp_3__art_3.7__para_1"><num>1.</num><content><p>Neither Party shall
      require the transfer of, or access to, source code of software owned by a person of the
      other Party as a condition for its import or sale.</p></content></paragraph>
     <paragraph eId="chp_3__art_3.7__para_2"><num>2.</num><intro><p>Paragraph 1 does not
      preclude:</p></intro>
      <list><point><num>(a)</num><content><p>commercially negotiated contracts
       providing for source code;</p></content></point></list></paragraph>
    </article>
   </chapter>
  </body></act></akomaNtoso>"""


def test_akoma_ntoso_articles_paragraphs_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "deca.xml"
    path.write_text(AKN, encoding="utf-8")
    document = read_document(path)
    assert document.format == "xml-akn"
    assert document.title == "Agreement on Digital Economy Cooperation"
    clauses = segment(document)
    assert [c.paragraph for c in clauses] == ["1", "2"]
    assert all(c.source_ref == "chp_3__art_3.7" and c.article == "3.7" for c in clauses)
    assert clauses[0].text.startswith("Neither Party shall require the transfer")
    assert "commercially negotiated contracts" in clauses[1].text
    assert clauses[0].chapter == "Chapter 3 (Digital Economy)"


def test_a_hard_wrapped_text_file_joins_words_hyphenated_at_line_ends(tmp_path: Path):
    """As `pdftotext` or an e-mail gives a draft: lines of 50 characters, long words
    broken with a hyphen; a compound the draft writes with its hyphen keeps it."""
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text("Article 4\n\n1. Each Party shall allow the cross-border trans-\n"
                       "fer of information by electronic means, and the cross-\n"
                       "border flow of data shall not be restricted by locali-  \n"
                       "sation requirements.\n", encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("Article 4\n\n1. Each Party shall allow the cross-border transfer of "
                     "information by electronic means, and the cross-border flow of data "
                     "shall not be restricted by localisation requirements.\n",
                     encoding="utf-8")
    texts = [[c.text for c in segment(read_document(path))] for path in (wrapped, plain)]
    assert texts[0] == texts[1]
    assert "cross-border transfer" in texts[0][-1] and "localisation" in texts[0][-1]
