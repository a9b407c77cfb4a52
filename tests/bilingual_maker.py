"""A parallel bilingual agreement of our own words, printed by headless Chromium the way
Canada prints its treaties: English in the left column, French in the right one, the same
article on the same row; and each language alone, printed clean, as the baseline.

The digital-trade chapter holds a binding cross-border transfer rule with a legitimate
public policy exception under a necessity test, a soft cooperation rule, a ban on
requiring local computing facilities with a self-judging exception, and a source-code
rule; the other chapters hold no digital rule. Every sentence is ours, in both languages.
"""

from __future__ import annotations

import html
from pathlib import Path

from tests.docx_maker import Para, Table, write_docx
from tests.print_maker import print_pdf

TITLE = {"en": "Agreement between Ruritania and Freedonia",
         "fr": "Accord entre la Ruritanie et la Freedonie"}

#: (chapter heading per language, [(article number, title per language, paragraphs per
#: language)]). Paragraphs are printed with their numbers.
Chapter = tuple[dict[str, str], list[tuple[str, dict[str, str], dict[str, list[str]]]]]

CHAPTERS: list[Chapter] = [
    ({"en": "Chapter 1 - Initial Provisions", "fr": "Chapitre 1 - Dispositions initiales"}, [
        ("1.1", {"en": "Objectives", "fr": "Objectifs"}, {
            "en": ["The objectives of this Agreement are to expand trade in goods and "
                   "services between the Parties, to promote conditions of fair competition "
                   "and to create effective procedures for the joint administration of this "
                   "Agreement and for the resolution of disputes.",
                   "The Parties shall interpret and apply the provisions of this Agreement in "
                   "the light of its objectives and in accordance with the applicable rules "
                   "of international law."],
            "fr": ["Le présent accord a pour objectifs d'accroître les échanges de "
                   "marchandises et de services entre les Parties, de favoriser des "
                   "conditions de concurrence loyale et d'établir des procédures efficaces "
                   "pour l'administration conjointe du présent accord et pour le règlement "
                   "des différends.",
                   "Les Parties interprètent et appliquent les dispositions du présent accord "
                   "à la lumière de ses objectifs et conformément aux règles applicables du "
                   "droit international."]}),
        ("1.2", {"en": "Relation to Other Agreements", "fr": "Rapport avec d'autres accords"}, {
            "en": ["The Parties affirm their existing rights and obligations with respect to "
                   "each other under the Marrakesh Agreement Establishing the World Trade "
                   "Organization and under the other agreements to which both Parties are "
                   "party.",
                   "In the event of any inconsistency between this Agreement and such other "
                   "agreements, the Parties shall consult with each other with a view to "
                   "reaching a mutually satisfactory solution."],
            "fr": ["Les Parties confirment les droits et obligations existants qu'elles ont "
                   "l'une envers l'autre en vertu de l'Accord de Marrakech instituant "
                   "l'Organisation mondiale du commerce et des autres accords auxquels les "
                   "deux Parties sont parties.",
                   "En cas d'incompatibilité entre le présent accord et ces autres accords, "
                   "les Parties se consultent en vue de parvenir à une solution mutuellement "
                   "satisfaisante."]}),
    ]),
    ({"en": "Chapter 2 - Digital Trade", "fr": "Chapitre 2 - Commerce numérique"}, [
        ("2.1", {"en": "Definitions", "fr": "Définitions"}, {
            "en": ["For the purposes of this Chapter, computing facilities means computer "
                   "servers and storage devices used for processing or storing information "
                   "for commercial use, and covered person means an investor of a Party or "
                   "a service supplier of a Party."],
            "fr": ["Aux fins du présent chapitre, installations informatiques s'entend des "
                   "serveurs informatiques et des dispositifs de stockage servant au "
                   "traitement ou au stockage d'informations à des fins commerciales, et "
                   "personne visée s'entend d'un investisseur d'une Partie ou d'un "
                   "fournisseur de services d'une Partie."]}),
        ("2.2", {"en": "Cooperation", "fr": "Coopération"}, {
            "en": ["The Parties shall endeavour to cooperate on the exchange of information "
                   "about their rules on the protection of personal information and on the "
                   "cross-border flow of data, and shall share their experience with rules "
                   "that require data to be stored locally and with the effect of such rules "
                   "on trade."],
            "fr": ["Les Parties s'efforcent de coopérer à l'échange de renseignements sur "
                   "leurs règles relatives à la protection des renseignements personnels et "
                   "à la circulation transfrontières des données, et partagent leur "
                   "expérience des règles exigeant que les données soient stockées "
                   "localement et de l'effet de ces règles sur le commerce."]}),
        ("2.3", {"en": "Cross-Border Transfer of Information by Electronic Means",
                 "fr": "Transfert transfrontières d'informations par voie électronique"}, {
            "en": ["Each Party shall allow the cross-border transfer of information by "
                   "electronic means, including personal information, when this activity is "
                   "carried out for the conduct of the business of a covered person.",
                   "Nothing in this Article shall prevent a Party from adopting or "
                   "maintaining a measure inconsistent with paragraph 1 to achieve a "
                   "legitimate public policy objective, provided that the measure is not "
                   "applied in a manner that would constitute a means of arbitrary or "
                   "unjustifiable discrimination or a disguised restriction on trade, and "
                   "does not impose restrictions on transfers of information greater than "
                   "are required to achieve the objective."],
            "fr": ["Chaque Partie autorise le transfert transfrontières d'informations par "
                   "voie électronique, y compris de renseignements personnels, lorsque cette "
                   "activité est exercée pour la conduite des affaires d'une personne visée.",
                   "Aucune disposition du présent article n'empêche une Partie d'adopter ou "
                   "de maintenir une mesure incompatible avec le paragraphe 1 pour atteindre "
                   "un objectif légitime de politique publique, à condition que la mesure ne "
                   "soit pas appliquée de façon à constituer un moyen de discrimination "
                   "arbitraire ou injustifiable ou une restriction déguisée au commerce, et "
                   "qu'elle n'impose pas aux transferts d'informations des restrictions "
                   "plus grandes que celles qui sont nécessaires pour atteindre l'objectif."]}),
        ("2.4", {"en": "Location of Computing Facilities",
                 "fr": "Emplacement des installations informatiques"}, {
            "en": ["No Party shall require a covered person to use or locate computing "
                   "facilities in the territory of that Party as a condition for conducting "
                   "business in that territory.",
                   "Nothing in this Article shall prevent a Party from adopting or "
                   "maintaining a measure inconsistent with paragraph 1 that it considers "
                   "necessary to achieve a legitimate public policy objective."],
            "fr": ["Aucune Partie n'exige qu'une personne visée utilise ou implante des "
                   "installations informatiques sur le territoire de cette Partie comme "
                   "condition pour y exercer ses activités.",
                   "Aucune disposition du présent article n'empêche une Partie d'adopter ou "
                   "de maintenir une mesure incompatible avec le paragraphe 1 qu'elle juge "
                   "nécessaire pour atteindre un objectif légitime de politique publique."]}),
        ("2.5", {"en": "Source Code", "fr": "Code source"}, {
            "en": ["No Party shall require the transfer of, or access to, source code of "
                   "software owned by a person of the other Party as a condition for the "
                   "import, distribution, sale or use of such software, or of products "
                   "containing such software, in its territory."],
            "fr": ["Aucune Partie n'exige le transfert du code source d'un logiciel "
                   "appartenant à une personne de l'autre Partie, ou l'accès à ce code, "
                   "comme condition de l'importation, de la distribution, de la vente ou de "
                   "l'utilisation de ce logiciel, ou de produits contenant ce logiciel, sur "
                   "son territoire."]}),
    ]),
    ({"en": "Chapter 3 - Institutional Provisions",
      "fr": "Chapitre 3 - Dispositions institutionnelles"}, [
        ("3.1", {"en": "Joint Committee", "fr": "Comité mixte"}, {
            "en": ["The Parties hereby establish a Joint Committee composed of "
                   "representatives of each Party, which shall meet once a year or at the "
                   "request of either Party to review the operation of this Agreement.",
                   "The Joint Committee shall take its decisions by consensus and may "
                   "establish working groups to assist it in the performance of its "
                   "functions."],
            "fr": ["Les Parties instituent un Comité mixte composé de représentants de "
                   "chaque Partie, qui se réunit une fois par année ou à la demande de l'une "
                   "ou l'autre des Parties pour examiner le fonctionnement du présent accord.",
                   "Le Comité mixte prend ses décisions par consensus et peut constituer des "
                   "groupes de travail chargés de l'aider dans l'exercice de ses fonctions."]}),
        ("3.2", {"en": "Entry into Force", "fr": "Entrée en vigueur"}, {
            "en": ["This Agreement shall enter into force on the first day of the second "
                   "month following the date on which the Parties exchange written "
                   "notifications that their internal procedures have been completed.",
                   "Either Party may terminate this Agreement by written notice to the other "
                   "Party, and the termination shall take effect six months after the date "
                   "of that notice."],
            "fr": ["Le présent accord entre en vigueur le premier jour du deuxième mois "
                   "suivant la date à laquelle les Parties échangent des notifications écrites "
                   "confirmant l'accomplissement de leurs procédures internes.",
                   "Chacune des Parties peut dénoncer le présent accord par notification "
                   "écrite adressée à l'autre Partie, et la dénonciation prend effet six "
                   "mois après la date de cette notification."]}),
        ("3.3", {"en": "Authentic Texts", "fr": "Textes faisant foi"}, {
            "en": ["This Agreement is done in duplicate.",
                   "The English and French texts are equally authentic."],
            "fr": ["Le présent accord est fait en double exemplaire.",
                   "Les textes français et anglais font également foi."]}),
    ]),
]
#: The paragraph ("article#paragraph") the side-by-side print starts on a page of its
#: own: a last page with so few words that its columns cannot be found from it alone.
LAST_PAGE = "3.3#2"

