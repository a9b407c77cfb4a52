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
           "por su cuenta, y su exclusión en la misma oración",
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


#: Data named with a holder that is no Party (tax and customs authorities, firms, a
#: supplier), or an exclusion of something else in another sentence or after a semicolon:
#: the review of 0.17.21 found the first rules read each of these, the first of them a
#: localisation ban, as an exclusion of government data.
NOT_AN_EXCLUSION = [
    ("es", "Los datos tratados por una persona cubierta no estarán sujetos a requisitos de "
           "localización, salvo lo dispuesto en el artículo 14."),
    ("es", "Los datos en poder de las autoridades tributarias podrán compartirse con la otra "
           "Parte. Los servicios financieros quedan fuera del ámbito del presente Capítulo."),
    ("es", "Los datos conservados por las autoridades aduaneras se intercambiarán por medios "
           "electrónicos; dicho intercambio no se extiende a los procedimientos penales."),
    ("es", "El presente Capítulo no abarca la contratación pública. Los datos procesados por "
           "los proveedores de servicios en la nube podrán transferirse libremente."),
    ("es", "Las Partes cooperarán en la protección de los datos en poder de las "
           "administraciones públicas, que quedan sujetos a su legislación interna."),
    ("es", "Los datos que cada Parte conserve sobre importaciones se pondrán a disposición "
           "del público, salvo la información confidencial, que queda excluida de la "
           "publicación."),
    ("fr", "Les informations détenues par les autorités douanières sont échangées "
           "conformément à l'article 5. Les marchandises en transit ne relèvent pas de la "
           "présente section."),
    ("fr", "Les données traitées par les fournisseurs de services informatiques peuvent être "
           "transférées librement, à l'exception des services financiers, qui ne relèvent pas "
           "du présent chapitre."),
    ("fr", "Les données traitées pour le compte d'un fournisseur de services ne peuvent être "
           "soumises à une obligation de localisation, et une telle obligation ne vise pas les "
           "données anonymisées."),
]


@pytest.mark.parametrize(("lang", "text"), NOT_AN_EXCLUSION)
def test_other_data_or_another_exclusion_is_not_read(lang, text):
    assert_modifier_read(lang, MODIFIER, text, False)
