"""A firm or a person no one may oblige (taxonomy 2027.1.11, `spared`; docs/evaluation.md,
0.17.13).

"No covered person shall be required by a Party to use computing facilities in its
territory", "Ninguna empresa podrá ser obligada a ...", "Nul ne peut être contraint par une
Partie de stocker ses données ..." bind the Party, which may not oblige them. Until 0.17.13
the English read no wording in them (a denied subject made the right no right), and the
Spanish and French took the passive obligation for a negation, as in "Ninguna Parte estará
obligada a ...", which frees a Party and still does. The clauses are the team's own,
modelled on digital-trade chapters, financial-services annexes and side letters.
"""

from __future__ import annotations

import copy

import pytest

from tests.conftest import by_the_rules, decision_alone
from tradelens.analysis import Pipeline
from tradelens.classify.subjects import SubjectReader
from tradelens.taxonomy import load_taxonomy

#: (language, category, clause): a hard finding by the rules now, none by them before.
SPARED = [
    ("en", "server_location",
     "No covered person shall be required by a Party to use or locate computing facilities "
     "in that Party's territory as a condition for conducting business there."),
    ("en", "server_location",
     "Nobody shall be compelled by a Party to rely on local data centres as a condition for "
     "supplying a service in its territory."),
    ("es", "server_location",
     "Ninguna empresa de la otra Parte podrá ser obligada a almacenar sus datos en "
     "servidores situados en el territorio de una Parte para prestar servicios en él."),
    ("es", "server_location",
     "Una persona cubierta no estará obligada por una Parte a utilizar o ubicar "
     "instalaciones informáticas en su territorio como condición para realizar negocios."),
    ("fr", "server_location",
     "Nul ne peut être contraint par une Partie de stocker ses données sur des serveurs "
     "implantés sur le territoire de cette Partie pour pouvoir y exercer ses activités."),
    ("fr", "source_code_secrecy",
     "Aucun éditeur de logiciels de l'autre Partie n'est tenu de communiquer le code source "
     "de ses logiciels comme condition de leur vente sur le territoire d'une Partie."),
    # after the review of 0.17.13: the French negation in the phrase itself, no one, a
    # denying word four words away, "neither ... nor"
    ("fr", "server_location",
     "Un fournisseur de l'autre Partie ne peut être contraint par une Partie d'utiliser des "
     "installations informatiques situées sur son territoire comme condition de l'exercice "
     "de ses activités."),
    ("fr", "server_location",
     "Personne ne peut être contraint par une Partie d'utiliser des installations "
     "informatiques situées sur son territoire comme condition de l'exercice de ses "
     "activités."),
    ("en", "server_location",
     "No covered financial service supplier shall be required by a Party to use or locate "
     "computing facilities in its territory as a condition for conducting business."),
    ("en", "server_location",
     "Neither a covered person nor its affiliates shall be required by a Party to use or "
     "locate computing facilities in its territory as a condition for conducting business."),
]

#: A Party spared (freed: no commitment), or a firm given a duty (no commitment either).
NOT_SPARED = [
    ("en", "server_location",
     "No Party shall be required to permit suppliers to locate computing facilities outside "
     "its territory."),
    ("es", "server_location",
     "Ninguna Parte estará obligada a permitir que los proveedores ubiquen instalaciones "
     "informáticas fuera de su territorio."),
    ("fr", "server_location",
     "Aucune Partie n'est tenue de permettre aux fournisseurs d'implanter des installations "
     "informatiques hors de son territoire."),
    ("en", "server_location",
     "A supplier shall be required to keep a copy of its records on servers in the "
     "territory of the Party."),
    ("en", "data_free_flow",
     "Where no adequacy finding exists, a controller shall be required to obtain consent "
     "before sending personal data abroad."),
    # after the review of 0.17.13: a Party denied it in "Nulle Partie", a denying word that
    # is not the subject's, "No" as a number
    ("fr", "server_location",
     "Nulle Partie n'est tenue de permettre aux fournisseurs d'implanter des installations "
     "informatiques hors de son territoire."),
    ("fr", "server_location",
     "Nulle Partie ne peut être contrainte de permettre l'implantation d'installations "
     "informatiques hors de son territoire."),
    ("en", "server_location",
     "If no individual objects, a service provider shall be required to retain the data on "
     "servers located in the territory of the Party."),
    ("es", "server_location",
     "Las empresas que no sean proveedores de servicios financieros estarán obligadas a "
     "almacenar sus registros en servidores ubicados en el territorio de la Parte."),
    ("en", "server_location",
     "Under Regulation No 2016/679, a controller shall be required to keep personal data on "
     "servers located in the territory of the Party."),
]