_CSS = """
@page { size: Letter; margin: 20mm 15mm 18mm 15mm; }
body { font-family: "DejaVu Serif", "Liberation Serif", serif; font-size: 9.5pt;
       line-height: 1.3; margin: 0; }
h1 { font-size: 12pt; text-align: center; margin: 0 0 4pt; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
td { vertical-align: top; width: 50%; padding: 0 5mm 4pt 0; text-align: justify; }
td + td { padding: 0 0 4pt 5mm; }
tr { break-inside: avoid; }
td.h { font-weight: bold; text-align: left; padding-top: 6pt; }
"""


def _rows(language: str | None) -> list[list[str]]:
    """Table rows, each one cell per language printed (both, or one)."""
    languages = [language] if language else ["en", "fr"]
    return [row for chapter in CHAPTERS for row in _chapter_rows(chapter, languages)]


def _chapter_rows(chapter: Chapter, languages: list[str]) -> list[list[str]]:
    headings, articles = chapter
    rows = [[f"<td class='h'>{html.escape(headings[lang])}</td>" for lang in languages]]
    for number, titles, paragraphs in articles:
        rows.append([f"<td class='h'>Article {number}<br>{html.escape(titles[lang])}</td>"
                     for lang in languages])
        for n in range(len(paragraphs["en"])):
            rows.append([f"<td>{n + 1}. {html.escape(paragraphs[lang][n])}</td>"
                         for lang in languages]
                        + (["break"] if f"{number}#{n + 1}" == LAST_PAGE else []))
    return rows


