"""Government data left out of a chapter, in the shapes the scope cues missed (taxonomy
2027.1.19; docs/evaluation.md, 0.17.21).

"Los datos en poder de las administraciones públicas ... quedan fuera del ámbito de este
capítulo" names data, where the Spanish cue read only "información". "Les informations
détenues ou traitées par une Partie ..., ainsi que les mesures qui s'y rapportent,
n'entrent pas dans le champ d'application" puts a long aside between the information and
its exclusion, beyond the French cue's reach. Each leaves government data out of the
chapter (`government_information_excluded`). The clauses are the team's own.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_modifier_read, taxonomy_without

MODIFIER = "government_information_excluded"
MARKERS = ("2027.1.19: los datos (no solo la información) en poder de una Parte o tratados "
           "por su cuenta",
           "2027.1.19: the exclusion stated after a long aside (', ainsi que les mesures qui "
           "s'y rapportent, n'entrent pas dans le champ')")


@pytest.fixture(scope="module")
def before(tmp_path_factory):
    """The modifier as the taxonomy had it before 2027.1.19."""
    from tradelens.taxonomy import load_taxonomy

    folder = taxonomy_without(tmp_path_factory.mktemp("before") / "taxonomy", *MARKERS)
    return load_taxonomy(folder).modifiers[MODIFIER]


@pytest.mark.parametrize(("lang", "text"), [
    ("es", "Los datos en poder de los organismos públicos de una Parte, o procesados en su "
           "nombre, quedan fuera del ámbito del presente capítulo."),
    ("es", "Quedan excluidos de este capítulo los datos que una Parte conserve o trate para "
           "el ejercicio de sus funciones públicas."),
    ("fr", "Les informations détenues par une Partie ou traitées pour son compte, de même que "
           "les mesures qui les concernent directement ou indirectement, n'entrent pas dans le "
           "champ du présent chapitre."),
])
def test_government_data_left_out_of_the_chapter_is_read_now(before, lang, text):
    from tradelens.classify.modifiers import modifier_evidence

    assert_modifier_read(lang, MODIFIER, text, True)
    assert not modifier_evidence(before, None, text, lang)


@pytest.mark.parametrize(("lang", "text"), [
    ("es", "Las Partes cooperarán en la protección de los datos en poder de las "
           "administraciones públicas, que quedan sujetos a su legislación interna."),
    ("fr", "Les informations détenues par les autorités douanières sont échangées selon "
           "l'article 5 et ne sont pas exclues de la coopération prévue au présent chapitre."),
])
def test_government_data_named_without_an_exclusion_is_not(lang, text):
    assert_modifier_read(lang, MODIFIER, text, False)