@pytest.fixture(scope="module")
def pipelines() -> tuple[Pipeline, Pipeline]:
    """The bundled taxonomy's pipeline, and one whose modality has no `spared` lists."""
    bundled = load_taxonomy()
    before = copy.deepcopy(bundled)
    for phrases in before.modality.values():
        phrases.pop("spared", None)
    return Pipeline(taxonomy=bundled), Pipeline(taxonomy=before)


def test_every_language_has_the_list_and_the_copy_lacks_it(pipelines):
    bundled, before = pipelines
    for lang in ("en", "es", "fr"):
        assert bundled.taxonomy.modality[lang]["spared"]
        assert "spared" not in before.taxonomy.modality[lang]


@pytest.mark.parametrize(("lang", "category", "text"), SPARED)
def test_a_subject_no_one_may_oblige_binds_the_party(pipelines, lang, category, text):
    bundled, before = pipelines
    found = decision_alone(bundled, lang, text, category)
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason
    assert any(s.cue == "modality:hard" for s in found.finding.evidence)
    assert not by_the_rules(decision_alone(before, lang, text, category))


@pytest.mark.parametrize(("lang", "category", "text"), NOT_SPARED)
def test_a_party_freed_or_a_firm_bound_is_no_finding(pipelines, lang, category, text):
    assert decision_alone(pipelines[0], lang, text, category).outcome == "no commitment"


@pytest.mark.parametrize(("lang", "text", "phrase", "spared"), [
    ("en", "No covered person shall be required by a Party to ...", "shall be required", True),
    ("en", "A covered person shall not be required to ...", "shall not be required", True),
    ("en", "No Party shall be required to ...", "shall be required", False),
    ("en", "A supplier shall be required to ...", "shall be required", False),
    ("en", "Where no agreement exists, a supplier shall be required to ...",
     "shall be required", False),
    ("es", "Nadie podrá ser obligado por una Parte a ...", "podrá ser obligado", True),
    ("fr", "Nul ne peut être contraint de ...", "ne peut être contraint", True),
    ("fr", "Aucune Partie n'est tenue de ...", "n'est tenue", False),
    ("fr", "Nulle Partie n'est tenue de ...", "n'est tenue", False),
    ("fr", "Personne ne peut être contraint de ...", "ne peut être contraint", True),
    ("en", "No one shall be required to ...", "shall be required", True),
    ("en", "No bank may transfer data unless the transfer shall be required by law ...",
     "shall be required", False),
])
def test_who_the_passive_obligation_is_denied_to(lang, text, phrase, spared):
    reader = SubjectReader.from_settings(load_taxonomy().modality[lang])
    start = text.index(phrase)
    assert reader.spares_a_private_actor(text, 0, start, start + len(phrase)) is spared


def test_the_agent_of_an_imposition_is_not_the_one_spared():
    """"imposed by a Party on a covered person" spares the person: the Party would
    require (until 0.17.13 the Party, named first, was taken for the one spared)."""
    reader = SubjectReader.from_settings(load_taxonomy().modality["en"])
    for text, binds in (
            ("No requirement shall be imposed by a Party on a covered person to use local "
             "servers.", True),
            ("No requirement shall be imposed on a Party to allow foreign servers.", False)):
        end = text.index("imposed") + len("imposed")
        assert reader.imposition_binds(text, 0, 0, end, len(text)) is binds, text