def agreement_page(language: str | None = None) -> str:
    """The printable HTML: both languages side by side (`language=None`), or one alone."""
    languages = [language] if language else ["en", "fr"]
    title = "".join(f"<h1>{html.escape(TITLE[lang])}</h1>" for lang in languages)
    head = " / ".join(TITLE[lang] for lang in languages)
    if language:  # one language, one column, the clean original
        body = "".join(f"<p>{cells[0][cells[0].index('>') + 1:-5]}</p>"
                       for cells in _rows(language))
    else:
        body = "<table>" + "".join(
            f"<tr style='break-before: page'>{''.join(cells[:-1])}</tr>" if cells[-1] == "break"
            else f"<tr>{''.join(cells)}</tr>" for cells in _rows(None)) + "</table>"
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(head)}"
            f"</title><style>{_CSS}</style></head><body>{title}{body}</body></html>")


def facing_pages() -> str:
    """Both languages on facing pages, one column: the first two chapters in English on
    the first page, in French on the next; then the last chapter the same way."""
    pages = []
    for n, chapters in enumerate((CHAPTERS[:2], CHAPTERS[2:])):
        for language in ("en", "fr"):
            title = f"<h1>{html.escape(TITLE[language])}</h1>" if n == 0 else ""
            rows = [row for chapter in chapters for row in _chapter_rows(chapter, [language])]
            pages.append(f"<div style='break-after: page'>{title}"
                         + "".join(f"<p>{cells[0][cells[0].index('>') + 1:-5]}</p>"
                                   for cells in rows) + "</div>")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{TITLE['en']}"
            f"</title><style>{_CSS}</style></head><body>{''.join(pages)}</body></html>")


