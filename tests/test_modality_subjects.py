"""Rights of firms and duties of Parties, read by their subject (taxonomy 2026.12.6 and 7).

"Insurers of the other Party shall be entitled to send ..." binds the Party to let them;
"Each Party shall have the right to ..." frees it. "Los titulares ... no estarán obligados
a entregar el código" protects the owners; "Ninguna Parte estará obligada a ..." frees the
Party. The phrase matcher sees the same words, so `tradelens/classify/subjects.py` reads
who the sentence is about. Both matching backends (pure Python and spaCy) must agree. All
clauses are the team's own wording.
"""

from __future__ import annotations

import pytest

from tradelens.analysis import Pipeline
from tradelens.classify.modality import python_tools, read_strength, spacy_tools
from tradelens.classify.subjects import SubjectReader
from tradelens.models import Clause
from tradelens.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()

CASES = [
    # rights granted to firms and persons: binding
    ("en", "Insurers of the other Party shall be entitled to send policyholder records "
           "abroad for processing.", "hard"),
    ("en", "Subject to its prudential rules, a bank of a Party may move the data of its "
           "clients to its head office abroad.", "hard"),
    ("en", "Developers of the other Party shall not be obliged to hand the code of their "
           "programs to any authority.", "hard"),
    ("en", "Each Party guarantees that a covered person may store its records wherever it "
           "chooses.", "hard"),
    ("es", "Las aseguradoras de la otra Parte tendrán derecho a enviar al extranjero los "
           "registros de sus asegurados.", "hard"),
    ("es", "Los desarrolladores de una Parte no estarán obligados a revelar el código de "
           "sus programas.", "hard"),
    ("fr", "Les assureurs de l'autre Partie sont libres de conserver leurs fichiers hors "
           "du territoire.", "hard"),
    ("fr", "Les éditeurs de logiciels ne sont pas tenus de remettre le code de leurs "
           "programmes aux autorités.", "hard"),
    # duties laid on a Party in a form that also frees ("no obligará", "n'oblige pas")
    ("es", "Una Parte no podrá obligar a un proveedor de la otra Parte a instalar sus "
           "servidores en el país.", "hard"),
    ("fr", "Une Partie n'oblige pas les fournisseurs de l'autre Partie à héberger leurs "
           "données sur son territoire.", "hard"),
    # the same words about a Party, or about nobody: no right, no duty
    ("en", "Each Party shall have the right to set its own rules on where records are "
           "kept.", "none"),
    ("en", "A Party may require a bank to keep copies of its records at home.", "none"),
    ("en", "Suppliers may be required to keep a copy of their records in the territory.",
     "none"),
    ("en", "No Party shall be obliged to let records of its ministries leave its "
           "territory.", "negated"),
    ("en", "The Parties confirm that Article 9 does not oblige either of them to open its "
           "registers.", "negated"),
    ("es", "Las empresas no podrán enviar al exterior los datos de los censos.", "none"),
    ("es", "Cada Parte tendrá derecho a exigir que los registros públicos se guarden en "
           "el país.", "none"),
    ("es", "El presente artículo no obligará a una Parte a autorizar la salida de sus "
           "archivos.", "negated"),
    ("fr", "Une Partie peut exiger que les registres publics soient conservés sur son "
           "territoire.", "none"),
    ("fr", "Le présent chapitre n'oblige pas une Partie à ouvrir ses registres.", "negated"),
    ("fr", "Aucune Partie n'est tenue d'autoriser la sortie de ses archives.", "negated"),
    # a review's probes: limits on firms, powers, relative and possessive subjects, and
    # requirements whose bearer follows the phrase
    ("en", "Suppliers may only store the data of their clients on servers in the territory.",
     "none"),
    ("en", "Such suppliers may, however, be required to keep a copy of their records at "
           "home.", "none"),
    ("en", "No supplier may move the personal data of residents outside the territory.",
     "none"),
    ("en", "A Party that licenses a supplier may require it to keep its records locally.",
     "none"),
    ("en", "Supervisory institutions may require banks to keep their records in the "
           "territory.", "none"),
    ("en", "Where it is needed for its business, an enterprise may move information across "
           "borders.", "hard"),
    ("en", "A Party's commitments under paragraph 1 do not require it to allow transfers of "
           "public records.", "none"),
    ("en", "The Joint Committee does not require the Parties to open their registers.",
     "none"),
    ("en", "No requirement shall be imposed on a Party to let its public records leave.",
     "none"),
    ("es", "Sólo las empresas autorizadas podrán guardar datos fuera del territorio.", "none"),
    ("es", "Ningún proveedor podrá sacar del país los datos personales de los residentes.",
     "none"),
    ("es", "No será exigible a los proveedores la entrega del código fuente de sus "
           "programas.", "hard"),
    ("es", "No será exigible a una Parte que autorice la salida de sus registros públicos.",
     "none"),
    ("fr", "Les fournisseurs peuvent notamment être tenus de conserver leurs données sur le "
           "territoire.", "none"),
    ("fr", "Le présent chapitre ne saurait exiger d'une Partie qu'elle ouvre ses archives.",
     "none"),
    ("fr", "Une Partie ne saurait exiger d'un éditeur qu'il remette le code de ses "
           "logiciels.", "hard"),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES)
