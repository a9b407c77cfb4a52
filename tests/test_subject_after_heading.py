"""A firm's right read past an article's heading, and a refusal before a power noun
(0.17.2; docs/evaluation.md, "Impositions read by who is spared").

"Article 9 Protection of Software Suppliers A supplier of software ... may decline any
demand ... to reveal the source code" grants the supplier a freedom, but the subject
reader saw the heading's "of" govern every actor after it (no comma ends the title), and
"demand" among the three words after "may" read as a power over others ("may demand").
The subject is now read from the determiner that opens the sentence after the heading, and
a power verb or noun undoes a right only when no refusal ("decline", "negarse",
"refuser") comes before it. The clauses are the team's own.
"""

from __future__ import annotations

import pytest

from tests.conftest import by_the_rules, decision_alone
from tradelens.analysis import Pipeline
from tradelens.classify.subjects import SubjectReader
from tradelens.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()

HEADED_RIGHTS = [
    ("en", "Article 4 Protection of Software Vendors A vendor of software of one Party may "
           "decline any demand by an authority of the other Party to hand over the source "
           "code of that software, and no licence shall be withheld for that reason."),
    ("es", "Artículo 4 Protección de los Proveedores de Programas Un proveedor de programas "
           "informáticos de una Parte podrá negarse a entregar a una autoridad de la otra "
           "Parte el código fuente de dichos programas."),
    ("fr", "Article 4 Protection des éditeurs de logiciels Un éditeur de logiciels d'une "
           "Partie peut refuser de remettre à une autorité de l'autre Partie le code source "
           "de ses logiciels."),
]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(taxonomy=TAXONOMY)


@pytest.mark.parametrize(("lang", "text"), HEADED_RIGHTS)
def test_a_firm_s_right_under_a_heading_binds(pipeline, lang, text):
    found = decision_alone(pipeline, lang, text, "source_code_secrecy")
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason


def test_the_subject_is_read_after_the_heading():
    reader = SubjectReader.from_settings(TAXONOMY.modality["en"])
    headed = "Article 9 Protection of Software Suppliers A supplier of software "
    assert reader.subject(headed) == "private"
    assert reader.subject("Protection of Software Suppliers, for a supplier ") is None
    assert reader.subject("Article 12 Source Code No Party ") == "public"


def test_a_power_over_others_still_undoes_a_right():
    """"may demand" and "may, where needed, require" are powers, not freedoms; "may
    decline any demand" is a freedom."""
    reader = SubjectReader.from_settings(TAXONOMY.modality["en"])
    for text, granted in (("A supplier may demand the code.", False),
                          ("A supplier may decline any demand for the code.", True)):
        start = text.index("may")
        assert reader.grants_private_right(text, 0, start, start + 3) is granted, text
