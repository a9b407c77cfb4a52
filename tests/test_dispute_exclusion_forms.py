"""Exclusions from dispute settlement in more shapes, and on their true scope (taxonomy
2027.1.15; docs/evaluation.md, 0.17.17).

Until 0.17.17 `no_dispute_settlement` read "No Party shall have recourse to dispute
settlement ..." but not the same denial when it names the chapter ("... recourse to Chapter
20 (Dispute Settlement) ..."), nor an article kept out ("This Article shall not be subject to
dispute settlement", "El presente artículo no estará sujeto al Capítulo 20 (Solución de
Controversias)", "Le présent article n'est pas soumis au chapitre 22 (Règlement des
différends)"), nor "Les Parties ne recourent pas ...". An exclusion written for "this
Article" governs that article only: it no longer reaches the chapter. The clauses are the
team's own, modelled on the closing paragraphs of digital and financial-services articles.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import assert_modifier_read, run_cli, taxonomy_without
from tradelens.classify.modifiers import modifier_evidence
from tradelens.taxonomy import default_taxonomy_dir, load_taxonomy
from tradelens.text.divisions import names_own_article_only

MODIFIER = "no_dispute_settlement"
#: The taxonomy comments that mark 0.17.17's rules (`taxonomy_without` removes them).
MARKERS = tuple(
    line.strip()[2:] for line in
    (Path(default_taxonomy_dir()) / "modifiers.yaml").read_text().splitlines()
    if line.strip().startswith("# 2027.1.15:"))

READ = [
    ("en", "Neither Party shall have recourse to Chapter 18 (Dispute Settlement) for any matter "
           "arising under this Chapter."),
    ("en", "No Party may bring a complaint about a matter arising under this Article to the "
           "dispute settlement procedures of Chapter 30."),
    ("en", "This Article shall not be subject to dispute settlement under Chapter 16."),
    ("en", "Disputes over how this Article is applied shall not be submitted to the arbitration "
           "procedure of Chapter 19."),
    ("en", "Nothing in this Section shall be subject to the dispute settlement procedures of "
           "this Agreement."),
    ("en", "Chapter 25 (Dispute Settlement) shall not be available to a Party for a matter "
           "arising under this Article."),
    ("en", "Cooperation under this Article shall not be subject to dispute settlement under "
           "Chapter 20."),
    ("es", "Las Partes no recurrirán al Capítulo 21 (Solución de Controversias) respecto de un "
           "asunto que surja en virtud del presente Capítulo."),
    ("es", "Las Partes no podrán recurrir al mecanismo de solución de controversias del "
           "Acuerdo en relación con este artículo."),
    ("es", "El presente artículo no estará sujeto al Capítulo 14 (Solución de Controversias)."),
    ("es", "Las cuestiones que surjan de esta Sección quedan excluidas del procedimiento de "
           "solución de diferencias del Capítulo 22."),
    ("fr", "Les Parties ne recourent pas au chapitre 17 (Règlement des différends) pour une "
           "question relevant du présent article."),
    ("fr", "Le présent article n'est pas soumis au chapitre 22 (Règlement des différends)."),
    ("fr", "La présente section ne peut donner lieu à aucune procédure de règlement des "
           "différends entre les Parties."),
]

NOT_READ = [
    # A grace period is a temporary exemption, not an exclusion.
    ("en", "This Article shall not be subject to dispute settlement under Chapter 16 for a "
           "period of three years after the date of entry into force of this Agreement."),
    # Investor-state arbitration only: the Parties' own dispute settlement still applies.
    ("en", "This Section shall not be subject to investor-state dispute settlement under "
           "Section B of Chapter 9."),
    # A security measure's immunity is a self-judging exception's, not the article's.
    ("en", "A Party taking a measure under this Article shall inform the Joint Committee, and "
           "the measure shall not be subject to challenge under Chapter 21 (Dispute "
           "Settlement)."),
    # Recourse allowed, not denied.
    ("es", "Las Partes podrán recurrir al mecanismo de solución de controversias del Capítulo "
           "20 respecto de cualquier asunto que surja en virtud del presente Capítulo."),
    ("fr", "Les Parties peuvent recourir au chapitre 15 (Règlement des différends) pour toute "
           "question relevant du présent chapitre."),
    ("fr", "Le présent article n'est pas soumis au chapitre 22 (Règlement des différends) "
           "pendant une période de deux ans."),
    # After the review of 0.17.17: recourse allowed, conditions, periods, investor-state.
    ("en", "This Chapter shall be subject to dispute settlement under Chapter 20 (Dispute "
           "Settlement)."),
    ("en", "This Article shall not be subject to dispute settlement under Chapter 20 if the "
           "measure has been notified to the Committee."),
    ("en", "This Article shall not be subject to dispute settlement under Chapter 20 for three "
           "years."),
    ("en", "A measure taken under this Article shall not be subject to challenge under Chapter "
           "21 (Dispute Settlement)."),
    ("es", "El presente artículo no estará sujeto a la solución de controversias entre un "
           "inversionista y la otra Parte."),
    ("es", "Las Partes no podrán recurrir al Capítulo 20 (Solución de Controversias) respecto "
           "del presente artículo mientras no se hayan agotado las consultas."),
    ("fr", "Le présent article ne peut donner lieu à une procédure de règlement des différends "
           "que lorsque les consultations ont échoué."),
    ("fr", "Le présent article n'est pas soumis au chapitre 20 (Règlement des différends) "
           "jusqu'au 1er janvier 2030."),
]


@pytest.mark.parametrize(("lang", "text"), READ)
def test_an_exclusion_is_read(lang, text, before):
    assert_modifier_read(lang, MODIFIER, text, True)
    assert not modifier_evidence(before.modifiers[MODIFIER], None, text, lang)


@pytest.fixture(scope="module")
def before(tmp_path_factory):
    """The taxonomy without 0.17.17's rules: none of READ was read by it."""
    return load_taxonomy(taxonomy_without(tmp_path_factory.mktemp("before") / "taxonomy",
                                          *MARKERS))



