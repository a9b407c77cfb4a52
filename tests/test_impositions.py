"""Impersonal and passive prohibitions made systematic, and who an imposition spares
(taxonomy 2026.12.27; docs/evaluation.md, "Impersonal prohibitions made systematic").

A requirement ruled out in the passive ("No podrá exigirse la entrega del código fuente
...", "ne peut être exigé", "shall not be required") binds a Party unless a Party is the
one spared: the sentence's subject ("A Party may not be required to ...") or an actor named
straight after the phrase ("no será exigible a una Parte"). Until 0.17.0 it bound only
where a firm was the first actor named after it, so a prohibition that names no firm, or
names the Party only as the place the rule applies ("... en el territorio de una Parte"),
was no finding. The clauses are the team's own, modelled on digital-trade chapters,
investment protocols and side letters.
"""

from __future__ import annotations

import pytest

from tests.conftest import (
    assert_read_only_now,
    by_the_rules,
    decision_alone,
)
from tradelens.classify.subjects import SubjectReader

MARKERS = (
    "2026.12.27: impersonal and passive prohibitions made systematic; an imposition binds "
    "unless a Party is spared",
    "2026.12.27: an instrument that imposes no obligation on a Party frees it",
)

#: (language, category, clause, strength): read with the 2026.12.27 phrases, not without.
READ = [
    ("en", "source_code_secrecy",
     "Approval of a software product made by a foreign company shall not be made "
     "conditional on the company depositing the product's source code with a regulator.",
     "hard"),
    ("en", "data_free_flow",
     "Limits on moving data between the territories of the Parties by electronic means "
     "shall not be introduced or maintained, save as Article 12 provides.", "hard"),
    ("en", "data_free_flow",
     "The Parties shall spare no effort to let commercial information travel between "
     "their territories without undue obstacles.", "soft"),
    ("es", "source_code_secrecy",
     "No podrá subordinarse la autorización de venta de un programa informático a que su "
     "titular entregue el código fuente a una autoridad de la Parte.", "hard"),
    ("es", "data_free_flow",
     "La transferencia de datos entre las Partes por medios electrónicos no quedará "
     "restringida cuando forme parte de la actividad ordinaria de una persona cubierta.",
     "hard"),
    ("fr", "server_location",
     "L'octroi d'une licence n'est pas subordonné à l'utilisation d'installations "
     "informatiques situées sur le territoire de la Partie qui la délivre.", "hard"),
]

#: Impositions ruled out with no firm named, or with the Party named only as where the
#: rule applies: findings now, by the code (the phrases were there before).
IMPERSONAL = [
    ("es", "source_code_secrecy",
     "No podrá exigirse la divulgación del código fuente de un programa informático como "
     "requisito para su comercialización en el territorio de una Parte."),
    ("es", "source_code_secrecy",
     "El acceso a los algoritmos de un programa informático no podrá imponerse como "
     "requisito para su uso en el territorio de una Parte."),
    ("fr", "source_code_secrecy",
     "La communication du code source d'un logiciel ne peut être exigée comme condition de "
     "sa mise sur le marché d'une Partie."),
    ("en", "server_location",
     "The use of computing facilities located in a Party's territory shall not be required "
     "as a condition for conducting business there."),
]

#: A Party spared, or an instrument that imposes nothing on it: no finding.
FREEING = [
    ("en", "data_free_flow",
     "A Party may not be required to permit the transfer of personal information across "
     "its borders where its privacy law forbids it."),
    ("es", "server_location",
     "No podrá exigirse a una Parte que renuncie a exigir el uso de instalaciones "
     "informáticas en su territorio."),
    ("fr", "data_free_flow",
     "Le présent chapitre n'impose à aucune Partie l'obligation d'autoriser le transfert "
     "de données personnelles vers l'étranger."),
    ("en", "data_free_flow",
     "This Chapter imposes no obligation on a Party to allow information to be sent "
     "across its borders."),
    ("fr", "data_free_flow",
     "Le présent accord n'impose à aucune des Parties l'obligation de laisser circuler "
     "les données personnelles vers l'étranger."),
    ("es", "server_location",
     "Durante cinco años, la República no quedará sujeta al mecanismo de solución de "
     "controversias respecto de las instalaciones informáticas situadas en su territorio."),
]


def test_the_copy_without_the_phrases_lacks_them(pipelines):
    bundled, before = pipelines
    assert "no podrá subordinarse" in bundled.taxonomy.modality["es"]["hard"]
    assert "no podrá subordinarse" not in before.taxonomy.modality["es"]["hard"]


@pytest.mark.parametrize(("lang", "category", "text", "strength"), READ)
def test_the_new_wording_is_read(pipelines, lang, category, text, strength):
    assert_read_only_now(pipelines, lang, text, category, strength)


@pytest.mark.parametrize(("lang", "category", "text"), IMPERSONAL)
def test_an_impersonal_prohibition_binds(pipelines, lang, category, text):
    found = decision_alone(pipelines[0], lang, text, category)
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason


@pytest.mark.parametrize(("lang", "category", "text"), FREEING)
def test_a_party_spared_is_no_finding(pipelines, lang, category, text):
    assert decision_alone(pipelines[0], lang, text, category).outcome != "finding"


def test_a_party_named_right_after_is_spared_and_one_named_later_is_not(pipelines):
    """The same imposition, with the Party as the one spared and as the place."""
    reader = SubjectReader.from_settings(pipelines[0].taxonomy.modality["es"])
    spared = "No será exigible a una Parte que permita el uso de servidores extranjeros."
    place = ("No será exigible el uso de servidores situados en el territorio de una "
             "Parte.")
    for text, binds in ((spared, False), (place, True)):
        end = text.index("exigible") + len("exigible")
        assert reader.imposition_binds(text, 0, 0, end, len(text)) is binds, text
