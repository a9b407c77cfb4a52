"""Rules stated by amending, accession and interpretative instruments (0.17.23, taxonomy
2027.1.21; docs/evaluation.md).

A protocol or a joint committee's decision quotes the rule it puts in place after a
preamble ("Paragraph 1 of Article 12.7 is replaced by the following: '1. No Party shall
...'"). The preamble ran on into the quoted rule, so a rule with a proviso ("unless ...
necessary") read as an exception clause, and the rule's binding words were lost; the
preamble is now blanked (`text/amending.py`). Instruments of accession and side letters
also bind in wordings the phrase lists lacked: "Under no circumstances may a Party ...",
"no se podrá requerir", "Les Parties ne conditionnent pas", "elle n'imposera pas", "il ne
peut donc imposer". The clauses are the team's own, modelled on protocols of amendment,
decisions of joint bodies and accession terms.
"""

from __future__ import annotations

import random

import pytest

from tests.conftest import assert_read_only_now, by_the_rules, decision_alone
from tradelens.text import amending
from tradelens.text.amending import amending_preambles, blank_amending_preambles

MARKERS = ('2027.1.21: prohibitions opened by "under no circumstances" or "in no case", and '
           'undertakings not to with an aside between',
           "2027.1.21: impersonal prohibitions with requerir",
           "2027.1.21: a prohibition with an adverb between the modal and its verb",
           "2027.1.21: Parties that do not condition, and the future of imposer, exiger and "
           "subordonner, negated (binding with a public subject)",
           "2027.1.21: servers or storage and 'our territory', as a side letter or a Party's "
           "own undertaking says it",
           "2027.1.21: sacar la información o los datos del territorio",
           "2027.1.21: faire sortir les informations ou les données du territoire")

PREAMBLES = [
    ("Paragraph 1 of Article 12.7 is replaced by the following: ",
     "'1. No Party shall require the transfer of source code.'"),
    ("Protocol, Article 3. Article 14.2 (Scope) is amended by adding the following "
     "paragraph: ", "'5. This Chapter shall not apply to government procurement.'"),
    ("Se incorpora al Capítulo 13 el siguiente artículo: ",
     "«Artículo 13.9 Ninguna Parte exigirá el uso de servidores locales.»"),
    ("El párrafo 2 del artículo 8.4 quedará redactado como sigue: ",
     "«2. Cada Parte permitirá la transferencia de datos.»"),
    ("L'article 8.4 est ainsi rédigé : ", "« Article 8.4 Aucune Partie n'exige ... »"),
    ("Il est ajouté à l'article 12.2 le paragraphe suivant : ",
     "« 3. Le présent chapitre ne s'applique pas aux marchés publics. »"),
]


@pytest.mark.parametrize(("preamble", "quoted"), PREAMBLES)
def test_the_preamble_is_blanked_and_the_quoted_rule_kept(preamble, quoted):
    text = preamble + quoted
    blanked = blank_amending_preambles(text)
    assert len(blanked) == len(text)
    kept = quoted.lstrip("'«").strip()
    assert kept in blanked, blanked
    # only the instrument's own words go: a heading before the preamble stays
    assert blanked.split(kept)[0].strip() in ("", "Protocol, Article 3.")


@pytest.mark.parametrize("text", [
    "Each Party shall ensure that the following information is published: the measure and "
    "its legal basis.",
    "Article 5 applies as follows: no Party shall require the use of local servers.",
    "The Parties shall review this Chapter. Such review shall consider the following: "
    "data flows and computing facilities.",
    "Cada Parte podrá modificar sus medidas: ninguna Parte exigirá el uso de servidores.",
    # a Party bound to amend, or a provision "that is amended" inside a rule: the review of
    # 0.17.23 found the first pattern blanked each rule's binding words
    "Each Party shall ensure that its law is amended as follows: no person shall be required "
    "to store data in its territory.",
    "No Party shall require that source code of software, as referred to in Article 3, is "
    "modified or disclosed as a condition for the following: import, distribution or sale.",
    "Ninguna Parte exigirá que el código fuente del programa que se modifica conforme al "
    "artículo 3 se transfiera como condición para lo siguiente: importación o venta.",
    "Aucune Partie n'exige d'une personne couverte, au sens de l'article 2 tel qu'il est "
    "complété par l'annexe, ce qui suit : utiliser des installations informatiques sur son "
    "territoire.",
    "Article 12.7 shall read 'No Party shall require a covered person to do the following: "
    "use or locate computing facilities in its territory'",
])
def test_a_rule_that_is_not_an_amendment_is_left_alone(text):
    assert blank_amending_preambles(text) == text


def test_the_guarded_search_skips_only_texts_without_a_preamble():
    """A text without a colon or an amending verb is not searched with the whole pattern;
    that never skips one the plain search would find."""
    pieces = ["Article 12.7", " is replaced by the following", ": ", "'1. ", "No Party",
              " shall", ". ", "; ", "El artículo 3", " se sustituye por", " est ainsi rédigé",
              " quedará redactado", "«", "»", " text", "paragraph 2", " amended", " reads"]
    rng = random.Random(7)
    cases = ["".join(rng.choice(pieces) for _ in range(rng.randint(2, 10)))
             for _ in range(3000)]
    found = 0
    for text in cases:
        plain = [m.span() for m in amending._PREAMBLE.finditer(text)]
        assert amending_preambles(text) == plain, text
        found += bool(plain)
    assert found >= 20