@pytest.mark.parametrize(("lang", "text"), NOT_READ)
def test_what_is_not_an_exclusion_is_not_read(lang, text):
    assert_modifier_read(lang, MODIFIER, text, False)


@pytest.mark.parametrize(("text", "own_article_only"), [
    ("This Article shall not be subject to dispute settlement.", True),
    ("El presente artículo no estará sujeto al Capítulo 20.", True),
    ("Le présent article n'est pas soumis au chapitre 22.", True),
    ("No Party shall have recourse to dispute settlement for any matter arising under this "
     "Chapter or this Article.", False),
    ("No Party shall have recourse to dispute settlement under this Agreement.", False),
    ("Le present article n'est pas soumis au chapitre 22.", True),
    ("Subject to paragraph 2 of this Article, no Party shall have recourse to dispute "
     "settlement for any matter arising under Article 9.1, 9.2 or 9.3.", False),
    ("For the purposes of this Article, Articles 9.1 and 9.2 shall not apply to information "
     "held by a Party.", False),
])
def test_a_clause_for_its_own_article_is_told_apart(text, own_article_only):
    assert names_own_article_only(text) is own_article_only


#: One chapter, three rules; the second article ends with the exclusion under test.
RULES = (
    "Each Party shall allow the cross-border transfer of information by electronic means, "
    "including personal information, when this activity is for the conduct of the business "
    "of a covered person.",
    "No Party shall require a covered person to use or locate computing facilities in that "
    "Party's territory as a condition for conducting business in that territory.",
    "No Party shall require the transfer of, or access to, source code of software owned by "
    "a person of the other Party, as a condition for the import, distribution, sale or use "
    "of such software in its territory.",
)


def _agreement(name: str, exclusion: str) -> str:
    return "\n".join([
        f"Id: {name}", "Title: Dispute exclusion test agreement", "Parties: Aurelia, Estovia",
        "Date signed: 2022-05-01", "", "CHAPTER 9", "DIGITAL TRADE", "",
        "Article 9.1: Cross-Border Transfer of Information by Electronic Means", RULES[0], "",
        "Article 9.2: Location of Computing Facilities", f"1. {RULES[1]}", f"2. {exclusion}",
        "", "Article 9.3: Source Code", RULES[2], ""])


def _modifiers_by_category(tmp_path: Path, name: str, exclusion: str) -> dict[str, set[str]]:
    source = tmp_path / f"{name}.txt"
    source.write_text(_agreement(name, exclusion))
    result = run_cli("analyse", str(source), "--out", str(tmp_path / "out"), "--store",
                     str(tmp_path / "store"), "--format", "json", "-q")
    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "out" / f"{name}.json").read_text())
    return {category: {e["type"] for f in data["findings"] for e in f["enforceability"]}
            for category, data in report["categories"].items() if data["findings"]}


def test_an_article_kept_out_of_dispute_settlement_governs_that_article_only(tmp_path):
    found = _modifiers_by_category(tmp_path, "article_exclusion", "This Article shall not be "
                                   "subject to Chapter 20 (Dispute Settlement).")
    assert MODIFIER in found["server_location"]
    assert MODIFIER not in found["data_free_flow"]
    assert MODIFIER not in found["source_code_secrecy"]


def test_this_article_named_in_passing_keeps_the_chapter_reach(tmp_path):
    found = _modifiers_by_category(tmp_path, "passing_exclusion", "Subject to paragraph 1 of "
                                   "this Article, neither Party shall have recourse to Chapter "
                                   "20 (Dispute Settlement) for any matter arising under this "
                                   "Chapter.")
    for category in ("data_free_flow", "server_location", "source_code_secrecy"):
        assert MODIFIER in found[category], category


def test_a_chapter_kept_out_of_dispute_settlement_governs_every_article(tmp_path):
    found = _modifiers_by_category(tmp_path, "chapter_exclusion", "Neither Party shall have "
                                   "recourse to Chapter 20 (Dispute Settlement) for any matter "
                                   "arising under this Chapter.")
    for category in ("data_free_flow", "server_location", "source_code_secrecy"):
        assert MODIFIER in found[category], category
