"""Source-code terms freely agreed in contracts, mass-market software named by how it is
sold, general exceptions that "also cover" a chapter, the export of data, and a promise to
consider favourably (taxonomy 2027.1.22; docs/evaluation.md, 0.17.24).

The scope cues read "commercially negotiated contracts" and "contratos libremente
negociados", but not the same carve-out turned round: "source code terms in contracts
freely agreed between firms", "las condiciones sobre el código fuente pactadas libremente",
"les clauses relatives au code source librement négociées entre entreprises". Nor did they
read "programas de venta masiva" or "logiciels de grande diffusion", or "les exceptions de
l'article XIV de l'AGCS valent pour le présent chapitre". Across the labelled sets these
were the commonest missed modifiers. A rule on "the export of data" had no topic cue, and
"give favourable consideration to" was no best-endeavour phrase. The clauses are the
team's own.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_read_only_now, decision_alone, taxonomy_without

MARKERS = ("2027.1.22: source-code terms in contracts freely negotiated or agreed (between "
           "commercial parties, between firms)",
           "2027.1.22: condiciones sobre el código fuente pactadas o acordadas libremente en "
           "contratos",
           "2027.1.22: clauses relatives au code source librement négociées ou convenues "
           "entre entreprises",
           "2027.1.22: programas de venta, uso o distribución masiva",
           "2027.1.22: logiciels de grande diffusion, vendus au grand public",
           "2027.1.22: the general exceptions also cover, extend to or are applicable to the "
           "chapter",
           "2027.1.22: las excepciones generales valen o son aplicables también para el "
           "capítulo",
           "2027.1.22: les exceptions générales valent ou sont applicables aussi pour le "
           "chapitre",
           "2027.1.22: the export of data or information (not export declarations, not "
           "import and export data in customs, not technical data under export controls)",
           "2027.1.22: la exportación de datos o de información",
           "2027.1.22: l'exportation de données ou d'informations",
           "2027.1.22: a promise to consider favourably",
           "2027.1.22: la promesa de considerar favorablemente",
           "2027.1.22: la promesse d'examiner favorablement",
           "2027.1.22: a ban that a Party shall place or impose none of")


@pytest.fixture(scope="module")
def before(tmp_path_factory):
    """The modifiers as the taxonomy had them before 2027.1.22."""
    from tradelens.taxonomy import load_taxonomy

    folder = taxonomy_without(tmp_path_factory.mktemp("before") / "taxonomy", *MARKERS)
    return load_taxonomy(folder).modifiers


@pytest.mark.parametrize(("lang", "modifier", "text"), [
    ("en", "commercially_negotiated_contracts", "This Article does not touch source code "
     "terms that firms have freely agreed in a contract between them."),
    ("es", "commercially_negotiated_contracts", "Las condiciones relativas al código fuente "
     "pactadas libremente en contratos entre empresas no se verán afectadas."),
    ("fr", "commercially_negotiated_contracts", "Le présent article est sans effet sur les "
     "clauses relatives au code source convenues librement dans un contrat entre "
     "entreprises."),
    ("es", "mass_market_only", "Ninguna Parte exigirá la transferencia del código fuente de "
     "programas informáticos de distribución masiva como condición para su importación."),
    ("fr", "mass_market_only", "Aucune Partie n'exige la communication du code source des "
     "logiciels de grande diffusion comme condition de leur vente."),
    ("fr", "general_exceptions", "Les exceptions prévues à l'article XIV de l'AGCS valent "
     "aussi pour le présent chapitre."),
    ("es", "general_exceptions", "Las excepciones del artículo XIV del AGCS son también "
     "aplicables al presente capítulo."),
    ("en", "general_exceptions", "The exceptions in Article XIV of the GATS also cover this "
     "Chapter, with the necessary changes."),
])
def test_the_modifier_is_read_now(before, lang, modifier, text):
    from tradelens.classify.modifiers import modifier_evidence
    from tradelens.taxonomy import load_taxonomy

    assert modifier_evidence(load_taxonomy().modifiers[modifier], None, text, lang)
    assert not modifier_evidence(before[modifier], None, text, lang)


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Les Parties encouragent le transfert de technologies, y compris de logiciels, "
           "entre leurs entreprises selon des modalités librement convenues."),
    ("es", "Las Partes promoverán la transferencia de tecnología y de programas informáticos "
           "en condiciones libremente pactadas en contratos entre empresas."),
    ("en", "The Parties shall encourage the licensing of software on terms freely agreed in "
           "contracts between enterprises."),
])
def test_technology_transfer_on_agreed_terms_preserves_no_source_code_term(lang, text):
    """Freely agreed terms on technology or software licensing are no carve-out for
    source-code terms (the first cues read the French one)."""
    from tradelens.classify.modifiers import modifier_evidence
    from tradelens.taxonomy import load_taxonomy

    modifier = load_taxonomy().modifiers["commercially_negotiated_contracts"]
    assert not modifier_evidence(modifier, None, text, lang)


#: (language, clause, strength): data_free_flow read by the rules now, not before.
READ_NOW = [
    ("en", "On and after its accession, the Republic shall place no ban on the electronic "
           "export of customer data by service suppliers of the other Parties.", "hard"),
    ("es", "Ninguna Parte prohibirá la exportación de datos comerciales por medios "
           "electrónicos.", "hard"),
    ("fr", "Aucune Partie n'interdit l'exportation de données commerciales par voie "
           "électronique.", "hard"),
    ("en", "Each Party shall give favourable consideration to requests from the other Party "
           "to lift limits on the cross-border transfer of commercial information.", "soft"),
    ("fr", "Chaque Partie examinera favorablement les demandes de l'autre Partie visant à "
           "lever les limites aux transferts transfrontières de données.", "soft"),
]


@pytest.mark.parametrize(("lang", "text", "strength"), READ_NOW)
def test_the_rule_is_read_now(pipelines, lang, text, strength):
    assert_read_only_now(pipelines, lang, text, "data_free_flow", strength)


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "The customs authorities of the Parties shall exchange the data of export "
           "declarations electronically."),
    ("en", "Each Party shall maintain controls on the export of information and "
           "communication technology products."),
    ("en", "Each Party shall ensure that paper copies of the information on goods to be "
           "exported are kept for five years."),
    ("es", "Toda persona que desee exportar mercancías presentará la información exigida por "
           "la aduana."),
    ("fr", "Les Parties échangent des informations sur l'exportation d'informations "
           "douanières relatives aux marchandises."),
    ("en", "Each Party shall maintain controls on the export of technical data related to "
           "dual-use goods."),
    ("en", "The Parties shall endeavour to implement common standards and elements for "
           "import and export data in accordance with the WCO Data Model."),
    ("es", "Las aduanas de las Partes intercambiarán la información de las declaraciones "
           "de exportación por medios electrónicos."),
])
def test_export_declarations_and_export_controls_are_no_data_rule(pipelines, lang, text):
    found = decision_alone(pipelines[0], lang, text, "data_free_flow")
    assert found.outcome != "finding", found.reason


@pytest.mark.parametrize(("lang", "modifier", "text"), [
    ("en", "commercially_negotiated_contracts", "Paragraph 1 applies to source code whether "
     "or not the contract under which it was supplied was freely negotiated."),
    ("fr", "commercially_negotiated_contracts", "Le paragraphe 1 s'applique aux clauses "
     "contractuelles sur le code source qui n'ont pas été librement négociées."),
    ("es", "mass_market_only", "El párrafo 1 se aplica a todos los programas informáticos, "
     "no solo a los programas de venta masiva."),
    ("fr", "mass_market_only", "Le paragraphe 1 vise tous les logiciels, y compris les "
     "logiciels de grande diffusion."),
    ("en", "general_exceptions", "The general exceptions in Article XIV of the GATS do not "
     "extend to this Chapter."),
    ("es", "general_exceptions", "Las excepciones generales del artículo XIV del AGCS no son "
     "aplicables al presente capítulo."),
    ("fr", "general_exceptions", "Les exceptions générales de l'article XIV de l'AGCS ne "
     "valent pas pour le présent chapitre."),
])
def test_what_the_review_of_0_17_24_found_over_read_is_no_modifier(lang, modifier, text):
    """Negated or widening wording around a carve-out, mass-market software or general
    exceptions: the first cues of 2027.1.22 read each of these."""
    from tradelens.classify.modifiers import modifier_evidence
    from tradelens.taxonomy import load_taxonomy

    assert not modifier_evidence(load_taxonomy().modifiers[modifier], None, text, lang)
