"""Clauses that free a Party or bind no one, and more subjects and verbs of the same
commitments (taxonomy 2026.12.25; docs/evaluation.md, "Construed as obliging").

"Nothing in this Chapter shall be construed to oblige a Party to permit the transfer of
personal data ..." frees the Party, but the phrase "shall ... permit" read it as a binding
rule: the freeing forms knew "construed to require", not "construed to oblige" or "as
obliging". A joint declaration that "creates no legal obligation" binds no one either.
Beside them, subjects and verbs the rules did not know for commitments they did: "No
authority of a Party may ...", "Ningún País Miembro ...", "shall make sure that", "may not
be demanded by any Party", "échanges de vues". The clauses are the team's own.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_read_only_now, by_the_rules, decision_alone, taxonomy_without
from tradelens.analysis import Pipeline
from tradelens.taxonomy import load_taxonomy

FREEING = "2026.12.25: construed as obliging, and instruments that create no obligation"
SUBJECTS = ("2026.12.25: subjects and verbs of the same commitments, read in the development "
            "errors")
SCOPE = '2026.12.25: "... shall be construed to oblige / as obliging a Party to permit ..."'
#: 0.16.0's last change (taxonomy 2026.12.26)
ONLY_IF = "2026.12.26: a permission granted only on a condition restricts; it does not free"
SHALL_OBLIGE = '2026.12.26: "Nothing in this Chapter shall oblige a Party to permit ..."'

#: (language, category, clause): a finding before 2026.12.25, none now.
NOT_RULES = [
    ("en", "data_free_flow",
     "Nothing in this Chapter shall be construed as obliging a Party to allow the transfer "
     "of personal information to a person outside its territory."),
    ("en", "data_free_flow",
     "Nothing in this Annex shall be interpreted as obliging a Party to permit financial "
     "institutions to transfer customer records out of its territory."),
    ("en", "data_free_flow",
     "Nothing in this Protocol shall oblige a Member State to permit the transfer of "
     "personal information across its borders by electronic means."),
    ("en", "data_free_flow",
     "The cross-border transfer of personal information by electronic means shall be "
     "permitted only where the supervisory authority has found the destination's "
     "protection adequate."),
    ("fr", "data_free_flow",
     "Le transfert de données à caractère personnel vers un pays tiers n'est autorisé que si "
     "l'autorité de contrôle a constaté que ce pays assure une protection adéquate."),
    ("fr", "data_free_flow",
     "Déclaration des Parties sur le numérique. Les Parties s'efforcent de faciliter la "
     "libre circulation des données entre leurs économies; la présente déclaration ne crée "
     "aucune obligation juridique."),
]

#: (language, category, clause, strength): read by the rules now, not before.
READ = [
    ("en", "source_code_secrecy",
     "No authority of a Party may demand the source code of software owned by a person of "
     "the other Party as a condition for allowing its sale.", "hard"),
    ("es", "server_location",
     "Ningún País Miembro obligará a una empresa de otro País Miembro a instalar "
     "servidores en su territorio para poder prestar servicios en línea.", "hard"),
]


@pytest.fixture(scope="module")
def pipelines(tmp_path_factory) -> tuple[Pipeline, Pipeline]:
    """The bundled taxonomy, and the same without the 2026.12.25 entries."""
    folder = taxonomy_without(tmp_path_factory.mktemp("before") / "taxonomy", FREEING,
                              SUBJECTS, SCOPE, ONLY_IF, SHALL_OBLIGE)
    return Pipeline(taxonomy=load_taxonomy()), Pipeline(taxonomy=load_taxonomy(folder))


@pytest.mark.parametrize(("lang", "category", "text"), NOT_RULES)
def test_a_clause_that_frees_or_binds_no_one_is_no_finding(pipelines, lang, category, text):
    """Before 2026.12.25 each was a finding. The first two were read through "shall ...
    allow / permit" with a gap across "be construed as obliging a Party to"; since 0.17.2
    a gap does not cross "be" (`modality._GAP_STOP`), so they are no findings even
    without T's phrases, and the copy of the taxonomy shows only the later ones."""
    bundled, before = pipelines
    assert decision_alone(bundled, lang, text, category).outcome != "finding"
    gap_across_be = " be construed " in text or " be interpreted " in text
    assert (decision_alone(before, lang, text, category).outcome == "finding") is \
        (not gap_across_be)


@pytest.mark.parametrize(("lang", "category", "text", "strength"), READ)
def test_the_new_subjects_and_verbs_are_read(pipelines, lang, category, text, strength):
    assert_read_only_now(pipelines, lang, text, category, strength)


def test_a_passive_demand_ruled_out_is_read():
    """Read by these phrases and, since 0.17.13, by others too (an imposition whose agent
    is a Party spares no Party), so it is no longer one only these phrases read."""
    from tradelens.analysis import Pipeline

    found = decision_alone(Pipeline(), "en", "Access to the source code of mass-market "
                           "software may not be demanded by any Party as a condition for its "
                           "import into its territory.", "source_code_secrecy")
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason

