"""Drafting of regional protocols read as their authors mean it (taxonomy 2027.1.1; the
errors of the thirty-fifth blind set, read after its verdict; docs/evaluation.md, "Regional
drafting").

- A phased commitment binds ("shall progressively eliminate restrictions on ...") and a
  phased effort is a best endeavour ("shall progressively work towards ..."); "Neither
  shall a Party require ..." is a prohibition with its subject after the modal.
- A rule whose proviso is a reference to the general exceptions ("..., subject to Article
  XX of the GATT 1994, which applies mutatis mutandis"; "...; el Artículo XIV del AGCS se
  aplica ...") is a rule with that modifier, not an exception clause; so is one whose
  proviso opens with "save where".
- Modifiers written for "State Parties" and "Member States", for national development
  objectives and policy space as the objective a Party judges for itself, and French with
  a masculine subject ("qu'il estime nécessaire"); "en tant que" is not "tant que".

The clauses are the team's own, modelled on regional digital-trade protocols.
"""

from __future__ import annotations

import pytest

from tests.conftest import (
    assert_modifier_read,
    assert_read_only_now,
    by_the_rules,
    decision_alone,
    taxonomy_replaced,
)
from tradelens.taxonomy import load_taxonomy

MARKERS = ("2027.1.1: phased elimination and an inverted 'neither shall' (blind35, read after "
           "its verdict)",)

#: (language, category, clause, strength): read with the 2027.1.1 phrases, not without.
READ = [
    ("en", "data_free_flow",
     "Member States shall progressively eliminate the limits they place on moving business "
     "data across their frontiers by electronic means, by the dates in Schedule B.", "hard"),
    ("en", "server_location",
     "The State Parties shall progressively work towards removing requirements that "
     "service suppliers use or locate computing facilities in the national territory.",
     "soft"),
    ("en", "source_code_secrecy",
     "Neither shall a Member State require a software vendor of another Member State to "
     "hand over the source code of its programs as a condition for selling them.", "hard"),
    ("es", "server_location",
     "Los Estados Miembros eliminarán progresivamente las obligaciones de instalar "
     "servidores en su territorio impuestas a los proveedores de servicios digitales, según "
     "el calendario del Anexo 2.", "hard"),
    ("fr", "server_location",
     "Les États membres œuvrent progressivement à l'allègement des obligations d'héberger "
     "les serveurs des prestataires numériques sur le territoire national.", "soft"),
    ("fr", "data_free_flow",
     "Les États parties éliminent progressivement les restrictions aux transferts "
     "transfrontières de données effectués par voie électronique dans le cadre des "
     "affaires.", "hard"),
]


@pytest.mark.parametrize(("lang", "category", "text", "strength"), READ)
def test_phased_and_inverted_commitments_are_read(pipelines, lang, category, text, strength):
    assert_read_only_now(pipelines, lang, text, category, strength)


#: Rules whose proviso is a reference to the general exceptions, or opens with "save
#: where": (language, category, clause, the modifier the finding carries).
RULES_WITH_PROVISO = [
    ("en", "data_free_flow",
     "Each Member State shall let a covered enterprise send business information out of its "
     "territory by electronic means, subject to Article XIV of the GATS, which applies to "
     "this Article mutatis mutandis.", "general_exceptions"),
    ("es", "data_free_flow",
     "Cada Estado Parte permitirá que una empresa cubierta envíe información comercial fuera "
     "de su territorio por medios electrónicos; el Artículo XIV del AGCS se aplicará a este "
     "Artículo, mutatis mutandis.", "general_exceptions"),
    ("fr", "data_free_flow",
     "Chaque État partie permet à une entreprise visée d'envoyer des informations "
     "commerciales hors de son territoire par voie électronique; l'article XIV de l'AGCS "
     "s'applique au présent article, mutatis mutandis.", "general_exceptions"),
    ("en", "source_code_secrecy",
     "No Member State shall make the sale of software conditional on handing over its "
     "source code, save where the Member State considers such a demand necessary for its "
     "national development objectives.", "lppo_self_judging"),
]

