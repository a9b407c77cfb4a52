"""Spanish and French without their accents (`tradelens/text/accents.py`): the taxonomy's
cues, phrases and actor words also match the bare letters, one way only, so that an
article typed without accents reads as its accented twin."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import run_cli, strip_accents
from tradelens.classify.modality import python_tools
from tradelens.taxonomy import load_taxonomy
from tradelens.text.accents import accent_tolerant, bare, with_bare

TAXONOMY = load_taxonomy()


@pytest.mark.parametrize("pattern, expected", [
    ("información", "informaci[óo]n"),
    ("Artículo", "Art[íi]culo"),
    ("tr[aá]nsfer", "tr[aá]nsfer"),          # the class has its bare letter already
    ("tr[á]nsfer", "tr[áa]nsfer"),           # a class gains the bare letter
    ("[é-ú]x", "[é-úeinou]x"),               # a range: each accented letter's bare one
    ("[^e]x", "[^e]x"),                      # a negated class is left alone
    ("[é-]", "[ée-]"),                       # a "-" last stays literal, not a range
    ("art[í.-]culo", "art[í.i-]culo"),
    ("(?<!é)tat", "(?<!é)tat"),              # so is a negative lookaround
    ("(?P<año>x)é", "(?P<año>x)[ée]"),       # and a group's name
    ("(?#é)é", "(?#é)[ée]"),                 # and a comment
    (r"\é", r"\é"),                          # and an escaped character
    ("[]é]", "[]ée]"),                       # a "]" first in a class is literal
    ("données|ç|à", "donn[ée]es|[çc]|à"),   # the grave on a tells homographs apart
    ("là|où|au-delà", "là|où|au-del[àa]"),   # but not well inside a word
    ("plain ascii (a|b)", "plain ascii (a|b)"),
])
def test_accented_letters_also_match_their_bare_letters(pattern: str, expected: str):
    assert accent_tolerant(pattern) == expected
    re.compile(accent_tolerant(pattern))


def test_the_widening_goes_one_way():
    assert bare("éîõüçñ") == "eiõucn" and bare("à") == "à"
    assert (bare("là"), bare("où"), bare("au-delà"), bare("déjà")) == \
        ("là", "où", "au-dela", "deja")
    assert with_bare(["podrá"]) == {"podrá", "podra"}
    assert "podrá" not in with_bare(["podra"])
    # a word whose bare form is another word, and a future whose bare form is a
    # subjunctive, are never widened
    assert with_bare(["está", "él", "autorizará", "procurarán"]) == \
        {"está", "él", "autorizará", "procurarán"}
    cue = re.compile(accent_tolerant("información"), re.I)
    assert cue.search("INFORMACION") and cue.search("información")
    assert not re.compile(accent_tolerant("informacion"), re.I).search("información")


@pytest.mark.parametrize("lang, text, label", [
    ("es", "Ninguna Parte podrá exigir a una persona cubierta que utilice instalaciones "
           "informáticas en su territorio.", "hard"),
    ("es", "Las Partes mantendrán bajo examen sus regímenes de comercio electrónico.",
     "soft"),
    ("fr", "Aucune localisation des données ne peut être exigée des prestataires.",
     "hard"),
    ("fr", "Rien dans le présent chapitre n'est interprété comme obligeant une Partie à "
           "révéler le code source.", "negation"),
])
def test_a_phrase_typed_without_accents_is_read_as_with_them(lang: str, text: str,
                                                            label: str):
    """A phrase's words match bare (a homograph too, inside a phrase of several words);
    the futures in -ará and the grave on a do not (next test)."""
    tools = python_tools(lang, TAXONOMY)
    with_accents = {m[0] for m in tools.matches(tools.nlp(text))}
    without = {m[0] for m in tools.matches(tools.nlp(strip_accents(text)))}
    assert label in with_accents
    assert without == with_accents


def french_matches(text: str) -> list[tuple[str, int, int]]:
    tools = python_tools("fr", TAXONOMY)
    return tools.matches(tools.nlp(text))


def test_one_word_futures_and_bare_prepositions_stay_strict():
    """Accented text keeps its reading where a bare form is a word of its own: the
    subjunctive "autorizara" is no "autorizará", the French verb "a" no preposition "à"."""
    tools = python_tools("es", TAXONOMY)
    assert "autorizará" in TAXONOMY.modality["es"]["hard"]
    assert "hard" in {m[0] for m in tools.matches(tools.nlp("Cada Parte autorizará."))}
    assert "hard" not in {m[0] for m in tools.matches(tools.nlp("Si una Parte autorizara."))}
    # inside a phrase of several words too ("dejará que" is binding, "dejara que" not)
    assert "hard" in {m[0] for m in tools.matches(tools.nlp("Cada Parte dejará que fluyan."))}
    assert "hard" not in {m[0] for m in tools.matches(
        tools.nlp("Si una Parte dejara que fluyan."))}
    # "à cet effet" carries a rule on; "a cet effet" ("has this effect") does not
    assert "continuation" in {m[0] for m in french_matches("À cet effet, elle agit.")}
    assert "continuation" not in {m[0] for m in french_matches("La mesure a cet effet.")}
    french = python_tools("fr", TAXONOMY)
    from tradelens.classify.modality import subject_reader

    reader = subject_reader(french)
    assert "à" in reader.prepositions and "a" not in reader.prepositions
    assert "etat" in reader.public and "état" in reader.public
    assert "aupres" in reader.prepositions


def right_phrases(lang: str, text: str) -> list[bool]:
    """Whether each "right" phrase of `text` grants a firm a freedom."""
    from tradelens.classify.modality import subject_reader

    tools = python_tools(lang, TAXONOMY)
    reader, document = subject_reader(tools), tools.nlp(text)
    return [reader.grants_private_right(text, 0, document.tokens[start][0],
                                        document.tokens[end - 1][1])
            for label, start, end in tools.matches(document) if label == "right"]


@pytest.mark.parametrize("text, grants", [
    # a preposition governs up to the comma: the firms after it hold the right
    ("Según lo autorice la autoridad competente, los proveedores podrán transferir "
     "información fuera del territorio.", True),
    # a limiting word before the subject: no firm's freedom
    ("Ningún proveedor podrá transferir información fuera del territorio.", False),
    ("Los proveedores podrán únicamente transferir información a otra Parte.", False),
])
def test_the_subject_reader_reads_its_words_bare(text: str, grants: bool):
    assert right_phrases("es", text) == [grants]
    assert right_phrases("es", strip_accents(text)) == [grants]


def test_a_homograph_inside_a_longer_phrase_matches_bare():
    """"no está autorizado a" is a duty phrase; "esta" alone is a demonstrative, but
    inside the phrase, typed bare, it can only be the verb."""
    tools = python_tools("es", TAXONOMY)
    text = "El proveedor no está autorizado a exigir la ubicación de servidores."
    for typed in (text, strip_accents(text)):
        assert "duty" in {m[0] for m in tools.matches(tools.nlp(typed))}
    assert with_bare(["está"]) == {"está"}  # standing alone it stays strict


def test_bare_au_dela_reads_as_the_necessity_test():
    rules = TAXONOMY.modifiers["lppo_necessity"].cues["fr"]
    text = ("Une Partie peut s'écarter du paragraphe 2 pour un objectif légitime de politique "
            "publique, pour autant que la mesure ne restreigne pas les flux de données "
            "au-delà de ce qu'exige cet objectif.")
    for typed in (text, strip_accents(text)):
        assert any(rule.search(typed) for rule in rules), typed


# Written for this test in the drafting styles of recent Spanish and French digital
# chapters.
TWINS = {
    "es_location": (
        "Capítulo 14 Comercio Electrónico\n\nArtículo 14.13 Ubicación de las instalaciones "
        "informáticas\n\n1. Cada Parte debería evitar exigir a una persona "
        "cubierta que utilice o ubique instalaciones informáticas en el territorio de esa "
        "Parte como condición para realizar negocios en dicho territorio.\n\n2. Nada de lo "
        "dispuesto en este Artículo impedirá que una Parte adopte una medida para alcanzar "
        "un objetivo legítimo de política pública, siempre que la medida no restrinja más "
        "de lo necesario.\n"),
    "fr_flow": (
        "Chapitre 9 Commerce électronique\n\nArticle 9.7 Transfert transfrontière de "
        "renseignements par voie électronique\n\n1. Chaque Partie autorise le transfert "
        "transfrontière de renseignements par voie électronique, y compris de renseignements "
        "personnels, lorsque cette activité sert à l'exercice des activités d'une personne "
        "visée.\n"),
}


def test_an_article_typed_without_accents_gets_its_twin_s_findings(tmp_path: Path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for name, text in TWINS.items():
        (drafts / f"{name}.txt").write_text(text, encoding="utf-8")
        (drafts / f"{name}_bare.txt").write_text(strip_accents(text), encoding="utf-8")
        assert strip_accents(text) != text
    result = run_cli("analyse", str(drafts), "--format", "json", "--out",
                     str(tmp_path / "out"), "--store", str(tmp_path / "store"), "-q")
    assert result.exit_code == 0, result.output

    def findings(stem: str) -> dict[str, tuple]:
        report = json.loads((tmp_path / "out" / f"{stem}.json").read_text())
        return {category: (body["status"], sorted(
            (f["strength"], tuple(sorted(e["type"] for e in f["exceptions"])),
             tuple(sorted(f["scope"]))) for f in body["findings"]))
            for category, body in report["categories"].items()}

    for name in TWINS:
        accented, typed_bare = findings(name), findings(f"{name}_bare")
        assert typed_bare == accented
    # the soft wording ("debería evitar") and the hard ("autorise") both read bare
    assert findings("es_location")["server_location"] == \
        ("soft", [("soft", ("lppo_necessity",), ())])
    assert findings("fr_flow")["data_free_flow"][0] == "hard"
