"""Segmentation of flat text (PDF, plain text) and ToTA structure into clauses."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SAMPLES
from tradelens.models import Block, Document
from tradelens.text import read_document
from tradelens.text.language import detect_language
from tradelens.text.segment import segment


def _doc(text: str, agreement_id: str = "t") -> Document:
    return Document(agreement_id=agreement_id, source="mem", format="text",
                    blocks=[Block(kind="line", text=line) for line in text.splitlines()])


def test_english_spanish_french_headings_and_paragraphs():
    text = """CHAPTER 14
ELECTRONIC COMMERCE

Article 14.11: Cross-Border Transfer
1. First paragraph.
2. Second paragraph with (a) an item; and (b) another.

Artículo 14.13 Ubicación de las instalaciones
1. Primer párrafo.

Article premier
Objet du présent accord.
"""
    clauses = segment(_doc(text))
    ids = [c.clause_id for c in clauses]
    assert ids == ["t:art14.11:p1", "t:art14.11:p2", "t:art14.13:p1", "t:artpremier:p0"]
    assert clauses[0].chapter == "Chapter 14 (ELECTRONIC COMMERCE)"
    assert clauses[0].article_title == "Cross-Border Transfer"
    assert clauses[2].article_title == "Ubicación de las instalaciones"
    assert "(b) another" in clauses[1].text


def test_numbers_out_of_sequence_do_not_split_paragraphs():
    text = "Article 3: Dates\n1. The Parties agree that\n2016. was a year\n2. Second.\n"
    clauses = segment(_doc(text))
    assert [c.paragraph for c in clauses] == ["1", "2"]
    assert "2016. was a year" in clauses[0].text


def test_numbered_paragraphs_run_together_on_one_line_are_split_again():
    """Some sources lose the line breaks between numbered paragraphs: the numbers that
    continue the sequence after a sentence's end still start paragraphs."""
    text = ("Article 7: Transfers\n"
            "1. Each Party shall allow the transfer of information by electronic means. "
            "2. Paragraph 1 does not apply to the information referred to in Annex 3. "
            "3. Each Party may adopt measures that it considers necessary.\n")
    clauses = segment(_doc(text))
    assert [c.clause_id for c in clauses] == ["t:art7:p1", "t:art7:p2", "t:art7:p3"]
    assert clauses[0].text == ("Each Party shall allow the transfer of information by "
                               "electronic means.")
    assert clauses[1].text.startswith("Paragraph 1 does not apply")
    assert clauses[2].text.endswith("considers necessary.")
    # a lead-in, then paragraphs 1 and 2 on the same line
    lead = segment(_doc("Article 8: Scope\nThis Article applies as follows. 1. First rule "
                        "here. 2. Second rule here.\n"))
    assert [c.paragraph for c in lead] == ["0", "1", "2"]


def test_a_number_inside_a_line_that_does_not_continue_the_sequence_stays_text():
    clauses = segment(_doc("Article 9: Lists\n1. The goods listed in Annex 4. 4. Products "
                           "of heading 12 are excluded. The list is set out in Annex 1. "
                           "1. Machines are covered.\n"))
    assert [c.paragraph for c in clauses] == ["1"]  # 4 is not 2; "1." again is not 2
    alone = segment(_doc("Article 10: Annexes\nThe tariff is in Annex 1. 1. Headings follow "
                         "the Harmonized System.\n"))
    assert [c.paragraph for c in alone] == ["0"]  # paragraph 1 is cut only when 2 follows


def test_cross_reference_at_line_start_is_not_a_heading():
    text = ("Article 2: Scope\n1. The obligations in this Chapter are subject to\n"
            "Article 14.4 (Non-Discriminatory Treatment) and to the exceptions.\n")
    clauses = segment(_doc(text))
    assert len(clauses) == 1
    assert "Article 14.4" in clauses[0].text


def test_clause_ids_are_stable_across_runs_and_batches():
    path = SAMPLES / "eastern_regional_partnership.txt"
    first = [c.clause_id for c in segment(read_document(path))]
    second = [c.clause_id for c in segment(read_document(path))]
    assert first == second
    assert len(set(first)) == len(first)


def test_tota_articles_keep_their_identifier(tota_dir: Path):
    document = read_document(tota_dir / "pta_449.xml")
    clauses = segment(document)
    by_ref = {c.source_ref for c in clauses}
    assert {"40218", "40220", "40224"} <= by_ref
    transfer = [c for c in clauses if c.source_ref == "40218"]
    assert [c.paragraph for c in transfer] == ["1", "2", "3"]
    assert transfer[1].chapter.endswith("(Electronic Commerce)")