#: The proviso turns as they were before 2027.1.1.
_TURNS_ADDED = {
    "en": "\n    - '[,;]\\s*subject to\\b|;\\s*(the )?articles? [ivxlc\\d]|\\bsave (where|when|"
          "if|to the extent|in so far as|insofar as)\\b'",
    "es": "\n    - '[,;]\\s*(con sujeción a|sujet[oa]s? a)\\b|;\\s*(el |los )?art[íi]culos? "
          "[ivxlc\\d]'",
    "fr": "\n    - '[,;]\\s*sous réserve d|;\\s*(l''|les )?articles? [ivxlc\\d]'",
}


@pytest.mark.parametrize(("lang", "category", "text", "modifier"), RULES_WITH_PROVISO)
def test_a_rule_with_its_proviso_is_a_finding_that_carries_it(
        pipelines, tmp_path, lang, category, text, modifier):
    from tradelens.analysis import Pipeline

    bundled, _ = pipelines
    found = decision_alone(bundled, lang, text, category)
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason
    assert modifier in {hit.modifier for hit in found.finding.modifiers}
    before = Pipeline(taxonomy=load_taxonomy(taxonomy_replaced(
        tmp_path / "taxonomy", _TURNS_ADDED[lang], "")))
    assert "exception or enforceability clause" in \
        decision_alone(before, lang, text, category).reason


#: (language, modifier, text, whether the modifier is there)
MODIFIERS = [
    ("en", "lppo_self_judging",
     "A State Party may keep a measure inconsistent with paragraph 1 where the State Party "
     "considers such a measure necessary to safeguard its policy space in the digital "
     "economy.", True),
    ("es", "lppo_self_judging",
     "Un Estado Miembro podrá mantener una restricción cuando considere que es necesaria "
     "para sus objetivos nacionales de desarrollo.", True),
    ("fr", "lppo_self_judging",
     "Un État membre peut maintenir une restriction s'il estime qu'elle est nécessaire à sa "
     "politique industrielle.", True),
    # A Member State judging its own security is security, not public policy, self-judging.
    ("en", "lppo_self_judging",
     "Paragraph 1 applies subject to measures which a Member State deems necessary for the "
     "protection of its essential security interests, and to measures needed for a "
     "legitimate public policy objective that are no more restrictive than necessary.",
     False),
    ("en", "security_self_judging",
     "Paragraph 1 applies subject to measures which a Member State deems necessary for the "
     "protection of its essential security interests, and to measures needed for a "
     "legitimate public policy objective that are no more restrictive than necessary.",
     True),
    ("en", "lppo_necessity",
     "Paragraph 1 applies subject to measures which a Member State deems necessary for the "
     "protection of its essential security interests, and to measures needed for a "
     "legitimate public policy objective that are no more restrictive than necessary.",
     True),
    ("en", "lppo_necessity",
     "Paragraph 2 does not stop a Party from requiring local servers where the Party "
     "considers this necessary to achieve a legitimate public policy objective.", False),
    ("fr", "security_self_judging",
     "Rien dans la présente annexe n'empêche un État partie de prendre une mesure qu'il "
     "estime nécessaire à la protection de ses intérêts essentiels de sécurité.", True),
    ("en", "no_dispute_settlement",
     "No State Party shall have recourse to dispute settlement under the Protocol on "
     "Dispute Settlement for any matter arising under this Annex.", True),
    ("es", "no_dispute_settlement",
     "El mecanismo de solución de controversias del Protocolo no se aplicará a ningún asunto "
     "que surja en virtud del presente Anexo.", True),
    ("fr", "no_dispute_settlement",
     "Aucun État membre ne peut recourir au règlement des différends pour une question "
     "relevant du présent protocole.", True),
    ("fr", "no_dispute_settlement",
     "Le mécanisme de règlement des différends ne s'applique à aucune question découlant du "
     "présent titre.", True),
    ("en", "government_information_excluded",
     "This Protocol shall not apply to information held or processed by or on behalf of a "
     "State Party.", True),
    ("fr", "temporary_exemption",
     "Un État partie inscrit en tant que pays moins avancé n'est pas soumis au règlement des "
     "différends pour ses obligations au titre de l'article 9 pendant cinq ans.", True),
]


@pytest.mark.parametrize(("lang", "modifier", "text", "present"), MODIFIERS)
def test_modifiers_in_regional_drafting(lang, modifier, text, present):
    assert_modifier_read(lang, modifier, text, present)