def alternating_page(by_row: bool = False) -> str:
    """Both languages taking turns in one column: each chapter in English, then the same
    chapter in French (`by_row`: each heading and paragraph, then its translation)."""
    title = "".join(f"<h1>{html.escape(TITLE[lang])}</h1>" for lang in ("en", "fr"))
    if by_row:
        cells = [cell for row in _rows(None) for cell in row if cell != "break"]
    else:
        cells = [row[0] for chapter in CHAPTERS for lang in ("en", "fr")
                 for row in _chapter_rows(chapter, [lang])]
    body = "".join(f"<p>{cell[cell.index('>') + 1:-5]}</p>" for cell in cells)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
            f"{html.escape(' / '.join(TITLE.values()))}</title><style>{_CSS}</style></head>"
            f"<body>{title}{body}</body></html>")


def _cell(text: str) -> list[Para]:
    """A cell's paragraphs: a heading cell ('Article 2.3<br>Title') gives two."""
    inner = text[text.index(">") + 1:text.rindex("<")]
    return [Para([("text", html.unescape(line))]) for line in inner.split("<br>")]


def write_word(folder: Path) -> dict[str, Path]:
    """The same agreement as Word files: both languages in a two-cell-per-row table, and
    each language alone as plain paragraphs: {'parallel', 'en', 'fr'} -> DOCX."""
    folder.mkdir(parents=True, exist_ok=True)
    both = [Para([("text", TITLE[lang])], style="Title") for lang in ("en", "fr")]
    both.append(Table([[_cell(cell) for cell in cells if cell != "break"]
                       for cells in _rows(None)]))
    files = {"parallel": write_docx(folder / "word_parallel.docx", both,
                                    title=" / ".join(TITLE.values()))}
    for lang in ("en", "fr"):
        alone = [Para([("text", TITLE[lang])], style="Title")]
        alone += [p for cells in _rows(lang) for p in _cell(cells[0])]
        files[lang] = write_docx(folder / f"clean_word_{lang}.docx", alone, title=TITLE[lang])
    return files


def write_bilingual(folder: Path) -> dict[str, Path]:
    """The parallel prints (columns, facing pages, alternating paragraphs) and the two
    clean originals: {'parallel', 'facing', 'alternating', 'en', 'fr'} -> PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    return {"parallel": print_pdf(agreement_page(), folder / "ruritania_freedonia.pdf"),
            "facing": print_pdf(facing_pages(), folder / "facing_pages.pdf"),
            "alternating": print_pdf(alternating_page(), folder / "alternating.pdf"),
            "en": print_pdf(agreement_page("en"), folder / "clean_en.pdf"),
            "fr": print_pdf(agreement_page("fr"), folder / "clean_fr.pdf")}