def test_language_detection():
    assert detect_language("Each Party shall allow the transfer of information by the Parties.") \
        == "en"
    assert detect_language("Cada Parte permitirá la transferencia de la información por medios "
                           "electrónicos de los proveedores.") == "es"
    assert detect_language("Chaque Partie autorise le transfert des données et les services "
                           "par voie électronique dans la Partie.") == "fr"
    assert detect_language("12 34") is None


def test_spanish_tota_language_comes_from_metadata(tota_dir: Path):
    assert read_document(tota_dir / "pta_450.xml").language == "es"


def test_annexes_abbreviated_articles_subparagraphs_and_definitions():
    text = """Chapter 8 Digital Trade

Art. 1407 Definitions
For the purposes of this Chapter:
(a) "computing facilities" means servers and storage devices;
(b) "covered person" means an investor of a Party; and
(c) personal information means information about an identified person.

Article 1er
Each Party shall adopt measures that:
(a) are transparent; and
(b) do not discriminate, provided that:
(i) the measure is necessary; and
(ii) it is published.

ANNEX 8-A
SCHEDULE OF VIET NAM
Viet Nam shall not be subject to Article 8.4 for two years.
"""
    clauses = segment(_doc(text))
    by_id = {c.clause_id: c for c in clauses}
    definitions = by_id["t:art1407:p0"]
    assert definitions.defined_terms == ["computing facilities", "covered person",
                                         "personal information"]
    items = by_id["t:art1er:p0"].subparagraphs
    assert [(s.label, s.level) for s in items] == [("(a)", 1), ("(b)", 1), ("(i)", 2),
                                                    ("(ii)", 2)]
    assert items[1].text == "do not discriminate, provided that:"
    annex = [c for c in clauses if c.chapter and c.chapter.startswith("Annex 8-A")]
    assert annex and "Viet Nam shall not be subject" in annex[0].text
    assert annex[0].chapter == "Annex 8-A (SCHEDULE OF VIET NAM)"


def test_letter_i_after_h_is_a_letter_not_a_roman_numeral():
    from tradelens.text.clause_parts import subparagraphs

    text = "\n".join(f"({letter}) item {letter};" for letter in "ghij")
    assert [(s.label, s.level) for s in subparagraphs(text)] == [
        ("(g)", 1), ("(h)", 1), ("(i)", 1), ("(j)", 1)]


def test_bracketed_alternatives_become_one_text_per_option():
    from tradelens.text.brackets import bracket_options

    text = ("Each Party shall [allow] / [endeavour to allow] transfers [, including personal "
            "information,] where [necessary] / [appropriate].")
    assert bracket_options(text) == [
        "Each Party shall allow transfers , including personal information, where necessary.",
        "Each Party shall endeavour to allow transfers , including personal information, "
        "where appropriate.",
    ]
    assert bracket_options("Each Party shall [allow] transfers.") == []


def test_tota_inlined_footnotes_leave_the_text_and_the_sentence_resumes():
    document = Document(agreement_id="t", source="mem", format="xml-tota", blocks=[
        Block(kind="chapter", text="", number="14", title="Electronic Commerce"),
        Block(kind="article", number="14.11", source_ref="9", text=(
            "1. Each Party shall allow transfers.\n\n\n"
            "2. Nothing in this Article prevents measures that are not a disguised restriction "
            "\n\n7 The Parties recognise that a supplier offering exclusive content would not "
            "be acting contrary to this principle. \n\non trade.\n\n"
            "3. This Article applies from 1 January 2020.\n"
            "31 December 2021 is the last date for notifications.")),
    ])
    clauses = segment(document)
    second = clauses[1]
    assert second.text.endswith("not a disguised restriction on trade.")
    assert second.footnotes == ["7 The Parties recognise that a supplier offering exclusive "
                                "content would not be acting contrary to this principle."]
    # A date at a line start is text, not a footnote.
    assert "31 December 2021" in clauses[2].text and not clauses[2].footnotes


