"""Topic cues written as words near each other, in any order (taxonomy 2026.12.23;
docs/evaluation.md, "Topic cues in any word order").

A drafter can name servers and the territory in either order ("host its servers in its
territory", "host, in its territory, the servers"), and moving, data and the border in
several ("send information, in electronic or any other form, into and out of the
territory"). A cue written `{near: [...], within: N}` matches its terms in every order,
each within N characters of the one before. The clauses are the team's own, modelled on
licensing conditions, financial-services annexes and plain-language drafting.
"""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from tests.conftest import decision_alone
from tradelens.analysis import Pipeline
from tradelens.errors import SetupError
from tradelens.taxonomy import default_taxonomy_dir, load_taxonomy, near_pattern

TAXONOMY = load_taxonomy()

#: (language, category, clause, strength): found with the near cues, not without them.
FOUND = [
    ("en", "server_location",
     "No Party shall make the grant of a licence for an online platform depend on whether "
     "the applicant hosts, in that Party's territory, the servers it runs the platform on.",
     "hard"),
    ("es", "server_location",
     "Ningún Estado Parte podrá obligar a un prestador de otro Estado Parte a mantener sus "
     "equipos de almacenamiento de datos dentro de sus fronteras para poder atender a "
     "clientes de ese Estado.",
     "hard"),
    ("fr", "server_location",
     "Il est interdit à une Partie de lier l'octroi d'une licence à l'installation, sur "
     "son territoire, des serveurs du demandeur.",
     "hard"),
    ("en", "data_free_flow",
     "Annex 12-B Insurance Services. Each Party shall permit an insurer of the other Party "
     "to send records, in electronic or other form, into and out of its territory where "
     "the insurer processes them in the ordinary course of its business.",
     "hard"),
]

#: (language, category, text): named apart, or in words that are not the topic's.
NOT_NAMED = [
    ("en", "server_location",
     "Each Party shall publish a list of the servers that its ministries operate, and the "
     "statistics office shall report each year on the digital economy of the whole "
     "territory."),
    ("es", "data_free_flow",
     "Las Partes promoverán el intercambio de información entre las Partes sobre sus "
     "marcos regulatorios."),
    ("fr", "data_free_flow",
     "Les Parties échangent des informations entre les Parties sur leurs pratiques en "
     "matière de marchés publics."),
]


def _without_near_cues(folder):
    """A copy of the bundled taxonomy whose categories keep only their plain cues."""
    shutil.copytree(default_taxonomy_dir(), folder, ignore=shutil.ignore_patterns("*.py"))
    for path in (folder / "categories").glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        data["cues"] = {lang: [c for c in cues if isinstance(c, str)]
                        for lang, cues in data["cues"].items()}
        path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return folder


@pytest.fixture(scope="module")
def pipelines(tmp_path_factory) -> tuple[Pipeline, Pipeline]:
    """The bundled taxonomy, and the same without its near cues (0.15.0's cues)."""
    plain = _without_near_cues(tmp_path_factory.mktemp("plain") / "taxonomy")
    return Pipeline(taxonomy=TAXONOMY), Pipeline(taxonomy=load_taxonomy(plain))


def test_the_terms_match_in_any_order_and_only_within_the_window():
    pattern = re.compile(near_pattern([r"\bservers\b", r"\bterritory\b"], 20))
    assert pattern.search("keep its servers in its territory")
    assert pattern.search("keep, in its territory, its servers")
    assert not pattern.search("servers, which the statistics office counts in every region "
                              "of the territory")
    three = re.compile(near_pattern(["send", "data", "abroad"], 30))
    assert three.search("data that firms send abroad")
    assert three.search("send abroad the data")
    assert not three.search("send the data")


@pytest.mark.parametrize("terms", [["servers"], ["a", "b", "c", "d"]])
def test_a_near_cue_takes_two_or_three_terms(terms):
    with pytest.raises(ValueError, match="two or three terms"):
        near_pattern(terms, 40)


@pytest.mark.parametrize("bad", ["{near: [servers], within: 40}",
                                 "{near: [servers, territory]}",
                                 "{near: [servers, territory], within: 400}",
                                 "{near: [servers, territory], within: 40, order: any}"])
def test_a_bad_near_cue_is_refused_with_the_file_named(tmp_path, bad):
    folder = tmp_path / "taxonomy"
    shutil.copytree(default_taxonomy_dir(), folder, ignore=shutil.ignore_patterns("*.py"))
    path = folder / "categories" / "server_location.yaml"
    text = path.read_text()
    path.write_text(text.replace("cues:\n  en:\n", f"cues:\n  en:\n    - {bad}\n", 1))
    with pytest.raises(SetupError, match=r"server_location\.yaml"):
        load_taxonomy(folder)


@pytest.mark.parametrize(("lang", "category", "text", "strength"), FOUND)
def test_a_rule_naming_its_topic_in_another_order_is_found(pipelines, lang, category, text,
                                                          strength):
    bundled, plain = pipelines
    found = decision_alone(bundled, lang, text, category)
    assert found.outcome == "finding" and found.finding.strength == strength, found.reason
    assert decision_alone(plain, lang, text, category).outcome != "finding"


@pytest.mark.parametrize(("lang", "category", "text"), NOT_NAMED)
def test_words_apart_or_off_the_topic_are_no_cue(lang, category, text):
    assert not any(p.search(text) for p in TAXONOMY.categories[category].cues[lang])