def test_rights_and_duties_are_read_by_their_subject_alike_in_both_matchers(lang, text,
                                                                            expected):
    readings = []
    for tools in (python_tools(lang, TAXONOMY), spacy_tools(lang, TAXONOMY)):
        strength, spans = read_strength(tools, tools.nlp(text), None)
        readings.append((strength, [(s.start, s.end, s.cue) for s in spans]))
    assert readings[0] == readings[1]
    assert readings[0][0] == expected, readings[0]


def _reader(lang: str) -> SubjectReader:
    return SubjectReader.from_settings(TAXONOMY.modality[lang])


@pytest.mark.parametrize(("lang", "before", "expected"), [
    ("en", "Banks and insurers of the other Party", "private"),
    ("en", "Subject to the Party's laws, a financial institution", "private"),
    ("en", "A Party, at the request of an enterprise,", "public"),
    ("en", "The Parties agree that suppliers", "private"),
    ("en", "The Parties confirm that this Article", None),
    ("en", "A Party that licenses a supplier", "public"),
    ("en", "A Party's commitments under paragraph 1", None),
    ("en", "Where it is needed for its business, an enterprise", "private"),
    ("en", "In accordance with the law of each Party", None),
    ("en", "Each Party shall ensure the following: users", "private"),
    ("es", "Las instituciones financieras de una Parte", "private"),
    ("es", "De conformidad con la legislación de la Parte, las empresas", "private"),
    ("fr", "Toute entreprise d'un État partie", "private"),
    ("fr", "Sous réserve des lois de l'État, les prestataires", "private"),
    ("fr", "Chaque Partie", "public"),
])
def test_the_subject_is_the_first_actor_no_preposition_governs(lang, before, expected):
    assert _reader(lang).subject(before) == expected


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def _findings(pipeline: Pipeline, lang: str, text: str) -> dict[str, str]:
    clause = Clause(clause_id="t:a1:p1", agreement_id="t", chapter=None, article=None,
                    article_key="a1", paragraph="1", location="x", text=text)
    result, _ = pipeline.classify_clauses([clause], lang)
    return {f.category: f.strength for f in result.findings}


def test_a_right_of_financial_institutions_is_a_binding_data_flow_finding(pipeline):
    text = ("Las instituciones financieras de la otra Parte podrán transferir por vía "
            "electrónica, hacia el territorio de la Parte y desde él, la información que "
            "requiera el procesamiento de datos en el curso ordinario de sus negocios.")
    assert _findings(pipeline, "es", text).get("data_free_flow") == "hard"


def test_a_partys_right_to_require_local_storage_is_no_finding(pipeline):
    text = ("Cada Parte tendrá derecho a exigir que las instituciones financieras conserven "
            "en su territorio una copia de la información que transfieran al exterior.")
    assert "data_free_flow" not in _findings(pipeline, "es", text)
    assert "server_location" not in _findings(pipeline, "es", text)