def test_segment_command_shows_the_tree_as_json_and_table():
    import json

    from tests.conftest import run_cli

    result = run_cli("segment", str(SAMPLES / "pacific_rim_digital_partnership.pdf"),
                     "--format", "json")
    assert result.exit_code == 0, result.output
    tree = json.loads(result.output)
    assert tree["agreement"]["format"] == "pdf" and tree["agreement"]["pages"] >= 4
    articles = {a["article"]: a for ch in tree["chapters"] for a in ch["articles"]}
    location = articles["8.5"]
    assert location["title"] == "Location of Computing Facilities"
    assert [c["clause_id"] for c in location["clauses"]] == [
        f"pacific_rim_digital_partnership:art8.5:p{n}" for n in (1, 2, 3)]
    assert all(c["page"] == 3 for c in location["clauses"])
    assert sum(len(ch["articles"]) for ch in tree["chapters"]) == len(articles)
    table = run_cli("segment", str(SAMPLES / "draft_digital_chapter.txt"))
    assert table.exit_code == 0
    assert "draft_digital_chapter:artx.3:p1" in table.output and "+2 options" in table.output
    missing = run_cli("segment", str(SAMPLES / "nope.pdf"))
    assert missing.exit_code == 1 and "nope.pdf: no such file" in missing.stderr


def test_document_title_is_a_protocols_own_not_its_parents() -> None:
    from tradelens.text.metadata import document_title

    assert document_title(["Agreement between A and B", "Additional Protocol on Services",
                           "to the Agreement between A and B", "Article 1"]) == (
        "Additional Protocol on Services to the Agreement between A and B")
    # A protocol named only after the first heading is part of the agreement's text.
    assert document_title(["Agreement between A and B", "Article 1", "Protocol on Origin"]) \
        == "Agreement between A and B"


def test_tota_flattened_parts_titles_and_sections_nest_by_their_words():
    # ToTA lists a Part's chapters after it as siblings; the words rebuild the nesting.
    heads = [("", "Preamble"), ("PART II", "Trade"), ("TITLE I", "Goods"),
             ("CHAPTER 1", "Tariffs"), ("CHAPTER 2", "Electronic Commerce"),
             ("SECTION B", "Data"), ("TITLE II", "Services"), ("ANNEX 4", "Schedules")]
    blocks = []
    for n, (number, title) in enumerate(heads):
        blocks += [Block(kind="chapter", text="", number=number or None, title=title),
                   Block(kind="article", number=str(n), source_ref=str(n),
                         text="The Parties shall cooperate.")]
    clauses = segment(Document(agreement_id="t", source="mem", format="xml-tota",
                               blocks=blocks))
    paths = [[(d.kind, d.heading) for d in c.divisions] for c in clauses]
    assert paths[5] == [("part", "Part II (Trade)"), ("title", "Title I (Goods)"),
                        ("chapter", "Chapter 2 (Electronic Commerce)"),
                        ("section", "Section B (Data)")]
    assert paths[6] == [("part", "Part II (Trade)"), ("title", "Title II (Services)")]
    assert paths[7] == [("part", "Part II (Trade)"), ("title", "Title II (Services)"),
                        ("annex", "Annex 4 (Schedules)")]
    assert paths[0] == [("chapter", "Preamble")]
    # the innermost division is the clause's chapter, its index counting every heading
    assert [c.chapter_index for c in clauses] == list(range(1, len(heads) + 1))
    assert clauses[5].chapter == "Section B (Data)"
    assert clauses[5].headings[2] == "Chapter 2 (Electronic Commerce)"


def test_spanish_and_french_part_and_title_headings_in_plain_text():
    clauses = segment(_doc("PARTE IV\nCOMERCIO\n\nTÍTULO II\nSERVICIOS\n\nArtículo 5\n"
                           "Las Partes cooperarán.\n\nTITRE III\nCOOPÉRATION\n\nArticle 9\n"
                           "Les Parties coopèrent.\n"))
    assert [[d.kind for d in c.divisions] for c in clauses] == [["part", "title"],
                                                                ["part", "title"]]
    assert clauses[0].headings == ["Part IV (COMERCIO)", "Title II (SERVICIOS)"]
    assert clauses[1].chapter == "Title III (COOPÉRATION)"


def test_a_chapter_after_an_annex_closes_it_and_sentences_are_no_headings():
    clauses = segment(_doc(
        "CHAPTER 8\nDIGITAL TRADE\n\nArticle 8.1\nEach Party shall cooperate.\n"
        "Title 17 of the United States Code applies to copyright matters.\n"
        "Parte A más tardar el 1 de enero.\nTítulo 3 de la Ley.\n\n"
        "ANNEX 8-A\nLIST\n\nArticle 1\nThe list applies.\n\n"
        "CHAPTER 9\nGOODS\n\nArticle 9.1\nTariffs apply.\n"))
    assert [[d.kind for d in c.divisions] for c in clauses] == [["chapter"], ["annex"],
                                                                ["chapter"]]
    assert [c.chapter_index for c in clauses] == [1, 2, 3]
    assert "Título 3 de la Ley." in clauses[0].text