#: (language, category, amending text with a proviso, strength): the quoted rule is read.
QUOTED_RULES = [
    ("en", "source_code_secrecy", "Paragraph 1 of Article 12.7 is replaced by the following: "
     "'1. No Party shall require the transfer of, or access to, source code of software as a "
     "condition for its import, unless the requirement is necessary to achieve a legitimate "
     "public policy objective.'", "hard"),
    ("fr", "source_code_secrecy", "Le paragraphe 1 de l'article 12.7 est remplacé par le "
     "texte suivant : « 1. Aucune Partie ne subordonne l'importation d'un logiciel à "
     "l'obligation d'en transférer le code source, sauf si cette exigence est nécessaire à "
     "la réalisation d'un objectif légitime de politique publique. »", "hard"),
    ("es", "server_location", "Protocolo Modificatorio, artículo 4. Se incorpora al Capítulo "
     "11 el siguiente artículo: «Artículo 11.8 Instalaciones Informáticas 1. Ninguna Parte "
     "exigirá a una persona cubierta utilizar instalaciones informáticas en su territorio "
     "como condición para operar en él. 2. Para efectos de este artículo, el artículo XIV del "
     "AGCS se incorpora al presente Acuerdo.»", "hard"),
]


@pytest.mark.parametrize(("lang", "category", "text", "strength"), QUOTED_RULES)
def test_a_rule_quoted_by_an_amending_instrument_is_read(lang, category, text, strength,
                                                         pipelines):
    found = decision_alone(pipelines[0], lang, text, category)
    assert by_the_rules(found) and found.finding.strength == strength, found.reason


#: (language, category, clause, strength): read by the phrases of 2027.1.21, not before.
READ_NOW = [
    ("en", "source_code_secrecy", "Under no circumstances may a Party make the sale of "
     "software conditional on the disclosure of its source code to a public body.", "hard"),
    ("es", "source_code_secrecy", "A partir de la adhesión, no se podrá requerir a ningún "
     "proveedor que entregue el código fuente de sus programas informáticos como condición "
     "para venderlos.", "hard"),
    ("fr", "source_code_secrecy", "Les Parties ne conditionnent pas la vente d'un logiciel "
     "à la communication de son code source.", "hard"),
    ("fr", "source_code_secrecy", "La République confirme qu'elle n'exigera pas des "
     "éditeurs de logiciels de l'autre Partie qu'ils révèlent leur code source comme "
     "condition de la vente de leurs produits.", "hard"),
    ("fr", "server_location", "Il ne peut en aucun cas exiger d'une personne couverte "
     "qu'elle utilise des installations informatiques situées sur son territoire.", "hard"),
    ("fr", "data_free_flow", "Chaque Partie permet aux prestataires de faire sortir de son "
     "territoire les données de leurs clients.", "hard"),
    ("es", "data_free_flow", "Ninguna Parte impedirá a un proveedor sacar del país, por vía "
     "electrónica, los datos de sus clientes cuando los necesite para su negocio.", "hard"),
]


@pytest.mark.parametrize(("lang", "category", "text", "strength"), READ_NOW)
def test_the_rule_is_read_now(pipelines, lang, category, text, strength):
    assert_read_only_now(pipelines, lang, text, category, strength)


@pytest.mark.parametrize(("lang", "category", "text"), [
    ("en", "data_free_flow", "Under no circumstances may this Chapter be construed as "
     "requiring a Party to permit the cross-border transfer of personal information."),
    ("en", "server_location", "In no case may a Party be required to permit the storage of "
     "data in computing facilities located outside its territory."),
    ("en", "server_location", "We shall ensure that data centres in our territory comply "
     "with our cybersecurity standards."),
    ("es", "data_free_flow", "Las Partes buscarán sacar el máximo provecho de los datos "
     "estadísticos que intercambien con el exterior."),
    ("fr", "data_free_flow", "Les Parties coopèrent pour faire sortir de la clandestinité "
     "les données sur le commerce informel."),
])
def test_what_the_review_of_0_17_23_found_over_read_is_no_rule(pipelines, lang, category,
                                                                 text):
    """Freeing clauses and passives after "under no circumstances may", a Party's own
    data centres, and "sacar" or "faire sortir" said of something else."""
    found = decision_alone(pipelines[0], lang, text, category)
    assert found.outcome != "finding", found.reason


def test_an_undertaking_not_to_with_an_aside_binds_but_one_to_consult_stays_soft(pipelines):
    bound = decision_alone(pipelines[0], "en", "Each Party undertakes, in accordance with "
                           "this Chapter, not to restrict cross-border transfers of "
                           "information by electronic means.", "data_free_flow")
    assert by_the_rules(bound) and bound.finding.strength == "hard", bound.reason
    consult = decision_alone(pipelines[0], "en", "The Parties undertake to consult each other "
                             "regularly in order not to create unnecessary barriers to "
                             "cross-border data flows.", "data_free_flow")
    assert consult.outcome != "finding" or consult.finding.strength == "soft", consult.reason
