"""Server-location cues for computing equipment and the machines that hold the data
(taxonomy 2026.12.20; docs/evaluation.md, "A list item read with its lead-in").

A rule may name the equipment instead of "computing facilities" or "servers": "equipos de
cómputo", "matériel informatique", the machines on which a firm keeps its data. Such a
cue only lowers the topic model's bar; it must not match a definition that names the same
equipment with no place. The wording is the team's own.
"""

from __future__ import annotations

import pytest

from tradelens.taxonomy import load_taxonomy

CUES = load_taxonomy().categories["server_location"].cues

NAMED = [
    ("en", "to install computing equipment in its territory before it may trade"),
    ("en", "keeping data storage hardware within its territory"),
    ("en", "where a firm keeps the machines on which it stores its customers' data"),
    ("en", "records held on domestic hardware"),
    ("es", "que utilice o instale equipos de cómputo en su territorio"),
    ("es", "la instalación, en su territorio, de equipos de almacenamiento de datos"),
    ("es", "mantenga en el país las máquinas en las que procesa sus datos"),
    ("es", "que instale equipos de cómputo dentro del territorio nacional"),
    ("fr", "d'implanter du matériel informatique sur son territoire"),
    ("fr", "des équipements de stockage situés sur son territoire"),
    ("fr", "les machines sur lesquelles il conserve ses données"),
]

NOT_NAMED = [
    ("en", "computing facilities means servers and data storage equipment used to process "
           "information for commercial purposes"),
    ("en", "published in a format that machines can read"),
    ("en", "customs offices shall use automated machines that process applications for "
           "import licences"),
    ("es", "por instalaciones de datos se entienden los equipos de almacenamiento con que una "
           "empresa guarda información"),
    ("fr", "les serveurs et équipements de stockage qu'une entreprise emploie pour traiter "
           "des informations"),
    ("fr", "la coïmplantation des équipements des fournisseurs de télécommunications"),
]


def _named(lang: str, text: str) -> bool:
    return any(pattern.search(text) for pattern in CUES[lang])


@pytest.mark.parametrize(("lang", "text"), NAMED)
def test_the_equipment_named_with_its_place_is_a_cue(lang, text):
    assert _named(lang, text)


@pytest.mark.parametrize(("lang", "text"), NOT_NAMED)
def test_the_equipment_named_in_a_definition_is_not(lang, text):
    assert not _named(lang, text)
